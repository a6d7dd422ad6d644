"""The no-overspend rule: disbursements never exceed allocations, also under concurrent requests."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from projects import selectors, services
from projects.models import Disbursement, FundAllocation
from tests.factories import RegionFactory
from tests.projects.factories import DisbursementFactory, FundAllocationFactory, ProjectFactory

D = Decimal
PAID = datetime.date(2023, 6, 1)


@pytest.fixture
def project(regions):
    project = ProjectFactory(region=regions["zhaojue"])
    FundAllocationFactory(project=project, amount=D("60.00"))
    FundAllocationFactory(project=project, amount=D("40.00"))
    return project


@pytest.mark.django_db
class TestOverspend:
    def test_up_to_the_allocations_and_not_a_cent_more(self, project):
        services.disbursement_create(project=project, amount=D("99.99"), paid_on=PAID)
        services.disbursement_create(project=project, amount=D("0.01"), paid_on=PAID)
        with pytest.raises(ValidationError) as exc:
            services.disbursement_create(project=project, amount=D("0.01"), paid_on=PAID)
        assert "amount" in exc.value.message_dict
        assert selectors.project_disbursed_total(project.pk) == D("100.00")

    def test_update_counts_the_others_only(self, project):
        disbursement = services.disbursement_create(project=project, amount=D("50.00"), paid_on=PAID)
        services.disbursement_update(disbursement=disbursement, amount=D("100.00"))
        with pytest.raises(ValidationError):
            services.disbursement_update(disbursement=disbursement, amount=D("100.01"))
        assert Disbursement.objects.get(pk=disbursement.pk).amount == D("100.00")

    def test_moving_a_disbursement_to_a_project_without_money(self, project, regions):
        disbursement = services.disbursement_create(project=project, amount=D("50.00"), paid_on=PAID)
        empty = ProjectFactory(region=regions["zhaojue"])
        with pytest.raises(ValidationError):
            services.disbursement_update(disbursement=disbursement, project=empty)
        assert Disbursement.objects.get(pk=disbursement.pk).project_id == project.pk

    def test_allocation_cannot_drop_below_what_was_paid(self, project):
        services.disbursement_create(project=project, amount=D("70.00"), paid_on=PAID)
        forty = FundAllocation.objects.get(project=project, amount=D("40.00"))
        services.fund_allocation_update(fund_allocation=forty, amount=D("10.00"))  # 70 of 70: still fine
        with pytest.raises(ValidationError) as exc:
            services.fund_allocation_update(fund_allocation=forty, amount=D("9.99"))
        assert "amount" in exc.value.message_dict
        assert FundAllocation.objects.get(pk=forty.pk).amount == D("10.00")

    def test_allocation_cannot_be_deleted_or_moved_once_spent(self, project, regions):
        services.disbursement_create(project=project, amount=D("70.00"), paid_on=PAID)
        forty = FundAllocation.objects.get(project=project, amount=D("40.00"))
        with pytest.raises(ValidationError):
            services.fund_allocation_delete(fund_allocation=forty)
        assert FundAllocation.objects.filter(pk=forty.pk).exists()
        other = ProjectFactory(region=regions["zhaojue"])
        with pytest.raises(ValidationError) as exc:
            services.fund_allocation_update(fund_allocation=forty, project=other)
        assert "project" in exc.value.message_dict

    def test_unspent_allocation_can_be_deleted(self, project):
        services.disbursement_create(project=project, amount=D("60.00"), paid_on=PAID)
        forty = FundAllocation.objects.get(project=project, amount=D("40.00"))
        services.fund_allocation_delete(fund_allocation=forty)
        assert selectors.project_allocated_total(project.pk) == D("60.00")

    def test_rows_count_as_edited_and_dropped_rows_not_at_all(self, project):
        paid = DisbursementFactory(project=project, amount=D("80.00"))
        sixty = FundAllocation.objects.get(project=project, amount=D("60.00"))
        forty = FundAllocation.objects.get(project=project, amount=D("40.00"))
        sixty.amount = D("30.00")
        with pytest.raises(ValidationError):  # 80 paid of 70
            services.project_funds_check(project=project, rows=[sixty])
        paid.amount = D("30.00")
        services.project_funds_check(project=project, rows=[sixty, paid], dropped=[forty])  # 30 of 30
        more = Disbursement(project=project, amount=D("0.01"), paid_on=PAID)
        with pytest.raises(ValidationError) as exc:
            services.project_funds_check(project=project, rows=[sixty, paid, more], dropped=[forty])
        assert "30.01" in exc.value.message_dict["amount"][0]

    def test_form_checks_without_lock(self, project):
        DisbursementFactory(project=project, amount=D("90.00"))
        with pytest.raises(ValidationError):
            services.disbursement_check(disbursement=Disbursement(project=project, amount=D("10.01"), paid_on=PAID))
        services.disbursement_check(disbursement=Disbursement(project=project, amount=D("10.00"), paid_on=PAID))
        sixty = FundAllocation.objects.get(project=project, amount=D("60.00"))
        sixty.amount = D("49.99")
        with pytest.raises(ValidationError):
            services.fund_allocation_check(fund_allocation=sixty)


@pytest.mark.django_db(transaction=True)
def test_concurrent_disbursements_never_overspend():
    """Twelve requests of 30.00 race for a project with 100.00 allocated: three win, nine are
    refused, and the stored total never passes the allocations (real PostgreSQL, one connection
    per thread)."""
    region = RegionFactory()
    project = ProjectFactory(region=region)
    FundAllocationFactory(project=project, amount=D("100.00"))
    workers = 12
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def disburse():
        try:
            barrier.wait(timeout=30)
            services.disbursement_create(project=project, amount=D("30.00"), paid_on=PAID)
            result = "ok"
        except ValidationError:
            result = "refused"
        except Exception as exc:  # anything else is a failure of the test, reported below
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=disburse) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 9, outcomes
    assert selectors.project_disbursed_total(project.pk) == D("90.00")
    assert Disbursement.objects.filter(project=project).count() == 3

    # In the same test, since each transactional test costs a flush of the whole database.
    _allocation_cut_races_a_disbursement()


def _allocation_cut_races_a_disbursement():
    """A cut of an allocation racing a disbursement: whichever commits first, the other sees it."""
    region = RegionFactory()
    project = ProjectFactory(region=region)
    allocation = FundAllocationFactory(project=project, amount=D("100.00"))
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def run(name, action):
        try:
            barrier.wait(timeout=30)
            action()
            outcomes[name] = "ok"
        except ValidationError:
            outcomes[name] = "refused"
        finally:
            connection.close()

    cut = threading.Thread(
        target=run,
        args=("cut", lambda: services.fund_allocation_update(fund_allocation=allocation, amount=D("20.00"))),
    )
    pay = threading.Thread(
        target=run,
        args=("pay", lambda: services.disbursement_create(project=project, amount=D("80.00"), paid_on=PAID)),
    )
    cut.start()
    pay.start()
    cut.join(timeout=60)
    pay.join(timeout=60)

    assert sorted(outcomes.values()) == ["ok", "refused"], outcomes
    assert selectors.project_disbursed_total(project.pk) <= selectors.project_allocated_total(project.pk)
