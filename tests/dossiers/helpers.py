"""Building dossiers in a given state for the tests (through the demo builders, which use the services)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from admissions.core import demo
from admissions.dossiers.services import open_dossier
from admissions.payments.models import Payment

PARIS = ZoneInfo("Europe/Paris")
IN_WINDOW = datetime(2021, 3, 1, 10, 0, tzinfo=PARIS)
AFTER_CLOSE = datetime(2021, 3, 10, 0, 0, tzinfo=PARIS)


def fill_pages(dossier, campaign, now=IN_WINDOW):
    """Every page answered: a French apprentice with a DUT, one formation, the notice read."""
    demo.fill_pages(dossier, campaign, now=now, last_name="Martin")
    return dossier


def upload_everything(dossier, campaign, now=IN_WINDOW):
    demo.upload_everything(dossier, now=now)


def pay(dossier, now=IN_WINDOW):
    Payment.objects.create(dossier=dossier, amount=77, reference="VIR-1", declared_at=now)


def complete_dossier(candidate, campaign, now=IN_WINDOW):
    """A dossier with everything but what comes from referees."""
    dossier = fill_pages(
        open_dossier(candidate=candidate, campaign=campaign, now=now), campaign, now
    )
    upload_everything(dossier, campaign, now)
    pay(dossier, now)
    return dossier


def received_recommendations(dossier, now=IN_WINDOW):
    """Both recommendations received, as referees' answers would leave them."""
    from admissions.referees.models import Recommendation, Referee

    for kind in ("academic", "professional"):
        referee = Referee.objects.create(
            dossier=dossier,
            kind=kind,
            name="Dr Ref",
            role="Prof",
            email=f"{kind}@example.org",
            state="received",
            requested_at=now,
            received_at=now,
        )
        Recommendation.objects.create(referee=referee, submitted_at=now)


def submitted_with_pending_transcript(candidate, campaign, now=IN_WINDOW):
    """A submitted dossier whose first-semester transcript was declared "not yet available"."""
    from admissions.documents.models import Document
    from admissions.documents.services import declare_pending
    from admissions.dossiers.services import submit_dossier

    dossier = complete_dossier(candidate, campaign, now)
    Document.objects.filter(dossier=dossier, code="transcripts_current_year").delete()
    declare_pending(
        dossier=dossier,
        code="transcripts_current_year",
        by=dossier.candidate,
        now=now,
        params=campaign.params(),
    )
    received_recommendations(dossier, now)
    return submit_dossier(dossier=dossier, by=dossier.candidate, now=now)
