"""How figures are written: the contract's JSON values, and money in 万元 / 亿元 for people
(the same rounding on the dashboard, in the API and in the reports)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
WAN = Decimal(10_000)
YI = Decimal(100_000_000)
MILLION = Decimal(1_000_000)


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
    """(number, unit) for a person: in Chinese 万元, or 亿元 from one hundred million yuan up;
    in other languages millions of yuan, the unit their readers count in."""
    amount = Decimal(amount or 0)
    if not (get_language() or "").startswith("zh"):
        return (amount / MILLION).quantize(CENT, rounding=ROUND_HALF_UP), str(_("million yuan"))
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
