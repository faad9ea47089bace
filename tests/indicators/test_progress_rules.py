"""Progress rules that never contradict their rating (issue 11, item 8), as tables of
hand-computed cases, and the two 高新区 indicators that read wrong on the pages."""

from decimal import Decimal as D

import pytest

from indicators.actual_input import IndicatorFacts, jump_share
from indicators.models import Actual
from indicators.progress import Rating, progress_since_base, rate_year
from indicators.scorecard import compute_plan_progress


@pytest.mark.parametrize(
    ("actual", "target", "decrease", "tolerance", "rating"),
    [
        ("95.52", "95.52", False, "1", Rating.MET),  # on the target
        ("96", "95.52", False, "1", Rating.MET),
        ("94.52", "95.52", False, "1", Rating.NEAR),  # exactly 1 point short
        ("94.51", "95.52", False, "1", Rating.BEHIND),  # 1.01 points short
        ("85.92", "95.52", False, "1", Rating.BEHIND),  # 9.6 points: a ratio said 0.8995
        ("94.02", "95.52", False, "2", Rating.NEAR),  # the plan's own tolerance
        ("3.5", "3", True, "1", Rating.NEAR),  # a share to lower: 0.5 point above
        ("5", "3", True, "1", Rating.BEHIND),
        ("2", "3", True, "1", Rating.MET),
        (None, "3", False, "1", Rating.NO_DATA),
    ],
)
def test_a_share_is_rated_by_its_gap_in_points(actual, target, decrease, tolerance, rating):
    value = D(actual) if actual is not None else None
    result = rate_year(value, D(target), decrease=decrease, share=True, tolerance=D(tolerance))
    assert result == rating


def test_a_level_is_still_rated_by_its_ratio():
    # 860 / 955.2 = 0.9003: near, with the plan's 90% threshold.
    assert rate_year(D("860"), D("955.2")) == Rating.NEAR
    assert rate_year(D("859"), D("955.2")) == Rating.BEHIND


@pytest.mark.parametrize(
    ("actual", "base", "final", "decrease", "expected"),
    [
        ("150", "100", "200", False, D("0.5")),  # half the planned rise
        ("90", "100", "200", False, D("-0.1")),  # went back 10% of the planned change
        ("80", "100", "60", True, D("0.5")),  # a rank from 100 to 60: half way at 80
        ("150", "200", "100", False, None),  # base above an increase target: nothing to say
        ("150", "100", "200", True, None),  # base below a decrease target
        ("150", "100", "100", False, None),  # no planned change
        (None, "100", "200", False, None),
    ],
)
def test_progress_since_base_only_where_it_means_something(actual, base, final, decrease, expected):
    value = D(actual) if actual is not None else None
    assert progress_since_base(value, D(base), D(final), decrease=decrease) == expected


def facts(unit: str, previous: str) -> IndicatorFacts:
    return IndicatorFacts(
        unit=unit,
        attribute="cumulative",
        direction="increase",
        is_rate=False,
        target_value=None,
        target_text="",
        previous_value=D(previous),
        previous_label="上年实际值",
    )


@pytest.mark.parametrize(
    ("unit", "previous", "value", "jump"),
    [
        ("家", "1", "2", None),  # +100%, but one enterprise more is no jump
        ("家", "1", "3", None),  # +2 units: still small
        ("家", "1", "4", D(3)),  # +3 units, +300%: a jump to explain
        ("个", "10", "16", D("0.6")),
        ("亿元", "1", "2", D(1)),  # not a count: the share decides
    ],
)
def test_the_jump_rule_ignores_small_counts(unit, previous, value, jump):
    assert jump_share(D(value), facts(unit, previous)) == jump


def approve_figure(indicator, year: int, value: str) -> None:
    Actual.objects.create(
        indicator=indicator,
        year=year,
        value=D(value),
        approved_value=D(value),
        state="approved",
        approved_at="2026-01-01T00:00:00Z",
    )


def test_the_hitech_share_and_rate_read_as_their_gap(hitech):
    # 25. 基本医疗保险覆盖率: base 95.2%, 2022 target 95.52% (derived), reported 86%:
    # 9.52 points short. By ratio 86 ÷ 95.52 = 0.9003 it read 基本达标, and 较基期进展
    # (86 − 95.2) ÷ (96 − 95.2) = −1150%.
    indicators = {i.number: i for i in hitech.indicators.all()}
    approve_figure(indicators[25], 2022, "86.00")
    # 14. 规模企业研发经费投入年均增长: a rate, base 29%, target 19% every year.
    approve_figure(indicators[14], 2022, "15")
    rows = {row.indicator.number: row for row in compute_plan_progress(hitech, 2022).rows}
    assert rows[25].rating == Rating.BEHIND and rows[25].gap == D("-9.52")
    assert rows[25].since_base is None
    assert rows[14].rating == Rating.BEHIND and rows[14].since_base is None
