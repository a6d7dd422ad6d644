"""Choice sets of education; the values are the public contract's."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StudentStatus(models.TextChoices):
    STUDYING = "studying", _("Studying")
    GRADUATED = "graduated", _("Graduated")
    EMPLOYED = "employed", _("Employed")
    LEFT = "left", _("Left school")


class ActivityKind(models.TextChoices):
    SUMMER_CAMP = "summer_camp", _("Summer camp")
    ONLINE_CLASS = "online_class", _("Online class")
    PRESCHOOL_MANDARIN = "preschool_mandarin", _("Preschool Mandarin")
    OTHER = "other", _("Other")
