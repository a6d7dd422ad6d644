"""Report periods: which first days are valid for a kind, where a period ends, the one before."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cooperation.fields import MAX_YEAR, MIN_YEAR
from reports.choices import ReportKind

# Length of a period in months, by kind.
PERIOD_MONTHS = {ReportKind.MONTHLY: 1, ReportKind.QUARTERLY: 3, ReportKind.ANNUAL: 12}


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def validate_period_start(kind: str, start: datetime.date | None) -> None:
    """Raise a ValidationError naming ``period_start`` unless it opens a period of ``kind``."""
    if kind not in PERIOD_MONTHS or start is None:
        return
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        raise ValidationError(
            {"period_start": _("Choose a year from %(min)d to %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}}
        )
    messages = {
        ReportKind.MONTHLY: _("A monthly report starts on the first day of a month."),
        ReportKind.QUARTERLY: _("A quarterly report starts on 1 January, 1 April, 1 July or 1 October."),
        ReportKind.ANNUAL: _("An annual report starts on 1 January."),
    }
    if start.day != 1 or (start.month - 1) % PERIOD_MONTHS[kind] != 0:
        raise ValidationError({"period_start": messages[kind]})


def period_end(kind: str, start: datetime.date) -> datetime.date:
    """The last day of the period of ``kind`` that opens on ``start``."""
    return _add_months(start, PERIOD_MONTHS[kind]) - datetime.timedelta(days=1)


def previous_period_start(kind: str, today: datetime.date) -> datetime.date:
    """The start of the last complete period of ``kind`` before ``today`` (what the schedule reports on)."""
    months = PERIOD_MONTHS[kind]
    current = datetime.date(today.year, today.month - (today.month - 1) % months, 1)
    return _add_months(current, -months)
