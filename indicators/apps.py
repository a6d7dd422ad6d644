from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        # Registers every domain app's indicators with the core, in the contract's order.
        from indicators import figures, registry  # noqa: F401

        # The precomputed figures follow every write of their records (indicators.figures).
        figures.connect()
        post_migrate.connect(build_figures_once, sender=self, dispatch_uid="indicators.build_figures_once")


def build_figures_once(sender, using="default", **kwargs):
    """After ``migrate`` (and a test database's flush): build the figures when no year is kept
    yet (a new database, or the first migrate of one that has records), so that reads are
    served from them from the start. Later years are added by the nightly rebuild."""
    from django.db import connections

    from indicators import figures
    from indicators.models import FigureYear

    if FigureYear._meta.db_table not in connections[using].introspection.table_names():
        return
    if not FigureYear.objects.using(using).exists():
        figures.keep_programme_years()
