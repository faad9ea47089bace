from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("规划与指标")

    def ready(self) -> None:
        from . import (
            actuals,  # noqa: F401  (registers the actual as a reported figure)
            signals,  # noqa: F401  (connects the role groups to migrations)
        )
