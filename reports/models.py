"""Periodic summary reports: one row per (kind, period, region), with a snapshot of the indicators."""

import datetime
import os
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cooperation.choices import LEVEL_DEPTH, RegionLevel, Side
from cooperation.fields import MAX_YEAR, MIN_YEAR, YearField
from cooperation.indicators_base import indicator_choices, registry
from cooperation.locks import LockedPeriod, approved_months, county_code
from cooperation.models import AuditedModel, Region, month_label, require_side
from cooperation.records import RecordKind
from cooperation.selectors import reporting_counties
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


# -- Declarations (CONTRACT.md 1.1, "Self-evaluation draft and cross-check")

DECLARATION_LOCKED = _(
    "%(month)s of %(region)s is approved: the declarations of %(year)d for this region are locked with it. "
    "An administrator can reopen the month."
)


def declaration_lock_error(*, year: int | None, region: Region | None) -> str | None:
    """Why the declarations of ``year`` for ``region`` may no longer be written, or None.

    They are locked with the year's last month: for a county, or a town or village below it,
    once the county's December of ``year`` is approved (cooperation.locks); for a region above
    the counties, once the December of every reporting county below it is approved (the rule
    by which a month of an area is approved, ``cooperation.selectors.month_approvals``; an area
    with no reporting county, such as an eastern one, is never locked). One query for a county,
    two above it.
    """
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR or region is None:
        return None  # a year the field refuses anyway
    december = datetime.date(year, 12, 1)
    if LEVEL_DEPTH[region.level] >= LEVEL_DEPTH[RegionLevel.COUNTY]:
        codes = {county_code(region.code)}
    else:
        codes = set(reporting_counties(region).values_list("code", flat=True))
    if not codes:
        return None
    approved = approved_months({(code, december) for code in codes})
    if len(approved) < len(codes):
        return None
    submission = approved[min(approved)]
    region_name = submission.region.name if len(codes) == 1 else region.name
    return str(DECLARATION_LOCKED % {"month": month_label(december), "region": region_name, "year": year})


class Declaration(AuditedModel):
    """The figure one side of a pair declares for an indicator of a year and a region, in its
    self-evaluation report (自评报告): what the cross-check sets against the recorded value.

    ``region`` is the western region the figure is about (the one the summary counts), ``side``
    the side that declares it: the eastern partner's staff declare for the western county they
    help (their scope reaches it through the pairing). ``value`` is in the indicator's unit:
    yuan for money (as the summary), a whole number for a count. Locked with the year's last
    approved month (:func:`declaration_lock_error`): a declaration of a closed year is neither
    created, changed, moved nor deleted.
    """

    # A duplicate is the whole (year, indicator, region, side) key, not one of its fields.
    constraint_fields = {"declaration_unique_year_indicator_region_side": NON_FIELD_ERRORS}

    year = YearField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=64, choices=indicator_choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="declarations",
        help_text=_("The western region the figure is about."),
        limit_choices_to={"side": Side.WEST},
    )
    side = models.CharField(
        _("declared by"), max_length=4, choices=Side.choices, help_text=_("The side of the pair that declares it.")
    )
    value = models.DecimalField(
        _("declared value"),
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("In the indicator's unit: yuan for money, a whole number for a count."),
    )
    note = models.TextField(_("note"), blank=True)

    record_kind = RecordKind(region="region", year_field="year")

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["-year", "region__code", "indicator", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator", "region", "side"],
                name="declaration_unique_year_indicator_region_side",
                violation_error_message=_("This side has already declared this indicator for this year and region."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="declaration_value_not_negative",
                violation_error_message=_("A declared value cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.region} {self.get_indicator_display()} ({self.get_side_display()})"

    def clean(self):
        errors = require_side(self, "region", Side.WEST)
        indicator = registry.get(self.indicator)
        value = self.value
        if indicator is not None and not indicator.money and isinstance(value, Decimal):
            if value.is_finite() and value != value.to_integral_value():
                errors.setdefault(
                    "value", _("%(indicator)s is a count: declare a whole number.") % {"indicator": indicator.label}
                )
        if not errors:
            message = self.lock_error()
            if message:
                errors["year"] = message
        if errors:
            raise ValidationError(errors)

    def lock_error(self) -> str | None:
        """Why this write is refused by the lock: the year and region it would have, or (an
        update) those it is stored under, are closed. Remembered for the save that follows."""
        region = self.region if self.region_id else None
        message = declaration_lock_error(year=self.year, region=region)
        if message is None and self.pk is not None and not self._state.adding:
            stored = Declaration._base_manager.filter(pk=self.pk).select_related("region").first()
            if stored is not None and (stored.year, stored.region_id) != (self.year, self.region_id):
                message = declaration_lock_error(year=stored.year, region=stored.region)
        if message is None:
            self._lock_checked = self._lock_signature()
        return message

    def _lock_signature(self) -> tuple:
        return (self.pk, self._state.adding, self.year, self.region_id)

    def save(self, *args, **kwargs):
        # Every path (API, admin, import, shell) meets the lock; full_clean() has usually just
        # asked, and then the question is not asked twice.
        if getattr(self, "_lock_checked", None) != self._lock_signature():
            message = self.lock_error()
            if message:
                raise LockedPeriod({"year": [message]})
        super().save(*args, **kwargs)


@receiver(pre_delete, sender=Declaration, dispatch_uid="reports.refuse_locked_declaration_delete")
def refuse_locked_declaration_delete(sender, instance, **kwargs):
    """No declaration of a closed year is deleted, by any path (``non_field_errors`` in the API)."""
    stored = Declaration._base_manager.filter(pk=instance.pk).select_related("region").first()
    if stored is None:
        return
    message = declaration_lock_error(year=stored.year, region=stored.region)
    if message:
        raise LockedPeriod({NON_FIELD_ERRORS: [message]})
