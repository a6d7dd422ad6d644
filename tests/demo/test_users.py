"""The demo logins: one unscoped user per role, and the three scoped ones of CONTRACT.md 1.1."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation
from rest_framework.authtoken.models import Token

from cooperation import roles
from cooperation.models import ScopeRegion
from cooperation.scopes import scope_of
from demo.users import DEMO_USERS, demo_users_ensure
from tests.factories import PairingFactory

User = get_user_model()

# username -> (password, group, may use the admin, scope codes)
EXPECTED = {
    "admin": ("admin-demo-2026", roles.ADMINISTRATORS, True, set()),
    "staff": ("staff-demo-2026", roles.PROGRAMME_STAFF, True, set()),
    "official": ("official-demo-2026", roles.OFFICIALS, True, set()),
    "api": ("api-demo-2026", roles.API_CLIENTS, False, set()),
    "reviewer": ("reviewer-demo-2026", roles.REVIEWERS, True, set()),
    "zhaojue": ("zhaojue-demo-2026", roles.PROGRAMME_STAFF, True, {"513431"}),
    "yuyao": ("yuyao-demo-2026", roles.PROGRAMME_STAFF, True, {"330281"}),
    "liangshan": ("liangshan-demo-2026", roles.OFFICIALS, True, {"513400"}),
}


@pytest.fixture
def paired(regions):
    """The demo's regions as far as the scopes need them, with the Yuyao-Zhaojue pairing."""
    PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"])
    return regions


def _state() -> dict:
    return {
        user.username: (
            sorted(user.groups.values_list("name", flat=True)),
            user.is_staff,
            user.is_active,
            set(ScopeRegion.objects.filter(user=user).values_list("region__code", flat=True)),
            Token.objects.get(user=user).key,
        )
        for user in User.objects.filter(username__in=EXPECTED)
    }


def test_every_demo_user_has_its_role_password_and_scope(paired, client):
    result = demo_users_ensure()
    assert result.skipped == []
    assert [login.username for login in result.logins] == list(EXPECTED)
    for username, (password, group, admin, codes) in EXPECTED.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.is_staff is admin and user.is_active
        assert not user.is_superuser
        assert user.check_password(password)
        assert {region.code for region in scope_of(user).own} == codes
        assert scope_of(user).unrestricted is (not codes)
    assert client.login(username="zhaojue", password="zhaojue-demo-2026")


def test_the_pairing_brings_each_side_into_the_others_scope(paired):
    demo_users_ensure()
    regions_of = {name: {r.code for r in scope_of(User.objects.get(username=name)).regions} for name in EXPECTED}
    assert regions_of["zhaojue"] == {"513431", "330281"}
    assert regions_of["yuyao"] == {"330281", "513431"}
    assert regions_of["liangshan"] == {"513400"}  # no pairing names the prefecture itself
    assert scope_of(User.objects.get(username="liangshan")).contains(paired["butuo"])
    assert not scope_of(User.objects.get(username="zhaojue")).contains(paired["butuo"])


def test_a_second_run_changes_no_role_scope_or_token(paired):
    demo_users_ensure()
    before = _state()
    history = ScopeRegion.history.count()
    demo_users_ensure()
    assert _state() == before
    assert ScopeRegion.history.count() == history  # no scope row removed and added again
    assert ScopeRegion.objects.count() == 3


def test_a_reset_restores_what_someone_changed(paired):
    demo_users_ensure()
    staff = User.objects.get(username="staff")
    ScopeRegion.objects.create(user=staff, region=paired["butuo"])
    zhaojue = User.objects.get(username="zhaojue")
    ScopeRegion.objects.filter(user=zhaojue).delete()
    ScopeRegion.objects.create(user=zhaojue, region=paired["butuo"])
    zhaojue.set_password("changed")
    zhaojue.save()

    demo_users_ensure()
    assert not ScopeRegion.objects.filter(user=staff).exists()
    assert set(ScopeRegion.objects.filter(user=zhaojue).values_list("region__code", flat=True)) == {"513431"}
    assert User.objects.get(username="zhaojue").check_password("zhaojue-demo-2026")


@pytest.mark.django_db
def test_without_the_demo_regions_no_scoped_user_is_created():
    """A scoped login without its scope would see the whole programme: it is left out."""
    result = demo_users_ensure()
    assert [spec.username for spec in result.skipped] == ["zhaojue", "yuyao", "liangshan"]
    assert set(User.objects.values_list("username", flat=True)) == {"admin", "staff", "official", "api", "reviewer"}
    err = StringIO()
    call_command("create_demo_users", stdout=StringIO(), stderr=err)
    assert "zhaojue" in err.getvalue() and "513431" in err.getvalue()


def test_the_command_prints_every_login_with_its_scope(paired):
    out = StringIO()
    with translation.override("zh-hans"):
        call_command("create_demo_users", stdout=out)
    text = out.getvalue()
    assert text.startswith("演示账号")
    for username, (password, *_rest) in EXPECTED.items():
        token = Token.objects.get(user__username=username).key
        line = next(line for line in text.splitlines() if line.split()[:1] == [username])
        assert password in line and token in line
    assert "范围：昭觉县 (513431)；可见：昭觉县，以及通过结对关系看到的余姚市" in text
    assert "范围：余姚市 (330281)" in text
    assert "范围：凉山彝族自治州 (513400)" in text
    assert text.count("范围：整个协作项目") == 5


def test_the_command_speaks_english_too(paired):
    out = StringIO()
    with translation.override("en"):
        call_command("create_demo_users", stdout=out)
    assert "scope: 昭觉县 (513431); sees Zhaojue County, and Yuyao through their pairing" in out.getvalue()


def test_the_demo_users_table_names_every_role():
    assert {spec.role for spec in DEMO_USERS} == set(roles.ROLE_NAMES)
    assert len({spec.username for spec in DEMO_USERS}) == len(DEMO_USERS)
