"""The central check's emails to the candidate (R4.1, R8.2): the list of documents to replace,
and the dossier's verdict. Queued in the outbox inside the transaction that makes them due;
written in the language the candidate submitted in (French when unknown)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import queue_email
from admissions.rules.clock import format_instant


def _queue(kind: str, key: str, dossier, payload: dict) -> OutboundEmail:
    from admissions.verification.selectors import candidate_language

    return queue_email(
        kind=kind,
        key=key,
        recipient=dossier.candidate.email,
        language=candidate_language(dossier),
        payload=payload,
    )


def queue_fix_list(notice) -> OutboundEmail:
    return _queue(
        OutboundEmail.Kind.FIX_LIST, f"fix-list:{notice.pk}", notice.dossier, {"notice": notice.pk}
    )


def queue_verdict(check) -> OutboundEmail:
    dossier = check.dossier
    return _queue(
        OutboundEmail.Kind.CHECK_VERDICT,
        f"check-verdict:{dossier.pk}",
        dossier,
        {"dossier": dossier.pk},
    )


def _render(name: str, context: dict, language: str, to: str) -> EmailMessage:
    with translation.override(language):
        subject = render_to_string(f"verification/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"verification/email/{name}_body.txt", context)
    return EmailMessage(subject, body, to=[to])


def _site(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def compose_fix_list(email: OutboundEmail) -> EmailMessage:
    """Every document to replace, its reason and its date: one email, however many items."""
    from admissions.verification.models import FixListNotice
    from admissions.verification.selectors import document_labels

    notice = FixListNotice.objects.select_related(
        "dossier__campaign__school", "dossier__candidate"
    ).get(pk=email.payload["notice"])
    dossier = notice.dossier
    language = email.language
    labels = document_labels(dossier, language)
    items = [
        {
            "label": labels.get(item["code"], item.get("label", item["code"])),
            "reason": item["reason"],
            "until": format_instant(
                datetime.fromisoformat(item["replace_until"]), dossier.campaign.time_zone, language
            )
            if item.get("replace_until")
            else "",
        }
        for item in notice.items
    ]
    context = {
        "dossier": dossier,
        "school": dossier.campaign.school.name,
        "items": items,
        "url": _site("dossiers:page", "pieces"),
    }
    return _render("fix_list", context, language, dossier.candidate.email)


def compose_verdict(email: OutboundEmail) -> EmailMessage:
    """Recevable: forwarded to the school's committee. Refused: the reason."""
    from admissions.verification.models import DossierCheck

    check = DossierCheck.objects.select_related(
        "dossier__campaign__school", "dossier__candidate"
    ).get(pk=email.payload["dossier"])
    dossier = check.dossier
    context = {
        "dossier": dossier,
        "check": check,
        "school": dossier.campaign.school.name,
        "url": _site("dossiers:overview"),
    }
    name = "recevable" if check.verdict == DossierCheck.Verdict.RECEVABLE else "refused"
    return _render(name, context, email.language, dossier.candidate.email)
