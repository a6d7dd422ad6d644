"""Writes with rules across rows: the project status machine and the no-overspend rule.

A project's disbursements never exceed the total of its allocations. Every write that could
break that (a new or changed disbursement; an allocation reduced, moved or deleted) locks the
project rows concerned (``SELECT ... FOR UPDATE``) before it compares the sums, so that two
concurrent requests are serialised on the project and the second one sees the first one's money.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from projects import selectors
from projects.models import Disbursement, FundAllocation, Project


def _lock_projects(*ids: int) -> dict[int, Project]:
    """Lock the given projects for the rest of the transaction, in id order (no deadlocks)."""
    wanted = sorted({pk for pk in ids if pk is not None})
    return {p.pk: p for p in Project.objects.select_for_update().filter(pk__in=wanted).order_by("pk")}


def lock_project(pk: int) -> Project:
    """Lock one project row for the rest of the transaction and return it."""
    return _lock_projects(pk)[pk]


def _assign(instance, fields: dict) -> None:
    for key, value in fields.items():
        setattr(instance, key, value)


def _overspend_error(project: Project, *, disbursed: Decimal, allocated: Decimal, field: str) -> ValidationError:
    return ValidationError(
        {
            field: _(
                "Disbursements of project %(code)s would total %(disbursed)s yuan, more than its allocations "
                "of %(allocated)s yuan."
            )
            % {"code": project.code, "disbursed": disbursed, "allocated": allocated}
        }
    )


def check_funds(*, project: Project, field: str = "amount") -> None:
    """Raise when the stored disbursements of ``project`` exceed its stored allocations.
    Call it with the project locked, after the write, inside the same transaction."""
    allocated = selectors.project_allocated_total(project.pk)
    disbursed = selectors.project_disbursed_total(project.pk)
    if disbursed > allocated:
        raise _overspend_error(project, disbursed=disbursed, allocated=allocated, field=field)


def fund_allocation_check(*, allocation: FundAllocation) -> None:
    """Without locking: would saving ``allocation`` as it stands leave its stored project with
    more disbursed than allocated? For forms, to show the error before saving."""
    if allocation.pk is None:
        return  # a new allocation only adds money
    old_project_id = FundAllocation.objects.filter(pk=allocation.pk).values_list("project_id", flat=True).first()
    if old_project_id is None:
        return
    allocated = selectors.project_allocated_total_excluding(old_project_id, exclude_pk=allocation.pk)
    if old_project_id == allocation.project_id:
        allocated += allocation.amount or 0
    disbursed = selectors.project_disbursed_total(old_project_id)
    if disbursed > allocated:
        project = Project.objects.get(pk=old_project_id)
        field = "amount" if old_project_id == allocation.project_id else "project"
        raise _overspend_error(project, disbursed=disbursed, allocated=allocated, field=field)


def disbursement_check(*, disbursement: Disbursement) -> None:
    """Without locking: would ``disbursement`` as it stands overspend its project? (For forms.)"""
    if disbursement.project_id is None or disbursement.amount is None:
        return
    allocated = selectors.project_allocated_total(disbursement.project_id)
    disbursed = (
        selectors.project_disbursed_total(disbursement.project_id, exclude_pk=disbursement.pk) + disbursement.amount
    )
    if disbursed > allocated:
        raise _overspend_error(disbursement.project, disbursed=disbursed, allocated=allocated, field="amount")


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
    if project.pk is not None:
        _lock_projects(project.pk)
    project.full_clean()
    project.save()
    return project


# --- Allocations -----------------------------------------------------------------------------


def fund_allocation_create(**fields) -> FundAllocation:
    return fund_allocation_save(allocation=FundAllocation(**fields))


@transaction.atomic
def fund_allocation_update(*, allocation: FundAllocation, **fields) -> FundAllocation:
    """Update an allocation; refused when it would leave its project (old or new) with more
    disbursed than allocated."""
    _assign(allocation, fields)
    return fund_allocation_save(allocation=allocation)


@transaction.atomic
def fund_allocation_save(*, allocation: FundAllocation) -> FundAllocation:
    """Save a new or changed allocation (the API, the admin and imports all come here)."""
    allocation.full_clean()
    old_project_id = None
    if allocation.pk is not None:
        old_project_id = FundAllocation.objects.filter(pk=allocation.pk).values_list("project_id", flat=True).first()
    locked = _lock_projects(old_project_id, allocation.project_id)
    allocation.save()
    if old_project_id is not None:
        field = "amount" if old_project_id == allocation.project_id else "project"
        check_funds(project=locked[old_project_id], field=field)
    return allocation


@transaction.atomic
def fund_allocation_delete(*, allocation: FundAllocation) -> None:
    """Delete an allocation unless its project has already disbursed more than the rest."""
    project = lock_project(allocation.project_id)
    allocated = selectors.project_allocated_total_excluding(project.pk, exclude_pk=allocation.pk)
    disbursed = selectors.project_disbursed_total(project.pk)
    if disbursed > allocated:
        raise ValidationError(
            _(
                "This allocation cannot be deleted: project %(code)s has disbursed %(disbursed)s yuan and would "
                "keep only %(allocated)s yuan of allocations."
            )
            % {"code": project.code, "disbursed": disbursed, "allocated": allocated}
        )
    allocation.delete()


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
    """Save a new or changed disbursement with its project locked, unless the project's
    disbursements would then exceed its allocations (the API, the admin and imports come here)."""
    disbursement.full_clean()
    old_project_id = None
    if disbursement.pk is not None:
        old_project_id = Disbursement.objects.filter(pk=disbursement.pk).values_list("project_id", flat=True).first()
    locked = _lock_projects(old_project_id, disbursement.project_id)
    project = locked[disbursement.project_id]
    allocated = selectors.project_allocated_total(project.pk)
    disbursed = selectors.project_disbursed_total(project.pk, exclude_pk=disbursement.pk) + disbursement.amount
    if disbursed > allocated:
        raise _overspend_error(project, disbursed=disbursed, allocated=allocated, field="amount")
    disbursement.save()
    return disbursement


@transaction.atomic
def disbursement_delete(*, disbursement: Disbursement) -> None:
    disbursement.delete()
