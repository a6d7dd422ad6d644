"""Warnings of consumption assistance before a county's month is submitted (CONTRACT.md 1.1)."""

import datetime
from decimal import Decimal
from statistics import median

from django.utils.translation import gettext as _

from consumption import selectors
from cooperation.models import month_label
from cooperation.month_checks import MonthCheck, month_end, months_before, registry, wan_text

# The month's sales above this many times the median of the months before look like a batch
# sent twice or amounts in fen instead of yuan rather than a seasonal peak (issue 15's threshold).
# The median, not the mean, so that one earlier spike does not raise the bar.
SPIKE_FACTOR = 5
HISTORY_MONTHS = 6


def sales_spike(*, region, month: datetime.date) -> list[str]:
    """The month's sales (origin in the county or below it) above five times the median of the
    six monthly totals before it, months without sales counting as zero. No warning while that
    median is zero: a county without history (or selling in fewer than half of those months)
    has no usual level to compare with. One query."""
    first = months_before(month, HISTORY_MONTHS)
    totals = selectors.sales_totals_by_month(region=region, first=first, last=month_end(month))
    history = [totals.get(months_before(month, n), Decimal(0)) for n in range(1, HISTORY_MONTHS + 1)]
    usual = median(history)
    current = totals.get(month, Decimal(0))
    if usual <= 0 or current <= SPIKE_FACTOR * usual:
        return []
    return [
        _(
            "Sales of %(month)s come to %(total)s ten thousand yuan, more than %(factor)d times the median "
            "month of the six before (%(median)s ten thousand yuan): check for a batch sent twice or "
            "amounts not in yuan."
        )
        % {"month": month_label(month), "total": wan_text(current), "factor": SPIKE_FACTOR, "median": wan_text(usual)}
    ]


registry.register(MonthCheck("consumption.sales_spike", sales_spike))
