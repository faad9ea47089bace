"""Sample actuals, so the dashboards are not empty on a first start (`load_demo`).

Every sample row is marked is_demo; pages that show one say 示例数据, `clear_demo`
removes exactly these, and a department's own save turns a sample slot into a real one.
The values are deterministic: the same figures on every machine.
"""

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from .actual_input import COUNT_UNITS
from .cache import bump_on_commit
from .models import Actual, ActualKind, ActualState, Attribute, Plan, TextStatus
from .selectors import reporting_year

SOURCE = "示例数据"


def _factor(plan_slug: str, number: int, year: int) -> Decimal:
    """Return a stable factor between 0.82 and 1.14 for a plan, indicator and year."""
    digest = hashlib.sha256(f"{plan_slug}/{number}/{year}".encode()).digest()
    return Decimal("0.82") + Decimal(digest[0] % 33) / Decimal(100)


def _sample(indicator, target, factor: Decimal) -> Decimal:
    places = Decimal(1) if indicator.unit in COUNT_UNITS else Decimal("0.01")
    value = (target * factor).quantize(places, rounding=ROUND_HALF_UP)
    if indicator.attribute == Attribute.RATIO and not indicator.is_rate:
        value = min(value, Decimal(100))
    return max(value, Decimal(0))


@transaction.atomic
def load() -> list[str]:
    """Create approved sample actuals where no figure exists yet; return a summary line.

    Once any real figure has been reported, samples are no longer added: they would mix
    with real ones.
    """
    if Actual.objects.filter(is_demo=False).exists():
        return ["已有各部门填报的真实数据，不再载入示例数据。"]
    now = timezone.now()
    created = 0
    for plan in Plan.objects.prefetch_related("indicators__targets", "indicators__actuals"):
        last = reporting_year(plan, timezone.localdate())
        samples = []
        for indicator in plan.indicators.all():
            taken = {a.year for a in indicator.actuals.all()}
            targets = {t.year: t for t in indicator.targets.all()}
            for year in range(plan.first_year, last + 1):
                target = targets.get(year)
                if year in taken or target is None:
                    continue
                sample = Actual(
                    indicator=indicator,
                    year=year,
                    kind=ActualKind.FINAL,
                    source=SOURCE,
                    state=ActualState.APPROVED,
                    approved_kind=ActualKind.FINAL,
                    approved_at=now,
                    submitted_at=now,
                    reviewed_at=now,
                    is_demo=True,
                )
                if target.text:
                    sample.text_status = sample.approved_text_status = TextStatus.DONE
                else:
                    value = _sample(
                        indicator, target.value, _factor(plan.slug, indicator.number, year)
                    )
                    sample.value = sample.approved_value = value
                    if value < target.value:
                        sample.explanation = sample.approved_explanation = (
                            "示例：受市场需求波动影响，部分项目进度滞后。"
                        )
                        sample.measures = sample.approved_measures = (
                            "示例：加强项目调度，加快在建项目投产。"
                        )
                samples.append(sample)
        Actual.objects.bulk_create(samples)
        if samples:  # bulk_create sends no signal: bump the plan's progress here
            bump_on_commit(plan.pk)
        created += len(samples)
    return [f"已载入示例实际值 {created} 条（页面标注“示例数据”，可用 clear_demo 删除）。"]


@transaction.atomic
def clear() -> int:
    """Delete the sample actuals, and only them; return how many were removed.

    QuerySet.delete sends post_delete for each row, so indicators/signals.py bumps their plans.
    """
    removed, _ = Actual.objects.filter(is_demo=True).delete()
    return removed


def clear_everywhere() -> int:
    """Delete the sample figures of every app (each app's demo.clear()) in one transaction;
    return how many were removed. What `clear_demo` does, for the 管理员's button."""
    from .management.commands.load_demo import demo_modules

    with transaction.atomic():
        return sum(module.clear() for module in demo_modules())
