"""Who may see the dashboard page and who may read its summary through the API.

- The page (``/dashboard/``, its login and its subscription): ``reports.view_dashboard``, which
  the roles give to administrators, programme staff and officials, not to API clients (their
  accounts use the API only).
- The summary endpoint (``/api/v1/dashboard/summary/``): ``reports.view_dashboard`` or
  ``reports.view_report`` (every role has the latter through the roles sync), as the contract
  lets any reader of the reports read the summary.
"""

from rest_framework.permissions import BasePermission

PAGE_PERMISSION = "reports.view_dashboard"
SUMMARY_PERMISSIONS = (PAGE_PERMISSION, "reports.view_report")


def can_view_dashboard(user) -> bool:
    """May ``user`` sign in to and see the dashboard page?"""
    return user.is_authenticated and user.has_perm(PAGE_PERMISSION)


def can_read_summary(user) -> bool:
    """May ``user`` read the dashboard summary through the API?"""
    return user.is_authenticated and any(user.has_perm(perm) for perm in SUMMARY_PERMISSIONS)


class CanReadSummary(BasePermission):
    """Anonymous: 401 (the token authenticator's challenge); signed in without it: 403."""

    def has_permission(self, request, view):
        return can_read_summary(request.user)
