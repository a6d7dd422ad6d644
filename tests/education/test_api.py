"""Education's endpoints: permission matrix, contract fields, its own rules, filters, query counts."""

import datetime

import pytest

from education.models import Mentorship
from tests.api_matrix import EndpointMatrix
from tests.education.factories import (
    ActivityFactory,
    EastSchoolFactory,
    MentorshipFactory,
    TeacherDispatchFactory,
    TeacherTrainingFactory,
    VocationalStudentFactory,
    WestSchoolFactory,
)
from tests.factories import RegionFactory

D = datetime.date


class TestTeacherDispatchMatrix(EndpointMatrix):
    url = "/api/v1/teacher-dispatches/"

    def make_record(self):
        return TeacherDispatchFactory()

    def payload(self):
        return {
            "person_name": "陈老师",
            "source_org": EastSchoolFactory().pk,
            "host_org": WestSchoolFactory().pk,
            "subject": "physics",
            "role": "leader",
            "started_on": "2022-08-20",
        }

    def update_payload(self, record):
        return {"subject": "chemistry"}


class TestMentorshipMatrix(EndpointMatrix):
    url = "/api/v1/mentorships/"

    def make_record(self):
        return MentorshipFactory()

    def payload(self):
        return {"mentor": TeacherDispatchFactory().pk, "apprentice_name": "阿说", "started_on": "2023-03-01"}

    def update_payload(self, record):
        return {"apprentice_name": "阿说木呷"}


class TestTeacherTrainingMatrix(EndpointMatrix):
    url = "/api/v1/teacher-trainings/"

    def make_record(self):
        return TeacherTrainingFactory()

    def payload(self):
        return {"held_on": "2023-04-01", "topic": "课堂教学", "participants": 40}

    def update_payload(self, record):
        return {"participants": 41}


class TestVocationalStudentMatrix(EndpointMatrix):
    url = "/api/v1/vocational-students/"

    def make_record(self):
        return VocationalStudentFactory()

    def payload(self):
        return {
            "name": "吉克",
            "hometown": RegionFactory(side="west").pk,
            "school": EastSchoolFactory().pk,
            "enrolled_on": "2021-08-30",
            "major": "数控",
        }

    def update_payload(self, record):
        return {"status": "employed"}


class TestActivityMatrix(EndpointMatrix):
    url = "/api/v1/education-activities/"

    def make_record(self):
        return ActivityFactory()

    def payload(self):
        return {"held_on": "2023-07-15", "kind": "online_class", "participants": 438}

    def update_payload(self, record):
        return {"title": "Online class"}


@pytest.mark.django_db
class TestContractFields:
    def test_teacher_dispatch(self, api_client_for, schools):
        dispatch = TeacherDispatchFactory(source_org=schools["yuyao"], host_org=schools["zhaojue"], subject="数学")
        body = api_client_for("official").get(f"/api/v1/teacher-dispatches/{dispatch.pk}/").json()
        assert body == {
            "id": dispatch.pk,
            "person_name": dispatch.person_name,
            "source_org": schools["yuyao"].pk,
            "host_org": schools["zhaojue"].pk,
            "subject": "数学",
            "role": "resident",
            "started_on": "2022-08-20",
            "ended_on": None,
        }

    def test_mentorship_training_student(self, api_client_for, schools, regions):
        client = api_client_for("official")
        pair = MentorshipFactory(apprentice_name="阿说")
        assert client.get(f"/api/v1/mentorships/{pair.pk}/").json() == {
            "id": pair.pk,
            "mentor": pair.mentor_id,
            "apprentice_name": "阿说",
            "started_on": "2023-03-01",
        }
        training = TeacherTrainingFactory(school=None, topic="全县培训", participants=538)
        assert client.get(f"/api/v1/teacher-trainings/{training.pk}/").json() == {
            "id": training.pk,
            "held_on": "2023-04-01",
            "topic": "全县培训",
            "participants": 538,
            "school": None,
        }
        student = VocationalStudentFactory(name="吉克", hometown=regions["village"], school=schools["yuyao"])
        assert client.get(f"/api/v1/vocational-students/{student.pk}/").json() == {
            "id": student.pk,
            "name": "吉克",
            "hometown": regions["village"].pk,
            "school": schools["yuyao"].pk,
            "enrolled_on": "2021-08-30",
            "major": "Mechatronics",
            "status": "studying",
        }


@pytest.mark.django_db
class TestRulesThroughTheApi:
    @pytest.mark.parametrize(
        "url, payload, field",
        [
            ("/api/v1/teacher-trainings/", {"held_on": "2023-04-01", "topic": "x", "participants": 0}, "participants"),
            (
                "/api/v1/teacher-trainings/",
                {"held_on": "2023-04-01", "topic": "x", "participants": 2**40},
                "participants",
            ),
            ("/api/v1/teacher-trainings/", {"held_on": "2023-04-01", "topic": "x"}, "participants"),
            ("/api/v1/teacher-trainings/", {"held_on": "04/01/2023", "topic": "x", "participants": 1}, "held_on"),
            ("/api/v1/education-activities/", {"held_on": "2023-04-01", "kind": "party", "participants": 1}, "kind"),
            (
                "/api/v1/education-activities/",
                {"held_on": "2023-04-01", "kind": "other", "participants": 0},
                "participants",
            ),
            ("/api/v1/mentorships/", {"mentor": 999999, "apprentice_name": "x", "started_on": "2023-01-01"}, "mentor"),
            ("/api/v1/mentorships/", {"mentor": "abc", "apprentice_name": "x", "started_on": "2023-01-01"}, "mentor"),
        ],
    )
    def test_bad_input_is_400_naming_the_field(self, api_client_for, url, payload, field):
        response = api_client_for("staff").post(url, payload, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()

    def test_mentor_must_be_there_when_the_pair_starts(self, api_client_for, schools):
        mentor = TeacherDispatchFactory(
            source_org=schools["yuyao"], host_org=schools["zhaojue"], started_on=D(2022, 8, 20), ended_on=D(2023, 7, 31)
        )
        payload = {"mentor": mentor.pk, "apprentice_name": "阿说", "started_on": "2023-08-01"}
        client = api_client_for("staff")
        response = client.post("/api/v1/mentorships/", payload, format="json")
        assert response.status_code == 400 and "started_on" in response.json()
        assert (
            client.post("/api/v1/mentorships/", payload | {"started_on": "2023-07-31"}, format="json").status_code
            == 201
        )

    def test_student_sides(self, api_client_for, schools, regions):
        payload = {
            "name": "吉克",
            "hometown": regions["yuyao"].pk,
            "school": schools["zhaojue"].pk,
            "enrolled_on": "2021-08-30",
        }
        response = api_client_for("staff").post("/api/v1/vocational-students/", payload, format="json")
        assert response.status_code == 400
        assert {"hometown", "school"} <= set(response.json())
        bad_status = payload | {"hometown": regions["village"].pk, "school": schools["yuyao"].pk, "status": "married"}
        response = api_client_for("staff").post("/api/v1/vocational-students/", bad_status, format="json")
        assert response.status_code == 400 and "status" in response.json()

    def test_a_mentor_with_mentees_cannot_be_deleted(self, api_client_for):
        pair = MentorshipFactory()
        response = api_client_for("admin").delete(f"/api/v1/teacher-dispatches/{pair.mentor_id}/")
        assert response.status_code == 400
        assert Mentorship.objects.filter(pk=pair.pk).exists()


@pytest.mark.django_db
class TestFilters:
    def test_mentorships_by_year_mentor_and_host(self, api_client_for, schools, regions):
        zhaojue = TeacherDispatchFactory(source_org=schools["yuyao"], host_org=schools["zhaojue"])
        butuo = TeacherDispatchFactory(source_org=schools["yuyao"], host_org=schools["butuo"])
        MentorshipFactory(mentor=zhaojue, started_on=D(2023, 1, 1))
        MentorshipFactory(mentor=zhaojue, started_on=D(2022, 12, 31))
        MentorshipFactory(mentor=butuo, started_on=D(2023, 5, 1))
        client = api_client_for("official")

        def count(**params):
            response = client.get("/api/v1/mentorships/", params)
            assert response.status_code == 200, response.content
            return response.json()["count"]

        assert count(year=2023) == 2
        assert count(mentor=zhaojue.pk) == 2
        assert count(host_org=schools["butuo"].pk) == 1
        assert count(host_region_within=regions["zhaojue"].pk) == 2
        assert count(started_on_before="2022-12-31") == 1
        assert client.get("/api/v1/mentorships/", {"host_org": "x"}).status_code == 400

    def test_trainings_students_activities(self, api_client_for, schools, regions):
        TeacherTrainingFactory(school=schools["zhaojue"], held_on=D(2023, 1, 1))
        TeacherTrainingFactory(school=None, held_on=D(2022, 1, 1))
        VocationalStudentFactory(hometown=regions["village"], school=schools["yuyao"], status="employed")
        VocationalStudentFactory(hometown=regions["butuo"], school=schools["yuyao"], enrolled_on=D(2022, 9, 1))
        ActivityFactory(kind="summer_camp", school=schools["town"])
        ActivityFactory(kind="online_class", school=None, held_on=D(2022, 3, 1))
        client = api_client_for("official")

        def count(url, **params):
            response = client.get(f"/api/v1/{url}/", params)
            assert response.status_code == 200, response.content
            return response.json()["count"]

        assert count("teacher-trainings", year=2023) == 1
        assert count("teacher-trainings", school=schools["zhaojue"].pk) == 1
        assert count("teacher-trainings", school_region_within=regions["zhaojue"].pk) == 1
        assert count("teacher-trainings", held_on_after="2022-06-01") == 1
        assert count("vocational-students", status="employed") == 1
        assert count("vocational-students", year=2022) == 1
        assert count("vocational-students", hometown_within=regions["zhaojue"].pk) == 1
        assert count("vocational-students", school=schools["yuyao"].pk) == 2
        assert count("education-activities", kind="summer_camp") == 1
        assert count("education-activities", year=2022) == 1
        assert count("education-activities", school_region_within=regions["zhaojue"].pk) == 1
        assert client.get("/api/v1/vocational-students/", {"status": "married"}).status_code == 400
        assert client.get("/api/v1/education-activities/", {"kind": "party"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, factory",
    [
        ("/api/v1/teacher-dispatches/", TeacherDispatchFactory),
        ("/api/v1/mentorships/", MentorshipFactory),
        ("/api/v1/teacher-trainings/", TeacherTrainingFactory),
        ("/api/v1/vocational-students/", VocationalStudentFactory),
        ("/api/v1/education-activities/", ActivityFactory),
    ],
)
def test_list_query_count_is_flat(api_client_for, django_assert_max_num_queries, url, factory):
    client = api_client_for("official")
    for n in (2, 12):
        factory.create_batch(n - factory._meta.model.objects.count())
        with django_assert_max_num_queries(6):  # 5, + 1 for the user's scope
            response = client.get(url)
        assert response.json()["count"] == n
