"""Choice sets of dispatches; the values are the public contract's."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DispatchRole(models.TextChoices):
    """The place of a dispatched person in the 1+4+N+X team shape."""

    LEADER = "leader", _("Team leader")
    RESIDENT = "resident", _("Long-term resident")
    SHORT_TERM = "short_term", _("Short-term member")
    SPECIALIST = "specialist", _("Specialist adviser")
