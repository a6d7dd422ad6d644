"""Admin screens: masking per role in the list, form, history and exports; search through the
hash; filters; the placements inline; list query counts."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from labor.models import ID_NUMBER_TAKEN, Placement, Worker
from tests.factories import UserFactory
from tests.labor.factories import PlacementFactory, WorkerFactory, make_id_number, make_workers_with_placements

ID_NUMBER = "11010519491231002X"
MASKED = "110105********002X"
PHONE, MASKED_PHONE = "13812345678", "138****5678"
CHANGELIST = "/admin/labor/worker/"
CHECK_DIGIT = _("The check digit of this ID number is wrong.")


@pytest.fixture
def admin_client_for(make_user):
    def make(role_key=None, user=None):
        client = Client()
        client.force_login(user or make_user(role_key))
        return client

    return make


@pytest.fixture
def worker(regions):
    return WorkerFactory(name="吉克阿依", id_number=ID_NUMBER, phone=PHONE, hometown=regions["village"])


def _form_data(worker, **changes):
    data = {
        "name": worker.name,
        "id_number": "",
        "hometown": worker.hometown_id,
        "poverty_alleviated": "on" if worker.poverty_alleviated else "",
        "monitored_household": "",
        "phone": "",
        "external_id": worker.external_id or "",
        "placements-TOTAL_FORMS": "0",
        "placements-INITIAL_FORMS": "0",
        "placements-MIN_NUM_FORMS": "0",
        "placements-MAX_NUM_FORMS": "1000",
    }
    return {key: value for key, value in (data | changes).items() if value is not None}


@pytest.mark.django_db
class TestWorkerListMasking:
    @pytest.mark.parametrize("role, full", [("admin", True), ("staff", False), ("official", False)])
    def test_changelist_per_role(self, role, full, admin_client_for, worker):
        html = admin_client_for(role).get(CHANGELIST).content.decode()
        assert (ID_NUMBER in html) is full and (PHONE in html) is full
        if not full:  # (__str__, in the row's checkbox label, is masked for everyone)
            assert MASKED in html and MASKED_PHONE in html

    def test_superuser_sees_full(self, admin_client_for, worker):
        boss = UserFactory(username="root", is_superuser=True, is_staff=True)
        boss.save()  # keep the password the factory set, or the session is dropped
        assert ID_NUMBER in admin_client_for(user=boss).get(CHANGELIST).content.decode()

    @pytest.mark.parametrize("role", ["admin", "staff"])
    def test_changelist_query_count_is_flat(self, role, admin_client_for, regions, django_assert_max_num_queries):
        client = admin_client_for(role)
        counts = []
        for total in (5, 100):
            make_workers_with_placements(total - Worker.objects.count(), hometown=regions["village"], start=total)
            with django_assert_max_num_queries(9) as captured:  # 8, + 1 for the scope
                response = client.get(CHANGELIST, {"all": ""})
            assert response.status_code == 200
            counts.append(len(captured.captured_queries))
        assert counts[0] == counts[1]

    def test_placement_changelist_query_count_is_flat(self, admin_client_for, regions, django_assert_max_num_queries):
        client = admin_client_for("staff")
        counts = []
        for total in (5, 60):
            make_workers_with_placements(total - Worker.objects.count(), hometown=regions["village"], start=total)
            # session, user, permissions, the sidebar's years (first pairing) and regions, count, page
            with django_assert_max_num_queries(11) as captured:  # 10, + 1 for the scope
                assert client.get("/admin/labor/placement/", {"all": ""}).status_code == 200
            counts.append(len(captured.captured_queries))
        assert counts[0] == counts[1]


@pytest.mark.django_db
class TestWorkerSearchAndFilters:
    def test_search_by_full_id_number_and_by_name(self, admin_client_for, worker, regions):
        other = WorkerFactory(name="阿牛", hometown=regions["village"])
        client = admin_client_for("staff")
        by_number = client.get(CHANGELIST, {"q": ID_NUMBER.lower()}).context["cl"].result_list
        assert list(by_number) == [worker]
        assert list(client.get(CHANGELIST, {"q": "阿牛"}).context["cl"].result_list) == [other]
        assert list(client.get(CHANGELIST, {"q": "002X"}).context["cl"].result_list) == []

    def test_filters(self, admin_client_for, worker, regions):
        other = WorkerFactory(hometown=regions["butuo"], poverty_alleviated=True)
        PlacementFactory(worker=worker, destination="east", started_on=datetime.date(2023, 1, 1))
        PlacementFactory(
            worker=other, destination="local", started_on=datetime.date(2021, 1, 1), ended_on=datetime.date(2021, 5, 1)
        )
        client = admin_client_for("official")

        def found(**params):
            response = client.get(CHANGELIST, params)
            assert response.status_code == 200
            return set(response.context["cl"].result_list)

        assert found(destination="east") == {worker}
        assert found(year="2021") == {other}
        assert found(year="2024") == {worker}
        assert found(region_within=regions["butuo"].pk) == {other}
        assert found(poverty_alleviated__exact="1") == {other}


@pytest.mark.django_db
class TestWorkerForm:
    def test_form_shows_masked_to_staff_and_keeps_the_number(self, admin_client_for, worker):
        client = admin_client_for("staff")
        url = reverse("admin:labor_worker_change", args=[worker.pk])
        html = client.get(url).content.decode()
        assert ID_NUMBER not in html and PHONE not in html
        assert MASKED in html and MASKED_PHONE in html
        response = client.post(url, _form_data(worker, name="吉克阿衣", poverty_alleviated="on"))
        assert response.status_code == 302, response.context["adminform"].form.errors
        worker.refresh_from_db()
        assert (worker.name, worker.poverty_alleviated, worker.id_number, worker.phone) == (
            "吉克阿衣",
            True,
            ID_NUMBER,
            PHONE,
        )

    def test_staff_can_replace_the_number(self, admin_client_for, worker):
        new_number = make_id_number(12)
        url = reverse("admin:labor_worker_change", args=[worker.pk])
        response = admin_client_for("staff").post(url, _form_data(worker, id_number=new_number, phone="13900001111"))
        assert response.status_code == 302
        worker.refresh_from_db()
        assert (worker.id_number, worker.phone) == (new_number, "13900001111")

    def test_view_only_page_is_masked_for_officials(self, admin_client_for, worker):
        response = admin_client_for("official").get(reverse("admin:labor_worker_change", args=[worker.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert ID_NUMBER not in html and PHONE not in html and MASKED in html
        record = worker.history.earliest("history_date")
        url = reverse("admin:labor_worker_simple_history", args=[worker.pk, record.history_id])
        old = admin_client_for(user=response.wsgi_request.user).get(url)
        assert old.status_code in (200, 403) and ID_NUMBER not in old.content.decode()

    def test_form_shows_full_number_to_administrators(self, admin_client_for, worker):
        html = admin_client_for("admin").get(reverse("admin:labor_worker_change", args=[worker.pk])).content.decode()
        assert ID_NUMBER in html

    def test_bad_number_error_does_not_echo(self, admin_client_for, worker, regions):
        bad = "110105194912310021"
        response = admin_client_for("staff").post(
            reverse("admin:labor_worker_add"), _form_data(worker, name="新", id_number=bad)
        )
        assert response.status_code == 200
        assert "id_number" in response.context["adminform"].form.errors
        assert str(CHECK_DIGIT) in str(response.context["adminform"].form.errors["id_number"])

    def test_duplicate_number_is_a_form_error(self, admin_client_for, worker):
        response = admin_client_for("staff").post(
            reverse("admin:labor_worker_add"), _form_data(worker, name="新", id_number=ID_NUMBER.lower())
        )
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert str(ID_NUMBER_TAKEN) in str(errors["id_number"]) and ID_NUMBER not in str(errors)

    def test_add_with_placements_inline_and_overlap_error(self, admin_client_for, regions):
        client = admin_client_for("staff")
        number = make_id_number(21)
        base = {
            "name": "阿呷",
            "id_number": number,
            "hometown": regions["village"].pk,
            "placements-TOTAL_FORMS": "2",
            "placements-INITIAL_FORMS": "0",
            "placements-MIN_NUM_FORMS": "0",
            "placements-MAX_NUM_FORMS": "1000",
            "placements-0-destination": "east",
            "placements-0-started_on": "2023-01-01",
            "placements-0-ended_on": "2023-06-30",
            "placements-1-destination": "local",
            "placements-1-started_on": "2023-06-30",
        }
        clash = client.post(reverse("admin:labor_worker_add"), base)
        assert clash.status_code == 200 and not Worker.objects.exists()
        inline = clash.context["inline_admin_formsets"][0].formset
        assert "started_on" in inline.forms[1].errors
        ok = client.post(reverse("admin:labor_worker_add"), base | {"placements-1-started_on": "2023-07-01"})
        assert ok.status_code == 302
        worker = Worker.objects.get()
        assert worker.id_number == number and worker.placements.count() == 2

    def test_history_is_masked(self, admin_client_for, worker):
        client = admin_client_for("staff")
        url = reverse("admin:labor_worker_change", args=[worker.pk])
        client.post(url, _form_data(worker, id_number=make_id_number(33), phone="13900001111"))
        history = client.get(reverse("admin:labor_worker_history", args=[worker.pk])).content.decode()
        assert ID_NUMBER not in history and make_id_number(33) not in history and "13900001111" not in history
        assert MASKED in history
        record = worker.history.earliest("history_date")
        old = client.get(reverse("admin:labor_worker_simple_history", args=[worker.pk, record.history_id]))
        assert old.status_code == 200 and ID_NUMBER not in old.content.decode()

    def test_placement_form_overlap_is_a_form_error(self, admin_client_for, worker):
        PlacementFactory(worker=worker, destination="east", started_on=datetime.date(2023, 1, 1), ended_on=None)
        data = {"worker": worker.pk, "destination": "local", "started_on": "2024-01-01"}
        client = admin_client_for("staff")
        response = client.post(reverse("admin:labor_placement_add"), data)
        assert response.status_code == 200
        assert "started_on" in response.context["adminform"].form.errors
        ok = client.post(reverse("admin:labor_placement_add"), data | {"destination": "outworker"})
        assert ok.status_code == 302 and worker.placements.count() == 2

    def test_placement_changelist_and_search(self, admin_client_for, worker):
        PlacementFactory(worker=worker)
        client = admin_client_for("staff")
        response = client.get("/admin/labor/placement/", {"q": ID_NUMBER})
        assert response.status_code == 200 and len(response.context["cl"].result_list) == 1
        # The search box shows back what the user typed; the rows show the worker masked.
        assert MASKED in response.content.decode()


@pytest.mark.django_db
class TestExport:
    def _export(self, client):
        data = {"format": "1", "resource": "0"}
        data |= {f"workerresource_{name}": "on" for name in ("id", "name", "id_number", "phone", "hometown")}
        response = client.post(reverse("admin:labor_worker_export"), data)
        assert response.status_code == 200, response.content[:500]
        return response.content.decode("utf-8")

    def test_export_masked_for_staff(self, admin_client_for, worker):
        csv = self._export(admin_client_for("staff"))
        assert MASKED in csv and MASKED_PHONE in csv and ID_NUMBER not in csv and PHONE not in csv

    def test_export_full_for_administrators(self, admin_client_for, worker):
        csv = self._export(admin_client_for("admin"))
        assert ID_NUMBER in csv and PHONE in csv

    def test_placement_export_masked(self, admin_client_for, worker):
        PlacementFactory(worker=worker)
        data = {"format": "1", "resource": "0"}
        data |= {f"workerplacementresource_{name}": "on" for name in ("worker", "name", "phone", "destination")}
        csv = admin_client_for("official").post(reverse("admin:labor_placement_export"), data).content.decode()
        assert MASKED in csv and ID_NUMBER not in csv
        assert Placement.objects.count() == 1
