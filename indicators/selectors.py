"""Reads for pages and the API, each a fixed number of queries whatever the data size."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from .models import Indicator, Plan, Target

UNASSIGNED = "未分配"


def plans_with_counts() -> QuerySet[Plan]:
    """Return the plans with `indicator_count` annotated (one query)."""
    return Plan.objects.annotate(indicator_count=Count("indicators")).order_by("first_year", "slug")


@dataclass
class IndicatorLine:
    """An indicator with its targets laid out over the plan years, for a table row."""

    indicator: Indicator
    targets: list[Target | None]

    @property
    def lead_name(self) -> str:
        lead = self.indicator.lead_department
        return lead.name if lead else UNASSIGNED

    @property
    def responsible_names(self) -> list[str]:
        return [d.name for d in self.indicator.responsible_departments.all()]


def plan_indicator_lines(plan: Plan) -> list[IndicatorLine]:
    """Return the plan's indicators in order, each with one target slot per plan year."""
    years = plan.years
    lines = []
    for indicator in Indicator.objects.filter(plan=plan).for_listing():
        by_year = {target.year: target for target in indicator.targets.all()}
        lines.append(IndicatorLine(indicator, [by_year.get(year) for year in years]))
    return lines
