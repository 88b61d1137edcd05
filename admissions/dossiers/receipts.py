"""The submission receipt (R3.7): a PDF made with WeasyPrint, sent by email (dossiers/emails.py)
and downloadable."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from admissions.core.language import localized
from admissions.dossiers.models import Dossier
from admissions.dossiers.selectors import dossier_answers, fee_status
from admissions.rules.documents import required_documents


def document_labels(dossier: Dossier, language: str) -> dict[str, str]:
    """Each checklist code of the dossier with its label in ``language`` (alternatives included)."""
    labels = {}
    for slot in required_documents(dossier.campaign.params(), dossier_answers(dossier)):
        labels[slot.code] = slot.label(language)
        for alternative in slot.alternatives:
            alternative_label = localized(alternative, "label", language)
            labels[alternative.code] = f"{slot.label(language)} — {alternative_label}"
    return labels


def receipt_context(dossier: Dossier, language: str = "fr") -> dict[str, Any]:
    """What the receipt shows: the answers as submitted, the documents by their checklist
    labels, the fee lines, the payments and what remains due (R3.6, R3.7, issue 8)."""
    snapshot = dossier.snapshot or {}
    labels = document_labels(dossier, language)
    with translation.override(language):
        other = str(_("Autre pièce"))
    # In the checklist's order, whatever order the database returned the files in.
    position = {code: index for index, code in enumerate(labels)}
    provided = sorted(
        snapshot.get("documents", {}), key=lambda code: position.get(code, len(position))
    )
    documents = [labels.get(code, other) for code in provided]
    pending = [labels.get(code, other) for code in snapshot.get("pending_documents", [])]
    birth_date = snapshot.get("identity", {}).get("birth_date")
    fee = fee_status(dossier, dossier.campaign.params())
    return {
        "dossier": dossier,
        "snapshot": snapshot,
        "documents": documents,
        "pending": pending,
        "birth_date": date.fromisoformat(birth_date) if birth_date else None,
        "recommendations": dossier.referees.filter(state="received").count(),
        "fee": fee,
        "fee_lines": [(line.label(language), line.amount) for line in fee.breakdown.lines]
        if fee
        else [],
        "payments": [p for p in dossier.payments.all() if p.state != "rejected"],
        "LANGUAGE_CODE": language,
    }


def receipt_html(dossier: Dossier, language: str = "fr") -> str:
    with translation.override(language), timezone.override(dossier.campaign.time_zone):
        return render_to_string("dossiers/receipt.html", receipt_context(dossier, language))


def receipt_pdf(dossier: Dossier, language: str = "fr") -> bytes:
    from weasyprint import HTML  # slow import: only where a PDF is made

    html = receipt_html(dossier, language)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
