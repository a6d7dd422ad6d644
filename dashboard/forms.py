"""The dashboard's query (year and region), parsed once for the page and the summary endpoint;
the dashboard's sign-in form."""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from cooperation.fields import MAX_YEAR, MIN_YEAR
from cooperation.models import Region
from dashboard.permissions import can_view_dashboard
from dashboard.selectors import region_lookup
from reports.choices import ReportKind


class DashboardQueryForm(forms.Form):
    """``year`` (required) and ``region``: a region's integer id, or its GB/T 2260 code.

    When the value is a region's division code (``513431``) that region is used, otherwise the
    region with that id; the digits are bounded so that no lookup can overflow.
    """

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    region = forms.CharField(
        label=_("Region"),
        required=False,
        max_length=12,
        validators=[RegexValidator(r"^[0-9]{1,12}$", _("Enter a region id or a division code (digits only)."))],
    )

    def clean_region(self):
        value = self.cleaned_data.get("region", "")
        if not value:
            return None
        region = region_lookup(value)
        if region is None:
            raise forms.ValidationError(_("No region has this id or division code."))
        return region

    def region_as_given(self) -> int | None:
        """The ``region`` parameter echoed back as the client sent it, as an integer."""
        return int(self.data["region"]) if self.cleaned_data.get("region") is not None else None


# Shown on the sign-in form and on the page refused to a signed-in account without the dashboard.
NOT_FOR_DASHBOARD = _("This account may not use the dashboard: API client accounts use the API only.")


class DashboardLoginForm(AuthenticationForm):
    """Sign-in for the roles that have the dashboard: an account without it (an API client) is
    told so once its password is right, and is not signed in."""

    error_messages = {**AuthenticationForm.error_messages, "not_for_dashboard": NOT_FOR_DASHBOARD}

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not can_view_dashboard(user):
            raise forms.ValidationError(self.error_messages["not_for_dashboard"], code="not_for_dashboard")

    @property
    def refused(self) -> bool:
        """Right password, but an account without the dashboard."""
        return self.has_error(NON_FIELD_ERRORS, "not_for_dashboard")


class ReportRequestForm(forms.Form):
    """A report of the dashboard's year: annual, or the quarter or month a month falls in; of
    the region shown (none: the whole programme; the user's scope decides, see
    :func:`reports.services.report_region_for`)."""

    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in (ReportKind.MONTHLY, ReportKind.QUARTERLY) and not cleaned.get("month"):
            self.add_error("month", _("Choose the month of the report."))
        return cleaned

    def period_start(self) -> datetime.date:
        kind, year, month = self.cleaned_data["kind"], self.cleaned_data["year"], self.cleaned_data.get("month")
        if kind == ReportKind.ANNUAL:
            return datetime.date(year, 1, 1)
        if kind == ReportKind.QUARTERLY:
            return datetime.date(year, 3 * ((month - 1) // 3) + 1, 1)
        return datetime.date(year, month, 1)
