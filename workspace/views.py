"""Each user's pages: where they land, their notifications, their settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.params import page_param
from indicators.permissions import is_active, is_recipient, object_for_user_or_404, require

from .forms import PreferenceForm
from .landing import landing_url
from .models import Notification, Preference
from .notify import notification_open, notifications_read_all
from .services import preference_save

PER_PAGE = 30


@login_required
def landing(request):
    """Send each role to its work (landing.py)."""
    return redirect(landing_url(request.user, timezone.localdate()))


@login_required
def notification_list(request):
    require(is_active(request.user), _("账号已停用。"))
    notifications = Notification.objects.filter(recipient=request.user)
    page = Paginator(notifications, PER_PAGE).get_page(page_param(request))
    return render(request, "workspace/notifications.html", {"page": page})


@login_required
def notification_detail(request, pk: int):
    """Opening a notification marks it read and goes where it points."""
    notification = object_for_user_or_404(
        Notification.objects.all(), request.user, may=is_recipient, pk=pk
    )
    notification_open(notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications")


@require_POST
@login_required
def notifications_read(request):
    require(is_active(request.user), _("账号已停用。"))
    count = notifications_read_all(user=request.user)
    messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
    return redirect("notifications")


@login_required
def preferences(request):
    """The user's settings: the default plan they land on."""
    require(is_active(request.user), _("账号已停用。"))
    preference = Preference.objects.filter(user=request.user).first()
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        preference_save(user=request.user, default_plan=form.cleaned_data["default_plan"])
        messages.success(request, _("个人设置已保存。"))
        return redirect("preferences")
    return render(request, "workspace/preferences.html", {"form": form})
