"""What happens to the pre-entry checklist (R7.4).

Services lock the dossier row (the campaign row for a reminder run) first, check again, write,
and record the audit entry in the same transaction; refusals raise ``PreEntryError`` with a
message in the page's language and leave nothing half-saved. They take the clock as ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from admissions.audit.services import record
from admissions.campaigns.models import Campaign
from admissions.documents.inspection import download_name, inspect_upload
from admissions.dossiers.models import Dossier
from admissions.preentry import emails, selectors
from admissions.preentry.models import ContractValidation, PreEntryDocument, PreEntryReminder
from admissions.preentry.permissions import can_manage, can_remind
from admissions.rules import clock as rules_clock
from admissions.rules.params import Campaign as CampaignParams

Kind = PreEntryDocument.Kind
Review = PreEntryDocument.Review

# A second "remind everyone" within this delay is refused: a double click, or two officers at
# once, must not email every candidate twice.
REMINDER_COOLDOWN = timedelta(minutes=10)


class PreEntryError(Exception):
    """A refused action on the checklist, with a message for the person who asked."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def _lock_dossier(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update()
        .select_related("campaign__school", "candidate")
        .get(pk=dossier.pk)
    )


def _check_staff(by, dossier: Dossier) -> None:
    if not can_manage(by, dossier):
        raise PreEntryError(_("Vous ne gérez pas les admissions de cette école."))


# --- The candidate's files (R7.4) -----------------------------------------------------------


def _check_may_upload(dossier: Dossier, kind: str, params: CampaignParams) -> None:
    if kind not in Kind.values:
        raise PreEntryError(_("Cette pièce n'est pas demandée."))
    if not selectors.is_admitted_for_good(dossier):
        raise PreEntryError(
            _(
                "Ces pièces sont demandées aux candidats admis définitivement : rien n'a été enregistré."
            )
        )
    if kind == Kind.JDC and not selectors.jdc_requirement(dossier, params):
        raise PreEntryError(_("Le certificat JDC/JAPD ne vous est pas demandé."))
    current = PreEntryDocument.objects.filter(dossier=dossier, kind=kind).first()
    if current is not None and current.accepted:
        raise PreEntryError(
            _("Cette pièce a déjà été acceptée : elle ne peut plus être remplacée.")
        )


def upload_document(
    *,
    dossier: Dossier,
    kind: str,
    upload,
    by,
    now: datetime,
    params: CampaignParams,
    language: str = "fr",
) -> PreEntryDocument:
    """The candidate sends (or replaces) the diploma's copy or the JDC/JAPD certificate.

    The file is judged by its content with the campaign's upload rules (R3.4) before the
    transaction; the right to send it is checked again under the dossier's lock. A refused file
    leaves the previous one in place. Raises PreEntryError. Side effects: audit entry; the
    replaced file deleted after commit.
    """
    _check_may_upload(dossier, kind, params)  # an early answer before the costly inspection
    inspection = inspect_upload(upload, params.uploads, kind="document")
    if not inspection.ok:
        raise PreEntryError(" ".join(inspection.texts(language)), field="file")
    upload.seek(0)
    data = upload.read(params.uploads.max_bytes + 1)
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        _check_may_upload(dossier, kind, params)
        document = PreEntryDocument.objects.filter(dossier=dossier, kind=kind).first()
        old_name = document.file.name if document is not None else None
        if document is None:
            document = PreEntryDocument(dossier=dossier, kind=kind, version=1)
        else:
            document.version += 1
        document.format = inspection.format or ""
        document.content_type = inspection.content_type or "application/octet-stream"
        document.size_bytes = len(data)
        document.original_name = download_name(
            getattr(upload, "name", "") or "document", inspection.format or ""
        )
        document.uploaded_at, document.uploaded_by = now, by
        document.review, document.refusal_reason = Review.UNCHECKED, ""
        document.reviewed_at, document.reviewed_by = None, None
        document.file.save("upload", ContentFile(data), save=False)
        document.save()
        record(
            by,
            "preentry.document.uploaded",
            dossier,
            data={"kind": kind, "version": document.version, "size": len(data)},
            at=now,
        )
        if old_name:
            storage = document.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return document


# --- Staff's verdicts (R7.4) ----------------------------------------------------------------


@dataclass(frozen=True)
class ReviewResult:
    document: PreEntryDocument
    changed: bool  # False: the same verdict was already recorded (a double click)


def review_document(
    *,
    dossier: Dossier,
    kind: str,
    accept: bool,
    reason: str,
    version: int,
    seen: str,
    by,
    now: datetime,
) -> ReviewResult:
    """Staff accept a file, or refuse it with a reason the candidate reads; the candidate may
    then send another. Accepting the diploma lifts the admission's condition (R7.2).

    ``version`` and ``seen`` are the file and the verdict the officer's form showed: a file
    replaced since, or a verdict another officer recorded since, refuses the form (stale);
    the same verdict twice records nothing more. Side effects: audit entry; on a refusal, the
    candidate emailed.
    """
    reason = reason.strip()
    if not accept and not reason:
        raise PreEntryError(_("Indiquez le motif du refus : le candidat le lira."), field="reason")
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        _check_staff(by, dossier)
        document = (
            PreEntryDocument.objects.select_for_update().filter(dossier=dossier, kind=kind).first()
        )
        if document is None:
            raise PreEntryError(_("Aucun fichier reçu pour cette pièce : rien n'a été enregistré."))
        verdict = Review.VALID if accept else Review.REFUSED
        if document.version != version:
            raise PreEntryError(
                _(
                    "Le candidat a envoyé un autre fichier depuis l'ouverture de cette page : "
                    "ouvrez-le avant de le juger. Rien n'a été enregistré."
                )
            )
        if document.review == verdict and (accept or document.refusal_reason == reason):
            return ReviewResult(document, changed=False)
        if document.review != seen:
            who = str(document.reviewed_by) if document.reviewed_by else "?"
            raise PreEntryError(
                _(
                    "%(who)s a déjà jugé cette pièce le %(when)s : la page est rechargée avec sa "
                    "décision. Rien n'a été enregistré."
                )
                % {
                    "who": who,
                    "when": rules_clock.format_instant(
                        document.reviewed_at or now, dossier.campaign.time_zone
                    ),
                }
            )
        document.review = verdict
        document.refusal_reason = "" if accept else reason
        document.reviewed_at, document.reviewed_by = now, by
        document.save(update_fields=["review", "refusal_reason", "reviewed_at", "reviewed_by"])
        record(
            by,
            "preentry.document.accepted" if accept else "preentry.document.refused",
            dossier,
            reason="" if accept else reason,
            data={"kind": kind, "version": document.version},
            at=now,
        )
        if not accept:
            emails.queue_refusal(document)
    return ReviewResult(document, changed=True)


# --- MidiSup's validation of the contract (R7.4) --------------------------------------------


def record_contract_validation(
    *,
    dossier: Dossier,
    validated_on: date,
    note: str,
    evidence: UploadedFile | None,
    by,
    now: datetime,
    params: CampaignParams,
    language: str = "fr",
) -> ContractValidation:
    """Staff record that the apprentice training centre (MidiSup) validated the contract:
    the date, who recorded it, an optional note and evidence (judged like any upload). A
    second record corrects the first (audited); the same values twice record nothing more."""
    today = rules_clock.local_date(now, dossier.campaign.time_zone)
    if validated_on > today:
        raise PreEntryError(
            _("La date de validation ne peut pas être dans le futur."), field="validated_on"
        )
    inspection = None
    data = b""
    if evidence is not None:
        inspection = inspect_upload(evidence, params.uploads, kind="document")
        if not inspection.ok:
            raise PreEntryError(" ".join(inspection.texts(language)), field="evidence")
        evidence.seek(0)
        data = evidence.read(params.uploads.max_bytes + 1)
    note = note.strip()
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        _check_staff(by, dossier)
        if not selectors.is_admitted_for_good(dossier):
            raise PreEntryError(
                _("Ce candidat n'est pas admis définitivement : rien n'a été enregistré.")
            )
        validation = ContractValidation.objects.select_for_update().filter(dossier=dossier).first()
        if (
            validation is not None
            and validation.validated_on == validated_on
            and validation.note == note
            and inspection is None
        ):
            return validation  # a double click
        corrected = validation is not None
        if validation is None:
            validation = ContractValidation(dossier=dossier)
        validation.validated_on, validation.note = validated_on, note
        validation.recorded_at, validation.recorded_by = now, by
        if inspection is not None:
            validation.evidence_format = inspection.format or ""
            validation.evidence.save("evidence", ContentFile(data), save=False)
        validation.save()
        record(
            by,
            "preentry.contract.validated",
            dossier,
            reason=note,
            data={
                "validated_on": validated_on.isoformat(),
                "evidence": bool(validation.evidence),
                "corrected": corrected,
            },
            at=now,
        )
    return validation


# --- Reminders (R7.4) -----------------------------------------------------------------------


def remind_missing(
    *, campaign: Campaign, by, now: datetime, language: str = "fr"
) -> PreEntryReminder:
    """Email every candidate admitted for good who still misses an item, once, listing what
    they miss, in their own language (one POST: one email per candidate).

    Refused within ``REMINDER_COOLDOWN`` of the last run (a double click, a second officer),
    and when nobody misses anything. Side effects: a ``PreEntryReminder`` row, one outbox email
    per candidate, one audit entry."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("school").get(pk=campaign.pk)
        if not can_remind(by, campaign):
            raise PreEntryError(_("Vous ne gérez pas les admissions de cette école."))
        last = selectors.last_reminder(campaign)
        if last is not None and now < last.sent_at + REMINDER_COOLDOWN:
            raise PreEntryError(
                _(
                    "Une relance a déjà été envoyée le %(when)s par %(who)s : attendez "
                    "%(minutes)s minutes entre deux relances. Aucun courriel n'est reparti."
                )
                % {
                    "when": rules_clock.format_instant(last.sent_at, campaign.time_zone, language),
                    "who": last.sent_by,
                    "minutes": int(REMINDER_COOLDOWN.total_seconds() // 60),
                }
            )
        params = campaign.params()
        dossiers = selectors.admitted_dossiers(Dossier.objects.all(), campaign)
        lacking = [c for c in selectors.checklists(dossiers, params) if c.missing]
        if not lacking:
            raise PreEntryError(
                _("Aucun candidat admis ne manque de pièce : aucun courriel envoyé.")
            )
        reminder = PreEntryReminder.objects.create(
            campaign=campaign, sent_at=now, sent_by=by, recipients=len(lacking)
        )
        for checklist in lacking:
            emails.queue_reminder(reminder, checklist)
        record(
            by,
            "preentry.reminder.sent",
            reminder,
            data={
                "recipients": len(lacking),
                "missing": {c.dossier.reference: list(c.missing) for c in lacking},
            },
            at=now,
        )
    return reminder
