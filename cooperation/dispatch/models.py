"""The abstract dispatch model shared by medical and teacher dispatches."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cooperation.choices import Side
from cooperation.dispatch.choices import DispatchRole
from cooperation.dispatch.validators import validate_programme_date
from cooperation.fields import period_constraint, period_errors
from cooperation.models import AuditedModel, Organization, require_side
from cooperation.records import RecordKind


class Dispatch(AuditedModel):
    """A person from an eastern organisation staying at a western one for a period (组团式帮扶).

    ``ended_on`` empty means the person is still there. Subclasses add their own field and
    list ``dispatch_constraints(<prefix>)`` in their ``Meta.constraints`` (constraint names
    are global in PostgreSQL, so each concrete model needs its own).
    """

    person_name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    source_org = models.ForeignKey(
        Organization,
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The eastern organisation the person comes from."),
        limit_choices_to={"side": Side.EAST},
    )
    host_org = models.ForeignKey(
        Organization,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The western organisation the person works at."),
        limit_choices_to={"side": Side.WEST},
    )
    role = models.CharField(_("role in the team"), max_length=12, choices=DispatchRole.choices)
    started_on = models.DateField(_("started on"), validators=[validate_programme_date])
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("Empty while still there."),
        validators=[validate_programme_date],
    )

    record_kind = RecordKind(region="host_org__region", date="started_on", period=("started_on", "ended_on"))

    class Meta:
        abstract = True
        ordering = ["-started_on", "id"]

    def __str__(self):
        return f"{self.person_name} ({self.get_role_display()})"

    def clean(self):
        errors = {}
        errors.update(require_side(self, "source_org", Side.EAST))
        errors.update(require_side(self, "host_org", Side.WEST))
        errors.update(period_errors(self.started_on, self.ended_on))
        if errors:
            raise ValidationError(errors)


def dispatch_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The named database constraints of a concrete dispatch model (``prefix``: its table's)."""
    return [
        period_constraint(f"{prefix}_period_in_order"),
        models.CheckConstraint(
            condition=models.Q(role__in=DispatchRole.values),
            name=f"{prefix}_role_valid",
            violation_error_message=_("Choose a valid team role."),
        ),
    ]
