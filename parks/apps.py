from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "parks"
    verbose_name = _("园区公开报道")

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
