"""Placement rules: period order and the overlap rule (only outworker placements may overlap)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from labor import services
from labor.models import Placement
from tests.factories import OrganizationFactory
from tests.labor.factories import PlacementFactory, WorkerFactory

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
