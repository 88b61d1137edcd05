"""The central administrative check (R4.1): document verdicts, the fix-list email, the
dossier's verdict.

Every service locks the dossier row first, then reads what it checks again, then writes, so
that two officers (or one double click) cannot record a verdict twice, and a candidate's
replacement cannot slip between a check and a write (documents.services.store_document takes
the same lock).

The queue's bulk PDF exports (R10.5): ``start_bulk_export`` records the request and queues ``tasks.build_bulk_export`` after commit;
the task calls ``build_bulk_export``, which writes the ZIP dossier by dossier, counting its
progress so the page can show it; ``sweep_bulk_exports`` deletes the files of expired exports.

The campaign's counts (R8.3 funnel, R10.5 counts per programme): ``recount_campaign`` counts
every dossier in the background (``tasks.recount_campaign``, ``manage.py recount_campaigns``)
into ``CampaignCounts``; ``counts_for_page`` reads that row and, when it is stale, queues one
recount per process and minute: no request counts the campaign's dossiers itself.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from admissions.accounts.models import User
from admissions.audit.services import record
from admissions.campaigns.models import Campaign
from admissions.core.language import page_language
from admissions.documents.models import Document
from admissions.dossiers.models import Dossier
from admissions.rules.clock import format_instant
from admissions.verification.emails import queue_fix_list, queue_verdict
from admissions.verification.funnel import count_funnel_numbers
from admissions.verification.models import (
    BulkExport,
    CampaignCounts,
    DossierCheck,
    FixListNotice,
)
from admissions.verification.selectors import (
    COUNTS_STALE_AFTER,
    count_matching_numbers,
    count_queue_numbers,
    counts_are_stale,
    document_labels,
    document_refusal_reason,
    open_replacements,
    refusal_reason_text,
    stored_counts,
)

Review = Document.Review
Verdict = DossierCheck.Verdict


class CheckError(Exception):
    """A refused verdict, with a message in the page's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def _lock(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update()
        .select_related("campaign", "candidate")
        .defer("campaign__document", "campaign__source_text")
        .get(pk=dossier.pk)
    )


def _decided_message(check: DossierCheck, time_zone: str):
    return _(
        "Ce dossier a déjà été décidé (%(verdict)s) par %(who)s le %(when)s : rien n'a été "
        "enregistré."
    ) % {
        "verdict": check.get_verdict_display(),
        "who": check.decided_by,
        "when": format_instant(check.decided_at, time_zone, page_language()),
    }


def _names(dossier: Dossier, documents: list[Document]) -> str:
    """The documents' labels in the page's language, for a message."""
    labels = document_labels(dossier, page_language())
    return ", ".join(labels.get(document.code, document.code) for document in documents)


def _check_open(dossier: Dossier, now: datetime) -> None:
    """A verdict needs a submitted dossier, not yet decided, before the results (R4.1, R5.2)."""
    if not dossier.is_submitted:
        raise CheckError(_("Ce dossier n'est pas déposé : il ne peut pas encore être vérifié."))
    check = DossierCheck.objects.filter(dossier=dossier).select_related("decided_by").first()
    if check is not None:
        raise CheckError(_decided_message(check, dossier.campaign.time_zone))
    params = dossier.campaign.params()
    if now >= params.calendar.admissibility_results_at:
        raise CheckError(
            _(
                "Les résultats d'admissibilité sont publiés : la vérification administrative "
                "est close, rien n'a été enregistré."
            )
        )


def review_document(
    *,
    document: Document,
    by,
    now: datetime,
    verdict: str,
    reason_code: str = "",
    reason_text: str = "",
    replace_until: datetime | None = None,
    seen_uploaded_at: datetime | None = None,
) -> Document:
    """Declare ``document`` valid, or refused with a reason the candidate reads (R4.1).

    A refusal re-opens just that item for the candidate until ``replace_until`` (by default
    the campaign's replacement deadline; R3.8). The reason is picked from the campaign file's
    list (``reason_code``) or written (``reason_text``). ``seen_uploaded_at`` is the version
    of the file the officer looked at: a file replaced since is not judged blind.
    The scholarship proof's verdict sets the fee through the fee rules (R3.6): nothing more to
    write. Raises CheckError. Side effects: audit entry; no email (see ``notify_fixes``).
    """
    if verdict not in (Review.VALID, Review.REFUSED):
        raise CheckError(_("Choisissez « valide » ou « refusée »."))
    with transaction.atomic():
        dossier = _lock(document.dossier)
        _check_open(dossier, now)
        current = Document.objects.filter(pk=document.pk, dossier=dossier).first()
        if current is None:
            raise CheckError(_("Cette pièce n'existe plus : la page a été rechargée."))
        if seen_uploaded_at is not None and current.uploaded_at != seen_uploaded_at:
            raise CheckError(
                _(
                    "Le candidat a remplacé cette pièce depuis l'ouverture de la page : "
                    "regardez le nouveau fichier avant de vous prononcer. Rien n'a été enregistré."
                )
            )
        reason_code = reason_code if refusal_reason_text(dossier.campaign, reason_code) else ""
        reason = ""  # the officer's own words, when no reason of the list was picked
        until = None
        if verdict == Review.REFUSED:
            reason = "" if reason_code else reason_text.strip()
            if not (reason_code or reason):
                raise CheckError(
                    _("Indiquez le motif du refus : le candidat le lira. Rien n'a été enregistré.")
                )
            until = replace_until or dossier.campaign.params().calendar.replacement_deadline
            if until is None:
                raise CheckError(
                    _("Indiquez jusqu'à quand le candidat peut remplacer cette pièce.")
                )
            if until <= now:
                raise CheckError(_("La date limite de remplacement doit être dans le futur."))
        else:
            reason_code = ""
        if (
            current.review,
            current.refusal_reason_code,
            current.refusal_reason,
            current.replace_until,
        ) == (verdict, reason_code, reason, until):
            return current  # a double click, or the same verdict sent again: nothing new
        current.review = verdict
        current.refusal_reason_code = reason_code
        current.refusal_reason = reason
        current.replacement_requested = verdict == Review.REFUSED
        current.replace_until = until
        current.reviewed_at = now
        current.reviewed_by = by
        current.save(
            update_fields=[
                "review",
                "refusal_reason_code",
                "refusal_reason",
                "replacement_requested",
                "replace_until",
                "reviewed_at",
                "reviewed_by",
            ]
        )
        record(
            by,
            "verification.document.reviewed",
            dossier,
            # The audit reads in French, the staff's language of record.
            reason=refusal_reason_text(dossier.campaign, reason_code) or reason,
            data={
                "code": current.code,
                "review": verdict,
                "reason_code": reason_code,
                "replace_until": until.isoformat() if until else None,
            },
            at=now,
        )
    return current


def notify_fixes(*, dossier: Dossier, by, now: datetime) -> FixListNotice:
    """Owe the candidate ONE email listing every document to replace and until when (R4.1).

    Refused only when no refusal is new since the previous email (a double click, or nothing
    to tell). Raises CheckError. Side effects: audit entry; the email queued after commit."""
    with transaction.atomic():
        dossier = _lock(dossier)
        _check_open(dossier, now)
        return _notify(dossier, by, now, required=True)


def _notify(dossier: Dossier, by, now: datetime, *, required: bool) -> FixListNotice:
    """The fix-list email, inside the caller's transaction and lock; raises CheckError when
    ``required`` and nothing is new since the previous one."""
    documents = open_replacements(dossier, now)
    last = dossier.fix_notices.order_by("-sent_at", "-pk").first()
    new = [
        document
        for document in documents
        if last is None
        or (document.reviewed_at is not None and document.reviewed_at > last.sent_at)
    ]
    if not new:
        if required:
            raise CheckError(
                _(
                    "Aucune nouvelle pièce refusée depuis le dernier courriel au candidat : "
                    "rien n'a été envoyé."
                )
            )
        return last  # type: ignore[return-value]
    labels = document_labels(dossier, "fr")
    order = list(labels)  # the checklist's order, as the candidate's pages list the items
    documents.sort(key=lambda d: order.index(d.code) if d.code in order else len(order))
    notice = FixListNotice.objects.create(
        dossier=dossier,
        sent_by=by,
        sent_at=now,
        items=[
            {
                "code": document.code,
                "label": labels.get(document.code, document.code),
                # The code makes each email speak its reader's language; the French text
                # stays as what was said, should the campaign file drop the code.
                "reason_code": document.refusal_reason_code,
                "reason": document_refusal_reason(document, dossier.campaign, "fr"),
                "replace_until": document.replace_until.isoformat()
                if document.replace_until
                else None,
            }
            for document in documents
        ],
    )
    record(
        by,
        "verification.fixes.notified",
        dossier,
        data={"codes": [document.code for document in documents], "notice": notice.pk},
        at=now,
    )
    queue_fix_list(notice)
    return notice


def decide_dossier(
    *, dossier: Dossier, by, now: datetime, verdict: str, reason: str = ""
) -> DossierCheck:
    """Declare the dossier "recevable" (forwarded to the school's committee) or refuse its
    pre-admissibility for missing essential elements, with the reason (R4.1). Once per dossier.

    Refused while the candidate may still replace a refused document: the notice gives them
    until the staff-set date, and only then can "missing" be judged. "Recevable" also needs
    every document judged valid. Raises CheckError. Side effects: audit entry; the verdict
    email queued after commit (FR or EN as the candidate submitted)."""
    reason = reason.strip()
    if verdict not in Verdict.values:
        raise CheckError(_("Choisissez « recevable » ou « refus de pré-admissibilité »."))
    with transaction.atomic():
        dossier = _lock(dossier)
        existing = DossierCheck.objects.filter(dossier=dossier).first()
        if existing is not None and (existing.verdict, existing.decided_by_id) == (
            verdict,
            getattr(by, "pk", None),
        ):
            return existing  # the same officer's double click: already recorded
        _check_open(dossier, now)
        if verdict == Verdict.REFUSED and not reason:
            raise CheckError(
                _(
                    "Indiquez le motif du refus de pré-admissibilité : le candidat le lira. "
                    "Rien n'a été enregistré."
                )
            )
        waiting = open_replacements(dossier, now)
        if waiting:
            raise CheckError(
                _(
                    "Le candidat peut encore remplacer : %(items)s. Attendez la date limite ou "
                    "sa nouvelle pièce avant de décider."
                )
                % {"items": _names(dossier, waiting)}
            )
        if verdict == Verdict.RECEVABLE:
            not_valid = [d for d in dossier.documents.all() if d.review != Review.VALID]
            if not_valid:
                raise CheckError(
                    _(
                        "Pour déclarer le dossier recevable, chaque pièce doit être valide. "
                        "Reste à vérifier ou refusée : %(items)s."
                    )
                    % {"items": _names(dossier, not_valid)}
                )
        check = DossierCheck.objects.create(
            dossier=dossier,
            verdict=verdict,
            reason=reason if verdict == Verdict.REFUSED else "",
            decided_by=by,
            decided_at=now,
        )
        record(
            by,
            "verification.dossier.decided",
            dossier,
            reason=check.reason,
            data={"verdict": verdict},
            at=now,
        )
        queue_verdict(check)
    return check


logger = logging.getLogger(__name__)


class BulkExportError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_dossiers() -> int:
    return settings.BULK_EXPORT_MAX_DOSSIERS


def time_to_live() -> timedelta:
    return timedelta(seconds=settings.BULK_EXPORT_TTL_SECONDS)


def start_bulk_export(
    *,
    by: User,
    campaign: Campaign,
    dossiers: QuerySet[Dossier],
    now: datetime,
    language: str = "fr",
) -> BulkExport:
    """Record an export of ``dossiers`` (already narrowed to what ``by`` may check) and queue
    its building. Raises BulkExportError for an empty selection or one over the limit.
    Side effects: audit entry; the task queued after commit."""
    from admissions.verification.tasks import build_bulk_export  # tasks import this module

    dossier_ids = list(
        dossiers.order_by("reference").values_list("pk", flat=True)[: max_dossiers() + 1]
    )
    if not dossier_ids:
        raise BulkExportError(_("Aucun dossier sélectionné : cochez au moins un dossier."))
    if len(dossier_ids) > max_dossiers():
        raise BulkExportError(
            ngettext(
                "Un export réunit au plus %(max)d dossier : affinez les filtres.",
                "Un export réunit au plus %(max)d dossiers : affinez les filtres.",
                max_dossiers(),
            )
            % {"max": max_dossiers()}
        )
    with transaction.atomic():
        export = BulkExport.objects.create(
            campaign=campaign,
            requested_by=by,
            total=len(dossier_ids),
            language=language,
            created_at=now,
        )
        export.dossiers.set(dossier_ids)
        record(
            by,
            "verification.bulk_export.requested",
            export,
            data={"dossiers": len(dossier_ids)},
            at=now,
        )
        transaction.on_commit(lambda: build_bulk_export.enqueue(export.pk))
    return export


def build_bulk_export(*, export_id: int, now: datetime) -> BulkExport:
    """Write the ZIP of ``export_id``: one PDF per dossier, progress counted after each.

    Claims the export with a conditional UPDATE (queued -> running), so a task run twice
    builds it once. Side effects: the file stored; the export ready (or failed)."""
    from admissions.verification.bulk import dossier_pdf  # WeasyPrint: only in the worker

    claimed = BulkExport.objects.filter(pk=export_id, state=BulkExport.State.QUEUED).update(
        state=BulkExport.State.RUNNING
    )
    export = BulkExport.objects.get(pk=export_id)
    if claimed != 1:  # another worker has it, or it is already built
        return export
    dossiers = export.dossiers.select_related("campaign", "candidate").prefetch_related(
        "documents", "payments", "choices"
    )
    try:
        with tempfile.TemporaryFile() as output:
            with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for dossier in dossiers.order_by("reference").iterator(chunk_size=50):
                    archive.writestr(
                        f"{dossier.reference}.pdf", dossier_pdf(dossier, export.language)
                    )
                    BulkExport.objects.filter(pk=export.pk).update(done=F("done") + 1)
            output.seek(0)
            export.refresh_from_db()
            export.file.save(f"{export.pk}.zip", File(output), save=False)
    except Exception:
        logger.exception("Bulk export %s failed", export_id)
        BulkExport.objects.filter(pk=export_id).update(
            state=BulkExport.State.FAILED, finished_at=now
        )
        export.refresh_from_db()
        return export
    export.state = BulkExport.State.READY
    export.finished_at = now
    export.expires_at = now + time_to_live()
    export.save(update_fields=["file", "state", "finished_at", "expires_at"])
    return export


def sweep_bulk_exports(*, now: datetime) -> int:
    """Delete the files of exports past their expiry; the rows stay (expired) as a record.
    Returns how many were swept."""
    swept = 0
    due = BulkExport.objects.filter(state=BulkExport.State.READY, expires_at__lte=now)
    for export in due.iterator():
        with transaction.atomic():
            locked = BulkExport.objects.select_for_update().get(pk=export.pk)
            if locked.state != BulkExport.State.READY:  # swept by another run meanwhile
                continue
            name = locked.file.name
            locked.file = ""
            locked.state = BulkExport.State.EXPIRED
            locked.save(update_fields=["file", "state"])
            if name:
                storage = locked.file.storage
                transaction.on_commit(partial(storage.delete, name))
            swept += 1
    return swept


def recount_campaign(
    *, campaign_id: int, now: datetime, requested_at: datetime | None = None
) -> CampaignCounts | None:
    """Count every dossier of the campaign for the funnel and the queue and store the numbers
    with ``now`` (the instant counting started). Does nothing when the campaign is gone, or
    when it was counted at or after ``requested_at`` (several pages may ask at once)."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    if requested_at is not None:
        existing = stored_counts(campaign)
        if existing is not None and existing.computed_at >= requested_at:
            return existing
    numbers = {
        "funnel": count_funnel_numbers(campaign),
        "queue": count_queue_numbers(campaign),
        "matching": count_matching_numbers(campaign),
    }
    with transaction.atomic():
        CampaignCounts.objects.bulk_create(
            [CampaignCounts(campaign=campaign, computed_at=now, counts=numbers)],
            update_conflicts=True,
            unique_fields=["campaign"],
            update_fields=["computed_at", "counts"],
        )
    return stored_counts(campaign)


def counts_for_page(campaign: Campaign, now: datetime) -> CampaignCounts | None:
    """The campaign's counts as last counted (None before the first count); when they are
    older than ``COUNTS_STALE_AFTER``, a recount is queued, at most once a minute per process.
    ``now`` is wall time (see ``selectors.COUNTS_STALE_AFTER``)."""
    from admissions.verification.tasks import recount_campaign as recount_task

    counts = stored_counts(campaign)
    if not counts_are_stale(counts, now):
        return counts
    key = f"verification:recount-requested:{campaign.pk}"
    if cache.add(key, True, COUNTS_STALE_AFTER.total_seconds()):
        recount_task.enqueue(campaign.pk, now.isoformat())
        if counts is None:  # an immediate backend (tests, development) has counted already
            counts = stored_counts(campaign)
    return counts
