"""Field types every app uses, so that money, years and periods mean the same everywhere."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MIN_YEAR = 2000
MAX_YEAR = 2100


class MoneyField(models.DecimalField):
    """An amount in yuan, two decimal places (up to 99,999,999,999,999.99)."""

    def __init__(self, *args, positive: bool = False, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        self.positive = positive
        if positive:
            kwargs["validators"] = [*kwargs.get("validators", []), MinValueValidator(Decimal("0.01"))]
        else:
            kwargs["validators"] = [*kwargs.get("validators", []), MinValueValidator(Decimal("0"))]
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if self.positive:
            kwargs["positive"] = True
        return name, path, args, kwargs


class YearField(models.PositiveSmallIntegerField):
    """A calendar year of the programme (2000-2100)."""

    def __init__(self, *args, **kwargs):
        kwargs["validators"] = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs


def period_constraint(name: str, start: str = "started_on", end: str = "ended_on") -> models.CheckConstraint:
    """Database guard that a period ends on or after it starts (an open end is allowed)."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=_("The end date must be on or after the start date."),
    )


def positive_constraint(name: str, field: str = "amount") -> models.CheckConstraint:
    """Database guard that an amount is strictly positive."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gt": 0}),
        name=name,
        violation_error_message=_("The amount must be greater than zero."),
    )


def period_errors(start, end, *, end_field: str = "ended_on") -> dict:
    """Row rule for ``clean()``: the end of a period is not before its start (errors by field)."""
    if start and end and end < start:
        return {end_field: [_("The end date must be on or after the start date.")]}
    return {}


def validate_period(start, end, *, end_field: str = "ended_on") -> None:
    """Raise ValidationError when the period ends before it starts."""
    errors = period_errors(start, end, end_field=end_field)
    if errors:
        raise ValidationError(errors)
