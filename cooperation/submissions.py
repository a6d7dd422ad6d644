"""The monthly cycle (CONTRACT.md 1.1): every move of a submission, its rules and its audit.

draft ──submit──▶ submitted ──approve──▶ approved ──reopen (administrators)──▶ returned
                      │                                                          │
                      └──return (comment)──▶ returned ──submit──▶ submitted ◀────┘

- Programme staff (and API clients) create and submit (``cooperation.change_submission``);
  reviewers approve and return (``cooperation.review_submission``); administrators reopen
  (``cooperation.reopen_submission``). Nobody approves a submission they submitted.
- A move not allowed from the current status is a ``ValidationError`` naming ``status``; a
  move the user may not make is ``PermissionDenied``.
- Submitting computes the month's warnings (:mod:`cooperation.month_checks`) and stores them;
  submitting with warnings needs a comment saying why the figures are right.
- Each move locks the submission's row (two reviewers at once: one wins, the other gets the
  new status), saves it with the move as the history's change reason, and so leaves who, when,
  the comment and the move in the record's history.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.choices import SubmissionStatus
from cooperation.models import Submission
from cooperation.month_checks import month_warnings
from cooperation.roles import REOPEN_PERMISSION, REVIEW_PERMISSION, SUBMIT_PERMISSION

# Which moves each status allows: move → (statuses it starts from, status it leads to).
MOVES = {
    "submit": ((SubmissionStatus.DRAFT, SubmissionStatus.RETURNED), SubmissionStatus.SUBMITTED),
    "approve": ((SubmissionStatus.SUBMITTED,), SubmissionStatus.APPROVED),
    "return": ((SubmissionStatus.SUBMITTED,), SubmissionStatus.RETURNED),
    "reopen": ((SubmissionStatus.APPROVED,), SubmissionStatus.RETURNED),
}
_PERMISSION = {
    "submit": SUBMIT_PERMISSION,
    "approve": REVIEW_PERMISSION,
    "return": REVIEW_PERMISSION,
    "reopen": REOPEN_PERMISSION,
}
EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


def allowed_moves(*, submission: Submission, user) -> list[str]:
    """The moves ``user`` may make on ``submission`` now (the admin's buttons)."""
    return [
        move
        for move, (sources, _target) in MOVES.items()
        if submission.status in sources and _refusal(move, submission, user) is None
    ]


def _refusal(move: str, submission: Submission, user) -> str | None:
    """Why ``user`` may not make ``move`` (a permission matter), or None."""
    if not user.has_perm(_PERMISSION[move]):
        return {
            "submit": _("Only programme staff submit a month."),
            "approve": _("Only reviewers approve a month."),
            "return": _("Only reviewers return a month."),
            "reopen": _("Only administrators reopen an approved month."),
        }[move]
    if move == "approve" and submission.submitted_by_id is not None and submission.submitted_by_id == user.pk:
        return _("You submitted this month: another reviewer must approve it (four eyes).")
    return None


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().select_related("region").get(pk=submission.pk)


def _start(move: str, submission: Submission, user) -> Submission:
    """The submission's row, locked, after the move's permission and status checks."""
    refusal = _refusal(move, submission, user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    current = _locked(submission)
    sources, _target = MOVES[move]
    if current.status not in sources:
        raise ValidationError(
            {
                "status": _("A submission that is %(status)s cannot be %(move)s (allowed from: %(allowed)s).")
                % {
                    "status": current.get_status_display(),
                    "move": _move_label(move),
                    "allowed": _(", ").join(str(SubmissionStatus(s).label) for s in sources),
                }
            }
        )
    return current


def _move_label(move: str) -> str:
    return {"submit": _("submitted"), "approve": _("approved"), "return": _("returned"), "reopen": _("reopened")}[move]


def _required_text(value, field: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError({field: _("This field is required.")})
    return text


def _finish(submission: Submission, move: str, user) -> Submission:
    submission.status = MOVES[move][1]
    submission._change_reason = move
    submission._history_user = user
    submission.full_clean()
    submission.save()
    return submission


@transaction.atomic
def submission_create(*, region, month, comment: str = "", user=None) -> Submission:
    """A new draft for (county ``region``, ``month``)."""
    submission = Submission(region=region, month=month, comment=comment or "")
    submission.full_clean()
    submission._history_user = user
    submission.save()
    return submission


@transaction.atomic
def submission_update(*, submission: Submission, **fields) -> Submission:
    """Change a draft or a returned submission (its county, month or comment); one on its way
    or approved changes only by its moves."""
    current = _locked(submission)
    if current.status not in EDITABLE:
        raise ValidationError(
            {
                "status": _("A submission that is %(status)s changes only by its moves.")
                % {"status": current.get_status_display()}
            }
        )
    for name, value in fields.items():
        if name in ("region", "month", "comment"):
            setattr(current, name, value)
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def submission_delete(*, submission: Submission) -> None:
    """Delete a draft (a submitted, approved or returned month keeps its record)."""
    current = _locked(submission)
    if current.status != SubmissionStatus.DRAFT:
        raise ValidationError(
            {
                "status": _("Only a draft can be deleted; this submission is %(status)s.")
                % {"status": current.get_status_display()}
            }
        )
    current.delete()


@transaction.atomic
def submission_submit(*, submission: Submission, user, comment: str | None = None) -> Submission:
    """draft or returned → submitted, with the month's warnings; a comment is needed when there
    are warnings (a draft's own comment counts; a returned one's is the reviewer's)."""
    current = _start("submit", submission, user)
    warnings = month_warnings(region=current.region, month=current.month)
    given = comment.strip() if isinstance(comment, str) else ""
    if not given and current.status == SubmissionStatus.DRAFT:
        given = current.comment.strip()
    if warnings and not given:
        raise ValidationError(
            {
                "comment": _(
                    "This month has %(count)d warning(s): say in a comment why the figures are right, "
                    "then submit. %(warnings)s"
                )
                % {"count": len(warnings), "warnings": " ".join(w["message"] for w in warnings)}
            }
        )
    current.warnings = warnings
    current.comment = given
    current.submitted_by = user
    current.submitted_at = timezone.now()
    current.reviewed_by = None
    current.reviewed_at = None
    return _finish(current, "submit", user)


@transaction.atomic
def submission_approve(*, submission: Submission, user) -> Submission:
    """submitted → approved: the month's figures are the county's reported figures and locked."""
    current = _start("approve", submission, user)
    current.reviewed_by = user
    current.reviewed_at = timezone.now()
    return _finish(current, "approve", user)


@transaction.atomic
def submission_return(*, submission: Submission, user, comment) -> Submission:
    """submitted → returned, with the reviewer's comment (required)."""
    current = _start("return", submission, user)
    text = _required_text(comment, "comment")
    current.reviewed_by = user
    current.reviewed_at = timezone.now()
    current.comment = text
    return _finish(current, "return", user)


@transaction.atomic
def submission_reopen(*, submission: Submission, user, reason) -> Submission:
    """approved → returned by an administrator, with the reason (required): the month unlocks."""
    current = _start("reopen", submission, user)
    text = _required_text(reason, "reason")
    current.reviewed_by = user
    current.reviewed_at = timezone.now()
    current.comment = text
    return _finish(current, "reopen", user)


MOVE_SERVICES = {
    "submit": submission_submit,
    "approve": submission_approve,
    "return": submission_return,
    "reopen": submission_reopen,
}
