"""Education's indicators on hand-made data (boundary days, region filter)."""

import datetime

import pytest

from education import selectors
from indicators import registry as indicators
from tests.education.factories import (
    MentorshipFactory,
    TeacherDispatchFactory,
    TeacherTrainingFactory,
    VocationalStudentFactory,
)

D = datetime.date


@pytest.fixture
def data(schools, regions):
    east = schools["yuyao"]
    leader = TeacherDispatchFactory(source_org=east, host_org=schools["zhaojue"], started_on=D(2022, 8, 20))
    town = TeacherDispatchFactory(
        source_org=east, host_org=schools["town"], started_on=D(2021, 9, 1), ended_on=D(2023, 1, 1)
    )
    butuo = TeacherDispatchFactory(
        source_org=east, host_org=schools["butuo"], started_on=D(2021, 9, 1), ended_on=D(2022, 12, 31)
    )
    TeacherDispatchFactory(source_org=east, host_org=schools["butuo"], started_on=D(2024, 1, 1))
    MentorshipFactory(mentor=leader, started_on=D(2023, 1, 1))
    MentorshipFactory(mentor=leader, started_on=D(2023, 12, 31))
    MentorshipFactory(mentor=leader, started_on=D(2022, 12, 31))
    MentorshipFactory(mentor=town, started_on=D(2022, 9, 1))
    MentorshipFactory(mentor=town, started_on=D(2023, 1, 1))
    MentorshipFactory(mentor=butuo, started_on=D(2022, 9, 1))
    TeacherTrainingFactory(school=schools["zhaojue"], held_on=D(2023, 1, 1), participants=100)
    TeacherTrainingFactory(school=schools["town"], held_on=D(2023, 12, 31), participants=30)
    TeacherTrainingFactory(school=schools["butuo"], held_on=D(2023, 6, 1), participants=8)
    TeacherTrainingFactory(school=None, held_on=D(2023, 6, 1), participants=400)  # county-wide, no school
    TeacherTrainingFactory(school=schools["zhaojue"], held_on=D(2024, 1, 1), participants=999)
    VocationalStudentFactory(hometown=regions["village"], school=east, enrolled_on=D(2023, 8, 30))
    VocationalStudentFactory(hometown=regions["zhaojue"], school=east, enrolled_on=D(2023, 1, 1))
    VocationalStudentFactory(hometown=regions["butuo"], school=east, enrolled_on=D(2023, 12, 31))
    VocationalStudentFactory(hometown=regions["zhaojue"], school=east, enrolled_on=D(2021, 8, 30))


@pytest.mark.django_db
class TestFigures:
    def test_teachers_dispatched_overlap_the_year(self, data, regions):
        assert selectors.education_teachers_dispatched(year=2023) == 2
        assert selectors.education_teachers_dispatched(year=2022) == 3
        assert selectors.education_teachers_dispatched(year=2023, region=regions["zhaojue"]) == 2
        assert selectors.education_teachers_dispatched(year=2023, region=regions["town"]) == 1
        assert selectors.education_teachers_dispatched(year=2023, region=regions["butuo"]) == 0
        assert selectors.education_teachers_dispatched(year=2024, region=regions["butuo"]) == 1

    def test_trainings_sum_participants_held_in_the_year(self, data, regions):
        assert selectors.education_teachers_trained(year=2023) == 538
        # a training without a school counts only in the programme-wide figure
        assert selectors.education_teachers_trained(year=2023, region=regions["zhaojue"]) == 130
        assert selectors.education_teachers_trained(year=2023, region=regions["liangshan"]) == 138
        assert selectors.education_teachers_trained(year=2023, region=regions["town"]) == 30
        assert selectors.education_teachers_trained(year=2022) == 0

    def test_mentorships_started_in_the_year_in_the_mentors_host_region(self, data, regions):
        assert selectors.education_mentorships(year=2023) == 3
        assert selectors.education_mentorships(year=2022) == 3
        assert selectors.education_mentorships(year=2023, region=regions["town"]) == 1
        assert selectors.education_mentorships(year=2022, region=regions["butuo"]) == 1
        assert selectors.education_mentorships(year=2023, region=regions["yuyao"]) == 0

    def test_vocational_students_enrolled_in_the_year_by_hometown(self, data, regions):
        assert selectors.education_vocational_students(year=2023) == 3
        assert selectors.education_vocational_students(year=2023, region=regions["zhaojue"]) == 2
        assert selectors.education_vocational_students(year=2023, region=regions["village"]) == 1
        assert selectors.education_vocational_students(year=2021) == 1

    def test_the_registry_computes_every_education_indicator(self, data, regions):
        mine = {i.key: i for i in indicators.INDICATORS if i.key.startswith("education.")}
        values = {key: indicator.compute(year=2023, region=regions["zhaojue"]) for key, indicator in mine.items()}
        assert values == {
            "education.teachers_dispatched": 2,
            "education.teachers_trained": 130,
            "education.mentorships": 3,
            "education.vocational_students": 2,
        }

    def test_no_data_is_zero(self, db):
        assert selectors.education_teachers_trained(year=2023) == 0
        assert selectors.education_mentorships(year=2023) == 0
