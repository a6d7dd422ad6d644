"""Reference pickers offer only the side the record accepts (``limit_choices_to``), and refusing the
other side still answers the model's own message, in the API as in ``full_clean()``."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from cooperation.models import Organization, Region
from projects.models import Project
from tests.factories import OrganizationFactory

SIDE_LIMITED = {
    ("cooperation", "pairing", "east_region"): "east",
    ("cooperation", "pairing", "west_region"): "west",
    ("cooperation", "pairing", "east_org"): "east",
    ("cooperation", "pairing", "west_org"): "west",
    ("cooperation", "target", "region"): "west",
    ("cooperation", "secondment", "region"): "west",
    ("cooperation", "submission", "region"): "west",
    ("projects", "project", "region"): "west",
    ("projects", "equityinvestment", "investee"): "west",
    ("projects", "investment", "enterprise"): "west",
    ("projects", "investment", "east_parent"): "east",
    ("labor", "worker", "hometown"): "west",
    ("labor", "workshop", "region"): "west",
    ("labor", "skillstraining", "region"): "west",
    ("consumption", "product", "origin_region"): "west",
    ("consumption", "sale", "origin_region"): "west",
    ("education", "teacherdispatch", "source_org"): "east",
    ("education", "teacherdispatch", "host_org"): "west",
    ("education", "vocationalstudent", "hometown"): "west",
    ("education", "vocationalstudent", "school"): "east",
    ("healthcare", "medicaldispatch", "source_org"): "east",
    ("healthcare", "medicaldispatch", "host_org"): "west",
    ("healthcare", "medicalservicestat", "host_org"): "west",
    ("healthcare", "discipline", "host_org"): "west",
    ("healthcare", "newtechnique", "host_org"): "west",
    ("healthcare", "outreachevent", "host_org"): "west",
}
WEST_ONLY = "必须属于西部（受帮扶方）。"


def _limited_fields():
    """Every programme reference limited to a side, as {(app, model, field): side}."""
    found = {}
    for model in apps.get_models():
        if model._meta.app_label not in {"cooperation", "projects", "labor", "consumption", "education", "healthcare"}:
            continue
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            limit = field.is_relation and field.remote_field.limit_choices_to
            if limit:
                found[(model._meta.app_label, model._meta.model_name, field.name)] = limit["side"]
    return found


def test_every_reference_checked_by_require_side_is_limited_to_its_side():
    assert _limited_fields() == SIDE_LIMITED


@pytest.fixture
def both_sides(regions):
    return {
        **regions,
        "east_org": OrganizationFactory(region=regions["yuyao"]),
        "west_org": OrganizationFactory(region=regions["zhaojue"]),
    }


@pytest.mark.django_db
def test_every_admin_form_and_inline_offers_only_the_side(both_sides, make_user):
    """Plain selects and autocompletes alike: the form field's choices are the side's rows only."""
    request = RequestFactory().get("/admin/")
    request.user = make_user("admin", is_superuser=True)
    checked = set()
    for model, model_admin in admin.site._registry.items():
        form_classes = [(model, model_admin.get_form(request))]
        for inline in model_admin.get_inline_instances(request):
            form_classes.append((inline.model, inline.get_formset(request).form))
        for form_model, form_class in form_classes:
            form = form_class()
            for name, formfield in form.fields.items():
                side = SIDE_LIMITED.get((form_model._meta.app_label, form_model._meta.model_name, name))
                if side is None:
                    continue
                offered = {row.side for row in formfield.queryset}
                assert offered == {side}, (form_model, name, offered)
                checked.add((form_model._meta.app_label, form_model._meta.model_name, name))
    assert checked == set(SIDE_LIMITED)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model_name", "field_name", "side", "model"),
    [
        ("project", "region", "west", Region),
        ("worker", "hometown", "west", Region),
        ("product", "origin_region", "west", Region),
        ("sale", "origin_region", "west", Region),
        ("target", "region", "west", Region),
        ("medicaldispatch", "host_org", "west", Organization),
        ("medicaldispatch", "source_org", "east", Organization),
        ("teacherdispatch", "source_org", "east", Organization),
    ],
)
def test_autocomplete_lists_only_the_side(client, make_user, both_sides, model_name, field_name, side, model):
    client.force_login(make_user("staff"))
    app = {
        "project": "projects",
        "worker": "labor",
        "product": "consumption",
        "sale": "consumption",
        "target": "cooperation",
        "medicaldispatch": "healthcare",
        "teacherdispatch": "education",
    }[model_name]
    response = client.get(
        "/admin/autocomplete/", {"app_label": app, "model_name": model_name, "field_name": field_name}
    )
    assert response.status_code == 200
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids == set(model.objects.filter(side=side).values_list("pk", flat=True))
    assert ids


@pytest.mark.django_db
def test_project_region_autocomplete_starts_with_the_west(client, make_user, regions):
    client.force_login(make_user("staff"))
    response = client.get(
        "/admin/autocomplete/", {"app_label": "projects", "model_name": "project", "field_name": "region"}
    )
    names = [result["text"] for result in response.json()["results"]]
    assert not any(name.startswith(("浙江省", "宁波市", "余姚市")) for name in names)
    assert "昭觉县 (513431)" in names


@pytest.mark.django_db
def test_the_model_refuses_the_other_side_with_one_readable_message(regions):
    project = Project(code="X", name="x", category="industry", year=2023, status="planned", budget=1)
    project.region = regions["yuyao"]
    with pytest.raises(ValidationError) as caught:
        project.full_clean()
    assert caught.value.message_dict["region"] == [WEST_ONLY]


@pytest.mark.django_db
def test_a_missing_row_is_still_refused_by_the_field(regions):
    # The side is clean()'s; whether the row exists stays the field's own check.
    from labor.models import Worker

    worker = Worker(name="x", hometown_id=10**9)
    with pytest.raises(ValidationError) as caught:
        worker.clean_fields(exclude={field.name for field in Worker._meta.fields} - {"hometown"})
    assert "hometown" in caught.value.message_dict


@pytest.mark.django_db
def test_the_api_answers_the_models_message_for_the_other_side(api_client_for, both_sides):
    client = api_client_for("staff")
    project = {
        "code": "NEW",
        "name": "x",
        "category": "industry",
        "year": 2023,
        "status": "planned",
        "region": both_sides["yuyao"].pk,
        "budget": "1.00",
    }
    response = client.post("/api/v1/projects/", project, format="json")
    assert response.status_code == 400
    assert response.json() == {"region": [WEST_ONLY]}

    dispatch = {
        "person_name": "x",
        "source_org": both_sides["west_org"].pk,
        "host_org": both_sides["east_org"].pk,
        "specialty": "x",
        "role": "leader",
        "started_on": "2023-01-01",
    }
    response = client.post("/api/v1/medical-dispatches/", dispatch, format="json")
    assert response.status_code == 400
    assert response.json() == {"source_org": ["必须属于东部（帮扶方）。"], "host_org": [WEST_ONLY]}

    # A row that does not exist is still DRF's answer, and the same ids as before are accepted.
    response = client.post("/api/v1/projects/", project | {"region": 10**9}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["region"]
    response = client.post("/api/v1/projects/", project | {"region": both_sides["village"].pk}, format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.django_db
def test_a_list_filter_by_a_region_of_the_other_side_is_an_empty_list(api_client_for, regions):
    response = api_client_for("official").get("/api/v1/projects/", {"region": regions["yuyao"].pk})
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == 0
