"""Exam grades and the outcome of phase 2 (R6.3).

Grades are out of ``ExamSpec.max_grade`` (20) with at most two decimals; a grade at or below
``eliminating_at_or_below`` (4) in either exam eliminates, and so does an absence. Whether an
eliminated-free candidate is admitted is the committee's decision (R6.4), so the outcome says
"not eliminated", never "admitted".
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .explain import Decision, Reason, RulesError
from .params import ExamSpec

HUNDREDTH = Decimal("0.01")


class OutcomeStatus(StrEnum):
    ELIMINATED = "eliminated"
    INCOMPLETE = "incomplete"  # a grade is still to be entered
    NOT_ELIMINATED = "not_eliminated"  # every grade entered, none eliminating


@dataclass(frozen=True)
class ExamLine:
    code: str
    name_fr: str
    name_en: str
    grade: Decimal | None
    max_grade: Decimal
    absent: bool = False


@dataclass(frozen=True)
class ExamOutcome:
    status: OutcomeStatus
    lines: tuple[ExamLine, ...]
    reasons: tuple[Reason, ...]
    total: Decimal | None = None  # only when every grade is entered
    max_total: Decimal | None = None
    average_out_of_20: Decimal | None = None  # mean of the grades scaled to 20, to the hundredth

    @property
    def eliminated(self) -> bool:
        return self.status is OutcomeStatus.ELIMINATED


def _fr(value: Decimal) -> str:
    """A number as French readers write it: 12,5 (no trailing zeros)."""
    return _en(value).replace(".", ",")


def _en(value: Decimal) -> str:
    return f"{value.normalize():f}"


def validate_grade(spec: ExamSpec, value: Decimal) -> Decision:
    """A grade the jury may enter: a number from 0 to the maximum, to the hundredth, in the
    exam's ``grade_step`` (R6.3)."""
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int):
        # A float cannot hold 4.01 exactly; the form must give a Decimal.
        raise RulesError(
            Reason(
                "grade.not_a_decimal",
                "La note doit être un nombre décimal.",
                "The grade must be a decimal number.",
                {"value": repr(value)},
            )
        )
    grade = Decimal(value)
    maximum = spec.max_grade
    if not grade.is_finite():
        return Decision.refuse(
            Reason(
                "grade.not_a_number",
                "La note doit être un nombre.",
                "The grade must be a number.",
                {"exam": spec.code},
            )
        )
    if grade < 0:
        return Decision.refuse(
            Reason(
                "grade.negative",
                f"La note ({_fr(grade)}) ne peut pas être négative.",
                f"The grade ({_en(grade)}) cannot be negative.",
                {"exam": spec.code},
            )
        )
    if grade > maximum:
        return Decision.refuse(
            Reason(
                "grade.above_max",
                f"La note ({_fr(grade)}) ne peut pas dépasser {_fr(maximum)}.",
                f"The grade ({_en(grade)}) cannot be above {_en(maximum)}.",
                {"exam": spec.code, "max": maximum},
            )
        )
    if grade != grade.quantize(HUNDREDTH, rounding=ROUND_HALF_UP):
        return Decision.refuse(
            Reason(
                "grade.too_precise",
                f"La note ({grade}) a plus de deux décimales.",
                f"The grade ({grade}) has more than two decimals.",
                {"exam": spec.code},
            )
        )
    step = spec.grade_step
    if step > 0 and grade % step != 0:
        return Decision.refuse(
            Reason(
                "grade.off_step",
                f"La note ({_fr(grade)}) doit être un multiple de {_fr(step)} "
                f"(par exemple {_near_steps(grade, step, _fr)}).",
                f"The grade ({_en(grade)}) must be a multiple of {_en(step)} "
                f"(for example {_near_steps(grade, step, _en)}).",
                {"exam": spec.code, "step": step},
            )
        )
    return Decision.allow()


def _near_steps(grade: Decimal, step: Decimal, written: Callable[[Decimal], str]) -> str:
    """The two allowed grades around ``grade``, e.g. "12 / 12.5" for 12.3 in steps of 0.5."""
    below = (grade // step) * step
    return f"{written(below)} / {written(below + step)}"


def is_eliminating(spec: ExamSpec, grade: Decimal) -> bool:
    """R6.3: "une note inférieure ou égale à 4/20 ... est éliminatoire"."""
    return grade <= spec.eliminating_at_or_below


def exam_outcome(
    specs: Sequence[ExamSpec],
    grades: Mapping[str, Decimal | None],
    absent: Collection[str] = frozenset(),
) -> ExamOutcome:
    """The phase-2 outcome of one candidate (R6.3).

    Eliminated as soon as one grade is eliminating or one exam was missed, even if another grade
    is still to come; otherwise incomplete until every grade is entered.
    """
    codes = [spec.code for spec in specs]
    if len(set(codes)) != len(codes):
        raise RulesError(
            _data_error("grade.duplicate_exam", "Épreuve en double.", "Duplicate exam.")
        )
    unknown = (set(grades) | set(absent)) - set(codes)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise RulesError(
            _data_error(
                "grade.unknown_exam", f"Épreuve inconnue : {names}.", f"Unknown exam: {names}."
            )
        )
    both = {code for code in absent if grades.get(code) is not None}
    if both:
        names = ", ".join(sorted(both))
        raise RulesError(
            _data_error(
                "grade.absent_and_graded",
                f"Candidat noté et absent à la même épreuve : {names}.",
                f"Candidate both graded and absent in the same exam: {names}.",
            )
        )

    lines: list[ExamLine] = []
    eliminating: list[Reason] = []
    missing: list[Reason] = []
    for spec in specs:
        grade = grades.get(spec.code)
        if spec.code in absent:
            lines.append(
                ExamLine(spec.code, spec.name_fr, spec.name_en, None, spec.max_grade, True)
            )
            eliminating.append(
                Reason(
                    "exam.absent",
                    f"Absence à l'épreuve « {spec.name_fr} » : éliminatoire.",
                    f"Absent from the exam '{spec.name_en}': eliminating.",
                    {"exam": spec.code},
                )
            )
            continue
        lines.append(ExamLine(spec.code, spec.name_fr, spec.name_en, grade, spec.max_grade))
        if grade is None:
            missing.append(
                Reason(
                    "exam.grade_missing",
                    f"Note de l'épreuve « {spec.name_fr} » pas encore saisie.",
                    f"Grade for '{spec.name_en}' not entered yet.",
                    {"exam": spec.code},
                )
            )
            continue
        decision = validate_grade(spec, grade)
        if not decision.allowed:
            raise RulesError(decision.reasons[0])  # stored grades were validated on entry
        if is_eliminating(spec, grade):
            eliminating.append(
                Reason(
                    "exam.eliminating_grade",
                    f"Note de {_fr(grade)}/{_fr(spec.max_grade)} à l'épreuve « {spec.name_fr} » : une "
                    f"note inférieure ou égale à {_fr(spec.eliminating_at_or_below)} est "
                    "éliminatoire.",
                    f"Grade {_en(grade)}/{_en(spec.max_grade)} in '{spec.name_en}': a grade of "
                    f"{_en(spec.eliminating_at_or_below)} or less is eliminating.",
                    {"exam": spec.code, "grade": grade},
                )
            )

    if eliminating:
        return ExamOutcome(OutcomeStatus.ELIMINATED, tuple(lines), tuple(eliminating))
    if missing:
        return ExamOutcome(OutcomeStatus.INCOMPLETE, tuple(lines), tuple(missing))
    if not specs:
        raise RulesError(
            _data_error("grade.no_exam", "Aucune épreuve définie.", "No exam defined.")
        )

    total = sum((line.grade for line in lines if line.grade is not None), Decimal(0))
    max_total = sum((spec.max_grade for spec in specs), Decimal(0))
    scaled = sum(
        (line.grade * 20 / line.max_grade for line in lines if line.grade is not None), Decimal(0)
    )
    average = (scaled / len(lines)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return ExamOutcome(
        OutcomeStatus.NOT_ELIMINATED,
        tuple(lines),
        (
            Reason(
                "exam.not_eliminated",
                f"Aucune note éliminatoire : total {total}/{max_total}, moyenne {average}/20.",
                f"No eliminating grade: total {total}/{max_total}, average {average}/20.",
                {"total": total, "average": average},
            ),
        ),
        total=total,
        max_total=max_total,
        average_out_of_20=average,
    )


def _data_error(code: str, fr: str, en: str) -> Reason:
    return Reason(code, fr, en)
