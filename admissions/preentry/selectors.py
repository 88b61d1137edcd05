"""Reads of the pre-entry checklist (R7.4): who has one, what each still misses.

Who has a checklist: the candidates admitted for good, i.e. whose place on the final list as
last computed (``companies.ListPlace``, refreshed at every change of the list, R7.2) is
"admitted". An academically admitted candidate with a confirmed company beyond the seats waits
on the waiting list and is not admitted: nothing is asked of them until they move up (their
checklist opens the moment they do). A candidate who leaves the list (withdrawal, fraud) no
longer has one; what they sent stays for the record.

Whether the JDC/JAPD certificate is asked is the rules core's answer
(``rules.company.jdc_required``: French nationals under 26 on the first day of training).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from admissions.campaigns.models import Campaign
from admissions.companies.models import ListPlace
from admissions.dossiers.models import Dossier
from admissions.preentry.models import ContractValidation, PreEntryDocument
from admissions.rules.company import Requirement, jdc_required
from admissions.rules.params import Campaign as CampaignParams

Kind = PreEntryDocument.Kind
Review = PreEntryDocument.Review

# The items of the checklist, in the order pages, emails and exports list them.
DIPLOMA, JDC, MIDISUP = "diploma", "jdc", "midisup"
ITEMS = (DIPLOMA, JDC, MIDISUP)


@dataclass(frozen=True)
class Checklist:
    """One candidate's checklist as it stands."""

    dossier: Dossier
    documents: dict[str, PreEntryDocument]  # kind -> the current file
    jdc: Requirement | None  # None: no birth date or nationality to judge by
    validation: ContractValidation | None
    missing: tuple[str, ...] = field(default=())

    @property
    def diploma(self) -> PreEntryDocument | None:
        return self.documents.get(Kind.DIPLOMA)

    @property
    def jdc_document(self) -> PreEntryDocument | None:
        return self.documents.get(Kind.JDC)

    @property
    def jdc_asked(self) -> bool:
        return self.jdc is not None and self.jdc.required

    @property
    def conditional(self) -> bool:
        """The admission stays conditional until staff accept the diploma (R7.2, R7.4)."""
        diploma = self.diploma
        return diploma is None or not diploma.accepted

    @property
    def complete(self) -> bool:
        return not self.missing


def jdc_requirement(dossier: Dossier, params: CampaignParams) -> Requirement | None:
    if dossier.birth_date is None or not dossier.nationality:
        return None
    return jdc_required(params, dossier.nationality, dossier.birth_date)


def _missing(
    documents: dict[str, PreEntryDocument], jdc: Requirement | None, validation
) -> tuple[str, ...]:
    """An item is missing until it is accepted (not sent, awaiting staff, or refused)."""
    missing = []
    diploma = documents.get(Kind.DIPLOMA)
    if diploma is None or not diploma.accepted:
        missing.append(DIPLOMA)
    certificate = documents.get(Kind.JDC)
    if jdc is not None and jdc.required and (certificate is None or not certificate.accepted):
        missing.append(JDC)
    if validation is None:
        missing.append(MIDISUP)
    return tuple(missing)


def checklist_of(dossier: Dossier, params: CampaignParams) -> Checklist:
    """``dossier``'s checklist; reads its documents and validation (prefetched or not)."""
    documents = {document.kind: document for document in dossier.preentry_documents.all()}
    validation = ContractValidation.objects.filter(dossier=dossier).first()
    jdc = jdc_requirement(dossier, params)
    return Checklist(dossier, documents, jdc, validation, _missing(documents, jdc, validation))


def _checklist_prefetched(dossier: Dossier, params: CampaignParams) -> Checklist:
    documents = {document.kind: document for document in dossier.preentry_documents.all()}
    validation = getattr(dossier, "contract_validation", None)
    jdc = jdc_requirement(dossier, params)
    return Checklist(dossier, documents, jdc, validation, _missing(documents, jdc, validation))


def is_admitted_for_good(dossier: Dossier) -> bool:
    """On the final list as last computed (R7.2): the checklist applies (R7.4)."""
    return ListPlace.objects.filter(dossier=dossier, standing=ListPlace.Standing.ADMITTED).exists()


def admitted_dossiers(dossiers: QuerySet[Dossier], campaign: Campaign) -> QuerySet[Dossier]:
    """The campaign's candidates admitted for good among ``dossiers`` (a staff account's
    reach), with what their checklists read, by seat group and rank."""
    return (
        dossiers.filter(campaign=campaign, list_place__standing=ListPlace.Standing.ADMITTED)
        .select_related("list_place", "candidate", "contract_validation")
        .prefetch_related(
            Prefetch("preentry_documents", queryset=PreEntryDocument.objects.order_by("kind"))
        )
        .order_by("list_place__seat_group", "list_place__rank", "reference")
    )


def checklists(dossiers: Iterable[Dossier], params: CampaignParams) -> list[Checklist]:
    """The checklists of dossiers read by ``admitted_dossiers`` (no query per row)."""
    return [_checklist_prefetched(dossier, params) for dossier in dossiers]


# The staff page's filters: who misses what (R7.4).
FILTERS = (DIPLOMA, JDC, MIDISUP, "conditional", "to_review")


def matches(checklist: Checklist, wanted: str) -> bool:
    if wanted == "conditional":
        return checklist.conditional
    if wanted == "to_review":
        return any(d.review == Review.UNCHECKED for d in checklist.documents.values())
    return wanted in checklist.missing


def conditional_references(campaign: Campaign, references: Iterable[str]) -> set[str]:
    """Among ``references``, the dossiers whose diploma staff have not accepted (R7.2): their
    admission is conditional. One query, for the final list's page."""
    accepted = set(
        PreEntryDocument.objects.filter(
            dossier__campaign=campaign,
            dossier__reference__in=list(references),
            kind=Kind.DIPLOMA,
            review=Review.VALID,
        ).values_list("dossier__reference", flat=True)
    )
    return set(references) - accepted


def last_reminder(campaign: Campaign):
    return campaign.preentry_reminders.select_related("sent_by").first()
