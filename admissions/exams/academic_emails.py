"""The candidate's academic result, one individual email each (R6.4).

Owed by ``services.grading.publish_academic_results`` once the campaign's
``academic_results_at`` has come; written in the candidate's language. Admitted: the next step
(finding a host company) and where to get help; otherwise the outcome and its reason."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.exams.models import AcademicDecision
from admissions.exams.selectors.grading import decision_reasons, help_for_admitted
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import queue_email


def academic_result_key(dossier_id: int) -> str:
    return f"academic-result:{dossier_id}"


def queue_academic_result(decision: AcademicDecision) -> OutboundEmail:
    """Owe the candidate the email of their academic outcome; sent after commit, once."""
    dossier = decision.dossier
    return queue_email(
        kind=OutboundEmail.Kind.ACADEMIC_RESULT,
        key=academic_result_key(dossier.pk),
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"dossier": dossier.pk},
        dossier=dossier,
    )


def compose_academic_result(email: OutboundEmail) -> EmailMessage | None:
    """None (nothing sent) unless the decision is published: the email never runs ahead."""
    decision = AcademicDecision.objects.select_related(
        "dossier__candidate", "dossier__campaign__school"
    ).get(dossier_id=email.payload["dossier"])
    if decision.published_at is None:  # set by publish_academic_results, from the instant on
        return None
    return academic_result_message(decision, email.language)


def academic_result_message(
    decision: AcademicDecision, language: str, reasons: list[str] | None = None
) -> EmailMessage:
    dossier = decision.dossier
    campaign = dossier.campaign
    with translation.override(language), timezone.override(campaign.time_zone):
        context = {
            "dossier": dossier,
            "decision": decision,
            "school": campaign.school.name,
            "site_url": settings.SITE_URL.rstrip("/"),
            "reasons": decision_reasons(decision, language) if reasons is None else reasons,
            **help_for_admitted(campaign),
        }
        name = decision.outcome
        subject = render_to_string(f"exams/grading/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"exams/grading/email/{name}_body.txt", context)
    return EmailMessage(subject, body, to=[dossier.candidate.email])


def preview_academic_result(*, campaign: Campaign, language: str) -> Variants:
    """The three outcomes on a made-up dossier."""
    dossier = sample_dossier(campaign, language=language)
    eliminated = (
        "Note de 4/20 à l'épreuve « Entretien avec le jury » : une note inférieure ou égale à 4 "
        "est éliminatoire."
        if language == "fr"
        else "Grade 4/20 in 'Interview with the jury': a grade of 4 or less is eliminating."
    )
    return [
        (
            gettext_lazy("Admis académique"),
            academic_result_message(
                AcademicDecision(dossier=dossier, outcome="admitted", rank=3, score=Decimal("15")),
                language,
                [],
            ),
        ),
        (
            gettext_lazy("Éliminé"),
            academic_result_message(
                AcademicDecision(dossier=dossier, outcome="eliminated"), language, [eliminated]
            ),
        ),
        (
            gettext_lazy("Non retenu sur la liste"),
            academic_result_message(
                AcademicDecision(
                    dossier=dossier, outcome="below_list", rank=48, score=Decimal("10.5")
                ),
                language,
                None,
            ),
        ),
    ]
