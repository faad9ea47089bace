"""Deadline notices: 7 days before, the day before, and after the deadline while work is missing.

Run daily (`manage.py send_deadline_notices`, from cron); each notice names its event and
day, so a second run the same day sends nothing new.
"""

from datetime import date

from django.urls import reverse

from indicators.models import ReportingDeadline
from indicators.reminders import late_work

from .models import NotificationKind
from .notify import notifications_send, staff_of

AHEAD = {7: NotificationKind.DEADLINE_WEEK, 1: NotificationKind.DEADLINE_DAY}


def _notice(kind: NotificationKind, deadline, names: str) -> tuple[str, str]:
    plan, year, due = deadline.plan, deadline.year, f"{deadline.due_date:%Y年%m月%d日}"
    what = f"{plan.short_name} {year} 年实际值"
    if kind == NotificationKind.DEADLINE_PASSED:
        title = f"{what}填报已过截止日期（{due}），仍有指标未提交"
    elif kind == NotificationKind.DEADLINE_DAY:
        title = f"{what}明天（{due}）截止填报"
    else:
        title = f"{what}将于 7 天后（{due}）截止填报"
    return title, f"尚未提交：{names}"


def deadline_notices_send(*, today: date) -> int:
    """Send today's deadline notices to the staff of departments with missing indicators;
    return how many notifications were created."""
    sent = 0
    for deadline in ReportingDeadline.objects.select_related("plan"):
        days = (deadline.due_date - today).days
        kind = AHEAD.get(days) or (NotificationKind.DEADLINE_PASSED if days < 0 else None)
        if kind is None:
            continue
        url = reverse("report_page", args=[deadline.plan.slug, deadline.year])
        for row in late_work(deadline.plan, deadline.year):
            if not row.missing:
                continue
            names = "、".join(f"{i.number}. {i.name}" for i in row.missing)
            title, body = _notice(kind, deadline, names)
            sent += len(
                notifications_send(
                    recipients=staff_of([row.department_id]),
                    kind=kind,
                    title=title,
                    body=body,
                    url=url,
                    event_key=f"{kind}:{deadline.pk}:{deadline.year}:{today:%Y%m%d}",
                )
            )
    return sent
