"""What happens to referees and recommendations (R3.5, R10.2).

Services change state in one transaction, write the audit trail, take the clock as ``now`` and
the page's language as ``language``, and never read the request. Refusals raise ``RefereeError``
with a message for the person who asked. Emails leave after commit, through tasks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from admissions.audit.services import record
from admissions.documents.inspection import download_name, inspect_upload
from admissions.dossiers.models import Dossier
from admissions.dossiers.selectors import is_editable
from admissions.referees.emails import queue_request
from admissions.referees.models import Recommendation, Referee, new_nonce
from admissions.referees.selectors import next_reminder_at, referees_awaiting_answer
from admissions.rules import clock as rules_clock

# Each replacement makes the platform email an address the candidate chose: bounded, so that
# the referee form cannot be used to send the school's emails to anyone, again and again.
MAX_REPLACEMENTS_PER_KIND = 3
REPLACEMENT_INTERVAL = timedelta(hours=24)


class RefereeError(Exception):
    """A refused action on a referee or a recommendation, with a message in the page's language.
    ``field`` names the form field the message belongs to, if any."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


# --- Candidate actions ----------------------------------------------------------------------


def _locked_dossier(dossier: Dossier, now: datetime) -> Dossier:
    dossier = Dossier.objects.select_for_update().select_related("campaign").get(pk=dossier.pk)
    if not is_editable(dossier, dossier.campaign.params(), now):
        raise RefereeError(
            _(
                "Votre dossier n'est plus modifiable (dossier déposé ou dépôt des candidatures "
                "clos) : vous ne pouvez plus désigner, relancer ni remplacer un référent."
            )
        )
    return dossier


def _check_email(dossier: Dossier, email: str) -> None:
    if email.strip().lower() == dossier.candidate.email.strip().lower():
        raise RefereeError(
            _(
                "Vous ne pouvez pas être votre propre référent : indiquez l'adresse de votre référent."
            ),
            field="email",
        )


def name_referee(
    *,
    dossier: Dossier,
    kind: str,
    name: str,
    role: str,
    email: str,
    by,
    now: datetime,
    language: str = "fr",
) -> Referee:
    """Name the referee of ``kind`` for the dossier (R3.5).

    Raises RefereeError when the dossier is read-only or a referee of that kind is already named.
    Side effects: audit entry; the request email (with the link) queued after commit.
    """
    kind = Referee.Kind(kind)
    with transaction.atomic():
        dossier = _locked_dossier(dossier, now)
        _check_email(dossier, email)
        if dossier.referees.filter(kind=kind).exclude(state=Referee.State.REPLACED).exists():
            raise RefereeError(
                _("Vous avez déjà désigné ce référent ; pour en changer, utilisez « Remplacer ».")
            )
        referee = Referee.objects.create(
            dossier=dossier,
            kind=kind,
            name=name,
            role=role,
            email=email,
            language=language,
            requested_at=now,
        )
        record(by, "referees.referee.named", referee, data={"kind": kind.value}, at=now)
        queue_request(referee, language=language, reminder=False)
    return referee


def _active_for_update(dossier: Dossier, kind: str) -> Referee:
    referee = (
        Referee.objects.select_for_update()
        .filter(dossier=dossier, kind=kind)
        .exclude(state=Referee.State.REPLACED)
        .first()
    )
    if referee is None:
        raise RefereeError(_("Vous n'avez pas encore désigné ce référent."))
    return referee


def remind_referee(
    *, dossier: Dossier, kind: str, by, now: datetime, language: str = "fr"
) -> Referee:
    """Send the referee of ``kind`` a reminder with a fresh link, at most once per 24 hours.

    Raises RefereeError when read-only, already answered, or reminded less than 24 hours ago.
    Side effects: state REMINDED, audit entry, the reminder email queued after commit.
    """
    kind = Referee.Kind(kind)
    with transaction.atomic():
        dossier = _locked_dossier(dossier, now)
        referee = _active_for_update(dossier, kind)
        if referee.state == Referee.State.RECEIVED:
            raise RefereeError(_("Ce référent a déjà envoyé sa recommandation."))
        allowed_at = next_reminder_at(referee)
        if now < allowed_at:
            when = rules_clock.format_instant(allowed_at, dossier.campaign.time_zone, language)
            raise RefereeError(
                _(
                    "Une relance au plus toutes les 24 heures : vous pourrez relancer "
                    "%(name)s à partir du %(when)s."
                )
                % {"name": referee.name, "when": when}
            )
        referee.state = Referee.State.REMINDED
        referee.last_reminded_at = now
        referee.reminders_count = F("reminders_count") + 1
        referee.save(update_fields=["state", "last_reminded_at", "reminders_count"])
        referee.refresh_from_db(fields=["reminders_count"])
        record(by, "referees.referee.reminded", referee, data={"kind": kind.value}, at=now)
        queue_request(referee, language=language, reminder=True)
    return referee


def _check_replacement_allowed(dossier: Dossier, kind: str, now: datetime, language: str) -> None:
    """At most MAX_REPLACEMENTS_PER_KIND replacements of a kind, one per 24 hours (issue 10).
    Called with the dossier locked, so two replacements at once are counted one after the other."""
    replaced: list[datetime] = [
        instant
        for instant in Referee.objects.filter(
            dossier=dossier, kind=kind, state=Referee.State.REPLACED
        ).values_list("replaced_at", flat=True)
        if instant is not None
    ]
    if len(replaced) >= MAX_REPLACEMENTS_PER_KIND:
        raise RefereeError(
            _(
                "Vous avez déjà remplacé ce référent %(count)s fois : ce n'est plus possible. "
                "Si votre référent ne peut pas répondre, écrivez au service des admissions "
                "depuis la page Assistance."
            )
            % {"count": len(replaced)}
        )
    allowed_at = max(replaced) + REPLACEMENT_INTERVAL if replaced else now
    if now < allowed_at:
        when = rules_clock.format_instant(allowed_at, dossier.campaign.time_zone, language)
        raise RefereeError(
            _(
                "Un remplacement au plus toutes les 24 heures : vous pourrez remplacer "
                "ce référent à partir du %(when)s."
            )
            % {"when": when}
        )


def replace_referee(
    *,
    dossier: Dossier,
    kind: str,
    name: str,
    role: str,
    email: str,
    by,
    now: datetime,
    language: str = "fr",
) -> Referee:
    """Replace a referee who has not answered by a new one (R3.5).

    The old referee is kept, marked replaced, and their nonce rotated: their link stops working.
    Raises RefereeError when read-only, when the referee has already answered, or beyond the
    limits (MAX_REPLACEMENTS_PER_KIND in all, one per REPLACEMENT_INTERVAL).
    Side effects: audit entry; the request email to the new referee queued after commit.
    """
    kind = Referee.Kind(kind)
    with transaction.atomic():
        dossier = _locked_dossier(dossier, now)
        _check_email(dossier, email)
        old = _active_for_update(dossier, kind)
        if old.state == Referee.State.RECEIVED:
            raise RefereeError(
                _("Ce référent a déjà envoyé sa recommandation : il ne peut plus être remplacé.")
            )
        _check_replacement_allowed(dossier, kind, now, language)
        old.state = Referee.State.REPLACED
        old.replaced_at = now
        old.token_nonce = new_nonce()
        old.save(update_fields=["state", "replaced_at", "token_nonce"])
        new = Referee.objects.create(
            dossier=dossier,
            kind=kind,
            name=name,
            role=role,
            email=email,
            language=language,
            requested_at=now,
        )
        old.replaced_by = new
        old.save(update_fields=["replaced_by"])
        record(
            by,
            "referees.referee.replaced",
            old,
            data={"kind": kind.value, "replaced_by": new.pk},
            at=now,
        )
        record(by, "referees.referee.named", new, data={"kind": kind.value}, at=now)
        queue_request(new, language=language, reminder=False)
    return new


# --- The referee's answer -------------------------------------------------------------------


@dataclass(frozen=True)
class SubmitResult:
    recommendation: Recommendation
    created: bool  # False when it had already been received (a double click)


ANSWER_FIELDS = ("acquaintance", "strengths", "improvements", "opinion", "comment")


def submit_recommendation(
    *,
    referee: Referee,
    nonce: str,
    answers: Mapping[str, str],
    attachment: UploadedFile | None,
    now: datetime,
    language: str = "fr",
) -> SubmitResult:
    """Record the referee's answer once, however many times it is posted (R3.5).

    The attachment is judged by its content with the campaign's upload rules (R3.4); a refused
    file raises RefereeError(field="attachment"). Raises RefereeError when the referee was
    replaced meanwhile. Side effects: state RECEIVED, audit entry, the file stored under a
    generated name.
    """
    inspection = None
    if attachment is not None:
        rules = referee.dossier.campaign.params().uploads
        attachment.seek(0)
        inspection = inspect_upload(attachment, rules)
        if not inspection.ok:
            raise RefereeError(" ".join(inspection.texts(language)), field="attachment")
        attachment.seek(0)
    with transaction.atomic():
        locked = (
            Referee.objects.select_for_update()
            .select_related("dossier__campaign")
            .get(pk=referee.pk)
        )
        if locked.token_nonce != nonce or locked.state == Referee.State.REPLACED:
            raise RefereeError(
                _("Ce lien n'est plus valable : le candidat a désigné un autre référent.")
            )
        if locked.state == Referee.State.RECEIVED:
            return SubmitResult(locked.recommendation, created=False)
        recommendation = Recommendation(
            referee=locked,
            submitted_at=now,
            **{field: answers.get(field, "") for field in ANSWER_FIELDS},
        )
        if inspection is not None and attachment is not None:
            recommendation.format = inspection.format or ""
            recommendation.content_type = inspection.content_type or ""
            recommendation.size_bytes = inspection.size_bytes
            recommendation.original_name = download_name(
                attachment.name or "", inspection.format or ""
            )
            recommendation.attachment.save(attachment.name or "", attachment, save=False)
        try:
            with transaction.atomic():
                recommendation.save()
        except IntegrityError:  # the one-to-one already holds an answer
            if recommendation.attachment:
                recommendation.attachment.delete(save=False)
            return SubmitResult(Recommendation.objects.get(referee=locked), created=False)
        locked.state = Referee.State.RECEIVED
        locked.received_at = now
        locked.save(update_fields=["state", "received_at"])
        record(
            None,
            "referees.recommendation.received",
            locked,
            data={"kind": locked.kind, "attachment": bool(recommendation.attachment)},
            at=now,
        )
    return SubmitResult(recommendation, created=True)


# --- Automatic reminders (R10.2) ------------------------------------------------------------


def remind_silent_referees(*, campaign, now: datetime) -> int:
    """Remind each referee who has not answered, at most once per 3 days; return how many.

    Idempotent: each reminder is claimed by a conditional update, so two workers running at
    once remind a referee once. Side effects: state REMINDED, audit entries, emails queued.
    """
    reminded = 0
    for referee in referees_awaiting_answer(campaign, now):
        with transaction.atomic():
            seen = (
                Q(last_reminded_at=referee.last_reminded_at)
                if referee.last_reminded_at is not None
                else Q(last_reminded_at__isnull=True)
            )
            updated = Referee.objects.filter(
                seen, pk=referee.pk, state__in=Referee.AWAITING
            ).update(
                state=Referee.State.REMINDED,
                last_reminded_at=now,
                reminders_count=F("reminders_count") + 1,
            )
            if updated != 1:
                continue  # answered, replaced, or another worker got there first
            record(None, "referees.referee.reminded_automatically", referee, at=now)
            queue_request(referee, language=referee.language, reminder=True)
            reminded += 1
    return reminded
