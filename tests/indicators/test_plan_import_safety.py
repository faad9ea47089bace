"""Safe plan imports: risky changes need an explicit confirmation, on the web and on the
command line; a blank lead cell and indicator rows below a note are refused with their place.

The reproduction: the 望城区 sheet imported into the 长沙高新区 plan reads without a bad cell,
and would rename 企业总收入 to 工业总产值 and turn 亿元 into 家.
"""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from indicators.models import Actual, Indicator, Plan, SheetImport, Target
from indicators.plan_import.apply import sheet_import
from indicators.plan_import.diff import sheet_import_preview
from indicators.plan_import.reader import PlanYears, SheetSource, read_sheet
from indicators.plan_import.risks import (
    RiskyImport,
    change_risk,
    rename_share_risk,
    source_risks,
)
from tests.factories import WANGCHENG_SHEET, load_plans_quietly
from tests.indicators.sheets import database_snapshot, edited_fixture

HITECH = "changsha-hitech-2021-2025"
WANGCHENG_TITLE = (
    "《长沙市望城区打造国家重要先进制造业高地三年行动计划（2021-2023年）》主要指标责任分解表"
)
TITLE_NAMES_WANGCHENG = (
    f"文件标题“{WANGCHENG_TITLE}”提到望城区，与导入目标“长沙高新区“十四五”规划”不符，"
    "请确认没有选错文件或规划"
)
TITLE_STATES_2021_2023 = (
    f"文件标题“{WANGCHENG_TITLE}”的规划期为 2021–2023 年，"
    "与导入目标“长沙高新区“十四五”规划”（2021–2025 年）不符"
)
MOST_RENAMED = (
    "文件中与现有指标序号相同的 26 项里有 26 项更名，超过三分之一，文件可能属于另一个规划"
)
TICK = "我已核对上述高风险变更，确认导入"


def read_for(plan: Plan, content: bytes, name: str = "责任分解表.xlsx"):
    return read_sheet(name, content, PlanYears(plan.base_year, plan.first_year, plan.last_year))


def hitech_names_and_units() -> list[tuple[int, str, str]]:
    return list(
        Indicator.objects.filter(plan__slug=HITECH)
        .order_by("number")
        .values_list("number", "name", "unit")
    )


# The Wangcheng sheet into the Hi-Tech plan -------------------------------------------------


def test_cross_plan_preview_lists_the_risks_with_their_reasons(hitech):
    sheet = read_for(hitech, WANGCHENG_SHEET.read_bytes())

    preview = sheet_import_preview(plan=hitech, rows=sheet.rows, source=sheet.source)

    assert (len(preview.created), len(preview.updated)) == (16, 26)
    reasons = [str(risk) for risk in preview.risks]
    # File-wide risks first, then each indicator's: 26 renames, 20 units.
    assert reasons[:3] == [TITLE_NAMES_WANGCHENG, TITLE_STATES_2021_2023, MOST_RENAMED]
    assert "序号 1：指标更名：企业总收入 → 工业总产值" in reasons
    assert "序号 3：单位变更：亿元 → 家" in reasons
    assert "序号 26：指标更名：总绿地率 → 高新技术企业" in reasons
    assert sum("指标更名" in reason for reason in reasons) == 26
    assert sum("单位变更" in reason for reason in reasons) == 20
    assert len(reasons) == 49
    first = preview.updated[0]
    assert [(c.label, c.risk) for c in first.changes if c.risk] == [
        ("指标名称", "指标更名：企业总收入 → 工业总产值")
    ]
    assert "其中高风险变更 49 项，须逐项核对并明确确认。" in preview.summary_lines()


def upload_to_hitech(client, content: bytes):
    return client.post(
        f"/plans/{HITECH}/import/", {"file": SimpleUploadedFile("责任分解表.xlsx", content)}
    )


def test_web_confirm_without_the_tick_is_refused_and_changes_nothing(client, admin_user, hitech):
    client.force_login(admin_user)
    response = upload_to_hitech(client, WANGCHENG_SHEET.read_bytes())
    record = SheetImport.objects.get()
    html = client.get(response.url).content.decode()
    assert "高风险变更（49）" in html
    assert "序号 1：指标更名：企业总收入 → 工业总产值" in html
    assert "序号 3：单位变更：亿元 → 家" in html
    assert "提到望城区，与导入目标" in html
    assert TICK in html and 'name="accept_risks"' in html
    before = database_snapshot()
    names_before = hitech_names_and_units()

    response = client.post(f"/imports/{record.pk}/confirm/", follow=True)

    html = response.content.decode()
    assert "本次导入含 49 项高风险变更，未导入任何数据" in html
    assert f"勾选「{TICK}」后再确认" in html
    assert database_snapshot() == before
    assert hitech_names_and_units() == names_before
    assert names_before[0] == (1, "企业总收入", "亿元")
    record.refresh_from_db()
    assert record.status == "previewed"  # still there to tick, or to discard


def test_web_confirm_with_the_tick_applies(client, admin_user, hitech):
    client.force_login(admin_user)
    upload_to_hitech(client, WANGCHENG_SHEET.read_bytes())
    record = SheetImport.objects.get()

    response = client.post(f"/imports/{record.pk}/confirm/", {"accept_risks": "on"}, follow=True)

    assert "已更新 26 项" in response.content.decode()
    assert hitech_names_and_units()[:3] == [
        (1, "工业总产值", "亿元"),
        (2, "规模工业企业总产值", "亿元"),
        (3, "规模工业企业数", "家"),
    ]
    record.refresh_from_db()
    assert record.status == "applied"
    assert "序号 1：指标更名：企业总收入 → 工业总产值" in record.summary["risks"]


def test_an_import_without_risks_needs_no_tick(client, admin_user, wangcheng):
    client.force_login(admin_user)
    client.post(
        f"/plans/{wangcheng.slug}/import/",
        {"file": SimpleUploadedFile("责任分解表.xlsx", edited_fixture({"H4": 1800}))},
    )
    record = SheetImport.objects.get()
    html = client.get(f"/imports/{record.pk}/").content.decode()
    assert "高风险变更" not in html and TICK not in html

    client.post(f"/imports/{record.pk}/confirm/")

    target = Target.objects.get(indicator__plan=wangcheng, indicator__number=1, year=2023)
    assert target.value == Decimal("1800")


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("import_responsibility_sheet", *args, stdout=out)
    return out.getvalue()


def test_command_refuses_the_cross_plan_file_without_force(hitech, tmp_path):
    path = tmp_path / "wangcheng.xlsx"
    path.write_bytes(WANGCHENG_SHEET.read_bytes())
    before = database_snapshot()

    with pytest.raises(CommandError) as raised:
        run_command(str(path), "--plan", HITECH)

    message = str(raised.value)
    assert message.startswith("文件“wangcheng.xlsx”含 49 项高风险变更，未导入任何数据：\n")
    assert f"  - {TITLE_NAMES_WANGCHENG}\n" in message
    assert "  - 序号 1：指标更名：企业总收入 → 工业总产值\n" in message
    assert "  - 序号 3：单位变更：亿元 → 家\n" in message
    assert message.endswith(
        "请核对文件与规划“长沙高新区“十四五”规划”（changsha-hitech-2021-2025）是否对应；"
        "确认无误后加 --force 重新运行。"
    )
    assert database_snapshot() == before


def test_command_with_force_applies_the_cross_plan_file(hitech, tmp_path):
    path = tmp_path / "wangcheng.xlsx"
    path.write_bytes(WANGCHENG_SHEET.read_bytes())

    output = run_command(str(path), "--plan", HITECH, "--force")

    assert "导入完成" in output
    assert "    指标名称：企业总收入 → 工业总产值  [高风险]" in output
    assert "新增指标 16 项，已更新 26 项，未变化 0 项。" in output
    assert Indicator.objects.filter(plan=hitech).count() == 42
    assert hitech_names_and_units()[0] == (1, "工业总产值", "亿元")


def test_command_dry_run_shows_the_risks_and_writes_nothing(hitech, tmp_path):
    path = tmp_path / "wangcheng.xlsx"
    path.write_bytes(WANGCHENG_SHEET.read_bytes())
    before = database_snapshot()

    output = run_command(str(path), "--plan", HITECH, "--dry-run")

    assert "高风险变更 49 项：" in output
    assert "正式导入时须加 --force 确认上述高风险变更。" in output
    assert database_snapshot() == before


# Single risky changes within the right plan -------------------------------------------------


def test_one_rename_is_risky_and_refused_without_confirmation(wangcheng, admin_user):
    sheet = read_for(wangcheng, edited_fixture({"C4": "工业总产值（现价）"}))
    before = database_snapshot()

    with pytest.raises(RiskyImport) as raised:
        sheet_import(
            plan=wangcheng, rows=sheet.rows, source=sheet.source, user=admin_user, reason="t"
        )

    assert [str(risk) for risk in raised.value.risks] == [
        "序号 1：指标更名：工业总产值 → 工业总产值（现价）"
    ]
    assert database_snapshot() == before
    sheet_import(
        plan=wangcheng,
        rows=sheet.rows,
        source=sheet.source,
        user=admin_user,
        reason="t",
        accept_risks=True,
    )
    assert Indicator.objects.get(plan=wangcheng, number=1).name == "工业总产值（现价）"


def test_a_unit_change_is_risky(wangcheng):
    sheet = read_for(wangcheng, edited_fixture({"D6": "个"}))  # 3. 规模工业企业数 家 → 个

    preview = sheet_import_preview(plan=wangcheng, rows=sheet.rows, source=sheet.source)

    assert [str(risk) for risk in preview.risks] == ["序号 3：单位变更：家 → 个"]


def test_an_attribute_change_is_risky_only_once_figures_were_reported(wangcheng, admin_user):
    # 18. 产业链企业引进数 and 19. 500强智能制造项目引进数 are 当年值; only 18 has a figure.
    Actual.objects.create(
        indicator=Indicator.objects.get(plan=wangcheng, number=18), year=2021, value=Decimal(36)
    )
    sheet = read_for(wangcheng, edited_fixture({"I21": "累计值", "I22": "累计值"}))
    before = database_snapshot()

    with pytest.raises(RiskyImport) as raised:
        sheet_import(
            plan=wangcheng, rows=sheet.rows, source=sheet.source, user=admin_user, reason="t"
        )

    assert [str(risk) for risk in raised.value.risks] == [
        "序号 18：属性变更：当年值 → 累计值（该指标已有 1 条填报数据）"
    ]
    assert database_snapshot() == before


def test_an_attribute_change_without_figures_needs_no_confirmation(wangcheng, admin_user):
    sheet = read_for(wangcheng, edited_fixture({"I22": "累计值"}))

    outcome = sheet_import(
        plan=wangcheng, rows=sheet.rows, source=sheet.source, user=admin_user, reason="t"
    )

    assert outcome.risks == []
    assert Indicator.objects.get(plan=wangcheng, number=19).attribute == "cumulative"


def test_a_figure_reported_after_the_preview_makes_the_confirmation_stale(
    client, admin_user, wangcheng
):
    client.force_login(admin_user)
    client.post(
        f"/plans/{wangcheng.slug}/import/",
        {"file": SimpleUploadedFile("责任分解表.xlsx", edited_fixture({"I21": "累计值"}))},
    )
    record = SheetImport.objects.get()
    assert "高风险变更" not in client.get(f"/imports/{record.pk}/").content.decode()
    indicator = Indicator.objects.get(plan=wangcheng, number=18)
    Actual.objects.create(indicator=indicator, year=2021, value=Decimal(36))

    response = client.post(f"/imports/{record.pk}/confirm/", follow=True)

    assert "预览之后指标数据已被修改" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.attribute == "annual"


# The rule's edges, as tables ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "old", "new", "reported", "reason"),
    [
        ("指标名称", "甲", "乙", 0, "指标更名：甲 → 乙"),
        ("单位", "亿元", "万元", 0, "单位变更：亿元 → 万元"),
        ("属性", "当年值", "累计值", 0, ""),
        ("属性", "当年值", "累计值", 3, "属性变更：当年值 → 累计值（该指标已有 3 条填报数据）"),
        ("方向", "增加", "减少", 0, ""),
        ("方向", "增加", "减少", 1, "方向变更：增加 → 减少（该指标已有 1 条填报数据）"),
        ("基期值", "1,000 亿元", "1,100 亿元", 5, ""),
        ("2023年目标值", "1,700 亿元", "1,800 亿元", 5, ""),
        ("牵头单位", "区工信局", "区科技局", 5, ""),
    ],
)
def test_which_changes_of_an_existing_indicator_are_risky(label, old, new, reported, reason):
    assert change_risk(label, old, new, reported=reported) == reason


@pytest.mark.parametrize(
    ("renamed", "matched", "risky"),
    [(0, 0, False), (0, 42, False), (14, 42, False), (15, 42, True), (1, 2, True), (9, 26, True)],
)
def test_more_than_a_third_renamed_is_a_file_wide_risk(renamed, matched, risky):
    assert (rename_share_risk(renamed=renamed, matched=matched) is not None) is risky


@pytest.mark.parametrize(
    ("slug", "source", "expected"),
    [
        ("wangcheng-2021-2023", SheetSource("附件1", (WANGCHENG_TITLE,)), []),
        ("wangcheng-2021-2023", SheetSource("附件1", ()), []),
        (HITECH, SheetSource("表1", ("长沙高新区“十四五”经济社会发展主要指标",)), []),
        (HITECH, SheetSource("麓谷园区指标", ("主要指标（2021—2025年）",)), []),
        (
            "wangcheng-2021-2023",
            SheetSource("表1", ("长沙高新区“十四五”经济社会发展主要指标",)),
            [
                "文件标题“长沙高新区“十四五”经济社会发展主要指标”提到长沙高新区，"
                "与导入目标“长沙市望城区打造国家重要先进制造业高地三年行动计划（2021-2023年）”"
                "不符，请确认没有选错文件或规划",
                "文件标题“长沙高新区“十四五”经济社会发展主要指标”的规划期为 2021–2025 年，"
                "与导入目标“长沙市望城区打造国家重要先进制造业高地三年行动计划（2021-2023年）”"
                "（2021–2023 年）不符",
            ],
        ),
        (
            HITECH,
            SheetSource("望城区指标", ()),
            [
                "工作表名称“望城区指标”提到望城区，与导入目标“长沙高新区“十四五”规划”不符，"
                "请确认没有选错文件或规划"
            ],
        ),
    ],
    ids=["own-title", "no-title", "hitech-title", "hitech-sheet", "hitech-into-wangcheng", "sheet"],
)
def test_a_title_or_sheet_name_of_another_area_or_period_is_a_risk(
    loaded_plans, slug, source, expected
):
    assert [str(risk) for risk in source_risks(loaded_plans[slug], source)] == expected


# Bad cells of the real sheet: refused everywhere, nothing changed ---------------------------


def test_a_blank_lead_cell_is_refused_by_the_command(wangcheng, tmp_path):
    path = tmp_path / "责任分解表.xlsx"
    path.write_bytes(edited_fixture({"J44": None}))  # 41. 省级工业互联网APP优秀解决方案数
    before = database_snapshot()

    with pytest.raises(CommandError) as raised:
        run_command(str(path), "--plan", wangcheng.slug)

    assert str(raised.value) == (
        "文件中有 1 处错误，未导入任何数据：\n"
        "附件1 第44行「牵头单位」：不能为空，请填写该指标的牵头单位（一个）"
    )
    assert database_snapshot() == before
    assert Indicator.objects.get(plan=wangcheng, number=41).lead_department.name == "区工信局"


def test_a_blank_lead_cell_is_refused_on_the_web(client, admin_user, wangcheng):
    client.force_login(admin_user)
    response = client.post(
        f"/plans/{wangcheng.slug}/import/",
        {"file": SimpleUploadedFile("责任分解表.xlsx", edited_fixture({"J44": "—"}))},
    )
    html = response.content.decode()
    assert "文件中有 1 处错误，未导入任何数据" in html
    assert "附件1 第44行「牵头单位」：不能为空，请填写该指标的牵头单位（一个）" in html
    assert not SheetImport.objects.exists()


def test_an_indicator_below_the_note_is_reported_not_dropped(wangcheng, tmp_path):
    path = tmp_path / "责任分解表.xlsx"
    path.write_bytes(
        edited_fixture(
            {
                "A46": "注：累计值指截至当年底的总量。",
                "B47": 43,
                "C47": "规模以上工业企业研发活动覆盖率",
                "D47": "%",
                "F47": 40,
                "I47": "占比值",
                "J47": "区工信局",
            }
        )
    )
    before = database_snapshot()

    with pytest.raises(CommandError) as raised:
        run_command(str(path), "--plan", wangcheng.slug)

    assert str(raised.value) == (
        "文件中有 1 处错误，未导入任何数据：\n"
        "附件1 第47行「序号」：该行（序号 43“规模以上工业企业研发活动覆盖率”）位于第46行的"
        "说明之下，不会被导入：如果是指标，请把它移到说明行之上；如果不是，请删除该行的序号"
    )
    assert database_snapshot() == before


# load_plans keeps loading the real fixtures ---------------------------------------------------


def test_load_plans_sources_carry_no_risk(loaded_plans):
    wangcheng = loaded_plans["wangcheng-2021-2023"]
    sheet = read_for(wangcheng, WANGCHENG_SHEET.read_bytes(), WANGCHENG_SHEET.name)

    preview = sheet_import_preview(plan=wangcheng, rows=sheet.rows, source=sheet.source)

    assert preview.risks == [] and not preview.has_changes
    before = database_snapshot()
    load_plans_quietly()  # a repeated load: refused if any risk came up
    assert database_snapshot() == before


def test_load_plans_refuses_to_rename_back_an_indicator_without_force(wangcheng):
    indicator = Indicator.objects.get(plan=wangcheng, number=1)
    indicator.name = "工业总产值（现价）"
    indicator.save()
    before = database_snapshot()

    with pytest.raises(CommandError) as raised:
        call_command("load_plans", stdout=io.StringIO())

    assert "高风险变更" in str(raised.value)
    assert "序号 1：指标更名：工业总产值（现价） → 工业总产值" in str(raised.value)
    assert database_snapshot() == before


def test_an_upload_kept_before_the_lead_rule_is_not_applied(client, admin_user, wangcheng):
    # Previewed before a blank lead was an error: it can neither be previewed nor confirmed.
    record = SheetImport.objects.create(
        plan=wangcheng,
        file_name="责任分解表.xlsx",
        content=edited_fixture({"J44": None}),
        sha256="0" * 64,
        uploaded_by=admin_user,
        preview_digest="0" * 64,
    )
    client.force_login(admin_user)
    before = database_snapshot()

    html = client.get(f"/imports/{record.pk}/").content.decode()
    assert "附件1 第44行「牵头单位」：不能为空，请填写该指标的牵头单位（一个）" in html
    response = client.post(f"/imports/{record.pk}/confirm/", {"accept_risks": "on"}, follow=True)

    assert "该文件不符合当前的导入要求，本次导入已取消，请改正后重新上传。" in (
        response.content.decode()
    )
    record.refresh_from_db()
    assert record.status == "discarded"
    assert database_snapshot() == before
