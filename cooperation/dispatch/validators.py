"""Validators shared by the dispatch apps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cooperation.fields import MAX_YEAR, MIN_YEAR


def validate_programme_date(value) -> None:
    """A date of the programme falls in the years it can have (2000-2100).

    Besides catching typos (0223 for 2023), this keeps every stored date a four-digit year, which
    the API's ``YYYY-MM-DD`` format needs.
    """
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("Enter a date between %(first)d and %(last)d.") % {"first": MIN_YEAR, "last": MAX_YEAR},
            code="out_of_range",
        )
