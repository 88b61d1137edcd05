"""The emails sent to referees (R3.5), in the language the candidate used (French by default)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from admissions.referees import links
from admissions.referees.models import Referee
from admissions.rules import clock as rules_clock


def link_url(referee: Referee, *, now: datetime) -> str:
    token = links.make_token(referee, now=now)
    return settings.SITE_URL.rstrip("/") + reverse("referees:recommendation", args=[token])


def send_request(referee: Referee, *, language: str, reminder: bool, now: datetime) -> None:
    dossier = referee.dossier
    context = {
        "referee": referee,
        "candidate_name": dossier.full_name,
        "campaign": dossier.campaign,
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
    EmailMessage(subject, body, to=[referee.email]).send()
