"""Which file the candidate may still change, and which is "à remplacer" (R3.8), decided once
(documents/selectors.py) for the services and the pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from admissions.documents.models import Document, PendingDeclaration
from admissions.documents.selectors import may_change_document, to_replace
from admissions.dossiers.services import open_dossier
from tests.dossiers.helpers import IN_WINDOW, submitted_with_pending_transcript

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(accounts_by_role, reference_campaign):
    return open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )


def stored(dossier, code: str, **fields) -> Document:
    return Document.objects.create(
        dossier=dossier,
        code=code,
        uploaded_at=IN_WINDOW,
        file="x",
        size_bytes=1,
        **fields,
    )


@pytest.mark.parametrize(
    ("review", "replacement_requested", "expected"),
    [
        (Document.Review.UNCHECKED, False, False),
        (Document.Review.VALID, False, False),
        (Document.Review.REFUSED, False, True),
        (Document.Review.VALID, True, True),
    ],
)
def test_to_replace_when_refused_or_asked_again(review, replacement_requested, expected):
    document = Document(review=review, replacement_requested=replacement_requested)

    assert to_replace(document) is expected


def test_any_file_may_change_while_the_dossier_is_editable(dossier):
    assert may_change_document(dossier, "cv", editable=True, now=IN_WINDOW) is True


def test_a_file_may_not_change_once_the_dossier_is_read_only(dossier):
    stored(dossier, "cv")

    assert may_change_document(dossier, "cv", editable=False, now=IN_WINDOW) is False


def test_a_file_declared_not_yet_available_may_still_come(dossier):
    PendingDeclaration.objects.create(dossier=dossier, code="transcript", declared_at=IN_WINDOW)

    assert may_change_document(dossier, "transcript", editable=False, now=IN_WINDOW) is True
    assert may_change_document(dossier, "cv", editable=False, now=IN_WINDOW) is False


def test_a_file_staff_asked_to_replace_may_change(dossier):
    stored(dossier, "cv", replacement_requested=True)
    stored(dossier, "photo")

    assert may_change_document(dossier, "cv", editable=False, now=IN_WINDOW) is True
    assert may_change_document(dossier, "photo", editable=False, now=IN_WINDOW) is False


def test_the_uploads_page_offers_only_the_files_that_may_change_after_submission(
    client, reference_campaign, accounts_by_role, settings
):
    """The page asks the same selector as the upload service: after submission, the pending
    transcript and the file staff asked to replace keep their form; the others do not."""
    dossier = submitted_with_pending_transcript(accounts_by_role["candidate"], reference_campaign)
    Document.objects.filter(dossier=dossier, code="cv").update(replacement_requested=True)
    settings.CLOCK_AT = "2021-03-20T10:00:00+01:00"
    client.force_login(dossier.candidate)

    page = client.get(reverse("dossiers:page", args=["pieces"])).content.decode()

    assert sorted(re.findall(r'action="/dossier/pieces/([\w.]+)/envoyer"', page)) == [
        "cv",
        "transcripts_current_year",
    ]
    assert page.count("à remplacer</span>") == 1
