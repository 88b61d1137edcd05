"""What happens to a dossier: opening, the live explanations, submission (R3).

Services change state in one transaction and write the audit trail; they take the clock as
``now`` and never read the request.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from admissions.audit.services import record
from admissions.dossiers.models import Dossier, FormationChoice
from admissions.rules import clock as rules_clock
from admissions.rules import deadlines, documents, eligibility, fees
from admissions.rules.explain import Reason
from admissions.rules.params import Campaign as CampaignParams
from admissions.rules.params import DiplomaType, StatusSought


class DossierError(Exception):
    """A refused action on a dossier, with a message in the page's language."""

    def __init__(self, message, reasons: tuple[Reason, ...] = ()):
        super().__init__(str(message))
        self.message = message
        self.reasons = reasons


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def new_reference(campaign) -> str:
    """A short reference that is not a counter: guessing one reveals nothing (R9.2)."""
    prefix = "".join(ch for ch in campaign.code.upper() if ch.isalnum())[:4]
    return f"{prefix}-{''.join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))}"


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


def open_dossier(*, candidate, campaign, now: datetime, prefetch: bool = False) -> Dossier:
    """The candidate's dossier for the campaign, created on first visit (idempotent).

    ``prefetch`` loads every relation a dossier page shows, one query each: right for pages,
    wasted on a save that redirects."""
    dossiers = Dossier.objects.filter(candidate=candidate, campaign=campaign)
    if prefetch:
        dossiers = dossiers.prefetch_related(*DOSSIER_RELATIONS)
    existing = dossiers.first()
    if existing is not None:
        existing.candidate = candidate  # the same account: no query to read it back
        return existing
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                candidate=candidate,
                campaign=campaign,
                reference=new_reference(campaign),
                created_at=now,
                updated_at=now,
            )
            record(candidate, "dossiers.dossier.opened", dossier, at=now)
            return dossier
    except IntegrityError:  # a second tab opened it at the same moment
        return Dossier.objects.get(candidate=candidate, campaign=campaign)


# --- The dossier's answers as the rules see them -------------------------------------------


def rules_diplomas(dossier: Dossier) -> tuple[eligibility.Diploma, ...]:
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
        if document.review == "refused" or document.replacement_requested:
            provided[document.code] = documents.ProvidedState.REFUSED
        elif document.review == "valid":
            provided[document.code] = documents.ProvidedState.VALID
        else:
            provided[document.code] = documents.ProvidedState.PROVIDED
    # Deferred import: a cycle, referees.services imports this module (is_editable).
    from admissions.referees.services import referee_states

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


def tariff_locked(dossier: Dossier, params: CampaignParams, now: datetime) -> bool:
    """The tariff is fixed after submission or the close, and once a payment is declared or
    confirmed (R3.6, R3.8); a payment staff marked not received leaves it open again."""
    return not is_editable(dossier, params, now) or bool(live_payments(dossier))


def save_tariff(*, dossier: Dossier, scholarship_claimed: bool, by, now: datetime) -> Dossier:
    """Claim the reduced (scholarship) rate or give it up (R3.6).

    Checked under the dossier's lock (issue 9): a payment declared or a submission committed
    since the page was read refuses the change. Raises DossierError. Side effect: audit entry."""
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update()
            .select_related("campaign")
            .prefetch_related("payments")
            .get(pk=dossier.pk)
        )
        if not is_editable(locked, locked.campaign.params(), now):
            raise DossierError(_("Votre dossier n'est plus modifiable : rien n'a été changé."))
        if live_payments(locked):
            raise DossierError(
                _("Un paiement est déjà enregistré : le tarif ne peut plus changer.")
            )
        locked.scholarship_claimed = scholarship_claimed
        locked.updated_at = now
        locked.save(update_fields=["scholarship_claimed", "updated_at"])
        record(by, "dossiers.fees.tariff_saved", locked, at=now)
    dossier.scholarship_claimed = scholarship_claimed
    dossier.updated_at = now
    return locked


# --- Pages and completeness (R3.1, R3.7, R10.1) --------------------------------------------


@dataclass(frozen=True)
class PageState:
    slug: str
    title: str
    complete: bool
    missing: tuple[str, ...]  # what is missing, in the page's language
    optional: bool = False  # nothing is required on this page for this dossier: "facultatif"


def _identity_missing(dossier: Dossier) -> list[str]:
    labels = {
        "civility": _("la civilité"),
        "last_name": _("le nom"),
        "first_name": _("le prénom"),
        "birth_date": _("la date de naissance"),
        "birth_place": _("le lieu de naissance"),
        "nationality": _("la nationalité"),
        "phone": _("le téléphone"),
        "address": _("l'adresse"),
        "postal_code": _("le code postal"),
        "city": _("la ville"),
        "country": _("le pays de résidence"),
    }
    return [str(label) for field, label in labels.items() if not getattr(dossier, field)]


def _status_missing(dossier: Dossier) -> list[str]:
    if not dossier.status_sought:
        return [str(_("le statut visé"))]
    if dossier.status_sought == StatusSought.CONTINUING_EDUCATION:
        missing = []
        if dossier.technician_experience_years is None:
            missing.append(str(_("vos années d'expérience comme technicien supérieur")))
        if not dossier.employer_agreement:
            missing.append(str(_("l'accord de votre employeur")))
        return missing
    return []


def _education_missing(dossier: Dossier, params: CampaignParams, language: str) -> list[str]:
    """At least one diploma, and one that qualifies (R3.2): the page is not complete while the
    eligibility panel says the diploma does not qualify. For a professionalisation contract the
    school decides (a warning, not a blocker), so only a diploma is required."""
    diplomas = rules_diplomas(dossier)
    if not diplomas:
        return [str(_("au moins un diplôme"))]
    if dossier.status_sought == StatusSought.PROFESSIONALISATION:
        return []
    decision = eligibility.diploma_eligibility(params, diplomas)
    return [] if decision.allowed else [reason.text(language) for reason in decision.reasons]


def _experience_missing(dossier: Dossier, params: CampaignParams, today: date) -> list[str]:
    """Formation continue only (R3.2): the higher-technician experience, at least the minimum
    years (3 in 2021) counted from the rows described; a current job counts until today."""
    minimum = params.eligibility.continuing_min_experience_years
    days = sum(
        ((experience.ended_on or today) - experience.started_on).days
        for experience in dossier.experiences.all()
        if experience.higher_technician
    )
    if days >= minimum * 365:
        return []
    return [
        str(
            _("vos expériences comme technicien supérieur, %(years)s ans au moins")
            % {"years": minimum}
        )
    ]


def page_states(
    dossier: Dossier,
    params: CampaignParams,
    language: str,
    checklist: documents.Checklist | None = None,
    now: datetime | None = None,
) -> list[PageState]:
    """Each page's completeness; pass ``checklist`` when the caller has already computed it.
    ``now`` dates a current job on the experience page (formation continue)."""
    checklist = checklist or document_checklist(dossier, params)
    upload_missing = [
        doc.label(language)
        for doc in checklist.missing
        if doc.source == documents.Source.UPLOAD and not doc.code.startswith("motivation")
    ]
    letters_missing = [
        doc.label(language) for doc in checklist.missing if doc.code.startswith("motivation")
    ]
    # Deferred import: a cycle, referees.services imports this module (is_editable).
    from admissions.referees.services import referee_states

    # A referee asked and not answered yet: still missing, but the candidate has done their part.
    requested = {
        code
        for code, state in referee_states(dossier).items()
        if state == documents.ProvidedState.REQUESTED
    }
    referee_missing = [
        str(
            _("%(label)s (demandée, réponse du référent attendue)") % {"label": doc.label(language)}
        )
        if requested & set(doc.accepted_codes)
        else doc.label(language)
        for doc in checklist.missing
        if doc.source == documents.Source.REFEREE
    ]
    has_choice = bool(dossier.choices.all())
    formations_missing = []
    if not has_choice:
        formations_missing.append(str(_("au moins une formation")))
    if dossier.notice_acknowledged_at is None:
        formations_missing.append(
            str(_("la case attestant que vous avez pris connaissance de la notice"))
        )
    education_missing = _education_missing(dossier, params, language)
    # Experience is required for formation continue only; otherwise the page is optional.
    experience_optional = dossier.status_sought != StatusSought.CONTINUING_EDUCATION
    experience_missing: list[str] = []
    if not experience_optional:
        today = (
            rules_clock.local_date(now, params.calendar.time_zone)
            if now is not None
            else date.today()
        )
        experience_missing = _experience_missing(dossier, params, today)
    status = fee_status(dossier, params)
    fees_missing = []
    if status is None:
        fees_missing.append(str(_("le règlement des frais de dossier")))
    elif status.outstanding > 0:
        # R3.6, issue 8: what an added option or a rejected proof leaves due blocks too.
        amount = {"amount": fees.format_money(status.outstanding, status.currency, language)}
        if status.balance.paid:
            fees_missing.append(str(_("le règlement du reste dû (%(amount)s)")) % amount)
        else:
            fees_missing.append(str(_("le règlement des frais de dossier (%(amount)s)")) % amount)
    pages = [
        ("identite", _("Identité et coordonnées"), _identity_missing(dossier)),
        ("statut", _("Statut visé"), _status_missing(dossier)),
        ("formations", _("Formations visées"), formations_missing),
        ("parcours", _("Parcours de formation"), education_missing),
        ("experience", _("Expérience professionnelle"), experience_missing),
        ("pieces", _("Pièces justificatives"), upload_missing),
        ("recommandations", _("Recommandations"), referee_missing),
        ("motivation", _("Lettres de motivation"), letters_missing),
        ("frais", _("Frais de dossier"), fees_missing),
    ]
    return [
        PageState(
            slug,
            str(title),
            not missing,
            tuple(str(m) for m in missing),
            optional=slug == "experience" and experience_optional,
        )
        for slug, title, missing in pages
    ]


# --- Submission (R3.7) ---------------------------------------------------------------------


def is_editable(dossier: Dossier, params: CampaignParams, now: datetime) -> bool:
    """R3.8: after submission or after the close, the dossier is read-only."""
    if dossier.is_submitted:
        return False
    return deadlines.can_submit(params, now, candidate=dossier.reference).allowed


def lock_editable(dossier: Dossier, params: CampaignParams, now: datetime) -> Dossier:
    """Lock the dossier's row for a change, then check it may still change (R3.8, issue 9).

    Call inside the transaction that writes: a submission committed since the page was read
    refuses the change (a page's form would otherwise write the stale row back over it), and
    one that starts now waits until the change is committed. Raises DossierError."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not is_editable(locked, params, now):
        raise DossierError(_("Votre dossier n'est plus modifiable : rien n'a été changé."))
    return locked


def submission_blockers(
    dossier: Dossier, params: CampaignParams, now: datetime, language: str
) -> list[tuple[str, str]]:
    """Every reason the dossier cannot be submitted now, each with the page that fixes it."""
    blockers: list[tuple[str, str]] = []
    window = deadlines.can_submit(params, now, candidate=dossier.reference)
    if not window.allowed:
        blockers += [("", reason.text(language)) for reason in window.reasons]
    separator = "\u00a0: " if language == "fr" else ": "
    for page in page_states(dossier, params, language, now=now):
        if page.missing:  # one line per page, its missing items together
            blockers.append((page.slug, f"{page.title}{separator}{', '.join(page.missing)}"))
    report = eligibility_report(dossier, params, now)
    if report is not None:
        # A diploma that does not qualify is already listed under "Parcours de formation".
        blockers += [
            ("statut", reason.text(language))
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


def submit_dossier(*, dossier: Dossier, by, now: datetime, language: str = "fr") -> Dossier:
    """Submit once, however many times it is asked (R3.7).

    Raises DossierError listing every blocker. Side effects: snapshot, audit entry, the receipt
    (PDF and email) owed in the outbox and queued after commit.
    """
    from admissions.dossiers.emails import queue_receipt  # emails import the outbox's services

    with transaction.atomic():
        # Lock the row first (two tabs, a replayed request), then read everything once: the
        # checks and the snapshot read the same relations.
        locked = Dossier.objects.select_for_update().only("state").get(pk=dossier.pk)
        if locked.is_submitted:
            return Dossier.objects.get(pk=dossier.pk)  # a double click or a replay: already done
        dossier = (
            Dossier.objects.select_related("campaign", "candidate")
            .defer("campaign__document", "campaign__source_text")
            .prefetch_related(*DOSSIER_RELATIONS, "experiences")
            .get(pk=dossier.pk)
        )
        params = dossier.campaign.params()
        blockers = submission_blockers(dossier, params, now, language)
        if blockers:
            raise DossierError(
                _("Votre dossier ne peut pas encore être déposé."),
                tuple(
                    Reason("dossier.blocker", text, text, {"page": page}) for page, text in blockers
                ),
            )
        dossier.snapshot = snapshot(dossier)
        dossier.state = Dossier.State.SUBMITTED
        dossier.submitted_at = now
        dossier.updated_at = now
        dossier.save(update_fields=["snapshot", "state", "submitted_at", "updated_at"])
        record(by, "dossiers.dossier.submitted", dossier, at=now)
        # Owed in the same transaction as the submission: never lost (notifications/services.py).
        queue_receipt(dossier=dossier)  # in the candidate's language (R8.2)
    dossier.refresh_from_db()  # the caller gets the row as stored, not relations read before
    return dossier


def age_on(birth_date: date, on: date) -> int:
    return eligibility.age_on(birth_date, on)
