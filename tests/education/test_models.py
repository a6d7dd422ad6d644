"""Education's own rules (the shared dispatch rules are in tests/cooperation/test_dispatch.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from education.models import Activity, Mentorship, TeacherTraining, VocationalStudent
from tests.education.factories import TeacherDispatchFactory

D = datetime.date


@pytest.mark.django_db
class TestMentorship:
    @pytest.mark.parametrize(
        "started_on, ok",
        [(D(2022, 8, 20), True), (D(2023, 7, 31), True), (D(2022, 8, 19), False), (D(2023, 8, 1), False)],
    )
    def test_starts_during_the_mentors_stay(self, schools, started_on, ok):
        mentor = TeacherDispatchFactory(
            source_org=schools["yuyao"], host_org=schools["zhaojue"], started_on=D(2022, 8, 20), ended_on=D(2023, 7, 31)
        )
        pair = Mentorship(mentor=mentor, apprentice_name="阿说", started_on=started_on)
        if ok:
            pair.full_clean()
        else:
            with pytest.raises(ValidationError) as exc:
                pair.full_clean()
            assert "started_on" in exc.value.message_dict


@pytest.mark.django_db
class TestTrainingAndActivity:
    @pytest.mark.parametrize("model", [TeacherTraining, Activity])
    def test_at_least_one_participant(self, model):
        values = {"held_on": D(2023, 4, 1), "participants": 0}
        values |= {"topic": "x"} if model is TeacherTraining else {"kind": "online_class"}
        with pytest.raises(ValidationError) as exc:
            model(**values).full_clean()
        assert "participants" in str(exc.value)
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.create(**values)

    def test_school_is_optional(self):
        TeacherTraining(held_on=D(2023, 4, 1), topic="县级培训", participants=100).full_clean()


@pytest.mark.django_db
class TestVocationalStudent:
    def test_hometown_west_and_school_east(self, regions, schools):
        student = VocationalStudent(
            name="吉克", hometown=regions["yuyao"], school=schools["zhaojue"], enrolled_on=D(2021, 8, 30)
        )
        with pytest.raises(ValidationError) as exc:
            student.full_clean()
        assert set(exc.value.message_dict) == {"hometown", "school"}
        student.hometown, student.school = regions["village"], schools["yuyao"]
        student.full_clean()
        assert student.status == "studying"

    def test_status_is_one_of_the_contracts(self, regions, schools):
        student = VocationalStudent(
            name="吉克", hometown=regions["village"], school=schools["yuyao"], enrolled_on=D(2021, 8, 30), status="x"
        )
        with pytest.raises(ValidationError):
            student.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            student.save()
