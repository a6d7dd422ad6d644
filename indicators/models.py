"""The precomputed figures (issue 13): every indicator kept per exact region and period.

A :class:`Figure` row holds one part of an indicator's figure for the records placed exactly
at one region (not below it) in one year, or one month of it: the figure itself (``part``
""), a month of its trend (``m1`` ... ``m12``) or a code of one of its breakdowns
(``b:<breakdown>:<code>``). A region's figure is the sum of the rows of its subtree, which its
code prefix selects. Rows are kept by :mod:`indicators.figures` in the same transaction as
every write of the records, for the years :class:`FigureYear` lists, and rebuilt by the
``rebuild_figures`` command and a nightly task.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation.models import Region


class Figure(models.Model):
    indicator = models.CharField(_("indicator"), max_length=64)
    part = models.CharField(_("part"), max_length=96, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), default=0, help_text=_("0: the whole year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("precomputed figure")
        verbose_name_plural = _("precomputed figures")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year", "month", "part"],
                name="figure_cell_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [
            models.Index(fields=["year", "indicator", "part"], name="figure_year_indicator"),
            models.Index(fields=["region", "year"], name="figure_region_year"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.part} {self.region_id} {self.year}-{self.month}: {self.value}"


class FigureYear(models.Model):
    """A year whose figures are kept (built by ``rebuild_figures``); other years are computed
    from the records when asked."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    built_at = models.DateTimeField(_("built at"))

    class Meta:
        verbose_name = _("year of precomputed figures")
        verbose_name_plural = _("years of precomputed figures")

    def __str__(self):
        return str(self.year)
