"""The evaluation rules, as tables of hand-computed cases."""

from decimal import Decimal as D

import pytest

from indicators.evaluation.rules import (
    Growth,
    Standing,
    average_rate,
    cagr_growth,
    flow_reached_year,
    level_reached_year,
    rate_growth,
    standing_of,
)
from indicators.progress import Rating


@pytest.mark.parametrize(
    ("points", "base", "final", "expected"),
    [
        # 工业总产值: base 1000 (2020) → 1331 in 2023 is 10%/year; 1700 by 2023 needs
        # 1.7^(1/3) − 1 = 0.19348… → 0.1935.
        ({2023: D(1331)}, D(1000), D(1700), Growth(D("0.1"), D("0.1935"))),
        # Two years in: 1000 → 1210 is 10%/year as well.
        ({2021: D(1100), 2022: D(1210)}, D(1000), D(1700), Growth(D("0.1"), D("0.1935"))),
        # A fall: 100 → 81 in two years is −10%/year; 125 needs 0.0772 (1.25^(1/3) = 1.07722).
        ({2022: D(81)}, D(100), D(125), Growth(D("-0.1"), D("0.0772"))),
        # A blank base starts from the first reported year: 2 (2021) → 2.42 (2023) is 10%;
        # 3.1 by 2023 from 2 in 2021 needs 1.55^(1/2) − 1 = 0.24499 → 0.245.
        ({2021: D(2), 2023: D("2.42")}, None, D("3.1"), Growth(D("0.1"), D("0.245"))),
        # Undefined: one point only, a base of 0, no final target.
        ({2021: D(3)}, None, D(5), Growth(None, None)),
        ({2023: D(3)}, D(0), D(5), Growth(None, None)),
        ({2023: D(3)}, D(1), None, Growth(None, None)),
    ],
)
def test_cagr_achieved_against_required(points, base, final, expected):
    growth = cagr_growth(points=points, base=base, base_year=2020, final=final, final_year=2023)
    assert growth == expected


def test_a_rate_is_its_own_growth():
    # 年均增长 19%: reported 20, 18 and 22.3 average 20.1 → 0.201 against 0.19.
    average = average_rate({2021: D(20), 2022: D(18), 2023: D("22.3")})
    assert average == D("20.1")
    assert rate_growth(average, D(19)) == Growth(D("0.201"), D("0.19"))
    assert average_rate({}) is None
    assert rate_growth(None, D(19)) == Growth(None, None)


@pytest.mark.parametrize(
    ("points", "final", "decrease", "year"),
    [
        ({2021: D(390), 2022: D(460), 2023: D(470)}, D(455), False, 2022),
        ({2021: D(390), 2022: D(450)}, D(455), False, None),
        ({2021: D(12), 2022: D(9)}, D(10), True, 2022),  # a rank: lower is better
        ({2021: D(5)}, None, False, None),
    ],
)
def test_the_year_a_level_first_reached_its_final_target(points, final, decrease, year):
    assert level_reached_year(points, final, decrease=decrease) == year


def test_the_year_a_flow_reached_its_plan_period_total():
    targets = {2021: D(35), 2022: D(35), 2023: D(35)}  # 105 in all
    years = [2021, 2022, 2023]
    assert flow_reached_year({2021: D(50), 2022: D(56)}, targets, years) == 2022
    assert flow_reached_year({2021: D(50), 2022: D(50), 2023: D(4)}, targets, years) is None
    assert flow_reached_year({2021: D(5)}, {}, years) is None


@pytest.mark.parametrize(
    ("rating", "standing"),
    [
        (Rating.MET, Standing.MET),
        (Rating.NEAR, Standing.NOT_MET),  # 基本达标 has not reached the final target
        (Rating.BEHIND, Standing.NOT_MET),
        (Rating.NO_DATA, Standing.NO_DATA),
        (Rating.MANUAL, Standing.MANUAL),
    ],
)
def test_standing_from_rating(rating, standing):
    assert standing_of(rating) == standing
