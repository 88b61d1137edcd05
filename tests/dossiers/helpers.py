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


# Another school's upload rules (issue 9): 1.5 MiB, no jpg, a smaller photo.
OTHER_UPLOADS = (
    ("max_bytes = 2_097_152", "max_bytes = 1_572_864"),
    ('allowed_formats = ["jpeg", "png", "pdf"]', 'allowed_formats = ["png", "pdf"]'),
    ('photo_formats = ["jpeg", "png"]', 'photo_formats = ["png"]'),
    ("photo_max_width = 900", "photo_max_width = 600"),
    ("photo_max_height = 900", "photo_max_height = 800"),
)


def campaign_with_other_uploads():
    """The reference campaign file with OTHER_UPLOADS in its [uploads] section, loaded."""
    from admissions.campaigns.schema import load_campaign_file
    from admissions.campaigns.services import load_campaign
    from tests.conftest import REFERENCE_FILE

    text = REFERENCE_FILE.read_text(encoding="utf-8")
    for before, after in OTHER_UPLOADS:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    campaign, _changed = load_campaign(load_campaign_file(text), source_text=text)
    return campaign
