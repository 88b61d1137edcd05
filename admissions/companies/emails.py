"""The emails of the company phase (R7, R8.2): the company's link, and the candidate's news.

- ``company_request``: to the company tutor, the personal link to confirm or decline (R7.1), in
  the language of the candidate's page when they declared;
- ``company_declined``: to the candidate, when the company declines;
- ``final_list_place``: to the candidate, admitted for good, moved up from the waiting list, or
  put on the waiting list (R7.2);
- ``fraud_exclusion``: to the candidate excluded for fraud (R7.5);
- ``final_list_frozen``: at the freeze, to those admitted without a company or still waiting.
Candidates read them in their account's language (accounts.languages.recipient_language).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.companies import links
from admissions.companies.models import Exclusion, HostCompany, ListPlace
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
        subject = render_to_string(f"companies/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"companies/email/{name}_body.txt", context)
    return EmailMessage(subject, body, to=[to])


def _candidate_context(dossier: Dossier) -> dict:
    return {
        "dossier": dossier,
        "school": dossier.campaign.school.name,
        "page_url": _site(reverse("companies:candidate")),
    }


# --- The company's link ---------------------------------------------------------------------


def queue_company_request(company: HostCompany) -> OutboundEmail:
    return queue_email(
        kind=Kind.COMPANY_REQUEST,
        key=f"company:{company.pk}:request",
        recipient=company.tutor_email,
        language=company.language,
        payload={"company": company.pk},
        dossier=company.dossier,
    )


def compose_company_request(email: OutboundEmail) -> EmailMessage | None:
    company = HostCompany.objects.select_related(
        "dossier__campaign__school", "dossier__candidate"
    ).get(pk=email.payload["company"])
    if company.state != HostCompany.State.AWAITING:
        return None  # answered or cancelled since: the link would open nothing
    return company_request_message(company, language=email.language, now=clock.now())


def company_request_message(company: HostCompany, *, language: str, now: datetime) -> EmailMessage:
    """The subject names the school only, never text the candidate typed."""
    dossier = company.dossier
    context = {
        "company": company,
        "candidate_name": dossier.full_name,
        "school": dossier.campaign.school.name,
        "start": rules_clock.format_date(company.contract_start, language),
        "url": _site(reverse("companies:link", args=[links.make_token(company, now=now)])),
        "expires": rules_clock.format_deadline(
            links.expires_at(company, now), dossier.campaign.time_zone, language
        ),
    }
    return _render("company_request", context, language, company.tutor_email)


# --- The candidate's news -------------------------------------------------------------------


def queue_declined(company: HostCompany) -> OutboundEmail:
    dossier = company.dossier
    return queue_email(
        kind=Kind.COMPANY_DECLINED,
        key=f"company:{company.pk}:declined",
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"company": company.pk},
        dossier=dossier,
    )


def compose_declined(email: OutboundEmail) -> EmailMessage | None:
    company = HostCompany.objects.select_related(
        "dossier__campaign__school", "dossier__candidate"
    ).get(pk=email.payload["company"])
    return declined_message(company, email.language)


def declined_message(company: HostCompany, language: str) -> EmailMessage:
    context = {**_candidate_context(company.dossier), "company": company}
    return _render("company_declined", context, language, company.dossier.candidate.email)


def queue_list_place(place: ListPlace, *, moved_up: bool) -> OutboundEmail:
    dossier = place.dossier
    return queue_email(
        kind=Kind.FINAL_LIST_PLACE,
        key=f"final-list:{dossier.pk}:{place.changes}",
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"dossier": dossier.pk, "standing": place.standing, "moved_up": moved_up},
        dossier=dossier,
    )


def compose_list_place(email: OutboundEmail) -> EmailMessage | None:
    dossier = Dossier.objects.select_related("campaign__school", "candidate").get(
        pk=email.payload["dossier"]
    )
    place = ListPlace.objects.filter(dossier=dossier).first()
    if place is None or place.standing != email.payload["standing"]:
        return None  # the list moved again before sending: a later email says where they are
    return list_place_message(dossier, place, email.language, moved_up=email.payload["moved_up"])


def list_place_message(
    dossier: Dossier, place: ListPlace, language: str, *, moved_up: bool
) -> EmailMessage:
    context = {
        **_candidate_context(dossier),
        "admitted": place.standing == ListPlace.Standing.ADMITTED,
        "moved_up": moved_up,
        "rank": place.rank,
    }
    return _render("final_list_place", context, language, dossier.candidate.email)


def queue_fraud(exclusion: Exclusion) -> OutboundEmail:
    dossier = exclusion.dossier
    return queue_email(
        kind=Kind.FRAUD_EXCLUSION,
        key=f"fraud:{dossier.pk}",
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"dossier": dossier.pk},
        dossier=dossier,
    )


def compose_fraud(email: OutboundEmail) -> EmailMessage | None:
    exclusion = Exclusion.objects.select_related(
        "dossier__campaign__school", "dossier__candidate"
    ).get(dossier_id=email.payload["dossier"])
    return fraud_message(exclusion, email.language)


def fraud_message(exclusion: Exclusion, language: str) -> EmailMessage:
    context = {
        **_candidate_context(exclusion.dossier),
        "exclusion": exclusion,
        "attempted": exclusion.kind == Exclusion.Kind.ATTEMPTED_FRAUD,
    }
    return _render("fraud_exclusion", context, language, exclusion.dossier.candidate.email)


def queue_frozen(dossier: Dossier, *, waiting: bool) -> OutboundEmail:
    return queue_email(
        kind=Kind.FINAL_LIST_FROZEN,
        key=f"final-list-frozen:{dossier.pk}",
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"dossier": dossier.pk, "waiting": waiting},
        dossier=dossier,
    )


def compose_frozen(email: OutboundEmail) -> EmailMessage | None:
    dossier = Dossier.objects.select_related("campaign__school", "candidate").get(
        pk=email.payload["dossier"]
    )
    return frozen_message(dossier, email.language, waiting=bool(email.payload.get("waiting")))


def frozen_message(dossier: Dossier, language: str, *, waiting: bool) -> EmailMessage:
    context = {**_candidate_context(dossier), "waiting": waiting}
    return _render("final_list_frozen", context, language, dossier.candidate.email)


# --- Previews for staff (notifications/previews.py) -----------------------------------------


def sample_company(campaign: Campaign, language: str) -> HostCompany:
    """A declaration of the made-up dossier, in memory only (its link opens nothing)."""
    return HostCompany(
        pk=0,
        dossier=sample_dossier(campaign, language=language),
        name="Exemple Industrie SAS",
        siret="73282932000074",
        sector="industrie-mecanique",
        address="1 rue de l'Exemple, 81000 Albi",
        contract_type=HostCompany.ContractType.APPRENTICESHIP,
        contract_start=campaign.earliest_contract_start,
        tutor_name="Dominique Tuteur",
        tutor_role="Responsable de production",
        tutor_email="tuteur.exemple@example.org",
        tutor_phone="05 00 00 00 00",
        declared_at=clock.now(),
    )


def preview_company_request(*, campaign: Campaign, language: str) -> Variants:
    company = sample_company(campaign, language)
    return [("", company_request_message(company, language=language, now=clock.now()))]


def preview_declined(*, campaign: Campaign, language: str) -> Variants:
    return [("", declined_message(sample_company(campaign, language), language))]


def preview_list_place(*, campaign: Campaign, language: str) -> Variants:
    dossier = sample_dossier(campaign, language=language)
    admitted = ListPlace(dossier=dossier, standing=ListPlace.Standing.ADMITTED, rank=3)
    waiting = ListPlace(dossier=dossier, standing=ListPlace.Standing.WAITING, rank=2)
    return [
        (gettext_lazy("Admis"), list_place_message(dossier, admitted, language, moved_up=False)),
        (
            gettext_lazy("Remonté de la liste d'attente"),
            list_place_message(dossier, admitted, language, moved_up=True),
        ),
        (
            gettext_lazy("Liste d'attente"),
            list_place_message(dossier, waiting, language, moved_up=False),
        ),
    ]


def preview_fraud(*, campaign: Campaign, language: str) -> Variants:
    dossier = sample_dossier(campaign, language=language)
    exclusion = Exclusion(
        dossier=dossier, kind=Exclusion.Kind.FRAUD, at=clock.now(), reason="Diplôme falsifié"
    )
    return [("", fraud_message(exclusion, language))]


def preview_frozen(*, campaign: Campaign, language: str) -> Variants:
    dossier = sample_dossier(campaign, language=language)
    return [
        (gettext_lazy("Sans entreprise"), frozen_message(dossier, language, waiting=False)),
        (gettext_lazy("Encore en attente"), frozen_message(dossier, language, waiting=True)),
    ]
