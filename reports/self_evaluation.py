"""The self-evaluation draft (自评报告, CONTRACT.md 1.1): a ``.docx`` in Chinese, written from the
records, in the structure of the annual assessment.

The draft has a title naming the pair, the period, the area covered and how far the year's
months are approved (:func:`cooperation.selectors.month_approvals`); then one part per area of
the assessment, each stating every indicator of the part (value, annual target, completion,
change from the year before), the indicators lagging behind the year's pace, and the records
that give the figures a face (pairings, equity and dividends, project outcomes); and an annex
table of every indicator in registry order.

Every figure of an indicator comes from :func:`indicators.selectors.indicator_rows` /
:func:`~indicators.selectors.indicator_values` and is written with
:func:`indicators.formatting.figure_display`, the dashboard's rounding and units (万元, 亿元
from one hundred million up). Nothing here computes an indicator.

The caller (the API view) decides what the user may see and passes it: the area's region,
what the figures count (a Region, a user's :class:`~cooperation.scopes.Scope` or None) and the
wider region (the province) whose consumption figure puts the area's in context, only when
the user may read it. This module does not import the dashboard (the layers of
``pyproject.toml``).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from cooperation.choices import LEVEL_PREFIX_LENGTH, PairingKind, RegionLevel
from cooperation.models import Region, month_label
from cooperation.scopes import Scope
from cooperation.selectors import approved_through, month_approvals, pairing_list, records_in
from indicators.formatting import figure_display
from indicators.selectors import Pace, indicator_rows, indicator_values
from projects.selectors import (
    equity_dividend_list,
    equity_investment_list,
    outcome_list,
    projects_lagging_disbursement,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The draft is Chinese whatever the reader's language (the contract).
DRAFT_LANGUAGE = "zh-hans"
# Fonts: Word picks the East Asian one for Chinese characters, the other for digits and Latin.
EAST_ASIAN_FONT = "SimSun"
LATIN_FONT = "Times New Roman"
SLOWEST_PROJECTS = 3
PERCENT_PLACES = Decimal("0.1")


@dataclass(frozen=True)
class Part:
    """One part of the assessment: its heading and the indicator key prefixes it states."""

    key: str
    title: object
    prefixes: tuple[str, ...]


# The assessment's structure. Each indicator lands in the part its key's prefix names; a key
# no part names (an indicator added later) lands in ``OTHER_PART`` so that nothing is dropped.
PARTS = (
    Part(
        "leadership", pgettext_lazy("self-evaluation part", "Organisation, leadership and talent exchange"), ("talent",)
    ),
    Part("funds", pgettext_lazy("self-evaluation part", "Use of aid funds"), ("funds", "projects")),
    Part("industry", pgettext_lazy("self-evaluation part", "Industrial cooperation"), ("investment",)),
    Part("labor", pgettext_lazy("self-evaluation part", "Labour cooperation"), ("labor",)),
    Part(
        "teams",
        pgettext_lazy("self-evaluation part", "Team-based medical and education assistance"),
        ("healthcare", "education"),
    ),
    Part("consumption", pgettext_lazy("self-evaluation part", "Consumption assistance"), ("consumption",)),
    Part("revitalisation", pgettext_lazy("self-evaluation part", "Joining hands for rural revitalisation"), ()),
)
OTHER_PART = Part("other", pgettext_lazy("self-evaluation part", "Other indicators"), ())
# Literal msgids, so that ``makemessages`` finds them (the numerals of the parts' headings).
SECTION_NUMBERS = (
    pgettext_lazy("section number", "1"),
    pgettext_lazy("section number", "2"),
    pgettext_lazy("section number", "3"),
    pgettext_lazy("section number", "4"),
    pgettext_lazy("section number", "5"),
    pgettext_lazy("section number", "6"),
    pgettext_lazy("section number", "7"),
    pgettext_lazy("section number", "8"),
    pgettext_lazy("section number", "9"),
    pgettext_lazy("section number", "10"),
)


def part_of(key: str) -> Part:
    """The part of the assessment an indicator key belongs to."""
    prefix = key.split(".", 1)[0]
    return next((part for part in PARTS if prefix in part.prefixes), OTHER_PART)


@dataclass
class Section:
    """A part of the draft as it is written: a heading and its paragraphs."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """The draft's content before it becomes a document (the tests and the renderer read it)."""

    title: str
    header: list[str]
    sections: list[Section]
    table_title: str
    table_head: list[str]
    table: list[list[str]]
    notes: list[str]
    empty: bool
    filename: str
    ascii_filename: str


@dataclass(frozen=True)
class DraftFile:
    """The ``.docx`` and the names to save it under (Chinese, and an ASCII fallback)."""

    content: bytes
    filename: str
    ascii_filename: str
    content_type: str = DOCX_TYPE


# --- Words ------------------------------------------------------------------------------------


def _date_label(day: datetime.date) -> str:
    return _("%(year)d-%(month)02d-%(day)02d") % {"year": day.year, "month": day.month, "day": day.day}


def _percent(share) -> str:
    """A share as the dashboard writes it: one decimal place, rounded half-up."""
    return f"{(Decimal(share) * 100).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)}%"


def _figure(row: dict, value) -> str:
    return figure_display(value, money=row["money"], unit_label="" if row["money"] else str(row["unit_label"]))


def _list(items) -> str:
    return pgettext("list separator", ", ").join(str(item) for item in items)


def _clauses(items) -> str:
    return pgettext("clause separator", "; ").join(str(item) for item in items)


def _change(row: dict, previous) -> str:
    """The change from the year before, in words."""
    value, previous = Decimal(row["value"] or 0), Decimal(previous or 0)
    difference = value - previous
    if difference == 0:
        return _("the same as the year before")
    change = _figure(row, abs(difference))
    if previous == 0:
        return _("up %(change)s on the year before (none recorded then)") % {"change": change}
    words = {"change": change, "rate": _percent(abs(difference) / previous), "previous": _figure(row, previous)}
    if difference > 0:
        return _("up %(change)s (%(rate)s) on the year before (%(previous)s)") % words
    return _("down %(change)s (%(rate)s) on the year before (%(previous)s)") % words


def _indicator_sentence(row: dict, previous, *, targets_apply: bool) -> str:
    words = {"label": row["label"], "value": _figure(row, row["value"]), "change": _change(row, previous)}
    if not targets_apply:
        return _("%(label)s was %(value)s; %(change)s.") % words
    if row["target"] is None:
        return _("%(label)s was %(value)s, with no annual target set; %(change)s.") % words
    words["target"] = _figure(row, row["target"])
    words["completion"] = _percent(row["completion"]) if row["completion"] is not None else "—"
    return (
        _("%(label)s was %(value)s against an annual target of %(target)s (%(completion)s complete); %(change)s.")
        % words
    )


def _lagging_sentence(rows: list[dict], *, targets_apply: bool) -> str | None:
    """The part's indicators behind the year's pace, or that there are none."""
    if not targets_apply:
        return None
    with_target = [row for row in rows if row["status"] != Pace.NO_TARGET]
    if not with_target:
        return _("No indicator of this part has an annual target.")
    lagging = [row for row in with_target if row["status"] == Pace.LAGGING]
    if not lagging:
        return _("Every indicator of this part with a target is reached or on pace.")
    items = [
        _("%(label)s (%(completion)s of the target; the pace called for %(pace)s)")
        % {
            "label": row["label"],
            "completion": _percent(row["completion"]) if row["completion"] is not None else "—",
            "pace": _figure(row, row["pace"]),
        }
        for row in lagging
    ]
    return _("Lagging: %(items)s.") % {"items": _clauses(items)}


# --- Reads of the records behind the figures (lists, no indicator) ----------------------------


def province_of(region: Region | None) -> Region | None:
    """The province a region lies in (None for a province itself, or no region). One query."""
    if region is None or region.level == RegionLevel.PROVINCE:
        return None
    code = region.code[: LEVEL_PREFIX_LENGTH[RegionLevel.PROVINCE]].ljust(6, "0")
    return Region.objects.filter(level=RegionLevel.PROVINCE, code=code).first()


def _region_q(area, path: str) -> Q:
    """Records whose region (through ``path``) lies within ``area`` (everything for None)."""
    return Q() if area is None else area.subtree_q(path)


def _above_q(region: Region, path: str) -> Q:
    """Records whose region (through ``path``) is one of the regions above ``region``."""
    q = Q(pk__in=[])
    for level, length in LEVEL_PREFIX_LENGTH.items():
        if level == region.level:
            break
        q |= Q(**{f"{path}__level": level, f"{path}__code__startswith": region.code[:length]})
    return q


def area_pairings(*, year: int, area, kinds) -> list:
    """The pairings of ``kinds`` running in ``year`` of the area (None: all): region and village
    pairings with a side within it, and for a town or village also the region pairings of the
    regions above it (a town is helped through its county's pairing); organisations' pairings
    by the western organisation's region."""
    qs = records_in(pairing_list().filter(kind__in=kinds), year=year)
    # An eastern area (a city's staff) finds its pairings by their eastern side.
    regional = Q(kind__in=[PairingKind.REGION, PairingKind.VILLAGE]) & (
        _region_q(area, "west_region") | _region_q(area, "east_region")
    )
    if isinstance(area, Region):
        regional |= Q(kind=PairingKind.REGION) & _above_q(area, "west_region")
    by_org = ~Q(kind__in=[PairingKind.REGION, PairingKind.VILLAGE]) & _region_q(area, "west_org__region")
    return list(qs.filter(regional | by_org).order_by("started_on", "id"))


def area_equity(*, year: int, area) -> tuple[list, list]:
    """The equity that projects within the area held by the end of ``year``, and the dividends
    paid on it for ``year`` (rows, in the order people read them)."""
    last_day = datetime.date(year, 12, 31)
    equity = records_in(equity_investment_list(), region=area).filter(invested_on__lte=last_day)
    dividends = records_in(equity_dividend_list(), year=year, region=area)
    return list(equity.order_by("invested_on", "id")), list(dividends.order_by("equity__invested_on", "id"))


def area_outcomes(*, year: int, area) -> list:
    """Project outcomes within the area measured in ``year``."""
    qs = records_in(outcome_list(), region=area).filter(measured_on__year=year, current__isnull=False)
    return list(qs.order_by("project__code", "id"))


# --- The parts' own records, in words ----------------------------------------------------------


def _side_name(pairing, side: str) -> str:
    org = getattr(pairing, f"{side}_org")
    return org.name if org is not None else getattr(pairing, f"{side}_region").name


def _pair_name(pairing) -> str:
    return pgettext("pair", "%(east)s–%(west)s") % {
        "east": _side_name(pairing, "east"),
        "west": _side_name(pairing, "west"),
    }


def _pairing_sentence(pairing) -> str:
    words = {
        "east": _side_name(pairing, "east"),
        "west": _side_name(pairing, "west"),
        "start": month_label(pairing.started_on),
    }
    if pairing.focus:
        return _("%(east)s and %(west)s have been paired since %(start)s; focus: %(focus)s.") % {
            **words,
            "focus": pairing.focus,
        }
    return _("%(east)s and %(west)s have been paired since %(start)s.") % words


def _money(amount) -> str:
    return figure_display(amount, money=True)


def _equity_paragraphs(*, year: int, equity: list, dividends: list) -> list[str]:
    if not equity:
        return []
    # A handful of rows listed in the draft: their totals are those of the rows named.
    held = sum((item.amount for item in equity), Decimal(0))
    paragraphs = [
        _("Project funds hold equity of %(amount)s in %(count)d cooperatives and enterprises (%(names)s).")
        % {
            "amount": _money(held),
            "count": len({item.investee_id for item in equity}),
            "names": _list(dict.fromkeys(item.investee.name for item in equity)),
        }
    ]
    if dividends:
        collectives = sum((item.to_collectives for item in dividends), Decimal(0))
        households_amount = sum((item.to_households for item in dividends), Decimal(0))
        paragraphs.append(
            _(
                "The dividends for %(year)d come to %(total)s: %(collectives)s to village collectives and "
                "%(households_amount)s to households (%(households)d household payments)."
            )
            % {
                "year": year,
                "total": _money(collectives + households_amount),
                "collectives": _money(collectives),
                "households_amount": _money(households_amount),
                "households": sum(item.households for item in dividends),
            }
        )
    else:
        paragraphs.append(_("No dividend is recorded for %(year)d.") % {"year": year})
    return paragraphs


def _slowest_projects(*, year: int, area) -> str | None:
    projects = [
        project
        for project in projects_lagging_disbursement(year=year, region=area, limit=SLOWEST_PROJECTS)
        if project["rate"] is not None and project["rate"] < 1
    ]
    if not projects:
        return None
    items = [
        _("%(name)s (%(disbursed)s of %(allocated)s paid out, %(rate)s)")
        % {
            "name": project["name"],
            "disbursed": _money(project["disbursed"]),
            "allocated": _money(project["allocated"]),
            "rate": _percent(project["rate"]),
        }
        for project in projects
    ]
    return _("The projects of the year slowest to pay out: %(projects)s.") % {"projects": _clauses(items)}


def _outcome_figure(value, unit: str) -> str:
    # Outcomes in yuan read in 万元 like every other sum of money of the draft.
    if unit == pgettext("unit", "yuan"):
        return _money(value)
    return figure_display(value, money=False, unit_label=unit)


def _outcome_sentence(outcome) -> str:
    words = {
        "project": outcome.project.name,
        "name": outcome.name,
        "baseline": _outcome_figure(outcome.baseline, outcome.unit),
        "current": _outcome_figure(outcome.current, outcome.unit),
        "target": _outcome_figure(outcome.target, outcome.unit),
        "date": _date_label(outcome.measured_on),
    }
    if outcome.current >= outcome.baseline:
        return (
            _(
                "%(project)s: %(name)s rose from %(baseline)s to %(current)s, "
                "against a target of %(target)s (as of %(date)s)."
            )
            % words
        )
    return (
        _(
            "%(project)s: %(name)s went from %(baseline)s to %(current)s, "
            "against a target of %(target)s (as of %(date)s)."
        )
        % words
    )


def _consumption_context(*, row: dict, wider: Region, wider_value, area_name: str) -> str:
    share = _percent(Decimal(row["value"]) / Decimal(wider_value)) if wider_value else "—"
    return _(
        "Sales of the products of %(wider)s recorded in the portal come to %(wider_value)s, of which "
        "%(area)s's products %(value)s (%(share)s)."
    ) % {
        "wider": wider.name,
        "wider_value": _money(wider_value),
        "area": area_name,
        "value": _money(row["value"]),
        "share": share,
    }


# --- The draft ---------------------------------------------------------------------------------


def _area_name(region: Region | None, figures) -> str:
    if isinstance(figures, Scope):
        return _list(region.name for region in figures.own)
    if region is None:
        return pgettext("self-evaluation area", "the whole programme")
    return region.name


def _approvals_sentence(*, year: int, area) -> str:
    approvals = month_approvals(year=year, area=area)
    through = approved_through(approvals)
    if through is None:
        approved = [entry["month"] for entry in approvals if entry["approved"]]
        if approved:
            return _(
                "January of %(year)d is not approved yet, so every figure is provisional (approved: %(months)s)."
            ) % {
                "year": year,
                "months": _list(month_label(month) for month in approved),
            }
        return _("No month of %(year)d is approved yet: every figure is provisional.") % {"year": year}
    if through.month == 12:
        return _("Every month of %(year)d is approved.") % {"year": year}
    later = [entry["month"] for entry in approvals if entry["approved"] and entry["month"] > through]
    words = {
        "through": month_label(through),
        "first": month_label(datetime.date(year, through.month + 1, 1)),
        "last": month_label(datetime.date(year, 12, 1)),
    }
    if through.month == 11:
        sentence = _("The data are approved through %(through)s; %(first)s is provisional.") % words
    else:
        sentence = _("The data are approved through %(through)s; %(first)s to %(last)s are provisional.") % words
    if later:
        sentence += _("Also approved: %(months)s.") % {"months": _list(month_label(month) for month in later)}
    return sentence


def _title(*, year: int, region: Region | None, figures, pairs: list) -> str:
    if len(pairs) == 1:
        return _("%(pair)s east-west cooperation: self-evaluation for %(year)d (draft)") % {
            "pair": _pair_name(pairs[0]),
            "year": year,
        }
    if region is None and not isinstance(figures, Scope):
        return _("East-west cooperation: self-evaluation for %(year)d (draft)") % {"year": year}
    return _("%(pair)s east-west cooperation: self-evaluation for %(year)d (draft)") % {
        "pair": _area_name(region, figures),
        "year": year,
    }


def _ascii_filename(*, year: int, region: Region | None, figures) -> str:
    if isinstance(figures, Scope):
        return f"self-evaluation-{year}-scope.docx"
    return f"self-evaluation-{year}-{region.code}.docx" if region is not None else f"self-evaluation-{year}.docx"


def self_evaluation_draft(
    *,
    year: int,
    region: Region | None,
    figures=None,
    wider: Region | None = None,
    today: datetime.date | None = None,
) -> Draft:
    """The draft's content for ``year``, in the active language (:func:`self_evaluation_docx`
    writes it in Chinese).

    ``region``: the region the draft is about (None: the programme, or a scope's several
    regions); ``figures``: what the figures count (defaults to ``region``; a
    :class:`~cooperation.scopes.Scope` for a scoped user's several regions, which have no
    targets); ``wider``: a region above ``region`` (its province) whose consumption figure the
    reader may see, to put the area's in context.
    """
    figures = region if figures is None else figures
    today = today or timezone.localdate()
    targets_apply = not isinstance(figures, Scope)
    rows = indicator_rows(year=year, region=figures, today=today)
    previous = {row["key"]: row["value"] for row in indicator_values(year=year - 1, region=figures)}
    area_name = _area_name(region, figures)

    region_pairs = area_pairings(year=year, area=figures, kinds=[PairingKind.REGION])
    header = []
    if region_pairs:
        header.append(
            _("Pair: %(pairs)s.")
            % {
                "pairs": _list(
                    _("%(pair)s (since %(start)s)")
                    % {"pair": _pair_name(pairing), "start": month_label(pairing.started_on)}
                    for pairing in region_pairs
                )
            }
        )
    header.append(
        _("Period assessed: %(start)s to %(end)s.")
        % {"start": _date_label(datetime.date(year, 1, 1)), "end": _date_label(datetime.date(year, 12, 31))}
    )
    if isinstance(figures, Scope):
        header.append(
            _("Area covered: %(area)s together (targets are set per region and not shown).") % {"area": area_name}
        )
    elif region is None:
        header.append(_("Area covered: the whole programme."))
    else:
        header.append(
            _("Area covered: %(area)s (%(code)s) and everything below it.") % {"area": region.name, "code": region.code}
        )
    header.append(_approvals_sentence(year=year, area=figures))
    header.append(
        _("Drafted by the portal from its records on %(date)s; check every figure before use.")
        % {"date": _date_label(today)}
    )

    title = _title(year=year, region=region, figures=figures, pairs=region_pairs)
    filename = f"{title}.docx"
    ascii_filename = _ascii_filename(year=year, region=region, figures=figures)
    empty = all(not row["value"] for row in rows) and all(row["target"] is None for row in rows)
    if empty:
        header.append(
            _(
                "No record of the programme is entered for %(area)s in %(year)d, so there is nothing to evaluate "
                "yet. Enter the year's records and generate the draft again."
            )
            % {"area": area_name, "year": year}
        )
        return Draft(title, header, [], "", [], [], [], True, filename, ascii_filename)

    with_target = [row for row in rows if row["status"] != Pace.NO_TARGET]
    count = {
        status: sum(1 for row in rows if row["status"] == status) for status in (Pace.DONE, Pace.ON_PACE, Pace.LAGGING)
    }
    overview = (
        _(
            "Of the %(total)d indicators, %(with_target)d have an annual target: %(done)d reached, %(on_pace)d on "
            "pace, %(lagging)d lagging."
        )
        % {
            "total": len(rows),
            "with_target": len(with_target),
            "done": count[Pace.DONE],
            "on_pace": count[Pace.ON_PACE],
            "lagging": count[Pace.LAGGING],
        }
        if targets_apply
        else None
    )

    by_part: dict[str, list[dict]] = {}
    for row in rows:
        by_part.setdefault(part_of(row["key"]).key, []).append(row)
    # A part without indicators (revitalisation) closes the assessment, after any "other" part.
    parts = [part for part in PARTS if part.prefixes]
    parts += [OTHER_PART] if OTHER_PART.key in by_part else []
    parts += [part for part in PARTS if not part.prefixes]

    sections = []
    if overview:
        sections.append(Section("overview", pgettext("self-evaluation part", "Overview"), [overview]))
    for part in parts:
        part_rows = by_part.get(part.key, [])
        paragraphs = []
        if part_rows:
            sentences = [
                _indicator_sentence(row, previous.get(row["key"]), targets_apply=targets_apply) for row in part_rows
            ]
            paragraphs.append(_("In %(year)d, ") % {"year": year} + "".join(sentences))
        paragraphs.extend(
            _part_records(part, year=year, figures=figures, rows=part_rows, wider=wider, area_name=area_name)
        )
        lagging = _lagging_sentence(part_rows, targets_apply=targets_apply) if part_rows else None
        if lagging:
            paragraphs.append(lagging)
        sections.append(Section(part.key, str(part.title), paragraphs))
    for number, section in enumerate((s for s in sections if s.key != "overview"), start=1):
        section.title = pgettext("section heading", "%(number)s. %(title)s") % {
            "number": SECTION_NUMBERS[number - 1],
            "title": section.title,
        }

    table_head = [
        _("No."),
        _("Indicator"),
        _("Value"),
        _("Annual target"),
        _("Completion"),
        _("Previous year"),
        _("Status"),
    ]
    table = [
        [
            str(number),
            str(row["label"]),
            _figure(row, row["value"]),
            _figure(row, row["target"]),
            _percent(row["completion"]) if row["completion"] is not None else "—",
            _figure(row, previous.get(row["key"])),
            str(row["status_label"]) if targets_apply else "—",
        ]
        for number, row in enumerate(rows, start=1)
    ]
    notes = [
        _(
            "Money in 10,000 yuan (100 million yuan from one hundred million up), rounded to two places as on "
            "the dashboard; completion = the year's value / the annual target; the pace is the share of the "
            "target the months gone by call for."
        )
    ]
    return Draft(
        title,
        header,
        sections,
        _("Annex: the indicators of %(year)d") % {"year": year},
        table_head,
        table,
        notes,
        False,
        filename,
        ascii_filename,
    )


def _part_records(part: Part, *, year: int, figures, rows: list[dict], wider, area_name: str) -> list[str]:
    """The sentences of a part that come from its records rather than its indicators."""
    if part.key == "leadership":
        pairs = area_pairings(year=year, area=figures, kinds=[PairingKind.REGION])
        if not pairs:
            return [_("No region pairing is recorded for this area.")]
        return [_pairing_sentence(pairing) for pairing in pairs]
    if part.key == "funds":
        slowest = _slowest_projects(year=year, area=figures)
        return [slowest] if slowest else []
    if part.key == "industry":
        equity, dividends = area_equity(year=year, area=figures)
        return _equity_paragraphs(year=year, equity=equity, dividends=dividends)
    if part.key == "teams":
        paragraphs = []
        for kind, sentence in (
            (PairingKind.HOSPITAL, _("Hospital pairings: %(pairs)s.")),
            (PairingKind.SCHOOL, _("School pairings: %(pairs)s.")),
        ):
            pairs = area_pairings(year=year, area=figures, kinds=[kind])
            if pairs:
                paragraphs.append(sentence % {"pairs": _list(_pair_name(pairing) for pairing in pairs)})
        return paragraphs
    if part.key == "consumption" and wider is not None and rows:
        wider_rows = {row["key"]: row for row in indicator_values(year=year, region=wider)}
        return [
            _consumption_context(row=row, wider=wider, wider_value=wider_rows[row["key"]]["value"], area_name=area_name)
            for row in rows
            if row["key"] in wider_rows
        ]
    if part.key == "revitalisation":
        villages = area_pairings(year=year, area=figures, kinds=[PairingKind.VILLAGE])
        outcomes = area_outcomes(year=year, area=figures)
        if not villages and not outcomes:
            return [_("No village pairing or project outcome is recorded for this area in %(year)d.") % {"year": year}]
        return [_pairing_sentence(pairing) for pairing in villages] + [
            _outcome_sentence(outcome) for outcome in outcomes
        ]
    return []


# --- The document ------------------------------------------------------------------------------


def _set_fonts(style) -> None:
    style.font.name = LATIN_FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def render_docx(draft: Draft) -> bytes:
    """The draft as a Word document (python-docx): title, header lines, parts, annex table."""
    document = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        _set_fonts(document.styles[name])
    document.styles["Normal"].font.size = Pt(12)
    properties = document.core_properties
    properties.title = draft.title
    properties.language = "zh-CN"
    properties.author = properties.last_modified_by = _("East-west cooperation portal")
    properties.comments = ""

    heading = document.add_heading(draft.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in draft.header:
        document.add_paragraph(line)
    for section in draft.sections:
        document.add_heading(section.title, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
    if draft.table:
        document.add_heading(draft.table_title, level=1)
        table = document.add_table(rows=1, cols=len(draft.table_head))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, draft.table_head, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values in draft.table:
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = text
        for note in draft.notes:
            document.add_paragraph(note)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def self_evaluation_docx(
    *,
    year: int,
    region: Region | None,
    figures=None,
    wider: Region | None = None,
    today: datetime.date | None = None,
) -> DraftFile:
    """The self-evaluation draft of ``year`` as a ``.docx``, in Chinese whatever the request's
    language (arguments as :func:`self_evaluation_draft`)."""
    with translation.override(DRAFT_LANGUAGE):
        draft = self_evaluation_draft(year=year, region=region, figures=figures, wider=wider, today=today)
        content = render_docx(draft)
    return DraftFile(content=content, filename=draft.filename, ascii_filename=draft.ascii_filename)
