"""Reminders of the monthly cycle (CONTRACT.md 1.1), sent by e-mail on django-celery-beat's
schedule (migration 0008, editable in the admin):

- :func:`reminders_send_monthly` (the 3rd of each month): programme staff of the counties whose
  previous month is not submitted yet;
- :func:`review_digest_send` (every day): reviewers, the submissions waiting for them.

Idempotent: each e-mail is recorded as a :class:`cooperation.models.SentReminder` under the
unique key (kind, period, user), written in the transaction that sends it. A rerun of the same
firing (a second beat, a retried or redelivered task, a run by hand) sends nothing twice; a
send that fails leaves no row, so the rerun sends that one. The row commits right after its
send: a worker killed between the two sends that one e-mail again (at least once, never lost).

The mails are in the officials' language (``settings.LANGUAGE_CODE``, Chinese) whatever the
worker's locale, and hold no personal data beyond people's names.
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cooperation.choices import SubmissionStatus
from cooperation.models import ReminderKind, SentReminder, Submission, month_label
from cooperation.roles import PROGRAMME_STAFF, REVIEWERS
from cooperation.selectors import reporting_counties, submissions_waiting_for

logger = logging.getLogger(__name__)

# A month counts as submitted once it reached a reviewer; a draft or a returned month is due.
SUBMITTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)
# The portal's address in the links of the mails (no request to build them from in a worker).
DEFAULT_PORTAL_URL = "http://127.0.0.1:8000"


class ReminderSendFailed(RuntimeError):
    """Some e-mails of a run could not be sent; the others were (``sent``). Raised at the end of
    the run so that the task is retried: the rerun sends only those that failed."""

    def __init__(self, *, kind: str, failed: int, sent: int):
        self.kind, self.failed, self.sent = kind, failed, sent
        super().__init__(f"{kind} reminders: {failed} e-mail(s) failed, {sent} sent")


def previous_month(today: datetime.date) -> datetime.date:
    """The first day of the month before ``today``'s."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


# -- reads (who is reminded of what)


def _recipients(group: str):
    """Active users of ``group`` with an e-mail address."""
    return (
        get_user_model().objects.filter(groups__name=group, is_active=True).exclude(email="").distinct().order_by("pk")
    )


def months_due(*, month: datetime.date) -> list[tuple]:
    """``[(county, submission or None)]``: the reporting counties whose ``month`` is not
    submitted (no submission, or one in draft or returned), in code order. Two queries."""
    counties = list(reporting_counties().order_by("code"))
    submissions = {s.region_id: s for s in Submission.objects.filter(month=month, region__in=counties)}
    return [
        (county, submissions.get(county.pk))
        for county in counties
        if county.pk not in submissions or submissions[county.pk].status not in SUBMITTED
    ]


def staff_reminders_due(*, month: datetime.date) -> list[tuple]:
    """``[(user, [(county, submission or None), ...])]``: each programme staff member to remind
    of ``month``, with the counties due within their own scope regions.

    A county is a staff member's when one of the regions set on them (``ScopeRegion``; the
    regions paired with them do not count) is the county or above it: a prefecture's staff get
    the prefecture's counties in one e-mail. Eastern staff, who reach a county through its
    pairing only, and unscoped staff (the whole programme: province and programme staff, who
    follow the months on the reviewers' queue and the dashboard) are not reminded.
    """
    due = months_due(month=month)
    if not due:
        return []
    found = []
    for user in _recipients(PROGRAMME_STAFF).prefetch_related("scope_regions__region"):
        prefixes = [entry.region.code_prefix for entry in user.scope_regions.all()]
        mine = [(county, sub) for county, sub in due if any(county.code.startswith(p) for p in prefixes)]
        if mine:
            found.append((user, mine))
    return found


def reviewer_digests_due() -> list[tuple]:
    """``[(user, [submission, ...])]``: each reviewer with submissions waiting for them
    (within their scope, not submitted by themselves: four eyes), oldest month first."""
    found = []
    for user in _recipients(REVIEWERS):
        waiting = list(submissions_waiting_for(user))
        if waiting:
            found.append((user, waiting))
    return found


# -- writes


def reminders_send_monthly(*, today: datetime.date | None = None) -> int:
    """Remind programme staff of the counties whose previous month (of ``today``, by default
    the local date) is not submitted: one e-mail per staff member listing every county due
    within their own scope, with the admin link to create or submit its month
    (:func:`staff_reminders_due` says who; unscoped staff get none). Returns the number of
    e-mails sent by this run: 0 for those already sent for that month.
    """
    today = today or timezone.localdate()
    month = previous_month(today)
    return _send_all(
        kind=ReminderKind.MONTHLY,
        period=month,
        due=staff_reminders_due(month=month),
        compose=lambda user, counties: _monthly_message(user=user, month=month, counties=counties),
    )


def review_digest_send(*, today: datetime.date | None = None) -> int:
    """Send each reviewer with submissions waiting for them one e-mail listing those (county,
    month, who submitted it, number of warnings) with the admin link to review each; once per
    day (``today``, by default the local date). Returns the number of e-mails sent by this run.
    """
    today = today or timezone.localdate()
    return _send_all(kind=ReminderKind.DIGEST, period=today, due=reviewer_digests_due(), compose=_digest_message)


def _send_all(*, kind: str, period: datetime.date, due: list[tuple], compose: Callable) -> int:
    """Send one e-mail per ``(user, items)`` of ``due``, each at most once for (kind, period).

    Each e-mail has its own transaction, the log row first: a concurrent run waits on the
    unique key until this one commits and then skips the user; a failed send rolls the row
    back. A failure does not stop the others; the run then raises :class:`ReminderSendFailed`.
    """
    already = set(SentReminder.objects.filter(kind=kind, period=period).values_list("user_id", flat=True))
    sent = failed = 0
    for user, items in due:
        if user.pk in already:
            continue
        try:
            with transaction.atomic():
                _entry, created = SentReminder.objects.get_or_create(kind=kind, period=period, user=user)
                if not created:
                    continue  # sent meanwhile by a concurrent run
                compose(user, items).send()
        except Exception:
            failed += 1
            logger.exception("%s reminder of %s to user %s failed", kind, period, user.pk)
            continue
        sent += 1
    logger.info("%s reminders of %s: %s sent, %s failed", kind, period, sent, failed)
    if failed:
        raise ReminderSendFailed(kind=kind, failed=failed, sent=sent)
    return sent


# -- the messages


def _portal_url(path: str) -> str:
    base = getattr(settings, "PORTAL_URL", "") or DEFAULT_PORTAL_URL
    return base.rstrip("/") + path


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _submission_link(county, month: datetime.date, submission: Submission | None) -> str:
    """The admin page to submit the month: the submission's own page, or a new one filled in."""
    if submission is not None:
        return _portal_url(reverse("admin:cooperation_submission_change", args=[submission.pk]))
    query = urlencode({"region": county.pk, "month": month.isoformat()})
    return _portal_url(f"{reverse('admin:cooperation_submission_add')}?{query}")


def _message(*, user, subject: str, body: str) -> EmailMessage:
    # One recipient per e-mail: nobody sees another's address.
    return EmailMessage(subject=subject, body=body, to=[user.email])


def _monthly_message(*, user, month: datetime.date, counties: list[tuple]) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        label = month_label(month)
        lines = []
        for county, submission in counties:
            status = submission.get_status_display() if submission is not None else _("not started")
            lines.append(
                _("- %(county)s, %(month)s: %(status)s\n  %(link)s")
                % {
                    "county": county.name,
                    "month": label,
                    "status": status,
                    "link": _submission_link(county, month, submission),
                }
            )
        subject = _("East-west cooperation: the figures of %(month)s are not submitted yet") % {"month": label}
        body = "\n\n".join(
            [
                _("Dear %(name)s,") % {"name": _display_name(user)},
                _("The monthly figures of %(month)s of these counties have not been submitted for review yet:")
                % {"month": label},
                "\n".join(lines),
                _("Please complete each month in the portal and submit it (the links open its page in the admin)."),
                _("This message was sent automatically by the east-west cooperation portal."),
            ]
        )
    return _message(user=user, subject=subject, body=body)


def _digest_message(user, submissions: list[Submission]) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("- %(county)s, %(month)s: submitted by %(submitter)s, %(warnings)d warning(s)\n  %(link)s")
            % {
                "county": submission.region.name,
                "month": month_label(submission.month),
                "submitter": _display_name(submission.submitted_by) if submission.submitted_by else "-",
                "warnings": len(submission.warnings or []),
                "link": _portal_url(reverse("admin:cooperation_submission_change", args=[submission.pk])),
            }
            for submission in submissions
        ]
        subject = _("East-west cooperation: %(count)d monthly submission(s) waiting for your review") % {
            "count": len(submissions)
        }
        body = "\n\n".join(
            [
                _("Dear %(name)s,") % {"name": _display_name(user)},
                _("These monthly submissions are waiting for your review (oldest month first):"),
                "\n".join(lines),
                _("Please approve or return each one in the portal (the links open it in the admin)."),
                _("This message was sent automatically by the east-west cooperation portal."),
            ]
        )
    return _message(user=user, subject=subject, body=body)
