"""The authentication backend reads a user's permissions in one query, by Django's rules."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.backends import PermissionBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache yet


@pytest.fixture
def user():
    user = UserFactory(role=None)
    user.user_permissions.add(Permission.objects.get(codename="view_full_id_number"))
    group = Group.objects.create(name="readers of sales")
    group.permissions.add(*Permission.objects.filter(codename__in=["view_sale", "add_sale"]))
    user.groups.add(group)
    other = Group.objects.create(name="another group")
    other.permissions.add(Permission.objects.get(codename="view_project"))
    return user


def test_own_and_group_permissions_in_one_query_as_django_reads_them(user):
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert expected == {"labor.view_full_id_number", "consumption.view_sale", "consumption.add_sale"}
    fresh = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert PermissionBackend().get_all_permissions(fresh) == expected
        assert fresh.has_perm("consumption.add_sale") and not fresh.has_perm("projects.view_project")
    assert len(queries) == 1


def test_inactive_anonymous_superuser_and_object_permissions_follow_django(user):
    backend = PermissionBackend()
    assert backend.get_all_permissions(_fresh(user), obj=object()) == set()
    user.is_active = False
    user.save()
    assert backend.get_all_permissions(_fresh(user)) == set()
    superuser = UserFactory(role=None, is_superuser=True)
    assert backend.get_all_permissions(_fresh(superuser)) == ModelBackend().get_all_permissions(_fresh(superuser))
    assert len(backend.get_all_permissions(_fresh(superuser))) == Permission.objects.count()


def test_a_user_without_permissions_has_none():
    assert PermissionBackend().get_all_permissions(_fresh(UserFactory(role=None))) == set()
