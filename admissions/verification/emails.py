"""The central check's emails to the candidate (R4.1, R8.2): the list of documents to replace,
and the dossier's verdict. Queued in the outbox inside the transaction that makes them due;
written in the candidate's language (accounts.languages.recipient_language)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import queue_email
from admissions.rules.clock import format_instant
from admissions.verification.models import DossierCheck, FixListNotice
from admissions.verification.selectors import document_labels, fix_item_reason


def _queue(kind: str, key: str, dossier, payload: dict) -> OutboundEmail:
    return queue_email(
        kind=kind,
        key=key,
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload=payload,
        dossier=dossier,
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


def fix_list_message(
    dossier, items: list[dict], language: str, labels: dict[str, str] | None = None
) -> EmailMessage:
    """The fix list's message from its items (code, reason_code, reason, replace_until ISO or
    empty), each reason in ``language``; the documents' names from the dossier's checklist
    unless ``labels`` gives them."""
    labels = document_labels(dossier, language) if labels is None else labels
    lines = [
        {
            "label": labels.get(item["code"], item.get("label", item["code"])),
            "reason": fix_item_reason(item, dossier.campaign, language),
            "until": format_instant(
                datetime.fromisoformat(item["replace_until"]), dossier.campaign.time_zone, language
            )
            if item.get("replace_until")
            else "",
        }
        for item in items
    ]
    context = {
        "dossier": dossier,
        "school": dossier.campaign.school.name,
        "items": lines,
        "url": _site("dossiers:page", "pieces"),
    }
    return _render("fix_list", context, language, dossier.candidate.email)


def compose_fix_list(email: OutboundEmail) -> EmailMessage:
    """Every document to replace, its reason and its date: one email, however many items."""
    notice = FixListNotice.objects.select_related(
        "dossier__campaign__school", "dossier__candidate"
    ).get(pk=email.payload["notice"])
    return fix_list_message(notice.dossier, notice.items, email.language)


def verdict_message(check: DossierCheck, language: str) -> EmailMessage:
    """Recevable: forwarded to the school's committee. Refused: the reason."""
    dossier = check.dossier
    context = {
        "dossier": dossier,
        "check": check,
        "school": dossier.campaign.school.name,
        "url": _site("dossiers:overview"),
    }
    name = "recevable" if check.verdict == DossierCheck.Verdict.RECEVABLE else "refused"
    return _render(name, context, language, dossier.candidate.email)


def compose_verdict(email: OutboundEmail) -> EmailMessage:
    check = DossierCheck.objects.select_related(
        "dossier__campaign__school", "dossier__candidate"
    ).get(pk=email.payload["dossier"])
    return verdict_message(check, email.language)


def preview_fix_list(*, campaign: Campaign, language: str) -> Variants:
    """Two made-up documents to replace, one with a date."""
    dossier = sample_dossier(campaign, language=language)
    until = datetime(2021, 3, 17, tzinfo=UTC).isoformat()
    items = [
        {"code": "cv", "reason": gettext_lazy("Document illisible"), "replace_until": until},
        {"code": "photo", "reason": gettext_lazy("Photo non conforme"), "replace_until": ""},
    ]
    with translation.override(language):
        items = [{**item, "reason": str(item["reason"])} for item in items]
        labels = {"cv": str(gettext_lazy("CV")), "photo": str(gettext_lazy("Photo d'identité"))}
    message = fix_list_message(dossier, items, language, labels)
    return [(gettext_lazy("Pièces à remplacer"), message)]


def preview_verdict(*, campaign: Campaign, language: str) -> Variants:
    """Both verdicts on a made-up dossier."""
    dossier = sample_dossier(campaign, language=language)
    variants: list[tuple[str | Promise, EmailMessage]] = []
    for verdict, label, reason in (
        (DossierCheck.Verdict.RECEVABLE, gettext_lazy("Recevable"), ""),
        (
            DossierCheck.Verdict.REFUSED,
            gettext_lazy("Refus de pré-admissibilité"),
            "Relevés de notes absents.",
        ),
    ):
        check = DossierCheck(dossier=dossier, verdict=verdict, reason=reason)
        variants.append((label, verdict_message(check, language)))
    return variants
