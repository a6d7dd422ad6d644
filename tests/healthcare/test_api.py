"""Healthcare's endpoints: permission matrix, contract fields, its own rules, filters, query counts."""

import datetime

import pytest

from healthcare.models import MedicalServiceStat
from tests.api_matrix import EndpointMatrix
from tests.healthcare.factories import (
    DisciplineFactory,
    EastHospitalFactory,
    MedicalDispatchFactory,
    MedicalServiceStatFactory,
    NewTechniqueFactory,
    OutreachEventFactory,
    WestHospitalFactory,
)

D = datetime.date
STATS = "/api/v1/medical-service-stats/"


class TestMedicalDispatchMatrix(EndpointMatrix):
    url = "/api/v1/medical-dispatches/"

    def make_record(self):
        return MedicalDispatchFactory()

    def payload(self):
        return {
            "person_name": "王医生",
            "source_org": EastHospitalFactory().pk,
            "host_org": WestHospitalFactory().pk,
            "specialty": "anaesthesia",
            "role": "specialist",
            "started_on": "2023-03-01",
            "ended_on": "2023-05-31",
        }

    def update_payload(self, record):
        return {"specialty": "ICU"}


class TestMedicalServiceStatMatrix(EndpointMatrix):
    url = STATS

    def make_record(self):
        return MedicalServiceStatFactory()

    def payload(self):
        return {"host_org": WestHospitalFactory().pk, "month": "2023-05-01", "outpatients": 1200, "surgeries": 61}

    def update_payload(self, record):
        return {"rescues": 26}


class TestDisciplineMatrix(EndpointMatrix):
    url = "/api/v1/medical-disciplines/"

    def make_record(self):
        return DisciplineFactory()

    def payload(self):
        return {"host_org": WestHospitalFactory().pk, "department": "Emergency", "started_on": "2023-02-01"}

    def update_payload(self, record):
        return {"goal": "Chest-pain centre accredited"}


class TestNewTechniqueMatrix(EndpointMatrix):
    url = "/api/v1/medical-techniques/"

    def make_record(self):
        return NewTechniqueFactory()

    def payload(self):
        return {
            "host_org": WestHospitalFactory().pk,
            "name": "PCI",
            "department": "Cardiology",
            "introduced_on": "2023-02-01",
        }

    def update_payload(self, record):
        return {"department": "Cardiac surgery"}


class TestOutreachEventMatrix(EndpointMatrix):
    url = "/api/v1/medical-outreach-events/"

    def make_record(self):
        return OutreachEventFactory()

    def payload(self):
        return {
            "host_org": WestHospitalFactory().pk,
            "held_on": "2023-06-01",
            "place": "三河村",
            "people_served": 600,
            "medicine_value": "12000",
        }

    def update_payload(self, record):
        return {"people_served": 601}


@pytest.mark.django_db
class TestMedicalServiceStats:
    def test_contract_fields(self, api_client_for, hospitals):
        stat = MedicalServiceStat.objects.create(
            host_org=hospitals["zhaojue"], month=D(2023, 5, 1), outpatients=1067, surgeries=61, rescues=26
        )
        body = api_client_for("official").get(f"{STATS}{stat.pk}/").json()
        assert body == {
            "id": stat.pk,
            "host_org": hospitals["zhaojue"].pk,
            "month": "2023-05-01",
            "outpatients": 1067,
            "surgeries": 61,
            "rescues": 26,
            "staff_trained": 0,
        }

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"month": "2023-05-15"}, "month"),
            ({"month": "2023-05"}, "month"),
            ({"month": "0173-11-01"}, "month"),
            ({"month": None}, "month"),
            ({"outpatients": -1}, "outpatients"),
            ({"outpatients": 10**12}, "outpatients"),
            ({"surgeries": "many"}, "surgeries"),
            ({"host_org": None}, "host_org"),
        ],
    )
    def test_bad_stat_is_400_naming_the_field(self, api_client_for, hospitals, change, field):
        payload = {"host_org": hospitals["zhaojue"].pk, "month": "2023-05-01", "outpatients": 1} | change
        response = api_client_for("api").post(STATS, payload, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()

    def test_a_hospital_reports_a_month_once(self, api_client_for, hospitals):
        client = api_client_for("api")
        payload = {"host_org": hospitals["zhaojue"].pk, "month": "2023-05-01", "outpatients": 1}
        assert client.post(STATS, payload, format="json").status_code == 201
        again = client.post(STATS, payload | {"outpatients": 2}, format="json")
        assert again.status_code == 400
        assert "month" in again.json()
        other = client.post(STATS, payload | {"host_org": hospitals["town"].pk}, format="json")
        assert other.status_code == 201
        assert MedicalServiceStat.objects.count() == 2

    def test_host_must_be_west(self, api_client_for, hospitals):
        payload = {"host_org": hospitals["yuyao"].pk, "month": "2023-05-01"}
        response = api_client_for("api").post(STATS, payload, format="json")
        assert response.status_code == 400 and "host_org" in response.json()

    def test_filters(self, api_client_for, hospitals, regions):
        for key, month in (("zhaojue", D(2022, 12, 1)), ("zhaojue", D(2023, 1, 1)), ("butuo", D(2023, 2, 1))):
            MedicalServiceStat.objects.create(host_org=hospitals[key], month=month)
        client = api_client_for("official")

        def count(**params):
            response = client.get(STATS, params)
            assert response.status_code == 200, response.content
            return response.json()["count"]

        assert count(year=2023) == 2
        assert count(host_org=hospitals["zhaojue"].pk) == 2
        assert count(host_region_within=regions["butuo"].pk) == 1
        assert count(month_after="2023-01-01", month_before="2023-01-31") == 1
        assert count(search="布拖") == 1
        assert [r["month"] for r in client.get(STATS, {"ordering": "month"}).json()["results"]] == [
            "2022-12-01",
            "2023-01-01",
            "2023-02-01",
        ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, factory",
    [
        ("/api/v1/medical-dispatches/", MedicalDispatchFactory),
        (STATS, MedicalServiceStatFactory),
        ("/api/v1/medical-disciplines/", DisciplineFactory),
        ("/api/v1/medical-techniques/", NewTechniqueFactory),
        ("/api/v1/medical-outreach-events/", OutreachEventFactory),
    ],
)
def test_list_query_count_is_flat(api_client_for, django_assert_max_num_queries, url, factory):
    client = api_client_for("official")
    for n in (2, 12):
        factory.create_batch(n - factory._meta.model.objects.count())
        with django_assert_max_num_queries(6):  # 5, + 1 for the user's scope
            response = client.get(url)
        assert response.json()["count"] == n


@pytest.mark.django_db
def test_a_racing_duplicate_month_is_a_400(api_client_for, hospitals, monkeypatch):
    """The second of two simultaneous requests passes validation and is stopped by the database."""
    client = api_client_for("api")
    payload = {"host_org": hospitals["zhaojue"].pk, "month": "2023-05-01"}
    assert client.post(STATS, payload, format="json").status_code == 201
    # as if both were validated before either was saved
    monkeypatch.setattr(MedicalServiceStat, "full_clean", lambda self, *args, **kwargs: None)
    response = client.post(STATS, payload, format="json")
    assert response.status_code == 400 and "month" in response.json()
    assert MedicalServiceStat.objects.count() == 1


@pytest.mark.django_db
def test_a_racing_move_onto_a_taken_month_is_a_400(api_client_for, hospitals, monkeypatch):
    """The same on update: the change passed validation before the month was taken."""
    client = api_client_for("api")
    MedicalServiceStatFactory(host_org=hospitals["zhaojue"], month=D(2023, 5, 1))
    june = MedicalServiceStatFactory(host_org=hospitals["zhaojue"], month=D(2023, 6, 1))
    monkeypatch.setattr(MedicalServiceStat, "full_clean", lambda self, *args, **kwargs: None)
    response = client.patch(f"{STATS}{june.pk}/", {"month": "2023-05-01"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"month": ["该医院本月的统计数据已存在。"]}
    june.refresh_from_db()
    assert june.month == D(2023, 6, 1)
