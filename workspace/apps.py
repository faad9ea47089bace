from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """Each user's own corner: where they land, their notifications, their default plan."""

    name = "workspace"
    verbose_name = _("工作台")

    def ready(self) -> None:
        # Tell people about reviews, comments and reminders (the kernel sends signals and
        # imports nothing of this app), and teach the review queue the projects' figures.
        from . import receivers, review_facts  # noqa: F401
