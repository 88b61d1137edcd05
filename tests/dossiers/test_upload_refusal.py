"""A refused upload is shown at its slot and in the error summary, naming the slot (R10.3)."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.documents import corpus
from tests.dossiers.helpers import IN_WINDOW

pytestmark = pytest.mark.django_db

GREY_PHOTO_REFUSAL = "Ce fichier n'a pas été accepté."


@pytest.fixture
def candidate_client(client, accounts_by_role, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(accounts_by_role["candidate"])
    return client


def refuse_grey_photo(client):
    return client.post(
        reverse("dossiers:upload", args=["photo"]),
        {"file": SimpleUploadedFile("me.jpg", corpus.grey_jpeg(600, 800), "image/jpeg")},
    )


def test_refused_upload_redirects_then_names_the_slot_in_the_error_summary(
    candidate_client, reference_campaign
):
    response = refuse_grey_photo(candidate_client)
    assert response.status_code == 302

    page = candidate_client.get(response["Location"]).content.decode()

    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'<li><a href="(#[^"]+)">([^<]+)</a></li>', summary)
    assert [(href, html.unescape(text).split(" Ce fichier")[0]) for href, text in links] == [
        ("#slot-photo", "Photo d'identité\u00a0:")
    ]
    assert GREY_PHOTO_REFUSAL in html.unescape(links[0][1])


def test_refused_upload_is_shown_next_to_its_file_input(candidate_client, reference_campaign):
    page = candidate_client.get(refuse_grey_photo(candidate_client)["Location"]).content.decode()

    group = page.split('<div class="fr-upload-group fr-upload-group--error">', 1)[1].split(
        "</div>", 1
    )[0]
    assert 'id="slot-photo"' in group
    assert 'aria-describedby="file-1-check slot-photo-error"' in group
    error = re.search(r'<p class="fr-error-text" id="slot-photo-error">([^<]+)</p>', group)
    assert error is not None and html.unescape(error.group(1)).startswith(GREY_PHOTO_REFUSAL)
    assert page.count("fr-upload-group--error") == 1  # only the refused slot


def test_refusal_is_not_repeated_as_a_page_message_nor_shown_twice(
    candidate_client, reference_campaign
):
    location = refuse_grey_photo(candidate_client)["Location"]

    first = html.unescape(candidate_client.get(location).content.decode())
    again = candidate_client.get(location).content.decode()

    assert first.count(GREY_PHOTO_REFUSAL) == 2  # the summary and the slot
    assert 'id="error-summary"' not in again
    assert "fr-upload-group--error" not in again


def test_posting_no_file_names_the_slot(candidate_client, reference_campaign):
    response = candidate_client.post(reverse("dossiers:upload", args=["cv"]), {}, follow=True)

    page = html.unescape(response.content.decode())
    assert '<a href="#slot-cv">Curriculum vitae\u00a0: Choisissez un fichier à envoyer.</a>' in page
