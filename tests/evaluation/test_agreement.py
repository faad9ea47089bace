"""For 望城 with the sample data, the evaluation page, API, workbook and document agree figure
by figure with each other and with the progress API of 2023, the plan's last year."""

import copy
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from indicators.formatting import figure_text, percent_text
from indicators.models import Role
from tests.factories import make_user
from tests.shared import rolled_back

from .helpers import API, PAGE, PLAN, document, page_rows, sheet_rows, table_texts, workbook


@pytest.fixture(scope="module")
def module_answers(django_db_setup, django_db_blocker):
    """The five answers, asked once for the module's tests, which only read them: with the
    sample data, in a transaction rolled back afterwards, from an empty cache
    (tests/shared.py), as each test used to ask them."""
    with rolled_back(django_db_blocker):
        call_command("load_demo", stdout=io.StringIO())
        client = Client()
        client.force_login(make_user("leader1", Role.LEADER, department="区委区政府"))
        progress = client.get(f"/api/v1/plans/{PLAN}/progress/?year=2023").json()
        evaluation = client.get(API).json()
        page = client.get(PAGE).content.decode()
        xlsx = client.get(f"/reports/{PLAN}/evaluation-2023.xlsx").content
        docx = client.get(f"/reports/{PLAN}/evaluation-2023.docx").content
    return progress, evaluation, page, xlsx, docx


@pytest.fixture
def answers(db, module_answers):
    return copy.deepcopy(module_answers)  # each test its own, whatever another did to its


def test_the_api_agrees_with_the_progress_of_the_last_year(answers):
    progress, evaluation, *_ = answers
    assert evaluation["year"] == 2023 and evaluation["stage"] == "final"
    by_number = {row["number"]: row for row in progress["indicators"]}
    assert len(evaluation["indicators"]) == len(by_number) == 42
    for row in evaluation["indicators"]:
        year = by_number[row["number"]]
        assert row["latest"] == {"year": 2023, "value": year["value"], "text_status": None}
        assert row["final_target"] == year["target"]
        assert row["revised_target"] is None
        if row["basis"] == "to_date":  # 当年值: the years summed
            assert row["completion"] == year["to_date"]["completion"]
            assert row["measured"] == year["to_date"]["actual"]
            met = (
                year["to_date"]["completion"] is not None
                and Decimal(year["to_date"]["completion"]) >= 1
            )
        else:
            assert row["basis"] == "latest"
            assert row["completion"] == year["completion"]
            assert row["gap_points"] == year["gap_points"]
            met = year["rating"] == "met"
        assert row["met"] is met, row["number"]
        assert row["outlook"]["status"] == year["outlook"]["status"]
    summary = evaluation["summary"]
    assert summary["met"] + summary["not_met"] == 42
    assert summary["no_data"] == summary["manual"] == 0
    assert summary["met"] == sum(1 for row in evaluation["indicators"] if row["met"])
    assert sum(d["indicator_count"] for d in evaluation["departments"]) == 42


def test_the_page_shows_the_api_figures(answers):
    _, evaluation, page, *_ = answers
    rows = page_rows(page)
    for row in evaluation["indicators"]:
        cells = rows[row["number"]]
        unit = row["unit"]
        assert cells[3] == figure_text(Decimal(row["base"]), unit) if row["base"] else "—"
        assert cells[4] == figure_text(Decimal(row["final_target"]), unit)
        assert cells[5] == f"{figure_text(Decimal(row['latest']['value']), unit)}（2023年）"
        assert cells[7].split(" ")[0] == row["completion_text"]
        assert ("达到终期目标" in cells[9]) is row["met"]
    for sentence in evaluation["sentences"]:
        assert sentence in page


def exact(number) -> Decimal:
    """A number cell as written (openpyxl reads it back as int or float)."""
    return Decimal(str(number))


def test_the_workbook_holds_the_api_figures(answers):
    _, evaluation, _, xlsx, _ = answers
    book = workbook(xlsx)
    columns, rows = sheet_rows(book["指标评估"], 2)
    by_number = {row[columns["序号"]]: row for row in rows}
    for row in evaluation["indicators"]:
        cells = by_number[row["number"]]
        assert exact(cells[columns["终期目标"]]) == Decimal(row["final_target"])
        assert cells[columns["最新值年份"]] == 2023
        assert exact(cells[columns["最新值"]]) == Decimal(row["latest"]["value"])
        assert cells[columns["完成率"]] == pytest.approx(float(row["completion"]))
        assert exact(cells[columns["评价值"]]) == Decimal(row["measured"])
        for key, column in (("cagr_achieved", "实际年均增速"), ("cagr_required", "需要年均增速")):
            expected = None if row[key] is None else pytest.approx(float(row[key]))
            assert cells[columns[column]] == expected
        assert ("达到终期目标" in cells[columns["评价"]]) is row["met"]
        assert (cells[columns["原因分析"]] or "") == row["explanation"]
    summary_texts = [row[0] for row in book["评估摘要"].iter_rows(min_row=2, values_only=True)]
    assert summary_texts[: len(evaluation["sentences"])] == evaluation["sentences"]
    columns, rows = sheet_rows(book["部门汇总"], 2)
    departments = [(r[0], r[columns["达到终期目标"]], r[columns["未达到"]]) for r in rows]
    assert departments == [(d["name"], d["met"], d["not_met"]) for d in evaluation["departments"]]


def test_the_document_holds_the_api_figures(answers):
    _, evaluation, _, _, docx = answers
    word = document(docx)
    paragraphs = [p.text for p in word.paragraphs]
    for sentence in evaluation["sentences"]:
        assert sentence in paragraphs
    indicator_table = next(t for t in word.tables if t.rows[0].cells[0].text == "序号")
    rows = {int(r[0]): r for r in table_texts(indicator_table)[1:]}
    for row in evaluation["indicators"]:
        cells = rows[row["number"]]
        unit = row["unit"]
        assert cells[3] == figure_text(Decimal(row["final_target"]), unit)
        assert cells[4] == f"{figure_text(Decimal(row['latest']['value']), unit)}（2023年）"
        assert cells[5].startswith(row["completion_text"])
        if row["cagr_achieved"] is not None:
            achieved = percent_text(Decimal(row["cagr_achieved"]))
            required = percent_text(Decimal(row["cagr_required"]))
            assert cells[6] == f"{achieved} / {required}"
        assert ("达到终期目标" in cells[7]) is row["met"]
    department_table = next(t for t in word.tables if t.rows[0].cells[0].text == "牵头单位")
    counts = [(r[0], int(r[2]), int(r[3])) for r in table_texts(department_table)[1:]]
    assert counts == [(d["name"], d["met"], d["not_met"]) for d in evaluation["departments"]]
