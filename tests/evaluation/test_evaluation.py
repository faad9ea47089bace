"""The evaluation of a plan, hand-computed on a few approved figures."""

from decimal import Decimal as D

import pytest

from indicators.actuals import ActualEntry, actual_approve, actual_save
from indicators.evaluation.rules import Standing
from indicators.evaluation.selectors import plan_evaluation
from indicators.evaluation.summary import summary_sentences
from indicators.models import Indicator, TextStatus
from tests.dashboards.test_pages import approve

WHY = {"explanation": "订单下滑", "measures": "稳链补链"}


@pytest.fixture
def reported(wangcheng, admin_user):
    """Approved figures of four 望城 indicators (the rest have none):

    3 规模工业企业数 (base 365, final 455): 390, 460, 470 — met, first in 2022;
    1 工业总产值 (base 1000, final 1700): 1,200 in 2022 only — not met;
    4 制造业增加值占GDP比重 (share, base 22.2, final 27): 26.5 in 2023 — 0.5 point short;
    18 产业链企业引进数 (35 a year): 40, 30, 36 = 106 against 105 — met in 2023.
    """
    for year, value in [(2021, "390"), (2022, "460"), (2023, "470")]:
        approve(wangcheng, 3, value, admin_user, year=year, **WHY)
    approve(wangcheng, 1, "1200", admin_user, year=2022, **WHY)
    approve(wangcheng, 4, "26.5", admin_user, year=2023, **WHY)
    for year, value in [(2021, "40"), (2022, "30"), (2023, "36")]:
        approve(wangcheng, 18, value, admin_user, year=year, **WHY)
    return wangcheng


def rows_of(evaluation):
    return {row.indicator.number: row for row in evaluation.rows}


def test_final_evaluation_against_the_final_targets(reported):
    evaluation = plan_evaluation(reported, 2023)
    rows = rows_of(evaluation)
    three, one, four, eighteen = rows[3], rows[1], rows[4], rows[18]

    # 470 ÷ 455 = 1.03297; (470 ÷ 365)^(1/3) − 1 = 0.08793; (455 ÷ 365)^(1/3) − 1 = 0.07623.
    assert (three.latest_year, three.latest_value) == (2023, D(470))
    assert three.completion == D("1.033") and three.met is True
    assert (three.growth.achieved, three.growth.required) == (D("0.0879"), D("0.0762"))
    assert three.reached_year == 2022
    assert three.explanation == ""  # only those not met carry their reasons

    # The latest figure is 2022's: 1200 ÷ 1700 = 0.70588; 1.2^(1/2) − 1 = 0.09545.
    assert (one.latest_year, one.completion, one.met) == (2022, D("0.7059"), False)
    assert (one.growth.achieved, one.growth.required) == (D("0.0954"), D("0.1935"))
    assert (one.explanation, one.measures) == ("订单下滑", "稳链补链")

    # A share: 0.5 point short is 基本达标 for the year, and not the final target.
    assert (four.completion, four.gap, four.met) == (D("0.9815"), D("-0.5"), False)
    assert four.rating == "near"

    # A flow: 40 + 30 + 36 = 106 against 35 × 3 = 105 → 1.00952; reached in 2023 itself.
    assert (eighteen.measured, eighteen.compared) == (D(106), D(105))
    assert (eighteen.completion, eighteen.met, eighteen.reached_year) == (D("1.0095"), True, 2023)
    assert eighteen.growth.achieved is None

    assert rows[2].met is None and rows[2].standing == Standing.NO_DATA
    assert evaluation.counts == {
        Standing.MET: 2,
        Standing.NOT_MET: 2,
        Standing.NO_DATA: 38,
        Standing.MANUAL: 0,
    }
    assert [row.indicator.number for row in evaluation.reached_early] == [3]
    assert [row.indicator.number for row in evaluation.furthest_behind] == [1, 4]
    gxj = next(d for d in evaluation.departments if d.name == "区工信局")
    assert (gxj.counts[Standing.MET], gxj.counts[Standing.NOT_MET]) == (1, 2)
    assert gxj.indicator_count == 19


def test_the_summary_says_it_in_sentences(reported):
    sentences = summary_sentences(plan_evaluation(reported, 2023))
    assert sentences[0] == (
        "截至 2023 年（终期评估），42 项指标中，达到终期目标 2 项，占 4.8%；"
        "未达到 2 项，占 4.8%；无已审核数据 38 项。"
    )
    assert sentences[1] == "提前达到终期目标 1 项：3. 规模工业企业数（2022 年）。"
    assert sentences[2] == (
        "差距最大的 2 项：1. 工业总产值（完成 70.6%）、"
        "4. 制造业增加值占GDP比重（完成 98.2%）。"  # 0.9815 rounds half-up
    )
    assert sentences[3].startswith(
        "分类别看，规模总量 4 项，达到 1 项；结构质量 21 项，达到 1 项；"
    )
    assert "区工信局牵头 19 项，达到 1 项" in sentences[4]


def test_a_midterm_evaluation_reads_the_figures_up_to_its_year(reported):
    evaluation = plan_evaluation(reported, 2022)
    rows = rows_of(evaluation)
    assert not evaluation.is_final
    assert (rows[3].latest_year, rows[3].met, rows[3].reached_year) == (2022, True, 2022)
    assert rows[4].met is None  # its only figure is 2023's
    # 40 + 30 = 70 against 35 + 35: the quota kept so far.
    assert (rows[18].completion, rows[18].met) == (D(1), True)
    assert summary_sentences(evaluation)[0].startswith(
        "截至 2022 年（中期评估），42 项指标中，已达到终期目标 2 项"
    )


def test_a_figure_waiting_for_review_does_not_count(reported, admin_user):
    indicator = Indicator.objects.select_related("plan").get(plan=reported, number=2)
    actual_save(
        indicator=indicator,
        year=2023,
        user=admin_user,
        entry=ActualEntry(value=D(1650)),
        expected_version=None,
        submit=True,
    )
    row = rows_of(plan_evaluation(reported, 2023))[2]
    assert row.latest is None and row.met is None


def _approve_status(plan, number, year, status, user):
    indicator = Indicator.objects.select_related("plan").get(plan=plan, number=number)
    actual = actual_save(
        indicator=indicator,
        year=year,
        user=user,
        entry=ActualEntry(text_status=status, **WHY),
        expected_version=None,
        submit=True,
    )
    actual_approve(actual_id=actual.pk, user=user)


def test_rates_by_their_average_and_text_targets_by_the_reviewer(hitech, admin_user):
    # 14 规模企业研发经费投入年均增长 19%: 20 and 18.5 average 19.25 → 19.25 ÷ 19 = 1.01316.
    approve(hitech, 14, "20", admin_user, year=2021)
    approve(hitech, 14, "18.5", admin_user, year=2022, **WHY)
    # 22 单位工业增加值能耗降幅 and 23 污水处理率: 完成市里下达任务.
    _approve_status(hitech, 22, 2025, TextStatus.DONE, admin_user)
    _approve_status(hitech, 23, 2025, TextStatus.NOT_DONE, admin_user)
    evaluation = plan_evaluation(hitech, 2025)
    rows = rows_of(evaluation)
    rate = rows[14]
    assert (rate.basis, rate.measured, rate.compared) == ("average_rate", D("19.25"), D(19))
    assert (rate.completion, rate.met, rate.latest_year) == (D("1.0132"), True, 2022)
    assert (rate.growth.achieved, rate.growth.required) == (D("0.1925"), D("0.19"))
    assert rate.reached_year is None  # a rate is met over the period, not in a year
    done, not_done = rows[22], rows[23]
    assert (done.standing, done.met, done.completion) == (Standing.MANUAL, True, None)
    assert (not_done.standing, not_done.met) == (Standing.MANUAL, False)
    assert not_done.explanation == "订单下滑" and done.explanation == ""
    assert evaluation.counts[Standing.MANUAL] == 2
    assert evaluation.counts[Standing.MET] == 1
    assert "文字目标经审核认定 2 项（其中已完成 1 项）" in summary_sentences(evaluation)[0]
