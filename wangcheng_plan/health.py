"""`/healthz/`: the liveness answer for a load balancer, a monitor or `make bench`."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request):
    """Return 200 `ok` (text/plain): this process answers requests.

    It reads neither the database nor the session, so it costs no query: a request without
    a cookie passes every middleware untouched (tests/test_health.py pins it). A monitor
    that also wants the database checked should ask a page; this is for "is it up".
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
