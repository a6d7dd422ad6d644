"""Projects and their money: allocations, disbursements, equity with its dividends, progress,
outcomes, and the enterprises that invest in the western side.

Money flows are typed as aid programmes type them (IATI transaction types): a fund allocation is
a commitment, a disbursement pays money out, an equity investment buys a share of a cooperative
or enterprise whose dividends go to village collectives and households.
"""

from decimal import Decimal

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperation.choices import OrganizationKind, Side
from cooperation.fields import MoneyField, YearField, period_constraint, positive_constraint, validate_period
from cooperation.models import AuditedModel, Organization, Region, require_side
from cooperation.records import RecordKind
from projects.choices import STATUS_TRANSITIONS, FundSource, InvestmentSector, ProjectCategory, ProjectStatus

ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png", "txt", "zip"]
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def validate_attachment_size(file) -> None:
    """Attachments are documents and photos: refuse anything above 20 MB."""
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(ATTACHMENT_MAX_BYTES)}
        )


def _merge(errors: dict, exc: ValidationError) -> None:
    for key, messages in exc.message_dict.items():
        errors.setdefault(key, messages)


RATE_PLACES = Decimal("0.0001")


class Project(AuditedModel):
    """A funded assistance project (项目) in a western region, with its beneficiaries and benefit links."""

    code = models.CharField(_("project code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=ProjectCategory.choices)
    year = YearField(_("plan year"))
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("The western region the project serves, at any level down to a village."),
        limit_choices_to={"side": Side.WEST},
    )
    implementer = models.ForeignKey(
        Organization,
        verbose_name=_("implementing organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implemented_projects",
    )
    budget = MoneyField(_("budget (yuan)"), positive=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    beneficiary_households = models.PositiveIntegerField(_("beneficiary households"), default=0)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries (people)"), default=0)
    beneficiaries_poverty_alleviated = models.PositiveIntegerField(
        _("poverty-alleviated beneficiaries"),
        default=0,
        help_text=_("Of the beneficiaries, those registered as lifted out of poverty."),
    )
    # How the project benefits farmers (联农带农): any combination, plus a free description.
    benefits_dividends = models.BooleanField(_("benefits through equity dividends"), default=False)
    benefits_jobs = models.BooleanField(_("benefits through jobs"), default=False)
    benefits_purchases = models.BooleanField(_("benefits through purchases of farm products"), default=False)
    benefits_other = models.CharField(_("other benefit links"), max_length=300, blank=True)

    record_kind = RecordKind(region="region", year_field="year")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "code"]
        constraints = [
            period_constraint("project_period_in_order", end="completed_on"),
            positive_constraint("project_budget_positive", "budget"),
            models.CheckConstraint(
                condition=Q(beneficiaries_poverty_alleviated__lte=F("beneficiaries")),
                name="project_poverty_alleviated_within_beneficiaries",
                violation_error_message=_("The poverty-alleviated beneficiaries cannot outnumber the beneficiaries."),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"]),
            models.Index(fields=["-year", "code"], name="projects_project_order"),  # the default ordering
            # The admin's search: codes by prefix, names by contains (ILIKE; pg_trgm, migration 0004).
            GinIndex(fields=["code"], opclasses=["gin_trgm_ops"], name="projects_code_trgm"),
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="projects_name_trgm"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def disbursement_rate(self) -> Decimal | None:
        """Disbursed / allocated, 4 places (None without allocations), of a project read through
        ``projects.selectors.project_list()``, which gives its two totals. Computed here from them:
        in SQL the rate would run both totals' subqueries a second time for every row (the list
        orders by the same rate, an alias of that query)."""
        allocated = self.allocated_total
        if not allocated:
            return None
        return (self.disbursed_total / allocated).quantize(RATE_PLACES)

    def stored_status(self) -> str | None:
        """The status as the database holds it (None for a new project)."""
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def clean(self):
        errors = require_side(self, "region", Side.WEST)
        try:
            validate_period(self.started_on, self.completed_on, end_field="completed_on")
        except ValidationError as exc:
            _merge(errors, exc)
        if self.beneficiaries_poverty_alleviated and self.beneficiaries_poverty_alleviated > (self.beneficiaries or 0):
            errors.setdefault(
                "beneficiaries_poverty_alleviated",
                _("The poverty-alleviated beneficiaries cannot outnumber the beneficiaries."),
            )
        # The status machine: a new project may start in any status (records of past years are
        # entered as they stand), but a stored one only moves along the life cycle.
        old = self.stored_status()
        if old is not None and self.status and old != self.status and self.status not in STATUS_TRANSITIONS[old]:
            allowed = ", ".join(str(ProjectStatus(s).label) for s in sorted(STATUS_TRANSITIONS[old]))
            errors.setdefault(
                "status",
                _("A project cannot move from %(old)s to %(new)s. Allowed next: %(allowed)s.")
                % {
                    "old": ProjectStatus(old).label,
                    "new": ProjectStatus(self.status).label,
                    "allowed": allowed or _("none (final status)"),
                },
            )
        if errors:
            raise ValidationError(errors)


class FundAllocation(AuditedModel):
    """Aid funds (帮扶资金) committed to a project for a budget year, by source (IATI "commitment")."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="allocations"
    )
    year = YearField(_("budget year"))
    source = models.CharField(_("source"), max_length=10, choices=FundSource.choices)
    amount = MoneyField(_("amount (yuan)"), positive=True)
    allocated_on = models.DateField(_("allocated on"))
    document = models.CharField(_("allocation document no."), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    record_kind = RecordKind(region="project__region", date="allocated_on", year_field="year")

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["-allocated_on", "-id"]
        constraints = [positive_constraint("fund_allocation_amount_positive")]
        indexes = [
            models.Index(fields=["year"]),
            models.Index(fields=["-allocated_on", "-id"], name="projects_alloc_order"),  # the default ordering
        ]

    def __str__(self):
        return f"{self.project.code} {self.year} {self.amount}"


class Disbursement(AuditedModel):
    """Money paid out (拨付) to a project (IATI "disbursement"); never more than its allocations."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = MoneyField(_("amount (yuan)"), positive=True)
    paid_on = models.DateField(_("paid on"))
    payee = models.CharField(_("payee"), max_length=200, blank=True)
    voucher = models.CharField(_("voucher no."), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    record_kind = RecordKind(region="project__region", date="paid_on")

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-paid_on", "-id"]
        constraints = [positive_constraint("disbursement_amount_positive")]
        indexes = [models.Index(fields=["paid_on"])]

    def __str__(self):
        return f"{self.project.code} {self.paid_on} {self.amount}"


class EquityInvestment(AuditedModel):
    """Project money put as equity (IATI "equity") into a western cooperative or enterprise."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="equity_investments"
    )
    investee = models.ForeignKey(
        Organization,
        verbose_name=_("cooperative or enterprise"),
        on_delete=models.PROTECT,
        related_name="equity_received",
        limit_choices_to={"side": Side.WEST},
    )
    amount = MoneyField(_("amount (yuan)"), positive=True)
    invested_on = models.DateField(_("invested on"))
    share_percent = models.DecimalField(
        _("share held (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    record_kind = RecordKind(region="project__region", date="invested_on")

    class Meta:
        verbose_name = _("equity investment")
        verbose_name_plural = _("equity investments")
        ordering = ["-invested_on", "-id"]
        constraints = [
            positive_constraint("equity_investment_amount_positive"),
            models.CheckConstraint(
                condition=Q(share_percent__isnull=True) | Q(share_percent__gte=0, share_percent__lte=100),
                name="equity_investment_share_is_a_percentage",
                violation_error_message=_("The share is a percentage from 0 to 100."),
            ),
        ]

    def __str__(self):
        return f"{self.investee} {self.amount}"

    def clean(self):
        errors = require_side(self, "investee", Side.WEST)
        investee = self.investee if self.investee_id else None
        if investee is not None and investee.kind not in (OrganizationKind.COOPERATIVE, OrganizationKind.ENTERPRISE):
            errors.setdefault("investee", _("Equity goes into a cooperative or an enterprise."))
        if errors:
            raise ValidationError(errors)


class EquityDividend(AuditedModel):
    """The dividend an equity investment paid for one year, to village collectives and households."""

    equity = models.ForeignKey(
        EquityInvestment, verbose_name=_("equity investment"), on_delete=models.CASCADE, related_name="dividends"
    )
    year = YearField(_("year"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    to_collectives = MoneyField(_("paid to village collectives (yuan)"), default=0)
    to_households = MoneyField(_("paid to households (yuan)"), default=0)
    households = models.PositiveIntegerField(_("households paid"), default=0)

    record_kind = RecordKind(region="equity__project__region", year_field="year")

    class Meta:
        verbose_name = _("equity dividend")
        verbose_name_plural = _("equity dividends")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["equity", "year"],
                name="equity_dividend_unique_year",
                violation_error_message=_("This investment already has a dividend for that year."),
            ),
            models.CheckConstraint(
                condition=Q(to_collectives__gte=0, to_households__gte=0)
                & (Q(to_collectives__gt=0) | Q(to_households__gt=0)),
                name="equity_dividend_amount_positive",
                violation_error_message=_("A dividend pays a positive amount to collectives or households."),
            ),
        ]

    def __str__(self):
        return f"{self.equity} {self.year}"

    @property
    def total(self):
        return (self.to_collectives or 0) + (self.to_households or 0)


class ProgressReport(AuditedModel):
    """A dated progress report on a project: how far along it is, in percent, with a note."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    reported_on = models.DateField(_("reported on"))
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), validators=[MaxValueValidator(100)])
    note = models.TextField(_("note"), blank=True)

    record_kind = RecordKind(region="project__region", date="reported_on")

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100),
                name="progress_report_percent_at_most_100",
                violation_error_message=_("Progress is at most 100 percent."),
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.reported_on} {self.percent_complete}%"


class AttachmentStorage(FileSystemStorage):
    """Progress attachments under MEDIA_ROOT, never served as public media: a file's URL is the
    permission-checked download view, so the admin's and the API's links both go through it."""

    def url(self, name):
        return reverse("projects:attachment", kwargs={"name": name})


def attachment_storage() -> AttachmentStorage:
    return AttachmentStorage()


class ProgressAttachment(AuditedModel):
    """A file (photo, acceptance record, invoice...) attached to a progress report."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        upload_to="projects/progress/%Y/%m/",
        storage=attachment_storage,
        max_length=200,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_attachment_size],
        help_text=_("PDF, Office documents, images, text or zip; at most 20 MB."),
    )

    record_kind = RecordKind(region="report__project__region")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.title or self.file.name


class OutcomeMeasure(AuditedModel):
    """A measured result of a project, from its baseline towards its target (cattle: 212 → 506 head)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="outcomes")
    name = models.CharField(_("measure"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    current = models.DecimalField(_("current value"), max_digits=18, decimal_places=2, null=True, blank=True)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)

    record_kind = RecordKind(region="project__region")

    class Meta:
        verbose_name = _("outcome measure")
        verbose_name_plural = _("outcome measures")
        ordering = ["project", "id"]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class Investment(AuditedModel):
    """An enterprise's investment in the west (招商引资) for a year: money in place, output and jobs."""

    enterprise = models.ForeignKey(
        Organization,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="investments",
        help_text=_("The entity registered in the west."),
        limit_choices_to={"side": Side.WEST},
    )
    east_parent = models.ForeignKey(
        Organization,
        verbose_name=_("eastern parent company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"side": Side.EAST},
    )
    year = YearField(_("year"))
    sector = models.CharField(_("sector"), max_length=14, choices=InvestmentSector.choices, blank=True)
    amount = MoneyField(_("investment in place (yuan)"), positive=True)
    output_value = MoneyField(_("output value (yuan)"), null=True, blank=True)
    jobs_created = models.PositiveIntegerField(_("jobs created"), default=0)
    jobs_poverty_alleviated = models.PositiveIntegerField(
        _("jobs for poverty-alleviated people"), default=0, help_text=_("Of the jobs created.")
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("related project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investments",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    record_kind = RecordKind(region="enterprise__region", year_field="year")

    class Meta:
        verbose_name = _("enterprise investment")
        verbose_name_plural = _("enterprise investments")
        ordering = ["-year", "-id"]
        constraints = [
            positive_constraint("investment_amount_positive"),
            models.CheckConstraint(
                condition=Q(output_value__isnull=True) | Q(output_value__gte=0),
                name="investment_output_value_not_negative",
                violation_error_message=_("The output value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(jobs_poverty_alleviated__lte=F("jobs_created")),
                name="investment_poverty_alleviated_within_jobs",
                violation_error_message=_("Jobs for poverty-alleviated people cannot outnumber the jobs created."),
            ),
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self):
        return f"{self.enterprise} {self.year}"

    def clean(self):
        errors = require_side(self, "enterprise", Side.WEST)
        errors.update(require_side(self, "east_parent", Side.EAST))
        if self.jobs_poverty_alleviated and self.jobs_poverty_alleviated > (self.jobs_created or 0):
            errors.setdefault(
                "jobs_poverty_alleviated",
                _("Jobs for poverty-alleviated people cannot outnumber the jobs created."),
            )
        if errors:
            raise ValidationError(errors)
