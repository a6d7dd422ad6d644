"""Labor endpoints: permission matrix, masking per role, upsert, 400s without echo, query counts."""

import datetime
import logging

import pytest
from django.contrib.auth.models import Permission

from labor.models import ID_NUMBER_TAKEN, Placement, Worker
from tests.api_matrix import EndpointMatrix
from tests.factories import OrganizationFactory, RegionFactory, UserFactory, region_tree
from tests.labor.factories import (
    PlacementFactory,
    RecruitmentEventFactory,
    SkillsTrainingFactory,
    WorkerFactory,
    WorkshopFactory,
    make_id_number,
    make_workers_with_placements,
)

ID_NUMBER = "11010519491231002X"
MASKED = "110105********002X"


def _worker_payload(hometown, **extra):
    return {
        "name": "吉克阿依",
        "id_number": ID_NUMBER,
        "hometown": hometown.pk,
        "poverty_alleviated": True,
        "phone": "13812345678",
    } | extra


class TestWorkerMatrix(EndpointMatrix):
    url = "/api/v1/workers/"

    def make_record(self):
        return WorkerFactory()

    def payload(self):
        return _worker_payload(RegionFactory())

    def update_payload(self, record):
        return {"name": "新名字"}


class TestPlacementMatrix(EndpointMatrix):
    url = "/api/v1/placements/"

    def make_record(self):
        return PlacementFactory()

    def payload(self):
        worker = WorkerFactory()
        return {"worker": worker.pk, "destination": "east", "started_on": "2023-03-01", "monthly_wage": "4500.00"}

    def update_payload(self, record):
        return {"ended_on": "2023-12-31"}


class TestWorkshopMatrix(EndpointMatrix):
    url = "/api/v1/workshops/"

    def make_record(self):
        return WorkshopFactory()

    def payload(self):
        return {"name": "三河村帮扶车间", "region": RegionFactory().pk, "opened_on": "2022-05-01", "jobs_offered": 60}

    def update_payload(self, record):
        return {"jobs_offered": 80}


class TestRecruitmentEventMatrix(EndpointMatrix):
    url = "/api/v1/recruitment-events/"

    def make_record(self):
        return RecruitmentEventFactory()

    def payload(self):
        employer = OrganizationFactory()
        return {
            "held_on": "2023-02-20",
            "place": "昭觉县城",
            "employers": [employer.pk],
            "attendees": 800,
            "hires": 120,
        }

    def update_payload(self, record):
        return {"hires": 130}


class TestSkillsTrainingMatrix(EndpointMatrix):
    url = "/api/v1/skills-trainings/"

    def make_record(self):
        return SkillsTrainingFactory()

    def payload(self):
        return {"course": "电子装配", "started_on": "2023-04-01", "trainees": 50, "trainees_poverty_alleviated": 20}

    def update_payload(self, record):
        return {"trainees": 55}


@pytest.mark.django_db
class TestWorkerMasking:
    @pytest.mark.parametrize(
        "role, full",
        [("admin", True), ("staff", False), ("official", False), ("api", False)],
    )
    def test_each_role(self, role, full, api_client_for, regions):
        worker = WorkerFactory(id_number=ID_NUMBER, phone="13812345678", hometown=regions["village"])
        client = api_client_for(role)
        detail = client.get(f"/api/v1/workers/{worker.pk}/").json()
        listing = client.get("/api/v1/workers/").json()["results"][0]
        expected = (ID_NUMBER, "13812345678") if full else (MASKED, "138****5678")
        for body in (detail, listing):
            assert (body["id_number"], body["phone"]) == expected

    def test_superuser_sees_full_numbers(self, api_client_for, regions):
        worker = WorkerFactory(id_number=ID_NUMBER, hometown=regions["village"])
        boss = UserFactory(username="root", is_superuser=True, is_staff=True)
        body = api_client_for(user=boss).get(f"/api/v1/workers/{worker.pk}/").json()
        assert body["id_number"] == ID_NUMBER

    def test_permission_alone_unmasks(self, api_client_for, make_user, regions):
        worker = WorkerFactory(id_number=ID_NUMBER, hometown=regions["village"])
        user = make_user("official")
        user.user_permissions.add(Permission.objects.get(codename="view_full_id_number"))
        body = api_client_for(user=user).get(f"/api/v1/workers/{worker.pk}/").json()
        assert body["id_number"] == ID_NUMBER

    def test_create_answers_masked_for_api_clients(self, api_client_for, regions):
        response = api_client_for("api").post("/api/v1/workers/", _worker_payload(regions["village"]), format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["id_number"] == MASKED and ID_NUMBER not in response.content.decode()
        # Derived from the number; the birth date itself is the masked part: the year only.
        assert (body["gender"], body["birth_date"], body["birth_year"]) == ("female", None, 1949)
        assert "1949-12-31" not in response.content.decode()


@pytest.mark.django_db
class TestWorkerWrites:
    def test_contract_fields(self, api_client_for, regions):
        worker = WorkerFactory(hometown=regions["village"], external_id="R-9")
        body = api_client_for("admin").get(f"/api/v1/workers/{worker.pk}/").json()
        assert {"id", "name", "id_number", "hometown", "poverty_alleviated", "external_id"} <= set(body)
        assert body["hometown"] == regions["village"].pk and body["external_id"] == "R-9"

    @pytest.mark.parametrize(
        "bad",
        [
            "110105194912310021",  # wrong check digit
            "110105194902300026",  # 30 February
            "11010519491231002",  # 17 characters
            "1101051949123100211111111111111111111111111111111",  # far too long
        ],
    )
    def test_bad_id_number_is_400_without_echo(self, bad, api_client_for, regions, caplog):
        caplog.set_level(logging.DEBUG)
        response = api_client_for("staff").post(
            "/api/v1/workers/", _worker_payload(regions["village"], id_number=bad), format="json"
        )
        assert response.status_code == 400
        assert list(response.json()) == ["id_number"]
        assert bad not in response.content.decode()
        assert bad not in caplog.text
        assert not Worker.objects.exists()

    @pytest.mark.parametrize("bad", [12345, None, ["x"], {"a": 1}, True])
    def test_odd_json_shapes_are_400(self, bad, api_client_for, regions):
        response = api_client_for("staff").post(
            "/api/v1/workers/", _worker_payload(regions["village"], id_number=bad), format="json"
        )
        assert response.status_code == 400 and "id_number" in response.json()

    def test_duplicate_is_400_already_registered(self, api_client_for, regions, caplog):
        caplog.set_level(logging.DEBUG)
        WorkerFactory(id_number=ID_NUMBER, hometown=regions["village"])
        response = api_client_for("staff").post(
            "/api/v1/workers/", _worker_payload(regions["village"], id_number=ID_NUMBER.lower()), format="json"
        )
        assert response.status_code == 400
        assert response.json()["id_number"] == [str(ID_NUMBER_TAKEN)]
        assert ID_NUMBER not in response.content.decode() and ID_NUMBER not in caplog.text

    def test_hometown_must_be_west(self, api_client_for, regions):
        response = api_client_for("staff").post("/api/v1/workers/", _worker_payload(regions["yuyao"]), format="json")
        assert response.status_code == 400 and "hometown" in response.json()

    def test_patch_keeps_the_number_and_can_replace_it(self, api_client_for, regions):
        worker = WorkerFactory(id_number=ID_NUMBER, hometown=regions["village"])
        client = api_client_for("staff")
        assert client.patch(f"/api/v1/workers/{worker.pk}/", {"name": "新"}, format="json").status_code == 200
        worker.refresh_from_db()
        assert worker.id_number == ID_NUMBER and worker.name == "新"
        new_number = make_id_number(11)
        response = client.patch(f"/api/v1/workers/{worker.pk}/", {"id_number": new_number}, format="json")
        assert response.status_code == 200
        worker.refresh_from_db()
        assert worker.id_number == new_number

    def test_upsert_by_external_id(self, api_client_for, regions):
        client = api_client_for("api")
        payload = _worker_payload(regions["village"], external_id="HR-001")
        first = client.post("/api/v1/workers/", payload, format="json")
        assert first.status_code == 201
        again = client.post(
            "/api/v1/workers/", payload | {"name": "吉克阿衣", "poverty_alleviated": False}, format="json"
        )
        assert again.status_code == 200, again.json()
        assert again.json()["id"] == first.json()["id"]
        stored = Worker.objects.get()
        assert (stored.name, stored.poverty_alleviated) == ("吉克阿衣", False)
        assert stored.history.count() == 2

    def test_upsert_needs_change_permission(self, api_client_for, make_user, regions):
        WorkerFactory(hometown=regions["village"], external_id="HR-002")
        user = make_user(None, username="adder")
        user.user_permissions.add(*Permission.objects.filter(codename__in=["add_worker", "view_worker"]))
        response = api_client_for(user=user).post(
            "/api/v1/workers/", _worker_payload(regions["village"], external_id="HR-002"), format="json"
        )
        assert response.status_code == 403

    def test_same_id_number_under_another_external_id_is_400(self, api_client_for, regions):
        WorkerFactory(id_number=ID_NUMBER, hometown=regions["village"], external_id="A")
        response = api_client_for("api").post(
            "/api/v1/workers/", _worker_payload(regions["village"], external_id="B"), format="json"
        )
        assert response.status_code == 400 and "id_number" in response.json()


@pytest.mark.django_db
class TestWorkerReads:
    def test_search_by_full_id_number_and_name(self, api_client_for, regions):
        target = WorkerFactory(name="阿牛", id_number=ID_NUMBER, hometown=regions["village"])
        WorkerFactory(name="阿呷", hometown=regions["village"])
        client = api_client_for("official")
        for term in (ID_NUMBER, ID_NUMBER.lower()):
            assert [r["id"] for r in client.get("/api/v1/workers/", {"search": term}).json()["results"]] == [target.pk]
        assert client.get("/api/v1/workers/", {"search": "阿"}).json()["count"] == 2
        assert client.get("/api/v1/workers/", {"search": "002X"}).json()["count"] == 0
        assert client.get("/api/v1/workers/", {"id_number": ID_NUMBER}).json()["count"] == 1

    def test_filters(self, api_client_for, regions):
        a = WorkerFactory(hometown=regions["village"], poverty_alleviated=True)
        b = WorkerFactory(hometown=regions["butuo"])
        PlacementFactory(
            worker=a, destination="east", started_on=datetime.date(2023, 1, 1), ended_on=datetime.date(2023, 6, 1)
        )
        PlacementFactory(worker=a, destination="east", started_on=datetime.date(2023, 7, 1))
        PlacementFactory(
            worker=b, destination="local", started_on=datetime.date(2021, 1, 1), ended_on=datetime.date(2021, 12, 31)
        )
        client = api_client_for("official")

        def ids(**params):
            return sorted(r["id"] for r in client.get("/api/v1/workers/", params).json()["results"])

        assert ids(year=2023) == [a.pk]
        assert ids(destination="east") == [a.pk]
        assert ids(hometown_within=regions["zhaojue"].pk) == [a.pk]
        assert ids(poverty_alleviated="false") == [b.pk]
        assert ids(year=2021) == [b.pk]
        placements = client.get("/api/v1/placements/", {"year": 2023, "hometown_within": regions["zhaojue"].pk}).json()
        assert placements["count"] == 2

    @pytest.mark.parametrize(
        "params, field",
        [
            ({"year": "abc"}, "year"),
            ({"year": "99999999999999999999"}, "year"),
            ({"destination": "moon"}, "destination"),
            ({"hometown": "x"}, "hometown"),
            ({"birth_date_after": "1990-02-30"}, "birth_date_after"),
            ({"ordering": "id_number_hash"}, "ordering"),
        ],
    )
    def test_bad_filters_are_400(self, params, field, api_client_for):
        response = api_client_for("official").get("/api/v1/workers/", params)
        assert response.status_code == 400 and field in response.json()

    @pytest.mark.parametrize("role", ["admin", "api"])
    def test_list_query_count_is_flat(self, role, api_client_for, regions, django_assert_max_num_queries):
        client = api_client_for(role)
        counts = []
        for total in (5, 100):
            make_workers_with_placements(total - Worker.objects.count(), hometown=regions["village"], start=total)
            # token + user perms (2) + count + page
            with django_assert_max_num_queries(6) as captured:  # 5, + 1 for the scope
                response = client.get("/api/v1/workers/", {"page_size": 1000})
            assert response.json()["count"] == total
            counts.append(len(captured.captured_queries))
        assert counts[0] == counts[1]

    def test_placement_list_query_count_is_flat(self, api_client_for, regions, django_assert_max_num_queries):
        client = api_client_for("official")
        counts = []
        for total in (5, 60):
            make_workers_with_placements(total - Placement.objects.count(), hometown=regions["village"], start=total)
            with django_assert_max_num_queries(6) as captured:  # 5, + 1 for the scope
                assert client.get("/api/v1/placements/", {"page_size": 1000}).json()["count"] == total
            counts.append(len(captured.captured_queries))
        assert counts[0] == counts[1]


@pytest.mark.django_db
class TestPlacementsApi:
    def test_overlap_is_400_on_create_and_update(self, api_client_for, regions):
        worker = WorkerFactory(hometown=regions["village"])
        client = api_client_for("staff")
        body = {"worker": worker.pk, "destination": "east", "started_on": "2023-01-01", "ended_on": "2023-06-30"}
        assert client.post("/api/v1/placements/", body, format="json").status_code == 201
        clash = client.post("/api/v1/placements/", body | {"started_on": "2023-06-30", "ended_on": None}, format="json")
        assert clash.status_code == 400 and "started_on" in clash.json()
        outwork = client.post("/api/v1/placements/", body | {"destination": "outworker"}, format="json")
        assert outwork.status_code == 201
        later = client.post("/api/v1/placements/", body | {"started_on": "2023-07-01", "ended_on": None}, format="json")
        assert later.status_code == 201
        moved = client.patch(f"/api/v1/placements/{later.json()['id']}/", {"started_on": "2023-06-01"}, format="json")
        assert moved.status_code == 400 and "started_on" in moved.json()

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"ended_on": "2022-01-01"}, "ended_on"),
            ({"destination": "mars"}, "destination"),
            ({"worker": 99999999}, "worker"),
            ({"worker": 10**30}, "worker"),
            ({"monthly_wage": "-1"}, "monthly_wage"),
            ({"monthly_wage": "1e30"}, "monthly_wage"),
            ({"started_on": "2023-02-30"}, "started_on"),
        ],
    )
    def test_bad_placement_is_400(self, change, field, api_client_for, regions):
        worker = WorkerFactory(hometown=regions["village"])
        body = {"worker": worker.pk, "destination": "east", "started_on": "2023-01-01"} | change
        response = api_client_for("staff").post("/api/v1/placements/", body, format="json")
        assert response.status_code == 400 and field in response.json(), response.content

    def test_money_is_a_two_place_string(self, api_client_for, regions):
        placement = PlacementFactory(worker=WorkerFactory(hometown=regions["village"]), monthly_wage=3000)
        body = api_client_for("official").get(f"/api/v1/placements/{placement.pk}/").json()
        assert body["monthly_wage"] == "3000.00" and body["ended_on"] is None


@pytest.mark.django_db
class TestOtherRecords:
    def test_training_counts_are_checked(self, api_client_for):
        body = {"course": "x", "started_on": "2023-04-01", "trainees": 5, "trainees_poverty_alleviated": 6}
        response = api_client_for("staff").post("/api/v1/skills-trainings/", body, format="json")
        assert response.status_code == 400

    def test_recruitment_hires_within_attendees(self, api_client_for):
        body = {"held_on": "2023-02-20", "place": "x", "attendees": 5, "hires": 6}
        assert api_client_for("staff").post("/api/v1/recruitment-events/", body, format="json").status_code == 400

    def test_workshop_region_must_be_west_and_year_filter(self, api_client_for):
        tree = region_tree()
        client = api_client_for("staff")
        body = {"name": "x", "region": tree["yuyao"].pk, "opened_on": "2022-05-01"}
        assert client.post("/api/v1/workshops/", body, format="json").status_code == 400
        WorkshopFactory(region=tree["village"], opened_on=datetime.date(2022, 5, 1))
        assert client.get("/api/v1/workshops/", {"year": 2021}).json()["count"] == 0
        assert client.get("/api/v1/workshops/", {"year": 2024}).json()["count"] == 1


@pytest.mark.django_db
class TestHostileInput:
    @pytest.mark.parametrize(
        "change, field",
        [
            ({"external_id": "a\x00b"}, "external_id"),
            ({"external_id": "x" * 101}, "external_id"),
            ({"name": "a\x00b"}, "name"),
            ({"phone": "138\x0012345678"}, "phone"),
            ({"id_number": "11010519491231002\x00"}, "id_number"),
            ({"hometown": 10**30}, "hometown"),
        ],
    )
    def test_worker_post_is_400(self, change, field, api_client_for, regions):
        response = api_client_for("staff").post(
            "/api/v1/workers/", _worker_payload(regions["village"]) | change, format="json"
        )
        assert response.status_code == 400 and field in response.json(), response.content

    @pytest.mark.parametrize("params", [{"search": "a\x00"}, {"id_number": "\x00"}, {"external_id": "\x00"}])
    def test_worker_list_with_nul_is_not_a_500(self, params, api_client_for):
        assert api_client_for("official").get("/api/v1/workers/", params).status_code in (200, 400)

    @pytest.mark.parametrize("day", ["0095-07-16", "2101-01-01"])
    def test_dates_out_of_range_are_400(self, day, api_client_for, regions):
        worker = WorkerFactory(hometown=regions["village"])
        body = {"worker": worker.pk, "destination": "local", "started_on": day}
        response = api_client_for("staff").post("/api/v1/placements/", body, format="json")
        assert response.status_code == 400 and "started_on" in response.json()


@pytest.mark.django_db
class TestWorkerPut:
    def test_put_without_the_number_keeps_it(self, api_client_for, regions):
        worker = WorkerFactory(id_number=ID_NUMBER, hometown=regions["village"])
        client = api_client_for("staff")
        shown = client.get(f"/api/v1/workers/{worker.pk}/").json()
        assert shown["id_number"] == MASKED
        body = {key: value for key, value in shown.items() if key not in ("id", "id_number", "phone")}
        response = client.put(f"/api/v1/workers/{worker.pk}/", body | {"name": "改名"}, format="json")
        assert response.status_code == 200, response.json()
        worker.refresh_from_db()
        assert (worker.name, worker.id_number) == ("改名", ID_NUMBER)

    def test_masked_number_sent_back_is_refused(self, api_client_for, regions):
        worker = WorkerFactory(id_number=ID_NUMBER, hometown=regions["village"])
        response = api_client_for("staff").patch(f"/api/v1/workers/{worker.pk}/", {"id_number": MASKED}, format="json")
        assert response.status_code == 400 and "id_number" in response.json()

    def test_create_requires_the_contract_fields(self, api_client_for, regions):
        response = api_client_for("staff").post("/api/v1/workers/", {"name": "x"}, format="json")
        assert response.status_code == 400
        assert {"id_number", "hometown", "poverty_alleviated"} <= set(response.json())
