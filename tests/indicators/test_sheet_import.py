"""Importing a responsibility sheet into the database: preview, all-or-nothing, history."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from indicators.importers.workbook import SheetInvalid
from indicators.models import Indicator, Target
from indicators.plan_import import apply
from indicators.plan_import.apply import sheet_import
from indicators.plan_import.diff import StalePreview, sheet_import_preview
from indicators.plan_import.reader import PlanYears, read_responsibility_sheet
from tests.factories import WANGCHENG_SHEET
from tests.indicators.sheets import database_snapshot, edited_fixture

YEARS = PlanYears(2020, 2021, 2023)


def rows_of(content: bytes):
    return read_responsibility_sheet("附件1.xlsx", content, YEARS)


def test_it_previews_then_creates_all_42_indicators_in_an_empty_plan(empty_wangcheng_plan):
    rows = rows_of(WANGCHENG_SHEET.read_bytes())
    preview = sheet_import_preview(plan=empty_wangcheng_plan, rows=rows)
    assert [o.number for o in preview.created] == list(range(1, 43))
    assert preview.updated == [] and preview.unchanged == []
    assert not Indicator.objects.filter(plan=empty_wangcheng_plan).exists()

    sheet_import(plan=empty_wangcheng_plan, rows=rows, user=None, reason="test")
    indicator = Indicator.objects.get(plan=empty_wangcheng_plan, number=27)
    assert indicator.base_value is None
    assert indicator.group.name == "创新驱动"
    assert indicator.lead_department.name == "区科技局"
    assert {t.year: t.value for t in indicator.targets.all()} == {
        2021: Decimal("3"),
        2022: Decimal("3.05"),
        2023: Decimal("3.1"),
    }


def test_reimporting_the_same_file_changes_nothing(wangcheng, admin_user):
    before = database_snapshot()
    outcome = sheet_import(
        plan=wangcheng, rows=rows_of(WANGCHENG_SHEET.read_bytes()), user=admin_user, reason="t"
    )
    assert len(outcome.unchanged) == 42
    assert not outcome.has_changes
    assert database_snapshot() == before


def test_a_changed_file_changes_only_what_changed_and_history_shows_who(wangcheng, admin_user):
    content = edited_fixture(
        {
            "H4": 1800,  # 1. 工业总产值 2023年目标值 1700 → 1800
            "J14": "区发展和改革局",  # 11. a lead unit the system does not know yet
            "K15": "望城经开区产业发展局、区工信局、区金融办",  # 12. one more responsible unit
        }
    )
    preview = sheet_import_preview(plan=wangcheng, rows=rows_of(content))
    changes = {o.number: [(c.label, c.old, c.new) for c in o.changes] for o in preview.updated}
    assert changes == {
        1: [("2023年目标值", "1,700 亿元", "1,800 亿元")],
        11: [("牵头单位", "区财政局", "区发展和改革局")],
        12: [
            (
                "责任单位",
                "区工信局、望城经开区产业发展局",
                "望城经开区产业发展局、区工信局、区金融办",
            )
        ],
    }
    assert preview.new_departments == ["区发展和改革局"]
    assert len(preview.unchanged) == 39

    other_targets = list(
        Target.objects.exclude(indicator__number=1, year=2023)
        .filter(indicator__plan=wangcheng)
        .order_by("pk")
        .values_list("pk", "value")
    )
    first = Indicator.objects.get(plan=wangcheng, number=1)
    versions_of_first = first.history.count()
    sheet_import(plan=wangcheng, rows=rows_of(content), user=admin_user, reason="网页导入")

    # Only the target changed: indicator 1 itself gets no new, empty version.
    assert first.history.count() == versions_of_first
    target = Target.objects.get(indicator__plan=wangcheng, indicator__number=1, year=2023)
    assert target.value == Decimal("1800")
    latest, previous = target.history.all()[:2]
    assert (latest.history_user, latest.value, previous.value) == (
        admin_user,
        Decimal("1800"),
        Decimal("1700"),
    )
    assert latest.history_change_reason == "网页导入"
    assert latest.history_date is not None
    assert (
        list(
            Target.objects.exclude(indicator__number=1, year=2023)
            .filter(indicator__plan=wangcheng)
            .order_by("pk")
            .values_list("pk", "value")
        )
        == other_targets
    )
    lead = Indicator.objects.get(plan=wangcheng, number=11).lead_department
    assert lead.name == "区发展和改革局"
    assert lead.history.first().history_user == admin_user


def test_a_blank_target_cell_removes_that_target_with_history(wangcheng, admin_user):
    content = edited_fixture({"F7": "—"})  # 4. 制造业增加值占GDP比重, 2021
    outcome = sheet_import(plan=wangcheng, rows=rows_of(content), user=admin_user, reason="t")
    assert [(c.label, c.old, c.new) for c in outcome.updated[0].changes] == [
        ("2021年目标值", "23%", "空")
    ]
    assert not Target.objects.filter(indicator__plan=wangcheng, indicator__number=4, year=2021)
    deleted = Target.history.filter(history_type="-").latest("history_date")
    assert (deleted.value, deleted.history_user) == (Decimal("23"), admin_user)


def test_a_failure_midway_rolls_back_everything(wangcheng, admin_user, monkeypatch):
    content = edited_fixture({"H4": 1800, "H45": 95, "J14": "新单位甲"})
    before = database_snapshot()
    original = apply._apply_targets
    calls = []

    def failing(indicator, row, user, reason):
        calls.append(row.number)
        if row.number == 42:
            raise RuntimeError("disk full")
        return original(indicator, row, user, reason)

    monkeypatch.setattr(apply, "_apply_targets", failing)
    with pytest.raises(RuntimeError):
        sheet_import(plan=wangcheng, rows=rows_of(content), user=admin_user, reason="t")
    assert calls == [1, 11, 42]  # indicator 1 was written before the failure…
    assert database_snapshot() == before  # …and rolled back with the rest


def test_a_stale_preview_is_refused(wangcheng, admin_user):
    rows = rows_of(edited_fixture({"H4": 1800}))
    digest = sheet_import_preview(plan=wangcheng, rows=rows).digest()
    target = Target.objects.get(indicator__plan=wangcheng, indicator__number=1, year=2023)
    target.value = Decimal("1750")
    target.save()
    before = database_snapshot()
    with pytest.raises(StalePreview):
        sheet_import(plan=wangcheng, rows=rows, user=admin_user, reason="t", expected_digest=digest)
    assert database_snapshot() == before


def test_indicators_missing_from_the_file_are_kept_and_reported(wangcheng, admin_user):
    content = edited_fixture({f"{col}45": None for col in "BCDEFGHIJK"})
    outcome = sheet_import(plan=wangcheng, rows=rows_of(content), user=admin_user, reason="t")
    assert outcome.absent_numbers == [42]
    assert Indicator.objects.filter(plan=wangcheng, number=42).exists()
    assert "文件中没有序号为 42 的指标，这些指标保持不变。" in outcome.summary_lines()


# The command-line twin


def run_command(*args) -> str:
    import io

    out = io.StringIO()
    call_command("import_responsibility_sheet", *args, stdout=out)
    return out.getvalue()


def test_command_dry_run_shows_changes_and_writes_nothing(wangcheng, tmp_path):
    path = tmp_path / "责任分解表.xlsx"
    path.write_bytes(edited_fixture({"H4": 1800}))
    before = database_snapshot()
    output = run_command(str(path), "--plan", wangcheng.slug, "--dry-run")
    assert "更新 1. 工业总产值" in output
    assert "2023年目标值：1,700 亿元 → 1,800 亿元" in output
    assert "未写入任何数据" in output
    assert database_snapshot() == before


def test_command_imports_and_records_the_user(wangcheng, admin_user, tmp_path):
    path = tmp_path / "责任分解表.xlsx"
    path.write_bytes(edited_fixture({"H4": 1800}))
    output = run_command(str(path), "--plan", wangcheng.slug, "--user", admin_user.username)
    assert "导入完成" in output
    target = Target.objects.get(indicator__plan=wangcheng, indicator__number=1, year=2023)
    assert target.value == Decimal("1800")
    assert target.history.first().history_user == admin_user


def test_command_refuses_a_bad_file_with_every_error_and_changes_nothing(wangcheng, tmp_path):
    path = tmp_path / "责任分解表.xlsx"
    path.write_bytes(edited_fixture({"H4": 1800, "H15": "待定", "I20": "累积", "F30": "3.O"}))
    before = database_snapshot()
    with pytest.raises(CommandError) as raised:
        run_command(str(path), "--plan", wangcheng.slug)
    message = str(raised.value)
    assert "文件中有 3 处错误，未导入任何数据" in message
    assert "附件1 第15行「2023年目标值」：“待定”不是数字" in message
    assert "附件1 第20行「属性」：“累积”不是有效的属性，应为累计值、当年值或占比值" in message
    assert "附件1 第30行「2021年目标值」：“3.O”不是数字" in message
    assert database_snapshot() == before


def test_command_refuses_an_xls_file(wangcheng, tmp_path):
    path = tmp_path / "责任分解表.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(CommandError, match=r"另存为”\.xlsx"):
        run_command(str(path), "--plan", wangcheng.slug)


def test_command_names_an_unknown_plan(db, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(WANGCHENG_SHEET.read_bytes())
    with pytest.raises(CommandError, match="规划“nope”不存在"):
        run_command(str(path), "--plan", "nope")


def test_sheet_invalid_lists_issues_in_file_order():
    content = edited_fixture({"H15": "待定", "E5": "x"})
    with pytest.raises(SheetInvalid) as raised:
        rows_of(content)
    assert [str(issue) for issue in raised.value.issues] == [
        "附件1 第5行「2020年基期值」：“x”不是数字",
        "附件1 第15行「2023年目标值」：“待定”不是数字",
    ]
