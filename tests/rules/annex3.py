"""Annex 3 of the 2021 notice: the alternation table for 2021-2022, as printed (R8.1).

``ANNEX3_2021_ROWS`` is copied from the notice text (``seed/notice-alternance-2021.txt``,
"Annexe 3 : planning général des alternance école/entreprise"): the ISO week, then the cells of
the 1st, 2nd and 3rd years exactly as printed ("Soutenances" and the empty cell included).
Weeks 40 to 52 are in ISO year 2021, weeks 1 to 39 in ISO year 2022 (2021 has 52 ISO weeks).

``ANNEX3_2021_YEARS`` is the same calendar written as blocks, the way a campaign file gives it.
The printed numbers give the kinds: a number that restarts at 1 starts the other kind, and a
number that continues an earlier run resumes that run. Which run is school and which is company
comes from the hours: 17 school weeks x 35 h = 595 h (about 600 h), and the 3rd year starts
at school. The test compares the table computed from the blocks with the rows, cell for cell.

Test data only: the reference campaign's own file carries these blocks for the platform.
"""

from __future__ import annotations

from admissions.rules.params import (
    AlternationBlock,
    AlternationHours,
    AlternationYear,
    PeriodKind,
)

SCHOOL, COMPANY, DEFENCE = PeriodKind.SCHOOL, PeriodKind.COMPANY, PeriodKind.DEFENCE

# (week, 1st year, 2nd year, 3rd year), 52 rows from 2021-W40 to 2022-W39.
ANNEX3_2021_ROWS: tuple[tuple[int, str, str, str], ...] = (
    (40, "1", "1", "1"),
    (41, "2", "2", "2"),
    (42, "3", "3", "3"),
    (43, "4", "4", "4"),
    (44, "5", "5", "5"),
    (45, "1", "6", "6"),
    (46, "2", "7", "1"),
    (47, "6", "1", "2"),
    (48, "7", "2", "3"),
    (49, "8", "8", "4"),
    (50, "9", "9", "5"),
    (51, "10", "10", "6"),
    (52, "11", "11", "7"),
    (1, "3", "12", "8"),
    (2, "4", "13", "9"),
    (3, "5", "14", "10"),
    (4, "12", "15", "11"),
    (5, "13", "16", "12"),
    (6, "14", "3", "7"),
    (7, "15", "4", "8"),
    (8, "16", "5", "9"),
    (9, "17", "6", "10"),
    (10, "18", "7", "11"),
    (11, "6", "8", "12"),
    (12, "7", "17", "13"),
    (13, "8", "18", "14"),
    (14, "19", "19", "15"),
    (15, "20", "20", "16"),
    (16, "21", "21", "17"),
    (17, "22", "22", "13"),
    (18, "23", "23", "14"),
    (19, "9", "24", "15"),
    (20, "10", "25", "16"),
    (21, "11", "26", "17"),
    (22, "24", "9", "18"),
    (23, "25", "10", "19"),
    (24, "26", "11", "20"),
    (25, "12", "12", "21"),
    (26, "13", "13", "22"),
    (27, "27", "27", "23"),
    (28, "28", "28", "24"),
    (29, "29", "29", "25"),
    (30, "30", "30", "26"),
    (31, "31", "31", "27"),
    (32, "32", "32", "28"),
    (33, "33", "33", "29"),
    (34, "34", "34", "30"),
    (35, "35", "35", "31"),
    (36, "14", "14", "32"),
    (37, "15", "15", "Soutenances"),
    (38, "16", "16", "Soutenances"),
    (39, "17", "17", ""),
)


def _block(kind: PeriodKind, first: tuple[int, int], last: tuple[int, int]) -> AlternationBlock:
    return AlternationBlock(kind=kind, first_week=first, last_week=last)


def _year(year_of_study: int, *blocks: AlternationBlock) -> AlternationYear:
    return AlternationYear(
        academic_year="2021-2022",
        year_of_study=year_of_study,
        first_week=(2021, 40),
        last_week=(2022, 39),
        blocks=blocks,
    )


# 1st year: 6 school periods, 17 school weeks, 35 company weeks.
YEAR_1 = _year(
    1,
    _block(COMPANY, (2021, 40), (2021, 44)),  # 1-5
    _block(SCHOOL, (2021, 45), (2021, 46)),  # 1-2
    _block(COMPANY, (2021, 47), (2021, 52)),  # 6-11
    _block(SCHOOL, (2022, 1), (2022, 3)),  # 3-5
    _block(COMPANY, (2022, 4), (2022, 10)),  # 12-18
    _block(SCHOOL, (2022, 11), (2022, 13)),  # 6-8
    _block(COMPANY, (2022, 14), (2022, 18)),  # 19-23
    _block(SCHOOL, (2022, 19), (2022, 21)),  # 9-11
    _block(COMPANY, (2022, 22), (2022, 24)),  # 24-26
    _block(SCHOOL, (2022, 25), (2022, 26)),  # 12-13
    _block(COMPANY, (2022, 27), (2022, 35)),  # 27-35
    _block(SCHOOL, (2022, 36), (2022, 39)),  # 14-17
)

# 2nd year: 4 school periods, 17 school weeks, 35 company weeks.
YEAR_2 = _year(
    2,
    _block(COMPANY, (2021, 40), (2021, 46)),  # 1-7
    _block(SCHOOL, (2021, 47), (2021, 48)),  # 1-2
    _block(COMPANY, (2021, 49), (2022, 5)),  # 8-16, across the new year
    _block(SCHOOL, (2022, 6), (2022, 11)),  # 3-8
    _block(COMPANY, (2022, 12), (2022, 21)),  # 17-26
    _block(SCHOOL, (2022, 22), (2022, 26)),  # 9-13
    _block(COMPANY, (2022, 27), (2022, 35)),  # 27-35
    _block(SCHOOL, (2022, 36), (2022, 39)),  # 14-17
)

# 3rd year: 2 school periods, 17 school weeks, 32 company weeks, 2 defence weeks, W39 empty.
YEAR_3 = _year(
    3,
    _block(SCHOOL, (2021, 40), (2021, 45)),  # 1-6
    _block(COMPANY, (2021, 46), (2022, 5)),  # 1-12, across the new year
    _block(SCHOOL, (2022, 6), (2022, 16)),  # 7-17
    _block(COMPANY, (2022, 17), (2022, 36)),  # 13-32
    _block(DEFENCE, (2022, 37), (2022, 38)),  # "Soutenances"
)

ANNEX3_2021_YEARS: tuple[AlternationYear, ...] = (YEAR_1, YEAR_2, YEAR_3)

# The notice: 35 h a week, 5 weeks of paid leave, 600 h of school, about 1000 h in the company.
HOURS_2021 = AlternationHours(
    hours_per_week=35,
    paid_leave_weeks=5,
    school_hours_target=600,
    company_hours_target=1000,
    tolerance_percent=10,
)
