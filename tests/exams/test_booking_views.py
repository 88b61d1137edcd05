"""The exam-day pages (R6.1, R10.4): the candidate's stages and two-step choice, in French and
English; the staff pages of one school only."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from admissions.exams.models import Booking, ExamDay
from tests.exams.booking_helpers import (
    BEFORE_RESULTS,
    BOOKING_CLOSED,
    BOOKING_OPEN,
    PDF,
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


def test_staff_move_a_booking_from_the_page(client, reference_campaign, exam_people, at):
    at(BOOKING_OPEN)
    old = exam_day(reference_campaign, capacity=2)
    new = exam_day(reference_campaign, day=old.date.replace(day=31), capacity=2)
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])
    client.force_login(dossier.candidate)
    client.post("/dossier/epreuves/jour/", {"day": old.pk, "confirm": "1"})
    client.force_login(exam_people["officer"])
    path = f"/gestion/epreuves/inscriptions/{dossier.reference}/deplacer"

    missing = client.post(path, {"day": new.pk, "reason": ""})
    assert missing.status_code == 400
    assert "Indiquez le motif du changement de jour." in missing.content.decode()
    moved = client.post(path, {"day": new.pk, "reason": "Convocation à un concours"})

    assert moved.status_code == 302
    assert Booking.objects.get(dossier=dossier).day_id == new.pk
    client.force_login(exam_people["other_officer"])
    assert client.get(path).status_code == 404


def test_accommodation_decided_by_staff_is_emailed_in_the_candidates_language(
    client, reference_campaign, exam_people, at, mailoutbox, django_capture_on_commit_callbacks
):
    at(BOOKING_OPEN)
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])
    dossier.candidate.language = "en"
    dossier.candidate.save()
    client.force_login(dossier.candidate)
    upload = SimpleUploadedFile("avis.pdf", PDF)
    response = client.post(
        "/dossier/epreuves/amenagements/", {"needs": "Extra time", "proof": upload}
    )
    assert response.status_code == 302
    client.force_login(exam_people["officer"])
    listing = page(client, "/gestion/epreuves/amenagements/")
    assert dossier.reference in listing
    proof = client.get(f"/gestion/epreuves/amenagements/{dossier.reference}/justificatif")
    assert proof["Content-Disposition"].startswith("attachment")
    assert b"".join(proof.streaming_content).startswith(b"%PDF")

    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(
            f"/gestion/epreuves/amenagements/{dossier.reference}/",
            {"decision": "approve", "granted": "Un tiers temps", "extra_interview": "10"},
        )

    assert decided.status_code == 302
    assert mailoutbox[-1].subject == (f"Exam accommodation granted — dossier {dossier.reference}")
    assert "Interview with the jury: 10 extra minutes" in mailoutbox[-1].body
    client.force_login(dossier.candidate)
    client.cookies["django_language"] = "en"
    assert "Un tiers temps" in page(client, "/dossier/epreuves/amenagements/")


def test_the_data_export_and_the_timeline_show_the_booking(
    client, reference_campaign, exam_people, at
):
    at(BOOKING_OPEN)
    day = exam_day(reference_campaign, capacity=2)
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])
    client.force_login(dossier.candidate)
    client.post("/dossier/epreuves/jour/", {"day": day.pk, "confirm": "1"})
    client.post(
        "/dossier/epreuves/amenagements/",
        {"needs": "Tiers temps", "proof": SimpleUploadedFile("avis.pdf", PDF)},
    )

    archive = zipfile.ZipFile(io.BytesIO(client.get("/dossier/mes-donnees.zip").content))
    exported = json.loads(archive.read("donnees.json"))

    assert exported["exam_booking"]["day"] == "2021-03-30"
    assert exported["exam_accommodation"]["state"] == "pending"
    assert archive.read("amenagement/avis.pdf").startswith(b"%PDF")
    assert "votre jour : le mardi 30 mars 2021" in page(client, "/dossier/")


def test_no_confirmation_step_once_booked(client, reference_campaign, exam_people, at):
    at(BOOKING_OPEN)
    day = exam_day(reference_campaign, capacity=3)
    dossier = admissible(reference_campaign, "c@example.org", exam_people["officer"])
    client.force_login(dossier.candidate)
    client.post("/dossier/epreuves/jour/", {"day": day.pk, "confirm": "1"})

    response = client.post("/dossier/epreuves/jour/", {"day": day.pk}, follow=True)

    assert 'data-stage="booked"' in response.content.decode()
