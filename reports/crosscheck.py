"""The cross-check (交叉核查) of the self-evaluation (CONTRACT.md 1.1): reads, and the sample's workbook.

- :func:`crosscheck_rows`: for a year and a region, every indicator in registry order with its
  recorded value (the summary's, :func:`indicators.selectors.indicator_values`), what each side
  declared (:class:`~reports.models.Declaration`) and the status: ``agree`` when both sides
  declared and both equal the recorded value, ``missing`` when a side has not declared,
  ``differs`` otherwise. :func:`crosscheck_payload` writes a row as the API answers it.
- :func:`crosscheck_sample`: the inspectors' sample, up to :data:`SAMPLE_SIZE` records per
  indicator drawn from the records behind its figure (the admin list the dashboard links to,
  :func:`indicators.rollup.drilldown_records`), with their evidence. The draw is seeded by the
  year, the region and the indicator, so the same data give the same sample on every call, and
  an inspector's list can be found again.
- :func:`sample_workbook`: that sample as an ``.xlsx``.

Nothing here knows about pages or requests: the callers (the API and the dashboard) parse the
query, check the user's scope and add the links a user may follow.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cooperation.choices import Side
from cooperation.models import Region
from cooperation.records import record_kind
from cooperation.spreadsheets import cells_as_text
from indicators.formatting import WAN, json_number
from indicators.registry import INDICATORS
from indicators.rollup import drilldown_records
from indicators.selectors import indicator_values
from projects.models import Disbursement, FundAllocation, Investment, ProgressAttachment, Project
from reports.models import Declaration
from reports.workbook import COUNT_FORMAT, HEADER_FILL, HEADER_FONT, TITLE_FONT, WAN_FORMAT

SAMPLE_SIZE = 10


def declaration_list() -> QuerySet:
    return Declaration.objects.select_related("region")


# --- the rows ---------------------------------------------------------------------------------


class CrossCheckStatus(models.TextChoices):
    """A row's status; the values are the contract's."""

    AGREE = "agree", gettext_lazy("Agree")
    DIFFERS = "differs", gettext_lazy("Differs")
    MISSING = "missing", gettext_lazy("Not declared")


def crosscheck_status(recorded, east, west) -> str:
    if east is None or west is None:
        return CrossCheckStatus.MISSING
    if east == recorded and west == recorded:
        return CrossCheckStatus.AGREE
    return CrossCheckStatus.DIFFERS


def _difference(declared, recorded):
    """Declared minus recorded (positive: the side declared more than the ledgers hold)."""
    if declared is None or recorded is None:
        return None
    return Decimal(declared) - Decimal(recorded)


def crosscheck_rows(*, year: int, region: Region) -> list[dict]:
    """Every registry indicator for ``year`` and ``region`` (and below it), in registry order.

    Each row: ``key``, ``label``, ``unit``, ``unit_label``, ``money``, ``recorded`` (the
    summary's value), ``east`` and ``west`` (the declared values, None when not declared),
    ``east_difference`` and ``west_difference`` (declared minus recorded, or None) and
    ``status`` with its ``status_label``. One query per indicator, one for the targets the
    summary reads, one for the declarations.
    """
    declared = {
        (declaration.indicator, declaration.side): declaration.value
        for declaration in Declaration.objects.filter(year=year, region=region)
    }
    rows = []
    for row in indicator_values(year=year, region=region):
        east, west = declared.get((row["key"], Side.EAST)), declared.get((row["key"], Side.WEST))
        status = crosscheck_status(row["value"], east, west)
        rows.append(
            {
                "key": row["key"],
                "label": row["label"],
                "unit": row["unit"],
                "unit_label": row["unit_label"],
                "money": row["money"],
                "recorded": row["value"],
                "east": east,
                "west": west,
                "east_difference": _difference(east, row["value"]),
                "west_difference": _difference(west, row["value"]),
                "status": status,
                "status_label": CrossCheckStatus(status).label,
            }
        )
    return rows


def crosscheck_payload(row: dict) -> dict:
    """A row as the contract's ``rows`` hold it: money as decimal strings, counts as numbers."""
    return {
        "key": row["key"],
        "recorded": json_number(row["recorded"], money=row["money"]),
        "east": json_number(row["east"], money=row["money"]),
        "west": json_number(row["west"], money=row["money"]),
        "status": row["status"],
    }


# --- the inspectors' sample -------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Where a record kind's evidence is: ``project``, the attribute holding the id of the project
    whose progress reports carry the attachments (photos, acceptance records, invoices);
    ``number``, the field holding the number of a supporting document."""

    project: str = ""
    number: str = ""


# The kinds behind a figure that carry evidence; the others are checked on their admin page.
EVIDENCE = {
    Project: Evidence(project="pk"),
    FundAllocation: Evidence(project="project_id", number="document"),
    Disbursement: Evidence(project="project_id", number="voucher"),
    Investment: Evidence(project="project_id"),
}


def sample_seed(*, year: int, region: Region, key: str) -> str:
    """The seed of one indicator's draw: the same year, region and indicator draw the same records
    (a string seed is hashed by ``random`` itself, the same in every process)."""
    return f"{year}:{region.code}:{key}"


def _record_date(obj, kind):
    if kind.date:
        return getattr(obj, kind.date)
    if kind.period:
        return getattr(obj, kind.period[0])
    if kind.year_field:
        return getattr(obj, kind.year_field)
    return None


def _attachments(records: list, evidence: Evidence | None) -> dict:
    """``{project id: [attachment, ...]}`` of the projects the records point to (one query)."""
    if evidence is None or not evidence.project:
        return {}
    project_ids = {getattr(obj, evidence.project) for obj in records} - {None}
    found: dict = {}
    if not project_ids:
        return found
    attachments = (
        ProgressAttachment.objects.filter(report__project_id__in=project_ids)
        .select_related("report")
        .order_by("report__reported_on", "pk")
    )
    for attachment in attachments:
        found.setdefault(attachment.report.project_id, []).append(attachment)
    return found


def _sample_records(indicator, *, year: int, region: Region, size: int) -> tuple[int, list]:
    """(how many records are behind the figure, the drawn ones in id order)."""
    model = indicator.drilldown.model
    # A drill-down that joins (a worker's placements) may list a record twice: draw from ids.
    pks = sorted(set(drilldown_records(indicator, year=year, area=region).values_list("pk", flat=True)))
    chosen = random.Random(sample_seed(year=year, region=region, key=indicator.key)).sample(pks, min(size, len(pks)))
    # select_related(): __str__ of several kinds reads their references (a stat's hospital).
    records = list(model._default_manager.filter(pk__in=chosen).select_related().order_by("pk"))
    return len(pks), records


def crosscheck_sample(*, year: int, region: Region, size: int = SAMPLE_SIZE) -> list[dict]:
    """The inspectors' sample: per indicator in registry order ``key``, ``label``, ``money``,
    ``unit_label``, ``model``, ``total`` (records behind the figure) and ``records``, each
    ``{"model", "pk", "record", "date", "figure", "number", "attachments"}``: what it is, its
    date, its part of the figure (for a figure that sums a field), the number of its
    supporting document and its attachments (``{"title", "url"}``)."""
    groups = []
    for indicator in INDICATORS:
        drilldown = indicator.drilldown
        kind = record_kind(drilldown.model)
        total, records = _sample_records(indicator, year=year, region=region, size=size)
        evidence = EVIDENCE.get(drilldown.model)
        attachments = _attachments(records, evidence)
        items = []
        for obj in records:
            project_id = getattr(obj, evidence.project) if evidence and evidence.project else None
            items.append(
                {
                    "model": drilldown.model,
                    "pk": obj.pk,
                    "record": str(obj),
                    "date": _record_date(obj, kind),
                    "figure": getattr(obj, drilldown.field) if drilldown.measure == "sum" else None,
                    "number": getattr(obj, evidence.number) if evidence and evidence.number else "",
                    "attachments": [
                        {"title": str(attachment), "url": attachment.file.url}
                        for attachment in attachments.get(project_id, [])
                    ],
                }
            )
        groups.append(
            {
                "key": indicator.key,
                "label": indicator.label,
                "money": indicator.money,
                "unit_label": indicator.unit_label,
                "model": drilldown.model,
                "total": total,
                "records": items,
            }
        )
    return groups


# --- the sample as a workbook -----------------------------------------------------------------


def sample_workbook(*, year: int, region: Region, groups: list[dict]) -> bytes:
    """The inspectors' sample as ``.xlsx``: one row per drawn record with the indicator, the
    record, its date, its part of the figure (money in 万元), its document number, its
    attachments and its admin page. ``groups`` are :func:`crosscheck_sample`'s, each record
    with ``admin_url`` and its attachments' ``url`` made absolute by the caller."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Inspectors' sample")
    sheet["A1"] = _("Inspectors' sample of %(region)s (%(code)s), %(year)d") % {
        "region": region.name,
        "code": region.code,
        "year": year,
    }
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = _(
        "Up to %(size)d records per indicator, drawn at random from the records behind its figure with a "
        "seed made of the year and the region: every download gives the same sample."
    ) % {"size": SAMPLE_SIZE}
    titles = [
        _("Indicator"),
        _("No."),
        _("Record"),
        _("Date"),
        _("Figure"),
        _("Unit"),
        _("Document no."),
        _("Attachments"),
        _("Admin page"),
    ]
    header_row = 4
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=header_row, column=column, value=title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    line = header_row
    for group in groups:
        unit = _("10,000 yuan") if group["money"] else str(group["unit_label"])
        if not group["records"]:
            line += 1
            sheet.cell(row=line, column=1, value=str(group["label"]))
            sheet.cell(row=line, column=3, value=_("No records behind this figure."))
            continue
        for number, item in enumerate(group["records"], start=1):
            line += 1
            sheet.cell(row=line, column=1, value=str(group["label"]))
            sheet.cell(row=line, column=2, value=number)
            sheet.cell(row=line, column=3, value=item["record"])
            date_cell = sheet.cell(row=line, column=4, value=item["date"])
            if isinstance(item["date"], datetime.date):
                date_cell.number_format = "yyyy-mm-dd"
            if item["figure"] is not None:
                figure = Decimal(item["figure"])
                cell = sheet.cell(row=line, column=5, value=float(figure / WAN) if group["money"] else int(figure))
                cell.number_format = WAN_FORMAT if group["money"] else COUNT_FORMAT
                sheet.cell(row=line, column=6, value=unit)
            sheet.cell(row=line, column=7, value=item["number"] or None)
            attachments = "\n".join(f"{a['title']}: {a['url']}" for a in item["attachments"])
            sheet.cell(row=line, column=8, value=attachments or None).alignment = Alignment(wrap_text=True)
            link = item.get("admin_url")
            if link:
                cell = sheet.cell(row=line, column=9, value=link)
                cell.hyperlink = link
                cell.font = Font(color="0563C1", underline="single")
    for column, width in zip("ABCDEFGHI", [30, 6, 40, 12, 14, 10, 18, 50, 50], strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    cells_as_text(sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
