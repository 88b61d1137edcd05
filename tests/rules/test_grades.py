"""Grades out of 20 and the phase-2 outcome (R6.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admissions.rules.explain import RulesError
from admissions.rules.grades import OutcomeStatus, exam_outcome, validate_grade
from tests.rules.reference import campaign_2021

SPECS = campaign_2021().exams
INTERVIEW, ENGLISH = SPECS


@pytest.mark.parametrize("value", ["0", "4", "4.01", "12.5", "19.75", "20", "20.00", "7.50"])
def test_valid_grades_are_accepted(value):
    assert validate_grade(INTERVIEW, Decimal(value)).allowed is True


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("-0.01", "grade.negative"),
        ("20.01", "grade.above_max"),
        ("21", "grade.above_max"),
        ("12.345", "grade.too_precise"),
        ("NaN", "grade.not_a_number"),
        ("Infinity", "grade.not_a_number"),
    ],
)
def test_invalid_grades_are_refused_with_a_reason(value, code):
    assert validate_grade(INTERVIEW, Decimal(value)).codes == (code,)


def test_float_grade_is_a_programming_error():
    with pytest.raises(RulesError):
        validate_grade(INTERVIEW, 4.01)


def test_grade_4_in_interview_eliminates():
    outcome = exam_outcome(SPECS, {"interview": Decimal("4"), "english": Decimal("15")})
    assert (outcome.status, [r.code for r in outcome.reasons]) == (
        OutcomeStatus.ELIMINATED,
        ["exam.eliminating_grade"],
    )
    assert "inférieure ou égale à 4" in outcome.reasons[0].fr


@pytest.mark.parametrize("grade", ["4.01", "4.25"])
def test_grade_just_above_4_does_not_eliminate(grade):
    outcome = exam_outcome(SPECS, {"interview": Decimal(grade), "english": Decimal("10")})
    assert outcome.status is OutcomeStatus.NOT_ELIMINATED


def test_grade_4_in_english_eliminates_too():
    outcome = exam_outcome(SPECS, {"interview": Decimal("18"), "english": Decimal("4.00")})
    assert outcome.eliminated is True


def test_absence_eliminates():
    outcome = exam_outcome(SPECS, {"interview": Decimal("15")}, absent={"english"})
    assert (outcome.status, [r.code for r in outcome.reasons]) == (
        OutcomeStatus.ELIMINATED,
        ["exam.absent"],
    )


def test_elimination_is_known_before_the_other_grade():
    outcome = exam_outcome(SPECS, {"interview": Decimal("3"), "english": None})
    assert outcome.status is OutcomeStatus.ELIMINATED


def test_missing_grade_is_incomplete():
    outcome = exam_outcome(SPECS, {"interview": Decimal("12")})
    assert (outcome.status, [r.code for r in outcome.reasons], outcome.total) == (
        OutcomeStatus.INCOMPLETE,
        ["exam.grade_missing"],
        None,
    )


def test_complete_outcome_gives_total_and_average():
    outcome = exam_outcome(SPECS, {"interview": Decimal("14.5"), "english": Decimal("11.25")})
    assert (outcome.total, outcome.max_total, outcome.average_out_of_20) == (
        Decimal("25.75"),
        Decimal("40"),
        Decimal("12.88"),
    )


def test_unknown_exam_code_is_a_rules_error():
    with pytest.raises(RulesError):
        exam_outcome(SPECS, {"maths": Decimal("12")})


def test_graded_and_absent_is_a_rules_error():
    with pytest.raises(RulesError):
        exam_outcome(SPECS, {"english": Decimal("12")}, absent={"english"})


def test_stored_invalid_grade_is_a_rules_error():
    with pytest.raises(RulesError):
        exam_outcome(SPECS, {"interview": Decimal("25"), "english": Decimal("12")})


grades = st.decimals(min_value=0, max_value=20, places=2)


@given(grades, grades)
def test_eliminated_exactly_when_a_grade_is_4_or_less(interview, english):
    outcome = exam_outcome(SPECS, {"interview": interview, "english": english})
    assert outcome.eliminated == (interview <= 4 or english <= 4)


@given(grades, grades)
def test_average_lies_between_the_grades(interview, english):
    outcome = exam_outcome(SPECS, {"interview": interview, "english": english})
    if not outcome.eliminated:
        assert min(interview, english) <= outcome.average_out_of_20 <= max(interview, english)


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_validate_grade_accepts_exactly_hundredths_from_0_to_20(value):
    accepted = validate_grade(INTERVIEW, value).allowed
    expected = value.is_finite() and 0 <= value <= 20 and value == value.quantize(Decimal("0.01"))
    assert accepted == expected
