"""User scopes (CONTRACT.md 1.1): ``scope_of`` and ``scoped``, the ``set_scope`` command and the
scope on the admin's user page."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.forms import MultiWidget

from cooperation.models import Region, ScopeRegion
from cooperation.scopes import OUTSIDE_SCOPE, compute_scope, scope_of, scoped
from projects.models import Project
from tests.factories import PairingFactory, RegionFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def codes(regions) -> list[str]:
    return [region.code for region in regions]


class TestScopeOf:
    def test_no_region_is_the_whole_programme(self, make_user, regions):
        scope = scope_of(make_user("staff"))
        assert scope.unrestricted and scope.regions == () and scope.own == ()
        assert scoped(Region.objects.all(), make_user("official")).count() == Region.objects.count()

    def test_own_regions_and_what_lies_below(self, scoped_user, regions):
        user = scoped_user("staff", regions["zhaojue"])
        scope = scope_of(user)
        assert codes(scope.own) == codes(scope.regions) == ["513431"]
        assert scope.contains(regions["village"]) and not scope.contains(regions["butuo"])
        assert not scope.contains(regions["liangshan"]) and not scope.contains(None)

    def test_a_region_pairing_brings_the_other_side_in_both_ways(self, scoped_user, regions):
        PairingFactory(kind="region", east_region=regions["yuyao"], west_region=regions["zhaojue"])
        # A pairing of another kind (schools, say) widens nothing.
        PairingFactory(kind="school", east_region=regions["ningbo"], west_region=regions["butuo"])
        west = scope_of(scoped_user("staff", regions["zhaojue"]))
        east = scope_of(scoped_user("staff", regions["yuyao"]))
        assert codes(west.own) == ["513431"] and codes(west.regions) == ["330281", "513431"]
        assert codes(east.own) == ["330281"] and codes(east.regions) == ["330281", "513431"]
        assert codes(scope_of(scoped_user("staff", regions["ningbo"])).regions) == ["330200"]

    def test_only_the_outermost_regions_are_kept(self, scoped_user, regions):
        scope = scope_of(scoped_user("staff", regions["zhaojue"], regions["liangshan"], regions["village"]))
        assert codes(scope.own) == ["513400", "513431", "513431104201"]
        assert codes(scope.regions) == ["513400"]
        assert scope.contains(regions["butuo"])

    def test_records_within_the_scope_and_regions_above_it(self, scoped_user, regions):
        mine = ProjectFactory(region=regions["town"])
        theirs = ProjectFactory(region=regions["butuo"])
        user = scoped_user("staff", regions["zhaojue"])
        assert list(scoped(Project.objects.all(), user)) == [mine]
        readable = set(scoped(Region.objects.all(), user).values_list("code", flat=True))
        assert readable == {"510000", "513400", "513431", "513431104", "513431104201"}
        assert scope_of(user).record_error(theirs) == {"region": OUTSIDE_SCOPE}
        assert scope_of(user).record_error(mine) == {}
        assert not scope_of(user).can_write(regions["liangshan"])

    @pytest.mark.parametrize("size", [1, 20])
    def test_one_query_whatever_the_scope_size(self, scoped_user, regions, size, django_assert_num_queries):
        counties = [
            RegionFactory(code=f"5134{50 + n:02d}", name=f"县{n}", parent=regions["liangshan"]) for n in range(size)
        ]
        for n, county in enumerate(counties):
            east = RegionFactory(code=f"3302{50 + n:02d}", name=f"东{n}", side="east", parent=regions["ningbo"])
            PairingFactory(kind="region", east_region=east, west_region=county)
        user = scoped_user("staff", *counties)
        with django_assert_num_queries(1):
            scope = compute_scope(user)
        assert len(scope.regions) == 2 * size
        with django_assert_num_queries(1):
            scope_of(user)
        with django_assert_num_queries(0):
            scope_of(user)  # cached on the user object for the request


class TestSetScopeCommand:
    def run(self, *args):
        out = StringIO()
        call_command("set_scope", *args, stdout=out)
        return out.getvalue()

    def test_sets_and_clears(self, make_user, regions):
        user = make_user("staff", username="liu")
        out = self.run("liu", "513431", "330281")
        assert "513431" in out and "330281" in out
        assert set(ScopeRegion.objects.filter(user=user).values_list("region__code", flat=True)) == {"513431", "330281"}
        self.run("liu", "513431")
        assert list(ScopeRegion.objects.filter(user=user).values_list("region__code", flat=True)) == ["513431"]
        out = self.run("liu")
        assert "整个协作项目" in out
        assert not ScopeRegion.objects.filter(user=user).exists()

    def test_an_unknown_code_is_named_and_nothing_changes(self, make_user, regions):
        user = make_user("staff", username="liu")
        self.run("liu", "513431")
        with pytest.raises(CommandError) as error:
            self.run("liu", "513429", "999999")
        assert "999999" in str(error.value) and "513429" not in str(error.value)
        assert list(ScopeRegion.objects.filter(user=user).values_list("region__code", flat=True)) == ["513431"]

    def test_an_unknown_user_is_named(self, regions):
        with pytest.raises(CommandError, match="nobody"):
            self.run("nobody", "513431")

    def test_every_change_leaves_a_history_row(self, make_user, regions):
        make_user("staff", username="liu")
        self.run("liu", "513431")
        self.run("liu", "513429")
        history = ScopeRegion.history.order_by("history_date", "history_id")
        assert [(row.history_type, row.region.code) for row in history] == [
            ("+", "513431"),
            ("-", "513431"),
            ("+", "513429"),
        ]


def form_data(form) -> dict:
    """What a browser would send back for ``form`` as rendered (its current values)."""
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        widget, value = bound.field.widget, bound.value()
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(value) if not isinstance(value, list) else value
            for suffix, part in zip(widget.widgets_names, parts, strict=True):
                data[f"{bound.html_name}{suffix}"] = "" if part is None else part
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        elif value is not None:
            data[bound.html_name] = value
    return data


class TestUserPage:
    def test_an_administrator_sets_a_scope_on_the_user_page(self, client, make_user, regions):
        target = make_user("staff", username="liu")
        client.force_login(make_user("admin"))
        url = f"/admin/auth/user/{target.pk}/change/"
        page = client.get(url)
        assert page.status_code == 200
        assert "管辖范围" in page.text
        data = form_data(page.context["adminform"].form)
        [formset] = [
            inline.formset for inline in page.context["inline_admin_formsets"] if inline.formset.model is ScopeRegion
        ]
        data |= form_data(formset.management_form)
        data |= {
            f"{formset.prefix}-TOTAL_FORMS": "1",
            f"{formset.prefix}-INITIAL_FORMS": "0",
            f"{formset.prefix}-0-region": str(regions["zhaojue"].pk),
        }
        response = client.post(url, data)
        assert response.status_code == 302, response.context and response.context["errors"]
        assert codes(scope_of(type(target).objects.get(pk=target.pk)).own) == ["513431"]
        assert "昭觉县" in client.get(url).text

    def test_staff_can_neither_see_nor_change_users_or_scopes(self, client, make_user, scoped_user, regions):
        target = scoped_user("staff", regions["zhaojue"], username="liu")
        client.force_login(make_user("staff"))
        assert client.get("/admin/auth/user/").status_code == 403
        assert client.get(f"/admin/auth/user/{target.pk}/change/").status_code == 403
        response = client.post(f"/admin/auth/user/{target.pk}/change/", {"username": "liu"})
        assert response.status_code == 403
        assert client.get("/admin/").status_code == 200
        assert "/admin/auth/user/" not in client.get("/admin/").text
        assert codes(scope_of(type(target).objects.get(pk=target.pk)).own) == ["513431"]
