"""Periodic summary reports: one row per (kind, period, region), with a snapshot of the indicators."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cooperation.models import AuditedModel, Region
from cooperation.records import RecordKind
from reports.choices import ReportKind, ReportStatus
from reports.periods import PERIOD_MONTHS, period_end, validate_period_start


class ReportStorage(FileSystemStorage):
    """Where report workbooks live: MEDIA_ROOT/reports, never served as public media.

    Downloads go through a permission-checked view. A rerun writes the same file name again
    (``allow_overwrite``), so a retried task leaves one file, not a trail of suffixed copies.
    The location follows MEDIA_ROOT, including in tests that override it.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_overwrite", True)
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "reports")


class Report(AuditedModel):
    """A monthly, quarterly or annual summary report of the programme or of one region.

    ``region`` empty: the whole programme; set: every figure counts only that region and what
    lies below it (CONTRACT.md 1.1). ``indicators`` is a snapshot taken when the report was
    generated: later edits of the records do not rewrite it. A second request for the same kind,
    period and region resets and regenerates this same row (unique key, the empty region being
    one value), which is also what makes a retried task safe.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("Empty: the whole programme."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    indicators = models.JSONField(_("indicator values"), default=list, blank=True, editable=False)
    file = models.FileField(_("workbook"), storage=ReportStorage(), upload_to="", blank=True, editable=False)
    error = models.TextField(_("reason of the last failure"), blank=True, editable=False)
    attempts = models.PositiveIntegerField(_("attempts"), default=0, editable=False)
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True, editable=False)

    # A report lies within a user's scope by its region, like any record (cooperation.scopes):
    # a scoped user reads the reports of regions in the scope; a programme-wide one (no region)
    # is outside every scope. No date: reports are not records of a month that a lock freezes.
    record_kind = RecordKind(region="region")

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "kind"]
        permissions = [("view_dashboard", _("Can view the officials' dashboard"))]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "region"],
                name="report_unique_kind_period_region",
                # One programme-wide report per period too: the empty region is one value.
                nulls_distinct=False,
                violation_error_message=_("A report of this kind for this period and region already exists."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__day=1)
                & (
                    Q(kind=ReportKind.MONTHLY)
                    | Q(kind=ReportKind.QUARTERLY, period_start__month__in=[1, 4, 7, 10])
                    | Q(kind=ReportKind.ANNUAL, period_start__month=1)
                ),
                name="report_period_start_opens_period",
                violation_error_message=_("The period start must be the first day of a period of this kind."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
        ]

    def __str__(self):
        text = f"{self.get_kind_display()} {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"
        return f"{text} {self.region.name}" if self.region_id else text

    @property
    def year(self) -> int:
        return self.period_start.year

    def file_name(self) -> str:
        """The workbook's stable name (with the region's code when set): a regeneration
        overwrites the same file, and the reports of two regions never share one."""
        suffix = f"-{self.region.code}" if self.region_id else ""
        return f"{self.kind}-{self.period_start:%Y-%m-%d}{suffix}.xlsx"

    def clean(self):
        validate_period_start(self.kind, self.period_start)
        if self.kind in PERIOD_MONTHS and self.period_start:
            self.period_end = period_end(self.kind, self.period_start)


class ReportSubscription(AuditedModel):
    """A user who asked to receive a kind of report by e-mail when it is generated."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices, default=ReportKind.MONTHLY)

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        ordering = ["kind", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="report_subscription_unique_user_kind",
                violation_error_message=_("This user already receives this kind of report."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()}"
