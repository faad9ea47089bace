"""What a plan-year's row says beside its rating, and whether it was submitted on time.

The rating (progress.py) judges an approved figure. A row without one is not always
missing: its figure may wait for review (待审核), or the plan may set no target for that
year (无目标, e.g. 高新区 22 and 23 before 2025), which asks for nothing. The counts on
every page are counts of these standings, so 已报送 and 未填报 never contradict each other.

按时 means the department's own figure stands submitted (waiting for review or approved)
and was submitted on or before the deadline; drafts, returned figures and samples are not.
Every indicator that has a target for the year counts in the on-time rate, reported or not.

Nothing here imports Django: the rules are tested with hand-computed tables.
"""

from datetime import date
from enum import StrEnum

from .progress import RATING_ICONS, RATING_LABELS, Rating


class Standing(StrEnum):
    MET = Rating.MET.value
    NEAR = Rating.NEAR.value
    BEHIND = Rating.BEHIND.value
    MANUAL = Rating.MANUAL.value
    PENDING = "pending"
    NO_DATA = Rating.NO_DATA.value
    NO_TARGET = "no_target"


STANDING_LABELS = {Standing(r.value): label for r, label in RATING_LABELS.items()} | {
    Standing.PENDING: "待审核",
    Standing.NO_TARGET: "无目标",
}
STANDING_ICONS = {Standing(r.value): icon for r, icon in RATING_ICONS.items()} | {
    Standing.PENDING: "⧗",
    Standing.NO_TARGET: "∅",
}
STANDING_ORDER = list(Standing)

# The review states (indicators/reporting/figure.py ReviewState) that stand submitted.
STANDING_STATES = frozenset({"submitted", "approved"})


def year_standing(rating: Rating, *, has_target: bool, pending: bool) -> Standing:
    """Return what the row shows: its rating, else 无目标, 待审核 or 未填报 (in that order).

    `has_target`: the plan sets a target (a figure or a text) for the year; `pending`: a
    figure was submitted and waits for review. A rated row keeps its rating, even while a
    correction waits: leaders see the approved figure until the correction is approved.
    """
    if rating != Rating.NO_DATA:
        return Standing(rating.value)
    if not has_target:
        return Standing.NO_TARGET
    return Standing.PENDING if pending else Standing.NO_DATA


def counted_submission(
    *, state: str | None, approved: bool, sample: bool, submitted_on: date | None
) -> date | None:
    """Return the day the department's figure was submitted, if it stands submitted.

    None for no figure, a sample (load_demo), a draft or a returned figure that has never
    been approved (their old submission day does not count), or one never submitted.
    An approved figure whose correction is in draft still stands: it was submitted.
    """
    if state is None or sample or submitted_on is None:
        return None
    if state in STANDING_STATES or approved:
        return submitted_on
    return None


class Punctuality(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    SUBMITTED = "submitted"  # no deadline set for the year
    MISSING = "missing"
    NOT_DUE = "not_due"  # no target for the year: nothing to submit


PUNCTUALITY_LABELS = {
    Punctuality.ON_TIME: "按时",
    Punctuality.LATE: "逾期",
    Punctuality.SUBMITTED: "已报送",
    Punctuality.MISSING: "未报送",
    Punctuality.NOT_DUE: "无需报送",
}


def punctuality(submitted_on: date | None, *, due: date | None, expected: bool) -> Punctuality:
    """Return whether a row was submitted on time; `submitted_on` from counted_submission()."""
    if not expected:
        return Punctuality.NOT_DUE
    if submitted_on is None:
        return Punctuality.MISSING
    if due is None:
        return Punctuality.SUBMITTED
    return Punctuality.ON_TIME if submitted_on <= due else Punctuality.LATE


def standing_counts(standings) -> dict[Standing, int]:
    """Count the standings, every one present (0 where none) in display order."""
    counts = dict.fromkeys(STANDING_ORDER, 0)
    for standing in standings:
        counts[standing] += 1
    return counts
