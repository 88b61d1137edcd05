"""The exam-day pages (R6.1, R10.4): the candidate's stages and two-step choice, in French and
English; the staff pages of one school only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from admissions.exams.models import Booking, ExamDay
from tests.exams.booking_helpers import (
    BEFORE_RESULTS,
    BOOKING_CLOSED,
    BOOKING_OPEN,
    admissible,
    exam_day,
    people,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam_people(accounts_by_role, reference_campaign):
    return people(accounts_by_role, reference_campaign)


@pytest.fixture
def at(settings):
    def set_clock(instant):
        settings.CLOCK_AT = instant.isoformat()

    return set_clock


def page(client, path="/dossier/epreuves/", **kwargs) -> str:
    response = client.get(path, follow=True, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def test_the_admissibility_link_leads_to_the_choice(client, reference_campaign, exam_people, at):
    at(BOOKING_OPEN)
    day = exam_day(reference_campaign, capacity=2)
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])
    client.force_login(dossier.candidate)

    response = client.get(reverse("committee:exam_days"))
    assert response.status_code == 302
    text = page(client)

    assert 'data-stage="open"' in text
    assert f'value="{day.pk}"' in text
    assert "2 places restantes" in text


def test_choosing_asks_to_confirm_then_books(client, reference_campaign, exam_people, at):
    at(BOOKING_OPEN)
    day = exam_day(reference_campaign, capacity=2)
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])
    client.force_login(dossier.candidate)

    step = client.post("/dossier/epreuves/jour/", {"day": day.pk})
    assert "Ce choix est définitif" in step.content.decode()
    assert not Booking.objects.exists()

    done = client.post("/dossier/epreuves/jour/", {"day": day.pk, "confirm": "1"}, follow=True)
    assert "Votre jour d&#x27;épreuves est enregistré." in done.content.decode()
    assert 'data-stage="booked"' in done.content.decode()
    # A double click: told it is already chosen, nothing more taken.
    again = client.post("/dossier/epreuves/jour/", {"day": day.pk, "confirm": "1"}, follow=True)
    assert "Votre jour d&#x27;épreuves est déjà choisi." in again.content.decode()
    day.refresh_from_db()
    assert (day.booked, Booking.objects.count()) == (1, 1)


def test_a_full_day_shows_the_remaining_choices_in_english(
    client, reference_campaign, exam_people, at
):
    at(BOOKING_OPEN)
    full = exam_day(reference_campaign, capacity=1)
    other = exam_day(reference_campaign, day=full.date.replace(day=31), capacity=3)
    ExamDay.objects.filter(pk=full.pk).update(booked=1)
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])
    client.force_login(dossier.candidate)

    client.cookies["django_language"] = "en"
    response = client.post("/dossier/epreuves/jour/", {"day": full.pk, "confirm": "1"})
    text = response.content.decode()

    assert "This day is full" in text
    assert f'value="{other.pk}"' in text
    assert f'value="{full.pk}"' not in text
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("instant", "is_admissible", "stage"),
    [
        (BEFORE_RESULTS, True, "no_result"),
        (BOOKING_OPEN, False, "no_result"),
        (BOOKING_CLOSED, True, "closed"),
    ],
)
def test_each_stage_has_its_page(
    client, reference_campaign, exam_people, at, instant, is_admissible, stage
):
    at(instant)
    dossier = admissible(
        reference_campaign, "c@example.org", exam_people["officer"], admissible=is_admissible
    )
    client.force_login(dossier.candidate)

    assert f'data-stage="{stage}"' in page(client)


def test_staff_see_their_schools_days_only(client, reference_campaign, exam_people, at):
    at(BOOKING_OPEN)
    day = exam_day(reference_campaign, capacity=4)
    client.force_login(exam_people["officer"])
    listing = page(client, "/gestion/epreuves/journees/")
    assert f"/gestion/epreuves/journees/{day.pk}/" in listing

    client.force_login(exam_people["other_officer"])
    assert client.get("/gestion/epreuves/journees/").status_code == 404
    assert client.get(f"/gestion/epreuves/journees/{day.pk}/").status_code == 404


def test_staff_refused_capacity_says_why(client, reference_campaign, exam_people, at):
    at(BOOKING_OPEN)
    day = exam_day(reference_campaign, capacity=2)
    ExamDay.objects.filter(pk=day.pk).update(booked=2)
    client.force_login(exam_people["officer"])

    response = client.post(
        f"/gestion/epreuves/journees/{day.pk}/",
        {"date": "2021-03-30", "starts_at": "08:00", "ends_at": "18:00", "capacity": "1"},
    )

    assert response.status_code == 400
    assert "2 places sont déjà prises" in response.content.decode()
    day.refresh_from_db()
    assert day.capacity == 2


def test_bookings_export_as_csv(client, reference_campaign, exam_people, at):
    at(BOOKING_OPEN)
    day = exam_day(reference_campaign, capacity=2)
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])
    Booking.objects.create(
        dossier=dossier, day=day, booked_at=BOOKING_OPEN, booked_by=dossier.candidate
    )
    client.force_login(exam_people["officer"])

    response = client.get(f"/gestion/epreuves/inscriptions/export.csv?day={day.pk}")
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert body.splitlines()[0].startswith("Jour / Day;Dossier")
    assert f"2021-03-30;{dossier.reference};Martin" in body
