"""The alternation calendar (R8.1): annex 3 of the 2021 notice, cell for cell, and the hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admissions.rules.alternation import (
    academic_year_table,
    hours_check,
    iso_weeks_in_year,
    period_count,
    validate_blocks,
    week_dates,
    weeks_between,
    year_table,
)
from admissions.rules.explain import RulesError
from admissions.rules.params import AlternationBlock, AlternationYear, PeriodKind

from .annex3 import ANNEX3_2021_ROWS, ANNEX3_2021_YEARS, HOURS_2021, YEAR_1, YEAR_2, YEAR_3

SCHOOL, COMPANY, DEFENCE = PeriodKind.SCHOOL, PeriodKind.COMPANY, PeriodKind.DEFENCE


def _year(*blocks: AlternationBlock, first=(2021, 40), last=(2022, 39), n=1) -> AlternationYear:
    return AlternationYear(
        academic_year="2021-2022", year_of_study=n, first_week=first, last_week=last, blocks=blocks
    )


# --- ISO weeks --------------------------------------------------------------------------------


def test_weeks_between_crosses_the_new_year():
    weeks = weeks_between((2021, 51), (2022, 2))

    assert weeks == ((2021, 51), (2021, 52), (2022, 1), (2022, 2))


def test_weeks_between_includes_week_53_of_a_long_iso_year():
    weeks = weeks_between((2020, 52), (2021, 1))

    assert weeks == ((2020, 52), (2020, 53), (2021, 1))


def test_weeks_between_covers_the_2021_2022_year_in_52_weeks():
    assert len(weeks_between((2021, 40), (2022, 39))) == 52


def test_weeks_between_single_week():
    assert weeks_between((2021, 40), (2021, 40)) == ((2021, 40),)


def test_weeks_between_refuses_reversed_bounds():
    with pytest.raises(RulesError) as error:
        weeks_between((2022, 1), (2021, 52))

    assert error.value.reason.code == "alternation.weeks_reversed"


def test_weeks_between_refuses_week_53_of_a_52_week_year():
    with pytest.raises(RulesError) as error:
        weeks_between((2021, 53), (2022, 2))

    assert error.value.reason.code == "alternation.invalid_week"


@pytest.mark.parametrize(("year", "weeks"), [(2020, 53), (2021, 52), (2022, 52), (2026, 53)])
def test_iso_weeks_in_year(year, weeks):
    assert iso_weeks_in_year(year) == weeks


def test_week_dates_first_week_of_training():
    # Training starts on Monday 4 October 2021 (R1.2): ISO week 2021-W40.
    assert week_dates(2021, 40) == (date(2021, 10, 4), date(2021, 10, 10))


def test_week_dates_week_53_spans_the_new_year():
    assert week_dates(2020, 53) == (date(2020, 12, 28), date(2021, 1, 3))


def test_week_dates_week_1_may_start_in_december():
    assert week_dates(2025, 1) == (date(2024, 12, 30), date(2025, 1, 5))


# --- Annex 3, cell for cell ---------------------------------------------------------------------


def test_annex3_has_52_printed_rows():
    assert len(ANNEX3_2021_ROWS) == 52


def test_academic_year_table_reproduces_annex3_cell_for_cell():
    rows = academic_year_table(ANNEX3_2021_YEARS)

    computed = [(row.week[1], *row.texts("fr")) for row in rows]
    assert computed == list(ANNEX3_2021_ROWS)


def test_academic_year_table_rows_are_iso_weeks_from_2021_w40_to_2022_w39():
    rows = academic_year_table(ANNEX3_2021_YEARS)

    assert rows[0].week == (2021, 40)
    assert rows[12].week == (2021, 52)
    assert rows[13].week == (2022, 1)
    assert rows[-1].week == (2022, 39)


def test_academic_year_table_orders_columns_by_year_of_study():
    rows = academic_year_table((YEAR_3, YEAR_1, YEAR_2))

    assert rows == academic_year_table(ANNEX3_2021_YEARS)


def test_academic_year_table_kinds_of_week_45():
    # Week 45 prints "1", "6", "6": school for the 1st year, company for the 2nd, school for the 3rd.
    row = academic_year_table(ANNEX3_2021_YEARS)[5]

    assert [cell.kind for cell in row.cells] == [SCHOOL, COMPANY, SCHOOL]


def test_defence_cells_have_no_number_and_english_label():
    row = academic_year_table(ANNEX3_2021_YEARS)[-3]  # 2022-W37

    assert row.cells[2].number is None
    assert row.cells[2].kind is DEFENCE
    assert row.texts("en")[2] == "Defences"


def test_week_in_no_block_is_empty():
    cell = year_table(YEAR_3)[-1]  # 2022-W39

    assert (cell.week, cell.kind, cell.number, cell.text()) == ((2022, 39), None, None, "")


def test_academic_year_table_refuses_two_academic_years():
    other = replace(YEAR_2, academic_year="2022-2023")

    with pytest.raises(RulesError) as error:
        academic_year_table((YEAR_1, other))

    assert error.value.reason.code == "alternation.mixed_academic_years"


def test_academic_year_table_refuses_a_year_of_study_twice():
    with pytest.raises(RulesError) as error:
        academic_year_table((YEAR_1, YEAR_1))

    assert error.value.reason.code == "alternation.duplicate_year_of_study"


def test_academic_year_table_of_nothing_is_empty():
    assert academic_year_table(()) == ()


def test_academic_year_table_leaves_weeks_outside_a_shorter_year_empty():
    short = _year(_block(SCHOOL, (2021, 40), (2021, 41)), last=(2021, 41), n=2)

    rows = academic_year_table((YEAR_1, short))

    assert len(rows) == 52
    assert rows[2].texts() == ("3", "")


# --- Periods and hours --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "school", "company"), [(YEAR_1, 6, 6), (YEAR_2, 4, 4), (YEAR_3, 2, 2)]
)
def test_period_count_2021(year, school, company):
    assert period_count(year, SCHOOL) == school
    assert period_count(year, COMPANY) == company


def test_period_count_merges_adjacent_blocks_of_one_kind():
    year = _year(
        _block(COMPANY, (2021, 40), (2021, 52)),
        _block(COMPANY, (2022, 1), (2022, 5)),
        _block(SCHOOL, (2022, 6), (2022, 8)),
    )

    assert period_count(year, COMPANY) == 1


def test_period_count_defence_weeks_of_year_3():
    assert period_count(YEAR_3, DEFENCE) == 1


@pytest.mark.parametrize(
    ("year", "school_h", "company_h"),
    [(YEAR_1, 595, 1050), (YEAR_2, 595, 1050), (YEAR_3, 595, 945)],
)
def test_hours_check_passes_for_2021(year, school_h, company_h):
    report = hours_check(year, HOURS_2021)

    assert (report.school_hours, report.company_hours) == (school_h, company_h)
    assert report.ok is True
    assert [r.code for r in report.reasons] == [
        "alternation.school_hours_ok",
        "alternation.company_hours_ok",
    ]


def test_hours_check_counts_weeks_of_year_3():
    report = hours_check(YEAR_3, HOURS_2021)

    assert (report.school_weeks, report.company_weeks, report.defence_weeks) == (17, 32, 2)


def test_hours_check_fails_when_school_weeks_replace_company_weeks():
    # A broken 1st year: the last company period (W27-W35) turned into school.
    broken = replace(
        YEAR_1,
        blocks=tuple(
            replace(b, kind=SCHOOL) if b.first_week == (2022, 27) else b for b in YEAR_1.blocks
        ),
    )

    report = hours_check(broken, HOURS_2021)

    assert report.ok is False
    assert (report.school_hours, report.company_hours) == (910, 735)
    assert [r.code for r in report.reasons] == [
        "alternation.school_hours_off",
        "alternation.company_hours_off",
    ]
    assert "910 h" in report.reasons[0].fr
    assert "910 h" in report.reasons[0].en


def test_hours_check_tolerance_bounds_are_inclusive():
    # 600 h +/- 10 %: 15 school weeks at 36 h (540 h) pass, at 35 h (525 h) they do not.
    hours = replace(HOURS_2021, hours_per_week=36)
    fifteen = _year(_block(SCHOOL, (2021, 1), (2021, 15)), first=(2021, 1), last=(2021, 52))

    assert hours_check(fifteen, hours).school_hours == 540
    assert hours_check(fifteen, hours).school_ok is True
    assert hours_check(fifteen, HOURS_2021).school_ok is False  # 525 h


# --- Validation ---------------------------------------------------------------------------------


def test_validate_blocks_accepts_the_2021_years():
    for year in ANNEX3_2021_YEARS:
        assert validate_blocks(year) == ()


def test_validate_blocks_refuses_overlapping_blocks():
    year = _year(_block(SCHOOL, (2021, 40), (2021, 45)), _block(COMPANY, (2021, 45), (2021, 50)))

    with pytest.raises(RulesError) as error:
        validate_blocks(year)

    assert error.value.reason.code == "alternation.blocks_overlap"
    assert error.value.reason.data["week"] == (2021, 45)
    assert "2021-W45" in error.value.reason.fr


def test_year_table_refuses_overlapping_blocks():
    year = _year(_block(SCHOOL, (2021, 40), (2021, 45)), _block(COMPANY, (2021, 41), (2021, 42)))

    with pytest.raises(RulesError):
        year_table(year)


def test_validate_blocks_warns_about_weeks_outside_the_year():
    year = _year(_block(SCHOOL, (2021, 38), (2021, 41)))

    reasons = validate_blocks(year)

    assert [r.code for r in reasons] == ["alternation.block_outside_year"]
    assert reasons[0].data["weeks"] == ((2021, 38), (2021, 39))
    assert year_table(year)[0].number == 1  # weeks outside the year are neither shown nor counted


def test_validate_blocks_warns_about_unordered_blocks():
    year = _year(_block(COMPANY, (2021, 45), (2021, 46)), _block(SCHOOL, (2021, 40), (2021, 44)))

    assert [r.code for r in validate_blocks(year)] == ["alternation.blocks_unordered"]
    assert [c.text() for c in year_table(year)[:7]] == ["1", "2", "3", "4", "5", "1", "2"]


def test_validate_blocks_refuses_a_reversed_block():
    year = _year(_block(SCHOOL, (2021, 45), (2021, 40)))

    with pytest.raises(RulesError) as error:
        validate_blocks(year)

    assert error.value.reason.code == "alternation.weeks_reversed"


def test_validate_blocks_refuses_an_invalid_week():
    year = _year(_block(SCHOOL, (2021, 53), (2021, 53)))

    with pytest.raises(RulesError) as error:
        validate_blocks(year)

    assert error.value.reason.code == "alternation.invalid_week"


def test_year_table_across_a_53_week_year():
    year = AlternationYear(
        academic_year="2026-2027",
        year_of_study=1,
        first_week=(2026, 52),
        last_week=(2027, 2),
        blocks=(_block(COMPANY, (2026, 52), (2027, 2)),),
    )

    cells = year_table(year)

    assert [(c.week, c.number) for c in cells] == [
        ((2026, 52), 1),
        ((2026, 53), 2),
        ((2027, 1), 3),
        ((2027, 2), 4),
    ]


# --- Properties ---------------------------------------------------------------------------------


def _block(kind: PeriodKind, first: tuple[int, int], last: tuple[int, int]) -> AlternationBlock:
    return AlternationBlock(kind=kind, first_week=first, last_week=last)


@st.composite
def alternation_years(draw) -> AlternationYear:
    """A year of 1 to 120 weeks starting anywhere in 2015-2032, cut into runs of random kinds.

    A run of kind None is a gap (weeks in no block). Blocks never overlap.
    """
    start_year = draw(st.integers(2015, 2032))
    start = (start_year, draw(st.integers(1, iso_weeks_in_year(start_year))))
    length = draw(st.integers(1, 120))
    last_monday = week_dates(*start)[0] + timedelta(weeks=length - 1)
    weeks = weeks_between(start, tuple(last_monday.isocalendar())[:2])
    kinds = st.sampled_from([SCHOOL, COMPANY, DEFENCE, None])
    blocks: list[AlternationBlock] = []
    i = 0
    while i < len(weeks):
        run = draw(st.integers(1, 12))
        kind = draw(kinds)
        chunk = weeks[i : i + run]
        if kind is not None:
            blocks.append(_block(kind, chunk[0], chunk[-1]))
        i += run
    if draw(st.booleans()):
        blocks.reverse()
    return AlternationYear(
        academic_year="x", year_of_study=1, first_week=weeks[0], last_week=weeks[-1],
        blocks=tuple(blocks),
    )  # fmt: skip


@given(alternation_years())
def test_every_week_in_range_gets_exactly_one_cell(year):
    cells = year_table(year)

    assert [c.week for c in cells] == list(weeks_between(year.first_week, year.last_week))


@given(alternation_years())
def test_numbers_within_a_kind_are_consecutive_from_one(year):
    cells = year_table(year)

    for kind in (SCHOOL, COMPANY):
        assert [c.number for c in cells if c.kind is kind] == list(
            range(1, 1 + sum(1 for c in cells if c.kind is kind))
        )
    assert all(c.number is None for c in cells if c.kind in (DEFENCE, None))


@given(alternation_years())
def test_cell_kind_matches_its_block(year):
    kind_of = {
        week: block.kind
        for block in year.blocks
        for week in weeks_between(block.first_week, block.last_week)
    }

    assert all(cell.kind is kind_of.get(cell.week) for cell in year_table(year))


@given(alternation_years())
def test_hours_are_weeks_times_hours_per_week(year):
    report = hours_check(year, HOURS_2021)

    assert report.school_hours == report.school_weeks * 35
    assert report.company_hours == (report.company_weeks - 5) * 35
    assert report.school_weeks + report.company_weeks + report.defence_weeks <= len(
        year_table(year)
    )
