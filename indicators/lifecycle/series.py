"""One series across plans: the indicators linked to an indicator in the plans before and after."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Indicator, Plan, TargetRevision, with_revisions
from .targets import TargetInForce, targets_in_force


@dataclass
class LinkedSeries:
    """A linked indicator of another plan: its targets in force and approved actuals."""

    indicator: Indicator
    plan: Plan
    targets: dict[int, TargetInForce]
    actuals: dict[int, Decimal]
    is_before: bool  # a plan before the indicator's own (else after it)


def with_lineage(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Annotate `has_successor` and `has_revisions`, so an indicator page spends no query
    on links or revisions an indicator does not have."""
    return indicators.annotate(
        has_successor=Exists(Indicator.objects.filter(predecessor=OuterRef("pk"))),
        has_revisions=Exists(TargetRevision.objects.filter(indicator=OuterRef("pk"))),
    )


def linked_series(indicator: Indicator) -> list[LinkedSeries]:
    """Return the linked indicators of the previous and next plans, earliest first.

    Three queries whatever the number of links: the indicators with their plans, their
    targets with revisions, their actuals; none for an indicator annotated by with_lineage
    that has no link.
    """
    if indicator.predecessor_id is None and not getattr(indicator, "has_successor", True):
        return []
    linked = (
        Indicator.objects.filter(Q(pk=indicator.predecessor_id) | Q(predecessor=indicator))
        .select_related("plan")
        .prefetch_related(with_revisions("targets"), "actuals")
        .order_by("plan__first_year")
    )
    series = []
    for other in linked:
        approved = {
            a.year: a.approved_value
            for a in other.actuals.all()
            if a.approved_at is not None and a.approved_value is not None
        }
        series.append(
            LinkedSeries(
                other,
                other.plan,
                targets_in_force(other),
                approved,
                is_before=other.plan.last_year < indicator.plan.first_year,
            )
        )
    return series
