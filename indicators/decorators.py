from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _

from .permissions import can_review


def api_login_required(view):
    """Like login_required, but answers an API client with 401 JSON instead of a redirect."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse(
                {"error": _("未登录：请先登录后再调用接口。")},
                status=401,
                json_dumps_params={"ensure_ascii": False},
            )
        return view(request, *args, **kwargs)

    return wrapper


def plan_admin_required(view):
    """Allow only the plan office (管理员); everyone else gets 403. Use after login_required."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_review(request.user):
            raise PermissionDenied(_("只有规划办管理员可以执行此操作。"))
        return view(request, *args, **kwargs)

    return wrapper
