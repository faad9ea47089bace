"""The progress rules (DESIGN.md §4), as tables of hand-computed cases."""

from datetime import date
from decimal import Decimal as D

import pytest

from indicators.progress import (
    Outlook,
    Rating,
    completion,
    department_score,
    derive_yearly_targets,
    elapsed_share,
    flow_outlook,
    gap_points,
    level_outlook,
    plan_to_date,
    progress_since_base,
    rate_outlook,
    rate_year,
)

# Completion: actual ÷ target, target ÷ actual for a decrease; None where undefined.
COMPLETIONS = [
    ("on target", D(1100), D(1000), False, D("1.1")),
    ("below", D(990), D(1100), False, D("0.9")),
    ("rank above target (decrease)", D(95), D(90), True, D("0.9474")),
    ("rank better than target", D(85), D(90), True, D("1.0588")),
    ("target of 0", D(0), D(0), False, None),
    ("decrease with an actual of 0", D(0), D(2), True, None),
    ("no figure", None, D(10), False, None),
    ("no target", D(10), None, False, None),
]


@pytest.mark.parametrize(
    ("actual", "target", "decrease", "expected"),
    [case[1:] for case in COMPLETIONS],
    ids=[case[0] for case in COMPLETIONS],
)
def test_completion(actual, target, decrease, expected):
    assert completion(actual, target, decrease=decrease) == expected


RATINGS = [
    ("met", D(1100), D(1100), {}, Rating.MET),
    ("near: 1000/1100 = 90.9%", D(1000), D(1100), {}, Rating.NEAR),
    ("behind: 980/1100 = 89.1%", D(980), D(1100), {}, Rating.BEHIND),
    ("the plan's own threshold 85%", D(980), D(1100), {"threshold": D("0.85")}, Rating.NEAR),
    ("decrease exactly at 90%", D(100), D(90), {"decrease": True}, Rating.NEAR),
    ("target of 0 reached", D(0), D(0), {}, Rating.MET),
    ("target of 0 passed", D(1), D(0), {}, Rating.MET),
    ("no figure", None, D(5), {}, Rating.NO_DATA),
    ("text target reported", None, None, {"text_target": True, "reported": True}, Rating.MANUAL),
    ("text target not reported", None, None, {"text_target": True}, Rating.NO_DATA),
]


@pytest.mark.parametrize(
    ("actual", "target", "options", "expected"),
    [case[1:] for case in RATINGS],
    ids=[case[0] for case in RATINGS],
)
def test_rate_year(actual, target, options, expected):
    assert rate_year(actual, target, **options) == expected


def test_a_yearly_flow_is_also_summed_plan_to_date():
    actuals, targets = {2021: D(30), 2022: D(40)}, {2021: D(35), 2022: D(35), 2023: D(35)}
    to_2022 = plan_to_date(actuals, targets, upto=2022)
    assert (to_2022.actual_total, to_2022.target_total, to_2022.completion) == (
        D(70),
        D(70),
        D("1.0000"),
    )
    to_2021 = plan_to_date(actuals, targets, upto=2021)
    assert (to_2021.years, to_2021.completion) == ((2021,), D("0.8571"))
    assert plan_to_date({}, targets, upto=2023) is None


def test_a_share_gives_the_gap_in_percentage_points():
    assert gap_points(D("24.5"), D("25")) == D("-0.5")
    assert gap_points(None, D("25")) is None


@pytest.mark.parametrize(
    ("actual", "base", "final", "expected"),
    [
        (D(1400), D(1000), D(1700), D("0.5714")),  # 400 of the planned 700
        (D(900), D(1000), D(1700), D("-0.1429")),  # went backwards
        (D(3), None, D("3.1"), None),  # blank base (row 27)
        (D(5), D(5), D(5), None),  # nothing planned to change
    ],
)
def test_progress_since_base(actual, base, final, expected):
    assert progress_since_base(actual, base, final) == expected


@pytest.mark.parametrize(
    ("year", "base_year", "last_year", "expected"),
    [(2021, 2020, 2023, D("0.3333")), (2023, 2020, 2023, D("1")), (2022, 2020, 2025, D("0.4"))],
)
def test_elapsed_share(year, base_year, last_year, expected):
    assert elapsed_share(year, base_year, last_year) == expected


# Outlook of levels and shares: R = direction × CAGR achieved ÷ |CAGR required|.
# 1000 → 1700 over 2020–2023 requires 1.7^(1/3) − 1 = 19.3483% a year.
LEVELS = [
    (
        "10% a year against 19.35% needed: limited",
        {2021: D(1100)},
        D(1000),
        D(1700),
        False,
        Outlook.LIMITED,
        D("0.5168"),
        D("1331.0000"),  # 1100 × 1.1²
    ),
    (
        "30% a year: on track",
        {2021: D(1300)},
        D(1000),
        D(1700),
        False,
        Outlook.ON_TRACK,
        D("1.5505"),
        D("2197.0000"),  # 1300 × 1.3²
    ),
    (
        "falling: backwards",
        {2021: D(950)},
        D(1000),
        D(1700),
        False,
        Outlook.BACKWARDS,
        D("-0.2584"),
        None,
    ),
    ("already met", {2022: D(1800)}, D(1000), D(1700), False, Outlook.MET, None, D(1800)),
    (
        # A rank 95 → 90: −1.786% a year needed; 95 → 93 is −2.105%: R = 1.1787.
        "a rank improving fast enough (decrease)",
        {2021: D(93)},
        D(95),
        D(90),
        True,
        Outlook.ON_TRACK,
        D("1.1787"),
        D("89.13"),  # 93 × (93/95)², to 0.01
    ),
    (
        # Blank base: start from 2021. 3 → 3.05 is 1.6667%; 3 → 3.1 over 2 years needs 1.653%.
        "blank base starts at the first report",
        {2021: D(3), 2022: D("3.05")},
        None,
        D("3.1"),
        False,
        Outlook.ON_TRACK,
        D("1.0083"),
        D("3.10"),  # 3.05 × (3.05/3), to 0.01
    ),
    (
        "blank base and one report: no outlook",
        {2021: D(3)},
        None,
        D("3.1"),
        False,
        Outlook.UNKNOWN,
        None,
        None,
    ),
    ("no report: no outlook", {}, D(1000), D(1700), False, Outlook.UNKNOWN, None, None),
    (
        # A base of 0 has no growth factor: 1 a year achieved against 2/3 a year needed.
        "zero base, linear pace",
        {2021: D(1)},
        D(0),
        D(2),
        False,
        Outlook.ON_TRACK,
        D("1.5"),
        D("3"),
    ),
    (
        "zero base, nothing yet",
        {2021: D(0), 2022: D(0)},
        D(0),
        D(1),
        False,
        Outlook.LIMITED,
        D("0"),
        D("0"),
    ),
]


@pytest.mark.parametrize(
    ("points", "base", "final", "decrease", "outlook", "ratio", "projected"),
    [case[1:] for case in LEVELS],
    ids=[case[0] for case in LEVELS],
)
def test_level_outlook(points, base, final, decrease, outlook, ratio, projected):
    result = level_outlook(
        points=points, base=base, base_year=2020, final=final, final_year=2023, decrease=decrease
    )
    assert (result.outlook, result.ratio) == (outlook, ratio)
    if projected is not None:
        assert result.projected == projected


# Yearly flows: 35 a year over 2021–2023 is 105 in all.
QUOTA = {2021: D(35), 2022: D(35), 2023: D(35)}
FLOWS = [
    # 30 done, 75 left over 2 years = 37.5 a year needed; 30 ÷ 37.5 = 0.8.
    ("one year short", {2021: D(30)}, Outlook.ACCELERATE, D("0.8"), D(90)),
    # 80 done, 25 left in 1 year; 40 ÷ 25 = 1.6.
    ("ahead", {2021: D(40), 2022: D(40)}, Outlook.ON_TRACK, D("1.6"), D(120)),
    # All years in: 100 of 105 = 95.24%.
    (
        "final year, just short",
        {2021: D(35), 2022: D(35), 2023: D(30)},
        Outlook.ON_TRACK,
        D("0.9524"),
        D(100),
    ),
    ("total already reached", {2021: D(60), 2022: D(50)}, Outlook.MET, None, D(165)),
    ("nothing reported", {}, Outlook.UNKNOWN, None, None),
]


@pytest.mark.parametrize(
    ("points", "outlook", "ratio", "projected"),
    [case[1:] for case in FLOWS],
    ids=[case[0] for case in FLOWS],
)
def test_flow_outlook(points, outlook, ratio, projected):
    result = flow_outlook(points=points, targets=QUOTA, plan_years=[2021, 2022, 2023])
    assert (result.outlook, result.ratio) == (outlook, ratio)
    if projected is not None:
        assert result.projected == projected


@pytest.mark.parametrize(
    ("points", "target", "decrease", "outlook", "ratio"),
    [
        # 年均增长 19%: an average of 17.5% is 92.11% of the pace.
        ({2021: D(20), 2022: D(15)}, D(19), False, Outlook.ACCELERATE, D("0.9211")),
        ({2021: D(25)}, D(19), False, Outlook.ON_TRACK, D("1.3158")),
        ({2021: D(-5)}, D(19), False, Outlook.BACKWARDS, D("-0.2632")),
        # A rate that should stay down: 2 ÷ 2.5 = 0.8.
        ({2021: D("2.5")}, D(2), True, Outlook.ACCELERATE, D("0.8")),
        ({}, D(19), False, Outlook.UNKNOWN, None),
    ],
)
def test_rate_outlook(points, target, decrease, outlook, ratio):
    result = rate_outlook(points=points, target_rate=target, decrease=decrease)
    assert (result.outlook, result.ratio) == (outlook, ratio)


def test_department_score_caps_completion_and_counts_punctuality():
    score = department_score(
        [
            (Rating.MET, D("1.5")),  # counts as 1.2
            (Rating.NEAR, D("0.95")),
            (Rating.BEHIND, D("0.5")),
            (Rating.NO_DATA, None),
        ],
        [date(2022, 3, 1), date(2022, 4, 2), None, date(2022, 3, 31)],
        date(2022, 3, 31),
    )
    assert score.counts == {
        Rating.MET: 1,
        Rating.NEAR: 1,
        Rating.BEHIND: 1,
        Rating.NO_DATA: 1,
        Rating.MANUAL: 0,
    }
    assert score.average_completion == D("0.8833")  # (1.2 + 0.95 + 0.5) ÷ 3
    assert (score.submitted, score.on_time, score.on_time_rate) == (3, 2, D("0.5"))


def test_department_score_without_deadline_or_figures():
    score = department_score([(Rating.NO_DATA, None)], [None], None)
    assert score.average_completion is None and score.on_time_rate is None


CASES = [
    # A level: compound growth. 100 → 121 over 2 years is ×1.1 a year: 110.
    ("compound, two years", D(100), D(121), 2020, 2022, False, 2, {2021: D("110.00")}),
    # 100 → 200 over 5 years: ×2^(1/5) = 1.148698…; ×1.319508; ×1.515717; ×1.741101.
    (
        "compound, five years",
        D(100),
        D(200),
        2020,
        2025,
        False,
        2,
        {2021: D("114.87"), 2022: D("131.95"), 2023: D("151.57"), 2024: D("174.11")},
    ),
    # Counts are whole, rounded half up: 47 → 55: 48.5004 → 49; 49.98 → 50; 51.55 → 52; 53.16 → 53.
    (
        "count rounds half up",
        D(47),
        D(55),
        2020,
        2025,
        False,
        0,
        {2021: D(49), 2022: D(50), 2023: D(52), 2024: D(53)},
    ),
    # A decline also compounds: 100 → 81 over 2 years is ×0.9 a year.
    ("decline", D(100), D(81), 2020, 2022, False, 2, {2021: D("90.00")}),
    # A zero base cannot grow by a factor: equal steps 0 → 10 over 5 years.
    (
        "zero base, equal steps",
        D(0),
        D(10),
        2020,
        2025,
        False,
        0,
        {2021: D(2), 2022: D(4), 2023: D(6), 2024: D(8)},
    ),
    # A rate stated per year (年均增长 19%) is the same every year, whatever the base.
    (
        "annual rate",
        D(29),
        D(19),
        2020,
        2025,
        True,
        2,
        {2021: D("19.00"), 2022: D("19.00"), 2023: D("19.00"), 2024: D("19.00")},
    ),
    # A blank base gives nothing to derive a level from.
    ("blank base", None, D(10), 2020, 2025, False, 2, {}),
    # No year lies between base and final.
    ("adjacent years", D(1), D(2), 2020, 2021, False, 2, {}),
]


@pytest.mark.parametrize(
    ("base", "final", "base_year", "final_year", "is_rate", "decimals", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_derive_yearly_targets(base, final, base_year, final_year, is_rate, decimals, expected):
    derived = derive_yearly_targets(
        base=base,
        final=final,
        base_year=base_year,
        final_year=final_year,
        is_rate=is_rate,
        decimals=decimals,
    )
    assert derived == expected


def test_progress_module_does_not_import_django():
    import ast
    from pathlib import Path

    import indicators.progress as progress

    tree = ast.parse(Path(progress.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (node.names if isinstance(node, ast.Import) else [node])
        if getattr(alias, "name", None)
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "django" not in imported
