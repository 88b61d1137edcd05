"""Demo data of the pre-entry checklist (R7.4): four candidates admitted for good through the
real company phase (declared, confirmed by the company, placed by the rules core), their
checklists in different states. Called by ONE line of seed_demo; idempotent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile

from admissions.accounts.models import User
from admissions.campaigns.models import Campaign
from admissions.companies import selectors as company_selectors
from admissions.companies.models import ListPlace
from admissions.companies.services import Declaration, answer_link, declare_company
from admissions.core import demo
from admissions.dossiers.services import open_dossier
from admissions.exams.models import AcademicDecision
from admissions.preentry.services import (
    record_contract_validation,
    review_document,
    upload_document,
)

PARIS = ZoneInfo("Europe/Paris")
# The company confirmations, then the checklist's work, in the summer before training. The
# confirmations come before the README's company-phase clock (1 June), so that the list the pages
# compute at it is the one stored, and after the company phase demo's own (3 to 28 May).
CONFIRMED_AT = datetime(2021, 5, 31, 10, 0, tzinfo=PARIS)
SUMMER = datetime(2021, 8, 30, 10, 0, tzinfo=PARIS)

# (email, last name, nationality, state of the checklist)
CANDIDATES = (
    ("entree-a-faire@demo.example", "Arnaud", "FR", "nothing"),
    ("entree-a-verifier@demo.example", "Bernard", "FR", "sent"),
    ("entree-refusee@demo.example", "Chevalier", "MA", "refused"),
    ("entree-complete@demo.example", "Durand", "FR", "complete"),
)
LABELS = {
    "nothing": "admis définitif, aucune pièce envoyée (admission conditionnelle, JDC demandée)",
    "sent": "admis définitif, diplôme et JDC envoyés, à vérifier",
    "refused": "admis définitif, diplôme refusé (à remplacer), JDC non demandée",
    "complete": "admis définitif, diplôme et JDC acceptés, contrat validé par MidiSup",
}


def _pdf(title: str) -> ContentFile:
    return ContentFile(demo.demo_pdf(title), name=f"{title}.pdf")


def demo_preentry(
    campaign: Campaign, accounts: Mapping[str, User], *, password: str
) -> list[tuple[str, str]]:
    """The four candidates and their checklists; returns seed_demo's (email, label) rows."""
    officer = accounts["_school_officer"]
    rows = []
    for number, (email, last_name, nationality, state) in enumerate(CANDIDATES):
        rows.append((email, f"Candidat(e) : {LABELS[state]}"))
        user, created = User.objects.get_or_create(email=email)
        if created:
            user.set_password(password)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        submitted_at = campaign.applications_closes_at - timedelta(days=2)
        dossier = open_dossier(
            candidate=user, campaign=campaign, now=submitted_at - timedelta(days=7)
        )
        if ListPlace.objects.filter(dossier=dossier).exists():
            continue  # built by an earlier run
        demo.fill_pages(
            dossier, campaign, now=submitted_at, last_name=last_name, nationality=nationality
        )
        dossier.state, dossier.submitted_at = dossier.State.SUBMITTED, submitted_at
        dossier.save(update_fields=["state", "submitted_at"])
        AcademicDecision.objects.get_or_create(
            dossier=dossier,
            defaults={
                "outcome": AcademicDecision.Outcome.ADMITTED,
                "decided_by": officer,
                "decided_at": campaign.academic_results_at,
                "published_at": campaign.academic_results_at,
            },
        )
        confirmed_at = CONFIRMED_AT + timedelta(hours=number)
        company = declare_company(
            dossier=dossier,
            declaration=Declaration(
                name=f"{last_name} Industrie SAS",
                siret="73282932000074",
                # A sector of the candidate's option: the demo flags no mismatch here.
                sector=next(
                    sector.code
                    for sector in company_selectors.campaign_sectors(campaign)
                    if not company_selectors.sector_mismatch(dossier, sector.code)
                ),
                address="1 avenue de l'Industrie, 81000 Albi",
                contract_start=date(2021, 9, 1),
                tutor_name="Dominique Tuteur",
                tutor_role="Responsable de production",
                tutor_email=f"tuteur-{number}@entreprise.demo.example",
                tutor_phone="05 63 00 00 00",
            ),
            by=user,
            now=confirmed_at,
        )
        answer_link(
            company=company,
            nonce=company.token_nonce,
            confirm=True,
            contract_start=None,
            now=confirmed_at + timedelta(minutes=5),
        )
        _checklist(dossier, campaign, user, officer, state)
    return rows


def _checklist(dossier, campaign: Campaign, user: User, officer: User, state: str) -> None:
    params = campaign.params()
    if state == "nothing":
        return
    kinds = ["diploma"] + (["jdc"] if dossier.nationality == "FR" else [])
    documents = [
        upload_document(
            dossier=dossier,
            kind=kind,
            upload=_pdf(f"{kind}-{dossier.last_name}"),
            by=user,
            now=SUMMER,
            params=params,
        )
        for kind in kinds
    ]
    if state == "refused":
        review_document(
            dossier=dossier,
            kind="diploma",
            accept=False,
            reason="Copie illisible : la mention du diplôme n'apparaît pas. Envoyez un scan net.",
            version=documents[0].version,
            seen=documents[0].review,
            by=officer,
            now=SUMMER + timedelta(hours=2),
        )
    elif state == "complete":
        for document in documents:
            review_document(
                dossier=dossier,
                kind=document.kind,
                accept=True,
                reason="",
                version=document.version,
                seen=document.review,
                by=officer,
                now=SUMMER + timedelta(hours=2),
            )
        record_contract_validation(
            dossier=dossier,
            validated_on=SUMMER.date(),
            note="Courriel de MidiSup du 30 août 2021",
            evidence=None,
            by=officer,
            now=SUMMER + timedelta(hours=3),
            params=params,
        )
