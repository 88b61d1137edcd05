"""One format for dates and instants in templates, in both languages (issue 8; R1.5)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

INSTANT = datetime(2021, 3, 1, 9, 14, 37, tzinfo=UTC)  # 10:14 in Paris


def render(text: str, language: str, **values: object) -> str:
    with translation.override(language), timezone.override("Europe/Paris"):
        return Template("{% load dates %}" + text).render(Context(values))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "1er mars 2021 à 10 h 14"), ("en", "1 March 2021 at 10:14")],
)
def test_instant_filter_speaks_the_active_language_in_the_campaign_zone(language, expected):
    assert render("{{ at|instant }}", language, at=INSTANT) == expected


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (date(2021, 3, 1), "fr", "1er mars 2021"),
        (date(2021, 3, 1), "en", "1 March 2021"),
        (
            datetime(2021, 2, 28, 23, 30, tzinfo=UTC),
            "fr",
            "1er mars 2021",
        ),  # already 1 March in Paris
        ("1990-07-14", "fr", "14 juillet 1990"),  # as dossier snapshots keep dates
        (None, "fr", ""),
    ],
)
def test_day_filter(value, language, expected):
    assert render("{{ value|day }}", language, value=value) == expected


def test_deadline_filter_says_midnight_of_the_last_day():
    closes_at = datetime(2021, 3, 9, 23, 0, tzinfo=UTC)  # 10 March 00:00 in Paris

    assert render("{{ at|deadline }}", "fr", at=closes_at) == "9 mars 2021 à minuit"
    assert render("{{ at|deadline }}", "en", at=closes_at) == "midnight at the end of 9 March 2021"


def test_text_that_is_not_a_date_is_shown_as_it_is():
    assert render("{{ at|instant }}", "fr", at="9 mars 2021 à 23 h 59") == "9 mars 2021 à 23 h 59"
    assert render("{{ at|day }}", "fr", at="bientôt") == "bientôt"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Dossier {}, déposé le 1er mars 2021 à 10 h."),
        ("en", "Application {}, submitted on 1 March 2021 at 10:00."),
    ],
)
def test_receipt_pdf_dates_its_submission_in_words(
    reference_campaign, accounts_by_role, language, expected
):
    import io

    from pypdf import PdfReader

    from admissions.dossiers.receipts import receipt_pdf
    from admissions.dossiers.services import open_dossier
    from tests.dossiers.helpers import IN_WINDOW, fill_pages

    dossier = fill_pages(
        open_dossier(
            candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
        ),
        reference_campaign,
    )
    dossier.submitted_at = IN_WINDOW
    dossier.save()

    lines = (
        PdfReader(io.BytesIO(receipt_pdf(dossier, language))).pages[0].extract_text().splitlines()
    )

    assert [" ".join(line.split()) for line in lines if dossier.reference in line] == [
        expected.format(dossier.reference)
    ]


@pytest.mark.django_db
def test_pages_show_instants_in_the_campaign_time_zone(
    client, reference_campaign, accounts_by_role, settings
):
    """R1.5: a campaign run from Martinique shows 10:00 Paris as 5 h, its own wall time."""
    from django.urls import reverse

    from admissions.dossiers.services import open_dossier
    from tests.dossiers.helpers import IN_WINDOW

    settings.CLOCK_AT = IN_WINDOW.isoformat()
    reference_campaign.time_zone = "America/Martinique"
    reference_campaign.save()
    dossier = open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )
    dossier.state, dossier.submitted_at = dossier.State.SUBMITTED, IN_WINDOW
    dossier.save()
    client.force_login(accounts_by_role["candidate"])

    page = client.get(reverse("dossiers:page", args=["depot"])).content.decode()

    assert re.findall(r"<p>Votre dossier a été déposé le [^<]*</p>", page) == [
        "<p>Votre dossier a été déposé le 1er mars 2021 à 5 h.</p>"
    ]
