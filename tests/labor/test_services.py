"""Placement rules: period order and the overlap rule (only outworker placements may overlap);
worker uniqueness lost to a concurrent request."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from labor import services
from labor.models import EXTERNAL_ID_TAKEN, ID_NUMBER_TAKEN, PLACEMENT_OVERLAP, Placement, Worker
from tests.factories import OrganizationFactory
from tests.labor.factories import PlacementFactory, WorkerFactory
from tests.labor.id_numbers import make_id_number

D = datetime.date


@pytest.fixture
def worker(regions):
    return WorkerFactory(hometown=regions["village"])


@pytest.mark.django_db
class TestPlacementRules:
    def test_end_before_start_is_refused(self, worker):
        with pytest.raises(ValidationError) as info:
            services.placement_create(
                worker=worker, destination="local", started_on=D(2023, 5, 1), ended_on=D(2023, 4, 1)
            )
        assert "ended_on" in info.value.message_dict

    def test_same_day_start_and_end_is_fine(self, worker):
        services.placement_create(worker=worker, destination="local", started_on=D(2023, 5, 1), ended_on=D(2023, 5, 1))

    @pytest.mark.parametrize(
        "destination, start, end, allowed",
        [
            ("east", D(2023, 6, 1), D(2023, 8, 1), False),  # inside the stored east job
            ("local", D(2022, 1, 1), D(2023, 3, 1), False),  # ends on the first day of the stored job
            ("workshop", D(2023, 12, 31), None, False),  # open-ended from its last day
            ("east", D(2022, 1, 1), D(2023, 2, 28), True),  # ends the day before
            ("east", D(2024, 1, 1), None, True),  # starts the day after
            ("outworker", D(2023, 6, 1), None, True),  # piecework at home beside the job
        ],
    )
    def test_overlap_rule(self, worker, destination, start, end, allowed):
        PlacementFactory(worker=worker, destination="east", started_on=D(2023, 3, 1), ended_on=D(2023, 12, 31))
        call = lambda: services.placement_create(  # noqa: E731
            worker=worker, destination=destination, started_on=start, ended_on=end
        )
        if allowed:
            call()
        else:
            with pytest.raises(ValidationError) as info:
                call()
            assert "started_on" in info.value.message_dict

    def test_open_ended_job_blocks_later_jobs_but_not_other_workers(self, worker, regions):
        PlacementFactory(worker=worker, destination="local", started_on=D(2021, 1, 1), ended_on=None)
        with pytest.raises(ValidationError):
            services.placement_create(worker=worker, destination="east", started_on=D(2030, 1, 1))
        other = WorkerFactory(hometown=regions["village"])
        services.placement_create(worker=other, destination="east", started_on=D(2030, 1, 1))

    def test_update_does_not_conflict_with_itself(self, worker):
        placement = PlacementFactory(worker=worker, started_on=D(2023, 1, 1), ended_on=D(2023, 6, 30))
        services.placement_update(placement=placement, ended_on=None)
        assert Placement.objects.get().ended_on is None

    def test_east_employer_must_be_in_the_east(self, worker, regions):
        western = OrganizationFactory(region=regions["zhaojue"])
        with pytest.raises(ValidationError) as info:
            services.placement_create(worker=worker, destination="east", employer=western, started_on=D(2023, 1, 1))
        assert "employer" in info.value.message_dict
        eastern = OrganizationFactory(region=regions["yuyao"])
        services.placement_create(worker=worker, destination="east", employer=eastern, started_on=D(2023, 1, 1))

    def test_rule_among_unsaved_rows(self):
        """The admin's inline rows and the demo data are checked with the same function."""
        rows = [
            Placement(destination="east", started_on=D(2023, 1, 1), ended_on=D(2023, 6, 30)),
            Placement(destination="outworker", started_on=D(2023, 2, 1)),
            Placement(destination="local", started_on=None),  # an incomplete row: nothing to compare
        ]
        services.placement_check(placement=Placement(destination="local", started_on=D(2023, 7, 1)), others=rows)
        services.placement_check(placement=Placement(destination="outworker", started_on=D(2023, 3, 1)), others=rows)
        with pytest.raises(ValidationError) as info:
            services.placement_check(
                placement=Placement(destination="workshop", started_on=D(2023, 6, 30)), others=rows
            )
        assert info.value.message_dict == {"started_on": [str(PLACEMENT_OVERLAP)]}


@pytest.mark.django_db
class TestWorkerRace:
    """A duplicate stored by a concurrent request after validation passed: the database
    refuses it, and the error names the field as validation would (never the value)."""

    @pytest.fixture
    def validation_missed(self, monkeypatch):
        monkeypatch.setattr(Worker, "validate_constraints", lambda self, exclude=None: None)

    def test_id_number(self, regions, validation_missed):
        number = make_id_number(501)
        WorkerFactory(id_number=number, hometown=regions["village"])
        with pytest.raises(ValidationError) as info:
            services.worker_create(name="n", id_number=number, hometown=regions["village"])
        assert info.value.message_dict == {"id_number": [str(ID_NUMBER_TAKEN)]}
        assert Worker.objects.count() == 1

    def test_external_id(self, regions, validation_missed):
        WorkerFactory(external_id="ext-1", hometown=regions["village"])
        worker = WorkerFactory(hometown=regions["village"])
        with pytest.raises(ValidationError) as info:
            services.worker_update(worker=worker, external_id="ext-1")
        assert info.value.message_dict == {"external_id": [str(EXTERNAL_ID_TAKEN)]}
