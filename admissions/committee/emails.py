"""The candidate's admissibility result, one individual email each (R5.2).

Owed by ``services.publish_results`` once the results are published; written in the language of
the candidate's receipt (the page they submitted from), French otherwise."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from admissions.committee.models import AdmissibilityDecision
from admissions.dossiers.emails import receipt_key
from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import queue_email


def result_key(dossier_id: int) -> str:
    return f"admissibility-result:{dossier_id}"


def candidate_language(dossier_id: int) -> str:
    language = (
        OutboundEmail.objects.filter(key=receipt_key(dossier_id))
        .values_list("language", flat=True)
        .first()
    )
    return language if language in ("fr", "en") else "fr"


def queue_result(decision: AdmissibilityDecision) -> OutboundEmail:
    """Owe the candidate the email of the committee's decision; sent after commit, once."""
    dossier = decision.dossier
    return queue_email(
        kind=OutboundEmail.Kind.ADMISSIBILITY_RESULT,
        key=result_key(dossier.pk),
        recipient=dossier.candidate.email,
        language=candidate_language(dossier.pk),
        payload={"dossier": dossier.pk},
    )


def compose_result(email: OutboundEmail) -> EmailMessage | None:
    """Admissible: the invitation to choose an exam day (R6.1). Not admissible: the decision,
    final. None (nothing sent) if the results are not published: the email never runs ahead."""
    decision = AdmissibilityDecision.objects.select_related(
        "dossier__candidate", "dossier__campaign__school"
    ).get(dossier_id=email.payload["dossier"])
    dossier = decision.dossier
    if decision.published_at is None:  # set by publish_results, at or after the instant
        return None
    context = {
        "dossier": dossier,
        "school": dossier.campaign.school.name,
        "site_url": settings.SITE_URL.rstrip("/"),
        "exam_days_url": settings.SITE_URL.rstrip("/") + reverse("committee:exam_days"),
    }
    name = "admissible" if decision.admissible else "not_admissible"
    with translation.override(email.language), timezone.override(dossier.campaign.time_zone):
        subject = render_to_string(f"committee/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"committee/email/{name}_body.txt", context)
    return EmailMessage(subject, body, to=[dossier.candidate.email])
