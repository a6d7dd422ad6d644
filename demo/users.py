"""The demo logins that ``make run`` creates and prints: one unscoped user per role, and three
scoped ones (CONTRACT.md 1.1) who show what a county's staff, an eastern city's staff and a
prefecture's official see."""

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from cooperation import roles
from cooperation.models import Region
from cooperation.services import set_scope


class DemoUser(NamedTuple):
    """A demo login: ``scope`` holds GB/T 2260 codes (empty: the whole programme); ``sees``
    says what the login shows, for the printed list."""

    username: str
    password: str
    role: str
    admin: bool  # may use the admin (is_staff)
    scope: tuple[str, ...]
    sees: str


DEMO_USERS = [
    DemoUser("admin", "admin-demo-2026", roles.ADMINISTRATORS, True, (), _("the whole programme")),
    DemoUser("staff", "staff-demo-2026", roles.PROGRAMME_STAFF, True, (), _("the whole programme")),
    DemoUser("official", "official-demo-2026", roles.OFFICIALS, True, (), _("the whole programme")),
    DemoUser("api", "api-demo-2026", roles.API_CLIENTS, False, (), _("the whole programme")),
    # Approves or returns the counties' monthly submissions (never one they submitted).
    DemoUser("reviewer", "reviewer-demo-2026", roles.REVIEWERS, True, (), _("the whole programme")),
    # Zhaojue County's staff: Zhaojue and below, and Yuyao through the city-county pairing.
    DemoUser(
        "zhaojue",
        "zhaojue-demo-2026",
        roles.PROGRAMME_STAFF,
        True,
        ("513431",),
        _("Zhaojue County, and Yuyao through their pairing"),
    ),
    # Yuyao's staff: Yuyao, and Zhaojue (the county it helps) through the same pairing.
    DemoUser(
        "yuyao",
        "yuyao-demo-2026",
        roles.PROGRAMME_STAFF,
        True,
        ("330281",),
        _("Yuyao City, and Zhaojue through their pairing"),
    ),
    # Liangshan's official: the prefecture and every county of it, with the roll-up of
    # Zhaojue and the demo's second, fictitious county.
    DemoUser(
        "liangshan",
        "liangshan-demo-2026",
        roles.OFFICIALS,
        True,
        ("513400",),
        _("Liangshan Prefecture and its counties, side by side on the dashboard"),
    ),
]


class DemoLogin(NamedTuple):
    """A demo user as created: its scope regions (empty: the whole programme) and API token."""

    username: str
    password: str
    role: str
    scope: list
    sees: str
    token: str


class DemoUsers(NamedTuple):
    logins: list[DemoLogin]
    # Scoped users left out because their regions are not stored (no demo data loaded): a
    # scoped login must never be created without its scope, it would see everything.
    skipped: list[DemoUser]


@transaction.atomic
def demo_users_ensure() -> DemoUsers:
    """Create (or reset: password, role, scope) the demo users; returns their logins."""
    User = get_user_model()
    stored_codes = set(
        Region.objects.filter(code__in={code for spec in DEMO_USERS for code in spec.scope}).values_list(
            "code", flat=True
        )
    )
    logins, skipped = [], []
    for spec in DEMO_USERS:
        if not stored_codes.issuperset(spec.scope):
            skipped.append(spec)
            continue
        user, _created = User.objects.get_or_create(username=spec.username)
        user.is_staff = spec.admin
        user.is_active = True
        user.email = f"{spec.username}@example.org"
        user.set_password(spec.password)
        user.save()
        user.groups.set([Group.objects.get(name=spec.role)])
        # Also clears a scope someone gave an unscoped demo user; adds or removes nothing else.
        scope = set_scope(user=user, codes=list(spec.scope))
        token, _created = Token.objects.get_or_create(user=user)
        logins.append(DemoLogin(spec.username, spec.password, spec.role, scope, str(spec.sees), token.key))
    return DemoUsers(logins, skipped)
