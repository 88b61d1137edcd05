"""The timetable's pages (R6.2): staff build, adjust and convoke; a candidate reads their
convocation; a jury member reads and downloads only their own list (404 for another's)."""

from __future__ import annotations

import csv
import io
from datetime import time

import pytest
from django.urls import reverse
from icalendar import Calendar

from admissions.exams.models import ExamDay, ExamSlot
from admissions.exams.services import timetable as services
from admissions.notifications.models import OutboundEmail
from tests.exams.timetable_world import NOW, PARIS, make_world
from tests.helpers import page_text, pdf_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_campaign, settings):
    settings.CLOCK_AT = NOW.isoformat()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyTaskBackend"}}
    return make_world(reference_campaign, candidates=4)


def built(world):
    services.build_day_timetable(day=world.day, by=world.officer, now=NOW, time_limit_seconds=2)
    return world


def day_url(world, name="day", **kwargs):
    return reverse(f"exams_timetable:{name}", kwargs={"day_id": world.day.pk, **kwargs})


def test_the_officer_builds_the_timetable_from_the_page(client, world):
    client.force_login(world.officer)
    assert "Établir l'emploi du temps" in page_text(client.get(day_url(world)))

    response = client.post(day_url(world, "build"))

    assert response.status_code == 302
    assert ExamSlot.objects.filter(booking__day=world.day).count() == 8
    page = page_text(client.get(day_url(world)))
    assert "Emploi du temps établi : 4 candidats placés" in page
    assert "min d'attente entre candidats" in page
    assert world.dossiers[0].reference in page


def test_another_schools_officer_gets_404(client, world):
    client.force_login(world.other_officer)
    assert client.get(day_url(world)).status_code == 404
    assert client.post(day_url(world, "build")).status_code == 404
    assert world.day.pk not in [
        d.pk for d in client.get(reverse("exams_timetable:days")).context["days"]
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "L'emploi du temps de cette journée ne peut pas être établi."),
        ("en", "The timetable of this day cannot be built."),
    ],
)
def test_an_infeasible_day_says_why_in_the_pages_language(
    client, reference_campaign, settings, language, expected
):
    settings.CLOCK_AT = NOW.isoformat()
    world = make_world(reference_campaign, candidates=5, starts=time(9), ends=time(10))
    client.force_login(world.officer)
    client.cookies["django_language"] = language

    response = client.post(day_url(world, "build"))

    page = page_text(response)
    assert response.status_code == 400
    assert expected in page
    assert ("5 candidats" if language == "fr" else "5 candidates") in page
    assert not ExamSlot.objects.exists()


def test_an_overlapping_adjustment_is_refused_on_the_page(client, world):
    built(world)
    client.force_login(world.officer)
    first, second = ExamSlot.objects.filter(booking__day=world.day, panel__name="Jury 1").order_by(
        "starts_at"
    )[:2]
    prefix = f"slot{second.pk}"

    response = client.post(
        day_url(world, "adjust", slot_id=second.pk),
        {
            f"{prefix}-starts_at": first.starts_at.astimezone(PARIS).strftime("%H:%M"),
            f"{prefix}-panel": str(first.panel_id),
            f"{prefix}-was_starts_at": second.starts_at.isoformat(),
            f"{prefix}-was_panel": str(second.panel_id),
        },
    )

    assert response.status_code == 400
    assert "Ce déplacement est refusé" in page_text(response)
    assert "aurait deux candidats en même temps" in page_text(response)
    second.refresh_from_db()
    assert second.adjusted_by is None


def test_a_malformed_adjustment_is_a_clear_400(client, world):
    built(world)
    client.force_login(world.officer)
    slot = ExamSlot.objects.filter(booking__day=world.day).first()
    response = client.post(
        day_url(world, "adjust", slot_id=slot.pk), {f"slot{slot.pk}-starts_at": "25:99"}
    )
    assert response.status_code == 400
    assert "Corrigez le formulaire de ce créneau." in page_text(response)


def test_sending_the_convocations_then_the_candidate_reads_them(client, world):
    dossier = world.dossiers[0]
    built(world)
    client.force_login(dossier.candidate)
    assert client.get(reverse("exams_timetable:convocation")).status_code == 404
    client.force_login(world.officer)

    response = client.post(day_url(world, "convocations"))

    assert response.status_code == 302
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.CONVOCATION).count() == 4
    assert "4 envoyées" in page_text(client.get(day_url(world)))
    client.force_login(dossier.candidate)
    page = page_text(client.get(reverse("exams_timetable:convocation")))
    assert "Entretien avec le jury" in page
    assert "https://visio.example.org/salle-1" in page
    ics = client.get(reverse("exams_timetable:convocation_calendar"))
    assert ics["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert {e.decoded("dtstart") for e in events} == set(
        ExamSlot.objects.filter(booking__dossier=dossier).values_list("starts_at", flat=True)
    )


def test_a_jury_member_sees_only_their_own_day_and_candidates(client, world):
    built(world)
    client.force_login(world.jury1)
    days = page_text(client.get(reverse("exams_timetable:jury_days")))
    assert reverse("exams_timetable:jury_day", kwargs={"day_id": world.day.pk}) in days

    page = page_text(
        client.get(reverse("exams_timetable:jury_day", kwargs={"day_id": world.day.pk}))
    )

    mine = set(
        ExamSlot.objects.filter(booking__day=world.day, panel__name="Jury 1").values_list(
            "booking__dossier__reference", flat=True
        )
    )
    others = set(
        ExamSlot.objects.filter(booking__day=world.day, panel__name="Jury 2").values_list(
            "booking__dossier__reference", flat=True
        )
    )
    assert mine and all(reference in page for reference in mine)
    assert not any(reference in page for reference in others - mine)
    if world.dossiers[0].reference in mine:
        assert "Tiers temps" in page


def test_a_jury_member_of_no_panel_that_day_gets_404(client, world, reference_campaign):
    from tests.committee.conftest import staff

    built(world)
    outsider = staff("outsider@school.example", "jury_member", reference_campaign.school)
    client.force_login(outsider)
    for name in ("jury_day", "jury_day_pdf", "jury_day_ics"):
        assert (
            client.get(
                reverse(f"exams_timetable:{name}", kwargs={"day_id": world.day.pk})
            ).status_code
            == 404
        )


def test_the_jury_list_downloads_as_pdf_and_ics(client, world):
    built(world)
    client.force_login(world.examiner)
    kwargs = {"day_id": world.day.pk}

    pdf = client.get(reverse("exams_timetable:jury_day_pdf", kwargs=kwargs))
    ics = client.get(reverse("exams_timetable:jury_day_ics", kwargs=kwargs))

    assert pdf["Content-Type"] == "application/pdf"
    lines = pdf_lines(pdf.content)
    assert any("Mes candidats du" in line for line in lines)
    for dossier in world.dossiers:
        assert any(dossier.reference in line for line in lines)
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 4
    assert all(str(e.decoded("dtstart").tzinfo) == "Europe/Paris" for e in events)


def test_the_timetables_export_as_csv(client, world):
    built(world)
    client.force_login(world.officer)

    response = client.get(reverse("exams_timetable:export_all", kwargs={"fmt": "csv"}))

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Journée", "Épreuve", "Jury ou examinateur"]
    assert len(rows) == 1 + 8
    assert {row[5] for row in rows[1:]} == {d.reference for d in world.dossiers}
    xlsx = client.get(day_url(world, "export_day", fmt="xlsx"))
    assert xlsx.status_code == 200
    client.force_login(world.other_officer)
    other = client.get(reverse("exams_timetable:export_all", kwargs={"fmt": "csv"}))
    assert len(b"".join(other.streaming_content).decode("utf-8-sig").splitlines()) == 1
    assert ExamDay.objects.count() == 1


def test_the_day_page_names_the_exams_in_the_pages_language(client, world):
    client.force_login(world.officer)
    client.post(day_url(world, "build"))

    french = page_text(client.get(day_url(world)))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = page_text(client.get(day_url(world)))

    assert "Épreuve d'anglais" in french and "(english)" not in french
    assert "English exam" in english and "Épreuve d'anglais" not in english
