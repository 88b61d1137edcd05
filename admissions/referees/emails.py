"""The emails sent to referees (R3.5), in the language the candidate used (French by default)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from admissions.campaigns.models import Campaign
from admissions.core import clock
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import latest_email, queue_email
from admissions.referees import links
from admissions.referees.models import Referee
from admissions.rules import clock as rules_clock


def link_url(referee: Referee, *, now: datetime) -> str:
    token = links.make_token(referee, now=now)
    return settings.SITE_URL.rstrip("/") + reverse("referees:recommendation", args=[token])


def request_key(referee: Referee, *, reminder: bool) -> str:
    """The outbox key of a request: one per referee, one per reminder (counted on the row)."""
    if reminder:
        return f"referee:{referee.pk}:reminder:{referee.reminders_count}"
    return f"referee:{referee.pk}:request"


def queue_request(referee: Referee, *, language: str, reminder: bool) -> OutboundEmail:
    """Owe the referee their link (a first request or a reminder); sent after commit."""
    return queue_email(
        kind=OutboundEmail.Kind.REFEREE_REMINDER
        if reminder
        else OutboundEmail.Kind.REFEREE_REQUEST,
        key=request_key(referee, reminder=reminder),
        recipient=referee.email,
        language=language,
        payload={"referee": referee.pk, "reminder": reminder},
        dossier=referee.dossier,
    )


def last_request(referee: Referee) -> OutboundEmail | None:
    """The latest email sent (or owed) to the referee: the candidate's page shows its state."""
    return latest_email(f"referee:{referee.pk}:")


def compose_request(email: OutboundEmail) -> EmailMessage | None:
    referee = Referee.objects.select_related("dossier__campaign__school", "dossier__candidate").get(
        pk=email.payload["referee"]
    )
    if not referee.is_awaiting:
        return None  # answered or replaced since: the email would carry a useless link
    return request_message(
        referee,
        language=email.language,
        reminder=bool(email.payload.get("reminder")),
        now=clock.now(),
    )


def request_message(
    referee: Referee, *, language: str, reminder: bool, now: datetime
) -> EmailMessage:
    """The request: the school and "recommandation" in the subject, never text the candidate
    typed (the referee's name or role), so that the platform cannot be made to send a subject
    of someone else's choosing; the candidate's name only in the body."""
    dossier = referee.dossier
    context = {
        "referee": referee,
        "candidate_name": dossier.full_name,
        "campaign": dossier.campaign,
        "school_name": dossier.campaign.school.short_name or dossier.campaign.school.name,
        "kind_academic": referee.kind == Referee.Kind.ACADEMIC,
        "reminder": reminder,
        "url": link_url(referee, now=now),
        "expires": rules_clock.format_deadline(
            links.expires_at(referee, now), dossier.campaign.time_zone, language
        ),
    }
    with translation.override(language):
        subject = render_to_string("referees/email/request_subject.txt", context).strip()
        body = render_to_string("referees/email/request_body.txt", context)
    return EmailMessage(subject, body, to=[referee.email])


# --- Previews for staff (notifications/previews.py) -----------------------------------------


def sample_referee(campaign: Campaign, language: str) -> Referee:
    """A referee of the made-up dossier, in memory only (its link opens nothing: no such row)."""
    return Referee(
        pk=0,
        dossier=sample_dossier(campaign, language=language, submitted=False),
        kind=Referee.Kind.ACADEMIC,
        name="Dominique Exemple",
        role="Professeur principal",
        email="referent.exemple@example.org",
        requested_at=clock.now(),
    )


def preview_request(*, campaign: Campaign, language: str) -> Variants:
    referee = sample_referee(campaign, language)
    return [("", request_message(referee, language=language, reminder=False, now=clock.now()))]


def preview_reminder(*, campaign: Campaign, language: str) -> Variants:
    referee = sample_referee(campaign, language)
    return [("", request_message(referee, language=language, reminder=True, now=clock.now()))]
