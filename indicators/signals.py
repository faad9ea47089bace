"""Keep one Django group per role, with the permissions the role needs in the admin."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver

# The plan office manages every model of these apps in the Django admin.
ADMIN_APPS = ("indicators", "projects")


@receiver(post_migrate)
def ensure_role_groups(sender, **kwargs) -> None:
    from .users import ensure_role_groups as ensure

    if sender.name == "indicators":
        ensure()
