"""The candidate's email about their accommodation request, once decided (R10.4).

Written in the candidate's language (accounts.languages.recipient_language)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.core.language import localized
from admissions.exams.models import Accommodation
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import queue_email


def decision_key(dossier_id: int) -> str:
    return f"accommodation-decision:{dossier_id}"


def queue_accommodation_decision(accommodation: Accommodation) -> OutboundEmail:
    """Owe the candidate the email of the staff's decision; sent after commit, once."""
    dossier = accommodation.dossier
    return queue_email(
        kind=OutboundEmail.Kind.ACCOMMODATION_DECISION,
        key=decision_key(dossier.pk),
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"dossier": dossier.pk},
        dossier=dossier,
    )


def compose_accommodation_decision(email: OutboundEmail) -> EmailMessage | None:
    accommodation = (
        Accommodation.objects.select_related("dossier__candidate", "dossier__campaign__school")
        .filter(dossier_id=email.payload["dossier"])
        .first()
    )
    if accommodation is None or accommodation.state == Accommodation.State.PENDING:
        return None  # withdrawn by a purge, or not decided: nothing to say
    return decision_message(accommodation, email.language)


def decision_message(accommodation: Accommodation, language: str) -> EmailMessage:
    dossier = accommodation.dossier
    campaign = dossier.campaign
    names = {exam.code: localized(exam, "name", language) for exam in campaign.params().exams}
    context = {
        "dossier": dossier,
        "school": campaign.school.name,
        "accommodation": accommodation,
        "approved": accommodation.state == Accommodation.State.APPROVED,
        "extra": [
            (names.get(code, code), minutes)
            for code, minutes in (accommodation.extra_minutes or {}).items()
        ],
        "page_url": settings.SITE_URL.rstrip("/") + reverse("exams_booking:accommodation"),
    }
    with translation.override(language), timezone.override(campaign.time_zone):
        subject = render_to_string("exams/booking/email/accommodation_subject.txt", context)
        body = render_to_string("exams/booking/email/accommodation_body.txt", context)
    return EmailMessage(subject.strip(), body, to=[dossier.candidate.email])


def preview_accommodation_decision(*, campaign: Campaign, language: str) -> Variants:
    """Both decisions on a made-up dossier."""
    dossier = sample_dossier(campaign, language=language)
    codes = [exam.code for exam in campaign.params().exams]
    approved = Accommodation(
        dossier=dossier,
        needs="Temps supplémentaire",
        state=Accommodation.State.APPROVED,
        granted="Un tiers temps ; pauses possibles.",
        extra_minutes=dict.fromkeys(codes, 10),
    )
    refused = Accommodation(
        dossier=dossier,
        needs="Temps supplémentaire",
        state=Accommodation.State.REFUSED,
        refusal_reason="Le justificatif ne concerne pas les épreuves orales.",
    )
    return [
        (gettext_lazy("Aménagement accordé"), decision_message(approved, language)),
        (gettext_lazy("Aménagement refusé"), decision_message(refused, language)),
    ]
