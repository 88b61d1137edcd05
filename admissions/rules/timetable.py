"""The timetable of an exam day (R6.2, R10.4), built with OR-Tools CP-SAT.

Each booked candidate sits two oral exams the same day: an interview with a jury (30 minutes)
and an English exam with an examiner (15 minutes), in either order, never at the same time and
with a minimum gap between them. Every exam lies inside its jury's or examiner's availability,
inside the day's opening hours and outside every break (the day's, and the jury's or examiner's
own). An approved accommodation (R10.4) lengthens that candidate's slots by its extra minutes
per exam. Slots start on a grid (every 5 minutes from the opening) except those staff fixed by
hand, which are kept as they are.

Times are whole minutes from the day's local midnight (wall time, ``9 * 60`` is 9:00), so this
module needs no time zone: the service converts with ``rules.clock.at(day, tz, wall_time(m))``.
A span is half-open: ``Span(540, 570)`` is 9:00-9:30, and the next slot may start at 9:30.

Identifiers (candidates, juries, examiners) are strings shown in the reasons as they are: pass
what staff read (a dossier reference, a jury's name).

``build_timetable`` answers either a schedule or, when there is none, reasons in staff terms:
- before the solver, the capacity: the candidates' minutes of interview against the juries'
  available minutes (and the same for English), then the number of slots those hours hold,
  then any candidate whose exam is longer than every available stretch, then slots fixed by
  hand that already conflict;
- CP-SAT proving that no timetable exists although the capacity suffices (the figures are
  given, and whether the slots fixed by hand are the cause);
- the time limit reached with no timetable found (not a proof that none exists).

Objective (the platform's choice). Lexicographic in effect, as one weighted sum:
1. finish the day early: the end of the last exam (staff and examiners go home early; slack
   stays at the end of the day, where late arrivals and hand adjustments can use it);
2. then keep each candidate's day short: the sum, per candidate, of the end of their last exam
   and of the time between their two exams, which packs the exams to the morning (so the
   juries' and examiners' idle time between two exams is small) and spares candidates a long
   wait on the videoconference.
The juries' load is balanced by the first term: an early end needs every jury busy. The search
is deterministic: one worker (the machine's 2 cores are shared), a fixed seed, a deterministic
time budget equal to the time limit; the wall-clock limit only guards a loaded machine.
"""

from __future__ import annotations

import time as monotonic_time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum

from ortools.sat.python import cp_model

from .clock import format_time
from .explain import Reason, RulesError
from .language import ENGLISH, FRENCH
from .params import ExamSpec

MINUTES_PER_DAY = 24 * 60
DEFAULT_TIME_LIMIT_SECONDS = 10.0
IMPROVEMENT_EFFORT = 0.1  # CP-SAT's deterministic time spent improving a complete start
RANDOM_SEED = 20210329  # the first exam day of the reference campaign; any fixed value will do


class Exam(StrEnum):
    INTERVIEW = "interview"  # with a jury, 30 minutes
    ENGLISH = "english"  # with an examiner, 15 minutes


class Outcome(StrEnum):
    SOLVED = "solved"
    INFEASIBLE = "infeasible"  # proved: before the solver (capacity) or by it
    TIME_LIMIT = "time_limit"  # no timetable found in time, none proved impossible either


def _invalid(code: str, fr: str, en: str, **data: object) -> RulesError:
    return RulesError(Reason(f"timetable.{code}", fr, en, dict(data)))


@dataclass(frozen=True, order=True)
class Span:
    """``[start, end)`` in minutes from the day's local midnight."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= MINUTES_PER_DAY:
            raise _invalid(
                "invalid_span",
                f"Plage horaire invalide : {self.start}-{self.end} minutes.",
                f"Invalid time span: {self.start}-{self.end} minutes.",
                start=self.start,
                end=self.end,
            )

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def text(self, language: str = FRENCH) -> str:
        return f"{clock_text(self.start, language)}-{clock_text(self.end, language)}"


def wall_time(minutes: int) -> time:
    """9:30 for 570; 24:00 (the end of the day) is not a wall time."""
    return time(minutes // 60, minutes % 60)


def minutes_of(wall: time) -> int:
    """570 for 9:30: the minutes from midnight of a wall time (seconds are ignored)."""
    return wall.hour * 60 + wall.minute


def clock_text(minutes: int, language: str = FRENCH) -> str:
    """``9 h 30`` / ``09:30``, through ``rules.clock.format_time`` (midnight at the end: 24 h)."""
    if minutes >= MINUTES_PER_DAY:
        return "24:00" if language.startswith(ENGLISH) else "24 h"
    return format_time(wall_time(minutes), language)


@dataclass(frozen=True)
class Assessor:
    """A jury (interview) or an English examiner, with their availability and own breaks."""

    id: str
    available: tuple[Span, ...]
    breaks: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Placement:
    """A slot kept from a hand adjustment: its start and its jury or examiner."""

    start: int
    assessor: str


@dataclass(frozen=True)
class BookedCandidate:
    """A candidate booked on the day; extra minutes come from an approved accommodation."""

    id: str
    interview_extra: int = 0
    english_extra: int = 0
    interview_fixed: Placement | None = None
    english_fixed: Placement | None = None

    def extra_minutes(self, exam: Exam) -> int:
        return self.interview_extra if exam is Exam.INTERVIEW else self.english_extra

    def fixed(self, exam: Exam) -> Placement | None:
        return self.interview_fixed if exam is Exam.INTERVIEW else self.english_fixed


@dataclass(frozen=True)
class ExamDay:
    """Everything the timetable of one day depends on."""

    day: date
    opening: Span  # the day's opening hours: no exam starts before or ends after
    juries: tuple[Assessor, ...]
    examiners: tuple[Assessor, ...]
    candidates: tuple[BookedCandidate, ...]
    breaks: tuple[Span, ...] = ()  # breaks for everyone (lunch)
    interview_minutes: int = 30  # ExamSpec "interview" (notice, annex 1)
    english_minutes: int = 15  # ExamSpec "english"
    gap_minutes: int = 15  # at least this long between a candidate's two exams
    granularity: int = 5  # slots start every 5 minutes from the opening

    def __post_init__(self) -> None:
        if self.interview_minutes <= 0 or self.english_minutes <= 0:
            raise _invalid(
                "invalid_duration",
                "La durée d'une épreuve doit être positive.",
                "An exam's duration must be positive.",
            )
        if self.gap_minutes < 0 or self.granularity <= 0:
            raise _invalid(
                "invalid_parameters",
                "L'écart entre épreuves doit être positif ou nul et le pas des créneaux positif.",
                "The gap between exams must be zero or more and the slot step positive.",
            )
        for kind, people in (("jury", self.juries), ("examiner", self.examiners)):
            _require_unique((person.id for person in people), kind)
        _require_unique((candidate.id for candidate in self.candidates), "candidate")
        for candidate in self.candidates:
            if candidate.interview_extra < 0 or candidate.english_extra < 0:
                raise _invalid(
                    "negative_extra_time",
                    f"Temps supplémentaire négatif pour {candidate.id}.",
                    f"Negative extra time for {candidate.id}.",
                    candidate=candidate.id,
                )

    def assessors(self, exam: Exam) -> tuple[Assessor, ...]:
        return self.juries if exam is Exam.INTERVIEW else self.examiners

    def base_minutes(self, exam: Exam) -> int:
        return self.interview_minutes if exam is Exam.INTERVIEW else self.english_minutes

    def duration(self, candidate: BookedCandidate, exam: Exam) -> int:
        """The exam's length for this candidate, extra time included (R10.4)."""
        return self.base_minutes(exam) + candidate.extra_minutes(exam)

    def windows(self, assessor: Assessor) -> tuple[Span, ...]:
        """When the jury or examiner can examine: their availability within the opening hours,
        minus the day's breaks and their own, as disjoint sorted spans."""
        free = _clip(assessor.available, self.opening)
        return _subtract(free, (*self.breaks, *assessor.breaks))

    def offered_minutes(self, exam: Exam) -> int:
        return sum(w.minutes for a in self.assessors(exam) for w in self.windows(a))

    def needed_minutes(self, exam: Exam) -> int:
        return sum(self.duration(c, exam) for c in self.candidates)


def _require_unique(ids: Iterable[str], kind: str) -> None:
    seen: set[str] = set()
    for identifier in ids:
        if identifier in seen:
            raise _invalid(
                "duplicate_id",
                f"Identifiant en double ({kind}) : {identifier}.",
                f"Duplicate identifier ({kind}): {identifier}.",
                kind=kind,
                id=identifier,
            )
        seen.add(identifier)


def _clip(spans: Iterable[Span], within: Span) -> tuple[Span, ...]:
    clipped = []
    for span in spans:
        start, end = max(span.start, within.start), min(span.end, within.end)
        if start < end:
            clipped.append((start, end))
    return _merge(clipped)


def _merge(pairs: Iterable[tuple[int, int]]) -> tuple[Span, ...]:
    merged: list[list[int]] = []
    for start, end in sorted(pairs):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(Span(start, end) for start, end in merged)


def _subtract(spans: tuple[Span, ...], holes: Iterable[Span]) -> tuple[Span, ...]:
    pieces = [(s.start, s.end) for s in spans]
    for hole in holes:
        next_pieces = []
        for start, end in pieces:
            if hole.end <= start or end <= hole.start:
                next_pieces.append((start, end))
                continue
            if start < hole.start:
                next_pieces.append((start, hole.start))
            if hole.end < end:
                next_pieces.append((hole.end, end))
        pieces = next_pieces
    return _merge(pieces)


def exam_minutes(exams: Sequence[ExamSpec]) -> tuple[int, int]:
    """The interview's and the English exam's durations from the campaign's exams."""
    by_code = {exam.code: exam.duration_minutes for exam in exams}
    try:
        return by_code[Exam.INTERVIEW.value], by_code[Exam.ENGLISH.value]
    except KeyError as missing:
        raise _invalid(
            "missing_exam",
            f"La campagne ne décrit pas l'épreuve « {missing.args[0]} ».",
            f"The campaign does not describe the exam '{missing.args[0]}'.",
            exam=missing.args[0],
        ) from missing


# --- The schedule ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    candidate: str
    exam: Exam
    assessor: str  # the jury (interview) or the examiner (English)
    start: int
    end: int

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class Appointment:
    """A candidate's day: both slots."""

    candidate: str
    interview: Slot
    english: Slot

    def slot(self, exam: Exam) -> Slot:
        return self.interview if exam is Exam.INTERVIEW else self.english


@dataclass(frozen=True)
class TimetableResult:
    outcome: Outcome
    appointments: tuple[Appointment, ...] = ()  # in order of the first exam's start
    reasons: tuple[Reason, ...] = ()  # why there is no timetable
    solve_seconds: float = 0.0  # wall time spent in CP-SAT (0 when refused before it)
    optimal: bool = False  # CP-SAT proved no better timetable exists for the objective
    data: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def solved(self) -> bool:
        return self.outcome is Outcome.SOLVED

    @property
    def slots(self) -> tuple[Slot, ...]:
        return tuple(slot for a in self.appointments for slot in (a.interview, a.english))


@dataclass(frozen=True)
class AssessorLoad:
    """A jury's or examiner's day, for reporting.

    ``idle`` counts the minutes between their first exam's start and their last exam's end
    when they could examine (available, no break) but had nobody: the waiting a compact
    timetable avoids. ``offered - busy`` is their spare capacity over the whole day."""

    exam: Exam
    assessor: str
    offered: int
    busy: int
    idle: int
    exams: int


def workload(day: ExamDay, appointments: Sequence[Appointment]) -> tuple[AssessorLoad, ...]:
    """Each jury's then each examiner's load and idle minutes, in the day's order of them."""
    loads = []
    for exam in Exam:
        for assessor in day.assessors(exam):
            windows = day.windows(assessor)
            mine = [a.slot(exam).span for a in appointments if a.slot(exam).assessor == assessor.id]
            busy = sum(span.minutes for span in _merge((s.start, s.end) for s in mine))
            idle = 0
            if mine:
                on_duty = Span(min(s.start for s in mine), max(s.end for s in mine))
                idle = sum(w.minutes for w in _clip(windows, on_duty)) - busy
            loads.append(
                AssessorLoad(
                    exam=exam,
                    assessor=assessor.id,
                    offered=sum(w.minutes for w in windows),
                    busy=busy,
                    idle=max(idle, 0),
                    exams=len(mine),
                )
            )
    return tuple(loads)


# --- Checking a schedule (hand adjustments) ----------------------------------------------------


def check_timetable(day: ExamDay, appointments: Sequence[Appointment]) -> tuple[Reason, ...]:
    """Every fault of a (hand-adjusted) timetable; empty when it can be kept.

    Faults: a booked candidate without slots (or an unknown one, or twice); an unknown jury or
    examiner; a slot whose length is not the exam's plus the candidate's extra time; a slot
    outside the opening hours, during a break, or outside its jury's or examiner's
    availability; two slots of one jury or examiner that overlap; a candidate's two exams that
    overlap or are closer than the gap."""
    reasons: list[Reason] = []
    booked = {c.id: c for c in day.candidates}
    seen: set[str] = set()
    for appointment in appointments:
        if appointment.candidate not in booked:
            reasons.append(_unknown_candidate(appointment.candidate))
            continue
        if appointment.candidate in seen:
            reasons.append(_twice(appointment.candidate))
            continue
        seen.add(appointment.candidate)
    reasons.extend(_missing(c.id) for c in day.candidates if c.id not in seen)
    known = [a for a in appointments if a.candidate in booked]
    reasons.extend(_slot_faults(day, booked, [s for a in known for s in (a.interview, a.english)]))
    for appointment in known:
        reasons.extend(_candidate_faults(day, appointment.interview, appointment.english))
    return tuple(reasons)


def _slot_faults(
    day: ExamDay, booked: dict[str, BookedCandidate], slots: Sequence[Slot]
) -> list[Reason]:
    """Faults of each slot on its own, then overlaps of each jury's and examiner's slots."""
    reasons: list[Reason] = []
    placeable: list[Slot] = []
    for slot in slots:
        people = {a.id: a for a in day.assessors(slot.exam)}
        assessor = people.get(slot.assessor)
        if assessor is None:
            reasons.append(_unknown_assessor(slot))
            continue
        expected = day.duration(booked[slot.candidate], slot.exam)
        if slot.end - slot.start != expected:
            reasons.append(_wrong_duration(slot, expected))
            continue
        placeable.append(slot)
        if not day.opening.contains(slot.span):
            reasons.append(_outside_opening(day, slot))
        elif any(slot.span.overlaps(b) for b in (*day.breaks, *assessor.breaks)):
            reasons.append(_during_break(slot))
        elif not any(w.contains(slot.span) for w in day.windows(assessor)):
            reasons.append(_unavailable(slot))
    for exam in Exam:
        by_assessor: dict[str, list[Slot]] = {}
        for slot in placeable:
            if slot.exam is exam:
                by_assessor.setdefault(slot.assessor, []).append(slot)
        for own in by_assessor.values():
            own.sort(key=lambda s: (s.start, s.end, s.candidate))
            latest = own[0]
            for slot in own[1:]:
                if slot.start < latest.end:
                    reasons.append(_assessor_overlap(latest, slot))
                if slot.end > latest.end:
                    latest = slot
    return reasons


def _candidate_faults(day: ExamDay, interview: Slot, english: Slot) -> list[Reason]:
    first, second = sorted((interview, english), key=lambda s: (s.start, s.end))
    if interview.span.overlaps(english.span):
        return [_candidate_overlap(interview, english)]
    if second.start - first.end < day.gap_minutes:
        return [_gap_too_short(day, first, second)]
    return []


# --- Building a schedule -----------------------------------------------------------------------


def build_timetable(
    day: ExamDay,
    *,
    time_limit_seconds: float = DEFAULT_TIME_LIMIT_SECONDS,
    effort: float | None = None,
) -> TimetableResult:
    """The day's timetable, or why there is none (see the module's docstring).

    ``effort`` is CP-SAT's deterministic time budget (its own measure of work, about a second
    of an idle core per unit): the same inputs give the same timetable whatever the machine's
    load, unless the wall-clock ``time_limit_seconds`` stops the search first. By default,
    ``IMPROVEMENT_EFFORT`` when the greedy start places everybody, else up to the time limit."""
    figures = _figures(day)
    if not day.candidates:
        return TimetableResult(Outcome.SOLVED, optimal=True, data=figures)
    refusals = _capacity_reasons(day) or _fixed_reasons(day)
    if refusals:
        return TimetableResult(Outcome.INFEASIBLE, reasons=tuple(refusals), data=figures)
    status, appointments, seconds = _solve(day, time_limit_seconds, effort, keep_fixed=True)
    if appointments:
        return TimetableResult(
            Outcome.SOLVED,
            appointments=appointments,
            solve_seconds=seconds,
            optimal=status == cp_model.OPTIMAL,
            data=figures,
        )
    if status == cp_model.INFEASIBLE:
        blamed_fixed = False
        if any(c.interview_fixed or c.english_fixed for c in day.candidates):
            # Would it work without the hand adjustments? Then say they are the cause.
            _, released, more = _solve(day, time_limit_seconds, effort, keep_fixed=False)
            seconds += more
            blamed_fixed = bool(released)
        reason = _proved_infeasible(day, figures, blamed_fixed)
        return TimetableResult(
            Outcome.INFEASIBLE, reasons=(reason,), solve_seconds=seconds, data=figures
        )
    if status == cp_model.UNKNOWN:
        return TimetableResult(
            Outcome.TIME_LIMIT,
            reasons=(_time_limit(day, figures, time_limit_seconds),),
            solve_seconds=seconds,
            data=figures,
        )
    raise RuntimeError(f"CP-SAT answered {cp_model.CpSolver().status_name(status)}")


def _figures(day: ExamDay) -> dict[str, int]:
    return {
        "candidates": len(day.candidates),
        "interview_needed": day.needed_minutes(Exam.INTERVIEW),
        "interview_offered": day.offered_minutes(Exam.INTERVIEW),
        "english_needed": day.needed_minutes(Exam.ENGLISH),
        "english_offered": day.offered_minutes(Exam.ENGLISH),
    }


def _grid_starts(day: ExamDay, window: Span, duration: int) -> tuple[int, int] | None:
    """The first and last grid steps (from the opening) at which a slot fits in ``window``."""
    step = day.granularity
    first = -(-(window.start - day.opening.start) // step)
    last = (window.end - duration - day.opening.start) // step
    return (first, last) if first <= last else None


def _slots_held(day: ExamDay, exam: Exam, duration: int) -> int:
    """How many slots of ``duration`` the juries' (examiners') windows hold, back to back."""
    held = 0
    for assessor in day.assessors(exam):
        for window in day.windows(assessor):
            steps = _grid_starts(day, window, duration)
            if steps is None:
                continue
            first_start = day.opening.start + steps[0] * day.granularity
            stride = -(-duration // day.granularity) * day.granularity  # next grid start
            held += (window.end - duration - first_start) // stride + 1
    return held


def _capacity_reasons(day: ExamDay) -> list[Reason]:
    reasons: list[Reason] = []
    count = len(day.candidates)
    for exam in Exam:
        needed, offered = day.needed_minutes(exam), day.offered_minutes(exam)
        if needed > offered:
            reasons.append(_short_of_minutes(exam, count, needed, offered))
            continue
        longest_window = max(
            (w.minutes for a in day.assessors(exam) for w in day.windows(a)), default=0
        )
        too_long = [c.id for c in day.candidates if day.duration(c, exam) > longest_window]
        if too_long:
            reasons.append(_no_stretch_long_enough(exam, too_long, longest_window))
            continue
        shortest = min(day.duration(c, exam) for c in day.candidates)
        held = _slots_held(day, exam, shortest)
        if held < count:
            reasons.append(_short_of_slots(exam, count, shortest, held))
    return reasons


def _fixed_slots(day: ExamDay) -> list[Slot]:
    slots = []
    for candidate in day.candidates:
        for exam in Exam:
            fixed = candidate.fixed(exam)
            if fixed is not None:
                end = fixed.start + day.duration(candidate, exam)
                slots.append(Slot(candidate.id, exam, fixed.assessor, fixed.start, end))
    return slots


def _fixed_reasons(day: ExamDay) -> list[Reason]:
    """Slots fixed by hand that cannot all be kept, whatever the others do."""
    fixed = _fixed_slots(day)
    booked = {c.id: c for c in day.candidates}
    reasons = _slot_faults(day, booked, fixed)
    by_candidate: dict[str, dict[Exam, Slot]] = {}
    for slot in fixed:
        by_candidate.setdefault(slot.candidate, {})[slot.exam] = slot
    for pair in by_candidate.values():
        if len(pair) == 2:
            reasons.extend(_candidate_faults(day, pair[Exam.INTERVIEW], pair[Exam.ENGLISH]))
    return reasons


def _alike_groups(day: ExamDay, keep_fixed: bool) -> list[list[BookedCandidate]]:
    """Candidates alike (same extra times, nothing fixed): interchangeable in any timetable."""
    alike: dict[tuple[int, int], list[BookedCandidate]] = {}
    for candidate in day.candidates:
        if keep_fixed and (candidate.interview_fixed or candidate.english_fixed):
            continue
        alike.setdefault((candidate.interview_extra, candidate.english_extra), []).append(candidate)
    return list(alike.values())


Placed = dict[tuple[str, Exam], tuple[str, int]]  # (candidate, exam) -> (assessor, start)


def _greedy(day: ExamDay, keep_fixed: bool) -> Placed:
    """A quick first timetable, the solver's starting point (its hint).

    Candidates with the longest exams first; each takes, of "interview first" and "English
    first", the order that ends their day earlier, each exam at the earliest start free for some
    jury or examiner. Candidates it cannot place are left out (the hint is then partial).
    Alike candidates get their group's slots in order of interview start, as the solver's
    symmetry breaking demands."""
    busy: dict[tuple[Exam, str], list[tuple[int, int]]] = {}
    placed: Placed = {}
    free_candidates = []
    for candidate in day.candidates:
        for exam in Exam:
            fixed = candidate.fixed(exam) if keep_fixed else None
            if fixed is not None:
                placed[(candidate.id, exam)] = (fixed.assessor, fixed.start)
                end = fixed.start + day.duration(candidate, exam)
                busy.setdefault((exam, fixed.assessor), []).append((fixed.start, end))
        if not all((candidate.id, exam) in placed for exam in Exam):
            free_candidates.append(candidate)

    def earliest(exam: Exam, duration: int, not_before: int) -> tuple[int, str] | None:
        best: tuple[int, str] | None = None
        for assessor in day.assessors(exam):
            taken = busy.get((exam, assessor.id), [])
            for window in day.windows(assessor):
                if window.end <= not_before:
                    continue
                later = Span(max(window.start, not_before), window.end)
                steps = _grid_starts(day, later, duration)
                if steps is None:
                    continue
                for step in range(steps[0], steps[1] + 1):
                    start = day.opening.start + step * day.granularity
                    if best is not None and start >= best[0]:
                        break
                    if all(start + duration <= s or e <= start for s, e in taken):
                        best = (start, assessor.id)
                        break
        return best

    def attempt(
        candidate: BookedCandidate, order: tuple[Exam, Exam]
    ) -> list[tuple[Exam, str, int]]:
        not_before, result = day.opening.start, []
        for exam in order:
            known = placed.get((candidate.id, exam))
            duration = day.duration(candidate, exam)
            if known is not None:
                spot: tuple[int, str] | None = (known[1], known[0])
            else:
                spot = earliest(exam, duration, not_before)
            if spot is None:
                return []
            result.append((exam, spot[1], spot[0]))
            not_before = spot[0] + duration + day.gap_minutes
        return result

    free_candidates.sort(
        key=lambda c: -(day.duration(c, Exam.INTERVIEW) + day.duration(c, Exam.ENGLISH))
    )
    for candidate in free_candidates:
        options = [
            option
            for order in ((Exam.INTERVIEW, Exam.ENGLISH), (Exam.ENGLISH, Exam.INTERVIEW))
            if (option := attempt(candidate, order))
        ]
        if not options:
            continue
        best = min(options, key=lambda o: o[-1][2] + day.duration(candidate, o[-1][0]))
        for exam, assessor, start in best:
            if (candidate.id, exam) not in placed:
                placed[(candidate.id, exam)] = (assessor, start)
                busy.setdefault((exam, assessor), []).append(
                    (start, start + day.duration(candidate, exam))
                )
    for group in _alike_groups(day, keep_fixed):
        done = [c.id for c in group if (c.id, Exam.INTERVIEW) in placed]
        days = sorted(
            ((placed.pop((c, Exam.INTERVIEW)), placed.pop((c, Exam.ENGLISH))) for c in done),
            key=lambda pair: pair[0][1],
        )
        for candidate_id, (interview, english) in zip(done, days, strict=True):
            placed[(candidate_id, Exam.INTERVIEW)] = interview
            placed[(candidate_id, Exam.ENGLISH)] = english
    return placed


def _solve(
    day: ExamDay, time_limit_seconds: float, effort: float | None, *, keep_fixed: bool
) -> tuple[cp_model.CpSolverStatus, tuple[Appointment, ...], float]:
    """CP-SAT's status, the appointments when one was found, and the wall time spent."""
    model = cp_model.CpModel()
    opening, step = day.opening.start, day.granularity
    horizon = day.opening.end
    hint = _greedy(day, keep_fixed)
    starts: dict[tuple[str, Exam], cp_model.LinearExprT] = {}
    chosen: dict[tuple[str, Exam], list[tuple[str, cp_model.IntVar]]] = {}
    per_assessor: dict[tuple[Exam, str], list[cp_model.IntervalVar]] = {}
    cost: list[cp_model.LinearExprT] = []

    for candidate in day.candidates:
        for exam in Exam:
            key = (candidate.id, exam)
            duration = day.duration(candidate, exam)
            fixed = candidate.fixed(exam) if keep_fixed else None
            hinted = hint.get(key)
            if fixed is not None:
                interval = model.new_fixed_size_interval_var(fixed.start, duration, "")
                per_assessor.setdefault((exam, fixed.assessor), []).append(interval)
                chosen[key] = [(fixed.assessor, model.new_constant(1))]
                starts[key] = fixed.start
                continue
            step_var = model.new_int_var(0, (horizon - opening) // step, "")
            if hinted is not None:
                model.add_hint(step_var, (hinted[1] - opening) // step)
            options = []
            for assessor in day.assessors(exam):
                ranges = [
                    [first, last]
                    for window in day.windows(assessor)
                    if (steps := _grid_starts(day, window, duration)) is not None
                    for first, last in (steps,)
                ]
                if not ranges:
                    continue
                present = model.new_bool_var("")
                own_step = model.new_int_var_from_domain(cp_model.Domain.from_intervals(ranges), "")
                model.add(step_var == own_step).only_enforce_if(present)
                if hinted is not None:  # a complete hint: CP-SAT starts from a timetable
                    mine = hinted[0] == assessor.id
                    model.add_hint(present, mine)
                    model.add_hint(
                        own_step, (hinted[1] - opening) // step if mine else ranges[0][0]
                    )
                interval = model.new_optional_fixed_size_interval_var(
                    opening + step * own_step, duration, present, ""
                )
                per_assessor.setdefault((exam, assessor.id), []).append(interval)
                options.append((assessor.id, present))
            if not options:
                return cp_model.INFEASIBLE, (), 0.0
            model.add_exactly_one(present for _, present in options)
            chosen[key] = options
            starts[key] = opening + step * step_var
        interview, english = (
            starts[(candidate.id, Exam.INTERVIEW)],
            starts[(candidate.id, Exam.ENGLISH)],
        )
        # Each exam lengthened by the gap: apart, they leave the gap between the two exams.
        model.add_no_overlap(
            [
                model.new_fixed_size_interval_var(
                    starts[(candidate.id, exam)],
                    day.duration(candidate, exam) + day.gap_minutes,
                    "",
                )
                for exam in Exam
            ]
        )
        # The candidate's cost: both exams' ends (finish early), and the distance between
        # their starts (a short wait on the videoconference).
        distance = model.new_int_var(0, horizon - opening, "")
        model.add_abs_equality(
            distance, cp_model.LinearExpr.weighted_sum([interview, english], [1, -1])
        )
        pair = [hint.get((candidate.id, exam)) for exam in Exam]
        if pair[0] is not None and pair[1] is not None:
            model.add_hint(distance, abs(pair[0][1] - pair[1][1]))
        cost.extend((interview, english, distance))
    for intervals in per_assessor.values():
        model.add_no_overlap(intervals)
    for group in _alike_groups(day, keep_fixed):
        for earlier, later in zip(group, group[1:], strict=False):
            model.add(starts[(earlier.id, Exam.INTERVIEW)] <= starts[(later.id, Exam.INTERVIEW)])
    model.minimize(sum(cost))

    complete = all((c.id, exam) in hint for c in day.candidates for exam in Exam)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # deterministic; the machine's 2 cores are shared
    solver.parameters.random_seed = RANDOM_SEED
    # The presolve's own symmetry breaking would make the greedy start infeasible (ours is
    # applied to the hint), and searching again from nothing costs the whole budget.
    solver.parameters.symmetry_level = 0
    # With a complete start, a short improvement; without, the search needs the time it needs.
    budget = (
        effort if effort is not None else (IMPROVEMENT_EFFORT if complete else time_limit_seconds)
    )
    solver.parameters.max_deterministic_time = budget
    solver.parameters.max_time_in_seconds = time_limit_seconds
    began = monotonic_time.perf_counter()
    status = solver.solve(model)
    seconds = monotonic_time.perf_counter() - began
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if not found and not (status == cp_model.UNKNOWN and complete):
        return status, (), seconds

    def slot_of(candidate: BookedCandidate, exam: Exam) -> Slot:
        key = (candidate.id, exam)
        if found:
            assessor = next(who for who, present in chosen[key] if solver.boolean_value(present))
            start = solver.value(starts[key])
        else:  # stopped by the clock before it even loaded the start: keep the greedy one
            assessor, start = hint[key]
        return Slot(candidate.id, exam, assessor, start, start + day.duration(candidate, exam))

    appointments = [
        Appointment(c.id, slot_of(c, Exam.INTERVIEW), slot_of(c, Exam.ENGLISH))
        for c in day.candidates
    ]
    appointments.sort(key=lambda a: (min(a.interview.start, a.english.start), a.candidate))
    return status, tuple(appointments), seconds


# --- Reasons -----------------------------------------------------------------------------------

_EXAM_FR = {Exam.INTERVIEW: "d'entretien", Exam.ENGLISH: "d'anglais"}
_EXAM_EN = {Exam.INTERVIEW: "interview", Exam.ENGLISH: "English"}
_WHO_FR = {Exam.INTERVIEW: "les jurys", Exam.ENGLISH: "les examinateurs"}
_WHO_EN = {Exam.INTERVIEW: "the juries", Exam.ENGLISH: "the examiners"}
_ONE_FR = {Exam.INTERVIEW: "le jury", Exam.ENGLISH: "l'examinateur"}
_ONE_EN = {Exam.INTERVIEW: "jury", Exam.ENGLISH: "examiner"}


def _candidates_fr(count: int) -> str:
    return f"{count} candidat" + ("s" if count > 1 else "")


def _candidates_en(count: int) -> str:
    return f"{count} candidate" + ("s" if count != 1 else "")


def _short_of_minutes(exam: Exam, count: int, needed: int, offered: int) -> Reason:
    return Reason(
        f"timetable.{exam.value}_capacity",
        f"{_candidates_fr(count)} demandent {needed} min d'épreuve {_EXAM_FR[exam]}, "
        f"{_WHO_FR[exam]} en offrent {offered} min : il manque {needed - offered} min.",
        f"{_candidates_en(count)} need {needed} min of {_EXAM_EN[exam]} exams, "
        f"{_WHO_EN[exam]} offer {offered} min: {needed - offered} min short.",
        {"exam": exam.value, "candidates": count, "needed": needed, "offered": offered},
    )


def _short_of_slots(exam: Exam, count: int, minutes: int, held: int) -> Reason:
    return Reason(
        f"timetable.{exam.value}_slots",
        f"{_candidates_fr(count)} demandent chacun un créneau {_EXAM_FR[exam]} d'au moins "
        f"{minutes} min ; les disponibilités de {_WHO_FR[exam]}, pauses déduites, n'en "
        f"contiennent que {held}.",
        f"{_candidates_en(count)} each need a {_EXAM_EN[exam]} slot of at least {minutes} min; "
        f"{_WHO_EN[exam]}' availabilities, breaks deducted, hold only {held}.",
        {"exam": exam.value, "candidates": count, "minutes": minutes, "slots": held},
    )


def _no_stretch_long_enough(exam: Exam, candidates: list[str], longest: int) -> Reason:
    names = ", ".join(candidates)
    return Reason(
        f"timetable.{exam.value}_too_long",
        f"L'épreuve {_EXAM_FR[exam]} de {names} (temps supplémentaire compris) dépasse la plus "
        f"longue plage libre de {_WHO_FR[exam]} ({longest} min).",
        f"The {_EXAM_EN[exam]} exam of {names} (extra time included) is longer than "
        f"{_WHO_EN[exam]}' longest free stretch ({longest} min).",
        {"exam": exam.value, "candidates": candidates, "longest": longest},
    )


def _proved_infeasible(day: ExamDay, figures: dict[str, int], blamed_fixed: bool) -> Reason:
    count = figures["candidates"]
    amounts_fr = (
        f"{_candidates_fr(count)} demandent {figures['interview_needed']} min d'entretien (les jurys "
        f"en offrent {figures['interview_offered']}) et {figures['english_needed']} min "
        f"d'anglais (les examinateurs en offrent {figures['english_offered']})"
    )
    amounts_en = (
        f"{_candidates_en(count)} need {figures['interview_needed']} min of interview (the juries "
        f"offer {figures['interview_offered']}) and {figures['english_needed']} min of English "
        f"(the examiners offer {figures['english_offered']})"
    )
    if blamed_fixed:
        return Reason(
            "timetable.fixed_slots_block",
            f"Aucun emploi du temps ne garde les créneaux fixés à la main : sans eux, il en "
            f"existe un. {amounts_fr}.",
            f"No timetable keeps the slots fixed by hand; without them there is one. {amounts_en}.",
            dict(figures),
        )
    return Reason(
        "timetable.infeasible",
        f"Le solveur prouve qu'aucun emploi du temps n'est possible, bien que les totaux "
        f"suffisent : {amounts_fr}. Les plages de disponibilité, les pauses et l'écart de "
        f"{day.gap_minutes} min entre les deux épreuves d'un candidat ne laissent pas de place "
        f"à tous : élargissez une disponibilité ou ajoutez un jury ou un examinateur.",
        f"The solver proves that no timetable is possible, although the totals suffice: "
        f"{amounts_en}. The availabilities, the breaks and the {day.gap_minutes}-min gap "
        f"between a candidate's two exams leave no room for all: widen an availability or add "
        f"a jury or an examiner.",
        dict(figures),
    )


def _time_limit(day: ExamDay, figures: dict[str, int], seconds: float) -> Reason:
    return Reason(
        "timetable.time_limit",
        f"Aucun emploi du temps trouvé en {seconds:g} s pour {_candidates_fr(figures['candidates'])}, "
        f"sans preuve qu'il n'en existe pas : relancez le calcul, ou desserrez les contraintes "
        f"(disponibilités, pauses, créneaux fixés).",
        f"No timetable found in {seconds:g} s for {_candidates_en(figures['candidates'])}, without "
        f"proof that none exists: run it again, or loosen the constraints (availabilities, "
        f"breaks, fixed slots).",
        {**figures, "time_limit_seconds": seconds},
    )


def _unknown_candidate(candidate: str) -> Reason:
    return Reason(
        "timetable.unknown_candidate",
        f"{candidate} n'est pas inscrit ce jour-là.",
        f"{candidate} is not booked on that day.",
        {"candidate": candidate},
    )


def _twice(candidate: str) -> Reason:
    return Reason(
        "timetable.duplicate_candidate",
        f"{candidate} figure deux fois dans l'emploi du temps.",
        f"{candidate} appears twice in the timetable.",
        {"candidate": candidate},
    )


def _missing(candidate: str) -> Reason:
    return Reason(
        "timetable.missing_candidate",
        f"{candidate} est inscrit ce jour-là mais n'a pas de créneau.",
        f"{candidate} is booked on that day but has no slot.",
        {"candidate": candidate},
    )


def _slot_data(slot: Slot) -> dict[str, object]:
    return {
        "candidate": slot.candidate,
        "exam": slot.exam.value,
        "assessor": slot.assessor,
        "start": slot.start,
        "end": slot.end,
    }


def _unknown_assessor(slot: Slot) -> Reason:
    return Reason(
        f"timetable.unknown_{'jury' if slot.exam is Exam.INTERVIEW else 'examiner'}",
        f"{slot.assessor} n'est pas {_ONE_FR[slot.exam]} de ce jour (créneau de {slot.candidate}).",
        f"{slot.assessor} is not a {_ONE_EN[slot.exam]} of that day ({slot.candidate}'s slot).",
        _slot_data(slot),
    )


def _wrong_duration(slot: Slot, expected: int) -> Reason:
    return Reason(
        "timetable.wrong_duration",
        f"L'épreuve {_EXAM_FR[slot.exam]} de {slot.candidate} dure {slot.end - slot.start} "
        f"min au lieu de {expected} min (temps supplémentaire compris).",
        f"{slot.candidate}'s {_EXAM_EN[slot.exam]} exam lasts {slot.end - slot.start} min "
        f"instead of {expected} min (extra time included).",
        {**_slot_data(slot), "expected": expected},
    )


def _outside_opening(day: ExamDay, slot: Slot) -> Reason:
    return Reason(
        "timetable.outside_opening",
        f"L'épreuve {_EXAM_FR[slot.exam]} de {slot.candidate} ({slot.span.text(FRENCH)}) sort "
        f"des horaires de la journée ({day.opening.text(FRENCH)}).",
        f"{slot.candidate}'s {_EXAM_EN[slot.exam]} exam ({slot.span.text(ENGLISH)}) falls "
        f"outside the day's hours ({day.opening.text(ENGLISH)}).",
        _slot_data(slot),
    )


def _during_break(slot: Slot) -> Reason:
    return Reason(
        "timetable.during_break",
        f"L'épreuve {_EXAM_FR[slot.exam]} de {slot.candidate} ({slot.span.text(FRENCH)}) "
        f"empiète sur une pause de {slot.assessor}.",
        f"{slot.candidate}'s {_EXAM_EN[slot.exam]} exam ({slot.span.text(ENGLISH)}) runs into "
        f"a break of {slot.assessor}.",
        _slot_data(slot),
    )


def _unavailable(slot: Slot) -> Reason:
    return Reason(
        "timetable.outside_availability",
        f"{slot.assessor} n'est pas disponible pour l'épreuve {_EXAM_FR[slot.exam]} de "
        f"{slot.candidate} ({slot.span.text(FRENCH)}).",
        f"{slot.assessor} is not available for {slot.candidate}'s {_EXAM_EN[slot.exam]} exam "
        f"({slot.span.text(ENGLISH)}).",
        _slot_data(slot),
    )


def _assessor_overlap(first: Slot, second: Slot) -> Reason:
    kind = "jury" if first.exam is Exam.INTERVIEW else "examiner"
    return Reason(
        f"timetable.{kind}_overlap",
        f"{first.assessor} aurait deux candidats en même temps : {first.candidate} "
        f"({first.span.text(FRENCH)}) et {second.candidate} ({second.span.text(FRENCH)}).",
        f"{first.assessor} would have two candidates at once: {first.candidate} "
        f"({first.span.text(ENGLISH)}) and {second.candidate} ({second.span.text(ENGLISH)}).",
        {"assessor": first.assessor, "candidates": [first.candidate, second.candidate]},
    )


def _candidate_overlap(interview: Slot, english: Slot) -> Reason:
    return Reason(
        "timetable.candidate_overlap",
        f"Les deux épreuves de {interview.candidate} se chevauchent : entretien "
        f"{interview.span.text(FRENCH)}, anglais {english.span.text(FRENCH)}.",
        f"{interview.candidate}'s two exams overlap: interview {interview.span.text(ENGLISH)}, "
        f"English {english.span.text(ENGLISH)}.",
        {"candidate": interview.candidate},
    )


def _gap_too_short(day: ExamDay, first: Slot, second: Slot) -> Reason:
    gap = second.start - first.end
    return Reason(
        "timetable.gap_too_short",
        f"{first.candidate} n'aurait que {gap} min entre ses deux épreuves "
        f"({first.span.text(FRENCH)} puis {second.span.text(FRENCH)}) ; il faut au moins "
        f"{day.gap_minutes} min.",
        f"{first.candidate} would have only {gap} min between their two exams "
        f"({first.span.text(ENGLISH)} then {second.span.text(ENGLISH)}); at least "
        f"{day.gap_minutes} min are needed.",
        {"candidate": first.candidate, "gap": gap, "required": day.gap_minutes},
    )
