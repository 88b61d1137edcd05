"""One PDF per dossier for the bulk download (R10.5): the answers, then every document's pages.

The answers are the submission receipt (dossiers/receipts.py, WeasyPrint), so staff read the
same summary the candidate received; each document follows in the checklist's order: a PDF's
pages merged as they are (pypdf), an image converted to one page (Pillow). A document that
cannot be read (a file lost from storage) is named on a page of its own instead, so one bad
file never stops the export.
"""

from __future__ import annotations

import io
import logging
from html import escape

from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader, PdfWriter

from admissions.documents.models import Document
from admissions.dossiers.models import Dossier
from admissions.dossiers.receipts import document_labels, receipt_pdf

logger = logging.getLogger(__name__)

# An image is placed on a page at this resolution: a 2480 px wide scan fills an A4 page.
IMAGE_DPI = 300


def image_as_pdf(data: bytes) -> bytes:
    """One PDF page holding the image (JPEG or PNG), transparency flattened on white."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        page: Image.Image = opened
        if opened.mode in ("RGBA", "LA", "P"):
            rgba = opened.convert("RGBA")
            page = Image.new("RGB", rgba.size, (255, 255, 255))
            page.paste(rgba, mask=rgba.getchannel("A"))
        elif opened.mode != "RGB":
            page = opened.convert("RGB")
        output = io.BytesIO()
        page.save(output, format="PDF", resolution=IMAGE_DPI)
    return output.getvalue()


def missing_page(text: str) -> bytes:
    """A page that says which document could not be included."""
    from weasyprint import HTML  # slow import: only where a PDF is made

    html = f"<p style='font: 12pt sans-serif'>{escape(text)}</p>"
    return HTML(string=html).write_pdf()


def document_pdf(document: Document) -> bytes:
    with document.file.open("rb") as stored:
        data = stored.read()
    if document.format == "pdf":
        return data
    return image_as_pdf(data)


def dossier_pdf(dossier: Dossier, language: str = "fr") -> bytes:
    """The answers (the receipt), then each document's pages in the checklist's order."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(receipt_pdf(dossier, language))))
    labels = document_labels(dossier, language)
    position = {code: index for index, code in enumerate(labels)}
    documents = sorted(
        dossier.documents.all(), key=lambda d: (position.get(d.code, len(position)), d.code)
    )
    for document in documents:
        label = labels.get(document.code, document.code)
        try:
            part = document_pdf(document)
            writer.append(PdfReader(io.BytesIO(part)))
        except Exception:  # a lost or unreadable file: named, and the export goes on
            logger.exception("Document %s of %s left out of the PDF", document.pk, dossier)
            with translation.override(language):
                text = _("Pièce « %(label)s » : fichier illisible, non incluse.") % {"label": label}
            writer.append(PdfReader(io.BytesIO(missing_page(text))))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
