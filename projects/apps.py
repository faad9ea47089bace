from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("重点任务与项目")

    def ready(self) -> None:
        # Register investments and milestone progress with the reporting kernel.
        from . import investments, milestones  # noqa: F401
