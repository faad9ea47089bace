"""Writing cells of the workbooks the product hands out (templates, reports)."""

from decimal import Decimal

from .formatting import plain_decimal

FORMULA_STARTS = ("=", "+", "-", "@")


def put_text(cell, text: str) -> None:
    """Write text that Excel shows as typed: never run as a formula (=, +, - or @ first)."""
    cell.value = text
    if text[:1] in FORMULA_STARTS:
        cell.data_type = "s"
        cell.quotePrefix = True


def put_figure(cell, value: Decimal) -> None:
    """Write a Decimal as a number cell showing exactly its own decimals, with separators."""
    text = plain_decimal(value)
    cell.value = Decimal(text)  # written to the file as this text: no float on the way
    places = len(text.partition(".")[2])
    cell.number_format = "#,##0." + "0" * places if places else "#,##0"
