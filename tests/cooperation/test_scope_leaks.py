"""The scope leak matrix (CONTRACT.md 1.1, issue 14's "done when").

Generated from the registry of record kinds (``cooperation.records.record_kinds()``): every
kind's API endpoint (found in the router by its queryset's model) and admin pages are checked,
so a new record kind is covered by itself, and one that cannot be built fails
``test_every_record_kind_can_be_built`` with what to add.

The world, built once for the module: two western counties A and B under one prefecture, two
eastern cities EA and EB, paired (region pairings) with A and B; a record of every kind in A's
half and in B's (``tests.factories.build_record``). Users: programme staff scoped to A, staff
scoped to EA (who reach A through the pairing only), staff scoped to B, unscoped staff, and an
administrator scoped to A (who may delete). A scoped user reads, lists, exports, autocompletes,
writes and references the records of their half, and none of the other's.
"""

import csv
import io
import itertools
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory, override_settings
from rest_framework import relations
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from config.api import router
from cooperation import roles
from cooperation.models import Pairing
from cooperation.records import record_kinds
from cooperation.scopes import scope_of
from cooperation.services import set_scope
from reports.api.serializers import ReportRequestSerializer
from reports.models import Report
from tests.factories import RegionFactory, UserFactory, build_record

pytestmark = pytest.mark.django_db

MODELS = {model._meta.label: model for model, _kind in record_kinds()}


def _endpoints() -> dict:
    """Model -> (URL prefix, viewset) of each record collection of the API."""
    found = {}
    for prefix, viewset, _basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if queryset is not None:
            found.setdefault(queryset.model, (prefix, viewset))
    return found


ENDPOINTS = _endpoints()
# The serializer a collection's POST reads, where it is not the viewset's own.
REQUEST_SERIALIZERS = {Report: ReportRequestSerializer}
API_KINDS = sorted(label for label, model in MODELS.items() if model in ENDPOINTS)
ADMIN_KINDS = sorted(label for label, model in MODELS.items() if model in admin.site._registry)
VIEWERS = ["A", "EA"]  # the east user sees exactly what A's user sees, through the pairing


def _writes(viewset) -> bool:
    return hasattr(viewset, "partial_update")


def _request_serializer(model):
    _prefix, viewset = ENDPOINTS[model]
    return REQUEST_SERIALIZERS.get(model, viewset.serializer_class)


def _reference_fields():
    """(model label, field name) of every writable API reference to a record kind."""
    found = []
    for label in API_KINDS:
        model = MODELS[label]
        _prefix, viewset = ENDPOINTS[model]
        if not hasattr(viewset, "create"):
            continue
        for name, field in _request_serializer(model)().fields.items():
            field = getattr(field, "child_relation", field)
            if field.read_only or not isinstance(field, relations.RelatedField):
                continue
            if field.queryset is not None and field.queryset.model._meta.label in MODELS:
                found.append((label, name))
    return found


def _autocomplete_fields():
    """(model label, field name) of every reference an admin page could offer by autocomplete."""
    found = []
    for label in ADMIN_KINDS:
        for field in MODELS[label]._meta.get_fields():
            if not (field.many_to_one or field.many_to_many) or not field.concrete:
                continue
            target = admin.site._registry.get(field.related_model)
            if field.related_model._meta.label in MODELS and target is not None and target.search_fields:
                found.append((label, field.name))
    return found


REFERENCES = _reference_fields()
AUTOCOMPLETES = _autocomplete_fields()


# --- the world --------------------------------------------------------------------------------


def _user(username, role, *scope):
    user = UserFactory(username=username, role=role, is_staff=role != roles.API_CLIENTS)
    set_scope(user=user, codes=[region.code for region in scope])
    user.token = Token.objects.create(user=user).key
    return user


def _build_world():
    province = RegionFactory(code="620000", name="甲省", level="province", side="west")
    prefecture = RegionFactory(code="621200", name="甲州", level="prefecture", side="west", parent=province)
    a = RegionFactory(code="621221", name="甲县", level="county", side="west", parent=prefecture)
    b = RegionFactory(code="621222", name="乙县", level="county", side="west", parent=prefecture)
    east_province = RegionFactory(code="320000", name="东省", level="province", side="east")
    east_city = RegionFactory(code="320500", name="东州", level="prefecture", side="east", parent=east_province)
    ea = RegionFactory(code="320581", name="东甲市", level="county", side="east", parent=east_city)
    eb = RegionFactory(code="320582", name="东乙市", level="county", side="east", parent=east_city)
    # The pairings that make EA's staff reach A (and EB's reach B).
    Pairing.objects.create(kind="region", east_region=ea, west_region=a, started_on="2021-06-01")
    Pairing.objects.create(kind="region", east_region=eb, west_region=b, started_on="2021-06-01")
    records = {"A": {}, "B": {}}
    for label, model in MODELS.items():
        records["A"][label] = build_record(model, county=a, east=ea)
        records["B"][label] = build_record(model, county=b, east=eb)
    users = {
        "A": _user("staff-a", roles.PROGRAMME_STAFF, a),
        "EA": _user("staff-ea", roles.PROGRAMME_STAFF, ea),
        "B": _user("staff-b", roles.PROGRAMME_STAFF, b),
        "all": _user("staff-all", roles.PROGRAMME_STAFF),
        "admin-A": _user("admin-a", roles.ADMINISTRATORS, a),
    }
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    return SimpleNamespace(
        province=province,
        prefecture=prefecture,
        a=a,
        b=b,
        ea=ea,
        eb=eb,
        records=records,
        users=users,
        superuser=superuser,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once in a transaction that the module's end rolls back; each test runs
    in a savepoint inside it (pytest-django's ``db``), so what a test writes is undone."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        with transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)


def api(world, who) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.users[who].token}")
    return client


def browser(client, world, who):
    client.force_login(world.users[who])
    return client


def record(world, half, label):
    return world.records[half][label]


def url_of(model, pk=None) -> str:
    prefix = ENDPOINTS[model][0]
    return f"/api/v1/{prefix}/" if pk is None else f"/api/v1/{prefix}/{pk}/"


def listed_ids(client, model) -> set:
    response = client.get(url_of(model), {"page_size": 1000})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def outside_record(world, model, limit=None):
    """A record of ``model`` in B's half (B, below it, or EB) that A's user may not read."""
    queryset = model._default_manager.filter(scope_of(world.users["B"]).read_q(model))
    queryset = queryset.exclude(scope_of(world.users["A"]).read_q(model))
    if limit:
        queryset = queryset.complex_filter(limit)
    found = queryset.order_by("pk").first()
    assert found is not None, f"the world holds no {model._meta.label} in B's half"
    return found


def create_body(world, model) -> dict:
    """A valid POST body for a new record of ``model`` in A: a record built in A, as the API
    shows it, then deleted (so that its unique values are free); the records it refers to stay."""
    if model is Report:
        return {"kind": "annual", "period_start": "2019-01-01", "region": world.a.pk}
    fresh = build_record(model, county=world.a, east=world.ea)
    request = Request(APIRequestFactory().get("/"))
    request.user = world.superuser  # full ID numbers, as a client sending them would have them
    serializer = ENDPOINTS[model][1].serializer_class(fresh, context={"request": request})
    writable = {name for name, field in serializer.fields.items() if not field.read_only}
    body = {name: value for name, value in serializer.data.items() if name in writable}
    fresh.delete()
    return body


# --- every kind can be built ----------------------------------------------------------------


@pytest.mark.parametrize("label", sorted(MODELS))
def test_every_record_kind_can_be_built(world, label):
    """Each kind's records land in their own half (the world's builder put them there)."""
    mine, theirs = record(world, "A", label), record(world, "B", label)
    model = MODELS[label]
    a_scope, b_scope = scope_of(world.users["A"]).read_q(model), scope_of(world.users["B"]).read_q(model)
    assert model._default_manager.filter(a_scope, pk=mine.pk).exists()
    assert not model._default_manager.filter(a_scope, pk=theirs.pk).exists()
    assert model._default_manager.filter(b_scope, pk=theirs.pk).exists()


def test_the_matrix_covers_every_endpoint_and_admin_page():
    """Guards the generation itself: the kinds the API and the admin serve are all in it."""
    assert {"cooperation.Region", "projects.Project", "consumption.Sale", "labor.Worker"} <= set(API_KINDS)
    assert {"cooperation.Region", "projects.FundAllocation", "healthcare.MedicalDispatch"} <= set(ADMIN_KINDS)
    assert ("projects.FundAllocation", "project") in REFERENCES
    assert ("projects.FundAllocation", "project") in AUTOCOMPLETES


# --- the API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("label", API_KINDS)
def test_api_reads_only_within_the_scope(world, label, who):
    model = MODELS[label]
    mine, theirs = record(world, "A", label), record(world, "B", label)
    client = api(world, who)
    ids = listed_ids(client, model)
    assert mine.pk in ids and theirs.pk not in ids
    assert client.get(url_of(model, mine.pk)).status_code == 200
    assert client.get(url_of(model, theirs.pk)).status_code == 404


@pytest.mark.parametrize("label", API_KINDS)
def test_api_unscoped_users_read_everything(world, label):
    model = MODELS[label]
    client = api(world, "all")
    assert {record(world, "A", label).pk, record(world, "B", label).pk} <= listed_ids(client, model)
    assert client.get(url_of(model, record(world, "B", label).pk)).status_code == 200


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("label", [label for label in API_KINDS if _writes(ENDPOINTS[MODELS[label]][1])])
def test_api_an_update_outside_the_scope_is_404(world, label, who):
    model = MODELS[label]
    theirs = record(world, "B", label)
    before = model._default_manager.filter(pk=theirs.pk).values().get()
    body = create_body(world, model)
    for method in ("patch", "put"):
        response = getattr(api(world, who), method)(url_of(model, theirs.pk), body, format="json")
        assert response.status_code == 404, response.content
    assert model._default_manager.filter(pk=theirs.pk).values().get() == before


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("label", [label for label in API_KINDS if hasattr(ENDPOINTS[MODELS[label]][1], "create")])
def test_api_a_create_within_the_scope_succeeds(world, label, who):
    model = MODELS[label]
    body = create_body(world, model)
    count = model._default_manager.count()
    response = api(world, who).post(url_of(model), body, format="json")
    assert response.status_code in (201, 202), response.content
    created = model._default_manager.get(pk=response.json()["id"])
    assert scope_of(world.users["A"]).read_q(model) is not None
    assert model._default_manager.filter(scope_of(world.users["A"]).read_q(model), pk=created.pk).exists()
    assert model._default_manager.count() == count + 1


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("label, field", REFERENCES, ids=[f"{label}.{field}" for label, field in REFERENCES])
def test_api_a_reference_outside_the_scope_is_400_naming_the_field(world, label, field, who):
    model = MODELS[label]
    body = create_body(world, model)
    model_field = model._meta.get_field(field) if model is not Report else Report._meta.get_field("region")
    theirs = outside_record(world, model_field.related_model, model_field.get_limit_choices_to())
    body[field] = [theirs.pk] if model_field.many_to_many else theirs.pk
    count = model._default_manager.count()
    response = api(world, who).post(url_of(model), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert model._default_manager.count() == count


def test_api_regions_above_the_scope_are_readable_not_writable(world):
    client = api(world, "A")
    ids = listed_ids(client, MODELS["cooperation.Region"])
    assert {world.province.pk, world.prefecture.pk, world.a.pk} <= ids
    assert world.b.pk not in ids and world.ea.pk in ids  # EA through the pairing
    assert client.get(url_of(MODELS["cooperation.Region"], world.prefecture.pk)).status_code == 200
    response = client.patch(url_of(MODELS["cooperation.Region"], world.prefecture.pk), {"name": "改名"}, format="json")
    assert response.status_code == 400 and response.json(), response.content
    world.prefecture.refresh_from_db()
    assert world.prefecture.name == "甲州"
    deleting = api(world, "admin-A")
    assert deleting.delete(url_of(MODELS["cooperation.Region"], world.prefecture.pk)).status_code == 403
    assert deleting.delete(url_of(MODELS["cooperation.Region"], world.b.pk)).status_code == 404
    assert MODELS["cooperation.Region"].objects.filter(pk__in=[world.prefecture.pk, world.b.pk]).count() == 2


@pytest.mark.parametrize("who", VIEWERS)
def test_api_no_pairing_widens_the_scope(world, who):
    client = api(world, who)
    count = Pairing.objects.count()
    for east, west, field in ((world.ea, world.b, "west_region"), (world.eb, world.a, "east_region")):
        body = {"kind": "region", "east_region": east.pk, "west_region": west.pk, "started_on": "2024-01-01"}
        response = client.post("/api/v1/pairings/", body, format="json")
        assert response.status_code == 400 and field in response.json(), response.content
    assert Pairing.objects.count() == count


# --- the admin --------------------------------------------------------------------------------


def admin_url(model, pk=None, page="change") -> str:
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return base if pk is None else f"{base}{pk}/{page}/"


def changelist_ids(client, model) -> set:
    response = client.get(admin_url(model), follow=True)
    assert response.status_code == 200
    return set(response.context["cl"].queryset.values_list("pk", flat=True)), response.text


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("label", ADMIN_KINDS)
def test_admin_list_change_and_history_pages_stay_within_the_scope(client, world, label, who):
    model = MODELS[label]
    mine, theirs = record(world, "A", label), record(world, "B", label)
    browser(client, world, who)
    ids, page = changelist_ids(client, model)
    assert mine.pk in ids and theirs.pk not in ids
    assert admin_url(model, theirs.pk) not in page
    assert client.get(admin_url(model, mine.pk)).status_code == 200
    for page_name in ("change", "history"):
        response = client.get(admin_url(model, theirs.pk, page_name))
        assert response.status_code in (302, 404), (page_name, response.status_code)
        if response.status_code == 302:
            assert response.url == "/admin/"
    assert client.get(admin_url(model, mine.pk, "history")).status_code == 200


@pytest.mark.parametrize("label", ADMIN_KINDS)
def test_admin_unscoped_users_list_everything(client, world, label):
    browser(client, world, "all")
    ids, _page = changelist_ids(client, MODELS[label])
    assert {record(world, "A", label).pk, record(world, "B", label).pk} <= ids


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize(
    "label", [label for label in ADMIN_KINDS if hasattr(admin.site._registry[MODELS[label]], "export_action")]
)
def test_admin_export_stays_within_the_scope(client, world, label, who):
    model = MODELS[label]
    model_admin = admin.site._registry[model]
    browser(client, world, who)
    form = client.get(admin_url(model) + "export/").context["form"]
    index = next(i for i, fmt in enumerate(settings.EXPORT_FORMATS) if fmt().get_extension() == "csv")
    columns = {
        name: "on"
        for name, field in form.fields.items()
        if name not in ("format", "resource") and field.__class__.__name__ == "BooleanField"
    }
    response = client.post(admin_url(model) + "export/", {"format": str(index), "resource": "0", **columns})
    assert response.status_code == 200
    exported = _csv_rows(response.content)

    request = RequestFactory().get("/")
    request.user = world.users[who]
    resource = model_admin.get_export_resource_classes(request)[0](**model_admin.get_export_resource_kwargs(request))
    fmt = settings.EXPORT_FORMATS[index]()

    def row_of(obj):
        [row] = _csv_rows(fmt.export_data(resource.export(queryset=model._default_manager.filter(pk=obj.pk))).encode())
        return row

    assert row_of(record(world, "A", label)) in exported
    assert row_of(record(world, "B", label)) not in exported


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("label, field", AUTOCOMPLETES, ids=[f"{label}.{field}" for label, field in AUTOCOMPLETES])
def test_admin_autocomplete_offers_only_what_the_user_may_read(client, world, label, field, who):
    model = MODELS[label]
    model_field = model._meta.get_field(field)
    target = model_field.related_model
    limit = model_field.get_limit_choices_to()
    browser(client, world, who)
    offered = set()
    for page in itertools.count(1):
        response = client.get(
            "/admin/autocomplete/",
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field,
                "term": "",
                "page": page,
            },
        )
        assert response.status_code == 200, response.content
        body = response.json()
        offered |= {int(result["id"]) for result in body["results"]}
        if not body["pagination"]["more"]:
            break
    assert outside_record(world, target, limit).pk not in offered
    assert not offered & set(
        target._default_manager.exclude(scope_of(world.users["A"]).read_q(target)).values_list("pk", flat=True)
    )
    mine = target._default_manager.filter(pk=record(world, "A", target._meta.label).pk).complex_filter(limit or {})
    if mine.exists():
        assert mine.get().pk in offered


def test_admin_regions_above_the_scope_are_read_only(client, world):
    browser(client, world, "A")
    region = MODELS["cooperation.Region"]
    response = client.get(admin_url(region, world.prefecture.pk))
    assert response.status_code == 200
    assert "甲州" in response.text and 'name="_save"' not in response.text
    response = client.post(admin_url(region, world.prefecture.pk), {"name": "改名", "code": "621200"})
    assert response.status_code == 403
    world.prefecture.refresh_from_db()
    assert world.prefecture.name == "甲州"
