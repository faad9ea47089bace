"""The unread count in the navigation: read from the cache, else one query, and only when a
template shows it."""

from django.utils.functional import SimpleLazyObject

from .notify import unread_count


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
