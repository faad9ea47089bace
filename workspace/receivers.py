"""Notifications for what happens elsewhere: a figure reviewed, a comment, a reminder.

The senders (indicators' kernel, comment model and reminders) know nothing of this app;
each receiver runs inside the sender's transaction, so a review rolled back tells no one.
"""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from indicators.models import Comment
from indicators.reminders import reminder_sent
from indicators.reporting import kinds
from indicators.reporting.workflow import figure_reviewed, figures_reviewed

from .models import NotificationKind
from .notify import (
    Notice,
    notices_send,
    notifications_send,
    staff_by_department,
    staff_of,
    unread_count,
)

# Where a department works on each kind of figure: name of the page (slug, year).
REPORT_PAGES = {"actual": "report_page", "investment": "project_report", "progress": "task_report"}


def kind_of(figure):
    return next((k for k in kinds.all_kinds() if k.model is type(figure)), None)


def figure_url(kind, figure, pages: dict) -> str:
    """The page where the department sees the figure, at its line when there is one.

    `pages` keeps the pages reversed so far, by (page, plan, year): a batch of figures
    reverses each page once.
    """
    page = REPORT_PAGES.get(kind.key)
    if page is None:
        return ""
    subject = getattr(figure, kind.subject)
    key = (page, kind.plan_of(subject).slug, figure.year)
    if key not in pages:
        pages[key] = reverse(page, args=key[1:])
    number = getattr(subject, "number", None)
    return f"{pages[key]}#indicator-{number}" if kind.key == "actual" else pages[key]


def figure_people(kind, figure, reviewer, staff: dict[int, list]) -> list:
    """The reporting department's staff and whoever entered or submitted the figure.

    `staff` holds the staff of the departments by department (staff_by_department).
    """
    subject = getattr(figure, kind.subject)
    people = [p for pk in subject.reporting_department_ids() for p in staff.get(pk, [])]
    people += [figure.submitted_by, figure.entered_by]
    return [p for p in people if p is not None and p.is_active and p.pk != reviewer.pk]


@receiver(figure_reviewed)
def tell_reviewed(sender, *, figure, user, approved: bool, **kwargs) -> None:
    tell_many_reviewed(sender, figures=[figure], user=user, approved=approved)


@receiver(figures_reviewed)
def tell_many_reviewed(sender, *, figures, user, approved: bool, **kwargs) -> None:
    """Each reviewed figure tells its people; the staff of all of them read in one query
    and every notification written in one insert, however many figures were reviewed."""
    found = [(kind_of(figure), figure) for figure in figures]
    found = [(kind, figure) for kind, figure in found if kind is not None]
    if not found:
        return
    staff = staff_by_department(
        pk
        for kind, figure in found
        for pk in getattr(figure, kind.subject).reporting_department_ids()
    )
    pages: dict = {}
    notices = []
    for kind, figure in found:
        people = figure_people(kind, figure, user, staff)
        if not people:
            continue
        what = kind.what(figure)
        if approved:
            kind_code, title, body = NotificationKind.APPROVED, f"{what}已审核通过", ""
        else:
            kind_code = NotificationKind.RETURNED
            title = f"{what}被退回"
            body = f"退回原因：{figure.return_reason}"
        notices.append(
            Notice(tuple(people), kind_code, title, body, figure_url(kind, figure, pages))
        )
    if notices:
        notices_send(notices)


@receiver(post_save, sender=Comment)
def tell_commented(sender, *, instance: Comment, created: bool, **kwargs) -> None:
    """A remark on an indicator reaches its lead department's staff (not the author)."""
    if not created:
        return
    indicator = instance.indicator
    people = [p for p in staff_of([indicator.lead_department_id]) if p.pk != instance.author_id]
    who = instance.department.name if instance.department else instance.author.username
    url = reverse("report_page", args=[indicator.plan.slug, instance.year])
    notifications_send(
        recipients=people,
        kind=NotificationKind.COMMENT,
        title=f"{who}对 {indicator.number}. {indicator.name}（{instance.year}年）提出意见",
        body=instance.text,
        url=f"{url}#indicator-{indicator.number}",
    )


@receiver(reminder_sent)
def tell_reminded(sender, *, plan, year: int, departments, text: str, **kwargs) -> None:
    """A reminder from 填报进度 reaches every 填报员 of the departments, with or without email."""
    notifications_send(
        recipients=staff_of([d.pk for d in departments]),
        kind=NotificationKind.REMINDER,
        title=f"请尽快填报 {plan.short_name} {year} 年实际值",
        body=text,
        url=reverse("report_page", args=[plan.slug, year]),
    )


@receiver(user_logged_in)
def count_unread_at_login(sender, *, user, **kwargs) -> None:
    """Count the unread notifications once at login, so pages read the count from the cache."""
    unread_count(user)
