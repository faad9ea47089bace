"""Target revisions change the rating and show both targets; a closed plan takes no figure."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from indicators.actuals import ActualEntry, actual_save
from indicators.lifecycle import plans, predecessor
from indicators.lifecycle.targets import target_revise
from indicators.models import Indicator, Role
from indicators.reporting.workflow import WorkflowError
from indicators.scorecard import plan_progress
from tests.factories import WANGCHENG, make_user

from .helpers import approve, run

# 26. 高新技术企业数: 2021 target 250 家.


@pytest.fixture
def high_tech(wangcheng) -> Indicator:
    return Indicator.objects.select_related("plan").get(plan=wangcheng, number=26)


def test_a_revised_target_changes_the_rating_and_both_show(
    client, admin_user, wangcheng, high_tech
):
    approve(high_tech, 2021, "240")  # 240 / 250 = 96%: 基本达标
    before = plan_progress(wangcheng, 2021)
    assert next(r for r in before.rows if r.indicator.number == 26).rating.value == "near"
    target_revise(
        indicator=high_tech,
        year=2021,
        value=Decimal("230"),
        text="",
        reason="中期评估后下调",
        document_number="望发〔2022〕9号",
        user=admin_user,
    )
    row = next(r for r in plan_progress(wangcheng, 2021).rows if r.indicator.number == 26)
    assert row.rating.value == "met" and row.target.value == Decimal("230")
    assert row.target.stated_value == Decimal("250")
    client.force_login(admin_user)
    api = client.get(f"/api/v1/plans/{WANGCHENG}/progress/?year=2021").json()
    line = next(i for i in api["indicators"] if i["number"] == 26)
    assert (line["target"], line["revised_target"], line["rating"]) == ("250", "230", "met")
    listed = client.get(f"/api/v1/plans/{WANGCHENG}/indicators/").json()["indicators"]
    target = next(i for i in listed if i["number"] == 26)["targets"][0]
    assert (target["value"], target["revised_target"]) == ("250", "230")
    page = client.get(f"/plans/{WANGCHENG}/indicators/26/?year=2021").content.decode()
    assert "调整后目标（原目标 250 家）" in page and "望发〔2022〕9号" in page
    assert "中期评估后下调" in page
    workbook = load_workbook(io.BytesIO(client.get(f"/reports/{WANGCHENG}/2021.xlsx").content))
    sheet = workbook["指标完成情况"]
    headers = [c.value for c in sheet[2]]
    row26 = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == 26)
    assert row26[headers.index("2021年目标值")] == 230
    assert row26[headers.index("目标调整")] == "2021年调整后目标（原目标 250 家），评价按调整后目标"
    assert "达标" in row26[headers.index("评价")]


def test_a_revision_needs_the_office_and_is_kept_in_history(admin_user, high_tech):
    staff = make_user("staff-kjj", Role.STAFF, department="区科技局")
    with pytest.raises(Exception, match="只有规划办管理员可以调整目标"):
        target_revise(
            indicator=high_tech,
            year=2021,
            value=Decimal(1),
            text="",
            reason="x",
            document_number="x",
            user=staff,
        )
    stated = high_tech.targets.get(year=2022).value
    first = target_revise(
        indicator=high_tech,
        year=2022,
        value=Decimal(300),
        text="",
        reason="一",
        document_number="文1",
        user=admin_user,
    )
    target_revise(
        indicator=high_tech,
        year=2022,
        value=Decimal(310),
        text="",
        reason="二",
        document_number="文2",
        user=admin_user,
    )
    first.refresh_from_db()
    assert first.ended_at is not None and first.end_reason == "被新的目标调整取代"
    assert high_tech.targets.get(year=2022).value == stated  # the stated target is kept
    assert high_tech.target_revisions.filter(ended_at__isnull=True).count() == 1


def _close(plan, user):
    for indicator in plan.indicators.all():
        if not indicator.actuals.filter(year=plan.last_year).exists():
            approve(indicator, plan.last_year, "1")
    return plans.plan_close(plan=plan, user=user)


def test_closing_is_refused_until_the_last_year_is_approved(admin_user, wangcheng):
    with pytest.raises(plans.PlanRefused, match="2023 年（最后一年）尚无已审核实际值的指标"):
        plans.plan_close(plan=wangcheng, user=admin_user)
    closed = _close(wangcheng, admin_user)
    assert closed.is_closed and closed.closed_by == admin_user
    reopened = plans.plan_reopen(plan=closed, user=admin_user, reason="补报统计年报")
    assert not reopened.is_closed
    assert reopened.history.first().history_change_reason == "重新开启规划：补报统计年报"


def _actuals_sheet() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "指标名称", "2023年实际值"])
    sheet.append([26, "高新技术企业数", 300])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_closed_plan_refuses_figures_by_form_excel_and_command(
    client, admin_user, wangcheng, high_tech, tmp_path
):
    _close(wangcheng, admin_user)
    high_tech.plan.refresh_from_db()
    with pytest.raises(WorkflowError, match="已结束"):
        actual_save(
            indicator=high_tech,
            entry=ActualEntry(value=Decimal(300)),
            year=2023,
            user=admin_user,
            expected_version=None,
            submit=True,
        )
    path = tmp_path / "2023年实际值.xlsx"
    path.write_bytes(_actuals_sheet())
    with pytest.raises(CommandError, match="已结束"):
        run(
            "import_actuals",
            str(path),
            "--plan",
            WANGCHENG,
            "--user",
            admin_user.username,
            "--year",
            "2023",
            "--approve",
        )
    with pytest.raises(CommandError, match="已结束"):
        run("import_responsibility_sheet", str(path), "--plan", WANGCHENG)
    client.force_login(admin_user)
    page = client.get(f"/plans/{WANGCHENG}/").content.decode()
    assert "已结束" in page and f"/plans/{WANGCHENG}/evaluation/" in page
    # The same refusal on the web: the Excel upload and the form, nothing saved.
    closed_version = high_tech.actuals.get(year=2023).version
    upload = client.post(
        f"/report/{WANGCHENG}/2023/upload/",
        {"file": SimpleUploadedFile("2023年实际值.xlsx", _actuals_sheet()), "mode": "approve"},
    )
    assert upload.status_code in (400, 403) and "已结束" in upload.content.decode()
    form = client.post(
        f"/report/{WANGCHENG}/2023/26/",
        {"indicator-26-value": "400", "indicator-26-kind": "preliminary", "action": "submit"},
    )
    assert form.status_code in (400, 403) and "已结束" in form.content.decode()
    assert high_tech.actuals.get(year=2023).version == closed_version  # nothing saved


def test_the_evaluation_rates_against_a_revised_final_target_and_shows_both(
    client, admin_user, wangcheng, high_tech
):
    approve(high_tech, 2023, "380")  # the 2023 target is 400 家: 95%, not met
    target_revise(
        indicator=high_tech,
        year=2023,
        value=Decimal("370"),
        text="",
        reason="终期目标按市里下达任务调整",
        document_number="望发〔2023〕5号",
        user=admin_user,
    )
    client.force_login(admin_user)
    api = client.get(f"/api/v1/plans/{WANGCHENG}/evaluation/?year=2023").json()
    line = next(i for i in api["indicators"] if i["number"] == 26)
    assert (line["final_target"], line["revised_target"], line["met"]) == ("400", "370", True)


def test_only_the_office_reaches_the_lifecycle_pages(client, wangcheng):
    for user in (
        make_user("leader-x", Role.LEADER, department="区委区政府"),
        make_user("staff-x", Role.STAFF, department="区科技局"),
    ):
        client.force_login(user)
        for url in (
            "/plans/new/",
            f"/plans/{WANGCHENG}/manage/",
            f"/plans/{WANGCHENG}/indicators/26/revise/",
        ):
            assert client.get(url).status_code == 403
        assert client.post(f"/plans/{WANGCHENG}/close/").status_code == 403


def test_a_following_plan_proposes_bases_and_applies_them_only_when_confirmed(
    admin_user, wangcheng, high_tech, client, django_assert_max_num_queries
):
    approve(high_tech, 2023, "321")
    run(
        "create_plan",
        "next-2024-2026",
        "--name",
        "后续规划",
        "--short-name",
        "后续",
        "--base-year",
        "2023",
        "--first-year",
        "2024",
        "--last-year",
        "2026",
        "--predecessor",
        WANGCHENG,
        "--copy-indicators",
    )
    copy = Indicator.objects.get(plan__slug="next-2024-2026", number=26)
    assert copy.predecessor_id == high_tech.pk and copy.base_value is None
    assert copy.lead_department_id == high_tech.lead_department_id
    proposal = next(p for p in predecessor.base_proposals(copy.plan) if p.indicator.pk == copy.pk)
    assert proposal.value == Decimal("321") and not proposal.is_applied
    copy.refresh_from_db()
    assert copy.base_value is None  # proposed, not applied
    output = run("confirm_base_values", "next-2024-2026")
    copy.refresh_from_db()
    assert copy.base_value == Decimal("321") and "已确认" in output
    client.force_login(admin_user)
    with django_assert_max_num_queries(16):
        page = client.get("/plans/next-2024-2026/indicators/26/").content.decode()
    assert "跨规划衔接" in page and "规划衔接" in page


def test_a_closed_plan_says_so_on_its_pages(client, admin_user, leader_user, wangcheng):
    _close(wangcheng, admin_user)
    pages = {
        leader_user: [f"/?plan={WANGCHENG}", f"/departments/?plan={WANGCHENG}"],
        admin_user: [f"/report/{WANGCHENG}/2023/", f"/report/{WANGCHENG}/2023/upload/"],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            html = client.get(url).content.decode()
            assert "已结束" in html and f"/plans/{WANGCHENG}/evaluation/" in html, url
    report = client.get(f"/report/{WANGCHENG}/2023/").content.decode()
    assert "规划已结束，不再接受填报。" in report and 'value="submit"' not in report
