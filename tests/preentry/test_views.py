"""The pre-entry checklist's pages (R7.4, R8.3, R9.2): the candidate's page and files, the
officers' list, filters, verdicts, MidiSup, the reminder, the exports; bad input."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from admissions.audit.models import AuditEntry
from admissions.notifications.models import OutboundEmail
from admissions.preentry.models import ContractValidation, PreEntryDocument
from admissions.preentry.services import review_document, upload_document
from tests.helpers import page_text

from .conftest import SEPTEMBER, admitted, make_dossier, pdf

pytestmark = pytest.mark.django_db

PAGE = "/dossier/entree-en-formation/"
LIST = "/gestion/entree-en-formation/"


def staff_page(reference: str) -> str:
    return f"{LIST}{reference}/"


def sent(dossier, kind="diploma"):
    return upload_document(
        dossier=dossier,
        kind=kind,
        upload=pdf(),
        by=dossier.candidate,
        now=SEPTEMBER,
        params=dossier.campaign.params(),
    )


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


# --- The candidate ---------------------------------------------------------------------------


def test_a_candidate_not_admitted_for_good_sees_why_and_cannot_upload(client, campaign, clock_at):
    clock_at(SEPTEMBER)
    dossier = make_dossier(campaign, "academic@example.org")
    client.force_login(dossier.candidate)

    page = page_text(client.get(PAGE))
    posted = client.post(PAGE, {"kind": "diploma", "file": pdf()})

    assert "Pas encore disponible" in page and 'name="file"' not in page
    assert posted.status_code == 302
    assert not PreEntryDocument.objects.exists()


def test_the_admitted_candidate_uploads_the_diploma_and_sees_it_awaiting(
    client, campaign, clock_at
):
    clock_at(SEPTEMBER)
    dossier = admitted(campaign, "ana@example.org")
    client.force_login(dossier.candidate)

    before = page_text(client.get(PAGE))
    response = client.post(PAGE, {"kind": "diploma", "file": pdf()})
    after = page_text(client.get(PAGE))

    assert "Admission conditionnelle" in before and "JDC/JAPD" in before
    assert response.status_code == 302
    assert "en cours de vérification" in after and "diplome.pdf" in after
    assert PreEntryDocument.objects.get(dossier=dossier).uploaded_by == dossier.candidate


def test_a_wrong_file_is_refused_on_the_page_in_the_pages_language(client, campaign, clock_at):
    clock_at(SEPTEMBER)
    dossier = admitted(campaign, "ana@example.org")
    client.force_login(dossier.candidate)
    fake = SimpleUploadedFile("diplome.pdf", b"MZ\x90\x00 an executable", "application/pdf")

    french = client.post(PAGE, {"kind": "diploma", "file": fake})
    english(client)
    fake.seek(0)
    in_english = client.post(PAGE, {"kind": "diploma", "file": fake})

    assert french.status_code == 400 and "formats acceptés" in page_text(french)
    assert in_english.status_code == 400 and "accepted formats" in page_text(in_english)
    assert not PreEntryDocument.objects.exists()


def test_a_post_without_a_file_or_with_an_unknown_item_saves_nothing(client, campaign, clock_at):
    clock_at(SEPTEMBER)
    dossier = admitted(campaign, "ana@example.org")
    client.force_login(dossier.candidate)

    empty = client.post(PAGE, {"kind": "diploma"})
    unknown = client.post(PAGE, {"kind": "passport", "file": pdf()})

    assert empty.status_code == 400 and "Choisissez un fichier" in page_text(empty)
    assert unknown.status_code == 302
    assert not PreEntryDocument.objects.exists()


def test_a_candidate_downloads_only_their_own_file(client, campaign, clock_at):
    clock_at(SEPTEMBER)
    ana = admitted(campaign, "ana@example.org")
    bob = admitted(campaign, "bob@example.org")
    sent(ana)

    client.force_login(ana.candidate)
    own = client.get(f"{PAGE}diploma/fichier")
    client.force_login(bob.candidate)
    other = client.get(f"{PAGE}diploma/fichier")

    assert own.status_code == 200 and own["X-Content-Type-Options"] == "nosniff"
    assert own["Content-Type"] == "application/pdf"
    assert other.status_code == 404


# --- The officers' list ------------------------------------------------------------------------


def test_the_officer_sees_who_misses_what_and_filters(client, campaign, officer, clock_at):
    clock_at(SEPTEMBER)
    french = admitted(campaign, "ana@example.org", nationality="FR")
    foreign = admitted(campaign, "bob@example.org", nationality="MA")
    client.force_login(officer)

    everyone = page_text(client.get(LIST))
    jdc = page_text(client.get(LIST, {"missing": "jdc"}))
    bad = client.get(LIST, {"missing": "everything"})

    assert french.reference in everyone and foreign.reference in everyone
    assert "conditionnelle" in everyone and "non demandé" in everyone
    assert french.reference in jdc and foreign.reference not in jdc
    assert bad.status_code == 400 and french.reference not in page_text(bad)


def test_the_list_is_school_scoped_and_closed_to_candidates(
    client, campaign, other_officer, clock_at
):
    clock_at(SEPTEMBER)
    dossier = admitted(campaign, "ana@example.org")

    client.force_login(other_officer)
    other = client.get(LIST)
    staff = client.get(staff_page(dossier.reference))
    client.force_login(dossier.candidate)
    candidate = client.get(LIST)

    assert other.status_code == 200 and dossier.reference not in page_text(other)
    assert staff.status_code == 404
    assert candidate.status_code in (403, 404)


def test_the_lists_queries_do_not_grow_with_its_rows(client, campaign, officer, clock_at):
    clock_at(SEPTEMBER)
    group = campaign.seat_groups.get(code="apprentissage")
    group.seats = 5
    group.save()
    first = admitted(campaign, "one@example.org")
    sent(first)
    client.force_login(officer)
    client.get(LIST)  # warm the campaign's caches
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for name in ("two", "three"):
        sent(admitted(campaign, f"{name}@example.org"))
    with CaptureQueriesContext(connection) as three:
        page = client.get(LIST).content.decode()

    assert page.count('fr-badge--sm">conditionnelle<') == 3
    assert len(three.captured_queries) == len(one.captured_queries)


# --- One candidate: verdicts, MidiSup ------------------------------------------------------------


def verdict(document, verdict="valid", reason="", seen=None, version=None):
    prefix = document.kind
    return {
        f"{prefix}-verdict": verdict,
        f"{prefix}-reason": reason,
        f"{prefix}-version": version or document.version,
        f"{prefix}-seen": seen or document.review,
    }


def test_the_officer_accepts_the_diploma_and_the_final_list_drops_the_condition(
    client, campaign, officer, clock_at
):
    clock_at(SEPTEMBER)
    dossier = admitted(campaign, "ana@example.org")
    document = sent(dossier)
    client.force_login(officer)
    before = page_text(client.get("/gestion/liste-definitive/"))

    response = client.post(f"{staff_page(dossier.reference)}diploma/verdict", verdict(document))
    again = client.post(f"{staff_page(dossier.reference)}diploma/verdict", verdict(document))
    after = page_text(client.get("/gestion/liste-definitive/"))

    assert (response.status_code, again.status_code) == (302, 302)
    assert "conditionnelle (diplôme)" in before and "conditionnelle (diplôme)" not in after
    assert AuditEntry.objects.filter(action="preentry.document.accepted").count() == 1


def test_a_refusal_without_reason_and_a_stale_form_are_refused_on_the_page(
    client, campaign, officer, clock_at
):
    clock_at(SEPTEMBER)
    dossier = admitted(campaign, "ana@example.org")
    document = sent(dossier)
    client.force_login(officer)
    url = f"{staff_page(dossier.reference)}diploma/verdict"

    no_reason = client.post(url, verdict(document, "refused"))
    sent(dossier)  # replaced since the page was opened
    stale = client.post(url, verdict(document, "valid"), follow=True)
    garbage = client.post(url, {"diploma-verdict": "maybe", "diploma-version": "x"})

    assert no_reason.status_code == 400 and "Indiquez le motif" in page_text(no_reason)
    assert "autre fichier" in page_text(stale)
    assert garbage.status_code == 400
    assert PreEntryDocument.objects.get(dossier=dossier).review == "unchecked"


def test_the_officer_downloads_the_file_of_their_school_only(
    client, campaign, officer, other_officer, clock_at
):
    clock_at(SEPTEMBER)
    dossier = admitted(campaign, "ana@example.org")
    sent(dossier)

    client.force_login(officer)
    own = client.get(f"{staff_page(dossier.reference)}diploma/fichier")
    client.force_login(other_officer)
    other = client.get(f"{staff_page(dossier.reference)}diploma/fichier")

    assert own.status_code == 200 and own["Cache-Control"] == "private, no-store"
    assert other.status_code == 404


def test_the_officer_records_midisup_and_bad_input_is_refused(client, campaign, officer, clock_at):
    clock_at(SEPTEMBER)
    dossier = admitted(campaign, "ana@example.org")
    client.force_login(officer)
    url = f"{staff_page(dossier.reference)}midisup"

    bad_date = client.post(url, {"validated_on": "31/02/2021"})
    future = client.post(url, {"validated_on": "2021-12-01"})
    bad_file = client.post(
        url,
        {
            "validated_on": "2021-08-30",
            "evidence": SimpleUploadedFile("x.pdf", b"nope", "text/plain"),
        },
    )
    good = client.post(
        url, {"validated_on": "2021-08-30", "note": "Courriel MidiSup", "evidence": pdf()}
    )
    evidence = client.get(f"{url}/justificatif")

    assert (bad_date.status_code, future.status_code, bad_file.status_code) == (400, 400, 400)
    assert "futur" in page_text(future)
    assert good.status_code == 302 and evidence.status_code == 200
    assert ContractValidation.objects.get(dossier=dossier).note == "Courriel MidiSup"


# --- Reminder and exports --------------------------------------------------------------------


def test_the_reminder_is_one_post_and_a_double_click_sends_nothing_more(
    client, campaign, officer, clock_at
):
    clock_at(SEPTEMBER)
    admitted(campaign, "ana@example.org")
    admitted(campaign, "bob@example.org")
    client.force_login(officer)

    first = page_text(client.post(f"{LIST}relance", follow=True))
    second = page_text(client.post(f"{LIST}relance", follow=True))
    clock_at(SEPTEMBER + timedelta(minutes=11))
    third = page_text(client.post(f"{LIST}relance", follow=True))

    assert "Relance envoyée à 2 candidat(s)" in first
    assert "déjà été envoyée" in second
    assert "Relance envoyée à 2 candidat(s)" in third
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.PREENTRY_REMINDER).count() == 4


def test_the_reminder_is_refused_to_other_schools_and_to_a_get(
    client, campaign, other_officer, clock_at
):
    clock_at(SEPTEMBER)
    admitted(campaign, "ana@example.org")
    client.force_login(other_officer)

    get = client.get(f"{LIST}relance")
    post = page_text(client.post(f"{LIST}relance", follow=True))

    assert get.status_code == 405
    assert "Vous ne gérez pas" in post
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.PREENTRY_REMINDER).exists()


def test_the_checklist_exports_as_csv_and_xlsx(client, campaign, officer, clock_at):
    clock_at(SEPTEMBER)
    dossier = admitted(campaign, "ana@example.org")
    document = sent(dossier)
    review_document(
        dossier=dossier,
        kind="diploma",
        accept=True,
        reason="",
        version=1,
        seen="unchecked",
        by=officer,
        now=SEPTEMBER,
    )
    assert document.pk
    client.force_login(officer)

    text = b"".join(client.get(f"{LIST}export.csv").streaming_content).decode("utf-8-sig")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(f"{LIST}export.xlsx"))))
    unknown = client.get(f"{LIST}export.pdf")

    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["groupe", "rang", "reference"]
    assert rows[1][2] == dossier.reference
    assert rows[1][6:] == ["valid", "oui", "missing", "", "non", "jdc midisup"]
    sheet = workbook.active
    assert [cell.value for cell in sheet[2]][2] == dossier.reference
    assert unknown.status_code == 404
