"""A document refused with a reason of the campaign's list is read in the reader's language
(issue 11, R4.1, R8.2): the candidate's pages in the page's language, the fix-list email in the
candidate's, the staff dossier page in the officer's. A reason written freely is read as written.
"""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse

from admissions.documents.models import Document
from admissions.dossiers.services import open_dossier, submit_dossier
from admissions.payments.services import declare_payment
from admissions.verification.models import FixListNotice
from admissions.verification.services import notify_fixes, review_document
from tests.dossiers.helpers import fill_pages, received_recommendations, upload_everything
from tests.helpers import page_text
from tests.html_text import element_text
from tests.verification.helpers import IN_WINDOW, UNTIL, refuse

pytestmark = pytest.mark.django_db

ILLISIBLE = {
    "fr": "Le document est illisible ou incomplet (toutes les pages, recto et verso).",
    "en": "The document is unreadable or incomplete (every page, both sides).",
}
BOURSE = {
    "fr": "L'avis de bourse n'est pas l'avis définitif CROUS ou de l'État français de l'année "
    "2020-2021.",
    "en": "The scholarship notice is not the definitive 2020-2021 CROUS or French State award.",
}


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()


def refuse_listed(dossier, code: str, officer, reason_code: str) -> Document:
    return review_document(
        document=dossier.documents.get(code=code),
        by=officer,
        now=IN_WINDOW,
        verdict="refused",
        reason_code=reason_code,
        replace_until=UNTIL,
    )


def as_candidate(client, dossier, language: str):
    client.force_login(dossier.candidate)
    client.cookies.load({"django_language": language})
    return client


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_candidate_reads_a_listed_reason_in_the_pages_language(
    client, submitted, officer, language
):
    refuse_listed(submitted, "cv", officer, "illisible")
    candidate = as_candidate(client, submitted, language)

    overview = candidate.get(reverse("dossiers:overview"))
    uploads = candidate.get(reverse("dossiers:page", args=["pieces"]))

    assert ILLISIBLE[language] in element_text(overview.content.decode(), "to-replace-items")
    assert ILLISIBLE[language] in page_text(uploads)
    other = "en" if language == "fr" else "fr"
    assert ILLISIBLE[other] not in page_text(overview) + page_text(uploads)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_fees_page_gives_the_proofs_refusal_in_the_pages_language(
    client, reference_campaign, accounts_by_role, officer, language
):
    dossier = open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )
    dossier.scholarship_claimed = True
    dossier.save(update_fields=["scholarship_claimed"])
    fill_pages(dossier, reference_campaign)
    upload_everything(dossier, reference_campaign)
    received_recommendations(dossier)
    declare_payment(dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW)
    submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)
    refuse_listed(dossier, "scholarship_proof", officer, "bourse-annee")

    page = as_candidate(client, dossier, language).get(reverse("dossiers:page", args=["frais"]))

    assert BOURSE[language] in page_text(page)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_fix_list_email_speaks_the_candidates_language(
    submitted, officer, language, django_capture_on_commit_callbacks
):
    submitted.candidate.language = language
    submitted.candidate.save(update_fields=["language"])
    refuse_listed(submitted, "cv", officer, "illisible")
    refuse(submitted, "photo", officer, reason="Photo en noir et blanc.")

    with django_capture_on_commit_callbacks(execute=True):
        notice = notify_fixes(dossier=submitted, by=officer, now=IN_WINDOW + timedelta(hours=1))

    assert [(item["reason_code"], item["reason"]) for item in notice.items] == [
        ("", "Photo en noir et blanc."),
        ("illisible", ILLISIBLE["fr"]),
    ]
    (email,) = mail.outbox
    lines = [line for line in email.body.splitlines() if line.startswith("- ")]
    assert (
        lines
        == {
            "fr": [
                "- Photo d'identité : Photo en noir et blanc.",
                f"- Curriculum vitae : {ILLISIBLE['fr']}",
            ],
            "en": [
                "- Identity photo: Photo en noir et blanc.",
                f"- Curriculum vitae: {ILLISIBLE['en']}",
            ],
        }[language]
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_officer_reads_the_reason_in_the_staff_pages_language(
    client, submitted, officer, language
):
    refuse_listed(submitted, "cv", officer, "illisible")
    client.force_login(officer)
    client.cookies.load({"django_language": language})

    page = client.get(reverse("verification:dossier", args=[submitted.reference]))

    other = "en" if language == "fr" else "fr"
    # The document's panel and the history's "why" column both say it in the page's language.
    assert ILLISIBLE[language] in element_text(page.content.decode(), "audit-trail")
    assert ILLISIBLE[language] in page_text(page).split('id="audit-trail"')[0]
    assert ILLISIBLE[other] not in page_text(page)


def test_a_listed_reason_is_stored_as_its_code_and_a_written_one_as_its_text(submitted, officer):
    listed = refuse_listed(submitted, "cv", officer, "illisible")
    written = refuse(submitted, "photo", officer, reason=" Photo floue. ")
    assert (written.refusal_reason_code, written.refusal_reason) == ("", "Photo floue.")
    unknown = review_document(  # a code the list does not hold: the written text counts
        document=written,
        by=officer,
        now=IN_WINDOW,
        verdict="refused",
        reason_code="no-such-code",
        reason_text="Photo trop sombre.",
        replace_until=UNTIL,
    )

    assert (listed.refusal_reason_code, listed.refusal_reason) == ("illisible", "")
    assert (unknown.refusal_reason_code, unknown.refusal_reason) == ("", "Photo trop sombre.")


def test_the_migration_turns_listed_texts_into_codes_and_keeps_free_texts(submitted):
    migration = importlib.import_module(
        "admissions.documents.migrations.0003_document_refusal_reason_code"
    )
    cv, photo = submitted.documents.get(code="cv"), submitted.documents.get(code="photo")
    Document.objects.filter(pk=cv.pk).update(refusal_reason=ILLISIBLE["fr"], review="refused")
    Document.objects.filter(pk=photo.pk).update(refusal_reason="Photo floue.", review="refused")

    migration.codes_from_texts(apps, None)

    assert list(
        submitted.documents.filter(review="refused")
        .order_by("code")
        .values_list("code", "refusal_reason_code", "refusal_reason")
    ) == [("cv", "illisible", ""), ("photo", "", "Photo floue.")]
    migration.texts_from_codes(apps, None)
    assert submitted.documents.get(code="cv").refusal_reason == ILLISIBLE["fr"]


def test_the_notice_migration_adds_the_code_of_listed_texts(submitted, officer):
    migration = importlib.import_module(
        "admissions.verification.migrations.0005_fix_list_items_reason_code"
    )
    notice = FixListNotice.objects.create(
        dossier=submitted,
        sent_by=officer,
        sent_at=IN_WINDOW,
        items=[
            {"code": "cv", "reason": ILLISIBLE["fr"], "replace_until": None},
            {"code": "photo", "reason": "Photo floue.", "replace_until": None},
        ],
    )

    migration.add_codes(apps, None)

    notice.refresh_from_db()
    assert [item["reason_code"] for item in notice.items] == ["illisible", ""]
