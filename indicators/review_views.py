"""The plan office's deadline pages: set the reporting deadline, see who is late, remind them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .decorators import plan_admin_required
from .forms import DeadlineForm
from .models import Department, Plan, ReportingDeadline
from .params import ids_param
from .period import plan_and_year
from .reminders import late_work, reminders_send
from .selectors import days_left_text, deadline_of


@login_required
@plan_admin_required
def deadlines(request):
    plan, year, plans = plan_and_year(request)
    deadline = deadline_of(plan, year)
    form = DeadlineForm(initial={"due_date": deadline.due_date if deadline else None})
    today = timezone.localdate()
    context = {
        "plans": plans,
        "plan": plan,
        "year": year,
        "deadline": deadline,
        "days_left": days_left_text(deadline.due_date, today) if deadline else "",
        "form": form,
        "progress": late_work(plan, year),
    }
    return render(request, "indicators/deadlines.html", context)


@require_POST
@login_required
@plan_admin_required
def deadline_set(request, slug: str, year: int):
    plan = get_object_or_404(Plan, slug=slug)
    form = DeadlineForm(request.POST)
    if year in plan.years and form.is_valid():
        deadline, _created = ReportingDeadline.objects.get_or_create(
            plan=plan, year=year, defaults={"due_date": form.cleaned_data["due_date"]}
        )
        deadline.due_date = form.cleaned_data["due_date"]
        deadline.set_by = request.user
        deadline._history_user = request.user
        deadline.save()
        messages.success(
            request, f"{plan.short_name} {year} 年填报截止日期已设为 {deadline.due_date:%Y-%m-%d}"
        )
    else:
        messages.error(request, "截止日期无效，请选择一个日期。")
    return redirect(f"{reverse('deadlines')}?plan={plan.slug}&year={year}")


@require_POST
@login_required
@plan_admin_required
def reminders(request, slug: str, year: int):
    plan = get_object_or_404(Plan, slug=slug)
    late = {p.department_id for p in late_work(plan, year) if p.missing}
    wanted = set(ids_param(request, "department")) & late
    departments = list(Department.objects.filter(pk__in=wanted).order_by("name"))
    if not departments:
        messages.error(request, "请选择尚未提交完毕的单位。")
    else:
        outcome = reminders_send(plan=plan, year=year, departments=departments, sender=request.user)
        messages.success(request, f"已发送站内提醒：{'、'.join(outcome['notified'])}")
        if outcome["sent"]:
            messages.success(request, f"已发送提醒邮件：{'、'.join(outcome['sent'])}")
        if outcome["skipped"]:
            messages.warning(
                request,
                f"以下单位没有填写邮箱的填报员，未能发送：{'、'.join(outcome['skipped'])}"
                "（已收到站内提醒）",
            )
    return redirect(f"{reverse('deadlines')}?plan={plan.slug}&year={year}")
