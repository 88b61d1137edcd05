"""Building, adjusting and convoking (R6.2, R10.4): the services."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from icalendar import Calendar

from admissions.audit.models import AuditEntry
from admissions.exams.models import ExamDay, ExamSlot
from admissions.exams.selectors import timetable as selectors
from admissions.exams.services import timetable as services
from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import compose
from admissions.rules import timetable as solver
from tests.exams.timetable_world import NOW, PARIS, book, make_world

pytestmark = pytest.mark.django_db

TIME_LIMIT = 2.0


@pytest.fixture
def world(reference_campaign):
    return make_world(reference_campaign)


def build(world, **kwargs):
    return services.build_day_timetable(
        day=world.day, by=world.officer, now=NOW, time_limit_seconds=TIME_LIMIT, **kwargs
    )


def stored_faults(day: ExamDay) -> tuple:
    data = selectors.day_data(day)
    return solver.check_timetable(data.solver_day(), data.appointments(list(data.slots)))


def local(moment) -> time:
    return moment.astimezone(PARIS).time()


def test_a_built_timetable_places_everyone_without_overlap_within_every_availability(world):
    built = build(world)

    slots = list(ExamSlot.objects.filter(booking__day=world.day).select_related("panel"))
    world.day.refresh_from_db()
    assert built.candidates == 6
    assert len(slots) == 12
    assert stored_faults(world.day) == ()
    assert world.day.timetable_built_at == NOW
    # Jury 2 is there from 13:00 only; the lunch break and the examiner's break are kept.
    for slot in slots:
        if slot.panel.name == "Jury 2":
            assert local(slot.starts_at) >= time(13)
        assert not (local(slot.starts_at) < time(13) and local(slot.ends_at) > time(12))
        if slot.panel.name == "Examinateur A":
            assert not (local(slot.starts_at) < time(10, 45) and local(slot.ends_at) > time(10, 30))
    # The approved accommodation lengthens both exams of that candidate (R10.4).
    lengths = {
        s.exam_code: s.ends_at - s.starts_at
        for s in slots
        if s.booking.dossier_id == world.dossiers[0].pk
    }
    assert lengths == {"interview": timedelta(minutes=40), "english": timedelta(minutes=20)}
    assert AuditEntry.objects.filter(action="exams.timetable.built").count() == 1


def test_an_infeasible_day_is_explained_and_nothing_is_written(reference_campaign):
    world = make_world(reference_campaign, candidates=5, starts=time(9), ends=time(10))

    with pytest.raises(services.TimetableError) as refused:
        build(world)

    codes = {reason.code for reason in refused.value.reasons}
    assert "timetable.interview_capacity" in codes
    texts = [reason.text("en") for reason in refused.value.reasons]
    assert any("5 candidates" in text for text in texts)
    world.day.refresh_from_db()
    assert world.day.timetable_built_at is None
    assert not ExamSlot.objects.exists()
    assert not AuditEntry.objects.filter(action="exams.timetable.built").exists()


def test_only_the_schools_officer_builds(world):
    with pytest.raises(services.TimetableError):
        services.build_day_timetable(day=world.day, by=world.other_officer, now=NOW)
    assert not ExamSlot.objects.exists()


def adjust(world, slot, *, starts_at, panel=None):
    return services.adjust_slot(
        slot=slot,
        by=world.officer,
        starts_at=starts_at,
        panel=panel or slot.panel,
        was_starts_at=slot.starts_at,
        was_panel_id=slot.panel_id,
        now=NOW,
    )


def interview_slots(world):
    return list(
        ExamSlot.objects.filter(booking__day=world.day, exam_code="interview")
        .select_related("panel", "booking__day")
        .order_by("starts_at")
    )


def test_an_adjustment_that_double_books_a_jury_is_refused(world):
    build(world)
    first, second = [s for s in interview_slots(world) if s.panel.name == "Jury 1"][:2]

    with pytest.raises(services.TimetableError) as refused:
        adjust(world, second, starts_at=first.starts_at)

    assert "timetable.jury_overlap" in {r.code for r in refused.value.reasons}
    second.refresh_from_db()
    assert second.adjusted_by is None
    assert stored_faults(world.day) == ()


def test_an_adjustment_that_breaks_the_candidates_gap_is_refused(world):
    build(world)
    english = ExamSlot.objects.filter(booking__day=world.day, exam_code="english").first()
    assert english is not None
    interview = ExamSlot.objects.get(booking=english.booking, exam_code="interview")

    with pytest.raises(services.TimetableError) as refused:
        adjust(world, english, starts_at=interview.ends_at + timedelta(minutes=5))

    codes = {r.code for r in refused.value.reasons}
    assert codes & {
        "timetable.gap_too_short",
        "timetable.candidate_overlap",
        "timetable.examiner_overlap",
    }


def test_an_adjustment_outside_the_jurys_hours_is_refused(world):
    build(world)
    slot = interview_slots(world)[0]
    morning = slot.starts_at.replace(hour=8)  # Jury 2 comes at 13:00; the day opens at 9:00

    with pytest.raises(services.TimetableError) as refused:
        adjust(world, slot, starts_at=morning, panel=world.panels["Jury 2"])

    assert refused.value.reasons
    slot.refresh_from_db()
    assert slot.panel.name != "Jury 2" or local(slot.starts_at) >= time(13)


def free_start(world, panel_name: str, exam: str):
    """A start in the late afternoon, free for the panel, clear of the candidate's other exam."""
    return world.day and world_instant(world, time(16, 0))


def world_instant(world, at: time):
    from datetime import datetime

    return datetime.combine(world.day.date, at, tzinfo=PARIS)


def test_an_adjustment_is_kept_audited_and_survives_a_rebuild(world):
    build(world)
    slot = [s for s in interview_slots(world) if s.panel.name == "Jury 1"][0]
    target = world_instant(world, time(16, 20))

    moved = adjust(world, slot, starts_at=target, panel=world.panels["Jury 2"])

    assert (moved.starts_at, moved.panel.name, moved.adjusted_by) == (
        target,
        "Jury 2",
        world.officer,
    )
    assert stored_faults(world.day) == ()
    assert AuditEntry.objects.filter(action="exams.timetable.slot_adjusted").count() == 1
    # The same move again (a double click) changes nothing and is not refused.
    again = services.adjust_slot(
        slot=slot,
        by=world.officer,
        starts_at=target,
        panel=world.panels["Jury 2"],
        was_starts_at=slot.starts_at,
        was_panel_id=slot.panel_id,
        now=NOW,
    )
    assert again.starts_at == target
    assert AuditEntry.objects.filter(action="exams.timetable.slot_adjusted").count() == 1
    # A stale form (the slot as it was before the move, to another time) is refused.
    with pytest.raises(services.TimetableError, match="modifié entre-temps"):
        services.adjust_slot(
            slot=slot,
            by=world.officer,
            starts_at=world_instant(world, time(16, 40)),
            panel=world.panels["Jury 2"],
            was_starts_at=slot.starts_at,
            was_panel_id=slot.panel_id,
            now=NOW,
        )
    build(world)
    kept = ExamSlot.objects.get(pk=slot.pk)
    assert (kept.starts_at, kept.panel.name) == (target, "Jury 2")
    assert stored_faults(world.day) == ()


def test_a_candidate_booked_after_the_build_is_placed_by_a_rebuild(world):
    from tests.committee.conftest import submitted_dossier

    build(world)
    late = submitted_dossier(world.campaign, "late@example.org", last_name="Tardif")
    book(world.day, late)
    assert [b.dossier for b in selectors.timetable_of(world.day).unplaced] == [late]

    build(world)

    assert ExamSlot.objects.filter(booking__dossier=late).count() == 2
    assert selectors.timetable_of(world.day).unplaced == []


def convocations(world):
    return services.send_convocations(day=world.day, by=world.officer, now=NOW)


def test_convocations_are_owed_once_with_an_ics_of_both_exams(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyTaskBackend"}}
    with pytest.raises(services.TimetableError):
        convocations(world)  # no timetable yet
    build(world)

    sent = convocations(world)

    assert (sent.queued, sent.unchanged, sent.unplaced) == (6, 0, 0)
    email = OutboundEmail.objects.get(dossier=world.dossiers[0])
    assert email.kind == OutboundEmail.Kind.CONVOCATION
    message = compose(email)
    assert message is not None
    slots = {s.exam_code: s for s in ExamSlot.objects.filter(booking__dossier=world.dossiers[0])}
    assert "9h" not in message.subject
    for slot in slots.values():
        assert slot.starts_at.astimezone(PARIS).strftime("%H:%M").lstrip("0")[:1] in message.body
    assert "https://visio.example.org/salle-1" in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype.split(";")[0]) == ("convocation.ics", "text/calendar")
    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    starts = sorted(event.decoded("dtstart") for event in events)
    assert starts == sorted(s.starts_at for s in slots.values())
    assert all(str(e.decoded("dtstart").tzinfo) == "Europe/Paris" for e in events)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    # Again without change: nothing more is owed.
    assert convocations(world).queued == 0
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.CONVOCATION).count() == 6


def test_resending_after_an_adjustment_sends_the_new_times_to_that_candidate_only(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyTaskBackend"}}
    build(world)
    convocations(world)
    slot = [s for s in interview_slots(world) if s.panel.name == "Jury 1"][0]
    target = world_instant(world, time(16, 20))
    adjust(world, slot, starts_at=target, panel=world.panels["Jury 2"])
    assert selectors.timetable_of(world.day).convoked == 5

    sent = convocations(world)

    assert (sent.queued, sent.unchanged) == (1, 5)
    newest = OutboundEmail.objects.filter(dossier=slot.booking.dossier).order_by("-pk").first()
    message = compose(newest)
    events = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
    assert target in {event.decoded("dtstart") for event in events}
    assert selectors.timetable_of(world.day).convoked == 6


def test_the_english_convocation_is_in_english(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyTaskBackend"}}
    candidate = world.dossiers[1].candidate
    candidate.language = "en"
    candidate.save()
    build(world)
    convocations(world)

    message = compose(OutboundEmail.objects.get(dossier=world.dossiers[1]))

    assert "convocation" in message.subject.lower() or "exam" in message.subject.lower()
    assert "You are invited" in message.body
    assert "Interview with the jury" in message.body


def test_a_jurys_list_holds_its_own_candidates_only(world):
    build(world)

    lines = selectors.panel_slots_for(world.jury1, world.day)

    assert lines
    assert {line.slot.panel.name for line in lines} == {"Jury 1"}
    assert [line.slot.starts_at for line in lines] == sorted(line.slot.starts_at for line in lines)
    mine = {line.reference for line in lines}
    others = {line.reference for line in selectors.panel_slots_for(world.jury2, world.day)}
    assert mine.isdisjoint(others)
    accommodated = [line for line in lines if line.reference == world.dossiers[0].reference]
    for line in accommodated:
        assert line.accommodation.startswith("Tiers temps")
