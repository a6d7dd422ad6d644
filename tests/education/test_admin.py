"""Education's admin pages render for staff, the mentees inline works, lists cost flat queries."""

import datetime

import pytest

from education.models import Mentorship
from tests.cooperation.admin_pages import AdminPages
from tests.education.factories import (
    ActivityFactory,
    MentorshipFactory,
    TeacherDispatchFactory,
    TeacherTrainingFactory,
    VocationalStudentFactory,
)

PAGES = [
    ("teacherdispatch", TeacherDispatchFactory),
    ("mentorship", MentorshipFactory),
    ("teachertraining", TeacherTrainingFactory),
    ("vocationalstudent", VocationalStudentFactory),
    ("activity", ActivityFactory),
]


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("staff"))
    return client


class TestAdminPages(AdminPages):
    app = "education"
    pages = PAGES


@pytest.mark.django_db
def test_mentees_are_edited_on_the_teachers_page(staff_client, schools):
    teacher = TeacherDispatchFactory(source_org=schools["yuyao"], host_org=schools["zhaojue"])
    MentorshipFactory(mentor=teacher, apprentice_name="阿说")
    url = f"/admin/education/teacherdispatch/{teacher.pk}/change/"
    page = staff_client.get(url)
    assert "阿说" in page.text
    existing = Mentorship.objects.get()
    data = {
        "person_name": teacher.person_name,
        "source_org": teacher.source_org_id,
        "host_org": teacher.host_org_id,
        "subject": teacher.subject,
        "role": teacher.role,
        "started_on": "2022-08-20",
        "ended_on": "",
        "mentorships-TOTAL_FORMS": "2",
        "mentorships-INITIAL_FORMS": "1",
        "mentorships-MIN_NUM_FORMS": "0",
        "mentorships-MAX_NUM_FORMS": "1000",
        "mentorships-0-id": existing.pk,
        "mentorships-0-mentor": teacher.pk,
        "mentorships-0-apprentice_name": "阿说",
        "mentorships-0-started_on": "2023-03-01",
        "mentorships-1-mentor": teacher.pk,
        "mentorships-1-apprentice_name": "吉克",
        "mentorships-1-started_on": "2023-09-01",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert sorted(teacher.mentorships.values_list("apprentice_name", flat=True)) == ["吉克", "阿说"]
    listing = staff_client.get("/admin/education/teacherdispatch/")
    assert [row.mentee_count for row in listing.context["cl"].result_list] == [2]

    data["mentorships-1-started_on"] = "2022-01-01"  # before the teacher arrived
    data["mentorships-1-apprentice_name"] = "曲比"
    data["mentorships-TOTAL_FORMS"] = "2"
    response = staff_client.post(url, data)
    assert response.status_code == 200  # the form comes back with the error
    assert not Mentorship.objects.filter(apprentice_name="曲比").exists()


@pytest.mark.django_db
def test_teacher_list_filters_by_year(staff_client, schools):
    TeacherDispatchFactory(
        person_name="Old", started_on=datetime.date(2021, 9, 1), ended_on=datetime.date(2021, 12, 31)
    )
    TeacherDispatchFactory(person_name="New", started_on=datetime.date(2023, 9, 1))
    page = staff_client.get("/admin/education/teacherdispatch/", {"year": "2023"})
    assert [row.person_name for row in page.context["cl"].result_list] == ["New"]
