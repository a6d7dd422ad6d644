"""Choice sets of labor cooperation; the values are the public contract's."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Destination(models.TextChoices):
    """Where a placement puts the worker to work."""

    EAST = "east", _("In the east (paired city)")
    LOCAL = "local", _("Local job")
    WORKSHOP = "workshop", _("Assistance workshop")
    OUTWORKER = "outworker", _("Home-based outworker")
    OTHER = "other", _("Other")


# A person holds at most one of these jobs at a time; home-based piecework (outworker) can be
# done beside any of them, so outworker placements may overlap anything.
EXCLUSIVE_DESTINATIONS = frozenset({Destination.EAST, Destination.LOCAL, Destination.WORKSHOP, Destination.OTHER})


class Gender(models.TextChoices):
    """Derived from the 17th digit of the resident ID number (odd: male)."""

    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
