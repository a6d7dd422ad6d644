"""The shared dispatch shape (cooperation.dispatch), tested once through one concrete model.

Medical dispatches stand in for every dispatch model here; the healthcare and education tests
only cover what each app adds (specialty; subject) and their own records.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cooperation.dispatch.selectors import dispatch_count
from healthcare.models import MedicalDispatch
from tests.factories import OrganizationFactory
from tests.healthcare.factories import MedicalDispatchFactory

D = datetime.date
URL = "/api/v1/medical-dispatches/"


@pytest.fixture
def orgs(regions):
    return {
        "east": OrganizationFactory(region=regions["yuyao"], kind="hospital", name="余姚市人民医院"),
        "west": OrganizationFactory(region=regions["zhaojue"], kind="hospital", name="昭觉县人民医院"),
        "butuo": OrganizationFactory(region=regions["butuo"], kind="hospital", name="布拖县人民医院"),
        "town": OrganizationFactory(region=regions["town"], kind="hospital", name="三岔河镇卫生院"),
    }


def make(orgs, **kwargs):
    values = {
        "person_name": "张医生",
        "source_org": orgs["east"],
        "host_org": orgs["west"],
        "specialty": "cardiology",
        "role": "leader",
        "started_on": D(2023, 1, 1),
    }
    return MedicalDispatch(**(values | kwargs))


@pytest.mark.django_db
class TestRules:
    def test_a_valid_dispatch_passes(self, orgs):
        make(orgs).full_clean()

    def test_source_must_be_east_and_host_west(self, orgs):
        with pytest.raises(ValidationError) as exc:
            make(orgs, source_org=orgs["west"], host_org=orgs["east"]).full_clean()
        assert set(exc.value.message_dict) == {"source_org", "host_org"}

    def test_period_in_order(self, orgs):
        with pytest.raises(ValidationError) as exc:
            make(orgs, started_on=D(2023, 5, 2), ended_on=D(2023, 5, 1)).full_clean()
        assert "ended_on" in exc.value.message_dict
        make(orgs, started_on=D(2023, 5, 1), ended_on=D(2023, 5, 1)).full_clean()  # one day is fine

    def test_role_is_a_team_role(self, orgs):
        with pytest.raises(ValidationError) as exc:
            make(orgs, role="captain").full_clean()
        assert "role" in exc.value.message_dict

    @pytest.mark.parametrize(
        "values",
        [{"started_on": D(2023, 5, 2), "ended_on": D(2023, 5, 1)}, {"role": "captain"}],
        ids=["period", "role"],
    )
    def test_the_database_refuses_what_clean_refuses(self, orgs, values):
        with pytest.raises(IntegrityError), transaction.atomic():
            make(orgs, **values).save()

    def test_every_save_is_audited(self, orgs):
        dispatch = make(orgs)
        dispatch.save()
        dispatch.role = "resident"
        dispatch.save()
        assert [h.history_type for h in dispatch.history.order_by("history_date")] == ["+", "~"]


@pytest.mark.django_db
class TestOverlappingYear:
    """The contract: starts on or before 31 Dec Y, and no end or ends on or after 1 Jan Y."""

    @pytest.mark.parametrize(
        "started_on, ended_on, counted",
        [
            (D(2023, 12, 31), None, True),  # starts on the last day
            (D(2024, 1, 1), None, False),  # starts the day after
            (D(2020, 1, 1), D(2023, 1, 1), True),  # ends on the first day
            (D(2020, 1, 1), D(2022, 12, 31), False),  # ends the day before
            (D(2019, 6, 1), None, True),  # open-ended, still there
            (D(2022, 6, 1), D(2024, 6, 1), True),  # spans the whole year
        ],
    )
    def test_boundaries(self, orgs, started_on, ended_on, counted):
        make(orgs, started_on=started_on, ended_on=ended_on).save()
        assert dispatch_count(MedicalDispatch.objects.all(), year=2023) == int(counted)

    def test_one_person_sent_twice_counts_twice(self, orgs):
        make(orgs, started_on=D(2023, 1, 1), ended_on=D(2023, 3, 1)).save()
        make(orgs, started_on=D(2023, 9, 1)).save()
        assert dispatch_count(MedicalDispatch.objects.all(), year=2023) == 2

    def test_region_is_the_hosts_and_includes_what_is_below(self, orgs, regions):
        make(orgs).save()
        make(orgs, host_org=orgs["town"]).save()
        make(orgs, host_org=orgs["butuo"]).save()
        qs = MedicalDispatch.objects.all()
        assert dispatch_count(qs, year=2023, region=regions["zhaojue"]) == 2
        assert dispatch_count(qs, year=2023, region=regions["town"]) == 1
        assert dispatch_count(qs, year=2023, region=regions["liangshan"]) == 3
        assert dispatch_count(qs, year=2023, region=regions["yuyao"]) == 0  # the source's region does not count
        assert dispatch_count(qs, year=2023, region=None) == 3


@pytest.mark.django_db
class TestApiBase:
    def payload(self, orgs, **kwargs):
        return {
            "person_name": "李医生",
            "source_org": orgs["east"].pk,
            "host_org": orgs["west"].pk,
            "specialty": "orthopaedics",
            "role": "short_term",
            "started_on": "2023-04-01",
        } | kwargs

    def test_contract_fields(self, api_client_for, orgs):
        dispatch = make(orgs, ended_on=D(2023, 12, 31))
        dispatch.save()
        body = api_client_for("official").get(f"{URL}{dispatch.pk}/").json()
        assert body == {
            "id": dispatch.pk,
            "person_name": "张医生",
            "source_org": orgs["east"].pk,
            "host_org": orgs["west"].pk,
            "specialty": "cardiology",
            "role": "leader",
            "started_on": "2023-01-01",
            "ended_on": "2023-12-31",
        }

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"source_org": "WEST"}, "source_org"),
            ({"host_org": "EAST"}, "host_org"),
            ({"ended_on": "2023-03-31"}, "ended_on"),
            ({"role": "captain"}, "role"),
            ({"started_on": "2023-02-30"}, "started_on"),
            ({"started_on": "0173-01-01", "ended_on": None}, "started_on"),  # outside the programme's years
            ({"host_org": 2**70}, "host_org"),
            ({"person_name": ""}, "person_name"),
        ],
    )
    def test_bad_dispatch_is_400_naming_the_field(self, api_client_for, orgs, change, field):
        change = {k: orgs[v.lower()].pk if v in ("WEST", "EAST") else v for k, v in change.items()}
        response = api_client_for("staff").post(URL, self.payload(orgs, **change), format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
        assert not MedicalDispatch.objects.exists()

    def test_update_keeps_the_rules(self, api_client_for, orgs):
        dispatch = make(orgs)
        dispatch.save()
        response = api_client_for("staff").patch(f"{URL}{dispatch.pk}/", {"ended_on": "2022-12-31"}, format="json")
        assert response.status_code == 400 and "ended_on" in response.json()

    def test_filters(self, api_client_for, orgs, regions):
        make(orgs, started_on=D(2022, 1, 1), ended_on=D(2022, 12, 31), role="leader").save()
        make(orgs, started_on=D(2023, 1, 1), role="resident").save()
        make(orgs, started_on=D(2023, 6, 1), role="specialist", host_org=orgs["butuo"]).save()
        client = api_client_for("official")

        def count(**params):
            response = client.get(URL, params)
            assert response.status_code == 200, response.content
            return response.json()["count"]

        assert count(year=2022) == 1
        assert count(year=2023) == 2
        assert count(role="resident") == 1
        assert count(host_org=orgs["butuo"].pk) == 1
        assert count(source_org=orgs["east"].pk) == 3
        assert count(host_region_within=regions["zhaojue"].pk) == 2
        assert count(started_on_after="2023-01-01") == 2
        assert count(started_on_before="2022-12-31") == 1
        assert count(ended_on_after="2022-01-01") == 1
        assert count(active=True) == 2
        assert count(search="张医生") == 3

    @pytest.mark.parametrize(
        "params, field",
        [
            ({"year": "1800"}, "year"),
            ({"role": "captain"}, "role"),
            ({"host_org": "x"}, "host_org"),
            ({"host_region_within": "999999999"}, "host_region_within"),
            ({"started_on_after": "2023-02-30"}, "started_on_after"),
            ({"ordering": "specialty"}, "ordering"),
        ],
    )
    def test_bad_filters_are_400(self, api_client_for, params, field):
        response = api_client_for("official").get(URL, params)
        assert response.status_code == 400, response.content
        assert field in response.json()

    def test_ordering(self, api_client_for, orgs):
        make(orgs, person_name="B", started_on=D(2022, 1, 1)).save()
        make(orgs, person_name="A", started_on=D(2023, 1, 1)).save()
        client = api_client_for("official")
        assert [r["person_name"] for r in client.get(URL).json()["results"]] == ["A", "B"]  # newest first
        by_name = client.get(URL, {"ordering": "-person_name"}).json()["results"]
        assert [r["person_name"] for r in by_name] == ["B", "A"]


@pytest.mark.django_db
class TestAdminBase:
    def test_list_filters_by_year_host_and_role(self, client, make_user, orgs):
        make(orgs, person_name="Old", started_on=D(2021, 1, 1), ended_on=D(2021, 12, 31)).save()
        make(orgs, person_name="New", started_on=D(2023, 1, 1), role="resident", host_org=orgs["butuo"]).save()
        client.force_login(make_user("staff"))
        url = "/admin/healthcare/medicaldispatch/"
        page = client.get(url)
        assert page.status_code == 200
        assert "Old" in page.text and "New" in page.text
        for params in ({"year": "2023"}, {"role__exact": "resident"}, {"host_org__id__exact": orgs["butuo"].pk}):
            filtered = client.get(url, params)
            assert filtered.status_code == 200
            assert "New" in filtered.text and "Old" not in filtered.text, params
        assert client.get(url, {"year": "2022"}).text.count("Old") == 0

    def test_changelist_query_count_is_flat(self, client, make_user, orgs, django_assert_max_num_queries):
        client.force_login(make_user("staff"))
        url = "/admin/healthcare/medicaldispatch/"
        for n in (3, 15):
            MedicalDispatchFactory.create_batch(n - MedicalDispatch.objects.count(), source_org=orgs["east"])
            with django_assert_max_num_queries(12):
                assert client.get(url).status_code == 200
