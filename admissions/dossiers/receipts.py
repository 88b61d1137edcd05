"""The submission receipt (R3.7): a PDF made with WeasyPrint, sent by email and downloadable."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from admissions.dossiers.models import Dossier


def receipt_pdf(dossier: Dossier, language: str = "fr") -> bytes:
    from weasyprint import HTML  # slow import: only where a PDF is made

    with translation.override(language):
        html = render_to_string("dossiers/receipt.html", {"dossier": dossier, "snapshot": dossier.snapshot})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def send_receipt(dossier_id: int, language: str = "fr") -> None:
    dossier = Dossier.objects.select_related("candidate", "campaign__school").get(pk=dossier_id)
    with translation.override(language):
        subject = render_to_string("dossiers/email/receipt_subject.txt", {"dossier": dossier}).strip()
        body = render_to_string(
            "dossiers/email/receipt_body.txt", {"dossier": dossier, "site_url": settings.SITE_URL}
        )
    message = EmailMessage(subject, body, to=[dossier.candidate.email])
    message.attach(f"accuse-reception-{dossier.reference}.pdf", receipt_pdf(dossier, language), "application/pdf")
    message.send()
