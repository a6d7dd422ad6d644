"""The report's ``.xlsx`` (openpyxl): a summary sheet in the officials' layout (stating the
region the report covers, or the whole programme, and through which month its figures are
approved) and one sheet per domain with the figures behind each indicator.

It writes what ``report_figures`` read (and the months' approvals, ``figures["approvals"]``,
from :func:`cooperation.selectors.month_approvals`) and computes nothing itself. Only
aggregates and project records appear: no worker, no ID number, no personal detail.

Every cell is a value: the workbook holds no formula, and a text that looks like one (a project
named ``=HYPERLINK(...)``) is stored as text (``cells_as_text``).
"""

from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cooperation.models import month_label
from cooperation.selectors import approved_through
from cooperation.spreadsheets import cells_as_text
from indicators.formatting import WAN
from indicators.registry import INDICATORS, SHEETS
from indicators.selectors import Pace
from projects.indicators import SHEET as PROJECTS_SHEET

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9B1B1B")
LAGGING_FILL = PatternFill("solid", fgColor="F8D7DA")
TITLE_FONT = Font(bold=True, size=14)
WAN_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00%"


def _in_wan(value):
    return None if value is None else float(Decimal(value) / WAN)


def _plain(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _header(sheet, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(sheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _figure_cells(sheet, row: int, column: int, value, *, money: bool) -> None:
    cell = sheet.cell(row=row, column=column, value=_in_wan(value) if money else _plain(value))
    cell.number_format = WAN_FORMAT if money else COUNT_FORMAT


def _unit(indicator_row) -> str:
    return _("10,000 yuan") if indicator_row["money"] else str(indicator_row["unit_label"])


def _indicator_table(sheet, start_row: int, rows: list[dict]) -> int:
    """The officials' table: No., indicator, unit, value, annual target, completion, status."""
    _header(
        sheet,
        start_row,
        [_("No."), _("Indicator"), _("Unit"), _("Value"), _("Annual target"), _("Completion"), _("Status")],
    )
    row_number = start_row
    for number, item in enumerate(rows, start=1):
        row_number += 1
        sheet.cell(row=row_number, column=1, value=number)
        sheet.cell(row=row_number, column=2, value=str(item["label"]))
        sheet.cell(row=row_number, column=3, value=_unit(item))
        _figure_cells(sheet, row_number, 4, item["value"], money=item["money"])
        _figure_cells(sheet, row_number, 5, item["target"], money=item["money"])
        completion = sheet.cell(
            row=row_number, column=6, value=float(item["completion"]) if item["completion"] is not None else None
        )
        completion.number_format = PERCENT_FORMAT
        sheet.cell(row=row_number, column=7, value=str(item["status_label"]))
        if item["status"] == Pace.LAGGING:
            for column in range(1, 8):
                sheet.cell(row=row_number, column=column).fill = LAGGING_FILL
    return row_number


def report_area(report) -> str:
    """What the report covers, as its summary sheet states it: "Region: 昭觉县 (513431)" or
    "Scope: the whole cooperation programme"."""
    if report.region_id:
        return _("Region: %(name)s (%(code)s)") % {"name": report.region.name, "code": report.region.code}
    return _("Scope: the whole cooperation programme")


def approval_statement(approvals: list[dict], *, last_month: int) -> tuple[str, str]:
    """The summary sheet's two lines on the months' approvals: through which month the figures
    are approved ("数据已审核至2023年3月。"), then the months of the period (January to the
    report's last month) still provisional, with the counties' count where some, not all, of
    an area's counties are approved ("暂定月份：4月（3/5 县已审核）、5月。")."""
    through = approved_through(approvals)
    counties = approvals[0]["counties"] if approvals else 0
    if through is not None:
        approved = _("Figures are approved through %(month)s.") % {"month": month_label(through)}
    elif counties == 0:
        # In context: the dashboard's sentence of the same English ends without a full stop.
        approved = pgettext(
            "report summary", "No county of this area submits monthly figures: all figures are provisional."
        )
    elif not any(entry["approved"] for entry in approvals):
        approved = pgettext("report summary", "No month of the year is approved yet: all figures are provisional.")
    else:  # a later month is approved, January is not: nothing is approved through a month
        approved = _("January's figures are not approved yet.")
    provisional = []
    for entry in approvals[:last_month]:
        if entry["approved"]:
            continue
        name = _("Month %(n)d") % {"n": entry["month"].month}
        if entry["approved_counties"]:
            name = _("%(month)s (%(approved)d/%(counties)d counties approved)") % {
                "month": name,
                "approved": entry["approved_counties"],
                "counties": counties,
            }
        provisional.append(name)
    if provisional:
        months = _("Provisional months: %(months)s.") % {"months": pgettext("list separator", ", ").join(provisional)}
    else:
        months = _("No month of the period is provisional.")
    return approved, months


def _summary_sheet(sheet, report, figures: dict) -> None:
    sheet.title = _("Summary")
    if report.region_id:
        title = _("East-west cooperation: %(kind)s report of %(region)s") % {
            "kind": report.get_kind_display(),
            "region": report.region.name,
        }
    else:
        title = _("East-west cooperation: %(kind)s report") % {"kind": report.get_kind_display()}
    sheet["A1"] = title
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = report_area(report)
    sheet["A2"].font = Font(bold=True)
    sheet["A3"] = _("Period: %(start)s to %(end)s") % {"start": report.period_start, "end": report.period_end}
    sheet["A4"] = _("Indicators of %(year)d as recorded at %(time)s; money in 10,000 yuan.") % {
        "year": report.period_start.year,
        "time": timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M"),
    }
    sheet["A5"], sheet["A6"] = approval_statement(figures["approvals"], last_month=report.period_end.month)
    sheet["A5"].font = Font(bold=True)
    _indicator_table(sheet, 8, figures["indicators"])
    _widths(sheet, [6, 34, 12, 16, 16, 12, 14])
    sheet.freeze_panes = "A9"


def _months_table(sheet, row: int, trend: dict, last_month: int) -> int:
    """The trend's months up to the report's last month (a May report stops at May)."""
    sheet.cell(row=row, column=1, value=str(trend["label"])).font = Font(bold=True)
    unit = _("10,000 yuan") if trend["money"] else str(trend["unit_label"])
    value_title = _("Cumulative (%(unit)s)") if trend["cumulative"] else _("In the month (%(unit)s)")
    _header(sheet, row + 1, [_("Month"), value_title % {"unit": unit}, _("Pace line (%(unit)s)") % {"unit": unit}])
    for index, value in enumerate(trend["months"][:last_month]):
        line = row + 2 + index
        sheet.cell(row=line, column=1, value=index + 1)
        _figure_cells(sheet, line, 2, value, money=trend["money"])
        if trend["pace"]:
            _figure_cells(sheet, line, 3, trend["pace"][index], money=trend["money"])
    return row + 2 + last_month + 1


def _breakdown_table(sheet, row: int, breakdown: dict) -> int:
    sheet.cell(row=row, column=1, value=str(breakdown["title"])).font = Font(bold=True)
    unit = _("10,000 yuan") if breakdown["money"] else _("people")
    _header(sheet, row + 1, [_("Item"), _("Value (%(unit)s)") % {"unit": unit}])
    line = row + 1
    for item in breakdown["rows"]:
        line += 1
        sheet.cell(row=line, column=1, value=str(item["label"]))
        _figure_cells(sheet, line, 2, item["value"], money=breakdown["money"])
    return line + 2


def _lagging_table(sheet, row: int, projects) -> int:
    sheet.cell(row=row, column=1, value=_("Projects whose disbursement lags")).font = Font(bold=True)
    _header(
        sheet,
        row + 1,
        [_("Code"), _("Project"), _("Allocated (10,000 yuan)"), _("Disbursed (10,000 yuan)"), _("Disbursed share")],
    )
    line = row + 1
    for project in projects:
        line += 1
        sheet.cell(row=line, column=1, value=project.get("code"))
        sheet.cell(row=line, column=2, value=project.get("name"))
        _figure_cells(sheet, line, 3, project.get("allocated"), money=True)
        _figure_cells(sheet, line, 4, project.get("disbursed"), money=True)
        rate = project.get("rate")
        sheet.cell(row=line, column=5, value=float(rate) if rate is not None else None).number_format = PERCENT_FORMAT
    return line + 2


def _domain_sheet(workbook, sheet_decl, figures: dict, last_month: int) -> None:
    """The sheet of one domain: its indicators (as their declarations name it), their trends
    and breakdowns, and, on the projects' sheet, the lagging projects."""
    sheet = workbook.create_sheet(str(sheet_decl.title))
    keys = {indicator.key for indicator in INDICATORS if indicator.sheet == sheet_decl}
    rows = [row for row in figures["indicators"] if row["key"] in keys]
    line = _indicator_table(sheet, 1, rows) + 2
    for trend in figures["trends"]:
        if trend["key"] in keys:
            line = _months_table(sheet, line, trend, last_month)
    for breakdown in figures["breakdowns"]:
        if breakdown["key"] in keys:
            line = _breakdown_table(sheet, line, breakdown)
    if sheet_decl == PROJECTS_SHEET:
        _lagging_table(sheet, line, figures["lagging_projects"])
    _widths(sheet, [14, 34, 18, 18, 16, 12, 14])


def build_workbook(report, figures: dict) -> bytes:
    """The workbook of ``report`` from ``figures`` (see ``report_figures``), as bytes."""
    workbook = Workbook()
    _summary_sheet(workbook.active, report, figures)
    for sheet_decl in SHEETS:
        _domain_sheet(workbook, sheet_decl, figures, report.period_end.month)
    for sheet in workbook.worksheets:
        cells_as_text(sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
