"""The 管理员's button on the sample-data banner: confirm, then remove every sample figure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import demo
from .permissions import can_remove_samples, require


@login_required
@require_http_methods(["GET", "POST"])
def samples_remove(request):
    """GET asks for confirmation; POST removes the samples (real figures are untouched)."""
    require(can_remove_samples(request.user), _("只有规划办管理员可以删除示例数据。"))
    if request.method == "POST":
        removed = demo.clear_everywhere()
        messages.success(
            request, _("已删除示例数据 %(count)d 条，真实数据未受影响。") % {"count": removed}
        )
        return redirect("overview")
    return render(request, "indicators/samples_remove.html")
