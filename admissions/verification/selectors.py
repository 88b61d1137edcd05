"""Reads of the central check (R4.1): the dossier page, the next dossier, the reasons list.

Staff lookups go through ``dossiers.permissions`` (R9.2): a dossier outside the user's scope
does not exist for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from admissions.accounts.models import User
from admissions.audit.models import AuditEntry
from admissions.campaigns.models import Campaign
from admissions.documents.models import Document
from admissions.dossiers.models import Dossier
from admissions.dossiers.permissions import dossiers_checkable_by
from admissions.dossiers.selectors import dossier_answers
from admissions.rules import documents as document_rules

# What the dossier page shows of a dossier, read in a fixed number of queries.
DOSSIER_PAGE_RELATIONS = (
    "choices__option__programme",
    "diplomas",
    "experiences",
    "documents__reviewed_by",
    "pending_documents",
    "payments",
    "referees",
    "messages",
)


@dataclass(frozen=True)
class ReasonChoice:
    code: str
    text: str


def refusal_reasons(campaign: Campaign, language: str) -> list[ReasonChoice]:
    """The campaign file's list of document refusal reasons (``[verification]``), in
    ``language`` when the file gives it, else in French."""
    section = campaign.loaded_document().get("verification") or {}
    english = language.startswith("en")
    return [
        ReasonChoice(entry["code"], (entry.get("text_en") if english else "") or entry["text"])
        for entry in section.get("refusal_reasons", [])
    ]


def refusal_reason_text(campaign: Campaign, code: str) -> str:
    """The French text of the reason ``code`` (what the candidate reads), or "" if unknown."""
    if not code:
        return ""
    for reason in refusal_reasons(campaign, "fr"):
        if reason.code == code:
            return reason.text
    return ""


def document_labels(dossier: Dossier, language: str) -> dict[str, str]:
    """Each document code of the dossier's checklist with its label in ``language``."""
    params = dossier.campaign.params()
    labels: dict[str, str] = {}
    for slot in document_rules.required_documents(params, dossier_answers(dossier)):
        labels[slot.code] = slot.label(language)
        for alternative in slot.alternatives:
            choice = alternative.label_en if language.startswith("en") else alternative.label_fr
            labels[alternative.code] = f"{slot.label(language)} — {choice}"
    return labels


def open_replacements(dossier: Dossier, now: datetime) -> list[Document]:
    """Refused documents the candidate may still replace (R3.8), oldest refusal first."""
    return [
        document
        for document in dossier.documents.filter(replacement_requested=True).order_by(
            "reviewed_at", "pk"
        )
        if document.replacement_open(now)
    ]


def dossier_for_staff(user: User, reference: str) -> Dossier | None:
    """The dossier ``reference`` if ``user`` may check it, with what its page shows; else None."""
    return (
        dossiers_checkable_by(user)
        .filter(reference=reference)
        .select_related("campaign__school", "candidate", "central_check__decided_by")
        .defer("campaign__document", "campaign__source_text")
        .prefetch_related(*DOSSIER_PAGE_RELATIONS)
        .first()
    )


def dossiers_to_check(user: User) -> QuerySet[Dossier]:
    """Submitted dossiers without a verdict, in queue order: oldest submission first."""
    return (
        dossiers_checkable_by(user)
        .filter(state=Dossier.State.SUBMITTED, central_check__isnull=True)
        .order_by("submitted_at", "pk")
    )


def next_dossier_to_check(user: User, after: Dossier | None = None) -> Dossier | None:
    """The next submitted, undecided dossier in queue order after ``after`` (the first one
    when ``after`` is None or the last), never ``after`` itself; None when none is left."""
    queue = dossiers_to_check(user)
    if after is not None and after.submitted_at is not None:
        later = queue.filter(
            Q(submitted_at__gt=after.submitted_at)
            | Q(submitted_at=after.submitted_at, pk__gt=after.pk)
        ).first()
        if later is not None:
            return later
        queue = queue.exclude(pk=after.pk)
    return queue.first()


def audit_trail(dossier: Dossier) -> QuerySet[AuditEntry]:
    """Every audit entry about the dossier, its referees and its payments (R9.1), oldest
    first, with its author. Reads the dossier's referees and payments (prefetched)."""
    about = Q(target_type=Dossier._meta.label_lower, target_id=str(dossier.pk))
    for relation in (dossier.referees, dossier.payments):
        ids = [str(row.pk) for row in relation.all()]
        if ids:
            about |= Q(target_type=relation.model._meta.label_lower, target_id__in=ids)
    return AuditEntry.objects.filter(about).select_related("actor").order_by("at", "pk")
