"""The query of the dashboard's endpoints (``?year=Y[&region=R]``), read one way for all of
them: the summary, the self-evaluation draft and the cross-check."""

from rest_framework.exceptions import PermissionDenied, ValidationError

from dashboard.forms import DashboardQueryForm
from dashboard.selectors import DashboardArea, OutsideScope, dashboard_area


def query_area(request, *, region_required=None) -> tuple[DashboardQueryForm, DashboardArea]:
    """The valid query form and the area it names for ``request.user``: a bad parameter is a
    400 naming it (``region_required``: the message when ``region`` is missing but needed), a
    region outside the user's scope a 403 (CONTRACT.md 1.1)."""
    form = DashboardQueryForm(data=request.query_params)
    if not form.is_valid():
        raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
    region = form.cleaned_data["region"]
    if region is None and region_required is not None:
        raise ValidationError({"region": [str(region_required)]})
    try:
        return form, dashboard_area(user=request.user, region=region)
    except OutsideScope as refused:
        raise PermissionDenied(str(refused)) from None
