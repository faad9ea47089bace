"""Which target is in force for a year, and the revision of targets (目标调整).

`targets_in_force(indicator)` is the one place the progress rules read a year's target
(indicators/scorecard.py): a live revision replaces the stated target there, and the
stated one stays beside it for every page to show. The stated Target row is never changed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import permissions
from ..cache import bump_on_commit
from ..models import Indicator, Target, TargetRevision, User

REVISED_LABEL = "调整后目标"


@dataclass(frozen=True)
class TargetInForce:
    """A year's target as the rules use it: the revised one where revised, else the stated.

    `value`/`text`/`is_derived` read like a Target's, so every reader of targets works
    unchanged; `stated_value`/`stated_text` are the plan's own target.
    """

    year: int
    value: Decimal | None
    text: str
    is_derived: bool
    stated_value: Decimal | None = None
    stated_text: str = ""
    revision_id: int | None = None

    @property
    def is_revised(self) -> bool:
        return self.revision_id is not None

    @property
    def stated(self) -> "TargetInForce":
        """The plan's own target, for showing beside the revised one."""
        return TargetInForce(self.year, self.stated_value, self.stated_text, False)


def in_force(target: Target) -> TargetInForce:
    """Return the target in force for the Target row (annotated by models.with_revisions;
    a row loaded without the annotation counts as unrevised)."""
    revision_id = getattr(target, "revision_id", None)
    if revision_id is None:
        return TargetInForce(
            target.year,
            target.value,
            target.text,
            target.is_derived,
            stated_value=target.value,
            stated_text=target.text,
        )
    return TargetInForce(
        target.year,
        target.revised_value,
        target.revised_text or "",
        False,
        stated_value=target.value,
        stated_text=target.text,
        revision_id=revision_id,
    )


def targets_in_force(indicator: Indicator) -> dict[int, TargetInForce]:
    """Year → the target in force, from the indicator's prefetched targets (no query)."""
    return {target.year: in_force(target) for target in indicator.targets.all()}


def revised_text(target: TargetInForce | None, unit: str) -> str:
    """Say that a target was revised and from what: “调整后目标（原目标 3,000 亿元）”."""
    from ..formatting import figure_text

    if target is None or not target.is_revised:
        return ""
    stated = target.stated_text or figure_text(target.stated_value, unit)
    return f"{REVISED_LABEL}（原目标 {stated}）"


class RevisionRefused(Exception):
    """The revision breaks a rule; the message says which, in Chinese."""


@transaction.atomic
def target_revise(
    *,
    indicator: Indicator,
    year: int,
    value: Decimal | None,
    text: str,
    reason: str,
    document_number: str,
    user: User,
) -> TargetRevision:
    """Revise the indicator's target for `year`; the live revision before it is ended.

    Only the plan office revises targets, of an open plan, for a year the plan states a
    target for. Bumps the plan's data version (indicators/cache.py).
    """
    permissions.require(permissions.can_manage_plans(user), "只有规划办管理员可以调整目标。")
    plan = indicator.plan
    if plan.is_closed:
        raise RevisionRefused(
            f"规划“{plan.short_name}”已结束，不能再调整目标；如需调整请先重新开启。"
        )
    target = Target.objects.filter(indicator=indicator, year=year).first()
    if target is None:
        raise RevisionRefused(f"{indicator.name} 在 {year} 年没有规划目标，无从调整。")
    if (value is None) == (not text):
        raise RevisionRefused("请填写调整后的目标值或文字目标（二者填一项）。")
    now = timezone.now()
    for live in TargetRevision.objects.select_for_update().filter(
        indicator=indicator, year=year, ended_at__isnull=True
    ):
        live.ended_at, live.ended_by, live.end_reason = now, user, "被新的目标调整取代"
        live._history_user, live._change_reason = user, "被新的目标调整取代"
        live.save()
    revision = TargetRevision(
        indicator=indicator,
        year=year,
        value=value,
        text=text,
        reason=reason.strip(),
        document_number=document_number.strip(),
        revised_by=user,
    )
    try:
        revision.full_clean()
    except ValidationError as exc:
        raise RevisionRefused("；".join(exc.messages)) from exc
    revision._history_user = user
    revision._change_reason = f"调整{year}年目标：{revision.reason}（{revision.document_number}）"
    revision.save()
    bump_on_commit(plan.pk)
    return revision


@transaction.atomic
def revision_withdraw(*, revision: TargetRevision, user: User, reason: str) -> TargetRevision:
    """End a live revision: the stated target is in force again. Bumps the plan's version."""
    permissions.require(permissions.can_manage_plans(user), "只有规划办管理员可以撤销目标调整。")
    revision = (
        TargetRevision.objects.select_for_update()
        .select_related("indicator__plan")
        .get(pk=revision.pk)
    )
    if revision.ended_at is not None:
        raise RevisionRefused("该目标调整已失效，无需撤销。")
    if revision.indicator.plan.is_closed:
        raise RevisionRefused("规划已结束，不能撤销目标调整；如需修改请先重新开启。")
    reason = reason.strip()
    if not reason:
        raise RevisionRefused("撤销目标调整时请填写原因。")
    revision.ended_at, revision.ended_by, revision.end_reason = timezone.now(), user, reason
    revision._history_user, revision._change_reason = user, f"撤销目标调整：{reason}"
    revision.save()
    bump_on_commit(revision.indicator.plan_id)
    return revision


def revisions_of(indicator: Indicator) -> list[TargetRevision]:
    """Every revision of the indicator's targets, live and ended, newest first per year: who
    revised what, when and why. One query; none for an indicator that series.with_lineage
    found without any."""
    if not getattr(indicator, "has_revisions", True):
        return []
    return list(
        TargetRevision.objects.filter(indicator=indicator)
        .select_related("revised_by", "ended_by")
        .order_by("year", "-revised_at", "-pk")
    )
