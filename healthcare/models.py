"""Medical team dispatches (组团式帮扶) and what they bring to the host hospitals."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.choices import Side
from cooperation.dispatch.models import Dispatch, dispatch_constraints
from cooperation.dispatch.validators import validate_programme_date
from cooperation.fields import MoneyField
from cooperation.models import AuditedModel, Organization, require_side
from cooperation.records import RecordKind


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


class MedicalDispatch(Dispatch):
    """A doctor, nurse or manager sent from an eastern hospital to a western one."""

    specialty = models.CharField(_("specialty"), max_length=100, help_text=_("For example cardiology, nursing."))

    class Meta(Dispatch.Meta):
        verbose_name = _("medical dispatch")
        verbose_name_plural = _("medical dispatches")
        constraints = dispatch_constraints("medical_dispatch")


class MedicalServiceStat(AuditedModel):
    """One month of a western host hospital's service figures (诊疗人次, 手术, 抢救).

    ``month`` is stored as the first day of the month; one row per hospital and month, so a
    hospital's spreadsheet sent again for the same month updates its row.
    """

    host_org = models.ForeignKey(
        Organization,
        verbose_name=_("host hospital"),
        on_delete=models.PROTECT,
        related_name="medical_service_stats",
        limit_choices_to={"side": Side.WEST},
    )
    month = models.DateField(
        _("month"), help_text=_("The first day of the month, e.g. 2023-05-01."), validators=[validate_programme_date]
    )
    outpatients = models.PositiveIntegerField(_("patient visits"), default=0)
    surgeries = models.PositiveIntegerField(_("surgeries and invasive procedures"), default=0)
    rescues = models.PositiveIntegerField(_("critical-care rescues"), default=0)
    staff_trained = models.PositiveIntegerField(_("local staff trained (person-times)"), default=0)

    record_kind = RecordKind(region="host_org__region", date="month")

    class Meta:
        verbose_name = _("monthly service statistics")
        verbose_name_plural = _("monthly service statistics")
        ordering = ["-month", "host_org_id"]
        constraints = [
            # ``month`` last: a duplicate lost to a concurrent request is answered under the
            # constraint's last field (cooperation.constraints), as clean() answers it.
            models.UniqueConstraint(
                fields=["host_org", "month"],
                name="medical_service_stat_unique_host_month",
                violation_error_message=_("This hospital already has statistics for this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="medical_service_stat_month_first_day",
                violation_error_message=_("Give the month as its first day."),
            ),
        ]

    def __str__(self):
        return f"{self.host_org} {self.month:%Y-%m}"

    def clean(self):
        errors = require_side(self, "host_org", Side.WEST)
        if self.month and self.month.day != 1:
            errors["month"] = _("Give the month as its first day.")
        _raise(errors)


class Discipline(AuditedModel):
    """A clinical discipline (学科) being built at a western host hospital with the team's help."""

    host_org = models.ForeignKey(
        Organization,
        verbose_name=_("host hospital"),
        on_delete=models.PROTECT,
        related_name="medical_disciplines",
        limit_choices_to={"side": Side.WEST},
    )
    department = models.CharField(_("department"), max_length=100)
    lead = models.ForeignKey(
        MedicalDispatch,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disciplines_led",
        help_text=_("The dispatched doctor leading the work."),
    )
    goal = models.TextField(_("goal"), blank=True)
    started_on = models.DateField(_("started on"), validators=[validate_programme_date])

    record_kind = RecordKind(region="host_org__region", date="started_on")

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["-started_on", "id"]

    def __str__(self):
        return f"{self.department} ({self.host_org})"

    def clean(self):
        errors = require_side(self, "host_org", Side.WEST)
        if self.lead_id and self.host_org_id and self.lead.host_org_id != self.host_org_id:
            errors["lead"] = _("The lead must be dispatched to this hospital.")
        _raise(errors)


class NewTechnique(AuditedModel):
    """A clinical technique or project introduced at a host hospital (新技术新项目)."""

    host_org = models.ForeignKey(
        Organization,
        verbose_name=_("host hospital"),
        on_delete=models.PROTECT,
        related_name="medical_techniques",
        limit_choices_to={"side": Side.WEST},
    )
    name = models.CharField(_("name"), max_length=200)
    department = models.CharField(_("department"), max_length=100)
    introduced_on = models.DateField(_("introduced on"), validators=[validate_programme_date])
    dispatch = models.ForeignKey(
        MedicalDispatch,
        verbose_name=_("introduced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="techniques",
    )

    record_kind = RecordKind(region="host_org__region", date="introduced_on")

    class Meta:
        verbose_name = _("new technique")
        verbose_name_plural = _("new techniques")
        ordering = ["-introduced_on", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = require_side(self, "host_org", Side.WEST)
        if self.dispatch_id and self.host_org_id and self.dispatch.host_org_id != self.host_org_id:
            errors["dispatch"] = _("The person must be dispatched to this hospital.")
        _raise(errors)


class OutreachEvent(AuditedModel):
    """A free clinic or health outreach (义诊) by the team: people served and medicine given."""

    host_org = models.ForeignKey(
        Organization,
        verbose_name=_("host hospital"),
        on_delete=models.PROTECT,
        related_name="medical_outreach",
        limit_choices_to={"side": Side.WEST},
    )
    held_on = models.DateField(_("held on"), validators=[validate_programme_date])
    place = models.CharField(_("place"), max_length=200)
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    medicine_value = MoneyField(_("value of medicine given (yuan)"), default=0)

    record_kind = RecordKind(region="host_org__region", date="held_on")

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(medicine_value__gte=0),
                name="medical_outreach_medicine_value_not_negative",
                violation_error_message=_("The value cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.held_on} {self.place}"

    def clean(self):
        _raise(require_side(self, "host_org", Side.WEST))
