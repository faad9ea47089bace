"""Who is late, and reminding them: by email (Django's mail backend; the console by default)
and in the app (the `reminder_sent` signal; the workspace app turns it into notifications)."""

from dataclasses import dataclass, field

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Prefetch
from django.dispatch import Signal
from django.utils import timezone

from .models import Actual, Department, Indicator, Plan, ReportingDeadline, Role, Target, User
from .reporting.figure import ReviewState
from .selectors import days_left_text

# Sent once per reminder run with `plan`, `year`, `departments` and `text` (the message).
reminder_sent = Signal()


@dataclass
class DepartmentWork:
    """A lead department's indicators for a plan-year: what it reported and what is missing.

    Only real figures count: a sample (示例数据) is nobody's submission.
    """

    department_id: int
    name: str
    led: int = 0  # indicators with a target this year
    submitted: int = 0  # submitted, approved, or approved with a correction under way
    approved: int = 0
    without_target: int = 0  # 无目标: nothing to report this year
    last_submitted_at: object = None
    missing: list[Indicator] = field(default_factory=list)

    @property
    def missing_count(self) -> int:
        return len(self.missing)


def _is_reported(actual: Actual | None) -> bool:
    if actual is None or actual.is_demo:
        return False
    return actual.approved_at is not None or actual.state == ReviewState.SUBMITTED


def late_work(plan: Plan, year: int) -> list[DepartmentWork]:
    """Per lead department, by name, what it has reported for the year and which indicators
    are missing (three queries, whatever the number of indicators)."""
    indicators = (
        Indicator.objects.filter(plan=plan, lead_department__isnull=False)
        .select_related("lead_department")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.filter(year=year), to_attr="year_targets"),
            Prefetch(
                "actuals",
                queryset=Actual.objects.filter(year=year, is_demo=False),
                to_attr="year_actuals",
            ),
        )
        .order_by("number")
    )
    work: dict[int, DepartmentWork] = {}
    for indicator in indicators:
        lead = indicator.lead_department
        row = work.setdefault(lead.pk, DepartmentWork(lead.pk, lead.name))
        actual = indicator.year_actuals[0] if indicator.year_actuals else None
        if not indicator.year_targets:
            row.without_target += 1
            continue
        row.led += 1
        if not _is_reported(actual):
            row.missing.append(indicator)
            continue
        row.submitted += 1
        row.approved += actual.approved_at is not None
        if actual.submitted_at and (
            row.last_submitted_at is None or actual.submitted_at > row.last_submitted_at
        ):
            row.last_submitted_at = actual.submitted_at
    return sorted(work.values(), key=lambda row: row.name)


def reminders_send(*, plan: Plan, year: int, departments: list[Department], sender: User) -> dict:
    """Remind the departments in the app, and by email every 填报员 with an address.

    Returns the names of the departments `notified` in the app, `sent` an email, and
    `skipped` by email (no 填报员 with an address).
    """
    deadline = ReportingDeadline.objects.filter(plan=plan, year=year).first()
    when = ""
    if deadline:
        left = days_left_text(deadline.due_date, timezone.localdate())
        when = f"截止日期为 {deadline.due_date:%Y年%m月%d日}（{left}）。"
    missing = {row.department_id: row.missing for row in late_work(plan, year)}
    staff = User.objects.filter(
        department__in=departments, role=Role.STAFF, is_active=True
    ).exclude(email="")
    by_department: dict[int, list[str]] = {}
    for user in staff:
        by_department.setdefault(user.department_id, []).append(user.email)
    messages, sent, skipped = [], [], []
    subject = f"【规划指标监测平台】请尽快填报 {plan.short_name} {year} 年实际值"
    for department in departments:
        names = "、".join(f"{i.number}. {i.name}" for i in missing.get(department.pk, []))
        body = (
            f"{department.name}：\n\n"
            f"贵单位牵头的 {plan.short_name} {year} 年指标实际值尚未全部提交"
            f"{f'（未提交：{names}）' if names else ''}。"
            f"{when}请登录规划指标监测平台“我的填报”完成填报。\n\n规划办 {sender.username}"
        )
        with transaction.atomic():
            reminder_sent.send(
                sender=Department, plan=plan, year=year, departments=[department], text=body
            )
        addresses = by_department.get(department.pk)
        if not addresses:
            skipped.append(department.name)
            continue
        messages.append((subject, body, None, addresses))
        sent.append(department.name)
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return {"notified": [d.name for d in departments], "sent": sent, "skipped": skipped}
