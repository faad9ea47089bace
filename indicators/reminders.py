"""Reminding late departments by email (Django's mail backend; the console by default)."""

from django.core.mail import send_mass_mail
from django.utils import timezone

from .models import Department, Plan, ReportingDeadline, Role, User
from .selectors import days_left_text


def reminders_send(*, plan: Plan, year: int, departments: list[Department], sender: User) -> dict:
    """Email every 填报员 with an address in the departments; return sent and skipped names."""
    deadline = ReportingDeadline.objects.filter(plan=plan, year=year).first()
    when = ""
    if deadline:
        left = days_left_text(deadline.due_date, timezone.localdate())
        when = f"截止日期为 {deadline.due_date:%Y年%m月%d日}（{left}）。"
    staff = User.objects.filter(
        department__in=departments, role=Role.STAFF, is_active=True
    ).exclude(email="")
    by_department: dict[int, list[str]] = {}
    for user in staff:
        by_department.setdefault(user.department_id, []).append(user.email)
    messages, sent, skipped = [], [], []
    for department in departments:
        addresses = by_department.get(department.pk)
        if not addresses:
            skipped.append(department.name)
            continue
        subject = f"【规划指标监测平台】请尽快填报 {plan.short_name} {year} 年实际值"
        body = (
            f"{department.name}：\n\n"
            f"贵单位牵头的 {plan.short_name} {year} 年指标实际值尚未全部提交。"
            f"{when}请登录规划指标监测平台“我的填报”完成填报。\n\n规划办 {sender.username}"
        )
        messages.append((subject, body, None, addresses))
        sent.append(department.name)
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return {"sent": sent, "skipped": skipped}
