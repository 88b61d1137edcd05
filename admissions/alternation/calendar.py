"""The alternation calendar as the pages, the PDF and the feed show it (R8.1).

The rules core computes the annex-3 table (``rules.alternation``); this module adds what a
reader needs around it: each week's dates, a label for screen readers, the legend and the
hours check, worded in the page's language. It reads the campaign's parameters, which follow
the campaign's revision: a reloaded campaign file shows at the next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from admissions.campaigns.models import Campaign
from admissions.rules.alternation import (
    HoursReport,
    IsoWeek,
    academic_year_table,
    hours_check,
    period_count,
    week_dates,
    year_table,
)
from admissions.rules.language import in_language
from admissions.rules.params import AlternationHours, AlternationYear, PeriodKind


def kind_names() -> dict[PeriodKind, str]:
    return {
        PeriodKind.SCHOOL: _("École"),
        PeriodKind.COMPANY: _("Entreprise"),
        PeriodKind.DEFENCE: _("Soutenances"),
    }


def kind_tags() -> dict[PeriodKind, str]:
    """The short text shown in a cell beside its number: colour is never the only cue (RGAA)."""
    return {
        PeriodKind.SCHOOL: pgettext("alternation cell", "Éc."),
        PeriodKind.COMPANY: pgettext("alternation cell", "Ent."),
        PeriodKind.DEFENCE: "",
    }


def year_of_study_label(year_of_study: int) -> str:
    named = {1: _("1re année"), 2: _("2e année"), 3: _("3e année")}
    return named.get(year_of_study) or _("%(n)se année") % {"n": year_of_study}


@dataclass(frozen=True)
class Cell:
    kind: str  # "school", "company", "defence" or "" (a week in no period)
    text: str  # exactly as annex 3 prints it: "7", "Soutenances", ""
    tag: str  # the short visible kind: "Éc.", "Ent."
    label: str  # for screen readers: "école, semaine 7"


@dataclass(frozen=True)
class Week:
    week: IsoWeek
    monday: date
    sunday: date
    cells: tuple[Cell, ...]

    @property
    def dates_text(self) -> str:
        """ "04/10 – 10/10/2021": Monday to Sunday, the year once (the Sunday's)."""
        return f"{self.monday:%d/%m} – {self.sunday:%d/%m/%Y}"


@dataclass(frozen=True)
class YearHours:
    year_of_study: int
    label: str
    report: HoursReport
    school_periods: int
    reasons: tuple[str, ...]  # the rules' sentences in the page's language


@dataclass(frozen=True)
class AcademicCalendar:
    academic_year: str
    years_of_study: tuple[tuple[int, str], ...]  # (1, "1re année")...
    weeks: tuple[Week, ...]
    hours: tuple[YearHours, ...]
    legend: tuple[tuple[str, str, str], ...]  # (kind, tag, name)
    hours_rules: AlternationHours | None = None

    @property
    def first_week(self) -> Week:
        return self.weeks[0]

    @property
    def last_week(self) -> Week:
        return self.weeks[-1]

    def halves(self) -> tuple[tuple[Week, ...], tuple[Week, ...]]:
        """The weeks in two columns of pages, for the printed calendar (one A4 landscape)."""
        middle = (len(self.weeks) + 1) // 2
        return self.weeks[:middle], self.weeks[middle:]


def academic_years(campaign: Campaign) -> tuple[str, ...]:
    """The academic years the campaign's file gives a calendar for, in order."""
    return tuple(sorted({y.academic_year for y in campaign.params().alternation_years}))


def years_of(campaign: Campaign, academic_year: str) -> tuple[AlternationYear, ...]:
    return tuple(y for y in campaign.params().alternation_years if y.academic_year == academic_year)


def _cell(kind: PeriodKind | None, text: str, language: str) -> Cell:
    if kind is None:
        return Cell(kind="", text="", tag="", label=_("aucune période"))
    name = kind_names()[kind].lower()
    label = (
        name
        if kind is PeriodKind.DEFENCE
        else _("%(kind)s, semaine %(n)s")
        % {
            "kind": name,
            "n": text,
        }
    )
    return Cell(kind=kind.value, text=text, tag=kind_tags()[kind], label=label)


def academic_calendar(
    campaign: Campaign, academic_year: str, language: str
) -> AcademicCalendar | None:
    """The annex-3 table of ``academic_year`` with dates, legend and hours; None without one."""
    years = years_of(campaign, academic_year)
    if not years:
        return None
    rows = academic_year_table(years)
    weeks = []
    for row in rows:
        monday, sunday = week_dates(*row.week)
        cells = tuple(_cell(cell.kind, cell.text(language), language) for cell in row.cells)
        weeks.append(Week(week=row.week, monday=monday, sunday=sunday, cells=cells))
    ordered = sorted(years, key=lambda y: y.year_of_study)
    hours: list[YearHours] = []
    settings_hours = campaign.params().alternation_hours
    if settings_hours is not None:
        for year in ordered:
            report = hours_check(year, settings_hours)
            hours.append(
                YearHours(
                    year_of_study=year.year_of_study,
                    label=year_of_study_label(year.year_of_study),
                    report=report,
                    school_periods=period_count(year, PeriodKind.SCHOOL),
                    reasons=tuple(in_language(language, r.fr, r.en) for r in report.reasons),
                )
            )
    legend = tuple((kind.value, kind_tags()[kind], kind_names()[kind]) for kind in PeriodKind)
    return AcademicCalendar(
        academic_year=academic_year,
        years_of_study=tuple(
            (y.year_of_study, year_of_study_label(y.year_of_study)) for y in ordered
        ),
        weeks=tuple(weeks),
        hours=tuple(hours),
        legend=legend,
        hours_rules=settings_hours,
    )


@dataclass(frozen=True)
class Period:
    """Consecutive weeks of one kind in one year of study: one event of the ICS feed."""

    kind: PeriodKind
    first_week: IsoWeek
    last_week: IsoWeek
    first_number: int | None  # running numbers within the kind (None for defences)
    last_number: int | None
    starts_on: date  # Monday of the first week
    ends_on: date  # Sunday of the last week


def periods(year: AlternationYear) -> tuple[Period, ...]:
    """The year's weeks grouped in runs of one kind, adjacent blocks of one kind merged
    (a company period written as two blocks across the new year is one period)."""
    runs: list[list] = []
    for cell in year_table(year):
        if cell.kind is None:
            runs.append([])
            continue
        if runs and runs[-1] and runs[-1][-1].kind is cell.kind:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    found = []
    for run in runs:
        if not run:
            continue
        first, last = run[0], run[-1]
        found.append(
            Period(
                kind=first.kind,
                first_week=first.week,
                last_week=last.week,
                first_number=first.number,
                last_number=last.number,
                starts_on=week_dates(*first.week)[0],
                ends_on=week_dates(*last.week)[1],
            )
        )
    return tuple(found)
