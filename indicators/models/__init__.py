"""The models: the plan itself (plan.py), the yearly reporting (reporting.py) and the
life of a plan (lineage.py, lifecycle.py: closing, predecessors, revised targets)."""

from .lifecycle import TargetRevision, with_revisions
from .plan import (
    FIGURE_DECIMALS,
    FIGURE_DIGITS,
    Attribute,
    Department,
    Direction,
    Indicator,
    IndicatorGroup,
    IndicatorQuerySet,
    Plan,
    Role,
    SheetImport,
    Target,
    User,
    figure_field,
)
from .reporting import (
    Actual,
    ActualKind,
    ActualState,
    Comment,
    Evidence,
    ReportingDeadline,
    TextStatus,
)

__all__ = [
    "FIGURE_DECIMALS",
    "FIGURE_DIGITS",
    "Actual",
    "ActualKind",
    "ActualState",
    "Attribute",
    "Comment",
    "Department",
    "Direction",
    "Evidence",
    "Indicator",
    "IndicatorGroup",
    "IndicatorQuerySet",
    "Plan",
    "ReportingDeadline",
    "Role",
    "SheetImport",
    "Target",
    "TargetRevision",
    "TextStatus",
    "User",
    "figure_field",
    "with_revisions",
]
