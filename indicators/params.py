"""Numbers from the query string and from forms, parsed one way everywhere, strictly.

`str.isdigit()` and `int()` accept far more than the digits 0–9: "²" passes isdigit()
and then breaks int(); "١٢", " 12", "+1" and "1_000" all pass int(). A value our pages
never send must not reach either. Here a number is ASCII digits only, of a bounded
length; anything else is a bad request: `BadParameter`, which Django answers with the
400 page (`bad_request`, wangcheng_plan/urls.py), or the API with a JSON 400.

A missing or blank parameter is not an error: each helper says what it falls back to.
"""

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

# Digits of an id: every such number fits a signed 64-bit column (no overflow in SQL).
ID_DIGITS = 18
YEAR_DIGITS = 4


class BadParameter(BadRequest):
    """A query-string or form value no page of ours sends. The message is Chinese, names
    the parameter, never echoes the value, and is shown on the 400 page."""


def ascii_int(text, *, max_digits: int = ID_DIGITS) -> int | None:
    """`text` as a whole number if it is 1 to `max_digits` ASCII digits, else None.

    No sign, no spaces, no other scripts' digits, no superscripts, no underscores.
    """
    if not isinstance(text, str) or not 0 < len(text) <= max_digits:
        return None
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def year_message(plan) -> str:
    return f"year 应为 {plan.first_year}–{plan.last_year} 之间的年份"


def year_param(request, plan, *, strict: bool = False) -> int | None:
    """The ?year= of the request if it is one of the plan's years; None when it is absent
    or blank.

    A malformed year raises BadParameter. A well-formed year outside the plan gives None
    (the page shows the year reported now), or raises BadParameter when `strict`.
    """
    text = request.GET.get("year", "")
    if text == "":
        return None
    year = ascii_int(text, max_digits=YEAR_DIGITS)
    if year is None or (strict and year not in plan.years):
        raise BadParameter(year_message(plan))
    return year if year in plan.years else None


def page_param(request) -> int:
    """The ?page= of a paged list: 1 when absent or blank; BadParameter when malformed.

    A page past the end is the paginator's business (it shows the last one).
    """
    text = request.GET.get("page", "")
    if text == "":
        return 1
    page = ascii_int(text, max_digits=ID_DIGITS)
    if page is None:
        raise BadParameter(_("page 应为页码（正整数）"))
    return page


def ids_param(request, name: str) -> list[int]:
    """Every id posted under `name` (checkboxes, hidden inputs), in order, each once.

    None posted gives []. One value that is not an id raises BadParameter: the form was
    not ours, so nothing of it is acted on.
    """
    ids = [ascii_int(text) for text in request.POST.getlist(name)]
    if any(pk is None for pk in ids):
        raise BadParameter(f"{name} 应为数据编号（数字）")
    return list(dict.fromkeys(ids))


def search_param(request, name: str = "q", *, max_length: int = 100) -> str:
    """A free-text search box's words, trimmed; BadParameter when longer than max_length."""
    text = request.GET.get(name, "").strip()
    if len(text) > max_length:
        raise BadParameter(_("搜索词最多 %(n)s 个字") % {"n": max_length})
    return text


def include_param(request) -> set[str]:
    """The API's ?include=a,b as a set of words; unknown words are ignored."""
    return {part.strip() for part in request.GET.get("include", "").split(",") if part.strip()}


def bad_request(request, exception, template_name: str = "400.html"):
    """The 400 page (handler400): what was wrong when we said it (BadParameter), else the
    general message. Rendered with the request so the navigation is there."""
    message = str(exception) if isinstance(exception, BadParameter) else ""
    return render(request, template_name, {"message": message}, status=400)
