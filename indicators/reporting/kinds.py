"""The kinds of reported figure, each registered once by the app that owns it.

The review queue, the review service, history and the Excel pipeline work on any kind
through this registry, so `indicators` never imports `projects`: the projects app
registers its kinds (investment, milestone progress) in its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from .figure import ReviewedFigure
from .workflow import saver


@dataclass(frozen=True)
class ReviewLine:
    """One submitted figure as the reviewer reads it; every text already formatted."""

    subject: str
    url: str
    department: str
    plan_name: str
    figures: list[tuple[str, str, str]]  # (label, working value, approved value or "")
    target: str = "—"
    previous: str = "—"
    previous_label: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)  # (原因 / 措施 / 说明, text)
    source: str = ""


@dataclass(frozen=True)
class FigureKind:
    """What the kernel needs to know about one kind of reported figure."""

    key: str  # also the form field that carries its ids in a review post
    label: str  # 指标实际值, 项目投资, 任务目标完成值
    noun: str  # as in “… 2022 年的投资”
    model: type[ReviewedFigure]
    subject: str  # the figure's foreign key to what it measures
    plan_lookup: str  # from the figure to its plan
    order: tuple[str, ...]  # the queue's order
    name_of: Callable[[object], str]  # the subject as people cite it: “26. 高新技术企业”
    shown: Callable[[ReviewedFigure], str]  # the working figure in words: “260 家”
    review_line: Callable[[ReviewedFigure], ReviewLine]
    also_related: tuple[str, ...] = ()  # select_related besides the path to the plan
    prefetch: tuple = ()  # what review_line reads besides
    # (subject, entry, year, submitting) → the rules the entry breaks (workflow.saver)
    rules: Callable[..., list] = lambda subject, entry, year, submitting: []
    plan_of: Callable[[object], object] = lambda subject: subject.plan
    not_allowed: str = "只有负责填报的单位或规划办管理员可以填报。"

    def describe(self, figure: ReviewedFigure) -> str:
        """The figure's subject as people cite it."""
        return self.name_of(getattr(figure, self.subject))

    def what(self, figure: ReviewedFigure) -> str:
        """The figure in a sentence: “12. 某项目 2022 年的投资”."""
        return f"{self.describe(figure)} {figure.year} 年的{self.noun}"

    @cached_property
    def save(self) -> Callable:
        """The kind's save service (workflow.saver)."""
        return saver(self)

    def queryset(self):
        """The figures with their subject, plan and who entered them, for the queue and review."""
        related = (self.plan_lookup, *self.also_related, "entered_by", "submitted_by")
        return self.model.objects.select_related(*related)

    def figure_of(self, subject, year: int):
        """The subject's figure for the year, or None."""
        return self.model.objects.filter(**{self.subject: subject, "year": year}).first()


_KINDS: dict[str, FigureKind] = {}


def register(kind: FigureKind) -> FigureKind:
    _KINDS[kind.key] = kind
    return kind


def all_kinds() -> list[FigureKind]:
    return list(_KINDS.values())


def get(key: str) -> FigureKind | None:
    return _KINDS.get(key)
