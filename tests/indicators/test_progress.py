"""Derived yearly targets (DESIGN.md §4), as a table of hand-computed cases."""

from decimal import Decimal as D

import pytest

from indicators.progress import derive_yearly_targets

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
