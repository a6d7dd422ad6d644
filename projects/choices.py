"""Choice sets of projects and funds; the values are the public contract's."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectCategory(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    CONSUMPTION = "consumption", _("Consumption assistance")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    RURAL = "rural", _("Rural revitalisation")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


# The only moves a project's status may make (a status kept as it is is no move at all).
# Forward one step along the life cycle, or to "cancelled" from any state before "accepted".
STATUS_TRANSITIONS: dict[str, set[str]] = {
    ProjectStatus.PLANNED: {ProjectStatus.APPROVED, ProjectStatus.CANCELLED},
    ProjectStatus.APPROVED: {ProjectStatus.IN_PROGRESS, ProjectStatus.CANCELLED},
    ProjectStatus.IN_PROGRESS: {ProjectStatus.COMPLETED, ProjectStatus.CANCELLED},
    ProjectStatus.COMPLETED: {ProjectStatus.ACCEPTED, ProjectStatus.CANCELLED},
    ProjectStatus.ACCEPTED: set(),
    ProjectStatus.CANCELLED: set(),
}


class FundSource(models.TextChoices):
    CITY = "city", _("City budget")
    PROVINCE = "province", _("Provincial budget")
    SOCIAL = "social", _("Social donations")
    OTHER = "other", _("Other")


class InvestmentSector(models.TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    AGRICULTURAL = "agricultural", _("Agricultural")
    SERVICE = "service", _("Services")
    OTHER = "other", _("Other")
