"""Healthcare's admin pages render for staff, and their lists cost a flat number of queries."""

import pytest

from tests.cooperation.admin_pages import AdminPages
from tests.healthcare.factories import (
    DisciplineFactory,
    MedicalDispatchFactory,
    MedicalServiceStatFactory,
    NewTechniqueFactory,
    OutreachEventFactory,
)

PAGES = [
    ("medicaldispatch", MedicalDispatchFactory),
    ("medicalservicestat", MedicalServiceStatFactory),
    ("discipline", DisciplineFactory),
    ("newtechnique", NewTechniqueFactory),
    ("outreachevent", OutreachEventFactory),
]


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("staff"))
    return client


class TestAdminPages(AdminPages):
    app = "healthcare"
    pages = PAGES


@pytest.mark.django_db
def test_a_hospitals_months_are_one_click_from_its_dispatches(staff_client, hospitals):
    dispatch = MedicalDispatchFactory(source_org=hospitals["yuyao"], host_org=hospitals["zhaojue"])
    MedicalServiceStatFactory(host_org=hospitals["zhaojue"])
    MedicalServiceStatFactory(host_org=hospitals["butuo"])
    link = f"/admin/healthcare/medicalservicestat/?host_org__id__exact={dispatch.host_org_id}"
    assert link in staff_client.get("/admin/healthcare/medicaldispatch/").text
    months = staff_client.get(link)
    assert months.status_code == 200
    assert [stat.host_org for stat in months.context["cl"].result_list] == [hospitals["zhaojue"]]


@pytest.mark.django_db
def test_officials_can_read_but_not_change(client, make_user):
    record = MedicalServiceStatFactory()
    client.force_login(make_user("official"))
    assert client.get("/admin/healthcare/medicalservicestat/").status_code == 200
    assert client.get("/admin/healthcare/medicalservicestat/add/").status_code == 403
    assert client.get("/admin/healthcare/medicalservicestat/import/").status_code == 403
    assert client.get(f"/admin/healthcare/medicalservicestat/{record.pk}/change/").status_code == 200
