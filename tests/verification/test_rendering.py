"""Documents shown inline to staff as images rendered on the server (R4.1, issue 11)."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from admissions.documents import rendering
from admissions.documents.models import Document
from tests.documents import corpus
from tests.helpers import page_text
from tests.html_text import element_text

pytestmark = pytest.mark.django_db


def with_file(document: Document, data: bytes, *, format_name: str, pages: int = 1) -> Document:
    document.file.save("upload", ContentFile(data), save=False)
    document.format, document.pages = format_name, pages
    document.save()
    return document


def a4_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def page_url(document: Document, page: int) -> str:
    return reverse(
        "verification:document_page", args=[document.dossier.reference, document.pk, page]
    )


def test_a_three_page_pdf_renders_three_page_images(client, submitted, officer, render_cache):
    cv = with_file(submitted.documents.get(code="cv"), a4_pdf(3), format_name="pdf", pages=3)
    client.force_login(officer)

    page = client.get(reverse("verification:dossier", args=[submitted.reference]))
    images = [client.get(page_url(cv, number)) for number in (1, 2, 3)]

    assert page_text(page).count(f'src="{page_url(cv, 2)}" loading="lazy"') == 1
    assert [(image.status_code, image["Content-Type"]) for image in images] == [
        (200, "image/png")
    ] * 3
    assert [Image.open(io.BytesIO(image.content)).width for image in images] == [
        rendering.DEFAULT_WIDTH
    ] * 3
    assert client.get(page_url(cv, 4)).status_code == 404


def test_a_rendered_page_is_read_from_the_cache_the_second_time(
    client, submitted, officer, render_cache, monkeypatch
):
    cv = with_file(submitted.documents.get(code="cv"), corpus.pdf(), format_name="pdf")
    client.force_login(officer)
    monkeypatch.setattr(rendering, "renders", 0)

    first = client.get(page_url(cv, 1))
    second = client.get(page_url(cv, 1))

    assert (rendering.renders, first.content == second.content) == (1, True)


def test_page_images_are_served_inline_without_sniffing(client, submitted, officer, render_cache):
    cv = with_file(submitted.documents.get(code="cv"), corpus.pdf(), format_name="pdf")
    client.force_login(officer)

    response = client.get(page_url(cv, 1))

    assert (
        response["Content-Disposition"],
        response["X-Content-Type-Options"],
        response["Content-Security-Policy"],
    ) == ("inline", "nosniff", "default-src 'none'; sandbox")


def test_an_image_is_re_encoded_as_png(client, submitted, officer, render_cache):
    photo = submitted.documents.get(code="photo")
    client.force_login(officer)

    response = client.get(page_url(photo, 1))

    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (600, 800))  # never enlarged


def test_a_malformed_pdf_shows_a_clear_message_and_no_500(client, submitted, officer, render_cache):
    cv = with_file(
        submitted.documents.get(code="cv"), corpus.pdf_header_then_garbage(), format_name="pdf"
    )
    client.force_login(officer)

    image = client.get(page_url(cv, 1))
    page = client.get(reverse("verification:dossier", args=[submitted.reference]))

    assert (image.status_code, image["Content-Type"], image["X-Render-Failed"]) == (
        200,
        "image/png",
        "1",
    )
    assert element_text(page.content.decode(), f"doc-{cv.pk}-failed") == (
        "Ce fichier ne peut pas être affiché ici (il semble abîmé) : téléchargez l'original "
        "pour le vérifier."
    )


def test_the_original_is_downloaded_as_an_attachment_in_a_sandbox(client, submitted, officer):
    cv = submitted.documents.get(code="cv")
    client.force_login(officer)

    response = client.get(
        reverse("verification:document_original", args=[submitted.reference, cv.pk])
    )

    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        response["X-Content-Type-Options"],
        response["Content-Security-Policy"],
    ) == (
        "application/pdf",
        'attachment; filename="cv.pdf"',
        "nosniff",
        "default-src 'none'; sandbox",
    )
