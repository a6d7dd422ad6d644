"""Writes with rules across rows: the no-overspend rule, and the saves that keep it.

A project's disbursements never exceed the total of its allocations. The rule is written once,
in :func:`project_funds_check`; :func:`disbursement_check` and :func:`fund_allocation_check`
say which project a row's change concerns. The admin's forms call those checks to show a broken
rule as a form error before anything is saved; every save (the API, the admin, imports) calls
them again after it has locked the project rows concerned (``SELECT ... FOR UPDATE``), so that
two concurrent requests are serialised on the project and the second one sees the first one's
money. The status machine is ``Project.clean``'s; ``project_save`` runs it under the lock.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from projects import selectors
from projects.models import Disbursement, FundAllocation, Project

OVERSPENT = _(
    "Disbursements of project %(code)s would total %(disbursed)s yuan, more than its allocations of %(allocated)s yuan."
)
ALLOCATION_SPENT = _(
    "This allocation cannot be deleted: project %(code)s has disbursed %(disbursed)s yuan and would "
    "keep only %(allocated)s yuan of allocations."
)

MoneyRow = FundAllocation | Disbursement


def _lock_projects(*ids: int | None) -> dict[int, Project]:
    """Lock the given projects for the rest of the transaction, in id order (no deadlocks)."""
    wanted = sorted({pk for pk in ids if pk is not None})
    return {p.pk: p for p in Project.objects.select_for_update().filter(pk__in=wanted).order_by("pk")}


def _assign(instance, fields: dict) -> None:
    for key, value in fields.items():
        setattr(instance, key, value)


def _stored_project_id(model: type[MoneyRow], pk: int | None) -> int | None:
    """The project a stored allocation or disbursement belongs to (None for a new one)."""
    if pk is None:
        return None
    return model.objects.filter(pk=pk).values_list("project_id", flat=True).first()


# --- The no-overspend rule -------------------------------------------------------------------


def project_funds_check(
    *,
    project: Project,
    rows: Iterable[MoneyRow] = (),
    dropped: Iterable[MoneyRow] = (),
    field: str | None = "amount",
    message: str = OVERSPENT,
) -> None:
    """Raise a ValidationError when the disbursements of ``project`` would exceed its allocations.

    The totals are the stored ones, where each of ``rows`` (allocations and disbursements of
    this project, new or changed) counts as it stands instead of as stored, and each of
    ``dropped`` (deleted, or moved to another project) no longer counts. The error names
    ``field`` (None: an error of the whole record). Without a lock this is a preview (forms);
    the saves call it with the project locked, in the transaction of the write.
    """
    rows, dropped = list(rows), list(dropped)

    def total(model: type[MoneyRow], stored_total) -> Decimal:
        counted = [row for row in rows if isinstance(row, model)]
        replaced = [row.pk for row in counted + dropped if isinstance(row, model) and row.pk is not None]
        return stored_total(project.pk, exclude=replaced) + sum((row.amount for row in counted), Decimal("0"))

    allocated = total(FundAllocation, selectors.project_allocated_total)
    disbursed = total(Disbursement, selectors.project_disbursed_total)
    if disbursed > allocated:
        text = message % {"code": project.code, "disbursed": disbursed, "allocated": allocated}
        raise ValidationError({field: text} if field else text)


def fund_allocation_check(*, fund_allocation: FundAllocation) -> None:
    """Would saving ``fund_allocation`` as it stands leave the project it is stored under with
    more disbursed than allocated? (A new allocation only adds money.)"""
    if fund_allocation.pk is None:
        return
    stored = FundAllocation.objects.select_related("project").filter(pk=fund_allocation.pk).first()
    if stored is None:
        return
    if stored.project_id == fund_allocation.project_id:
        project_funds_check(project=stored.project, rows=[fund_allocation])
    else:
        project_funds_check(project=stored.project, dropped=[fund_allocation], field="project")


def disbursement_check(*, disbursement: Disbursement) -> None:
    """Would ``disbursement`` as it stands overspend its project? (Its old project, if it moves,
    only pays less.)"""
    if disbursement.project_id is None or disbursement.amount is None:
        return  # the form shows the missing field
    project_funds_check(project=disbursement.project, rows=[disbursement])


@contextmanager
def project_funds_change(
    *, project: Project, rows: Iterable[MoneyRow] = (), dropped: Iterable[MoneyRow] = ()
) -> Iterator[None]:
    """For a write of several allocations and disbursements of one project at once (the admin's
    project page, whose formsets save them): in one transaction, lock the project, check the
    rows as they will stand (see :func:`project_funds_check`), then let the caller write them.
    Row by row through the services would refuse consistent pages (an allocation and a
    disbursement lowered together)."""
    with transaction.atomic():
        _lock_projects(project.pk)
        project_funds_check(project=project, rows=rows, dropped=dropped)
        yield


# --- Projects --------------------------------------------------------------------------------


def project_create(**fields) -> Project:
    return project_save(project=Project(**fields))


def project_update(*, project: Project, **fields) -> Project:
    _assign(project, fields)
    return project_save(project=project)


@transaction.atomic
def project_save(*, project: Project) -> Project:
    """Save a project. A change of status is checked (``Project.clean`` holds the machine)
    against the stored status read under a row lock, so two concurrent moves cannot both pass."""
    _lock_projects(project.pk)
    project.full_clean()
    project.save()
    return project


# --- Allocations -----------------------------------------------------------------------------


def fund_allocation_create(**fields) -> FundAllocation:
    return fund_allocation_save(fund_allocation=FundAllocation(**fields))


def fund_allocation_update(*, fund_allocation: FundAllocation, **fields) -> FundAllocation:
    """Update an allocation; refused when it would leave its project with more disbursed than
    allocated."""
    _assign(fund_allocation, fields)
    return fund_allocation_save(fund_allocation=fund_allocation)


@transaction.atomic
def fund_allocation_save(*, fund_allocation: FundAllocation) -> FundAllocation:
    """Save a new or changed allocation with its projects (old and new) locked (the API, the
    admin and imports all come here)."""
    fund_allocation.full_clean()
    _lock_projects(_stored_project_id(FundAllocation, fund_allocation.pk), fund_allocation.project_id)
    fund_allocation_check(fund_allocation=fund_allocation)
    fund_allocation.save()
    return fund_allocation


@transaction.atomic
def fund_allocation_delete(*, fund_allocation: FundAllocation) -> None:
    """Delete an allocation unless its project has already disbursed more than the rest."""
    project = _lock_projects(fund_allocation.project_id)[fund_allocation.project_id]
    project_funds_check(project=project, dropped=[fund_allocation], field=None, message=ALLOCATION_SPENT)
    fund_allocation.delete()


# --- Disbursements ---------------------------------------------------------------------------


def disbursement_create(**fields) -> Disbursement:
    """Record a disbursement; refused when the project's disbursements would exceed its allocations."""
    return disbursement_save(disbursement=Disbursement(**fields))


def disbursement_update(*, disbursement: Disbursement, **fields) -> Disbursement:
    """Change a disbursement (amount, date, even project) under the same rule."""
    _assign(disbursement, fields)
    return disbursement_save(disbursement=disbursement)


@transaction.atomic
def disbursement_save(*, disbursement: Disbursement) -> Disbursement:
    """Save a new or changed disbursement with its projects (old and new) locked, unless the
    project's disbursements would then exceed its allocations (the API, the admin and imports
    come here)."""
    disbursement.full_clean()
    _lock_projects(_stored_project_id(Disbursement, disbursement.pk), disbursement.project_id)
    disbursement_check(disbursement=disbursement)
    disbursement.save()
    return disbursement


@transaction.atomic
def disbursement_delete(*, disbursement: Disbursement) -> None:
    disbursement.delete()
