"""The navigation's questions: which report pages the user has work in (base.html)."""

from django import template
from django.db.models import Q

from indicators.models import Indicator
from indicators.permissions import has_reporting_work
from projects.models import Enterprise, Milestone, Project

register = template.Library()


@register.simple_tag(takes_context=True)
def reporting_menus(context) -> set[str]:
    """The report pages to list: "report" (我的填报), "projects" (项目填报), "tasks" (任务填报).

    Staff see only those where their department has something to report (one query);
    the plan office sees all of them, leaders none.
    """
    user = context["user"]
    department = user.department_id
    return has_reporting_work(
        user,
        {
            "report": lambda: [
                Indicator.objects.filter(
                    Q(lead_department=department) | Q(responsible_departments=department)
                )
            ],
            "projects": lambda: [Project.objects.reportable_by(user)],
            "tasks": lambda: [
                Milestone.objects.reportable_by(user),
                Enterprise.objects.filter(task__lead_departments=department),
            ],
        },
    )
