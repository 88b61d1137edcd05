"""What the referees give a dossier, read without changing anything (R3.5, R10.2).

State changes live in ``services.py``, which may call these; these never call services.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models.functions import Coalesce

from admissions.dossiers.models import Dossier
from admissions.referees import links
from admissions.referees.models import Referee
from admissions.rules.documents import ProvidedState

# The checklist codes of R3.3 that a referee fills (rules/documents.py).
CHECKLIST_CODES: dict[str, str] = {
    Referee.Kind.ACADEMIC: "academic_recommendation.referee",
    Referee.Kind.PROFESSIONAL: "professional_recommendation",
}
CANDIDATE_REMINDER_INTERVAL = timedelta(hours=24)  # R3.5: the candidate may remind once a day
AUTOMATIC_REMINDER_INTERVAL = timedelta(days=3)  # R10.2: the platform reminds every 3 days


def active_referees(dossier: Dossier) -> dict[str, Referee]:
    """The current referee of each kind (replaced ones excluded), keyed by kind."""
    return {
        referee.kind: referee
        for referee in dossier.referees.all()
        if referee.state != Referee.State.REPLACED
    }


def referee_states(dossier: Dossier) -> dict[str, ProvidedState]:
    """The checklist states the referees give the dossier: received is PROVIDED, else REQUESTED."""
    return {
        CHECKLIST_CODES[kind]: (
            ProvidedState.PROVIDED
            if referee.state == Referee.State.RECEIVED
            else ProvidedState.REQUESTED
        )
        for kind, referee in active_referees(dossier).items()
    }


def next_reminder_at(referee: Referee) -> datetime:
    """When the candidate may next remind this referee (R3.5)."""
    last = referee.last_reminded_at or referee.requested_at
    return last + CANDIDATE_REMINDER_INTERVAL


def referees_awaiting_answer(campaign, now: datetime) -> list[Referee]:
    """Referees of draft dossiers who have not answered, last contacted at least
    ``AUTOMATIC_REMINDER_INTERVAL`` ago, and whose link still works (R10.2)."""
    due = now - AUTOMATIC_REMINDER_INTERVAL
    candidates = (
        Referee.objects.filter(
            dossier__campaign=campaign,
            dossier__state=Dossier.State.DRAFT,
            state__in=Referee.AWAITING,
        )
        .annotate(last_contact=Coalesce("last_reminded_at", "requested_at"))
        .filter(last_contact__lte=due)
        .select_related("dossier__campaign")
        .order_by("pk")
    )
    # The deadline depends on the candidate's own extensions: checked here, not in SQL.
    return [referee for referee in candidates if now < links.link_deadline(referee)]
