"""Writes and reads of notifications: create them, count the unread, mark them read.

The unread count is kept in the cache per user (the navigation shows it on every page);
every write here drops the user's cached count once the transaction commits, so the next
page counts again with one query.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators.models import Role, User

from .models import Notification, NotificationKind

# Every write here drops the count, so it is never stale in a shared cache (Redis); the
# timeout bounds how stale it can be where each process has its own (local memory).
UNREAD_TIMEOUT = 5 * 60


def unread_key(user_id: int) -> str:
    return f"workspace:unread:{user_id}"


def _forget_unread(user_ids: Iterable[int]) -> None:
    keys = [unread_key(pk) for pk in set(user_ids)]
    if keys:
        # Now, for this request's next page; and again at commit, in case another request
        # counted in between what this transaction had not yet committed.
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def unread_count(user) -> int:
    """The user's unread notifications: from the cache, else one query."""
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user).unread().count()
        cache.set(key, count, UNREAD_TIMEOUT)
    return count


def staff_of(department_ids: Iterable[int]) -> list[User]:
    """The active 填报员 of the departments (one query)."""
    ids = [pk for pk in department_ids if pk is not None]
    if not ids:
        return []
    return list(User.objects.filter(department_id__in=ids, role=Role.STAFF, is_active=True))


def staff_by_department(department_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active 填报员 of the departments, by department (one query, none for no id)."""
    staff: dict[int, list[User]] = {}
    for user in staff_of(set(department_ids)):
        staff.setdefault(user.department_id, []).append(user)
    return staff


@dataclass(frozen=True)
class Notice:
    """One message to several people: each gets a notification of their own."""

    recipients: tuple[User, ...]
    kind: NotificationKind
    title: str
    body: str = ""
    url: str = ""


@transaction.atomic
def notices_send(notices: Iterable[Notice]) -> list[Notification]:
    """Create the notifications of many notices in one insert (each recipient once per
    notice); return those created. For events told as they happen, not for scheduled
    ones (notifications_send with an event_key)."""
    made = []
    for notice in notices:
        people = {user.pk: user for user in notice.recipients if user is not None}
        made += [
            Notification(
                recipient=user,
                kind=notice.kind,
                title=notice.title[:200],
                body=notice.body,
                url=notice.url,
            )
            for user in people.values()
        ]
    if made:
        bulk_create_with_history(made, Notification)
        _forget_unread(n.recipient_id for n in made)
    return made


@transaction.atomic
def notifications_send(
    *,
    recipients: Iterable[User],
    kind: NotificationKind,
    title: str,
    body: str = "",
    url: str = "",
    event_key: str = "",
) -> list[Notification]:
    """Create one notification per recipient (each once); return those created.

    With an `event_key`, a recipient who already has that event gets nothing new: a
    scheduled notice sent twice in a day is sent once.
    """
    people = {user.pk: user for user in recipients if user is not None}
    if event_key:
        already = set(
            Notification.objects.filter(recipient_id__in=people, event_key=event_key).values_list(
                "recipient_id", flat=True
            )
        )
        people = {pk: user for pk, user in people.items() if pk not in already}
    made = [
        Notification(
            recipient=user, kind=kind, title=title[:200], body=body, url=url, event_key=event_key
        )
        for user in people.values()
    ]
    try:
        with transaction.atomic():
            bulk_create_with_history(made, Notification)
    except IntegrityError:
        # Another run of the same schedule got there first: that notice stands.
        if not event_key:
            raise
        return []
    _forget_unread(people)
    return made


@transaction.atomic
def notification_open(*, notification: Notification) -> Notification:
    """Mark the notification read (once); return it."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification._history_user = notification.recipient
        notification.save(update_fields=["read_at"])
        _forget_unread([notification.recipient_id])
    return notification


@transaction.atomic
def notifications_read_all(*, user) -> int:
    """Mark every unread notification of the user read; return how many."""
    unread = list(Notification.objects.filter(recipient=user).unread())
    for notification in unread:
        notification_open(notification=notification)
    return len(unread)
