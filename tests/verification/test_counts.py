"""The campaign's counts (R8.3 funnel, R10.5 counts per programme) are counted in the
background into CampaignCounts: a page reads them in a few queries whatever the number of
dossiers, shows when they were counted, and queues a recount when they are stale."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from admissions.verification.models import CampaignCounts
from admissions.verification.services import recount_campaign
from tests.verification.helpers import check, make_dossier, refuse_document
from tests.verification.test_funnel import AT

pytestmark = pytest.mark.django_db

FUNNEL, QUEUE = reverse("statistics:funnel"), reverse("verification:queue")


@pytest.fixture
def dummy_tasks(settings):
    """Tasks are recorded, not run: what a page queues can be seen, and nothing counts."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


@pytest.fixture
def officer(client, accounts_by_role):
    user = accounts_by_role["central_officer"]
    client.force_login(user)
    return user


def submitted(campaign, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        make_dossier(campaign, f"c{number}@example.org", submitted_at=AT, options=("SIMMA",))


def recount(campaign, at=None) -> CampaignCounts:
    counts = recount_campaign(campaign_id=campaign.pk, now=at or timezone.now())
    assert counts is not None
    return counts


def recounts_queued(backend) -> int:
    return sum(1 for result in backend.results if result.task.name == "recount_campaign")


def test_the_recount_stores_what_the_funnel_and_the_queue_show(client, officer, reference_campaign):
    submitted(reference_campaign, 2)
    recevable = make_dossier(reference_campaign, "ok@example.org", submitted_at=AT)
    check(recevable, "recevable", officer)
    make_dossier(reference_campaign, "draft@example.org", options=())

    counts = recount(reference_campaign)

    funnel = counts.counts["funnel"]
    assert funnel["total"]["started"] == 4
    assert funnel["total"]["submitted"] == 3
    assert funnel["total"]["recevable"] == 1
    assert funnel["by_option"]["none"]["started"] == 1
    page = client.get(QUEUE)
    assert [(row.programme, row.cells()) for row in page.context["counts"]][-1] == (
        "Aucune formation choisie",
        [1, 0, 0, 0],
    )
    assert sum(row.total for row in page.context["counts"]) == 4
    assert page.context["counted_at"] == counts.computed_at
    assert client.get(FUNNEL).context["funnel"].total.submitted == 3


def test_a_page_never_counts_the_dossiers_itself(client, officer, reference_campaign, dummy_tasks):
    """Same number of queries with 3 dossiers or 23, none of them a grouped count."""
    submitted(reference_campaign, 3)
    recount(reference_campaign)
    client.get(FUNNEL), client.get(QUEUE)  # warms the per-process caches of the campaign
    with CaptureQueriesContext(connection) as few:
        assert client.get(FUNNEL).status_code == 200
        assert client.get(QUEUE).status_code == 200
    submitted(reference_campaign, 20, start=3)
    recount(reference_campaign)
    with CaptureQueriesContext(connection) as many:
        funnel = client.get(FUNNEL)
        client.get(QUEUE)

    assert len(many) == len(few)
    assert not [q["sql"] for q in many.captured_queries if "GROUP BY" in q["sql"]]
    assert funnel.context["funnel"].total.submitted == 23
    assert recounts_queued(dummy_tasks) == 0  # fresh counts: nothing to queue


def test_stale_counts_are_shown_and_a_recount_is_queued_once(
    client, officer, reference_campaign, dummy_tasks
):
    submitted(reference_campaign, 2)
    recount(reference_campaign, at=timezone.now() - timedelta(minutes=2))
    submitted(reference_campaign, 1, start=2)

    first = client.get(FUNNEL)
    client.get(QUEUE)

    assert first.context["funnel"].total.submitted == 2  # the last counts, not a count now
    assert recounts_queued(dummy_tasks) == 1  # one per minute and process, not per page


def test_stale_counts_are_counted_again_by_the_queued_task(client, officer, reference_campaign):
    """With the immediate backend of the tests, the queued recount runs at once."""
    submitted(reference_campaign, 2)
    old = recount(reference_campaign, at=timezone.now() - timedelta(minutes=2))
    submitted(reference_campaign, 1, start=2)

    client.get(FUNNEL)

    counts = CampaignCounts.objects.get(campaign=reference_campaign)
    assert counts.computed_at > old.computed_at
    assert counts.counts["funnel"]["total"]["submitted"] == 3
    assert client.get(FUNNEL).context["funnel"].total.submitted == 3


def test_before_the_first_count_the_page_says_so(client, officer, reference_campaign, dummy_tasks):
    submitted(reference_campaign, 2)

    response = client.get(FUNNEL)

    assert response.status_code == 200
    assert response.context["funnel"].total.submitted == 0
    assert "Chiffres en cours de calcul" in response.content.decode()
    assert "<table" not in response.content.decode()  # no zeros shown as if counted
    assert recounts_queued(dummy_tasks) == 1
    queue = client.get(QUEUE).content.decode()
    assert "Chiffres en cours de calcul" in queue
    assert "Nombre de dossiers par formation" not in queue


def test_the_page_says_when_it_was_counted(client, officer, reference_campaign):
    recount(reference_campaign)

    response = client.get(QUEUE)

    local = timezone.localtime(response.context["counted_at"])
    assert f"Chiffres comptés à {local:%H:%M}" in response.content.decode()


def test_a_recount_asked_before_the_last_count_is_skipped(reference_campaign):
    counted = recount(reference_campaign)
    submitted(reference_campaign, 1)

    again = recount_campaign(
        campaign_id=reference_campaign.pk,
        now=timezone.now(),
        requested_at=counted.computed_at - timedelta(seconds=1),
    )

    assert again == counted
    assert again is not None
    assert again.counts["funnel"]["total"]["started"] == 0


def test_the_command_counts_every_campaign(reference_campaign):
    submitted(reference_campaign, 2)

    call_command("recount_campaigns")

    counts = CampaignCounts.objects.get(campaign=reference_campaign)
    assert counts.counts["funnel"]["total"]["submitted"] == 2


def test_the_recount_stores_how_many_dossiers_each_counted_filter_matches(
    officer, reference_campaign
):
    """What the queue's heading gives once its own count stops: no filter, each state alone,
    items to fix or not."""
    submitted(reference_campaign, 2)
    refused = make_dossier(reference_campaign, "ko@example.org", submitted_at=AT)
    check(refused, "refused", officer, reason="Pièces manquantes")
    refuse_document(make_dossier(reference_campaign, "fix@example.org", submitted_at=AT))
    make_dossier(reference_campaign, "draft@example.org", options=())

    matching = recount(reference_campaign).counts["matching"]

    assert matching == {
        "": 5,
        "state=draft": 1,
        "state=unchecked": 3,
        "state=recevable": 0,
        "state=refused": 1,
        "to_fix=yes": 1,
        "to_fix=no": 4,
    }
