"""Two small guards for everything behind the login: an idle timeout and no caching."""

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.cache import patch_cache_control

# The time of the user's last request (whole seconds since the epoch), in the session.
LAST_SEEN = "_last_seen"
# The session is saved again (renewing its cookie and its expiry in the database) at most
# this often, not at every request: a request costs no write, and the timeout holds to
# the minute.
RENEW_EVERY = 60


class IdleSessionTimeoutMiddleware:
    """Log out a user whose previous request is more than SESSION_IDLE_SECONDS old.

    SESSION_COOKIE_AGE equals the idle time, so the session also lapses in the database
    (and its cookie) when nobody renews it; this middleware renews it while the user is
    active and logs out a session found idle, whatever the session engine.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(timezone.now().timestamp())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is None:
                # A session from before this middleware, or a login within the last
                # minute: the login itself is the last activity we know of.
                last_seen = int(user.last_login.timestamp()) if user.last_login else 0
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif now - last_seen >= RENEW_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class PrivateCacheControlMiddleware:
    """`Cache-Control: private, no-store` on every response to a logged-in user.

    Pages, the API, Excel downloads and evidence files carry figures that are not for the
    next user of a shared computer or for a proxy. Static files never reach this middleware
    (whitenoise answers them first) and keep their long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
