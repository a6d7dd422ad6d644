"""The list endpoints' compiled rows (``cooperation.api.rows``) are DRF's output, byte for byte.

Every record collection of the router is listed twice over the same records: as the portal
answers it, and through DRF's own ``ListModelMixin.list`` (the serializer's ``many=True``
output) with django-filter's own backend (which ``cooperation.api.filters.FilterBackend``
skips when a request sends no filter). The answers must be equal for each role: an API
client, an official, and a user who holds ``labor.view_full_id_number`` (who reads ID numbers,
phones and birth dates in full).
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins
from rest_framework.test import APIRequestFactory, force_authenticate

from config.api import router
from cooperation.api.base import ProgrammeViewSet
from cooperation.api.filters import FilterBackend
from cooperation.api.rows import list_rows
from cooperation.records import record_kinds
from tests.factories import RegionFactory, build_record, model_factories
from tests.labor.factories import WorkerFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

COLLECTIONS = sorted(
    (prefix, viewset)
    for prefix, viewset, _basename in router.registry
    if issubclass(viewset, ProgrammeViewSet) and getattr(viewset, "queryset", None) is not None
)
# The lists the scale benchmark compares with a raw app: they must take the compiled path.
BENCHMARKED = {"sales", "workers", "projects"}


def _drf_list(viewset):
    """``viewset`` as DRF and django-filter would answer: DRF's own list (the serializer's
    representation of the page), django-filter's backend (run for a request without filters)."""
    backends = [DjangoFilterBackend if backend is FilterBackend else backend for backend in viewset.filter_backends]
    assert backends != list(viewset.filter_backends)
    return type(f"Drf{viewset.__name__}", (viewset,), {"list": mixins.ListModelMixin.list, "filter_backends": backends})


def _answer(viewset, prefix, user, query="page_size=1000"):
    request = APIRequestFactory().get(f"/api/v1/{prefix}/?{query}")
    force_authenticate(request, user=user)
    response = viewset.as_view({"get": "list"})(request)
    assert response.status_code == 200, response.data
    response.render()
    return response.content


@pytest.fixture
def world(make_user):
    """A record of every kind in a western county (each built twice), a project without a
    completion date or allocations, a worker with a phone and one without."""
    west = RegionFactory(code="621221", name="甲县", level="county", side="west")
    east = RegionFactory(code="320581", name="东甲市", level="county", side="east")
    kinds = {model for model, _kind in record_kinds()}
    factories = model_factories()
    for model in kinds:
        for _ in range(2):
            try:
                build_record(model, county=west, east=east)
            except LookupError:
                if model in factories:
                    factories[model]()
    ProjectFactory(region=west, completed_on=None, budget=Decimal("1234567.80"))
    WorkerFactory(hometown=west, phone="13812345678")
    WorkerFactory(hometown=west, phone="")
    full = make_user("staff", username="full-view")
    full.user_permissions.add(Permission.objects.get(codename="view_full_id_number"))
    return {"api": make_user("api"), "official": make_user("official"), "full view": full}


@pytest.mark.parametrize("role", ["api", "official", "full view"])
def test_every_list_answers_what_drf_answers(world, role):
    user = world[role]
    compared = 0
    for prefix, viewset in COLLECTIONS:
        ours = _answer(viewset, prefix, user)
        assert ours == _answer(_drf_list(viewset), prefix, user), prefix
        compared += ours.count(b'"id":')
    assert compared > 2 * len(COLLECTIONS)  # every list had records to compare


def test_pages_orderings_and_filters_answer_what_drf_answers(world):
    user = world["full view"]
    queries = [
        "page_size=1&page=2",
        "ordering=-name",
        "cursor=&page_size=1",
        f"year={datetime.date.today().year}",
        "search=a",
    ]
    for prefix in BENCHMARKED:
        viewset = dict(COLLECTIONS)[prefix]
        for query in queries:
            if "ordering=-name" in query and prefix == "sales":
                query = "ordering=-amount"
            ours = _answer(viewset, prefix, user, query)
            assert ours == _answer(_drf_list(viewset), prefix, user, query), (prefix, query)


def test_the_benchmarked_lists_take_the_compiled_path():
    for prefix, viewset in COLLECTIONS:
        if prefix in BENCHMARKED:
            assert list_rows(viewset.serializer_class) is not None, prefix


def test_lists_of_columns_read_values_not_model_instances():
    """A list whose every field is a column or an annotation reads ``values()`` dicts; one that
    reads a property (a worker's decrypted ID number, a project's rate) reads instances."""
    reads_values = {
        prefix
        for prefix, viewset in COLLECTIONS
        if list_rows(viewset.serializer_class) is not None
        and list_rows(viewset.serializer_class).values(viewset.queryset.all()) is not None
    }
    assert "sales" in reads_values and not {"workers", "projects"} & reads_values


def test_personal_data_is_masked_in_the_compiled_rows(world, api_client_for):
    rows = api_client_for(user=world["api"]).get("/api/v1/workers/").json()["results"]
    with_phone = [row for row in rows if row["phone"]]
    assert with_phone and all("****" in row["phone"] for row in with_phone)
    assert all("*" in row["id_number"] and row["birth_date"] is None for row in rows)
    rows = api_client_for(user=world["full view"]).get("/api/v1/workers/").json()["results"]
    assert "13812345678" in [row["phone"] for row in rows]
    assert all("*" not in row["id_number"] and row["birth_date"] for row in rows)


DECIMALS = [
    Decimal("0"),
    Decimal("-0.005"),
    Decimal("0.125"),  # a tie: rounds to even as DRF does
    Decimal("0.135"),
    Decimal("1234567890123456.78"),
    Decimal("2.5E+3"),
    Decimal("1E-9"),
    7,
    2.675,  # a float DRF reads through str()
    " 12.5 ",
]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_digits": 18, "decimal_places": 2},
        {"max_digits": 9, "decimal_places": 4},
        {"max_digits": None, "decimal_places": 3},
        {"max_digits": 18, "decimal_places": 2, "rounding": "ROUND_HALF_UP"},
        {"max_digits": 18, "decimal_places": 2, "normalize_output": True},
    ],
)
def test_decimals_convert_as_drf_converts(kwargs):
    """A decimal's compiled conversion (its constants built once per request) gives DRF's own
    string for every value, rounding and option, and refuses what DRF refuses."""
    from rest_framework import serializers

    from consumption.models import Sale

    class Amounts(serializers.ModelSerializer):
        amount = serializers.DecimalField(**kwargs)

        class Meta:
            model = Sale
            fields = ["amount"]

    rows = list_rows(Amounts)
    assert rows is not None
    (column,) = rows.columns
    assert column.converter is None  # built per request, not DRF's own bound method
    field = Amounts().fields["amount"]
    convert = column.for_request(None)
    for value in [*DECIMALS, Decimal("12345678901234567890.5")]:  # the last one too long for max_digits
        assert _outcome(convert, value) == _outcome(field.to_representation, value), value


def _outcome(function, value):
    """What ``function(value)`` gives, or the class of what it raises."""
    try:
        return function(value)
    except Exception as error:  # whatever DRF raises, the conversion must raise too
        return type(error)


@pytest.mark.parametrize("prefix", sorted(BENCHMARKED))
def test_a_list_of_ids_and_columns_joins_no_other_table(world, prefix, api_client_for):
    """The benchmarked lists give references by id and their own columns (a worker's birth
    year is part of a column): their page reads its own table only, whatever its selector
    joins for the pages that show the related rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client_for(user=world["full view"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{prefix}/")
    assert response.status_code == 200 and response.json()["results"]
    (page,) = [query["sql"] for query in queries.captured_queries if "LIMIT" in query["sql"]]
    assert " JOIN " not in page, page


def test_a_column_read_through_drf_keeps_model_instances():
    """A related row's slug (DRF reads the related object) or a field with a default (DRF reads
    it when the attribute is missing): such lists read model instances, not ``values()``."""
    from rest_framework import serializers

    from consumption.models import Sale

    class BySlug(serializers.ModelSerializer):
        product = serializers.SlugRelatedField(slug_field="name", read_only=True)

        class Meta:
            model = Sale
            fields = ["id", "product"]

    class WithDefault(serializers.ModelSerializer):
        unit = serializers.CharField(default="kg")

        class Meta:
            model = Sale
            fields = ["id", "unit"]

    class Plain(serializers.ModelSerializer):
        class Meta:
            model = Sale
            fields = ["id", "product", "unit"]

    for serializer_class in (BySlug, WithDefault):
        assert list_rows(serializer_class).values(Sale.objects.all()) is None, serializer_class
    assert list_rows(Plain).values(Sale.objects.all()) is not None
