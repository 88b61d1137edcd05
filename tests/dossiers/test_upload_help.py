"""The upload help comes from the campaign file's [uploads] (issue 9, R3.4): formats, size and
photo dimensions, worded in the page's language, in the hints, the file picker's filter and
the browser check's data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from admissions.accounts.models import User
from admissions.documents.inspection import upload_help
from admissions.dossiers.services import open_dossier
from admissions.referees.forms import RecommendationForm
from tests.dossiers.helpers import IN_WINDOW, campaign_with_other_uploads, fill_pages
from tests.html_text import element, element_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_campaign(db):
    return campaign_with_other_uploads()


@pytest.fixture
def candidate_client(client, other_campaign, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    candidate = User.objects.create_user("candidate@example.org", "a-long-password-1")
    dossier = open_dossier(candidate=candidate, campaign=other_campaign, now=IN_WINDOW)
    fill_pages(dossier, other_campaign)
    dossier.scholarship_claimed = True
    dossier.save(update_fields=["scholarship_claimed"])
    client.force_login(dossier.candidate)
    return client


def test_upload_help_words_the_campaign_limits_in_french(other_campaign):
    help_ = upload_help(other_campaign.params().uploads, "fr")

    assert (help_.formats, help_.max_size, help_.photo_formats, help_.photo_max) == (
        "png ou pdf",
        "1,5 Mo",
        "png",
        "600 x 800",
    )
    assert help_.content_types == "image/png,application/pdf"
    assert help_.photo_content_types == "image/png"


def test_upload_help_words_the_campaign_limits_in_english(other_campaign):
    help_ = upload_help(other_campaign.params().uploads, "en")

    assert (help_.formats, help_.max_size) == ("png or pdf", "1.5 MB")


def test_the_reference_campaign_keeps_the_notice_s_words(reference_campaign):
    help_ = upload_help(reference_campaign.params().uploads, "fr")

    assert (help_.formats, help_.max_size, help_.photo_formats) == (
        "jpg, png ou pdf",
        "2 Mo",
        "jpg ou png",
    )


def test_documents_page_shows_the_campaign_s_formats_and_size(candidate_client):
    page = candidate_client.get(reverse("dossiers:page", args=["pieces"])).content.decode()

    assert element_text(page, "upload-formats") == (
        "Formats acceptés : png ou pdf ; 1,5 Mo au plus par fichier. "
        "La photo : png, en couleur, 600 x 800 pixels au plus."
    )
    assert element_text(page, "hint-photo") == "png, 1,5 Mo au plus"
    assert element_text(page, "hint-cv") == "png ou pdf, 1,5 Mo au plus"
    assert element(page, "slot-photo")[1]["input"]["accept"] == "image/png"
    assert element(page, "slot-cv")[1]["input"]["accept"] == "image/png,application/pdf"


def test_documents_page_gives_the_browser_check_the_campaign_s_limits(candidate_client):
    page = candidate_client.get(reverse("dossiers:page", args=["pieces"])).content.decode()

    assert 'data-max-bytes="1572864" data-max-size="1,5 Mo" data-photo="" ' in page
    assert 'data-types="image/png,application/pdf" data-formats="png ou pdf"' in page
    assert 'data-photo="600x800" data-types="image/png" data-formats="png"' in page


def test_documents_page_in_english_uses_the_english_decimal_point(candidate_client):
    candidate_client.cookies["django_language"] = "en"

    page = candidate_client.get(reverse("dossiers:page", args=["pieces"])).content.decode()

    assert element_text(page, "upload-formats") == (
        "Accepted formats: png or pdf; 1.5 MB max. per file. "
        "Photo: png, in colour, 600 x 800 pixels max."
    )
    assert element_text(page, "hint-cv") == "png or pdf, 1.5 MB max."


def test_fees_page_scholarship_proof_help_follows_the_campaign(candidate_client):
    page = candidate_client.get(reverse("dossiers:page", args=["frais"])).content.decode()

    assert element_text(page, "hint-scholarship-proof") == "png ou pdf, 1,5 Mo au plus"
    assert element(page, "file-scholarship-proof")[1]["input"]["accept"] == (
        "image/png,application/pdf"
    )


def test_referee_attachment_help_follows_the_campaign(other_campaign):
    form = RecommendationForm(uploads=other_campaign.params().uploads, language="fr")

    assert form.fields["attachment"].help_text == (
        "Une lettre, par exemple. Formats acceptés : png ou pdf ; 1,5 Mo au plus."
    )
    assert form.fields["attachment"].widget.attrs["accept"] == "image/png,application/pdf"
