"""The alternation calendar: school and company weeks of each year of study (R8.1).

A year of study is given as blocks of ISO weeks (``params.AlternationYear``). From them this
module computes the table printed in annex 3 of the notice: one row per ISO week, one column
per year of study, each cell the running number of the week within its kind (school weeks
1, 2, 3... and company weeks 1, 2, 3... in week order), "Soutenances" for defence weeks and
an empty cell for a week in no block. It also checks the yearly hours (about 600 h of school
and about 1000 h in the company) and gives the dates of a week for the ICS feed and the PDF.

ISO weeks are ``(iso_year, iso_week)`` pairs; some ISO years have 53 weeks (2020, 2026), so
the week after ``(y, 52)`` is not always ``(y + 1, 1)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .explain import Reason, RulesError
from .language import in_language
from .params import AlternationBlock, AlternationHours, AlternationYear, PeriodKind

IsoWeek = tuple[int, int]

DEFENCE_LABEL_FR = "Soutenances"  # as printed in annex 3
DEFENCE_LABEL_EN = "Defences"


# --- ISO weeks ------------------------------------------------------------------------------


def iso_weeks_in_year(iso_year: int) -> int:
    """52 or 53: 28 December always falls in the last ISO week of its year."""
    return date(iso_year, 12, 28).isocalendar().week


def _check_week(week: IsoWeek) -> None:
    iso_year, iso_week = week
    if not 1 <= iso_week <= iso_weeks_in_year(iso_year):
        raise RulesError(
            Reason(
                "alternation.invalid_week",
                fr=f"La semaine {iso_week} n'existe pas en {iso_year} (semaines ISO 1 à "
                f"{iso_weeks_in_year(iso_year)}).",
                en=f"Week {iso_week} does not exist in {iso_year} (ISO weeks 1 to "
                f"{iso_weeks_in_year(iso_year)}).",
                data={"week": week},
            )
        )


def _monday(week: IsoWeek) -> date:
    _check_week(week)
    return date.fromisocalendar(week[0], week[1], 1)


def _week_of(day: date) -> IsoWeek:
    iso = day.isocalendar()
    return (iso.year, iso.week)


def week_dates(iso_year: int, iso_week: int) -> tuple[date, date]:
    """The Monday and the Sunday of an ISO week, for the ICS feed and the PDF (R8.1)."""
    monday = _monday((iso_year, iso_week))
    return monday, monday + timedelta(days=6)


def weeks_between(first: IsoWeek, last: IsoWeek) -> tuple[IsoWeek, ...]:
    """Every ISO week from ``first`` to ``last``, both included, across new years and W53s."""
    start, end = _monday(first), _monday(last)
    if end < start:
        raise RulesError(
            Reason(
                "alternation.weeks_reversed",
                fr=f"La semaine {_fmt(last)} précède la semaine {_fmt(first)}.",
                en=f"Week {_fmt(last)} comes before week {_fmt(first)}.",
                data={"first": first, "last": last},
            )
        )
    count = (end - start).days // 7 + 1
    return tuple(_week_of(start + timedelta(weeks=i)) for i in range(count))


def _fmt(week: IsoWeek) -> str:
    return f"{week[0]}-W{week[1]:02d}"


# --- Validation -----------------------------------------------------------------------------


def validate_blocks(year: AlternationYear) -> tuple[Reason, ...]:
    """Check a year's blocks; return warnings, raise RulesError for what makes no sense.

    Raises for an invalid ISO week, a block or a year whose end comes before its start, and
    two blocks sharing a week (a week has one kind only, R8.1). Returns a Reason for each
    block lying partly or wholly outside the year's weeks (those weeks are not shown) and
    when blocks are not listed in calendar order (harmless: the table sorts them).
    """
    span = weeks_between(year.first_week, year.last_week)
    in_year = set(span)
    warnings: list[Reason] = []
    owner: dict[IsoWeek, AlternationBlock] = {}
    for block in year.blocks:
        weeks = weeks_between(block.first_week, block.last_week)
        for week in weeks:
            if week in owner:
                other = owner[week]
                raise RulesError(
                    Reason(
                        "alternation.blocks_overlap",
                        fr=f"Année {year.year_of_study} : la semaine {_fmt(week)} est à la fois "
                        f"dans le bloc {_fmt(other.first_week)}–{_fmt(other.last_week)} et dans "
                        f"le bloc {_fmt(block.first_week)}–{_fmt(block.last_week)}.",
                        en=f"Year {year.year_of_study}: week {_fmt(week)} is in both block "
                        f"{_fmt(other.first_week)}–{_fmt(other.last_week)} and block "
                        f"{_fmt(block.first_week)}–{_fmt(block.last_week)}.",
                        data={"year_of_study": year.year_of_study, "week": week},
                    )
                )
            owner[week] = block
        outside = [week for week in weeks if week not in in_year]
        if outside:
            warnings.append(
                Reason(
                    "alternation.block_outside_year",
                    fr=f"Année {year.year_of_study} : {len(outside)} semaine(s) du bloc "
                    f"{_fmt(block.first_week)}–{_fmt(block.last_week)} sont hors de l'année "
                    f"{_fmt(year.first_week)}–{_fmt(year.last_week)} et ne sont pas affichées.",
                    en=f"Year {year.year_of_study}: {len(outside)} week(s) of block "
                    f"{_fmt(block.first_week)}–{_fmt(block.last_week)} lie outside the year "
                    f"{_fmt(year.first_week)}–{_fmt(year.last_week)} and are not shown.",
                    data={"year_of_study": year.year_of_study, "weeks": tuple(outside)},
                )
            )
    starts = [_monday(block.first_week) for block in year.blocks]
    if starts != sorted(starts):
        warnings.append(
            Reason(
                "alternation.blocks_unordered",
                fr=f"Année {year.year_of_study} : les blocs ne sont pas dans l'ordre du "
                "calendrier ; ils sont triés pour le tableau.",
                en=f"Year {year.year_of_study}: the blocks are not in calendar order; they "
                "are sorted for the table.",
                data={"year_of_study": year.year_of_study},
            )
        )
    return tuple(warnings)


# --- The table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekCell:
    """One week of one year of study: its kind (None: in no block) and its running number."""

    week: IsoWeek
    kind: PeriodKind | None
    number: int | None  # 1.. within the kind; None for defence weeks and empty weeks

    def text(self, language: str = "fr") -> str:
        """The cell as annex 3 prints it: "7", "Soutenances" or ""."""
        if self.kind is PeriodKind.DEFENCE:
            return in_language(language, DEFENCE_LABEL_FR, DEFENCE_LABEL_EN)
        return "" if self.number is None else str(self.number)


@dataclass(frozen=True)
class TableRow:
    """One row of the annex-3 table: a week and one cell per year of study."""

    week: IsoWeek
    cells: tuple[WeekCell, ...]  # in the order of ``years_of_study`` given to the table

    def texts(self, language: str = "fr") -> tuple[str, ...]:
        return tuple(cell.text(language) for cell in self.cells)


def year_table(year: AlternationYear) -> tuple[WeekCell, ...]:
    """One cell per ISO week of the year, numbered within its kind in week order (R8.1)."""
    validate_blocks(year)  # raises for overlaps; warnings do not stop the table
    kind_of: dict[IsoWeek, PeriodKind] = {}
    for block in year.blocks:
        for week in weeks_between(block.first_week, block.last_week):
            kind_of[week] = block.kind
    counters = {PeriodKind.SCHOOL: 0, PeriodKind.COMPANY: 0}
    cells: list[WeekCell] = []
    for week in weeks_between(year.first_week, year.last_week):
        kind = kind_of.get(week)
        number: int | None = None
        if kind is PeriodKind.SCHOOL or kind is PeriodKind.COMPANY:
            counters[kind] += 1
            number = counters[kind]
        cells.append(WeekCell(week=week, kind=kind, number=number))
    return tuple(cells)


def academic_year_table(years: Sequence[AlternationYear]) -> tuple[TableRow, ...]:
    """The annex-3 table: one row per ISO week, one column per year of study (1, 2, 3...).

    The years must belong to one academic year and be distinct years of study; columns come
    in year-of-study order. Rows cover every week from the earliest first week to the latest
    last week; a year's cell is empty for a week outside its own range.
    """
    if not years:
        return ()
    ordered = sorted(years, key=lambda y: y.year_of_study)
    academic_years = {y.academic_year for y in ordered}
    if len(academic_years) != 1:
        raise RulesError(
            Reason(
                "alternation.mixed_academic_years",
                fr="Un tableau d'alternance ne couvre qu'une année scolaire ; reçu : "
                + ", ".join(sorted(academic_years))
                + ".",
                en="An alternation table covers one academic year only; got: "
                + ", ".join(sorted(academic_years))
                + ".",
                data={"academic_years": tuple(sorted(academic_years))},
            )
        )
    studies = [y.year_of_study for y in ordered]
    if len(set(studies)) != len(studies):
        raise RulesError(
            Reason(
                "alternation.duplicate_year_of_study",
                fr="Chaque année d'études ne doit apparaître qu'une fois dans le tableau.",
                en="Each year of study must appear once only in the table.",
                data={"years_of_study": tuple(studies)},
            )
        )
    first = min((y.first_week for y in ordered), key=_monday)
    last = max((y.last_week for y in ordered), key=_monday)
    by_week = [{cell.week: cell for cell in year_table(y)} for y in ordered]
    return tuple(
        TableRow(
            week=week,
            cells=tuple(
                cells.get(week, WeekCell(week=week, kind=None, number=None)) for cells in by_week
            ),
        )
        for week in weeks_between(first, last)
    )


def period_count(year: AlternationYear, kind: PeriodKind) -> int:
    """How many periods (runs of consecutive weeks) of ``kind`` the year has (R8.1).

    Adjacent blocks of the same kind form one period: a company period across the new year
    may be written as two blocks. 2021-2022: 1st year 6 school periods, 3rd year 2.
    """
    count = 0
    previous: PeriodKind | None = None
    for cell in year_table(year):
        if cell.kind is kind and previous is not kind:
            count += 1
        previous = cell.kind
    return count


# --- Hours ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoursReport:
    """The yearly hours of one year of study against the targets of R8.1, with reasons."""

    year_of_study: int
    school_weeks: int
    company_weeks: int
    defence_weeks: int
    school_hours: int
    company_hours: int  # company weeks minus paid leave, in hours
    school_ok: bool
    company_ok: bool
    reasons: tuple[Reason, ...]  # one per check, whether it passes or not

    @property
    def ok(self) -> bool:
        return self.school_ok and self.company_ok


def _within(actual: int, target: int, tolerance_percent: int) -> bool:
    # Integer arithmetic: |actual - target| <= target * tolerance / 100, no float rounding.
    return abs(actual - target) * 100 <= target * tolerance_percent


def hours_check(year: AlternationYear, hours: AlternationHours) -> HoursReport:
    """Check about 600 h of school and about 1000 h in the company in a year (R8.1).

    School hours are school weeks x hours per week. Company hours are company weeks x hours
    per week minus the paid leave (5 weeks in 2021), which is taken in company weeks (the
    notice: 35 h a week, 5 weeks of paid leave). Defence weeks count in neither. "About" is
    ``tolerance_percent`` either side of the target.
    """
    cells = year_table(year)
    school_weeks = sum(1 for c in cells if c.kind is PeriodKind.SCHOOL)
    company_weeks = sum(1 for c in cells if c.kind is PeriodKind.COMPANY)
    defence_weeks = sum(1 for c in cells if c.kind is PeriodKind.DEFENCE)
    school_hours = school_weeks * hours.hours_per_week
    company_hours = (company_weeks - hours.paid_leave_weeks) * hours.hours_per_week
    school_ok = _within(school_hours, hours.school_hours_target, hours.tolerance_percent)
    company_ok = _within(company_hours, hours.company_hours_target, hours.tolerance_percent)
    n = year.year_of_study
    tol = hours.tolerance_percent
    school_reason = Reason(
        "alternation.school_hours_ok" if school_ok else "alternation.school_hours_off",
        fr=f"Année {n} : {school_weeks} semaines d'école x {hours.hours_per_week} h = "
        f"{school_hours} h, pour un objectif d'environ {hours.school_hours_target} h "
        f"(± {tol} %) : {'conforme' if school_ok else 'hors tolérance'}.",
        en=f"Year {n}: {school_weeks} school weeks x {hours.hours_per_week} h = "
        f"{school_hours} h, against a target of about {hours.school_hours_target} h "
        f"(± {tol}%): {'within tolerance' if school_ok else 'out of tolerance'}.",
        data={"hours": school_hours, "target": hours.school_hours_target, "weeks": school_weeks},
    )
    company_reason = Reason(
        "alternation.company_hours_ok" if company_ok else "alternation.company_hours_off",
        fr=f"Année {n} : ({company_weeks} semaines en entreprise - {hours.paid_leave_weeks} "
        f"semaines de congés payés) x {hours.hours_per_week} h = {company_hours} h, pour un "
        f"objectif d'environ {hours.company_hours_target} h (± {tol} %) : "
        f"{'conforme' if company_ok else 'hors tolérance'}.",
        en=f"Year {n}: ({company_weeks} company weeks - {hours.paid_leave_weeks} weeks of paid "
        f"leave) x {hours.hours_per_week} h = {company_hours} h, against a target of about "
        f"{hours.company_hours_target} h (± {tol}%): "
        f"{'within tolerance' if company_ok else 'out of tolerance'}.",
        data={
            "hours": company_hours,
            "target": hours.company_hours_target,
            "weeks": company_weeks,
        },
    )
    return HoursReport(
        year_of_study=n,
        school_weeks=school_weeks,
        company_weeks=company_weeks,
        defence_weeks=defence_weeks,
        school_hours=school_hours,
        company_hours=company_hours,
        school_ok=school_ok,
        company_ok=company_ok,
        reasons=(school_reason, company_reason),
    )
