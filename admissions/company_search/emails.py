"""The emails of the help with the company search (R7.3, R8.2), in the candidate's language:

- ``training_invitation``: invited to a training session (staff's "invite" action), once per
  session and candidate;
- ``training_cancelled``: the session they were invited to or registered for is cancelled;
- ``training_changed``: its date, times, place or link changed (once per change and candidate).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.company_search.models import SessionRegistration, TrainingSession
from admissions.core import clock
from admissions.dossiers.models import Dossier
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import queue_email
from admissions.rules import clock as rules_clock

Kind = OutboundEmail.Kind


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _render(name: str, context: dict, language: str, to: str) -> EmailMessage:
    with translation.override(language):
        subject = render_to_string(f"company_search/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"company_search/email/{name}_body.txt", context)
    return EmailMessage(subject, body, to=[to])


def session_context(session: TrainingSession, dossier: Dossier, language: str) -> dict:
    campaign = session.campaign
    zone = campaign.time_zone
    return {
        "dossier": dossier,
        "school": campaign.school.name,
        "session": session,
        "when": rules_clock.format_instant(session.starts_at, zone, language),
        "until": rules_clock.format_time(campaign.local(session.ends_at).time(), language),
        "page_url": _site(reverse("companies:candidate")),
    }


def queue_invitation(session: TrainingSession, dossier: Dossier) -> OutboundEmail:
    return queue_email(
        kind=Kind.TRAINING_INVITATION,
        key=f"training:{session.pk}:invitation:{dossier.pk}",
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"session": session.pk, "dossier": dossier.pk},
        dossier=dossier,
    )


def _rows(email: OutboundEmail) -> tuple[TrainingSession, Dossier]:
    session = TrainingSession.objects.select_related("campaign__school").get(
        pk=email.payload["session"]
    )
    dossier = Dossier.objects.select_related("candidate").get(pk=email.payload["dossier"])
    return session, dossier


def compose_invitation(email: OutboundEmail) -> EmailMessage | None:
    session, dossier = _rows(email)
    if session.is_cancelled:
        return None  # the cancellation email says so instead
    return invitation_message(session, dossier, email.language)


def invitation_message(session: TrainingSession, dossier: Dossier, language: str) -> EmailMessage:
    context = session_context(session, dossier, language)
    return _render("training_invitation", context, language, dossier.candidate.email)


def queue_cancelled(session: TrainingSession, dossier: Dossier) -> OutboundEmail:
    return queue_email(
        kind=Kind.TRAINING_CANCELLED,
        key=f"training:{session.pk}:cancelled:{dossier.pk}",
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"session": session.pk, "dossier": dossier.pk},
        dossier=dossier,
    )


def compose_cancelled(email: OutboundEmail) -> EmailMessage | None:
    session, dossier = _rows(email)
    return cancelled_message(session, dossier, email.language)


def cancelled_message(session: TrainingSession, dossier: Dossier, language: str) -> EmailMessage:
    context = session_context(session, dossier, language)
    return _render("training_cancelled", context, language, dossier.candidate.email)


def queue_changed(
    session: TrainingSession, dossier: Dossier, *, change: int, was: datetime
) -> OutboundEmail:
    """``change`` (the audit entry of the change) makes the key: one email per change and
    candidate. ``was`` is the start the candidate knew, to name the session."""
    return queue_email(
        kind=Kind.TRAINING_CHANGED,
        key=f"training:{session.pk}:changed:{change}:{dossier.pk}",
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"session": session.pk, "dossier": dossier.pk, "was": was.isoformat()},
        dossier=dossier,
    )


def compose_changed(email: OutboundEmail) -> EmailMessage | None:
    session, dossier = _rows(email)
    if session.is_cancelled:
        return None  # the cancellation email says so instead
    registered = SessionRegistration.objects.filter(session=session, dossier=dossier).exists()
    was = datetime.fromisoformat(email.payload["was"])
    return changed_message(session, dossier, email.language, was=was, registered=registered)


def changed_message(
    session: TrainingSession, dossier: Dossier, language: str, *, was: datetime, registered: bool
) -> EmailMessage:
    context = session_context(session, dossier, language)
    context["was"] = rules_clock.format_instant(was, session.campaign.time_zone, language)
    context["registered"] = registered
    return _render("training_changed", context, language, dossier.candidate.email)


# --- Previews for staff (notifications/previews.py) -----------------------------------------


def sample_session(campaign: Campaign, *, remote: bool, cancelled: bool = False) -> TrainingSession:
    """A session in memory only."""
    starts = clock.now() + timedelta(days=7)
    return TrainingSession(
        pk=0,
        campaign=campaign,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        remote=remote,
        place="" if remote else "Campus de Jarlard, amphithéâtre 1",
        link="https://visio.example.org/recherche-entreprise" if remote else "",
        capacity=30,
        notes="Apportez votre CV.",
        state=TrainingSession.State.CANCELLED if cancelled else TrainingSession.State.SCHEDULED,
        cancel_reason="Intervenant indisponible" if cancelled else "",
    )


def preview_invitation(*, campaign: Campaign, language: str) -> Variants:
    dossier = sample_dossier(campaign, language=language)
    return [
        (
            gettext_lazy("Sur place"),
            invitation_message(sample_session(campaign, remote=False), dossier, language),
        ),
        (
            gettext_lazy("À distance"),
            invitation_message(sample_session(campaign, remote=True), dossier, language),
        ),
    ]


def preview_cancelled(*, campaign: Campaign, language: str) -> Variants:
    dossier = sample_dossier(campaign, language=language)
    session = sample_session(campaign, remote=False, cancelled=True)
    return [("", cancelled_message(session, dossier, language))]


def preview_changed(*, campaign: Campaign, language: str) -> Variants:
    dossier = sample_dossier(campaign, language=language)
    session = sample_session(campaign, remote=False)
    was = session.starts_at - timedelta(days=2)
    return [
        (
            gettext_lazy("Candidat inscrit"),
            changed_message(session, dossier, language, was=was, registered=True),
        ),
        (
            gettext_lazy("Candidat invité, pas inscrit"),
            changed_message(session, dossier, language, was=was, registered=False),
        ),
    ]
