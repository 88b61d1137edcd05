"""Issue 9: `Dossier.status` is renamed `status_sought` (R3.1, R3.2), with no change of behaviour.

The status page posts `status_sought`, submission freezes it under that key, and the rename
keeps every answer already stored."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from admissions.campaigns.models import Campaign
from admissions.core.access import draft_field_filter
from admissions.dossiers.models import Dossier
from admissions.dossiers.services import open_dossier, submit_dossier
from admissions.referees.models import Recommendation, Referee
from tests.dossiers.helpers import IN_WINDOW, complete_dossier


@pytest.fixture
def candidate_client(client: Client, accounts_by_role, settings) -> Client:
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(accounts_by_role["candidate"])
    return client


@pytest.mark.django_db
def test_the_status_page_names_its_choice_status_sought(
    candidate_client: Client, reference_campaign: Campaign
):
    url = reverse("dossiers:page", args=["statut"])

    page = candidate_client.get(url).content.decode()
    response = candidate_client.post(url, {"status_sought": "formation_continue"})

    assert re.findall(r'type="radio" name="([a-z_]+)"', page) == ["status_sought"] * 3
    assert response.status_code == 302
    assert Dossier.objects.get().status_sought == Dossier.StatusSought.CONTINUING_EDUCATION


@pytest.mark.django_db
def test_the_submission_snapshot_keeps_the_status_sought_under_its_new_key(
    reference_campaign: Campaign, accounts_by_role
):
    """R3.7: snapshots written from now on say `status_sought`; older ones said `status`."""
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    for kind in ("academic", "professional"):
        referee = Referee.objects.create(
            dossier=dossier,
            kind=kind,
            name="Dr Ref",
            role="Prof",
            email=f"{kind}@example.org",
            state="received",
            requested_at=IN_WINDOW,
            received_at=IN_WINDOW,
        )
        Recommendation.objects.create(referee=referee, submitted_at=IN_WINDOW)

    submitted = submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)

    assert submitted.snapshot is not None
    assert (submitted.snapshot["status_sought"], "status" in submitted.snapshot) == (
        "apprentissage",
        False,
    )


@pytest.mark.django_db(transaction=True)
def test_the_rename_migration_keeps_the_answers_already_stored(
    reference_campaign: Campaign, accounts_by_role
):
    dossier = open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )
    dossier.status_sought = Dossier.StatusSought.PROFESSIONALISATION
    dossier.save()
    before = [("dossiers", "0002_add_dossier_reminder")]
    after = [("dossiers", "0003_rename_status_to_status_sought")]

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM dossiers_dossier WHERE id = %s", [dossier.pk])
        stored_before = cursor.fetchone()[0]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    # Back to the latest state of every app: migrations of other apps that depend on the
    # dossiers' later ones were rolled back with them, and the next tests need them.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert stored_before == "contrat_professionnalisation"
    assert Dossier.objects.get(pk=dossier.pk).status_sought == "contrat_professionnalisation"


def test_a_status_page_posted_after_the_session_expired_keeps_status_sought() -> None:
    """R9.4, issue 10: the kept draft takes the page's own fields, under their new name."""
    allowed = draft_field_filter(reverse("dossiers:page", args=["statut"]))

    assert allowed is not None
    assert (allowed("status_sought"), allowed("status")) == (True, False)
