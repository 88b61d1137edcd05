"""submit_dossier, called directly (R3.7, R1.6): refusals, once only, its cost, the close."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from admissions.accounts.models import User
from admissions.audit.models import AuditEntry
from admissions.campaigns.models import Campaign
from admissions.campaigns.services import extend_window
from admissions.dossiers.models import Dossier, Experience
from admissions.dossiers.services import DossierError, open_dossier, submit_dossier
from tests.dossiers.helpers import (
    AFTER_CLOSE,
    IN_WINDOW,
    complete_dossier,
    received_recommendations,
)

pytestmark = pytest.mark.django_db


def test_submit_dossier_is_refused_when_incomplete(reference_campaign, accounts_by_role):
    dossier = open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )

    with pytest.raises(DossierError) as refusal:
        submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)

    assert str(refusal.value.message) == "Votre dossier ne peut pas encore être déposé."
    assert [reason.data["page"] for reason in refusal.value.reasons] == [
        "identite",
        "statut",
        "formations",
        "parcours",
        "pieces",
        "recommandations",
        "motivation",
        "frais",
    ]
    dossier.refresh_from_db()
    assert (dossier.state, dossier.snapshot, dossier.submitted_at) == (
        Dossier.State.DRAFT,
        None,
        None,
    )


def test_submit_dossier_happens_once_and_sends_one_receipt(
    reference_campaign, accounts_by_role, django_capture_on_commit_callbacks
):
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)

    with django_capture_on_commit_callbacks(execute=True):
        first = submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)
        second = submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)

    assert first.state == second.state == Dossier.State.SUBMITTED
    assert first.submitted_at == second.submitted_at == IN_WINDOW
    assert AuditEntry.objects.filter(action="dossiers.dossier.submitted").count() == 1
    assert first.snapshot["identity"]["last_name"] == "Martin"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    assert mail.outbox[0].attachments[0][1][:5] == b"%PDF-"


@pytest.mark.parametrize("experiences", [0, 3])
def test_submission_reads_each_relation_once_however_long_the_dossier(
    reference_campaign, accounts_by_role, experiences, django_assert_max_num_queries
):
    """The checks and the snapshot read what the dossier holds once (the deadline rush)."""
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)
    for number in range(experiences):
        Experience.objects.create(
            dossier=dossier,
            employer=f"Entreprise {number}",
            position="Technicienne",
            started_on=date(2019, 1, 1),
            higher_technician=True,
        )

    # lock, dossier with campaign and account, 7 relations (+ the options of the choices),
    # referees' answers, update, audit, task, the row read back; savepoints on SQLite
    with django_assert_max_num_queries(20):
        submitted = submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)

    assert len(submitted.snapshot["experiences"]) == experiences


def test_submit_dossier_is_refused_after_the_close(reference_campaign, accounts_by_role):
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)

    with pytest.raises(DossierError) as refusal:
        submit_dossier(dossier=dossier, by=dossier.candidate, now=AFTER_CLOSE)

    assert refusal.value.reasons[0].fr == (
        "Dépôt des candidatures : clos depuis le 9 mars 2021 à minuit (Europe/Paris)."
    )
    assert len(refusal.value.reasons) == 1
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.DRAFT


def test_an_extension_for_one_candidate_lets_only_that_candidate_submit_late(
    reference_campaign, accounts_by_role
):
    """R1.6: staff extend the window for one candidate (an outage on their last evening)."""
    late = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(late)
    other = complete_dossier(
        User.objects.create_user("other@example.org", "pw"), reference_campaign
    )
    received_recommendations(other)
    extend_window(
        campaign=reference_campaign,
        window="applications",
        reason="Panne le 9 mars au soir",
        closes_at=datetime(2021, 3, 11, 0, 0, tzinfo=ZoneInfo("Europe/Paris")),
        candidate_ref=late.reference,
    )
    late.campaign = other.campaign = Campaign.objects.get(pk=reference_campaign.pk)

    submit_dossier(dossier=late, by=late.candidate, now=AFTER_CLOSE)
    with pytest.raises(DossierError):
        submit_dossier(dossier=other, by=other.candidate, now=AFTER_CLOSE)

    assert Dossier.objects.get(pk=late.pk).state == Dossier.State.SUBMITTED
    assert Dossier.objects.get(pk=other.pk).state == Dossier.State.DRAFT
