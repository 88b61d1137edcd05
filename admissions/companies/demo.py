"""The demo's company phase (issue 13): a dossier in every state of R7.1, R7.2 and R7.5.

Called by ``seed_demo`` (one line) after the academic list is recorded. Twelve more demo
candidates are built as far as the exam day through the services, as the other demo dossiers
are (complete, paid, submitted, checked, scored, declared admissible; booked and graded
directly, as ``core.demo.grade_the_others_and_record`` does), and the academic list is recorded
again with them on it, before its publication (2021-04-19). Then the company phase is played
through its services at instants after the publication, in order: declarations, the
companies' answers through their links, a staff confirmation with its evidence, contract
dates, the age exemption, a withdrawal and a fraud record.

The apprenticeship group (45 seats) holds the usual paths; the group shared by continuing
education and the professionalisation contract has 5 seats, so seven candidates there show the
waiting list: the fraud record moves the first one waiting up, the next one keeps waiting.
``graded@demo.example`` (core/demo.py) stays admitted academically without a company.

Idempotent: a second run finds the declarations and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from admissions.committee.services import decide_admissibility, record_score
from admissions.companies import links, services
from admissions.companies.models import HostCompany
from admissions.core.demo import DEMO_EXAM_DATE, complete, demo_pdf, officer_reviews, pay
from admissions.dossiers.models import Dossier, Experience
from admissions.dossiers.services import open_dossier, submit_dossier
from admissions.verification.services import decide_dossier

if TYPE_CHECKING:
    from admissions.accounts.models import User
    from admissions.campaigns.models import Campaign

APPRENTICESHIP = "apprentissage"
CONTINUING = "formation_continue"
PROFESSIONALISATION = "contrat_professionnalisation"

# (key, email, what the account shows); seed_demo adds them to its CANDIDATE_ACCOUNTS.
COMPANY_PHASE_ACCOUNTS = [
    (
        "company_awaiting",
        "company-awaiting@demo.example",
        "admis(e) académique, entreprise déclarée, attend la réponse de l'entreprise (lien imprimé)",
    ),
    (
        "company_declined",
        "company-declined@demo.example",
        "admis(e) académique, l'entreprise a refusé le contrat (avec son motif)",
    ),
    (
        "final_admitted",
        "final-admitted@demo.example",
        "entreprise confirmée par son lien, admis(e) définitivement (apprentissage)",
    ),
    (
        "age_exemption",
        "age-exemption@demo.example",
        "30 ans à la signature du contrat, dérogation enregistrée, admis(e) définitivement",
    ),
    (
        "company_withdrawn",
        "withdrawn@demo.example",
        "entreprise confirmée puis candidature retirée",
    ),
    (
        "pro_contract",
        "pro-contract@demo.example",
        "contrat de professionnalisation confirmé, admis(e) définitivement (groupe FC/CP, 5 places)",
    ),
    (
        "sector_mismatch",
        "sector-mismatch@demo.example",
        "formation continue, secteur de l'entreprise hors option (signalé), admis(e)",
    ),
    (
        "staff_confirmed",
        "staff-confirmed@demo.example",
        "formation continue, confirmation enregistrée par l'école avec justificatif, admis(e)",
    ),
    (
        "contract_signed",
        "contract-signed@demo.example",
        "contrat de professionnalisation signé (date enregistrée), admis(e)",
    ),
    (
        "fraud",
        "fraud@demo.example",
        "fraude enregistrée (motif et pièce) : exclu(e), sa place donnée au suivant",
    ),
    (
        "moved_up",
        "moved-up@demo.example",
        "liste d'attente puis admis(e) définitivement après la fraude (prévenu(e) par courriel)",
    ),
    (
        "waiting_list",
        "waiting-list@demo.example",
        "entreprise confirmée, 1er(e) sur la liste d'attente du groupe FC/CP",
    ),
]


@dataclass(frozen=True)
class Candidate:
    last_name: str
    first_name: str
    status: str
    sector: str
    siret: str
    birth_date: date = date(2000, 5, 17)


# The demo candidates of the company phase; all chose the first option (SENMBA: building,
# energy, building materials), so "aeronautique" is outside their options (R7.1).
CANDIDATES: dict[str, Candidate] = {
    "company_awaiting": Candidate("Caron", "Inès", APPRENTICESHIP, "energie", "44105123200011"),
    "company_declined": Candidate(
        "Renaud", "Théo", APPRENTICESHIP, "batiment-amenagement", "55208178800010"
    ),
    "final_admitted": Candidate("Perrin", "Lucie", APPRENTICESHIP, "energie", "32106543500018"),
    # 30 on 14 February 2021: over the age limit on any contract date (R3.2, R7.2).
    "age_exemption": Candidate(
        "Aubert",
        "Karim",
        APPRENTICESHIP,
        "batiment-amenagement",
        "87901234200017",
        birth_date=date(1991, 2, 14),
    ),
    "company_withdrawn": Candidate(
        "Brunet", "Emma", APPRENTICESHIP, "materiaux-construction", "65409876300018"
    ),
    "pro_contract": Candidate("Colin", "Nathan", PROFESSIONALISATION, "energie", "71203456000011"),
    "sector_mismatch": Candidate("Dumas", "Sarah", CONTINUING, "aeronautique", "49807654600015"),
    "staff_confirmed": Candidate(
        "Gauthier", "Yanis", CONTINUING, "batiment-amenagement", "33304445100016"
    ),
    "contract_signed": Candidate(
        "Marchand", "Chloé", PROFESSIONALISATION, "energie", "21109998100014"
    ),
    "fraud": Candidate("Leroy", "Hugo", PROFESSIONALISATION, "energie", "90807060000014"),
    "moved_up": Candidate(
        "Picard", "Manon", PROFESSIONALISATION, "materiaux-construction", "50505051800016"
    ),
    "waiting_list": Candidate("Vidal", "Louis", PROFESSIONALISATION, "energie", "61616162600018"),
}
# Their committee scores and grades: above the other examined demo candidates (R6.4).
SCORES = ("16", "15.5")
GRADES = {"interview": "15", "english": "14.5"}
CONTRACT_START = date(2021, 9, 1)
PARIS = ZoneInfo("Europe/Paris")


def at(month: int, day: int, hour: int = 10) -> datetime:
    """An instant of 2021, Paris time: the company phase runs after the academic list's
    publication (19 April 2021) and before the freeze (end of 20 September 2021)."""
    return datetime(2021, month, day, hour, tzinfo=PARIS)


# The declaration of the awaiting company: its link (printed by seed_demo) works 30 days on,
# so with the README's company-phase clock (1 June 2021). Every event of the company phase is
# before that clock, so the pages computed at it and the stored places agree.
AWAITING_DECLARED_AT = at(5, 25)


def build(campaign: Campaign, accounts: Mapping[str, User], *, now: datetime) -> dict[str, str]:
    """The company phase's demo dossiers; returns the awaiting company's link token, keyed
    "company" (empty when the accounts are not there or the list is already published)."""
    if not all(key in accounts for key in CANDIDATES):
        return {}
    dossiers = {
        key: open_dossier(candidate=accounts[key], campaign=campaign, now=now) for key in CANDIDATES
    }
    if not HostCompany.objects.filter(dossier__in=dossiers.values()).exists():
        if now >= campaign.academic_results_at:
            return {}  # the academic list is published: nobody can be added to it any more
        fresh = [key for key, dossier in dossiers.items() if not dossier.last_name]
        for key in fresh:
            dossiers[key] = _examined(dossiers[key], campaign, accounts, now, CANDIDATES[key])
        _record_academic_list(campaign, accounts, now)
        _play_company_phase(campaign, accounts, dossiers)
    awaiting = HostCompany.objects.filter(
        dossier=dossiers["company_awaiting"], state=HostCompany.State.AWAITING
    ).first()
    if awaiting is None:
        return {}
    return {"company": links.make_token(awaiting, now=AWAITING_DECLARED_AT)}


def _examined(
    dossier: Dossier,
    campaign: Campaign,
    accounts: Mapping[str, User],
    now: datetime,
    who: Candidate,
) -> Dossier:
    """Submitted, checked, scored, admissible, booked on the demo exam day and graded."""
    from admissions.exams.models import Booking, ExamDay, Grade

    complete(dossier, campaign, now=now, last_name=who.last_name, status_sought=who.status)
    dossier.first_name, dossier.birth_date = who.first_name, who.birth_date
    dossier.save(update_fields=["first_name", "birth_date"])
    if who.status == CONTINUING:  # four years as a higher technician, the employer agrees
        dossier.technician_experience_years, dossier.employer_agreement = Decimal("4"), True
        dossier.save(update_fields=["technician_experience_years", "employer_agreement"])
        Experience.objects.get_or_create(
            dossier=dossier,
            employer="Thermique Occitanie",
            defaults={
                "position": "Technicien supérieur en bureau d'études",
                "started_on": date(2016, 9, 1),
                "higher_technician": True,
            },
        )
    pay(dossier, "77", now=now)
    dossier = submit_dossier(dossier=dossier, by=dossier.candidate, now=now)
    officer = accounts["_officer"]
    officer_reviews(
        dossier, officer, now, valid=tuple(dossier.documents.values_list("code", flat=True))
    )
    decide_dossier(dossier=dossier, by=officer, now=now, verdict="recevable", reason="")
    for member, score in zip(
        (accounts["_committee"], accounts["_committee2"]), SCORES, strict=True
    ):
        record_score(
            dossier=dossier, member=member, score=Decimal(score), comment="Projet clair.", now=now
        )
    decide_admissibility(
        dossier=dossier, by=accounts["_school_officer"], admissible=True, comment="", now=now
    )
    day = ExamDay.objects.get(campaign=campaign, date=DEMO_EXAM_DATE)
    Booking.objects.create(dossier=dossier, day=day, booked_at=now, booked_by=dossier.candidate)
    ExamDay.objects.filter(pk=day.pk).update(booked=F("booked") + 1)
    for code, grade in GRADES.items():
        Grade.objects.create(
            dossier=dossier,
            exam_code=code,
            grade=Decimal(grade),
            graded_by=accounts["_jury"],
            graded_at=now,
        )
    return dossier


def _record_academic_list(campaign: Campaign, accounts: Mapping[str, User], now: datetime) -> None:
    """The academic list recorded again: those it admitted and the company phase's candidates
    (R6.4); the others keep their outcome (below the list, eliminated)."""
    from admissions.exams.models import AcademicDecision
    from admissions.exams.services.grading import record_academic_list

    admitted = set(
        AcademicDecision.objects.filter(
            dossier__campaign=campaign, outcome=AcademicDecision.Outcome.ADMITTED
        ).values_list("dossier__reference", flat=True)
    )
    ours = Dossier.objects.filter(
        campaign=campaign, candidate__in=[accounts[k] for k in CANDIDATES]
    )
    chosen = admitted | set(ours.values_list("reference", flat=True))
    record_academic_list(campaign=campaign, by=accounts["_school_officer"], chosen=chosen, now=now)


def _play_company_phase(
    campaign: Campaign, accounts: Mapping[str, User], dossiers: Mapping[str, Dossier]
) -> None:
    """The company phase through its services, in the order of its instants (a confirmation's
    instant is the candidate's place in line, R7.1)."""
    officer = accounts["_school_officer"]

    def declare(key: str) -> Callable[[datetime], None]:
        def step(now: datetime) -> None:
            who = CANDIDATES[key]
            services.declare_company(
                dossier=dossiers[key],
                declaration=services.Declaration(
                    name=f"{who.last_name} Industries",
                    siret=who.siret,
                    sector=who.sector,
                    address="12 avenue Gambetta, 81000 Albi",
                    contract_start=CONTRACT_START,
                    tutor_name=f"Dominique {who.last_name}-Tutelle",
                    tutor_role="Responsable technique",
                    tutor_email=f"tuteur.{key.replace('_', '-')}@entreprise.example",
                    tutor_phone="05 63 00 00 00",
                ),
                by=dossiers[key].candidate,
                now=now,
            )

        return step

    def answer(key: str, *, confirm: bool = True, reason: str = "") -> Callable[[datetime], None]:
        def step(now: datetime) -> None:
            company = _active(dossiers[key])
            services.answer_link(
                company=company,
                nonce=company.token_nonce,
                confirm=confirm,
                contract_start=None,
                reason=reason,
                now=now,
            )

        return step

    def staff_confirms(now: datetime) -> None:
        services.record_confirmation(
            company=_active(dossiers["staff_confirmed"]),
            evidence="Courriel du tuteur du 6 mai 2021 : contrat et date de début confirmés.",
            evidence_file=None,
            by=officer,
            now=now,
        )

    def contract_dated(key: str, signed_on: date) -> Callable[[datetime], None]:
        def step(now: datetime) -> None:
            services.record_contract_date(
                dossier=dossiers[key], signed_on=signed_on, by=officer, now=now
            )

        return step

    def exemption(now: datetime) -> None:
        services.set_age_exemption(
            dossier=dossiers["age_exemption"],
            exempt=True,
            reason="Dérogation légale : travailleur handicapé (attestation vue par l'école).",
            by=officer,
            now=now,
        )

    def withdraws(now: datetime) -> None:
        dossier = dossiers["company_withdrawn"]
        services.withdraw(
            dossier=dossier, by=dossier.candidate, now=now, reason="Autre formation choisie."
        )

    def fraud(now: datetime) -> None:
        services.record_fraud(
            dossier=dossiers["fraud"],
            attempted=False,
            reason="Diplôme falsifié : l'établissement n'a jamais délivré ce DUT.",
            evidence=SimpleUploadedFile(
                "attestation-iut.pdf", demo_pdf("attestation"), "application/pdf"
            ),
            by=officer,
            now=now,
        )

    steps: list[tuple[datetime, Callable[[datetime], None]]] = [
        (at(5, 3), declare("final_admitted")),
        (at(5, 3, 11), declare("company_withdrawn")),
        (at(5, 3, 14), declare("pro_contract")),
        (at(5, 3, 15), declare("sector_mismatch")),
        (at(5, 4, 9), answer("final_admitted")),
        (at(5, 4, 10), answer("company_withdrawn")),
        (at(5, 4, 11), answer("pro_contract")),
        (at(5, 5), answer("sector_mismatch")),
        (at(5, 5, 14), declare("age_exemption")),
        (at(5, 6), answer("age_exemption")),  # over the age limit: not listed yet
        (at(5, 6, 11), declare("staff_confirmed")),
        (at(5, 6, 14), declare("fraud")),
        (at(5, 7), staff_confirms),
        (at(5, 7, 11), answer("fraud")),
        (at(5, 10), declare("company_declined")),
        (at(5, 10, 11), declare("contract_signed")),
        (at(5, 10, 15), exemption),  # now admitted
        (at(5, 11), answer("contract_signed")),
        (at(5, 11, 14), contract_dated("age_exemption", date(2021, 5, 10))),
        (
            at(5, 12),
            answer(
                "company_declined",
                confirm=False,
                reason="Le poste ouvert en alternance a été pourvu en interne.",
            ),
        ),
        (at(5, 17), declare("moved_up")),
        (at(5, 18), answer("moved_up")),  # the five seats are taken: waiting
        (at(5, 18, 14), declare("waiting_list")),
        (at(5, 19), answer("waiting_list")),
        (AWAITING_DECLARED_AT, declare("company_awaiting")),
        (at(5, 26), contract_dated("contract_signed", date(2021, 5, 25))),
        (at(5, 27), fraud),  # moved_up moves up, waiting_list is first in line
        (at(5, 28), withdraws),
    ]
    for instant, step in sorted(steps, key=lambda pair: pair[0]):
        step(instant)


def _active(dossier: Dossier) -> HostCompany:
    company = (
        HostCompany.objects.filter(dossier=dossier, state__in=HostCompany.ACTIVE)
        .select_related("dossier__campaign")
        .get()
    )
    return company
