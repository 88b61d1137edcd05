"""The booking services (R6.1, R10.4): days within the exams window, a capacity never below the
seats taken, one final choice per candidate, staff moves with a reason, accommodations."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from admissions.audit.models import AuditEntry
from admissions.exams.models import Accommodation, Booking, ExamDay, ExamSlot
from admissions.exams.selectors.booking import granted_accommodation
from admissions.exams.services import booking as services
from tests.exams.booking_helpers import (
    BEFORE_RESULTS,
    BOOKING_CLOSED,
    BOOKING_OPEN,
    FIRST_DAY,
    PDF,
    admissible,
    exam_day,
    people,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam_people(accounts_by_role, reference_campaign):
    return people(accounts_by_role, reference_campaign)


def day_args(**changes):
    args = {
        "date": FIRST_DAY,
        "starts_at": time(8),
        "ends_at": time(18),
        "capacity": 10,
        "videoconference": "https://visio.example.org/jour1",
        "breaks": [(time(12), time(13, 30))],
    }
    return {**args, **changes}


def test_a_day_is_created_within_the_exams_window(reference_campaign, exam_people):
    day = services.save_day(
        campaign=reference_campaign, by=exam_people["officer"], now=BOOKING_OPEN, **day_args()
    )

    assert (day.capacity, day.breaks) == (10, [["12:00", "13:30"]])
    assert AuditEntry.objects.filter(action="exams.day.created").count() == 1


@pytest.mark.parametrize("outside", [date(2021, 3, 28), date(2021, 4, 10)])
def test_a_day_outside_the_exams_window_is_refused(reference_campaign, exam_people, outside):
    with pytest.raises(services.ExamError) as refused:
        services.save_day(
            campaign=reference_campaign,
            by=exam_people["officer"],
            now=BOOKING_OPEN,
            **day_args(date=outside),
        )

    assert "période des épreuves" in refused.value.message
    assert ExamDay.objects.count() == 0


def test_the_capacity_never_goes_below_the_seats_booked(reference_campaign, exam_people):
    officer = exam_people["officer"]
    day = exam_day(reference_campaign, capacity=3)
    for number in range(2):
        dossier = admissible(reference_campaign, f"c{number}@example.org", officer)
        services.book_day(dossier=dossier, day_id=day.pk, by=dossier.candidate, now=BOOKING_OPEN)

    with pytest.raises(services.ExamError) as refused:
        services.save_day(
            campaign=reference_campaign,
            by=officer,
            now=BOOKING_OPEN,
            day=day,
            **day_args(capacity=1),
        )

    assert "2 places sont déjà prises" in refused.value.message
    day.refresh_from_db()
    assert (day.capacity, day.booked) == (3, 2)
    services.save_day(
        campaign=reference_campaign, by=officer, now=BOOKING_OPEN, day=day, **day_args(capacity=2)
    )


def test_an_officer_of_another_school_cannot_define_days(reference_campaign, exam_people):
    with pytest.raises(services.ExamError):
        services.save_day(
            campaign=reference_campaign,
            by=exam_people["other_officer"],
            now=BOOKING_OPEN,
            **day_args(),
        )


def test_panel_members_are_the_schools_jury_accounts(reference_campaign, exam_people):
    day = exam_day(reference_campaign)
    args = {
        "day": day,
        "by": exam_people["officer"],
        "now": BOOKING_OPEN,
        "exam_code": "interview",
        "name": "Jury 1",
        "available_from": time(9),
        "available_until": time(17),
        "breaks": [],
    }
    with pytest.raises(services.ExamError) as refused:
        services.save_panel(members=[exam_people["other_jury"]], **args)
    assert "jurys de l'école" in refused.value.message
    with pytest.raises(services.ExamError):
        services.save_panel(members=[exam_people["jury"]], **{**args, "exam_code": "maths"})

    panel = services.save_panel(members=[exam_people["jury"]], **args)

    assert list(panel.members.all()) == [exam_people["jury"]]


def test_a_candidate_books_once_and_the_seat_is_counted(reference_campaign, exam_people):
    day = exam_day(reference_campaign, capacity=2)
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])

    services.book_day(dossier=dossier, day_id=day.pk, by=dossier.candidate, now=BOOKING_OPEN)
    with pytest.raises(services.ExamError) as again:
        services.book_day(dossier=dossier, day_id=day.pk, by=dossier.candidate, now=BOOKING_OPEN)

    assert again.value.outcome == services.ALREADY_BOOKED
    day.refresh_from_db()
    assert (day.booked, Booking.objects.count()) == (1, 1)


def test_a_full_day_refuses_and_takes_nothing(reference_campaign, exam_people):
    day = exam_day(reference_campaign, capacity=1)
    first = admissible(reference_campaign, "a@example.org", exam_people["officer"])
    second = admissible(reference_campaign, "b@example.org", exam_people["officer"])
    services.book_day(dossier=first, day_id=day.pk, by=first.candidate, now=BOOKING_OPEN)

    with pytest.raises(services.ExamError) as full:
        services.book_day(dossier=second, day_id=day.pk, by=second.candidate, now=BOOKING_OPEN)

    assert full.value.outcome == services.FULL
    day.refresh_from_db()
    assert day.booked == 1
    assert not Booking.objects.filter(dossier=second).exists()


def test_a_double_submit_gives_the_seat_back(reference_campaign, exam_people, monkeypatch):
    """The Booking's uniqueness fails after the seat was taken: the whole transaction goes."""
    day = exam_day(reference_campaign, capacity=5)
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])
    services.book_day(dossier=dossier, day_id=day.pk, by=dossier.candidate, now=BOOKING_OPEN)
    # The early check passes (as for two requests at once): the constraint decides.
    monkeypatch.setattr(
        Booking.objects, "filter", lambda **kw: Booking.objects.none(), raising=False
    )

    with pytest.raises(services.ExamError) as again:
        services.book_day(dossier=dossier, day_id=day.pk, by=dossier.candidate, now=BOOKING_OPEN)

    assert again.value.outcome == services.ALREADY_BOOKED
    day.refresh_from_db()
    assert day.booked == 1


@pytest.mark.parametrize(
    ("now", "is_admissible", "outcome"),
    [
        (BEFORE_RESULTS, True, services.NOT_ADMISSIBLE),
        (BOOKING_OPEN, False, services.NOT_ADMISSIBLE),
        (BOOKING_CLOSED, True, services.CLOSED),
    ],
)
def test_who_may_book_and_when(reference_campaign, exam_people, now, is_admissible, outcome):
    day = exam_day(reference_campaign)
    dossier = admissible(
        reference_campaign, "c@example.org", exam_people["officer"], admissible=is_admissible
    )

    with pytest.raises(services.ExamError) as refused:
        services.book_day(dossier=dossier, day_id=day.pk, by=dossier.candidate, now=now)

    assert refused.value.outcome == outcome
    assert Booking.objects.count() == 0


def test_staff_move_a_booking_with_a_reason(reference_campaign, exam_people):
    officer = exam_people["officer"]
    old = exam_day(reference_campaign, capacity=2)
    new = exam_day(reference_campaign, day=date(2021, 3, 31), capacity=1)
    dossier = admissible(reference_campaign, "c@example.org", officer)
    booking = services.book_day(
        dossier=dossier, day_id=old.pk, by=dossier.candidate, now=BOOKING_OPEN
    )
    panel = old.panels.create(exam_code="interview", name="Jury 1")
    ExamSlot.objects.create(
        booking=booking,
        exam_code="interview",
        panel=panel,
        starts_at=BOOKING_CLOSED,
        ends_at=BOOKING_CLOSED.replace(hour=11),
    )
    with pytest.raises(services.ExamError):
        services.move_booking(booking=booking, to_day=new, reason=" ", by=officer, now=BOOKING_OPEN)

    services.move_booking(
        booking=booking, to_day=new, reason="Malade ce jour-là", by=officer, now=BOOKING_OPEN
    )

    old.refresh_from_db()
    new.refresh_from_db()
    booking.refresh_from_db()
    assert (booking.day_id, old.booked, new.booked) == (new.pk, 0, 1)
    assert not ExamSlot.objects.exists()
    entry = AuditEntry.objects.get(action="exams.booking.moved")
    assert entry.reason == "Malade ce jour-là"
    # The new day is full now: moving someone else there is refused, nothing changes.
    other = admissible(reference_campaign, "d@example.org", officer)
    other_booking = services.book_day(
        dossier=other, day_id=old.pk, by=other.candidate, now=BOOKING_OPEN
    )
    with pytest.raises(services.ExamError) as full:
        services.move_booking(
            booking=other_booking, to_day=new, reason="Échange", by=officer, now=BOOKING_OPEN
        )
    assert full.value.outcome == services.FULL
    old.refresh_from_db()
    assert old.booked == 1


def test_an_accommodation_is_requested_then_approved(reference_campaign, exam_people, mailoutbox):
    officer = exam_people["officer"]
    dossier = admissible(reference_campaign, "c@example.org", officer)
    params = reference_campaign.params()
    row = services.request_accommodation(
        dossier=dossier,
        needs="Tiers temps",
        upload=SimpleUploadedFile("avis.pdf", PDF),
        by=dossier.candidate,
        now=BOOKING_OPEN,
        params=params,
    )
    assert row.state == Accommodation.State.PENDING
    assert granted_accommodation(dossier).extra_minutes == {}

    services.decide_accommodation(
        accommodation=row,
        by=officer,
        approve=True,
        granted="Tiers temps",
        extra_minutes={"interview": 10, "english": 5},
        reason="",
        now=BOOKING_OPEN,
    )

    granted = granted_accommodation(dossier)
    assert (granted.minutes_for("interview"), granted.minutes_for("english")) == (10, 5)
    assert granted.granted == "Tiers temps"
    with pytest.raises(services.ExamError):
        services.decide_accommodation(
            accommodation=row,
            by=officer,
            approve=False,
            granted="",
            extra_minutes={},
            reason="Trop tard",
            now=BOOKING_OPEN,
        )


def test_a_proof_that_is_not_a_document_is_refused(reference_campaign, exam_people):
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])

    with pytest.raises(services.ExamError) as refused:
        services.request_accommodation(
            dossier=dossier,
            needs="Tiers temps",
            upload=SimpleUploadedFile("avis.pdf", b"<html>not a pdf</html>"),
            by=dossier.candidate,
            now=BOOKING_OPEN,
            params=reference_campaign.params(),
        )

    assert "pas été accepté" in refused.value.message
    assert Accommodation.objects.count() == 0


def test_a_refusal_needs_a_reason_and_grants_nothing(reference_campaign, exam_people):
    officer = exam_people["officer"]
    dossier = admissible(reference_campaign, "c@example.org", officer)
    row = Accommodation.objects.create(dossier=dossier, needs="x", requested_at=BOOKING_OPEN)
    with pytest.raises(services.ExamError):
        services.decide_accommodation(
            accommodation=row,
            by=officer,
            approve=False,
            granted="",
            extra_minutes={},
            reason="",
            now=BOOKING_OPEN,
        )

    services.decide_accommodation(
        accommodation=row,
        by=officer,
        approve=False,
        granted="",
        extra_minutes={},
        reason="Justificatif illisible",
        now=BOOKING_OPEN,
    )

    row.refresh_from_db()
    assert (row.state, row.refusal_reason) == (
        Accommodation.State.REFUSED,
        "Justificatif illisible",
    )
    assert granted_accommodation(dossier).extra_minutes == {}


def test_requests_close_at_the_staff_date(reference_campaign, exam_people):
    officer = exam_people["officer"]
    dossier = admissible(reference_campaign, "c@example.org", officer)
    services.set_accommodations_close(
        campaign=reference_campaign, close_at=BOOKING_OPEN, by=officer, now=BEFORE_RESULTS
    )

    with pytest.raises(services.ExamError) as closed:
        services.request_accommodation(
            dossier=dossier,
            needs="Tiers temps",
            upload=SimpleUploadedFile("avis.pdf", PDF),
            by=dossier.candidate,
            now=BOOKING_OPEN,
            params=reference_campaign.params(),
        )

    assert closed.value.outcome == services.CLOSED
