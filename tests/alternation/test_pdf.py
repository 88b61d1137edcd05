"""The printable alternation calendar: landscape A4, the whole table, in the page's language."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

URL = "/alternance/2021-2022/calendrier.pdf"


def read(response) -> PdfReader:
    return PdfReader(io.BytesIO(response.content))


def test_the_pdf_is_landscape_a4_with_the_table_on_its_first_page(client, reference_campaign):
    response = client.get(URL)

    pdf = read(response)
    first = pdf.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    text = " ".join(first.extract_text().split())
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    assert "Calendrier de l'alternance école/entreprise 2021-2022" in text
    assert "04/10 – 10/10/2021" in text and "26/09 – 02/10/2022" in text
    assert text.count("Soutenances") >= 2  # the two defence weeks (and the legend)
    assert "Contrôle des heures" in " ".join(pdf.pages[-1].extract_text().split())


def test_the_pdf_in_english(client, reference_campaign, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = " ".join(read(client.get(URL)).pages[0].extract_text().split())

    assert "School/company work-study calendar 2021-2022" in text
    assert "Defences" in text


def test_the_pdf_follows_a_reloaded_campaign_file(client, reference_campaign):
    """Made once per campaign revision: a new file gives a new PDF, not the cached one."""
    from .conftest import reload_reference

    before = client.get(URL).content
    assert client.get(URL).content == before  # the same revision: the same bytes, cached
    reload_reference(
        (
            '{ kind = "defence", first = "2022-W37", last = "2022-W38" },',
            '{ kind = "defence", first = "2022-W37", last = "2022-W37" },',
        )
    )

    text = " ".join(read(client.get(URL)).pages[0].extract_text().split())
    assert text.count("Soutenances") == 2  # the legend and the one defence week left
