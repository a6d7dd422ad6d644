"""The demo logins, one per role, that ``make run`` creates and prints."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from rest_framework.authtoken.models import Token

from cooperation import roles

# username, password, role, may use the admin
DEMO_USERS = [
    ("admin", "admin-demo-2026", roles.ADMINISTRATORS, True),
    ("staff", "staff-demo-2026", roles.PROGRAMME_STAFF, True),
    ("official", "official-demo-2026", roles.OFFICIALS, True),
    ("api", "api-demo-2026", roles.API_CLIENTS, False),
]


@transaction.atomic
def demo_users_ensure() -> list[tuple[str, str, str, str]]:
    """Create (or reset) the demo users; returns (username, password, role, token) rows."""
    User = get_user_model()
    rows = []
    for username, password, role, is_staff in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff = is_staff
        user.is_active = True
        user.email = f"{username}@example.org"
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        token, _ = Token.objects.get_or_create(user=user)
        rows.append((username, password, role, token.key))
    return rows
