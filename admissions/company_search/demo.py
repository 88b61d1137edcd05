"""Demo data of the company-search help (R7.3), called by seed_demo; idempotent.

Two training sessions after the academic list's publication (one on site, one remote), the
presentation file for companies (a generated PDF), and one phone advice request from an
academically admitted candidate without a company (made as a row: the demo is built before the
list is published, when the service would refuse it)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from admissions.accounts.models import User
from admissions.campaigns.models import Campaign
from admissions.companies.models import Exclusion, HostCompany
from admissions.company_search import services
from admissions.company_search.models import PhoneAdviceRequest, PresentationFile, TrainingSession
from admissions.core.demo import demo_pdf
from admissions.dossiers.models import Dossier
from admissions.exams.models import AcademicDecision
from admissions.rules import clock as rules_clock

SESSIONS = (
    # (days after the academic list's publication, start, end, remote, place or link, seats)
    (8, time(14), time(17), False, "IMT Mines Albi, campus de Jarlard, salle de conférences", 20),
    (22, time(18), time(20), True, "https://visio.example.org/recherche-entreprise", 30),
)


def build_demo(campaign: Campaign, officer: User, now: datetime) -> None:
    """Sessions, the presentation file and a phone advice request, once."""
    if not TrainingSession.objects.filter(campaign=campaign).exists():
        # After the publication, and after the demo's instant when it is built later.
        published = rules_clock.local_date(
            max(campaign.academic_results_at, now), campaign.time_zone
        )
        for days, start, end, remote, where, seats in SESSIONS:
            day = published + timedelta(days=days)
            services.save_session(
                campaign=campaign,
                details=services.SessionDetails(
                    starts_at=rules_clock.at(day, campaign.time_zone, start),
                    ends_at=rules_clock.at(day, campaign.time_zone, end),
                    remote=remote,
                    place="" if remote else where,
                    link=where if remote else "",
                    capacity=seats,
                    notes="Apportez votre CV et la liste des entreprises déjà contactées.",
                ),
                by=officer,
                now=now,
            )
    if not PresentationFile.objects.filter(campaign=campaign).exists():
        services.upload_presentation_file(
            campaign=campaign,
            upload=SimpleUploadedFile(
                "dossier-presentation.pdf",
                demo_pdf("Dossier de presentation destine aux entreprises"),
                content_type="application/pdf",
            ),
            by=officer,
            now=now,
        )
    if not PhoneAdviceRequest.objects.filter(dossier__campaign=campaign).exists():
        dossier = phone_advice_dossier(campaign)
        if dossier is not None:
            PhoneAdviceRequest.objects.create(
                dossier=dossier,
                phone="06 12 34 56 78",
                preferred_times="En semaine après 17 h",
                requested_at=campaign.academic_results_at + timedelta(hours=9),
            )


def phone_advice_dossier(campaign: Campaign) -> Dossier | None:
    """An academically admitted dossier without any company or exclusion; graded@ (the demo's
    walk-through declares a company with it) only when there is no other."""
    candidates = (
        Dossier.objects.filter(
            campaign=campaign, academic_decision__outcome=AcademicDecision.Outcome.ADMITTED
        )
        .exclude(pk__in=HostCompany.objects.values("dossier"))
        .exclude(pk__in=Exclusion.objects.values("dossier"))
        .select_related("candidate")
        .order_by("reference")
    )
    others = candidates.exclude(candidate__email="graded@demo.example")
    return others.first() or candidates.first()
