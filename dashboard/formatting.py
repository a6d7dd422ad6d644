"""The dashboard page's display strings and the charts' data, from the indicator rows."""

from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from cooperation.models import month_label
from indicators.formatting import WAN, figure_display


def percent_display(share) -> str:
    if share is None:
        return "—"
    return f"{(Decimal(share) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


# --- The page: display strings and the charts' data ------------------------------------------


def _chart_number(value, *, money: bool) -> float | None:
    """A figure for a chart axis: money in 万元 (the unit officials read), counts as they are."""
    if value is None:
        return None
    return float(Decimal(value) / WAN) if money else float(value)


def present_rows(rows: list[dict], *, link) -> list[dict]:
    """The indicator rows with their display strings and the admin link of each figure."""
    presented = []
    for row in rows:
        unit_label = "" if row["money"] else row["unit_label"]
        share = row["completion"]
        presented.append(
            dict(
                row,
                value_display=figure_display(row["value"], money=row["money"], unit_label=unit_label),
                target_display=figure_display(row["target"], money=row["money"], unit_label=unit_label),
                pace_display=figure_display(row["pace"], money=row["money"], unit_label=unit_label),
                completion_display=percent_display(share),
                completion_bar=min(100, int(Decimal(share) * 100)) if share is not None else 0,
                link=link(row["key"]),
            )
        )
    return presented


def dashboard_url(*, year: int, region) -> str:
    """The dashboard of ``region`` (a Region, or None for the default area) for the year."""
    query = {"year": year} if region is None else {"year": year, "region": region.pk}
    return f"{reverse('dashboard:index')}?{urlencode(query)}"


def present_rollup(rollup: dict, rows: list[dict], *, year: int) -> dict | None:
    """The roll-up table with its display strings: each cell links to the child's dashboard;
    ``rows`` (the area's indicator rows) give the area's own value and target. None when the
    area has no child region to show."""
    if not rollup["children"]:
        return None
    parents = {row["key"]: row for row in rows}
    links = {child.pk: dashboard_url(year=year, region=child) for child in rollup["children"]}
    presented = []
    for row in rollup["rows"]:
        money, unit_label = row["money"], "" if row["money"] else row["unit_label"]
        parent = parents[row["key"]]

        def show(value, money=money, unit_label=unit_label):
            return figure_display(value, money=money, unit_label=unit_label)

        cells = [
            dict(
                cell,
                value_display=show(cell["value"]),
                target_display=show(cell["target"]),
                completion_display=percent_display(cell["completion"]),
                link=links[cell["region"].pk],
            )
            for cell in row["cells"]
        ]
        presented.append(
            dict(
                row,
                cells=cells,
                rest_display=show(row["rest"]),
                parent_value_display=show(parent["value"]),
                parent_target_display=show(row["parent_target"]),
                children_targets_display=show(row["children_targets"]),
            )
        )
    return {
        "children": [{"region": child, "link": links[child.pk]} for child in rollup["children"]],
        "rows": presented,
        # Records placed at the area itself (or, for the programme, a training without a school).
        "show_rest": any(row["rest"] for row in rollup["rows"]),
        "mismatches": [row for row in presented if row["targets_differ"]],
    }


def present_breakdowns(breakdowns: list[dict], *, link) -> list[dict]:
    """Each breakdown with display strings, each item linked to its filtered admin list."""
    presented = []
    for breakdown in breakdowns:
        items = [
            dict(
                item,
                display=figure_display(item["value"], money=breakdown["money"]),
                link=link(breakdown["key"], **{breakdown["code_field"]: item["code"]}),
            )
            for item in breakdown["rows"]
        ]
        presented.append(dict(breakdown, items=items, link=link(breakdown["key"])))
    return presented


def present_lagging(projects: list[dict], *, link) -> list[dict]:
    return [
        dict(
            project,
            allocated_display=figure_display(project.get("allocated"), money=True),
            disbursed_display=figure_display(project.get("disbursed"), money=True),
            rate_display=percent_display(project.get("rate")),
            link=link(project.get("id")),
        )
        for project in projects
    ]


def chart_payload(trends: list[dict], breakdowns: list[dict]) -> dict:
    """What the charts draw (``json_script``): money in 万元, translated labels included."""
    return {
        "labels": {
            "actual": str(_("Actual")),
            "pace": str(_("Pace line")),
            "months": [str(_("Month %(n)d") % {"n": n}) for n in range(1, 13)],
        },
        "trends": [
            {
                "key": trend["key"],
                "label": str(trend["label"]),
                "unit": str(_("10,000 yuan")) if trend["money"] else str(trend["unit_label"]),
                "months": [_chart_number(v, money=trend["money"]) for v in trend["months"]]
                if trend["months"]
                else None,
                "pace": [_chart_number(v, money=trend["money"]) for v in trend["pace"]] if trend["pace"] else None,
            }
            for trend in trends
        ],
        "breakdowns": [
            {
                "name": breakdown["name"],
                "title": str(breakdown["title"]),
                "unit": str(_("10,000 yuan")) if breakdown["money"] else str(_("people")),
                "labels": [str(item["label"]) for item in breakdown["rows"] or []],
                "values": [_chart_number(item["value"], money=breakdown["money"]) for item in breakdown["rows"] or []],
            }
            for breakdown in breakdowns
        ],
    }


# --- Which months are approved -----------------------------------------------------------------

# "Approved" alone is a project's status elsewhere (已批复); a month's figures are 已审核.
APPROVED = pgettext_lazy("month approval", "Approved")
PROVISIONAL = pgettext_lazy("month approval", "Provisional")


def _month_names(months) -> str:
    """Months of one year as people list them ("5月、7月")."""
    return pgettext("list separator", ", ").join(str(_("Month %(n)d") % {"n": month.month}) for month in months)


def approval_sentence(approvals: dict) -> str:
    """The sentence over the strip: through which month the figures are approved, and what
    is provisional. A month approved after an unapproved one is named, so that "later months
    are provisional" never hides it."""
    months, through = approvals["months"], approvals["through"]
    later = [entry["month"] for entry in months if entry["approved"] and (through is None or entry["month"] > through)]
    if through is None and not later:
        if months and months[0]["counties"] == 0:
            return str(_("No county of this area submits monthly figures: all figures are provisional."))
        return str(_("No month of the year is approved yet: all figures are provisional."))
    if through is None:
        return str(
            _("January is not approved yet: the figures are provisional, except %(months)s (approved).")
            % {"months": _month_names(later)}
        )
    if through.month == 12:
        return str(_("Figures are approved through %(month)s: the whole year.") % {"month": month_label(through)})
    if later:
        return str(
            _("Figures are approved through %(month)s; later months are provisional, except %(months)s (approved).")
            % {"month": month_label(through), "months": _month_names(later)}
        )
    return str(
        _("Figures are approved through %(month)s; later months are provisional.") % {"month": month_label(through)}
    )


def present_approvals(approvals: dict) -> dict:
    """The twelve marks of the strip (:func:`dashboard.selectors.dashboard_approvals`) with
    their display strings: each month approved or provisional, in words (never colour alone),
    with the counties' count when the area has several, and the sentence over them."""
    counties = approvals["months"][0]["counties"] if approvals["months"] else 0
    several = counties > 1
    marks = []
    for entry in approvals["months"]:
        state = APPROVED if entry["approved"] else PROVISIONAL
        counts = (
            str(
                _("%(approved)d/%(counties)d counties approved")
                % {"approved": entry["approved_counties"], "counties": counties}
            )
            if several
            else ""
        )
        if counts:
            label = _("%(month)s: %(state)s (%(counts)s)") % {
                "month": month_label(entry["month"]),
                "state": state,
                "counts": counts,
            }
        else:
            label = _("%(month)s: %(state)s") % {"month": month_label(entry["month"]), "state": state}
        marks.append(
            dict(
                entry,
                state="approved" if entry["approved"] else "provisional",
                # Some counties approved, not all: the month is still provisional.
                partial=not entry["approved"] and entry["approved_counties"] > 0,
                short=str(_("Month %(n)d") % {"n": entry["month"].month}),
                state_label=str(state),
                counts_display=counts,
                label=str(label),
            )
        )
    return {
        "months": marks,
        "through": approvals["through"],
        "several": several,
        "sentence": approval_sentence(approvals),
    }
