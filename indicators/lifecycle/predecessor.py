"""A plan that follows another: its indicators copied and linked, base values proposed.

The base value of a copied indicator is never set silently: `base_proposals` lists the
predecessor's approved actual for the new plan's base year, and only
`base_proposals_confirm` (the 管理员's button, or `confirm_base_values`) writes it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from .. import permissions
from ..cache import bump_on_commit
from ..models import Actual, Indicator, IndicatorGroup, Plan, User
from .plans import PlanRefused, ensure_open

COPY_REASON = "从前一规划复制指标"
BASE_REASON = "确认基期值建议（前一规划已审核实际值）"


@transaction.atomic
def indicators_copy_from_predecessor(*, plan: Plan, user: User | None) -> list[Indicator]:
    """Copy the predecessor's indicators into the plan, each linked to its original.

    Name, unit, attribute, direction, rate flag, group, lead and responsible units are
    copied; the base value and the targets are not (they belong to the new plan). An
    indicator whose number the plan already has is left out. Returns the copies.
    """
    if user is not None:
        permissions.require(permissions.can_manage_plans(user), "只有规划办管理员可以复制指标。")
    ensure_open(plan)
    if plan.predecessor_id is None:
        raise PlanRefused(f"规划“{plan.short_name}”没有设定前一规划，无从复制指标。")
    taken = set(plan.indicators.values_list("number", flat=True))
    groups = {g.name: g for g in plan.groups.all()}
    originals = (
        Indicator.objects.filter(plan_id=plan.predecessor_id)
        .select_related("group")
        .prefetch_related("responsible_departments")
        .order_by("number")
    )
    copies = []
    for original in originals:
        if original.number in taken:
            continue
        group = None
        if original.group is not None:
            group = groups.get(original.group.name)
            if group is None:
                group = IndicatorGroup(
                    plan=plan, name=original.group.name, order=original.group.order
                )
                group._history_user, group._change_reason = user, COPY_REASON
                group.save()
                groups[group.name] = group
        copy = Indicator(
            plan=plan,
            group=group,
            number=original.number,
            name=original.name,
            unit=original.unit,
            attribute=original.attribute,
            direction=original.direction,
            is_rate=original.is_rate,
            lead_department_id=original.lead_department_id,
            predecessor=original,
        )
        copy._history_user, copy._change_reason = user, COPY_REASON
        copy.save()
        copy.responsible_departments.set(original.responsible_departments.all())
        copies.append(copy)
    bump_on_commit(plan.pk)
    return copies


@dataclass(frozen=True)
class BaseProposal:
    """The predecessor's approved actual for the plan's base year, proposed as base value."""

    indicator: Indicator
    original: Indicator
    year: int
    value: Decimal
    current: Decimal | None

    @property
    def is_applied(self) -> bool:
        return self.current == self.value


def base_proposals(plan: Plan) -> list[BaseProposal]:
    """Return a proposal per linked indicator whose original has an approved numeric actual
    for the plan's base year (two queries), applied or not."""
    linked = list(
        Indicator.objects.filter(plan=plan, predecessor__isnull=False)
        .select_related("predecessor")
        .order_by("number")
    )
    actuals = {
        a.indicator_id: a.approved_value
        for a in Actual.objects.filter(
            indicator_id__in=[i.predecessor_id for i in linked],
            year=plan.base_year,
            approved_at__isnull=False,
            approved_value__isnull=False,
        ).only("indicator_id", "approved_value")
    }
    return [
        BaseProposal(i, i.predecessor, plan.base_year, actuals[i.predecessor_id], i.base_value)
        for i in linked
        if i.predecessor_id in actuals
    ]


class StaleProposal(Exception):
    """The proposals changed since the 管理员 saw them."""


@transaction.atomic
def base_proposals_confirm(
    *, plan: Plan, user: User | None, shown: dict[int, Decimal] | None = None
) -> list[BaseProposal]:
    """Apply the pending proposals as base values; return those applied.

    `shown` (number → value) is what the 管理员 confirmed: only those are applied, and a
    proposal that changed since (a figure corrected meanwhile) raises StaleProposal.
    """
    if user is not None:
        permissions.require(permissions.can_manage_plans(user), "只有规划办管理员可以确认基期值。")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    ensure_open(plan)
    pending = [p for p in base_proposals(plan) if not p.is_applied]
    if shown is not None:
        current = {p.indicator.number: p.value for p in pending}
        if any(current.get(number) != value for number, value in shown.items()):
            raise StaleProposal
        pending = [p for p in pending if p.indicator.number in shown]
    for proposal in pending:
        indicator = proposal.indicator
        indicator.base_value = proposal.value
        indicator._history_user, indicator._change_reason = user, BASE_REASON
        indicator.save(update_fields=["base_value"])
    return pending
