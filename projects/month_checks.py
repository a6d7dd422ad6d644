"""Warnings of projects and funds before a county's month is submitted (CONTRACT.md 1.1)."""

import datetime

from django.utils.translation import gettext as _

from cooperation.models import month_label
from cooperation.month_checks import MonthCheck, month_end, months_before, registry, wan_text
from projects import selectors

STALLED_MONTHS = 6


def disbursement_without_allocation(*, region, month: datetime.date) -> list[str]:
    """Money paid in the month to a project (in the county or below it) that has no fund
    allocation of that budget year or an earlier one: the payment is not covered by any funds,
    or its allocation is missing from the data. Money allocated one year and paid early the
    next (结转资金) is normal, so an earlier year's allocation counts. One message per project,
    with the month's sum; one query. The budget year is the allocation's ``year``, the rule of
    ``funds.allocated``."""
    projects = selectors.projects_paid_without_allocation(region=region, first=month, last=month_end(month))
    return [
        _(
            "Project %(project)s was paid %(amount)s ten thousand yuan in %(month)s but has no fund "
            "allocation for %(year)d or an earlier year."
        )
        % {
            "project": project,
            "amount": wan_text(project.paid_in_period),
            "month": month_label(month),
            "year": month.year,
        }
        for project in projects
    ]


def stalled(*, region, month: datetime.date) -> list[str]:
    """A project (in the county or below it) marked in progress with no disbursement in the
    six months ending with this month, although it was running for all of them: started on or
    before the first day of the six months or, without a start date, planned for that year or
    earlier. Its status (the project's current one) or its payments are out of date. One
    message per project; one query."""
    first = months_before(month, STALLED_MONTHS - 1)
    messages = []
    for project in selectors.projects_without_recent_disbursement(region=region, first=first, last=month_end(month)):
        values = {"project": project, "first": month_label(first), "month": month_label(month)}
        if project.last_paid_on is None:
            messages.append(
                _("Project %(project)s is in progress but has had no disbursement at all up to %(month)s.") % values
            )
        else:
            messages.append(
                _(
                    "Project %(project)s is in progress but has had no disbursement from %(first)s to %(month)s "
                    "(the last one on %(last)s)."
                )
                % (values | {"last": project.last_paid_on.isoformat()})
            )
    return messages


registry.register(
    MonthCheck("projects.disbursement_without_allocation", disbursement_without_allocation),
    MonthCheck("projects.stalled", stalled),
)
