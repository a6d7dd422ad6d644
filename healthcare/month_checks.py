"""Warnings of healthcare before a county's month is submitted (CONTRACT.md 1.1)."""

import datetime

from django.utils.translation import gettext as _

from cooperation.models import month_label
from cooperation.month_checks import MonthCheck, month_end, registry
from healthcare import selectors


def stats_missing(*, region, month: datetime.date) -> list[str]:
    """A western hospital in the county or below it that hosted a medical team member during
    the month (the stay overlaps the month by a day at least) but has no monthly service
    statistics for it: the team's figures for the month would be missing from the
    ``healthcare.*`` indicators. One message per hospital, by name; one query.

    Every host organisation counts, whatever its kind: a medical dispatch is hosted by the
    organisation that reports the service figures.
    """
    hospitals = selectors.hospitals_without_month_stats(region=region, first=month, last=month_end(month))
    return [
        _("%(hospital)s hosted the medical team in %(month)s but has no service statistics for that month.")
        % {"hospital": hospital.name, "month": month_label(month)}
        for hospital in hospitals
    ]


registry.register(MonthCheck("healthcare.stats_missing", stats_missing))
