"""Keep one Django group per role, with the permissions the role needs in the admin."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def ensure_role_groups(sender, **kwargs) -> None:
    from .users import ensure_role_groups as ensure

    # After every app: the 管理员 group must also get the permissions of apps migrated
    # after this one (projects). It is idempotent and cheap.
    ensure()
