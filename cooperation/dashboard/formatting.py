"""How figures are written: the contract's JSON values, and money in 万元 / 亿元 for people."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def money_string(amount) -> str | None:
    """Yuan as the contract's decimal string with two places ("3000000.00")."""
    if amount is None:
        return None
    return str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


def json_number(value, *, money: bool):
    """A figure for JSON: money as a decimal string, a count as an integer when it is whole."""
    if value is None:
        return None
    if money:
        return money_string(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def indicator_payload(row: dict) -> dict:
    """One indicator row in the contract's shape (``key, label, value, unit, target, completion``)."""
    return {
        "key": row["key"],
        "label": str(row["label"]),
        "value": json_number(row["value"], money=row["money"]),
        "unit": row["unit"],
        "target": json_number(row["target"], money=row["money"]),
        "completion": float(row["completion"]) if row["completion"] is not None else None,
    }


def money_display(amount) -> tuple[Decimal, str]:
    """(number, unit) for a person: 万元, or 亿元 from one hundred million yuan up."""
    amount = Decimal(amount or 0)
    if abs(amount) >= YI:
        return (amount / YI).quantize(CENT, rounding=ROUND_HALF_UP), str(_("100 million yuan"))
    return (amount / WAN).quantize(CENT, rounding=ROUND_HALF_UP), str(_("10,000 yuan"))


def figure_display(value, *, money: bool, unit_label="") -> str:
    """A figure as text for the page and the workbook: "1,234.56 万元", "12,813 人次"."""
    if value is None:
        return "—"
    if money:
        number, unit = money_display(value)
        return f"{number:,.2f} {unit}"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:,.2f} {unit_label}".strip()
    return f"{int(value):,} {unit_label}".strip()


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
                link=link(row["key"]) if row["available"] else None,
            )
        )
    return presented


def present_breakdowns(breakdowns: list[dict], *, link) -> list[dict]:
    """Each breakdown with display strings, each item linked to its filtered admin list."""
    presented = []
    for breakdown in breakdowns:
        items = None
        if breakdown["rows"] is not None:
            items = [
                dict(
                    item,
                    display=figure_display(item["value"], money=breakdown["money"]),
                    link=link(breakdown["key"], **{f"{breakdown['code_field']}__exact": item["code"]}),
                )
                for item in breakdown["rows"]
            ]
        presented.append(dict(breakdown, items=items, link=link(breakdown["key"])))
    return presented


def present_lagging(projects: list[dict] | None, *, link) -> list[dict] | None:
    if projects is None:
        return None
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
