"""The submission receipt (R3.7): a PDF made with WeasyPrint, sent by email (dossiers/emails.py)
and downloadable."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from admissions.dossiers.models import Dossier


def document_labels(dossier: Dossier, language: str) -> dict[str, str]:
    """Each checklist code of the dossier with its label in ``language`` (alternatives included)."""
    from admissions.dossiers.services import dossier_answers
    from admissions.rules.documents import required_documents

    labels = {}
    for slot in required_documents(dossier.campaign.params(), dossier_answers(dossier)):
        labels[slot.code] = slot.label(language)
        for alternative in slot.alternatives:
            alternative_label = alternative.label_en if language == "en" else alternative.label_fr
            labels[alternative.code] = f"{slot.label(language)} — {alternative_label}"
    return labels


def receipt_pdf(dossier: Dossier, language: str = "fr") -> bytes:
    from weasyprint import HTML  # slow import: only where a PDF is made

    snapshot = dossier.snapshot or {}
    labels = document_labels(dossier, language)
    documents = [
        (labels.get(code, code), document["name"]) for code, document in snapshot.get("documents", {}).items()
    ]
    pending = [labels.get(code, code) for code in snapshot.get("pending_documents", [])]
    birth_date = snapshot.get("identity", {}).get("birth_date")
    with translation.override(language), timezone.override(dossier.campaign.time_zone):
        html = render_to_string(
            "dossiers/receipt.html",
            {
                "dossier": dossier,
                "snapshot": snapshot,
                "documents": documents,
                "pending": pending,
                "birth_date": date.fromisoformat(birth_date) if birth_date else None,
                "recommendations": dossier.referees.filter(state="received").count(),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

