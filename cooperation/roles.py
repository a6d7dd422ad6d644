"""The roles (Django groups) and the permissions each one holds.

The groups are created by a migration; their permissions are (re)synchronised after every
``migrate`` (the ``post_migrate`` signal), because Django creates a model's permissions only
after all migrations have run, and so that a model added later joins the roles by itself.
"""

from django.conf import settings

ADMINISTRATORS = "administrators"
PROGRAMME_STAFF = "programme staff"
OFFICIALS = "officials"
API_CLIENTS = "api clients"
REVIEWERS = "reviewers"
ROLE_NAMES = [ADMINISTRATORS, PROGRAMME_STAFF, OFFICIALS, API_CLIENTS, REVIEWERS]

# The monthly cycle (CONTRACT.md 1.1): staff and API clients submit (``change_submission``),
# reviewers approve and return, administrators reopen an approved month.
REVIEW_PERMISSION = "cooperation.review_submission"
REOPEN_PERMISSION = "cooperation.reopen_submission"
SUBMIT_PERMISSION = "cooperation.change_submission"

# Beyond the domain apps, who manages what.
_ADMIN_EXTRA_APPS = ["auth", "authtoken", "django_celery_beat"]
_STAFF_EXTRA_APPS = ["django_celery_beat"]  # staff see and change the report schedule
# The dashboard page (``/dashboard/``): every role but the API clients, whose accounts use the API only.
_DASHBOARD_PERMISSION = ("reports", "view_dashboard")
# Who sees what: the users' scopes are set by administrators only (with the users themselves).
_ADMIN_ONLY_MODELS = ["scoperegion", "sentreminder"]  # the reminder log is written by the tasks only


def _domain_permissions():
    from django.contrib.auth.models import Permission

    # Historical models (django-simple-history) carry no permissions of their own: the
    # history of a record is shown to whoever may view the record.
    return Permission.objects.filter(content_type__app_label__in=settings.DOMAIN_APP_LABELS).exclude(
        content_type__model__startswith="historical"
    )


def _standard(qs, actions) -> list:
    """The standard ``<action>_<model>`` permissions among ``qs`` (custom ones excluded,
    such as ``labor.view_full_id_number``, which only administrators hold)."""
    return [
        p
        for p in qs.select_related("content_type")
        if any(p.codename == f"{action}_{p.content_type.model}" for action in actions)
    ]


def role_permissions() -> dict:
    """The permission objects each role should hold."""
    from django.contrib.auth.models import Permission

    domain = _domain_permissions()
    admin_extra = Permission.objects.filter(content_type__app_label__in=_ADMIN_EXTRA_APPS)
    staff_extra = Permission.objects.filter(content_type__app_label__in=_STAFF_EXTRA_APPS)
    app_label, codename = _DASHBOARD_PERMISSION
    dashboard = list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    write = ("add", "change", "view")
    shared = domain.exclude(content_type__model__in=_ADMIN_ONLY_MODELS)
    return {
        ADMINISTRATORS: list(domain) + list(admin_extra),  # the dashboard's among the domain's
        PROGRAMME_STAFF: _standard(shared, write) + _standard(staff_extra, write) + dashboard,
        OFFICIALS: _standard(shared, ("view",)) + dashboard,
        API_CLIENTS: _standard(shared, write),
        # Reviewers read everything officials read, and approve or return submissions.
        REVIEWERS: _standard(shared, ("view",))
        + dashboard
        + list(Permission.objects.filter(content_type__app_label="cooperation", codename="review_submission")),
    }


def sync_role_permissions(**kwargs) -> None:
    """post_migrate handler: give each role exactly its permissions (idempotent)."""
    from django.contrib.auth.models import Group

    for name, permissions in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
