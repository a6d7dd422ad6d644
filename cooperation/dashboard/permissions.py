"""Who may see the dashboard and its summary: a signed-in user holding ``reports.view_report``
(every role has it through the roles sync) or the dedicated ``reports.view_dashboard``."""

from rest_framework.permissions import BasePermission

DASHBOARD_PERMISSIONS = ("reports.view_dashboard", "reports.view_report")


def can_view_dashboard(user) -> bool:
    return user.is_authenticated and any(user.has_perm(perm) for perm in DASHBOARD_PERMISSIONS)


class CanViewDashboard(BasePermission):
    """Anonymous: 401 (the token authenticator's challenge); signed in without it: 403."""

    def has_permission(self, request, view):
        return can_view_dashboard(request.user)
