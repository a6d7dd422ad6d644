"""The cross-check (交叉核查, CONTRACT.md 1.1): its API endpoint, its dashboard page and the
inspectors' sample as ``.xlsx``.

The three parse the query as the summary does (:class:`dashboard.forms.DashboardQueryForm`: a
year, a region by id or division code) and place the user in their scope the same way
(:func:`dashboard.selectors.dashboard_area`: a region outside the scope is 403); the cross-check
is made for one region, so the API requires ``region``. The rows and the sample are read by
:mod:`reports.crosscheck`; here they are only given their links and display strings.

- ``GET /api/v1/cross-check/?year=Y&region=R`` (:class:`CrossCheckView`, for whoever may read the
  summary): ``{"year", "region", "rows": [{"key", "recorded", "east", "west", "status"}]}``.
- ``/dashboard/cross-check/?year=Y&region=R`` (:func:`crosscheck_page`): per indicator the
  recorded value, both declarations, the status, for a difference its size and the records
  behind the recorded value; the inspectors' sample with its evidence.
- ``/dashboard/cross-check/sample.xlsx?year=Y&region=R`` (:func:`crosscheck_sample_download`).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard import selectors
from dashboard.api.query import query_area
from dashboard.forms import DashboardQueryForm
from dashboard.links import admin_change_url, admin_changelist_url, indicator_changelist_url
from dashboard.permissions import CanReadSummary, can_view_dashboard
from dashboard.views import outside_scope_page, page_query, refused_page
from indicators.formatting import figure_display
from indicators.serializers import FigureField
from reports.crosscheck import (
    SAMPLE_SIZE,
    CrossCheckStatus,
    crosscheck_payload,
    crosscheck_rows,
    crosscheck_sample,
    sample_workbook,
)
from reports.models import Declaration
from reports.services import XLSX_TYPE

LOGIN_URL = "dashboard:login"
# The dashboard's badge and row colours a status is shown in (dashboard.css).
STATUS_TONES = {
    CrossCheckStatus.AGREE: "on_pace",
    CrossCheckStatus.DIFFERS: "lagging",
    CrossCheckStatus.MISSING: "no_target",
}
REGION_REQUIRED = forms.Field.default_error_messages["required"]


# --- the API ----------------------------------------------------------------------------------


class CrossCheckRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    recorded = FigureField()
    east = FigureField()
    west = FigureField()
    status = serializers.ChoiceField(choices=CrossCheckStatus.choices)


class CrossCheckSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = serializers.IntegerField()
    rows = CrossCheckRowSerializer(many=True)


class CrossCheckView(APIView):
    """Each indicator of the registry, in order: the recorded value of (year, region), as the
    summary gives it, against what each side declared, and whether they agree."""

    permission_classes = [CanReadSummary]

    @extend_schema(
        operation_id="cross_check",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True, description="Calendar year (2000-2100)."),
            OpenApiParameter(
                "region",
                OpenApiTypes.INT,
                required=True,
                description="A region's id, or its GB/T 2260 division code (a code wins over an id with the "
                "same digits); echoed back as given. For a user with a scope: a region within it (else 403).",
            ),
        ],
        responses={
            200: CrossCheckSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad or missing parameter"),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="No permission, or a region outside the scope"),
        },
    )
    def get(self, request):
        form, area = query_area(request, region_required=REGION_REQUIRED)
        rows = crosscheck_rows(year=form.cleaned_data["year"], region=area.region)
        return Response(
            {
                "year": form.cleaned_data["year"],
                "region": form.region_as_given(),
                "rows": [crosscheck_payload(row) for row in rows],
            }
        )


# --- the page ---------------------------------------------------------------------------------


def _signed(value, *, money: bool, unit_label) -> str:
    """A difference as people read it: "+1,234.00 万元", "−2 人", "0 人"."""
    text = figure_display(abs(value), money=money, unit_label=unit_label)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


def present_crosscheck(rows: list[dict], *, link) -> list[dict]:
    """The rows with their display strings, badge tone and the link to the records behind."""
    presented = []
    for row in rows:
        money, unit_label = row["money"], "" if row["money"] else row["unit_label"]

        def show(value, money=money, unit_label=unit_label):
            return figure_display(value, money=money, unit_label=unit_label)

        def difference(value, money=money, unit_label=unit_label):
            return None if value is None else _signed(value, money=money, unit_label=unit_label)

        presented.append(
            dict(
                row,
                recorded_display=show(row["recorded"]),
                east_display=show(row["east"]),
                west_display=show(row["west"]),
                east_difference_display=difference(row["east_difference"]),
                west_difference_display=difference(row["west_difference"]),
                tone=STATUS_TONES[row["status"]],
                link=link(row["key"]),
            )
        )
    return presented


def present_sample(groups: list[dict], *, request, absolute: bool = False) -> list[dict]:
    """The sample with each record's admin link (when the user may open it) and display strings;
    ``absolute``: links with the host (for the workbook)."""

    def full(url):
        return request.build_absolute_uri(url) if absolute and url else url

    presented = []
    for group in groups:
        unit_label = "" if group["money"] else group["unit_label"]
        records = [
            dict(
                item,
                admin_url=full(admin_change_url(item["model"], request=request, pk=item["pk"])),
                figure_display=(
                    figure_display(item["figure"], money=group["money"], unit_label=unit_label)
                    if item["figure"] is not None
                    else ""
                ),
                attachments=[dict(attachment, url=full(attachment["url"])) for attachment in item["attachments"]],
            )
            for item in group["records"]
        ]
        presented.append(dict(group, records=records, kind=group["model"]._meta.verbose_name_plural))
    return presented


@login_required(login_url=LOGIN_URL)
def crosscheck_page(request):
    """The cross-check of one region and year, and the inspectors' sample (with its download)."""
    if not can_view_dashboard(request.user):
        return refused_page(request)
    form, years, year, asked = page_query(request)
    try:
        area = selectors.dashboard_area(user=request.user, region=asked)
    except selectors.OutsideScope as refused:
        return outside_scope_page(request, refused, year=year, page="dashboard:crosscheck")
    region = area.region
    context = {
        "form": form,
        "year": year,
        "years": years,
        "region": region,
        "regions": selectors.dashboard_regions(request.user),
        "sample_size": SAMPLE_SIZE,
    }
    if region is not None:

        def link(key):
            return indicator_changelist_url(key, request=request, year=year, region=region)

        rows = present_crosscheck(crosscheck_rows(year=year, region=region), link=link)
        status_of = {row["key"]: row["status"] for row in rows}
        sample = present_sample(crosscheck_sample(year=year, region=region), request=request)
        query = urlencode({"year": year, "region": region.pk})
        context.update(
            rows=rows,
            tally=[
                {
                    "status": status,
                    "tone": STATUS_TONES[status],
                    "label": status.label,
                    "count": sum(1 for row in rows if row["status"] == status),
                }
                for status in CrossCheckStatus
            ],
            # A section of the sample opens by itself where the declarations differ.
            sample=[dict(group, status=status_of[group["key"]]) for group in sample],
            sample_url=f"{reverse('dashboard:crosscheck-sample')}?{query}",
            # Where the sides enter their figures: the region's declarations of the year.
            declarations_url=admin_changelist_url(Declaration, request=request, year=year, region=region),
        )
    return render(request, "dashboard/crosscheck.html", context)


@login_required(login_url=LOGIN_URL)
def crosscheck_sample_download(request):
    """The inspectors' sample of ``?year=Y&region=R`` as ``.xlsx`` (the same on every download)."""
    if not can_view_dashboard(request.user):
        return refused_page(request)
    form = DashboardQueryForm(data=request.GET)
    if not form.is_valid() or form.cleaned_data["region"] is None:
        errors = dict(form.errors) if not form.is_valid() else {"region": [REGION_REQUIRED]}
        message = " ".join(str(error) for messages in errors.values() for error in messages)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    year, region = form.cleaned_data["year"], form.cleaned_data["region"]
    try:
        selectors.dashboard_area(user=request.user, region=region)
    except selectors.OutsideScope as refused:
        return outside_scope_page(request, refused, year=year, page="dashboard:crosscheck")
    groups = present_sample(crosscheck_sample(year=year, region=region), request=request, absolute=True)
    response = HttpResponse(sample_workbook(year=year, region=region, groups=groups), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="cross-check-sample-{year}-{region.code}.xlsx"'
    return response
