from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        # Registers every domain app's indicators with the core, in the contract's order.
        from indicators import registry  # noqa: F401
