"""The programme core: regions, organisations, pairings, annual targets and secondments."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.choices import (
    LEVEL_CODE_LENGTH,
    LEVEL_DEPTH,
    LEVEL_PREFIX_LENGTH,
    OrganizationKind,
    PairingKind,
    RegionLevel,
    SecondmentDirection,
    SecondmentKind,
    Side,
    SubmissionStatus,
)
from cooperation.constraints import validate_constraints_by_field
from cooperation.fields import YearField, period_constraint, period_errors
from cooperation.indicators_base import indicator_choices
from cooperation.records import RecordKind
from cooperation.validators import validate_credit_code, validate_region_code_digits


class AuditedModel(models.Model):
    """Base of every programme record: timestamps and a full change history.

    django-simple-history writes a historical row (who, when, the whole record) on every save
    and delete, from the admin, the API, imports and services alike; the admin's "History"
    page of each record shows them with the changed fields.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Locked months (CONTRACT.md 1.1) hold on every path that saves a record: the API, the
        # admin, imports, services and commands (cooperation.locks; deletes: its pre_delete receiver).
        from cooperation.locks import check_write

        check_write(self)
        # The write and what it keeps up to date (the precomputed figures, on post_save) in
        # one transaction, also in autocommit mode; inside a caller's transaction, no savepoint.
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # A record that others reach their region through (a worker for its placements) keeps
        # the values it was read with, so that the lock check sees what a change moves without
        # reading the row again (cooperation.locks).
        from cooperation.locks import remembers_loaded_values

        if remembers_loaded_values(cls):
            instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def validate_constraints(self, exclude=None):
        # Each refused constraint under the field a person changes (cooperation.constraints).
        validate_constraints_by_field(self, exclude=exclude)

    def clean_fields(self, exclude=None):
        # A reference limited to one side (``limit_choices_to={"side": ...}``, so that pickers
        # offer only that side) is refused by clean() with ``require_side``'s message; Django's
        # own check of the limit would add a second one ("... is not a valid choice", untranslated)
        # for a row that does exist.
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = {
                name: [error for error in messages if not _refused_only_by_side(self, name, error)]
                for name, messages in exc.error_dict.items()
            }
            errors = {name: messages for name, messages in errors.items() if messages}
            if errors:
                raise ValidationError(errors) from None


def _refused_only_by_side(obj, name: str, error: ValidationError) -> bool:
    """Whether ``error`` on ``obj.<name>`` is only Django's limit_choices_to check of an existing row."""
    field = obj._meta.get_field(name)
    if not (field.many_to_one and field.remote_field.limit_choices_to and error.code == "invalid"):
        return False
    value = getattr(obj, field.attname)
    return field.remote_field.model._base_manager.filter(**{field.remote_field.field_name: value}).exists()


def require_side(obj, field: str, side: str) -> dict:
    """Return an error dict when ``obj.<field>`` (a region or organisation) is not on ``side``."""
    related = getattr(obj, field, None)
    if related is not None and related.side != side:
        label = Side(side).label
        return {field: _("Must be on the %(side)s side.") % {"side": label}}
    return {}


class Region(AuditedModel):
    """An administrative division (GB/T 2260), province down to village, on one side of the programme."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        validators=[validate_region_code_digits],
        help_text=_("GB/T 2260 code: 6 digits for province, prefecture and county, 9 for town, 12 for village."),
    )
    level = models.CharField(_("level"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    side = models.CharField(_("side"), max_length=4, choices=Side.choices)

    record_kind = RecordKind(region="")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level__in=["province", "prefecture", "county"], code__regex=r"^\d{6}$")
                    | Q(level="town", code__regex=r"^\d{9}$")
                    | Q(level="village", code__regex=r"^\d{12}$")
                ),
                name="region_code_length_matches_level",
                violation_error_message=_("The code's length does not match the level."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def code_prefix(self) -> str:
        """The significant digits every region below this one starts its code with."""
        return self.code[: LEVEL_PREFIX_LENGTH[self.level]]

    def subtree_q(self, path: str = "") -> Q:
        """A filter for records whose region (reached through ``path``) is this region or below it.

        Codes nest (a child's code starts with its parent's significant digits), so the whole
        subtree is one indexed prefix match, with no recursive query.
        """
        lookup = f"{path}__code__startswith" if path else "code__startswith"
        return Q(**{lookup: self.code_prefix})

    def clean(self):
        errors = {}
        if self.level and self.code and len(self.code) != LEVEL_CODE_LENGTH[self.level]:
            errors["code"] = _("A %(level)s code has %(n)d digits.") % {
                "level": RegionLevel(self.level).label,
                "n": LEVEL_CODE_LENGTH[self.level],
            }
        if self.parent_id and self.level:
            parent = self.parent
            if parent.pk == self.pk:
                errors["parent"] = _("A region cannot be its own parent.")
            elif LEVEL_DEPTH[parent.level] >= LEVEL_DEPTH[self.level]:
                errors["parent"] = _("The parent must be at a higher level than the region.")
            elif self.code and "code" not in errors and not self.code.startswith(parent.code_prefix):
                errors["code"] = _("The code must start with the parent's digits %(prefix)s.") % {
                    "prefix": parent.code_prefix
                }
            if self.side and parent.side != self.side:
                errors["side"] = _("A region is on the same side as its parent.")
        elif self.level and self.level != RegionLevel.PROVINCE and not self.parent_id:
            errors["parent"] = _("Only a province may have no parent region.")
        if errors:
            raise ValidationError(errors)


class Organization(AuditedModel):
    """A body taking part in the programme: enterprise, cooperative, hospital, school, government..."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    side = models.CharField(_("side"), max_length=4, choices=Side.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organizations")
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters with the GB 32100 check character."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
        help_text=_("For example the eastern parent company of an enterprise registered in the west."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact = models.CharField(_("contact person"), max_length=100, blank=True)

    record_kind = RecordKind(region="region")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=Q(credit_code__isnull=False),
                name="organization_credit_code_unique",
                violation_error_message=_("An organisation with this credit code already exists."),
            ),
        ]
        # Names are searched by contains (employers, hosts, investees...): a trigram index,
        # built where pg_trgm exists (migration 0009, cooperation.migration_operations).
        indexes = [GinIndex(fields=["name"], name="organization_name_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self):
        return self.name

    def clean(self):
        if self.credit_code == "":
            self.credit_code = None
        errors = {}
        if self.region_id and self.side and self.region.side != self.side:
            errors["region"] = _("The organisation's region must be on its side.")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("An organisation cannot be its own parent.")
        if errors:
            raise ValidationError(errors)


class Pairing(AuditedModel):
    """A pairing (结对) between an eastern and a western region or organisation."""

    REGION_KINDS = {PairingKind.REGION, PairingKind.VILLAGE}
    ORG_KINDS = {PairingKind.SCHOOL, PairingKind.HOSPITAL}

    kind = models.CharField(_("kind"), max_length=12, choices=PairingKind.choices)
    east_region = models.ForeignKey(
        Region,
        verbose_name=_("eastern region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"side": Side.EAST},
    )
    west_region = models.ForeignKey(
        Region,
        verbose_name=_("western region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"side": Side.WEST},
    )
    east_org = models.ForeignKey(
        Organization,
        verbose_name=_("eastern organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"side": Side.EAST},
    )
    west_org = models.ForeignKey(
        Organization,
        verbose_name=_("western organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"side": Side.WEST},
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    focus = models.TextField(_("focus of the cooperation"), blank=True)

    record_kind = RecordKind(
        region=None,
        date="started_on",
        period=("started_on", "ended_on"),
        scope_paths=("east_region", "west_region", "east_org__region", "west_org__region"),
    )

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-started_on", "id"]
        constraints = [
            period_constraint("pairing_period_in_order"),
            models.CheckConstraint(
                condition=(Q(east_region__isnull=False) & Q(west_region__isnull=False))
                | (Q(east_org__isnull=False) & Q(west_org__isnull=False)),
                name="pairing_has_two_sides",
                violation_error_message=_("A pairing names an eastern and a western region or organisation."),
            ),
        ]

    def __str__(self):
        east = self.east_org or self.east_region
        west = self.west_org or self.west_region
        return f"{east} ↔ {west}"

    def clean(self):
        errors = {}
        has_regions = bool(self.east_region_id or self.west_region_id)
        has_orgs = bool(self.east_org_id or self.west_org_id)
        if self.kind in self.REGION_KINDS and has_orgs and not has_regions:
            errors["east_region"] = _("A region or village pairing names an eastern and a western region.")
        if self.kind in self.ORG_KINDS and has_regions and not has_orgs:
            errors["east_org"] = _("A school or hospital pairing names an eastern and a western organisation.")
        if has_regions and not (self.east_region_id and self.west_region_id):
            errors.setdefault("west_region" if self.east_region_id else "east_region", _("Name both regions."))
        if has_orgs and not (self.east_org_id and self.west_org_id):
            errors.setdefault("west_org" if self.east_org_id else "east_org", _("Name both organisations."))
        if not has_regions and not has_orgs:
            errors["east_region"] = _("A pairing names an eastern and a western region or organisation.")
        if self.kind == PairingKind.VILLAGE:
            for field in ("east_region", "west_region"):
                region = getattr(self, field, None)
                if region is not None and region.level != RegionLevel.VILLAGE:
                    errors.setdefault(field, _("A village pairing pairs two villages."))
        for field, side in (
            ("east_region", "east"),
            ("east_org", "east"),
            ("west_region", "west"),
            ("west_org", "west"),
        ):
            for key, message in require_side(self, field, side).items():
                errors.setdefault(key, message)
        errors.update(period_errors(self.started_on, self.ended_on))
        if errors:
            raise ValidationError(errors)


class Target(AuditedModel):
    """An annual target for one indicator, programme-wide (no region) or for one western region."""

    # A duplicate is the (year, indicator, region) triple, not one field (the region may be empty).
    constraint_fields = {"target_unique_year_indicator_region": NON_FIELD_ERRORS}

    year = YearField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=64, choices=indicator_choices)
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)])
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        help_text=_("Leave empty for the whole programme."),
        limit_choices_to={"side": Side.WEST},
    )
    notes = models.TextField(_("notes"), blank=True)

    record_kind = RecordKind(region="region", year_field="year")

    class Meta:
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        ordering = ["-year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator", "region"],
                nulls_distinct=False,
                name="target_unique_year_indicator_region",
                violation_error_message=_("A target for this year, indicator and region already exists."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="target_value_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_indicator_display()}"

    def clean(self):
        errors = require_side(self, "region", Side.WEST)
        if errors:
            raise ValidationError(errors)


class Secondment(AuditedModel):
    """A cadre or professional seconded (挂职) to the other side for a period."""

    person_name = models.CharField(_("name"), max_length=100)
    direction = models.CharField(_("direction"), max_length=14, choices=SecondmentDirection.choices)
    kind = models.CharField(_("kind"), max_length=14, choices=SecondmentKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region served"),
        on_delete=models.PROTECT,
        related_name="secondments",
        help_text=_("The western region the secondment serves."),
        limit_choices_to={"side": Side.WEST},
    )
    home_org = models.ForeignKey(
        Organization,
        verbose_name=_("home organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    host_org = models.ForeignKey(
        Organization,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.CharField(_("position held"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    record_kind = RecordKind(region="region", date="started_on", period=("started_on", "ended_on"))

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["-started_on", "id"]
        constraints = [period_constraint("secondment_period_in_order")]

    def __str__(self):
        return f"{self.person_name} ({self.get_kind_display()})"

    def clean(self):
        errors = require_side(self, "region", Side.WEST)
        errors.update(period_errors(self.started_on, self.ended_on))
        if errors:
            raise ValidationError(errors)


class ScopeRegion(AuditedModel):
    """One region of a user's scope (CONTRACT.md 1.1): the user sees and writes only records
    within their scope regions and the regions paired with them (:mod:`cooperation.scopes`).
    A user with none works on the whole programme."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="scope_regions",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="scope_entries",
    )

    class Meta:
        verbose_name = _("scope region")
        verbose_name_plural = _("scope regions")
        ordering = ["user", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region"],
                name="scope_region_once_per_user",
                violation_error_message=_("This region is already in the user's scope."),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.region}"


class Submission(AuditedModel):
    """A county's figures of one month, on their way to approval (CONTRACT.md 1.1).

    draft → submitted → approved, or returned with a comment and submitted again; an approved
    month is reopened (→ returned) by administrators only. While approved, no record dated in
    the month under the county can be written (:mod:`cooperation.locks`). The moves are made by
    :mod:`cooperation.submissions` only; each leaves a history row (who, when, the comment and
    the move as the change reason).
    """

    region = models.ForeignKey(
        Region,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="submissions",
        help_text=_("A western county: the counties report their months to the province."),
        limit_choices_to={"level": RegionLevel.COUNTY, "side": Side.WEST},
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # [{"code", "message"}], computed from the month's data when submitting (cooperation.month_checks).
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    record_kind = RecordKind(region="region")
    constraint_fields = {"submission_month_first_day": "month"}

    class Meta:
        verbose_name = _("monthly submission")
        verbose_name_plural = _("monthly submissions")
        ordering = ["-month", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "month"],
                name="submission_once_per_county_and_month",
                violation_error_message=_("This county already has a submission for this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="submission_month_first_day",
                violation_error_message=_("Give the month as its first day (e.g. 2023-04-01)."),
            ),
        ]
        indexes = [models.Index(fields=["status", "month"], name="submission_status_month")]
        permissions = [
            ("review_submission", _("Can approve and return monthly submissions")),
            ("reopen_submission", _("Can reopen approved months")),
        ]

    def __str__(self):
        return f"{self.region} {month_label(self.month)}"

    def clean(self):
        # The month's first day: the named constraint (submission_month_first_day).
        errors = require_side(self, "region", Side.WEST)
        region = self.region if self.region_id else None
        if region is not None and region.level != RegionLevel.COUNTY and not errors:
            errors["region"] = _("A submission is made by a county; this region is a %(level)s.") % {
                "level": region.get_level_display()
            }
        if errors:
            raise ValidationError(errors)


def month_label(month) -> str:
    """A month as people write it ("2023年4月" in Chinese)."""
    return _("%(year)d-%(month)02d") % {"year": month.year, "month": month.month}


class ReminderKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly submission reminder")
    DIGEST = "digest", _("Daily review digest")


class SentReminder(models.Model):
    """One reminder e-mail sent to one user (:mod:`cooperation.reminders`): the staff's monthly
    reminder of the counties whose previous month is not submitted (``period``: that month's
    first day), or a reviewer's daily digest of the submissions waiting (``period``: the day).

    The unique (kind, period, user) key is what makes a rerun of the same firing (a second
    beat, a retried or redelivered task, a person running it by hand) send nothing twice: the
    row is written in the transaction that sends the mail, so a failed send leaves none and
    the rerun tries again.

    A plain model, not an :class:`AuditedModel`: it is a write-once log of the portal's own
    doing, no programme record (no region, no date under the locked periods), so it has
    nothing to audit and no history of changes to keep.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    period = models.DateField(_("period"), help_text=_("The month reminded of (its first day), or the digest's day."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="sent_reminders",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-period", "kind", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "user"],
                name="sent_reminder_once_per_kind_period_user",
                violation_error_message=_("This reminder was already sent to this user."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period} → {self.user}"
