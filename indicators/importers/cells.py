"""Reading single Excel cells the way agencies type them. Pure functions, no Django.

Numbers arrive as numbers or as text with spaces, thousands separators or full-width
digits; a missing value is blank, "—", "-" or "/"; a cell may list several departments.
"""

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

# Marks that mean "no value" in circulated sheets. Compared after NFKC and stripping.
MISSING_MARKS = frozenset({"", "-", "--", "—", "——", "–", "/", "／", "\\", "无", "空"})

# Separators between department names in one cell: line breaks, 、 ， , ; ； and spaces.
DEPARTMENT_SEPARATORS = re.compile(r"[\s、，,;；]+")

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
# The same pattern, for the browser's hint on the report forms (indicators/forms.py).
NUMBER_PATTERN = _NUMBER.pattern

MAX_DECIMALS = 4


class CellValueError(ValueError):
    """The cell cannot be read; the message is the Chinese reason, without the location."""


def normalize_text(value: object) -> str:
    """Return the cell as one clean line of text: NFKC (full-width → half-width), trimmed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    # NFKC maps the ideographic space to a plain one; strip also removes nbsp and tabs.
    return text.strip()


def compact_text(value: object) -> str:
    """Return the text with every whitespace removed, for matching header labels."""
    return re.sub(r"\s+", "", normalize_text(value))


def clean_label(value: object) -> str:
    """Return a name-like cell with its whitespace removed but its own characters kept.

    No NFKC: 打造一个千亿园区，推动跻身全国百强 keeps its full-width comma.
    """
    if value is None:
        return ""
    return re.sub(r"\s+", "", str(value))


def is_missing(value: object) -> bool:
    """Return True if the cell holds no value: blank, or a dash or slash standing for none."""
    if value is None:
        return True
    if isinstance(value, str):
        return compact_text(value) in MISSING_MARKS or value.strip() in MISSING_MARKS
    return False


def parse_decimal(value: object, *, percent_allowed: bool = False) -> Decimal | None:
    """Return the cell as a Decimal, or None when it is missing.

    Raises CellValueError with a Chinese message when the text is not a number.
    """
    if is_missing(value):
        return None
    if isinstance(value, bool) or isinstance(value, (date, datetime)):
        raise CellValueError(f"“{value}”不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellValueError(f"“{value}”不是数字")
        # Excel keeps 15 significant digits; this drops binary noise such as
        # 3.0999999999999996 from a formula while 3.05 stays 3.05.
        number = Decimal(format(value, ".15g"))
    elif isinstance(value, Decimal):
        number = value
    else:
        original = str(value).strip()
        text = re.sub(r"\s+", "", normalize_text(value))
        if percent_allowed and text.endswith("%"):
            text = text[:-1]
        if not _NUMBER.fullmatch(text):
            raise CellValueError(f"“{original}”不是数字")
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
            raise CellValueError(f"“{original}”不是数字") from exc
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        number_text = format(number, "f")
        stripped = number.normalize()
        stripped_exponent = stripped.as_tuple().exponent
        if isinstance(stripped_exponent, int) and -stripped_exponent > MAX_DECIMALS:
            raise CellValueError(f"“{number_text}”的小数位数超过 {MAX_DECIMALS} 位")
        number = stripped
    if abs(number) >= Decimal(10) ** 14:
        raise CellValueError(f"“{format(number, 'f')}”超出可接受的范围")
    return number


def parse_departments(value: object) -> list[str]:
    """Return the department names listed in a cell, in order, without repeats."""
    if is_missing(value):
        return []
    names: list[str] = []
    # No NFKC here: a name keeps its own characters; \s also matches the full-width space.
    for part in DEPARTMENT_SEPARATORS.split(str(value).strip()):
        name = part.strip()
        if name and name not in MISSING_MARKS and name not in names:
            names.append(name)
    return names


def parse_integer(value: object) -> int | None:
    """Return the cell as a whole number (a 序号), None when missing; raise when it is not one."""
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellValueError(f"“{value}”不是整数")
    return int(number)
