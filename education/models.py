"""Teacher team dispatches, mentor pairs, teacher training, vocational students and activities.

School pairings (school to school) are the core's ``cooperation.Pairing`` of kind ``school``.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cooperation.choices import Side
from cooperation.dispatch.models import Dispatch, dispatch_constraints
from cooperation.dispatch.validators import validate_programme_date
from cooperation.models import AuditedModel, Organization, Region, require_side
from cooperation.records import RecordKind
from education.choices import ActivityKind, StudentStatus


def _at_least_one(name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1}),
        name=name,
        violation_error_message=_("There must be at least one participant."),
    )


class TeacherDispatch(Dispatch):
    """A teacher or school manager sent from an eastern school to a western one."""

    subject = models.CharField(_("subject"), max_length=100, help_text=_("For example mathematics, school management."))

    class Meta(Dispatch.Meta):
        verbose_name = _("teacher dispatch")
        verbose_name_plural = _("teacher dispatches")
        constraints = dispatch_constraints("teacher_dispatch")


class Mentorship(AuditedModel):
    """A mentor–apprentice pair (师徒结对) between a dispatched and a local teacher."""

    mentor = models.ForeignKey(
        TeacherDispatch, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="mentorships"
    )
    apprentice_name = models.CharField(_("apprentice"), max_length=100, help_text=_("The local teacher."))
    started_on = models.DateField(_("started on"), validators=[validate_programme_date])

    record_kind = RecordKind(region="mentor__host_org__region", date="started_on")

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-started_on", "id"]

    def __str__(self):
        return f"{self.mentor.person_name} → {self.apprentice_name}"

    def clean(self):
        # A pair is formed while the mentor is there; checked here rather than in a service
        # because it reads the mentor row only and both the admin and the API must apply it.
        if self.mentor_id and self.started_on:
            mentor = self.mentor
            if self.started_on < mentor.started_on or (mentor.ended_on and self.started_on > mentor.ended_on):
                raise ValidationError({"started_on": _("The pair must start during the mentor's stay.")})


class TeacherTraining(AuditedModel):
    """A training session for local teachers; participants are person-times (培训人次)."""

    held_on = models.DateField(_("held on"), validators=[validate_programme_date])
    topic = models.CharField(_("topic"), max_length=200)
    participants = models.PositiveIntegerField(_("participants (person-times)"), validators=[MinValueValidator(1)])
    school = models.ForeignKey(
        Organization,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teacher_trainings",
        help_text=_("The school it was held for; empty for a county-wide session."),
    )

    record_kind = RecordKind(region="school__region", date="held_on")

    class Meta:
        verbose_name = _("teacher training")
        verbose_name_plural = _("teacher trainings")
        ordering = ["-held_on", "id"]
        constraints = [_at_least_one("teacher_training_participants_at_least_one", "participants")]

    def __str__(self):
        return f"{self.held_on} {self.topic}"


class VocationalStudent(AuditedModel):
    """A student from the west at an eastern vocational school, followed through to employment."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    hometown = models.ForeignKey(
        Region,
        verbose_name=_("hometown"),
        on_delete=models.PROTECT,
        related_name="vocational_students",
        limit_choices_to={"side": Side.WEST},
    )
    school = models.ForeignKey(
        Organization,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="vocational_students",
        limit_choices_to={"side": Side.EAST},
    )
    enrolled_on = models.DateField(_("enrolled on"), validators=[validate_programme_date])
    major = models.CharField(_("major"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StudentStatus.choices, default=StudentStatus.STUDYING)

    record_kind = RecordKind(region="hometown", date="enrolled_on")

    class Meta:
        verbose_name = _("vocational student")
        verbose_name_plural = _("vocational students")
        ordering = ["-enrolled_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=StudentStatus.values),
                name="vocational_student_status_valid",
                violation_error_message=_("Choose a valid status."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = require_side(self, "hometown", Side.WEST)
        errors.update(require_side(self, "school", Side.EAST))
        if errors:
            raise ValidationError(errors)


class Activity(AuditedModel):
    """An education activity: summer camp, online class, preschool Mandarin programme..."""

    held_on = models.DateField(_("held on"), validators=[validate_programme_date])
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), validators=[MinValueValidator(1)])
    school = models.ForeignKey(
        Organization,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="education_activities",
    )

    record_kind = RecordKind(region="school__region", date="held_on")

    class Meta:
        verbose_name = _("education activity")
        verbose_name_plural = _("education activities")
        ordering = ["-held_on", "id"]
        constraints = [_at_least_one("education_activity_participants_at_least_one", "participants")]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}"
