"""The jury's grading pages and the committee's academic list pages (R6.3, R6.4, R9.2)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from admissions.exams.models import AcademicDecision, Grade
from tests.exams.grading_world import GRADING_AT, build_phase_two
from tests.exams.test_grading_services import grade_all
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_campaign, settings):
    settings.CLOCK_AT = GRADING_AT.isoformat()
    return build_phase_two(reference_campaign)


def slot(world, index, exam):
    return world.slots[(world.dossiers[index].reference, exam)]


def test_the_day_lists_my_candidates_in_timetable_order_only(client, world):
    client.force_login(world.members["jury"])
    response = client.get("/gestion/jury/notes/2021-04-01/")
    assert response.status_code == 200
    text = page_text(response)
    refs = [d.reference for d in world.dossiers]
    # Jury 1 has candidates 0 and 1; candidate 1 comes first (14:00 before 15:00).
    assert text.index(refs[1]) < text.index(refs[0])
    assert refs[2] not in text
    assert "Tiers-temps accordé" in text
    days = page_text(client.get("/gestion/jury/notes/"))
    assert "/gestion/jury/notes/2021-04-01/" in days


def test_a_member_cannot_see_or_grade_another_panels_candidate(client, world):
    client.force_login(world.members["other"])
    theirs = slot(world, 0, "interview")
    assert client.get(f"/gestion/jury/notes/creneau/{theirs.pk}/").status_code == 404
    response = client.post(f"/gestion/jury/notes/creneau/{theirs.pk}/", {"grade": "12"})
    assert response.status_code == 404
    assert not Grade.objects.exists()
    assert world.dossiers[0].reference not in page_text(
        client.get("/gestion/jury/notes/2021-04-01/")
    )


def test_the_grade_page_shows_dossier_and_accommodation_and_saves_12_comma_5(client, world):
    client.force_login(world.members["jury"])
    url = f"/gestion/jury/notes/creneau/{slot(world, 0, 'interview').pk}/"
    page = page_text(client.get(url))
    assert "Résumé du dossier" in page and "Nom0" in page
    assert "Tiers-temps accordé (10 minutes de plus)" in page
    response = client.post(url, {"grade": "12,5", "comment": "Clair."})
    assert response.status_code == 302
    row = Grade.objects.get()
    assert (row.grade, row.comment) == (Decimal("12.5"), "Clair.")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"grade": "21"}, "La note (21) ne peut pas dépasser 20."),
        ({"grade": "-1"}, "La note (-1) ne peut pas être négative."),
        ({"grade": "12.3"}, "La note (12,3) doit être un multiple de 0,5"),
        ({"grade": ""}, "Saisissez une note, ou cochez « absent »."),
        ({"grade": "douze"}, "« douze » n&#x27;est pas une note"),
        ({"grade": "12", "absent": "on"}, "pas les deux"),
    ],
)
def test_bad_grades_answer_400_with_a_clear_message(client, world, data, message):
    client.force_login(world.members["jury"])
    response = client.post(f"/gestion/jury/notes/creneau/{slot(world, 0, 'interview').pk}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Grade.objects.exists()


def test_messages_in_english(client, world):
    client.force_login(world.members["jury"])
    client.cookies["django_language"] = "en"
    response = client.post(
        f"/gestion/jury/notes/creneau/{slot(world, 0, 'interview').pk}/",
        {"grade": "12.3"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "The grade (12.3) must be a multiple of 0.5" in response.content.decode()


def test_absent_and_english_phases(client, world):
    client.force_login(world.members["examiner"])
    url = f"/gestion/jury/notes/creneau/{slot(world, 1, 'english').pk}/"
    page = page_text(client.get(url))
    assert "Phase 1 — Présentation du candidat par lui-même" in page
    response = client.post(url, {"grade": "14", "phase_0": "Fluide", "phase_2": "Bien"})
    assert response.status_code == 302
    assert Grade.objects.get().phase_notes == ["Fluide", "", "Bien"]
    response = client.post(
        f"/gestion/jury/notes/creneau/{slot(world, 0, 'english').pk}/", {"absent": "on"}
    )
    assert response.status_code == 302
    assert Grade.objects.get(dossier=world.dossiers[0]).absent is True


def test_an_elimination_shows_at_once_to_the_committee(client, world):
    client.force_login(world.members["jury"])
    client.post(f"/gestion/jury/notes/creneau/{slot(world, 0, 'interview').pk}/", {"grade": "4"})
    client.force_login(world.officer)
    page = page_text(client.get("/gestion/epreuves/liste-academique/"))
    eliminated = page[page.index("Candidats éliminés") :]
    assert world.dossiers[0].reference in eliminated
    assert "Note de 4/20 à l'épreuve « Entretien avec le jury »" in eliminated


def test_the_committee_records_by_cutoff_then_case_by_case(client, world):
    grade_all(world)
    refs = [d.reference for d in world.dossiers]
    client.force_login(world.officer)
    page = page_text(client.get("/gestion/epreuves/liste-academique/"))
    assert "Aucune liste enregistrée." in page
    response = client.post("/gestion/epreuves/liste-academique/", {"mode": "cutoff", "cutoff": "2"})
    assert response.status_code == 302
    assert set(AcademicDecision.objects.values_list("outcome", flat=True)) == {
        "admitted",
        "eliminated",
    }
    response = client.post(
        "/gestion/epreuves/liste-academique/", {"mode": "chosen", "admitted": [refs[1]]}
    )
    assert response.status_code == 302
    assert AcademicDecision.objects.get(dossier=world.dossiers[0]).outcome == "below_list"
    assert AcademicDecision.objects.get(dossier=world.dossiers[1]).outcome == "admitted"
    response = client.post("/gestion/epreuves/liste-academique/", {"mode": "cutoff"})
    assert response.status_code == 400
    assert "Indiquez le rang limite." in response.content.decode()


def test_a_committee_member_reads_but_does_not_record(client, world, accounts_by_role):
    grade_all(world)
    client.force_login(accounts_by_role["committee_member"])
    page = client.get("/gestion/epreuves/liste-academique/").content.decode()
    assert "academic-ranking" in page and "academic-list-form" not in page
    response = client.post("/gestion/epreuves/liste-academique/", {"mode": "cutoff", "cutoff": "2"})
    assert response.status_code == 404
    assert not AcademicDecision.objects.exists()


def test_exports_csv_and_xlsx(client, world):
    grade_all(world)
    client.force_login(world.officer)
    body = b"".join(client.get("/gestion/epreuves/notes/export.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Dossier", "Nom", "Prénom", "Épreuve", "Note"]
    assert len(rows) == 1 + 6
    response = client.get("/gestion/epreuves/liste-academique/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[1][:2] == (1, world.dossiers[0].reference)
    assert values[-1][1] == world.dossiers[2].reference
    assert "éliminatoire" in values[-1][-1]
    assert client.get("/gestion/epreuves/notes/export.pdf").status_code == 404
