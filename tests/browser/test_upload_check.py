"""The browser's first check of a file speaks the campaign's limits (issue 9, R3.4, R10.3)."""

from __future__ import annotations

import pytest

from admissions.accounts.models import User
from admissions.dossiers.services import open_dossier
from tests.browser.test_fees_page import log_in
from tests.dossiers.helpers import IN_WINDOW, campaign_with_other_uploads, fill_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def candidate(settings, db):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    campaign = campaign_with_other_uploads()
    user = User.objects.create_user("candidate@example.org", "a-long-password-1")
    fill_pages(open_dossier(candidate=user, campaign=campaign, now=IN_WINDOW), campaign)
    return user


@pytest.mark.parametrize(
    ("language", "wrong_type", "too_large"),
    [
        (
            "fr",
            "Ce fichier n'est pas un png ou pdf.",
            "Votre fichier fait 1,6 Mo ; maximum 1,5 Mo.",
        ),
        (
            "en",
            "This file is not a png or pdf.",
            "Your file is 1.6 MB; the maximum is 1.5 MB.",
        ),
    ],
)
def test_upload_check_names_the_campaign_s_formats_and_size(
    page, live_server, candidate, language, wrong_type, too_large
):
    log_in(page, live_server, candidate, language)
    page.goto(live_server.url + "/dossier/pieces/")
    picker = page.locator("#slot-cv")
    check = page.locator("form:has(#slot-cv) .upload-check")

    picker.set_input_files({"name": "cv.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff"})
    assert check.inner_text() == wrong_type

    big = b"%PDF-" + b"0" * 1_700_000
    picker.set_input_files({"name": "cv.pdf", "mimeType": "application/pdf", "buffer": big})
    assert check.inner_text() == too_large
