"""What happens in the help with the company search (R7.3).

Services change state in one transaction, write the audit trail, take the clock as ``now`` and
never read the request. Refusals raise ``SearchHelpError`` with a message in the page's language
(``field``: the form field it belongs to).

Seats: ``TrainingSession.registered`` is taken by one conditional UPDATE (``registered <
capacity``) in the transaction that creates the registration; the database decides who gets
the last seat. A candidate holds one registration at a time: their dossier row is locked while
registering, so a double click registers once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from admissions.accounts.models import User
from admissions.audit.services import record
from admissions.campaigns.models import Campaign
from admissions.companies.models import Exclusion
from admissions.companies.selectors import academically_admitted, admitted_without_company
from admissions.company_search import emails, selectors
from admissions.company_search.models import (
    PhoneAdviceRequest,
    PresentationFile,
    SessionInvitation,
    SessionRegistration,
    TrainingSession,
)
from admissions.company_search.permissions import can_manage
from admissions.documents.inspection import inspect_upload
from admissions.dossiers.models import Dossier
from admissions.rules import company_search as rules
from admissions.rules.explain import Decision


class SearchHelpError(Exception):
    """A refused action of the company-search help, with a message in the page's language."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def _texts(decision_or_reasons, language: str) -> str:
    reasons = (
        decision_or_reasons.reasons
        if isinstance(decision_or_reasons, Decision)
        else decision_or_reasons
    )
    return " ".join(reason.text(language) for reason in reasons)


def _check_manager(by: User, campaign: Campaign) -> None:
    if not can_manage(by, campaign):
        raise SearchHelpError(_("Vous ne gérez pas les admissions de cette école."))


# --- Sessions (staff) -----------------------------------------------------------------------


@dataclass(frozen=True)
class SessionDetails:
    starts_at: datetime
    ends_at: datetime
    remote: bool
    place: str
    link: str
    capacity: int
    notes: str


def save_session(
    *,
    campaign: Campaign,
    details: SessionDetails,
    by: User,
    now: datetime,
    session: TrainingSession | None = None,
    language: str = "fr",
) -> TrainingSession:
    """Create or change a training session. The capacity never goes below the candidates
    registered (the row is locked, so no registration slips in between); a cancelled session
    stays cancelled.

    Side effects: audit entry ``company_search.session.created`` or ``...changed``; when a
    change moves what candidates rely on (date, times, place or link), an email to each one
    invited or registered, after commit. Saving the same values again (a double click) tells
    nobody: the locked row already holds them."""
    with transaction.atomic():
        _check_manager(by, campaign)
        registered = 0
        known: tuple | None = None  # what the invited and registered rely on, before the change
        was = details.starts_at  # the start they know: the stored one, when changing
        if session is not None:
            session = TrainingSession.objects.select_for_update().get(
                pk=session.pk, campaign=campaign
            )
            if session.is_cancelled:
                raise SearchHelpError(_("Cette session est annulée : elle ne peut plus changer."))
            registered = session.registered
            known = _what_candidates_rely_on(session)
            was = session.starts_at
        place = "" if details.remote else details.place.strip()
        link = details.link.strip() if details.remote else ""
        problems = rules.session_problems(
            starts_at=details.starts_at,
            ends_at=details.ends_at,
            now=now,
            frozen_at=campaign.final_list_frozen_at,
            capacity=details.capacity,
            registered=registered,
            remote=details.remote,
            place=place,
            link=link,
        )
        if problems:
            raise SearchHelpError(_texts(problems, language))
        created = session is None
        session = session or TrainingSession(campaign=campaign, created_at=now, created_by=by)
        session.starts_at, session.ends_at = details.starts_at, details.ends_at
        session.remote, session.place, session.link = details.remote, place, link
        session.capacity, session.notes = details.capacity, details.notes.strip()
        session.save()
        moved = known is not None and known != _what_candidates_rely_on(session)
        told = list(_invited_or_registered(session).select_related("candidate")) if moved else []
        entry = record(
            by,
            "company_search.session.created" if created else "company_search.session.changed",
            session,
            data={
                "starts_at": details.starts_at.isoformat(),
                "capacity": details.capacity,
                "remote": details.remote,
                **({} if created else {"told": len(told)}),
            },
            at=now,
        )
        for dossier in told:
            emails.queue_changed(session, dossier, change=entry.pk, was=was)
    return session


def _what_candidates_rely_on(session: TrainingSession) -> tuple:
    """The details a change of which is told to the invited and the registered (not the notes,
    not the seats)."""
    return (session.starts_at, session.ends_at, session.remote, session.place, session.link)


def _invited_or_registered(session: TrainingSession) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(training_invitations__session=session)
        | Dossier.objects.filter(training_registrations__session=session)
    ).distinct()


def _lock_open_session(
    session: TrainingSession, by: User, now: datetime, *, cancelled: str, started: str
) -> TrainingSession:
    """The session row, locked, for a manager of its school, refused with ``cancelled`` or
    ``started`` when it is no longer open."""
    session = (
        TrainingSession.objects.select_for_update().select_related("campaign").get(pk=session.pk)
    )
    _check_manager(by, session.campaign)
    if session.is_cancelled:
        raise SearchHelpError(cancelled)
    if session.starts_at <= now:
        raise SearchHelpError(started)
    return session


def cancel_session(
    *, session: TrainingSession, reason: str, by: User, now: datetime
) -> TrainingSession:
    """Cancel a session; everyone invited to it or registered for it is told by email.

    Side effects: audit entry ``company_search.session.cancelled``; the emails, after commit."""
    reason = reason.strip()
    with transaction.atomic():
        session = _lock_open_session(
            session,
            by,
            now,
            cancelled=_("Cette session est déjà annulée."),
            started=_("Cette session a déjà commencé : elle ne peut plus être annulée."),
        )
        if not reason:
            raise SearchHelpError(_("Indiquez le motif de l'annulation."), field="reason")
        session.state = TrainingSession.State.CANCELLED
        session.cancel_reason, session.cancelled_at = reason, now
        session.save(update_fields=["state", "cancel_reason", "cancelled_at"])
        count = 0
        for dossier in _invited_or_registered(session).select_related("candidate"):
            emails.queue_cancelled(session, dossier)
            count += 1
        record(
            by,
            "company_search.session.cancelled",
            session,
            reason=reason,
            data={"told": count},
            at=now,
        )
    return session


def invite_without_company(*, session: TrainingSession, by: User, now: datetime) -> int:
    """Invite to ``session`` every candidate admitted academically without a confirmed company
    (companies.selectors.admitted_without_company) who is not invited to it yet; returns how
    many were invited now. Running it again invites only those admitted since.

    Side effects: SessionInvitation rows; one email each; audit entry
    ``company_search.session.invited``."""
    with transaction.atomic():
        session = _lock_open_session(
            session,
            by,
            now,
            cancelled=_("Cette session est annulée : personne n'est invité."),
            started=_("Cette session a déjà commencé : personne n'est invité."),
        )
        dossiers = list(
            admitted_without_company(session.campaign, now).exclude(
                training_invitations__session=session
            )
        )
        SessionInvitation.objects.bulk_create(
            [SessionInvitation(session=session, dossier=d, invited_at=now) for d in dossiers]
        )
        for dossier in dossiers:
            emails.queue_invitation(session, dossier)
        record(
            by,
            "company_search.session.invited",
            session,
            data={"invited": len(dossiers)},
            at=now,
        )
    return len(dossiers)


# --- The candidate's registration and phone advice ------------------------------------------


def _check_candidate(dossier: Dossier, now: datetime) -> None:
    if not academically_admitted(dossier, now):
        raise SearchHelpError(
            _("Cette aide est réservée aux candidats admis sur la liste académique publiée.")
        )
    if Exclusion.objects.filter(dossier=dossier).exists():
        raise SearchHelpError(_("Votre candidature est close."))


def register(
    *, dossier: Dossier, session_id: int, by: User, now: datetime, language: str = "fr"
) -> SessionRegistration:
    """The candidate registers for a session (R7.3): one at a time, within its seats.

    Refused: not admitted academically or excluded, after the freeze, a confirmed company,
    the session cancelled, started, full or of another campaign, already registered (a double
    click included). Side effects: the session's seat count; audit entry
    ``company_search.registered``."""
    try:
        with transaction.atomic():
            dossier = (
                Dossier.objects.select_for_update().select_related("campaign").get(pk=dossier.pk)
            )
            _check_candidate(dossier, now)
            session = TrainingSession.objects.filter(
                pk=session_id, campaign_id=dossier.campaign_id
            ).first()
            if session is None:
                raise SearchHelpError(_("Cette session n'est pas proposée."))
            current = selectors.registration_of(dossier, now)
            if current is not None and current.session_id == session.pk:
                raise SearchHelpError(_("Vous êtes déjà inscrit(e) à cette session."))
            if current is not None:
                raise SearchHelpError(
                    _(
                        "Vous êtes déjà inscrit(e) à une autre session : désinscrivez-vous "
                        "d'abord pour changer."
                    )
                )
            decision = rules.can_register(
                now=now,
                frozen_at=dossier.campaign.final_list_frozen_at,
                company_confirmed=selectors.has_confirmed_company(dossier),
                session_starts_at=session.starts_at,
                session_cancelled=session.is_cancelled,
                registered=session.registered,
                capacity=session.capacity,
            )
            if not decision:
                raise SearchHelpError(_texts(decision, language))
            taken = TrainingSession.objects.filter(
                pk=session.pk,
                state=TrainingSession.State.SCHEDULED,
                registered__lt=F("capacity"),
            ).update(registered=F("registered") + 1)
            if taken != 1:  # the last seat went to someone else meanwhile
                raise SearchHelpError(rules.session_full().text(language))
            registration = SessionRegistration.objects.create(
                session=session, dossier=dossier, registered_at=now
            )
            record(by, "company_search.registered", dossier, data={"session": session.pk}, at=now)
    except IntegrityError:  # the same pair twice: leaving the block gave the seat back
        raise SearchHelpError(_("Vous êtes déjà inscrit(e) à cette session.")) from None
    return registration


def unregister(*, dossier: Dossier, session_id: int, by: User, now: datetime) -> None:
    """The candidate gives their seat back, before the session starts.

    Side effects: the seat count; audit entry ``company_search.unregistered``."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        registration = (
            SessionRegistration.objects.select_related("session")
            .filter(dossier=dossier, session_id=session_id)
            .first()
        )
        if registration is None:
            raise SearchHelpError(_("Vous n'êtes pas inscrit(e) à cette session."))
        if registration.session.starts_at <= now:
            raise SearchHelpError(_("Cette session a déjà commencé."))
        registration.delete()
        TrainingSession.objects.filter(pk=session_id, registered__gt=0).update(
            registered=F("registered") - 1
        )
        record(by, "company_search.unregistered", dossier, data={"session": session_id}, at=now)


def request_phone_advice(
    *,
    dossier: Dossier,
    phone: str,
    preferred_times: str,
    by: User,
    now: datetime,
    language: str = "fr",
) -> PhoneAdviceRequest:
    """The candidate prefers advice by phone (R7.3): a number and the moments that suit them.
    Asking again changes the number or the moments, until staff have called.

    Side effects: audit entry ``company_search.phone_requested`` (or ``..._changed``)."""
    phone, preferred_times = phone.strip(), preferred_times.strip()
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("campaign").get(pk=dossier.pk)
        _check_candidate(dossier, now)
        decision = rules.can_ask_phone_advice(
            now=now,
            frozen_at=dossier.campaign.final_list_frozen_at,
            company_confirmed=selectors.has_confirmed_company(dossier),
        )
        if not decision:
            raise SearchHelpError(_texts(decision, language))
        if not phone:
            raise SearchHelpError(_("Indiquez un numéro de téléphone."), field="phone")
        current = PhoneAdviceRequest.objects.filter(dossier=dossier).first()
        if current is not None and current.is_done:
            raise SearchHelpError(
                _(
                    "Le service des admissions vous a déjà appelé(e) : écrivez-lui depuis votre "
                    "dossier pour un nouvel échange."
                )
            )
        if current is None:
            current = PhoneAdviceRequest(dossier=dossier, requested_at=now)
        changed = current.pk is not None
        current.phone, current.preferred_times = phone, preferred_times
        current.save()
        record(
            by,
            "company_search.phone_changed" if changed else "company_search.phone_requested",
            dossier,
            data={"phone": phone, "preferred_times": preferred_times},
            at=now,
        )
    return current


def mark_phone_advice_done(
    *, request: PhoneAdviceRequest, note: str, by: User, now: datetime
) -> PhoneAdviceRequest:
    """Staff called the candidate. Side effects: audit entry ``company_search.phone_done``."""
    with transaction.atomic():
        request = (
            PhoneAdviceRequest.objects.select_for_update()
            .select_related("dossier__campaign")
            .get(pk=request.pk)
        )
        _check_manager(by, request.dossier.campaign)
        if request.is_done:
            raise SearchHelpError(_("Cette demande est déjà marquée comme traitée."))
        request.done_at, request.done_by, request.done_note = now, by, note.strip()
        request.save(update_fields=["done_at", "done_by", "done_note"])
        record(by, "company_search.phone_done", request.dossier, reason=request.done_note, at=now)
    return request


# --- The presentation file for companies ----------------------------------------------------


def upload_presentation_file(
    *, campaign: Campaign, upload: UploadedFile, by: User, now: datetime, language: str = "fr"
) -> PresentationFile:
    """Store the campaign's presentation file for companies, replacing the previous one. Judged
    by its content as the documents' PDFs are (R3.4): a PDF, readable, not encrypted, no
    active content, within ``rules.PRESENTATION_MAX_BYTES``; a refused file changes nothing.

    Side effects: audit entry ``company_search.presentation_uploaded``."""
    _check_manager(by, campaign)
    upload_rules = dataclasses.replace(
        campaign.params().uploads,
        allowed_formats=("pdf",),
        max_bytes=rules.PRESENTATION_MAX_BYTES,
    )
    upload.seek(0)
    inspection = inspect_upload(upload, upload_rules, max_pdf_pages=rules.PRESENTATION_MAX_PAGES)
    if not inspection.ok:
        raise SearchHelpError(" ".join(inspection.texts(language)), field="file")
    upload.seek(0)
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        current = PresentationFile.objects.filter(campaign=campaign).first()
        old_name = current.file.name if current is not None else ""
        current = current or PresentationFile(campaign=campaign)
        current.file.save("presentation.pdf", upload, save=False)
        current.size_bytes = inspection.size_bytes or 0
        current.pages = inspection.pages
        current.uploaded_at, current.uploaded_by = now, by
        current.save()
        record(
            by,
            "company_search.presentation_uploaded",
            current,
            data={"size": current.size_bytes, "pages": current.pages},
            at=now,
        )
        if old_name:
            storage = current.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return current
