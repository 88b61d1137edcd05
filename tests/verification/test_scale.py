"""The back office at scale (issue 11): a page's queries do not grow with the rows it shows,
the dossiers of the campaign or the history of a dossier; no query counts every matching row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admissions.verification.services import review_document
from tests.verification.helpers import (
    IN_WINDOW,
    UNTIL,
    another_submitted,
    make_dossier,
    payment,
    refuse_document,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("verification:queue")


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()


def counts(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT")]


@pytest.mark.parametrize(("page", "read_at_most"), [(1, 501), (10, 501), (11, 1001), (40, 2001)])
def test_the_queue_counts_only_a_little_past_the_page_asked_for(
    client, accounts_by_role, reference_campaign, page, read_at_most
):
    """Paging counts once, at most 501 rows for the first 10 pages (then 500 more every 10
    pages): never Django's plain COUNT(*), so a filter matching 9,000 of 100,000 dossiers
    costs what it costs at 10,000. A cap of 10,000 read every one of those 9,000 rows."""
    client.force_login(accounts_by_role["central_officer"])
    for number in range(3):
        make_dossier(reference_campaign, f"c{number}@example.org", submitted_at=IN_WINDOW)
    client.get(QUEUE)  # the counts per programme are cached from here on

    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUE, {"page": page, "q": "example.org"})

    assert response.context["matching"] == 3
    assert len(counts(captured)) == 1
    assert f"LIMIT {read_at_most})" in counts(captured)[0]


def test_a_queue_page_reads_only_its_own_rows_with_their_columns(
    client, accounts_by_role, reference_campaign
):
    """Page 2 shows the same rows, in the same order, with the same columns, as before the
    page was read in two steps (identifiers, then the rows shown)."""
    client.force_login(accounts_by_role["central_officer"])
    for number in range(53):
        dossier = make_dossier(
            reference_campaign,
            f"c{number}@example.org",
            reference=f"R-{number:03}",
            submitted_at=IN_WINDOW + timedelta(minutes=number),
        )
        if number % 2:
            refuse_document(dossier)
            payment(dossier, "declared")

    response = client.get(QUEUE, {"page": 2})

    rows = [
        (row.record.reference, row.record.to_fix, row.record.payment_declared)
        for row in response.context["table"].paginated_rows
    ]
    assert rows == [("R-050", False, False), ("R-051", True, True), ("R-052", False, False)]


def test_the_dossier_page_costs_the_same_queries_however_long_its_history(
    client, accounts_by_role, reference_campaign, django_assert_max_num_queries
):
    officer = accounts_by_role["central_officer"]
    client.force_login(officer)
    dossier = another_submitted(reference_campaign, "long@example.org")
    url = reverse("verification:dossier", args=[dossier.reference])
    client.get(url)  # warms the campaign's per-revision caches
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(5):
        another_submitted(reference_campaign, f"other{number}@example.org")
    for document in dossier.documents.all():
        for verdict in ("refused", "valid", "refused"):
            review_document(
                document=document,
                by=officer,
                now=IN_WINDOW,
                verdict=verdict,
                reason_text="Illisible" if verdict == "refused" else "",
                replace_until=UNTIL,
            )

    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)

    assert response.status_code == 200
