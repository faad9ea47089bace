from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.formatting import (
    COUNT_UNITS,
    UNASSIGNED,
    grouped_decimal,
    percent_text,
    percent_value,
    plain_decimal,
    points_text,
)
from indicators.importers.cells import parse_decimal
from indicators.templatetags.figures import figure


@pytest.mark.parametrize(
    ("value", "plain", "grouped"),
    [
        (Decimal("1700.0000"), "1700", "1,700"),
        (Decimal("3.0500"), "3.05", "3.05"),
        (Decimal("0E-4"), "0", "0"),
        (Decimal("12345678.9"), "12345678.9", "12,345,678.9"),
        (Decimal("-1234.5"), "-1234.5", "-1,234.5"),
        (None, None, None),
    ],
)
def test_plain_and_grouped(value, plain, grouped):
    assert plain_decimal(value) == plain
    assert grouped_decimal(value) == grouped


def test_figure_filter_carries_the_unit():
    assert figure(Decimal("5000"), "亿元") == "5,000 亿元"
    assert figure(Decimal("22.2"), "%") == "22.2%"
    assert figure(None, "家") == "—"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_text_with_separators_and_full_width_digits_reads_back_exactly(value):
    grouped = grouped_decimal(value)
    full_width = grouped.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
    assert parse_decimal(grouped) == value
    assert parse_decimal(f"  {full_width} ") == value


# One rounding rule for every shown figure: half-up (a half rounds away from zero) to the
# precision shown. Hand-computed; the half-even result is noted where it would differ.
@pytest.mark.parametrize(
    ("ratio", "places", "value", "text"),
    [
        # 0.8725 × 100 = 87.25, a half at one decimal: half-up 87.3 (half-even gives 87.2)
        (Decimal("0.8725"), 1, Decimal("87.3"), "87.3%"),
        # 0.8715 × 100 = 87.15: half-up 87.2 (half-even also 87.2: 1 is odd)
        (Decimal("0.8715"), 1, Decimal("87.2"), "87.2%"),
        # 0.8735 × 100 = 87.35 → 87.4 either way
        (Decimal("0.8735"), 1, Decimal("87.4"), "87.4%"),
        # 0.87249 × 100 = 87.249, below the half → 87.2
        (Decimal("0.87249"), 1, Decimal("87.2"), "87.2%"),
        # 0.99995 × 100 = 99.995 → 100.0 (the carry reaches the whole part)
        (Decimal("0.99995"), 1, Decimal("100.0"), "100.0%"),
        # 0.9999 × 100 = 99.99 → 100.0
        (Decimal("0.9999"), 1, Decimal("100.0"), "100.0%"),
        # 12.3456 × 100 = 1234.56 → 1234.6, with a thousands separator
        (Decimal("12.3456"), 1, Decimal("1234.6"), "1,234.6%"),
        # a whole percentage keeps its stated decimal: 0.87 → 87.0%
        (Decimal("0.87"), 1, Decimal("87.0"), "87.0%"),
        (Decimal("1"), 1, Decimal("100.0"), "100.0%"),
        (Decimal("0"), 1, Decimal("0.0"), "0.0%"),
        # negative: −0.8725 × 100 = −87.25 → −87.3 (away from zero, the mirror of 87.3)
        (Decimal("-0.8725"), 1, Decimal("-87.3"), "-87.3%"),
        # −0.12345 × 100 = −12.345 → −12.3 (45 in the dropped digits is below the half)
        (Decimal("-0.12345"), 1, Decimal("-12.3"), "-12.3%"),
        # −0.0004 × 100 = −0.04 → 0.0: no "−0.0%"
        (Decimal("-0.0004"), 1, Decimal("0.0"), "0.0%"),
        # other precisions: 0.33335 × 100 = 33.335 → 33.34; 0.125 × 100 = 12.5 → 13
        (Decimal("0.33335"), 2, Decimal("33.34"), "33.34%"),
        (Decimal("0.125"), 0, Decimal("13"), "13%"),
        (None, 1, None, "—"),
    ],
)
def test_percent_rounds_half_up_to_the_shown_precision(ratio, places, value, text):
    assert percent_value(ratio, places) == value
    if value is not None:
        # the number has exactly the shown decimals, so a chart value and its label agree
        assert value.as_tuple().exponent == -places
    assert percent_text(ratio, places) == text


def test_percent_defaults_to_one_decimal():
    assert percent_text(Decimal("0.8725")) == "87.3%"
    assert percent_value(Decimal("0.8725")) == Decimal("87.3")
    assert percent_value(None) is None


@pytest.mark.parametrize(
    ("points", "places", "text"),
    [
        (Decimal("-0.5000"), None, "-0.5 个百分点"),  # 24.5% − 25%, as exact as the figures
        (Decimal("0.125"), None, "0.125 个百分点"),  # 3.125% − 3%
        (Decimal("0.125"), 2, "0.13 个百分点"),  # half-up at two decimals (half-even: 0.12)
        (Decimal("-0.125"), 2, "-0.13 个百分点"),
        (Decimal("-0.004"), 2, "0 个百分点"),  # no "-0"
        (Decimal("0.0000"), None, "0 个百分点"),
        (Decimal("1234.5"), None, "1,234.5 个百分点"),
        (None, None, "—"),
    ],
)
def test_points_text(points, places, text):
    assert points_text(points, places) == text


def test_shared_constants():
    assert UNASSIGNED == "未分配"
    assert {"家", "个", "人", "项", "件", "次"} <= COUNT_UNITS
