"""The admin's history pages ("Revert"): only users who may change a record can revert it, and
a revert is an ordinary change of the record (same permission checks, form and model
validation, inline forms and save path as the change page).

Every model registered in the admin with a django-simple-history admin is tried with every role.
"""

import importlib
import inspect
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import factory.django
import pytest
from django.contrib import admin
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.crypto import get_random_string
from simple_history.admin import SimpleHistoryAdmin

from cooperation.admin_base import HistoryAdmin
from projects.models import Project
from tests.factories import OrganizationFactory, region_tree
from tests.projects.factories import DisbursementFactory, FundAllocationFactory, ProjectFactory

# --- The models under test ------------------------------------------------------------------


def _history_admins() -> list[tuple[type, admin.ModelAdmin]]:
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if isinstance(model_admin, SimpleHistoryAdmin) and hasattr(model._meta, "simple_history_manager_attribute")
        ),
        key=lambda pair: pair[0]._meta.label_lower,
    )


HISTORY_MODELS = [model for model, _ in _history_admins()]

# The field each test changes (to this value) and then reverts through the history page. None:
# the change page edits no field of the record (reports change only by being generated), so a
# revert saves nothing; the record's ``status`` is changed to show that a revert cannot touch
# a field the change page does not edit either.
CHANGES = {
    "cooperation.region": ("name", "改名县"),
    "cooperation.organization": ("name", "改名单位"),
    "cooperation.pairing": ("focus", "改后的协作重点"),
    "cooperation.target": ("notes", "改后的备注"),
    "cooperation.secondment": ("position", "改后的职务"),
    "projects.project": ("name", "改名项目"),
    "projects.fundallocation": ("note", "改后的备注"),
    "projects.disbursement": ("payee", "改后的收款人"),
    "projects.equityinvestment": ("note", "改后的备注"),
    "projects.progressreport": ("note", "改后的说明"),
    "projects.investment": ("note", "改后的备注"),
    "labor.worker": ("name", "改名"),
    "labor.placement": ("position", "改后的岗位"),
    "labor.workshop": ("name", "改名车间"),
    "labor.recruitmentevent": ("place", "改后的地点"),
    "labor.skillstraining": ("course", "改后的课程"),
    "healthcare.medicaldispatch": ("specialty", "改后的专科"),
    "healthcare.medicalservicestat": ("outpatients", 4321),
    "healthcare.discipline": ("goal", "改后的目标"),
    "healthcare.newtechnique": ("name", "改名技术"),
    "healthcare.outreachevent": ("place", "改后的地点"),
    "education.teacherdispatch": ("subject", "改后的学科"),
    "education.mentorship": ("apprentice_name", "改名徒弟"),
    "education.teachertraining": ("topic", "改后的主题"),
    "education.vocationalstudent": ("major", "改后的专业"),
    "education.activity": ("title", "改后的标题"),
    "consumption.product": ("name", "改名产品"),
    "consumption.venue": ("name", "改名场馆"),
    "consumption.sale": ("amount", Decimal("250.00")),
    "reports.report": None,
    "reports.reportsubscription": ("kind", "annual"),
    "reports.declaration": ("note", "改后的备注"),
    "cooperation.submission": ("comment", "改后的说明"),
}
READ_ONLY_CHANGES = {"reports.report": ("status", "failed")}

# Records whose factory alone builds one the change page would refuse (a county needs its
# province; a disbursement needs an allocation to draw on).
BUILDERS = {
    "cooperation.region": lambda: region_tree()["zhaojue"],
    "projects.disbursement": lambda: DisbursementFactory(project=FundAllocationFactory().project),
}


def _all_factories() -> list[type]:
    found = []
    tests_dir = Path(__file__).resolve().parent.parent
    for path in sorted(tests_dir.rglob("factories.py")):
        module_name = ".".join(("tests", *path.relative_to(tests_dir).with_suffix("").parts))
        module = importlib.import_module(module_name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, factory.django.DjangoModelFactory) and obj._meta.model is not None:
                found.append(obj)
    return found


FACTORIES = _all_factories()


def factory_for(model):
    """The test factory of ``model`` (``<Model>Factory`` when there are several)."""
    candidates = {f for f in FACTORIES if f._meta.model is model}
    exact = [f for f in candidates if f.__name__ == f"{model.__name__}Factory"]
    assert exact or len(candidates) == 1, f"no single factory for {model._meta.label}: {candidates}"
    return exact[0] if exact else candidates.pop()


# --- Roles ----------------------------------------------------------------------------------

# What each user may do on a history page: revert, only view, nothing (403), or nothing at all
# in the admin (not staff: sent to the login page).
ROLES = {
    "admin": "revert",
    "staff": "revert",
    "official": "view",
    "api": "login",
    "norole": "login",
    "norole_staff": "forbidden",  # an admin account (is_staff) without any role
}


@pytest.fixture
def user_for(make_user):
    def make(role):
        if role == "norole_staff":
            return make_user(None, username="norole-staff-user", is_staff=True)
        return make_user(role)

    return make


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)  # posts carry the page's CSRF token, as a browser's
    client.force_login(user)
    client.user = user
    return client


# --- Reading a page's form as a browser would submit it --------------------------------------


class _FormReader(HTMLParser):
    """The name/value pairs a browser submits from the form whose id is among ``form_ids``."""

    def __init__(self, form_ids):
        super().__init__()
        self.form_ids = form_ids
        self.inside = False
        self.found = False
        self.pairs = []
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") in self.form_ids
            self.found |= self.inside
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.pairs.append((name, attrs.get("value") or "on"))
                return
            self.pairs.append((name, attrs.get("value") or ""))
        elif tag == "select" and name and "disabled" not in attrs:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.pairs.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.pairs.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.pairs.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_data(response, model) -> dict:
    """The record's form on ``response`` as a browser would post it with "Revert" pressed."""
    name = model._meta.model_name
    reader = _FormReader({f"{name}_form", f"historical{name}_form"})
    reader.feed(response.content.decode())
    assert reader.found, "no change form on the page"
    data = defaultdict(list)
    for name, value in reader.pairs:
        data[name].append(value)
    data["_save"] = ["Revert"]
    return dict(data)


def with_csrf(data: dict, client: Client) -> dict:
    """``data`` with the CSRF token of ``client``'s own session (cookie value)."""
    if "csrftoken" not in client.cookies:  # (pages refusing the user set no cookie)
        client.cookies["csrftoken"] = get_random_string(32)
    return data | {"csrfmiddlewaretoken": [client.cookies["csrftoken"].value]}


# --- Records --------------------------------------------------------------------------------


def _label(model) -> str:
    return model._meta.label_lower


def history_of(record):
    opts = type(record)._meta
    return getattr(type(record), opts.simple_history_manager_attribute).filter(**{opts.pk.attname: record.pk})


def changed_record(model):
    """A record of ``model`` with two versions: as built (the oldest) and with one field changed.
    Returns the record, the changed field, its first value and the first version's URL."""
    record = BUILDERS.get(_label(model), factory_for(model))()
    change = CHANGES[_label(model)] or READ_ONLY_CHANGES[_label(model)]
    field, value = change
    old = getattr(record, field)
    assert old != value
    setattr(record, field, value)
    record.save()
    first = history_of(record).earliest("history_date")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history", args=[record.pk, first.pk])
    return record, field, old, url


def current(record, field):
    return getattr(type(record)._default_manager.get(pk=record.pk), field)


# --- Tests ----------------------------------------------------------------------------------


def test_every_history_admin_is_covered_and_hardened():
    """A new model on the history admin needs a line in CHANGES, and its admin the hardened
    history base (a plain SimpleHistoryAdmin lets view-only users revert)."""
    assert {_label(m) for m in HISTORY_MODELS} == set(CHANGES)
    plain = [m._meta.label for m, a in _history_admins() if not isinstance(a, HistoryAdmin)]
    assert plain == []


def _check_page(page, role):
    outcome = ROLES[role]
    if outcome == "login":
        assert page.status_code == 302 and page.url.startswith(reverse("admin:login")), role
    elif outcome == "forbidden":
        assert page.status_code == 403, role
    else:
        assert page.status_code == 200, role
        if outcome == "revert":
            assert 'name="_save"' in page.content.decode(), role  # the "Revert" button
        if outcome == "view":
            assert 'name="_save"' not in page.content.decode(), role  # no "Revert" button ...
            shown = [field for fieldset in page.context["adminform"] for line in fieldset for field in line]
            assert shown and all(field.is_readonly for field in shown), role  # ... and no editable field


@pytest.mark.django_db
@pytest.mark.parametrize("model", HISTORY_MODELS, ids=_label)
def test_history_form_for_every_role(model, user_for):
    """Users who may not change the record see the old version read-only (or nothing), and
    posting the revert an editor would post changes nothing; staff and administrators revert."""
    record, field, old, url = changed_record(model)
    changed = getattr(record, field)
    rows = history_of(record).count()
    clients = {role: client_for(user_for(role)) for role in ROLES}

    editor_page = clients["admin"].get(url)
    _check_page(editor_page, "admin")
    payload = form_data(editor_page, model)

    for role, client in clients.items():
        if ROLES[role] == "revert":
            continue
        _check_page(client.get(url), role)
        # The revert an editor would post, sent with this user's own session and CSRF token.
        response = client.post(url, with_csrf(payload, client))
        if ROLES[role] == "login":
            assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), role
        else:
            assert response.status_code == 403, role
        assert current(record, field) == changed, role
        assert history_of(record).count() == rows, role

    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    staff_page = clients["staff"].get(url)
    _check_page(staff_page, "staff")
    for role, data in (("staff", form_data(staff_page, model)), ("admin", payload)):
        response = clients[role].post(url, data)
        assert response.status_code == 302, (role, _errors(response))
        assert response.url == changelist, role
        if CHANGES[_label(model)] is None:  # the change page edits nothing: nothing to save
            assert current(record, field) == changed, role
            assert history_of(record).count() == rows, role
            continue
        assert current(record, field) == old, role
        latest = history_of(record).latest("history_date")
        assert latest.history_user == clients[role].user and latest.history_type == "~", role
        assert history_of(record).count() == rows + 1, role
        # Change it again for the next role.
        type(record)._default_manager.filter(pk=record.pk).update(**{field: changed})
        rows = history_of(record).count()


def _errors(response):
    context = getattr(response, "context", None)
    if not context or "adminform" not in context:
        return response.content.decode()[:3000]
    inlines = context.get("inline_admin_formsets") or []
    return context["adminform"].form.errors, [fs.formset.errors for fs in inlines]


@pytest.mark.django_db
class TestRevertIsAChange:
    def test_revert_runs_the_model_rules(self, user_for):
        # A project does not move back from "completed" to "in progress" (Project.clean):
        # reverting to the first version must show the error, not save.
        project = ProjectFactory(status="in_progress", name="原名")
        project.status, project.name = "completed", "新名"
        project.save()
        url = reverse("admin:projects_project_simple_history", args=[project.pk, project.history.earliest().pk])
        client = client_for(user_for("staff"))
        response = client.post(url, form_data(client.get(url), Project))
        assert response.status_code == 200
        assert "status" in response.context["adminform"].form.errors
        assert response.context["adminform"].form["name"].value() == "原名"
        project.refresh_from_db()
        assert (project.status, project.name, project.history.count()) == ("completed", "新名", 2)

    def test_revert_page_is_the_change_form_with_its_inlines(self, user_for):
        project = ProjectFactory(name="原名")
        FundAllocationFactory(project=project, amount=Decimal("1000.00"))
        DisbursementFactory(project=project, amount=Decimal("400.00"))
        project.name = "新名"
        project.save()
        url = reverse("admin:projects_project_simple_history", args=[project.pk, project.history.earliest().pk])
        client = client_for(user_for("staff"))
        page = client.get(url)
        assert page.status_code == 200 and len(page.context["inline_admin_formsets"]) == 5
        data = form_data(page, Project)
        assert data["allocations-INITIAL_FORMS"] == ["1"] and data["disbursements-0-amount"] == ["400.00"]
        # The inline forms are checked as on the change page: here the no-overspend rule.
        over = client.post(url, data | {"disbursements-0-amount": ["5000.00"]})
        assert over.status_code == 200
        assert over.context["inline_admin_formsets"][1].formset.non_form_errors()
        project.refresh_from_db()
        assert project.name == "新名" and project.disbursements.get().amount == Decimal("400.00")
        assert client.post(url, data).status_code == 302
        project.refresh_from_db()
        assert project.name == "原名" and project.disbursements.get().amount == Decimal("400.00")

    def test_a_deleted_record_is_not_restored(self, user_for):
        org = OrganizationFactory(name="原名")
        org.name = "新名"
        org.save()
        url = reverse("admin:cooperation_organization_simple_history", args=[org.pk, org.history.earliest().pk])
        client = client_for(user_for("admin"))
        data = form_data(client.get(url), type(org))
        org.delete()
        assert client.post(url, data).status_code == 404
        assert not type(org).objects.filter(pk=org.pk).exists()

    def test_a_version_of_another_record_is_not_found(self, user_for):
        first, second = OrganizationFactory(), OrganizationFactory()
        url = reverse("admin:cooperation_organization_simple_history", args=[first.pk, second.history.earliest().pk])
        client = client_for(user_for("staff"))
        assert client.get(url).status_code == 404
        assert client.get(url.replace(f"/{second.history.earliest().pk}/", "/nope/")).status_code == 404

    def test_revert_disabled_by_setting(self, user_for):
        org = OrganizationFactory(name="原名")
        org.name = "新名"
        org.save()
        url = reverse("admin:cooperation_organization_simple_history", args=[org.pk, org.history.earliest().pk])
        client = client_for(user_for("staff"))
        data = form_data(client.get(url), type(org))
        with override_settings(SIMPLE_HISTORY_REVERT_DISABLED=True):
            page = client.get(url)
            assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
            assert client.post(url, data).status_code == 403
        org.refresh_from_db()
        assert org.name == "新名"

    def test_view_only_page_shows_the_old_version_read_only(self, user_for):
        org = OrganizationFactory(name="原名")
        org.name = "新名"
        org.save()
        url = reverse("admin:cooperation_organization_simple_history", args=[org.pk, org.history.earliest().pk])
        html = client_for(user_for("official")).get(url).content.decode()
        assert "原名" in html and 'name="name"' not in html

    def test_record_rules_of_the_change_page_apply(self, user_for, monkeypatch):
        # Rules an admin adds on the record (a lock through has_change_permission, a scope
        # through get_queryset) hold on its history pages as on its change page.
        org = OrganizationFactory(name="原名")
        org.name = "新名"
        org.save()
        url = reverse("admin:cooperation_organization_simple_history", args=[org.pk, org.history.earliest().pk])
        client = client_for(user_for("staff"))
        data = form_data(client.get(url), type(org))
        model_admin = admin.site._registry[type(org)]
        admin_class = type(model_admin)
        allowed = admin_class.has_change_permission

        def locked(self, request, obj=None):
            return (obj is None or obj.name != "新名") and allowed(self, request, obj)

        with monkeypatch.context() as patch:
            patch.setattr(admin_class, "has_change_permission", locked, raising=False)
            page = client.get(url)
            assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
            assert client.post(url, data).status_code == 403
        queryset = admin_class.get_queryset
        with monkeypatch.context() as patch:
            patch.setattr(admin_class, "get_queryset", lambda self, request: queryset(self, request).exclude(pk=org.pk))
            assert client.get(url).status_code == 404
            assert client.post(url, data).status_code == 404
        org.refresh_from_db()
        assert (org.name, org.history.count()) == ("新名", 2)
        assert client.post(url, data).status_code == 302
        org.refresh_from_db()
        assert org.name == "原名"
