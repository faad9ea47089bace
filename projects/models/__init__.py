"""The models: key tasks with their items, milestones and enterprises (tasks.py), and
major projects with their yearly investment (investment.py)."""

from .investment import (
    INVESTMENT_UNIT,
    Project,
    ProjectCategory,
    ProjectInvestment,
    ProjectQuerySet,
    ProjectStatus,
)
from .tasks import (
    STATUSES_BY_KIND,
    Enterprise,
    EnterpriseKind,
    EnterpriseStatus,
    KeyTask,
    Milestone,
    MilestoneProgress,
    TaskItem,
)

__all__ = [
    "INVESTMENT_UNIT",
    "STATUSES_BY_KIND",
    "Enterprise",
    "EnterpriseKind",
    "EnterpriseStatus",
    "KeyTask",
    "Milestone",
    "MilestoneProgress",
    "Project",
    "ProjectCategory",
    "ProjectInvestment",
    "ProjectQuerySet",
    "ProjectStatus",
    "TaskItem",
]
