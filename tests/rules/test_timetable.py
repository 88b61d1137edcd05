"""Exam day timetables (R6.2, R10.4): built by CP-SAT, checked by hand-adjustment rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from admissions.rules import timetable
from admissions.rules.explain import RulesError
from admissions.rules.timetable import (
    Appointment,
    Assessor,
    BookedCandidate,
    Exam,
    ExamDay,
    Outcome,
    Placement,
    Slot,
    Span,
    build_timetable,
    check_timetable,
    clock_text,
    exam_minutes,
    workload,
)

DAY = date(2021, 3, 29)


def hm(hours: int, minutes: int = 0) -> int:
    return hours * 60 + minutes


def span(start: tuple[int, int], end: tuple[int, int]) -> Span:
    return Span(hm(*start), hm(*end))


OPENING = span((9, 0), (17, 0))
LUNCH = span((12, 0), (13, 0))


def exam_day(candidates: int = 4, **changes) -> ExamDay:
    base = ExamDay(
        day=DAY,
        opening=OPENING,
        breaks=(LUNCH,),
        juries=(Assessor("Jury A", (OPENING,)), Assessor("Jury B", (span((13, 0), (17, 0)),))),
        examiners=(Assessor("Examiner 1", (OPENING,), (span((10, 0), (10, 30)),)),),
        candidates=tuple(BookedCandidate(f"ALT21-{n:04d}") for n in range(1, candidates + 1)),
    )
    return replace(base, **changes)


def codes(reasons) -> set[str]:
    return {reason.code for reason in reasons}


def assert_sound(day: ExamDay, appointments: tuple[Appointment, ...]) -> None:
    """An independent check, minute by minute, of everything a timetable must respect."""
    assert sorted(a.candidate for a in appointments) == sorted(c.id for c in day.candidates)
    booked = {c.id: c for c in day.candidates}
    occupied: dict[tuple[Exam, str], set[int]] = {}
    for appointment in appointments:
        candidate = booked[appointment.candidate]
        for exam in Exam:
            slot = appointment.slot(exam)
            assert slot.exam is exam and slot.candidate == candidate.id
            # the exam's length plus the candidate's extra time (R10.4)
            assert slot.end - slot.start == day.duration(candidate, exam)
            people = {a.id: a for a in day.assessors(exam)}
            assessor = people[slot.assessor]
            minutes = set(range(slot.start, slot.end))
            assert all(day.opening.start <= m < day.opening.end for m in minutes)
            assert any(w.start <= slot.start and slot.end <= w.end for w in assessor.available)
            for pause in (*day.breaks, *assessor.breaks):
                assert not minutes & set(range(pause.start, pause.end)), (slot, pause)
            mine = occupied.setdefault((exam, slot.assessor), set())
            assert not mine & minutes, f"{slot.assessor} examines two candidates at once"
            mine |= minutes
        first, second = sorted((appointment.interview, appointment.english), key=lambda s: s.start)
        assert second.start - first.end >= day.gap_minutes  # never together, and the gap


# --- Building ------------------------------------------------------------------------------------


def test_a_day_is_solved_with_both_exams_for_everybody():
    day = exam_day(6)
    result = build_timetable(day)
    assert result.outcome is Outcome.SOLVED and result.reasons == ()
    assert_sound(day, result.appointments)
    assert check_timetable(day, result.appointments) == ()


def test_extra_time_lengthens_that_candidates_slots_only():
    accommodated = BookedCandidate("ALT21-0001", interview_extra=10, english_extra=5)
    day = exam_day(3)
    day = replace(day, candidates=(accommodated, *day.candidates[1:]))
    result = build_timetable(day)
    assert result.solved
    slots = {a.candidate: a for a in result.appointments}
    assert slots["ALT21-0001"].interview.end - slots["ALT21-0001"].interview.start == 40
    assert slots["ALT21-0001"].english.end - slots["ALT21-0001"].english.start == 20
    assert slots["ALT21-0002"].interview.end - slots["ALT21-0002"].interview.start == 30
    assert slots["ALT21-0002"].english.end - slots["ALT21-0002"].english.start == 15
    assert_sound(day, result.appointments)


def test_the_objective_finishes_early_and_keeps_the_candidates_wait_short():
    day = exam_day(1, juries=(Assessor("Jury A", (OPENING,)),))
    result = build_timetable(day)
    (appointment,) = result.appointments
    assert result.optimal
    # English at 9:00, interview after the 15-minute gap: the day ends at 10:00.
    assert appointment.english.start == hm(9, 0)
    assert appointment.interview.start == hm(9, 30)


def test_starts_fall_on_the_grid_from_the_opening():
    day = exam_day(5, opening=span((9, 2), (17, 0)), breaks=())
    result = build_timetable(day)
    assert result.solved
    assert all((slot.start - hm(9, 2)) % 5 == 0 for slot in result.slots)


def test_same_inputs_same_timetable():
    day = exam_day(8)
    assert build_timetable(day).appointments == build_timetable(day).appointments


def test_the_solver_finds_what_the_greedy_start_misses():
    """The greedy start places the longer English exam first and then has no room left."""
    day = ExamDay(
        day=DAY,
        opening=span((9, 0), (12, 0)),
        juries=(Assessor("Jury A", (span((9, 30), (10, 30)),)),),
        examiners=(Assessor("Examiner 1", (span((9, 0), (9, 55)),)),),
        candidates=(BookedCandidate("ALT21-0001", english_extra=5), BookedCandidate("ALT21-0002")),
    )
    assert len(timetable._greedy(day, keep_fixed=True)) < 4
    result = build_timetable(day)
    assert result.solved
    assert_sound(day, result.appointments)


def test_an_empty_day_is_solved_at_once():
    result = build_timetable(exam_day(0))
    assert result.solved and result.appointments == ()


# --- Hand adjustments kept by the solver -------------------------------------------------------


def test_fixed_slots_are_kept_even_off_the_grid():
    day = exam_day(4)
    moved = replace(
        day.candidates[0],
        interview_fixed=Placement(hm(14, 2), "Jury B"),
        english_fixed=Placement(hm(9, 0), "Examiner 1"),
    )
    day = replace(day, candidates=(moved, *day.candidates[1:]))
    result = build_timetable(day)
    assert result.solved
    kept = next(a for a in result.appointments if a.candidate == moved.id)
    assert (kept.interview.start, kept.interview.assessor) == (hm(14, 2), "Jury B")
    assert (kept.english.start, kept.english.assessor) == (hm(9, 0), "Examiner 1")
    assert_sound(day, result.appointments)


def test_fixed_slots_that_clash_are_refused_with_the_clash():
    day = exam_day(2)
    first, second = (
        replace(c, interview_fixed=Placement(hm(9, 0), "Jury A")) for c in day.candidates
    )
    result = build_timetable(replace(day, candidates=(first, second)))
    assert result.outcome is Outcome.INFEASIBLE
    assert codes(result.reasons) == {"timetable.jury_overlap"}
    assert "Jury A" in result.reasons[0].text("fr")


def test_fixed_slots_that_leave_no_room_are_named_as_the_cause():
    day = ExamDay(
        day=DAY,
        opening=span((9, 0), (12, 0)),
        juries=(Assessor("Jury A", (span((9, 0), (10, 0)),)),),
        examiners=(Assessor("Examiner 1", (span((9, 0), (12, 0)),)),),
        candidates=(
            BookedCandidate("ALT21-0001", interview_fixed=Placement(hm(9, 15), "Jury A")),
            BookedCandidate("ALT21-0002"),
        ),
    )
    result = build_timetable(day)
    assert result.outcome is Outcome.INFEASIBLE
    assert codes(result.reasons) == {"timetable.fixed_slots_block"}
    assert "fixés à la main" in result.reasons[0].text("fr")
    assert "fixed by hand" in result.reasons[0].text("en")


# --- Why a day cannot be scheduled -------------------------------------------------------------


def test_too_many_candidates_for_the_juries_hours_says_the_figures():
    day = exam_day(
        12,
        breaks=(),
        juries=(Assessor("Jury A", (span((9, 0), (14, 0)),)),),  # 300 min
    )
    result = build_timetable(day)
    assert result.outcome is Outcome.INFEASIBLE
    assert result.solve_seconds == 0  # refused before the solver
    (reason,) = result.reasons
    assert reason.code == "timetable.interview_capacity"
    assert reason.data["needed"] == 360 and reason.data["offered"] == 300
    assert "12 candidats demandent 360 min d'épreuve d'entretien" in reason.text("fr")
    assert "les jurys en offrent 300 min" in reason.text("fr")
    assert "12 candidates need 360 min of interview exams, the juries offer 300 min" in (
        reason.text("en")
    )


def test_extra_time_counts_in_the_capacity():
    day = exam_day(
        2,
        breaks=(),
        examiners=(Assessor("Examiner 1", (span((9, 0), (9, 30)),)),),  # 30 min of English
    )
    assert build_timetable(day).solved  # 2 x 15 min fit exactly
    longer = replace(day.candidates[0], english_extra=5)
    result = build_timetable(replace(day, candidates=(longer, day.candidates[1])))
    assert codes(result.reasons) == {"timetable.english_capacity"}
    assert result.reasons[0].data == {
        "exam": "english",
        "candidates": 2,
        "needed": 35,
        "offered": 30,
    }


def test_minutes_cut_into_short_stretches_hold_fewer_slots():
    stretches = tuple(span((h, 0), (h, 40)) for h in (9, 10, 11, 13))  # 4 x 40 min
    day = exam_day(5, juries=(Assessor("Jury A", stretches),))  # 150 min needed, 160 offered
    result = build_timetable(day)
    (reason,) = result.reasons
    assert reason.code == "timetable.interview_slots"
    assert reason.data["slots"] == 4
    assert "n'en contiennent que 4" in reason.text("fr")


def test_an_exam_longer_than_every_free_stretch_is_named():
    day = exam_day(1, juries=(Assessor("Jury A", (span((9, 0), (10, 0)), span((14, 0), (15, 0)))),))
    long_interview = replace(day.candidates[0], interview_extra=40)  # 70 min > 60
    result = build_timetable(replace(day, candidates=(long_interview,)))
    assert codes(result.reasons) == {"timetable.interview_too_long"}
    assert "ALT21-0001" in result.reasons[0].text("en")


def test_the_solver_proves_infeasibility_and_says_so_with_the_figures():
    # Enough minutes, but the English exam must wait 15 min after (or end 15 min before) the
    # interview, and the examiner is there only right after it.
    day = ExamDay(
        day=DAY,
        opening=span((9, 0), (12, 0)),
        juries=(Assessor("Jury A", (span((9, 0), (9, 30)),)),),
        examiners=(Assessor("Examiner 1", (span((9, 30), (9, 45)),)),),
        candidates=(BookedCandidate("ALT21-0001"),),
    )
    result = build_timetable(day)
    assert result.outcome is Outcome.INFEASIBLE
    (reason,) = result.reasons
    assert reason.code == "timetable.infeasible"
    assert reason.data["interview_needed"] == 30 and reason.data["interview_offered"] == 30
    assert "1 candidat demandent 30 min d'entretien" in reason.text("fr")
    assert "15-min gap" in reason.text("en")


def test_the_time_limit_without_a_timetable_is_said(monkeypatch):
    monkeypatch.setattr(timetable, "_greedy", lambda day, keep_fixed: {})  # no start given
    result = build_timetable(exam_day(18), time_limit_seconds=0.001)
    assert result.outcome is Outcome.TIME_LIMIT
    (reason,) = result.reasons
    assert reason.code == "timetable.time_limit"
    assert "0.001 s" in reason.text("en")


def test_the_greedy_start_is_kept_when_the_clock_stops_the_solver_at_once():
    day = exam_day(18)
    result = build_timetable(day, time_limit_seconds=0.001)
    assert result.solved and not result.optimal
    assert_sound(day, result.appointments)


# --- Checking a hand-adjusted timetable --------------------------------------------------------


@pytest.fixture(scope="module")
def solved() -> tuple[ExamDay, tuple[Appointment, ...]]:
    day = exam_day(6)
    result = build_timetable(day)
    assert result.solved
    return day, result.appointments


def moved(
    appointments: tuple[Appointment, ...], candidate: str, exam: Exam, **changes
) -> tuple[Appointment, ...]:
    out = []
    for appointment in appointments:
        if appointment.candidate == candidate:
            slot = replace(appointment.slot(exam), **changes)
            field = "interview" if exam is Exam.INTERVIEW else "english"
            appointment = replace(appointment, **{field: slot})
        out.append(appointment)
    return tuple(out)


def on_top_of(appointments, exam: Exam, mover: Appointment, target: Appointment):
    target_slot = target.slot(exam)
    length = mover.slot(exam).end - mover.slot(exam).start
    return moved(
        appointments,
        mover.candidate,
        exam,
        start=target_slot.start,
        end=target_slot.start + length,
        assessor=target_slot.assessor,
    )


def test_check_finds_a_jury_given_two_candidates_at_once(solved):
    day, appointments = solved
    first, second = appointments[0], appointments[1]
    reasons = check_timetable(day, on_top_of(appointments, Exam.INTERVIEW, second, first))
    assert "timetable.jury_overlap" in codes(reasons)
    overlap = next(r for r in reasons if r.code == "timetable.jury_overlap")
    assert "deux candidats en même temps" in overlap.text("fr")


def test_check_finds_an_examiner_given_two_candidates_at_once(solved):
    day, appointments = solved
    first, second = appointments[0], appointments[1]
    reasons = check_timetable(day, on_top_of(appointments, Exam.ENGLISH, second, first))
    assert "timetable.examiner_overlap" in codes(reasons)


def test_check_finds_a_candidate_in_two_exams_at_once_or_too_close(solved):
    day, appointments = solved
    one = appointments[0]
    interview = one.interview
    together = moved(
        appointments, one.candidate, Exam.ENGLISH, start=interview.start, end=interview.start + 15
    )
    assert "timetable.candidate_overlap" in codes(check_timetable(day, together))
    close = moved(
        appointments, one.candidate, Exam.ENGLISH, start=interview.end + 5, end=interview.end + 20
    )
    reasons = check_timetable(day, close)
    assert "timetable.gap_too_short" in codes(reasons)
    gap = next(r for r in reasons if r.code == "timetable.gap_too_short")
    assert gap.data == {"candidate": one.candidate, "gap": 5, "required": 15}


def test_check_finds_slots_outside_hours_availability_and_breaks(solved):
    day, appointments = solved
    one = appointments[0].candidate
    cases = {
        "timetable.during_break": (Exam.INTERVIEW, "Jury A", hm(11, 45)),  # into lunch
        "timetable.outside_availability": (Exam.INTERVIEW, "Jury B", hm(9, 0)),  # B: afternoon
        "timetable.outside_opening": (Exam.INTERVIEW, "Jury A", hm(16, 45)),
    }
    for code, (exam, assessor, start) in cases.items():
        changed = moved(appointments, one, exam, assessor=assessor, start=start, end=start + 30)
        assert code in codes(check_timetable(day, changed)), code
    own_break = moved(
        appointments, one, Exam.ENGLISH, assessor="Examiner 1", start=hm(10, 15), end=hm(10, 30)
    )
    assert "timetable.during_break" in codes(check_timetable(day, own_break))


def test_check_requires_the_extra_time(solved):
    day, appointments = solved
    one = appointments[0].candidate
    accommodated = tuple(
        replace(c, interview_extra=10) if c.id == one else c for c in day.candidates
    )
    reasons = check_timetable(replace(day, candidates=accommodated), appointments)
    (wrong,) = reasons
    assert wrong.code == "timetable.wrong_duration"
    assert wrong.data["expected"] == 40
    assert "au lieu de 40 min" in wrong.text("fr")


def test_check_finds_missing_unknown_and_repeated_candidates_and_unknown_juries(solved):
    day, appointments = solved
    stranger = replace(
        appointments[0],
        candidate="ALT21-9999",
        interview=replace(appointments[0].interview, candidate="ALT21-9999"),
        english=replace(appointments[0].english, candidate="ALT21-9999"),
    )
    reasons = check_timetable(day, (*appointments[1:], stranger, appointments[1]))
    assert {
        "timetable.missing_candidate",
        "timetable.unknown_candidate",
        "timetable.duplicate_candidate",
    } <= codes(reasons)
    nobody = moved(appointments, appointments[0].candidate, Exam.INTERVIEW, assessor="Jury Z")
    assert "timetable.unknown_jury" in codes(check_timetable(day, nobody))


# --- Reporting, inputs ---------------------------------------------------------------------------


def test_workload_counts_busy_and_idle_minutes_between_first_and_last_exam():
    day = exam_day(0, breaks=())
    interview = Slot("a", Exam.INTERVIEW, "Jury A", hm(9, 0), hm(9, 30))
    later = Slot("b", Exam.INTERVIEW, "Jury A", hm(10, 0), hm(10, 30))
    english = Slot("a", Exam.ENGLISH, "Examiner 1", hm(9, 45), hm(10, 0))
    english_b = Slot("b", Exam.ENGLISH, "Examiner 1", hm(9, 0), hm(9, 15))
    loads = {
        (load.exam, load.assessor): load
        for load in workload(
            day, (Appointment("a", interview, english), Appointment("b", later, english_b))
        )
    }
    jury_a = loads[(Exam.INTERVIEW, "Jury A")]
    assert (jury_a.busy, jury_a.idle, jury_a.exams, jury_a.offered) == (60, 30, 2, 480)
    assert loads[(Exam.INTERVIEW, "Jury B")].idle == 0  # no exam: not on duty
    # On duty 9:00-10:00 (their own break 10:00-10:30 comes after), busy 30 of those 60 min.
    assert loads[(Exam.ENGLISH, "Examiner 1")].idle == 30


def test_durations_come_from_the_campaign(campaign_2021):
    assert exam_minutes(campaign_2021.exams) == (30, 15)
    with pytest.raises(RulesError):
        exam_minutes(campaign_2021.exams[:1])


def test_nonsense_inputs_are_refused():
    with pytest.raises(RulesError):
        Span(hm(10), hm(9))
    with pytest.raises(RulesError):
        exam_day(0, juries=(Assessor("Jury A", (OPENING,)), Assessor("Jury A", (OPENING,))))
    with pytest.raises(RulesError):
        replace(exam_day(0), candidates=(BookedCandidate("x", english_extra=-5),))


def test_times_are_worded_in_each_language():
    assert clock_text(hm(9, 30), "fr") == "9 h 30"
    assert clock_text(hm(9, 30), "en") == "09:30"
    assert span((9, 0), (9, 30)).text("fr") == "9 h-9 h 30"


# --- Properties ----------------------------------------------------------------------------------

STEP = 5


@st.composite
def spans(draw, low: int, high: int, min_minutes: int = 15) -> Span:
    start = draw(st.integers(low // STEP, (high - min_minutes) // STEP)) * STEP
    end = draw(st.integers((start + min_minutes) // STEP, high // STEP)) * STEP
    return Span(start, end)


@st.composite
def small_days(draw) -> ExamDay:
    opening = Span(hm(9), hm(12))

    def assessor(prefix: str, number: int) -> Assessor:
        available = tuple(
            draw(st.lists(spans(opening.start, opening.end, 30), min_size=1, max_size=2))
        )
        own = tuple(draw(st.lists(spans(opening.start, opening.end, 10), max_size=1)))
        return Assessor(f"{prefix} {number}", available, own)

    juries = tuple(assessor("Jury", n) for n in range(draw(st.integers(1, 2))))
    examiners = tuple(assessor("Examiner", n) for n in range(draw(st.integers(1, 2))))
    extra = st.sampled_from((0, 0, 5, 10))
    candidates = tuple(
        BookedCandidate(f"C{n}", interview_extra=draw(extra), english_extra=draw(extra))
        for n in range(draw(st.integers(1, 5)))
    )
    return ExamDay(
        day=DAY,
        opening=opening,
        breaks=tuple(draw(st.lists(spans(opening.start, opening.end, 10), max_size=1))),
        juries=juries,
        examiners=examiners,
        candidates=candidates,
        gap_minutes=draw(st.sampled_from((0, 5, 15))),
    )


FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALL_CODES = {
    "timetable.interview_capacity",
    "timetable.english_capacity",
    "timetable.interview_slots",
    "timetable.english_slots",
    "timetable.interview_too_long",
    "timetable.english_too_long",
    "timetable.infeasible",
}


@FAST
@given(small_days())
def test_a_solved_timetable_respects_everything_else_the_reason_is_given(day):
    result = build_timetable(day, time_limit_seconds=5)
    event(result.outcome.value)
    assert result.outcome is not Outcome.TIME_LIMIT
    if result.solved:
        assert_sound(day, result.appointments)
        assert check_timetable(day, result.appointments) == ()
    else:
        assert result.reasons and codes(result.reasons) <= ALL_CODES
        for exam in Exam:
            if day.needed_minutes(exam) > day.offered_minutes(exam):
                assert f"timetable.{exam.value}_capacity" in codes(result.reasons)


@FAST
@given(small_days(), st.data())
def test_check_finds_any_injected_overlap(day, data):
    result = build_timetable(day, time_limit_seconds=5)
    if not result.solved or len(result.appointments) < 2:
        return
    exam = data.draw(st.sampled_from(tuple(Exam)))
    mover, target = data.draw(st.permutations(result.appointments))[:2]
    reasons = check_timetable(day, on_top_of(result.appointments, exam, mover, target))
    kind = "jury" if exam is Exam.INTERVIEW else "examiner"
    assert f"timetable.{kind}_overlap" in codes(reasons)
