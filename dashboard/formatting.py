"""The dashboard page's display strings and the charts' data, from the indicator rows."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

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
