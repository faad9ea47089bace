from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.formatting import grouped_decimal, plain_decimal
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
