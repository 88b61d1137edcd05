"""Reads of the company phase (R7): who is academically admitted, declarations, the final list.

``academically_admitted`` is the one place that says who may declare a company: an academic
decision "admitted" whose publication has passed (R6.4). The final list is never stored as
truth: ``final_list`` asks the rules core (rules/ranking.py) each time, from the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q, QuerySet

from admissions.campaigns.models import Campaign
from admissions.companies.models import Exclusion, HostCompany, ListPlace
from admissions.core.language import in_language
from admissions.dossiers.models import Dossier
from admissions.exams.models import AcademicDecision
from admissions.exams.selectors.grading import published_academic_decision
from admissions.rules import ranking
from admissions.rules.company import option_matches_sector
from admissions.rules.params import StatusSought

# The contract each status leads to (R7.1).
CONTRACT_FOR_STATUS = {
    StatusSought.APPRENTICESHIP: HostCompany.ContractType.APPRENTICESHIP,
    StatusSought.PROFESSIONALISATION: HostCompany.ContractType.PROFESSIONALISATION,
    StatusSought.CONTINUING_EDUCATION: HostCompany.ContractType.EMPLOYER_AGREEMENT,
}


def academically_admitted_q(now: datetime, prefix: str = "") -> Q:
    """Dossiers on the published academic list at ``now`` (R6.4): decided "admitted" and the
    campaign's publication instant passed, as ``exams.selectors.grading.published_academic_decision``
    decides for one dossier (the email may still be on its way)."""
    return Q(
        **{
            f"{prefix}academic_decision__outcome": "admitted",
            f"{prefix}campaign__academic_results_at__lte": now,
        }
    )


def academically_admitted(dossier: Dossier, now: datetime) -> bool:
    """Whether the candidate may take part in the company phase (R7.1): the academic list as the
    candidate may read it (the one selector every candidate channel asks)."""
    decision = published_academic_decision(dossier, now)
    return decision is not None and decision.outcome == AcademicDecision.Outcome.ADMITTED


def active_company(dossier: Dossier) -> HostCompany | None:
    """The declaration awaiting the company's answer or confirmed, if any."""
    return dossier.host_companies.filter(state__in=HostCompany.ACTIVE).first()


def past_companies(dossier: Dossier) -> QuerySet[HostCompany]:
    return dossier.host_companies.exclude(state__in=HostCompany.ACTIVE)


def exclusion_of(dossier: Dossier) -> Exclusion | None:
    return Exclusion.objects.filter(dossier=dossier).first()


def place_of(dossier: Dossier) -> ListPlace | None:
    return ListPlace.objects.filter(dossier=dossier).first()


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    name_en: str

    def label(self, language: str) -> str:
        return in_language(language, self.name, self.name_en or None)


def campaign_sectors(campaign: Campaign) -> list[Sector]:
    """The company sectors of the campaign file (R1.3), in the file's order."""
    return [
        Sector(s["code"], s.get("name", s["code"]), s.get("name_en", ""))
        for s in campaign.document.get("sectors", [])
    ]


def sector_mismatch(dossier: Dossier, sector: str) -> bool:
    """True when the company's sector fits none of the candidate's chosen options (R7.1)."""
    options = [choice.option for choice in dossier.choices.select_related("option")]
    if not options:
        return False
    mapping = {option.code: option.sectors for option in options}
    return not any(option_matches_sector(code, sector, mapping) for code in mapping)


def confirmations(campaign: Campaign, now: datetime) -> list[ranking.Confirmation]:
    """Every confirmed host company of the campaign, as the rules core ranks them (R7.1)."""
    admitted = set(
        Dossier.objects.filter(academically_admitted_q(now), campaign=campaign).values_list(
            "pk", flat=True
        )
    )
    rows = HostCompany.objects.filter(
        dossier__campaign=campaign, state=HostCompany.State.CONFIRMED
    ).values(
        "dossier_id",
        "dossier__reference",
        "dossier__status_sought",
        "dossier__birth_date",
        "dossier__submitted_at",
        "dossier__legal_age_exemption",
        "dossier__company_exclusion__kind",
        "dossier__company_exclusion__at",
        "confirmed_at",
        "contract_start",
        "contract_signed_on",
    )
    result = []
    for row in rows:  # confirmed_at is set on every confirmed row (a check constraint)
        confirmed_at = row["confirmed_at"]
        if not row["dossier__status_sought"] or row["dossier__birth_date"] is None:
            continue  # never a submitted dossier: it cannot be on the academic list
        assert confirmed_at is not None
        kind, left_at = (
            row["dossier__company_exclusion__kind"],
            row["dossier__company_exclusion__at"],
        )
        fraud = kind in Exclusion.FRAUD_KINDS
        result.append(
            ranking.Confirmation(
                candidate=row["dossier__reference"],
                status=StatusSought(row["dossier__status_sought"]),
                academically_admitted=row["dossier_id"] in admitted,
                confirmed_at=confirmed_at,
                contract_start=row["contract_start"],
                birth_date=row["dossier__birth_date"],
                submitted_at=row["dossier__submitted_at"] or confirmed_at,
                legal_age_exemption=row["dossier__legal_age_exemption"],
                withdrawn_at=left_at if kind == Exclusion.Kind.WITHDRAWAL else None,
                fraud_excluded_at=left_at if fraud else None,
                contract_signed_on=row["contract_signed_on"],
            )
        )
    return result


def latest_confirmation(campaign: Campaign) -> datetime | None:
    """The latest confirmation instant recorded in the campaign, if any."""
    return HostCompany.objects.filter(dossier__campaign=campaign).aggregate(
        latest=Max("confirmed_at")
    )["latest"]


def final_list(campaign: Campaign, now: datetime) -> ranking.FinalList:
    """The final list and the waiting lists at ``now``, per seat group (R7.2)."""
    return ranking.campaign_final_list(campaign.params(), confirmations(campaign, now), now=now)


def company_rows(dossiers: QuerySet[Dossier], campaign: Campaign) -> QuerySet[HostCompany]:
    """The declarations of the campaign among ``dossiers`` (a staff account's reach), newest
    first, with what the staff list shows."""
    return (
        HostCompany.objects.filter(dossier__in=dossiers, dossier__campaign=campaign)
        .select_related("dossier", "dossier__list_place", "dossier__company_exclusion")
        .order_by("-declared_at", "-pk")
    )


def dossiers_by_reference(campaign: Campaign, references) -> dict[str, Dossier]:
    return {
        d.reference: d
        for d in Dossier.objects.filter(campaign=campaign, reference__in=list(references))
    }


def admitted_without_company(campaign: Campaign, now: datetime) -> QuerySet[Dossier]:
    """Academically admitted candidates with no confirmed company and not excluded (R7.3)."""
    return (
        Dossier.objects.filter(academically_admitted_q(now), campaign=campaign)
        .exclude(host_companies__state=HostCompany.State.CONFIRMED)
        .exclude(company_exclusion__isnull=False)
        .select_related("candidate")
    )
