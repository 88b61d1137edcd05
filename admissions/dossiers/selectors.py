"""What a dossier holds and what it still needs, read without changing anything (R3).

Selectors read: editability, the answers as the rules see them, the documents provided, the
checklist, eligibility, the fee, each page's completeness, the submission blockers. State
changes live in ``services.py``, which may call these; these never call services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Prefetch, prefetch_related_objects

from admissions.documents.selectors import to_replace
from admissions.dossiers import pages
from admissions.dossiers.models import Dossier, FormationChoice
from admissions.referees.selectors import referee_states
from admissions.rules import clock as rules_clock
from admissions.rules import deadlines, documents, eligibility, fees
from admissions.rules.language import in_language
from admissions.rules.params import Campaign as CampaignParams
from admissions.rules.params import DiplomaType, StatusSought

# The formations chosen, with their options.
CHOICES_WITH_OPTIONS = Prefetch(
    "choices", queryset=FormationChoice.objects.select_related("option")
)
# Everything the dossier pages read, fetched in one query per relation.
DOSSIER_RELATIONS = (
    CHOICES_WITH_OPTIONS,
    "diplomas",
    "documents",
    "pending_documents",
    "referees",
    "payments",
)
# --- The dossier's answers as the rules see them -------------------------------------------


def rules_diplomas(dossier: Dossier) -> tuple[eligibility.Diploma, ...]:
    if dossier.pk is None:  # the email previews' made-up dossier is never saved: no diploma
        return ()
    return tuple(
        eligibility.Diploma(
            type=DiplomaType(diploma.type),
            scientific_or_technical=diploma.scientific_or_technical,
            obtained_on=diploma.obtained_on,
            expected_on=diploma.expected_on,
            country=diploma.country,
            speciality=diploma.speciality,
        )
        for diploma in dossier.diplomas.all()
    )


def formation_codes(dossier: Dossier) -> tuple[str, ...]:
    # Pages have the choices prefetched already (desk_for): then this reads nothing; a save or
    # an upload reads them here, with their options, in one query instead of one per choice.
    if dossier.pk is None:  # the email previews' made-up dossier: no choice
        return ()
    prefetch_related_objects([dossier], CHOICES_WITH_OPTIONS)
    return tuple(choice.option.code for choice in dossier.choices.all())


def dossier_answers(dossier: Dossier) -> documents.DossierAnswers:
    return documents.DossierAnswers(
        nationality=dossier.nationality or "FR",
        status_sought=StatusSought(dossier.status_sought or StatusSought.APPRENTICESHIP),
        diplomas=rules_diplomas(dossier),
        formations_chosen=formation_codes(dossier),
        scholarship_claimed=dossier.scholarship_claimed,
    )


def provided_documents(dossier: Dossier) -> dict[str, documents.ProvidedState]:
    provided: dict[str, documents.ProvidedState] = {}
    for pending in dossier.pending_documents.all():
        provided[pending.code] = documents.ProvidedState.PENDING
    for document in dossier.documents.all():
        if to_replace(document):
            provided[document.code] = documents.ProvidedState.REFUSED
        elif document.review == "valid":
            provided[document.code] = documents.ProvidedState.VALID
        else:
            provided[document.code] = documents.ProvidedState.PROVIDED
    for code, state in referee_states(dossier).items():  # R3.5: received or requested
        provided.setdefault(code, state)
    return provided


def document_checklist(
    dossier: Dossier,
    params: CampaignParams,
    provided: dict[str, documents.ProvidedState] | None = None,
) -> documents.Checklist:
    """The checklist; pass ``provided`` when the caller has already read what the dossier holds."""
    required = documents.required_documents(params, dossier_answers(dossier))
    return documents.checklist(
        required, provided if provided is not None else provided_documents(dossier)
    )


def upload_slots(dossier: Dossier, params: CampaignParams) -> dict[str, documents.RequiredDocument]:
    """Every code the candidate may upload now, mapped to its checklist slot."""
    slots: dict[str, documents.RequiredDocument] = {}
    for slot in documents.required_documents(params, dossier_answers(dossier)):
        # A slot with alternatives is filled through one of them (card or passport), not itself.
        if slot.source == documents.Source.UPLOAD and not slot.alternatives:
            slots[slot.code] = slot
        for alternative in slot.alternatives:
            if alternative.source == documents.Source.UPLOAD:
                slots[alternative.code] = slot
    return slots


def eligibility_report(
    dossier: Dossier, params: CampaignParams, now: datetime
) -> eligibility.EligibilityReport | None:
    if not (dossier.status_sought and dossier.birth_date):
        return None
    facts = eligibility.ApplicantFacts(
        status_sought=StatusSought(dossier.status_sought),
        birth_date=dossier.birth_date,
        diplomas=rules_diplomas(dossier),
        legal_age_exemption=dossier.legal_age_exemption,
        experience_years_as_technician=dossier.technician_experience_years or Decimal(0),
        employer_agreement=dossier.employer_agreement,
    )
    return eligibility.assess(params, facts, now)


SCHOLARSHIP_PROOF = "scholarship_proof"
# A document's review (documents.models.Document.Review) as the fee rules see the proof (R3.6).
PROOF_STATUS_BY_REVIEW = {
    "unchecked": fees.ProofStatus.PENDING,
    "valid": fees.ProofStatus.ACCEPTED,
    "refused": fees.ProofStatus.REJECTED,
}


def scholarship_proof_status(dossier: Dossier) -> fees.ProofStatus:
    """Missing until uploaded; pending until staff check it; then accepted or rejected (R3.6)."""
    for document in dossier.documents.all():
        if document.code == SCHOLARSHIP_PROOF:
            return PROOF_STATUS_BY_REVIEW[document.review]
    return fees.ProofStatus.MISSING


def fee_breakdown(dossier: Dossier, params: CampaignParams) -> fees.FeeBreakdown | None:
    chosen = len(dossier.choices.all())
    if chosen == 0:
        return None
    proof = scholarship_proof_status(dossier)
    return fees.fee_breakdown(params.fees, chosen, dossier.scholarship_claimed, proof)


def live_payments(dossier: Dossier) -> list:
    """Payments declared or confirmed: one that staff marked not received does not count.

    Read from the dossier's payments (prefetched on the dossier pages)."""
    return [payment for payment in dossier.payments.all() if payment.state != "rejected"]


@dataclass(frozen=True)
class FeeStatus:
    """The fee and what stands against it (R3.6, R8.4).

    ``balance`` counts the payments declared or confirmed (what the candidate has done); a
    payment staff marked not received counts for nothing. ``confirmed`` is what staff
    actually received."""

    breakdown: fees.FeeBreakdown
    balance: fees.Balance
    confirmed: Decimal

    @property
    def currency(self) -> str:
        return self.breakdown.currency

    @property
    def outstanding(self) -> Decimal:
        return self.balance.outstanding


def fee_status(dossier: Dossier, params: CampaignParams) -> FeeStatus | None:
    """What the dossier owes now and what remains to pay or declare; None before any choice.

    The total follows the dossier as it is now: an option added after a payment, or a
    scholarship proof staff rejected (the difference, R3.6), leaves the rest due. Reads the
    dossier's choices, documents and payments (prefetched on the dossier pages)."""
    breakdown = fee_breakdown(dossier, params)
    if breakdown is None:
        return None
    live = live_payments(dossier)
    confirmed = sum(
        (payment.amount for payment in live if payment.state == "confirmed"), Decimal(0)
    )
    return FeeStatus(
        breakdown=breakdown,
        balance=fees.balance(breakdown.total, [payment.amount for payment in live]),
        confirmed=confirmed,
    )


def tariff_fixed(
    dossier: Dossier, params: CampaignParams, now: datetime
) -> fees.TariffFixed | None:
    """Why the tariff can no longer change, or None (``rules.fees.tariff_fixed``): the one
    answer used by the fees page's field, its template and ``services.save_tariff``."""
    return fees.tariff_fixed(
        dossier_editable=is_editable(dossier, params, now),
        payments_recorded=len(live_payments(dossier)),
    )


# --- Pages and completeness (R3.1, R3.7, R10.1) --------------------------------------------


def page_states(
    dossier: Dossier,
    params: CampaignParams,
    language: str,
    checklist: documents.Checklist | None = None,
    now: datetime | None = None,
) -> list[pages.PageState]:
    """Each page's completeness (the pages of ``pages.PAGES`` that have something to complete
    and apply to the dossier); pass ``checklist`` when the caller has already computed it.
    ``now`` dates a current job on the experience page (formation continue)."""
    status = fee_status(dossier, params)
    facts = pages.PageFacts(
        dossier=dossier,
        params=params,
        language=language,
        checklist=checklist or document_checklist(dossier, params),
        requested=frozenset(
            code
            for code, state in referee_states(dossier).items()
            if state == documents.ProvidedState.REQUESTED
        ),
        diplomas=rules_diplomas(dossier),
        fee_outstanding=status.outstanding if status is not None else None,
        fee_paid=status.balance.paid if status is not None else Decimal(0),
        currency=status.currency if status is not None else params.fees.currency,
        today=(
            rules_clock.local_date(now, params.calendar.time_zone)
            if now is not None
            else date.today()
        ),
    )
    states = []
    for page in pages.PAGES:
        if page.missing is None or not page.applies(dossier, params):
            continue
        missing = tuple(str(text) for text in page.missing(facts))
        states.append(
            pages.PageState(
                page.slug, str(page.title), not missing, missing, optional=page.optional(dossier)
            )
        )
    return states


def is_editable(dossier: Dossier, params: CampaignParams, now: datetime) -> bool:
    """R3.8: after submission or after the close, the dossier is read-only."""
    if dossier.is_submitted:
        return False
    return deadlines.can_submit(params, now, candidate=dossier.reference).allowed


class Blocker(NamedTuple):
    """A reason the dossier cannot be submitted now, with the page that fixes it ("" if none)."""

    slug: str
    text: str

    @property
    def url(self) -> str:
        return pages.page_url(self.slug) if self.slug else ""


def submission_blockers(
    dossier: Dossier, params: CampaignParams, now: datetime, language: str
) -> list[Blocker]:
    """Every reason the dossier cannot be submitted now, each with the page that fixes it."""
    blockers: list[Blocker] = []
    window = deadlines.can_submit(params, now, candidate=dossier.reference)
    if not window.allowed:
        blockers += [Blocker("", reason.text(language)) for reason in window.reasons]
    separator = in_language(language, "\u00a0: ", ": ")
    for page in page_states(dossier, params, language, now=now):
        if page.missing:  # one line per page, its missing items together
            blockers.append(Blocker(page.slug, f"{page.title}{separator}{', '.join(page.missing)}"))
    report = eligibility_report(dossier, params, now)
    if report is not None:
        # A diploma that does not qualify is already listed under "Parcours de formation".
        blockers += [
            Blocker(pages.STATUS.slug, reason.text(language))
            for reason in report.blocking
            if not reason.code.startswith("diploma.")
        ]
    return blockers


def snapshot(dossier: Dossier) -> dict:
    """The dossier as submitted: what the committee will read, frozen (R3.7)."""

    def text(value) -> str | None:
        return None if value is None else str(value)

    return {
        "reference": dossier.reference,
        "campaign": dossier.campaign.code,
        "identity": {
            field: text(getattr(dossier, field))
            for field in (
                "civility",
                "last_name",
                "first_name",
                "birth_date",
                "birth_place",
                "nationality",
                "phone",
                "address",
                "postal_code",
                "city",
                "country",
            )
        },
        "email": dossier.candidate.email,
        # Snapshots frozen before issue 9 name this key "status": a reader takes either.
        "status_sought": dossier.status_sought,
        "technician_experience_years": text(dossier.technician_experience_years),
        "employer_agreement": dossier.employer_agreement,
        "formations": list(formation_codes(dossier)),
        "notice_acknowledged_at": text(dossier.notice_acknowledged_at),
        "diplomas": [
            {
                "type": d.type,
                "speciality": d.speciality,
                "scientific_or_technical": d.scientific_or_technical,
                "institution": d.institution,
                "country": d.country,
                "year": d.year,
                "obtained_on": text(d.obtained_on),
                "expected_on": text(d.expected_on),
            }
            for d in dossier.diplomas.all()
        ],
        "experiences": [
            {
                "employer": e.employer,
                "position": e.position,
                "started_on": text(e.started_on),
                "ended_on": text(e.ended_on),
                "higher_technician": e.higher_technician,
            }
            for e in dossier.experiences.all()
        ],
        "documents": {
            d.code: {
                "name": d.original_name,
                "format": d.format,
                "size": d.size_bytes,
                "sha": d.file.name,
            }
            for d in dossier.documents.all()
        },
        "pending_documents": [p.code for p in dossier.pending_documents.all()],
        "scholarship_claimed": dossier.scholarship_claimed,
    }


def age_on(birth_date: date, on: date) -> int:
    return eligibility.age_on(birth_date, on)
