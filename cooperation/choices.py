"""Choice sets of the programme core; the values are the public contract's."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Side(models.TextChoices):
    EAST = "east", _("East (assisting)")
    WEST = "west", _("West (assisted)")


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")


# Depth of each level in the tree, and the length of its GB/T 2260 code and of the prefix
# ("significant digits") that every code below it starts with.
LEVEL_DEPTH = {"province": 0, "prefecture": 1, "county": 2, "town": 3, "village": 4}
LEVEL_CODE_LENGTH = {"province": 6, "prefecture": 6, "county": 6, "town": 9, "village": 12}
LEVEL_PREFIX_LENGTH = {"province": 2, "prefecture": 4, "county": 6, "town": 9, "village": 12}


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    HOSPITAL = "hospital", _("Hospital")
    SCHOOL = "school", _("School")
    GOVERNMENT = "government", _("Government body")
    SOCIAL_ORG = "social_org", _("Social organisation")
    OTHER = "other", _("Other")


class PairingKind(models.TextChoices):
    REGION = "region", _("Region to region")
    VILLAGE = "village", _("Village to village")
    SCHOOL = "school", _("School to school")
    HOSPITAL = "hospital", _("Hospital to hospital")
    ENTERPRISE = "enterprise", _("Enterprise to village or enterprise")
    OTHER = "other", _("Other")


class SecondmentDirection(models.TextChoices):
    EAST_TO_WEST = "east_to_west", _("East to west")
    WEST_TO_EAST = "west_to_east", _("West to east")


class SecondmentKind(models.TextChoices):
    CADRE = "cadre", _("Cadre")
    PROFESSIONAL = "professional", _("Professional")


class SubmissionStatus(models.TextChoices):
    # A context of their own: "Approved" is also a project's status (已批复), this one is 已审核.
    DRAFT = "draft", pgettext_lazy("submission status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("submission status", "Submitted")
    APPROVED = "approved", pgettext_lazy("submission status", "Approved")
    RETURNED = "returned", pgettext_lazy("submission status", "Returned")
