"""The officials' dashboard page (``/dashboard/``): it renders what the selectors read."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperation.choices import Side
from dashboard import selectors
from dashboard.formatting import (
    chart_payload,
    present_approvals,
    present_breakdowns,
    present_lagging,
    present_rollup,
    present_rows,
)
from dashboard.forms import NOT_FOR_DASHBOARD, DashboardLoginForm, DashboardQueryForm, ReportRequestForm
from dashboard.links import admin_change_url, admin_changelist_url, indicator_changelist_url
from dashboard.permissions import can_view_dashboard
from indicators.selectors import indicator_breakdowns, indicator_rows, indicator_trends, months_elapsed
from projects.models import Project
from projects.selectors import projects_lagging_disbursement
from reports.choices import ReportKind
from reports.selectors import report_pending, report_recent, report_subscribed
from reports.services import report_request, report_subscription_set

LOGIN_URL = "dashboard:login"
# Installed by `make assets` (npm); the page works without it, the tables carry every figure.
CHART_LIBRARY = "dashboard/vendor/chart.umd.js"


def page_query(request, *, today=None):
    """``(form, years, year, region asked for or None)`` of a dashboard page's ``?year=&region=``:
    the year defaults to the latest with data, a bad query falls back to it; ``years`` holds
    the year shown."""
    today = today or timezone.localdate()
    years = selectors.dashboard_years(today)
    default_year = selectors.dashboard_default_year(years, today)
    form = DashboardQueryForm(
        data={"year": request.GET.get("year") or default_year, "region": request.GET.get("region", "")}
    )
    if form.is_valid():
        year, asked = form.cleaned_data["year"], form.cleaned_data["region"]
    else:
        year, asked = default_year, None
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return form, years, year, asked


def refused_page(request):
    """The page a signed-in account without the dashboard gets (an API client): 403, saying why."""
    return render(request, "dashboard/refused.html", {"message": NOT_FOR_DASHBOARD}, status=403)


@login_required(login_url=LOGIN_URL)
def dashboard(request):
    """Year and region selectors, which months are approved, the indicator table with pace, the
    roll-up of the child regions, the charts and the reports. A scoped user sees the area the
    contract's rules give (:func:`dashboard.selectors.dashboard_area`); a region outside the
    scope is refused (403)."""
    if not can_view_dashboard(request.user):
        return refused_page(request)
    today = timezone.localdate()
    form, years, year, asked = page_query(request, today=today)
    try:
        area = selectors.dashboard_area(user=request.user, region=asked)
    except selectors.OutsideScope as refused:
        return outside_scope_page(request, refused, year=year)
    region, figures = area.region, area.figures

    def link(key, **extra):
        # The admin lists are scoped by the core: with no region they list the whole scope.
        return indicator_changelist_url(key, request=request, year=year, region=region, extra=extra)

    rows = indicator_rows(year=year, region=figures, today=today)
    targets = {row["key"]: row["target"] for row in rows if row["target"] is not None}
    trends = indicator_trends(year=year, region=figures, targets=targets)
    breakdowns = indicator_breakdowns(year=year, region=figures)
    lagging = projects_lagging_disbursement(year=year, region=figures)
    rollup = selectors.dashboard_rollup(area=area, year=year, parent_targets=targets, today=today)
    context = {
        "form": form,
        "year": year,
        "region": region,
        "whole_scope": area.whole_scope,
        "scope_regions": area.scope.regions,
        "scope_names": [r.name for r in area.scope.regions],
        "west_in_scope": [r for r in area.scope.regions if r.side == Side.WEST] if region is not None else [],
        "offer_programme": area.scope.unrestricted or len(area.scope.own) > 1,
        "years": years,
        "regions": selectors.dashboard_regions(request.user),
        "months_elapsed": months_elapsed(year, today),
        "approvals": present_approvals(selectors.dashboard_approvals(area=area, year=year)),
        "rows": present_rows(rows, link=link),
        "rollup": present_rollup(rollup, rows, year=year),
        "trends": [dict(trend, link=link(trend["key"])) for trend in trends],
        "breakdowns": present_breakdowns(breakdowns, link=link),
        "lagging_projects": present_lagging(lagging, link=lambda pk: admin_change_url(Project, request=request, pk=pk)),
        "lagging_link": admin_changelist_url(Project, request=request, year=year, region=region),
        "chart_data": chart_payload(trends, breakdowns),
        # Every report of the year the user may read (a scoped user: those of the scope).
        "reports": report_recent(year=year, user=request.user),
        "pending_reports": report_pending(year=year, user=request.user),
        "report_kinds": ReportKind.choices,
        "months": range(1, 13),
        "default_month": today.month - 1 if year == today.year and today.month > 1 else 12,
        "chart_library": CHART_LIBRARY if finders.find(CHART_LIBRARY) else None,
        "subscribed": report_subscribed(user=request.user, kind=ReportKind.MONTHLY),
    }
    return render(request, "dashboard/index.html", context)


def outside_scope_page(request, refused: selectors.OutsideScope, *, year: int, page: str = "dashboard:index"):
    """A region outside the user's scope: 403, saying so, with the way back to the own area of
    the same ``page``."""
    context = {
        "title": _("Outside your scope"),
        "message": str(refused),
        "back": f"{reverse(page)}?{urlencode({'year': year})}",
    }
    return render(request, "dashboard/refused.html", context, status=403)


@require_POST
@login_required(login_url=LOGIN_URL)
def subscription(request):
    """Ask for (or stop) the monthly report by e-mail, then go back to the dashboard."""
    if not can_view_dashboard(request.user):
        return refused_page(request)
    report_subscription_set(
        user=request.user, kind=ReportKind.MONTHLY, subscribed=request.POST.get("subscribed") == "1"
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("dashboard:index")
    return redirect(target)


@require_POST
@login_required(login_url=LOGIN_URL)
def request_report(request):
    """Ask for the report of the period the official chose (the year on the page; the month for a
    monthly report, the quarter it falls in for a quarterly one); back to the dashboard."""
    if not can_view_dashboard(request.user):
        return refused_page(request)
    form = ReportRequestForm(data=request.POST)
    if form.is_valid():
        try:
            report = report_request(
                kind=form.cleaned_data["kind"],
                period_start=form.period_start(),
                region=form.cleaned_data["region"],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The report %(report)s is being prepared; it appears below when done.") % {"report": report}
            )
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    back = {"year": request.POST.get("year", "")}
    if form.is_valid() and form.cleaned_data["region"] is not None:
        back["region"] = form.cleaned_data["region"].pk
    return redirect(f"{reverse('dashboard:index')}?{urlencode(back)}#reports")


class LoginView(auth_views.LoginView):
    """Sign-in for the roles that have the dashboard, staff users or not (the admin's own page
    admits staff users only); an API client is refused with a message on the form."""

    template_name = "dashboard/login.html"
    authentication_form = DashboardLoginForm

    def dispatch(self, request, *args, **kwargs):
        # Someone already signed in goes on to the dashboard, unless the account may not see it:
        # then the form is shown, to sign in as someone else.
        self.redirect_authenticated_user = can_view_dashboard(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return reverse("dashboard:index")
