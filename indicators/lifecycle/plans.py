"""Creating, closing and reopening a plan (services: keyword-only, one transaction each)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import permissions
from ..cache import bump_on_commit
from ..importers.limits import WorkbookRefused
from ..models import Actual, Indicator, Plan, User

# Paths under /plans/ that a slug must not take.
RESERVED_SLUGS = {"new"}


class PlanRefused(Exception):
    """The plan cannot be created, closed or reopened; the message says why, in Chinese."""


class PlanClosed(WorkbookRefused):
    """The plan is closed: it takes no imports. A refused file, so every import path (web,
    command, load_plans) shows its message as it shows any other refusal."""


def closed_message(plan: Plan) -> str:
    return (
        f"规划“{plan.short_name}”已结束（{timezone.localtime(plan.closed_at):%Y-%m-%d}），"
        "不再接受填报、导入或修改。如确需补报，请规划办管理员先重新开启该规划。"
    )


def ensure_open(plan: Plan) -> None:
    """Raise PlanClosed with the Chinese message when the plan is closed."""
    if plan.is_closed:
        raise PlanClosed(closed_message(plan))


@transaction.atomic
def plan_create(
    *,
    slug: str,
    name: str,
    short_name: str,
    base_year: int,
    first_year: int,
    last_year: int,
    issuer: str = "",
    document_number: str = "",
    near_threshold: Decimal | None = None,
    predecessor: Plan | None = None,
    user: User | None,
) -> Plan:
    """Create an open plan without indicators; raise PlanRefused with every problem.

    `user` None is the command line (no one to record); on the web only the plan office.
    """
    if user is not None:
        permissions.require(permissions.can_manage_plans(user), "只有规划办管理员可以新建规划。")
    problems = []
    if slug in RESERVED_SLUGS:
        problems.append(f"标识“{slug}”为系统保留，请换一个。")
    if Plan.objects.filter(slug=slug).exists():
        problems.append(f"标识为“{slug}”的规划已存在。")
    if predecessor is not None and predecessor.last_year >= first_year:
        problems.append(
            f"前一规划“{predecessor.short_name}”到 {predecessor.last_year} 年结束，"
            f"新规划应从其后开始（现为 {first_year} 年）。"
        )
    plan = Plan(
        slug=slug,
        name=name,
        short_name=short_name,
        issuer=issuer,
        document_number=document_number,
        base_year=base_year,
        first_year=first_year,
        last_year=last_year,
        predecessor=predecessor,
    )
    if near_threshold is not None:
        plan.near_threshold = near_threshold
    if not base_year < first_year <= last_year:
        problems.append("年份应满足：基期年份 < 起始年份 ≤ 终止年份。")
    try:
        # Uniqueness and the year constraints are checked above, in our own words.
        plan.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems.extend(exc.messages)
    if problems:
        raise PlanRefused("；".join(dict.fromkeys(problems)))
    plan._history_user = user
    plan._change_reason = "新建规划"
    plan.save()
    return plan


def closing_blockers(plan: Plan) -> list[str]:
    """Return why the plan cannot close yet: indicators of the last year without an
    approved figure, and figures still waiting for review (two queries)."""
    year = plan.last_year
    approved = set(
        Actual.objects.filter(
            indicator__plan=plan, year=year, approved_at__isnull=False
        ).values_list("indicator_id", flat=True)
    )
    missing = [
        f"{number}. {name}"
        for pk, number, name in Indicator.objects.filter(plan=plan)
        .order_by("number")
        .values_list("pk", "number", "name")
        if pk not in approved
    ]
    pending = Actual.objects.filter(indicator__plan=plan, state="submitted").count()
    blockers = []
    if missing:
        shown = "、".join(missing[:10]) + (f" 等 {len(missing)} 项" if len(missing) > 10 else "")
        blockers.append(f"{year} 年（最后一年）尚无已审核实际值的指标：{shown}")
    if pending:
        blockers.append(f"还有 {pending} 项填报等待审核")
    return blockers


@transaction.atomic
def plan_close(*, plan: Plan, user: User) -> Plan:
    """Close the plan once its last year's figures are all approved; recorded in history."""
    permissions.require(permissions.can_manage_plans(user), "只有规划办管理员可以结束规划。")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_closed:
        raise PlanRefused(f"规划“{plan.short_name}”已经结束。")
    blockers = closing_blockers(plan)
    if blockers:
        raise PlanRefused(
            f"规划“{plan.short_name}”暂不能结束：" + "；".join(blockers) + "。请先完成填报和审核。"
        )
    plan.closed_at, plan.closed_by = timezone.now(), user
    plan._history_user, plan._change_reason = user, "结束规划"
    plan.save()
    bump_on_commit(plan.pk)
    return plan


@transaction.atomic
def plan_reopen(*, plan: Plan, user: User, reason: str) -> Plan:
    """Reopen a closed plan; the history records who, when and why."""
    permissions.require(permissions.can_manage_plans(user), "只有规划办管理员可以重新开启规划。")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_closed:
        raise PlanRefused(f"规划“{plan.short_name}”尚未结束，无需重新开启。")
    reason = reason.strip()
    if not reason:
        raise PlanRefused("重新开启规划时请填写原因。")
    plan.closed_at = plan.closed_by = None
    plan._history_user, plan._change_reason = user, f"重新开启规划：{reason}"
    plan.save()
    bump_on_commit(plan.pk)
    return plan
