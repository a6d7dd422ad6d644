"""Labor cooperation: rural workers of the west, their placements in jobs, assistance
workshops, recruitment events and skills trainings."""

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.choices import Side
from cooperation.fields import MoneyField, period_constraint, period_errors
from cooperation.models import AuditedModel, Organization, Region, require_side
from cooperation.records import RecordKind
from labor.choices import Destination, Gender
from labor.personal_data import decrypt, encrypt, mask_id_number, search_hash
from labor.validators import (
    id_number_birth_date,
    id_number_gender,
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_phone,
    validate_record_date,
)

ID_NUMBER_TAKEN = _("A worker with this ID number is already registered.")
EXTERNAL_ID_TAKEN = _("A worker with this external id already exists.")
PLACEMENT_OVERLAP = _(
    "This period overlaps another placement of the same worker; only outworker placements may overlap other jobs."
)


class Worker(AuditedModel):
    """A rural worker of the west helped into a job.

    The resident ID number and the phone are personal data (PIPL): the table, and its
    historical twin, hold only their ciphertext and, for the ID number, a keyed hash that keeps
    it unique and findable by exact match. Read them through the ``id_number`` and ``phone``
    properties, and show them through ``labor.personal_data.mask_*`` unless the user holds
    ``labor.view_full_id_number``. Gender and birth date are derived from the ID number; the
    birth date is the part the mask hides, so users without the permission are shown its year
    only (API ``birth_year``, admin, history, exports) and may not filter or order by it.
    """

    name = models.CharField(_("name"), max_length=100)
    id_number_cipher = models.TextField(_("ID number (encrypted)"), blank=True, editable=False)
    id_number_hash = models.CharField(_("ID number (search hash)"), max_length=64, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True, editable=False)
    birth_date = models.DateField(_("birth date"), blank=True, editable=False)
    hometown = models.ForeignKey(
        Region,
        verbose_name=_("hometown"),
        on_delete=models.PROTECT,
        related_name="workers",
        help_text=_("The western region the worker comes from, down to the village where known."),
        limit_choices_to={"side": Side.WEST},
    )
    poverty_alleviated = models.BooleanField(_("poverty-alleviated"), default=False)
    monitored_household = models.BooleanField(
        _("monitored household"),
        default=False,
        help_text=_("From a household monitored against falling back into poverty."),
    )
    phone_cipher = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_("The worker's id in the sending system (recruitment platform); unique when set."),
    )

    record_kind = RecordKind(region="hometown")
    # The ID number's constraints are on its search hash, which is never a form or API field:
    # their errors name ``id_number`` (here and in ``cooperation.constraints``).
    constraint_fields = {"worker_id_number_unique": "id_number", "worker_id_number_hash_present": "id_number"}

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["name", "id"]
        permissions = [("view_full_id_number", _("Can view full ID numbers and phone numbers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], name="worker_id_number_unique", violation_error_message=ID_NUMBER_TAKEN
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(external_id__isnull=False),
                name="worker_external_id_unique",
                violation_error_message=EXTERNAL_ID_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(id_number_hash__regex=r"^[0-9a-f]{64}$"),
                name="worker_id_number_hash_present",
                violation_error_message=_("The ID number is required."),
            ),
        ]
        indexes = [
            models.Index(fields=["birth_date"], name="labor_worker_birth_date"),
            models.Index(fields=["name", "id"], name="labor_worker_name_id"),  # the default ordering
            # The admin's search: names by contains, external ids by prefix (ILIKE; pg_trgm, migration 0004).
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="labor_worker_name_trgm"),
            GinIndex(fields=["external_id"], opclasses=["gin_trgm_ops"], name="labor_worker_ext_id_trgm"),
        ]

    # Set by the property setters until the instance is validated: the plain value to check.
    _new_id_number: str | None = None
    _new_phone: str | None = None

    def __str__(self):
        return f"{self.name} ({self.id_number_masked})"

    @property
    def id_number(self) -> str:
        if self._new_id_number is not None:
            return self._new_id_number
        return decrypt(self.id_number_cipher)

    @id_number.setter
    def id_number(self, value) -> None:
        value = normalize_id_number(value)
        if self.id_number_cipher and self._new_id_number is None and value == decrypt(self.id_number_cipher):
            return  # unchanged: keep the ciphertext, so the history records no change
        self._new_id_number = value
        self.id_number_cipher = encrypt(value)
        self.id_number_hash = search_hash(value) if value else ""
        birth_date = id_number_birth_date(value) if len(value) == 18 else None
        if birth_date is not None and value[16].isdigit():
            self.birth_date, self.gender = birth_date, id_number_gender(value)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone(self) -> str:
        if self._new_phone is not None:
            return self._new_phone
        return decrypt(self.phone_cipher)

    @phone.setter
    def phone(self, value) -> None:
        value = normalize_phone(value)
        if self._new_phone is None and value == decrypt(self.phone_cipher):
            return
        self._new_phone = value
        self.phone_cipher = encrypt(value)

    def clean(self):
        if self.external_id is not None:
            self.external_id = self.external_id.strip() or None
        errors = require_side(self, "hometown", Side.WEST)
        if self._new_id_number is not None or not self.id_number_cipher:
            try:
                if not (self._new_id_number or self.id_number_cipher):
                    raise ValidationError(_("The ID number is required."), code="required")
                validate_id_number(self._new_id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages
        if self._new_phone:
            try:
                validate_phone(self._new_phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # The hash is never a form field, but its uniqueness is the ID number's: always check
        # it, and report it on ``id_number`` without quoting any value.
        exclude = set(exclude or ()) - {"id_number_hash", "external_id"}
        if "id_number" in exclude:
            exclude.add("id_number_hash")  # the ID number itself is invalid: that error says enough
        super().validate_constraints(exclude=exclude)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._new_id_number = self._new_phone = None


class Placement(AuditedModel):
    """A period of employment of a worker: where (destination), with whom, from when to when.

    A worker may hold several placements over time. Two placements of one worker may not
    overlap, except outworker (home-based piecework) ones, which can be held beside any job;
    the rule spans rows, so ``labor.services.placement_check`` holds it and
    ``labor.services.placement_save`` enforces it under the worker's row lock.
    """

    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="placements")
    employer = models.ForeignKey(
        Organization,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    destination = models.CharField(_("destination"), max_length=10, choices=Destination.choices)
    position = models.CharField(_("position"), max_length=100, blank=True)
    started_on = models.DateField(_("started on"), validators=[validate_record_date])
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        validators=[validate_record_date],
        help_text=_("Empty while still employed."),
    )
    monthly_wage = MoneyField(_("monthly wage (yuan)"), null=True, blank=True)

    record_kind = RecordKind(region="worker__hometown", date="started_on", period=("started_on", "ended_on"))

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_on", "id"]
        constraints = [
            period_constraint("placement_period_in_order"),
            models.CheckConstraint(
                condition=Q(monthly_wage__isnull=True) | Q(monthly_wage__gte=0),
                name="placement_wage_not_negative",
                violation_error_message=_("The monthly wage cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "started_on"], name="labor_placement_worker_start"),
            models.Index(fields=["started_on", "ended_on"], name="labor_placement_period"),
            models.Index(fields=["-started_on", "id"], name="labor_placement_order"),  # the default ordering
            # The admin's search by position (contains; pg_trgm, migration 0004).
            GinIndex(fields=["position"], opclasses=["gin_trgm_ops"], name="labor_placement_pos_trgm"),
        ]

    def __str__(self):
        return f"{self.get_destination_display()} {self.started_on:%Y-%m-%d}"

    def clean(self):
        errors = {}
        if self.destination == Destination.EAST:
            errors.update(require_side(self, "employer", Side.EAST))
        errors.update(period_errors(self.started_on, self.ended_on))
        if errors:
            raise ValidationError(errors)


class Workshop(AuditedModel):
    """An assistance workshop (帮扶车间): a factory floor in a village, run by an operator."""

    name = models.CharField(_("name"), max_length=200)
    operator = models.ForeignKey(
        Organization, verbose_name=_("operator"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"side": Side.WEST},
    )
    opened_on = models.DateField(_("opened on"), validators=[validate_record_date])
    closed_on = models.DateField(_("closed on"), null=True, blank=True, validators=[validate_record_date])
    jobs_offered = models.PositiveIntegerField(_("jobs offered"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    record_kind = RecordKind(region="region", date="opened_on", period=("opened_on", "closed_on"))

    class Meta:
        verbose_name = _("assistance workshop")
        verbose_name_plural = _("assistance workshops")
        ordering = ["name", "id"]
        constraints = [period_constraint("workshop_period_in_order", start="opened_on", end="closed_on")]

    def __str__(self):
        return self.name

    def clean(self):
        errors = require_side(self, "region", Side.WEST)
        errors.update(period_errors(self.opened_on, self.closed_on, end_field="closed_on"))
        if errors:
            raise ValidationError(errors)


class RecruitmentEvent(AuditedModel):
    """A job fair or recruitment drive: who organised it, which employers came, how many were hired."""

    held_on = models.DateField(_("held on"), validators=[validate_record_date])
    place = models.CharField(_("place"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organiser = models.ForeignKey(
        Organization, verbose_name=_("organiser"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employers = models.ManyToManyField(Organization, verbose_name=_("employers"), blank=True, related_name="+")
    positions = models.PositiveIntegerField(_("positions offered"), default=0)
    attendees = models.PositiveIntegerField(_("attendees"), default=0)
    hires = models.PositiveIntegerField(_("hires"), default=0)

    record_kind = RecordKind(region="region", date="held_on")

    class Meta:
        verbose_name = _("recruitment event")
        verbose_name_plural = _("recruitment events")
        ordering = ["-held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hires__lte=models.F("attendees")),
                name="recruitment_hires_within_attendees",
                violation_error_message=_("Hires cannot exceed attendees."),
            ),
        ]

    def __str__(self):
        return f"{self.place} {self.held_on:%Y-%m-%d}"


class SkillsTraining(AuditedModel):
    """A skills training course and how many took it, poverty-alleviated people among them."""

    course = models.CharField(_("course"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"side": Side.WEST},
    )
    organiser = models.ForeignKey(
        Organization, verbose_name=_("organiser"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_on = models.DateField(_("started on"), validators=[validate_record_date])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[validate_record_date])
    trainees = models.PositiveIntegerField(_("trainees"))
    trainees_poverty_alleviated = models.PositiveIntegerField(_("poverty-alleviated trainees"), default=0)

    record_kind = RecordKind(region="region", date="started_on", period=("started_on", "ended_on"))

    class Meta:
        verbose_name = _("skills training")
        verbose_name_plural = _("skills trainings")
        ordering = ["-started_on", "id"]
        constraints = [
            period_constraint("skills_training_period_in_order"),
            models.CheckConstraint(
                condition=Q(trainees_poverty_alleviated__lte=models.F("trainees")),
                name="skills_training_poverty_alleviated_within_trainees",
                violation_error_message=_("Poverty-alleviated trainees cannot exceed trainees."),
            ),
        ]

    def __str__(self):
        return self.course

    def clean(self):
        errors = require_side(self, "region", Side.WEST)
        errors.update(period_errors(self.started_on, self.ended_on))
        if errors:
            raise ValidationError(errors)
