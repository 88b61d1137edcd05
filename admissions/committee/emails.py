"""The candidate's admissibility result, one individual email each (R5.2).

Owed by ``services.publish_results`` once the results are published; written in the candidate's
language (accounts.languages.recipient_language)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.committee.models import AdmissibilityDecision
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import queue_email


def result_key(dossier_id: int) -> str:
    return f"admissibility-result:{dossier_id}"


def queue_result(decision: AdmissibilityDecision) -> OutboundEmail:
    """Owe the candidate the email of the committee's decision; sent after commit, once."""
    dossier = decision.dossier
    return queue_email(
        kind=OutboundEmail.Kind.ADMISSIBILITY_RESULT,
        key=result_key(dossier.pk),
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"dossier": dossier.pk},
        dossier=dossier,
    )


def compose_result(email: OutboundEmail) -> EmailMessage | None:
    """Admissible: the invitation to choose an exam day (R6.1). Not admissible: the decision,
    final. None (nothing sent) if the results are not published: the email never runs ahead."""
    decision = AdmissibilityDecision.objects.select_related(
        "dossier__candidate", "dossier__campaign__school"
    ).get(dossier_id=email.payload["dossier"])
    if decision.published_at is None:  # set by publish_results, at or after the instant
        return None
    return result_message(decision, email.language)


def result_message(decision: AdmissibilityDecision, language: str) -> EmailMessage:
    """The result's message: the invitation to choose an exam day, or the final decision."""
    dossier = decision.dossier
    context = {
        "dossier": dossier,
        "school": dossier.campaign.school.name,
        "site_url": settings.SITE_URL.rstrip("/"),
        "exam_days_url": settings.SITE_URL.rstrip("/") + reverse("committee:exam_days"),
    }
    name = "admissible" if decision.admissible else "not_admissible"
    with translation.override(language), timezone.override(dossier.campaign.time_zone):
        subject = render_to_string(f"committee/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"committee/email/{name}_body.txt", context)
    return EmailMessage(subject, body, to=[dossier.candidate.email])


def preview_result(*, campaign: Campaign, language: str) -> Variants:
    """Both results on a made-up dossier."""
    dossier = sample_dossier(campaign, language=language)
    return [
        (
            label,
            result_message(AdmissibilityDecision(dossier=dossier, admissible=admissible), language),
        )
        for admissible, label in (
            (True, gettext_lazy("Admissible")),
            (False, gettext_lazy("Non admissible")),
        )
    ]
