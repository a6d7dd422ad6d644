"""Warnings of labor cooperation before a county's month is submitted (CONTRACT.md 1.1)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.month_checks import MonthCheck, month_end, registry
from labor import selectors

# The Labour Law (劳动法, art. 15) forbids employing anyone under sixteen.
WORKING_AGE = 16


def placement_dates(*, region, month: datetime.date) -> list[str]:
    """Placements started in the month (workers from the county or below it) whose start date
    cannot be right: before the worker turned sixteen (before their birth, too), or after today.

    Issue 15 asked for "placements ending before they start in imported data"; the database
    refuses those (``placement_period_in_order``, checked on every path, the imports' included),
    and so does the overlap rule of ``labor.services.placement_check``, which every import row
    goes through too. What nothing refuses is a start date that the worker's own ID number
    contradicts: a mistyped year in a spreadsheet (2003 for 2023), a column of dates read as
    another format, or a wrong ID number give a worker "placed" as a child or before being
    born; and a date after today (a year typed 2032) is a placement that has not happened. The
    birth date is the part of the ID number that users without ``labor.view_full_id_number``
    may not see, so a message gives the birth year only, and the placement's id, not the
    worker's name (a submission is read by reviewers of every domain). One query.
    """
    today = timezone.localdate()
    messages = []
    for placement in selectors.placements_started_implausibly(
        region=region, first=month, last=month_end(month), today=today, working_age=WORKING_AGE
    ):
        values = {"id": placement.pk, "started": placement.started_on.isoformat()}
        if placement.started_on > today:
            messages.append(_("Placement %(id)d starts on %(started)s, a date still to come.") % values)
        else:
            messages.append(
                _("Placement %(id)d starts on %(started)s, before its worker (born in %(year)d) was %(age)d.")
                % (values | {"year": placement.worker.birth_date.year, "age": WORKING_AGE})
            )
    return messages


registry.register(MonthCheck("labor.placement_dates", placement_dates))
