"""The check queue (R4, R10.5): filters, search, sorting, paging, counts, scope, query count."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from admissions.dossiers.models import Dossier
from admissions.verification import selectors
from tests.helpers import page_text
from tests.verification.helpers import (
    PARIS,
    check,
    declare_pending,
    make_dossier,
    officer_of_another_school,
    payment,
    refuse_document,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("verification:queue")


def listed(response) -> list[str]:
    """The references of the rows shown, in order."""
    return [row.record.reference for row in response.context["table"].paginated_rows]


@pytest.fixture
def officer(client, accounts_by_role):
    user = accounts_by_role["central_officer"]
    client.force_login(user)
    return user


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2021, 3, day, hour, 0, tzinfo=PARIS)


def test_queue_lists_drafts_and_submitted_dossiers_oldest_submission_first(
    client, officer, reference_campaign
):
    late = make_dossier(
        reference_campaign, "late@example.org", reference="R-LATE", submitted_at=at(5)
    )
    early = make_dossier(
        reference_campaign, "early@example.org", reference="R-EARLY", submitted_at=at(2)
    )
    draft = make_dossier(reference_campaign, "draft@example.org", reference="R-DRAFT")

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert listed(response) == [early.reference, late.reference, draft.reference]


def test_queue_sorts_by_name_when_asked(client, officer, reference_campaign):
    make_dossier(reference_campaign, "b@example.org", reference="R-B", last_name="Bernard")
    make_dossier(reference_campaign, "a@example.org", reference="R-A", last_name="Zola")
    make_dossier(reference_campaign, "c@example.org", reference="R-C", last_name="Adam")

    response = client.get(QUEUE, {"sort": "-name"})

    assert listed(response) == ["R-A", "R-B", "R-C"]


@pytest.mark.parametrize(
    "state,expected",
    [
        ("draft", ["R-DRAFT"]),
        ("unchecked", ["R-NEW"]),
        ("recevable", ["R-OK"]),
        ("refused", ["R-NO"]),
    ],
)
def test_queue_filters_by_check_state(client, officer, reference_campaign, state, expected):
    make_dossier(reference_campaign, "d@example.org", reference="R-DRAFT")
    make_dossier(reference_campaign, "n@example.org", reference="R-NEW", submitted_at=at(2))
    ok = make_dossier(reference_campaign, "o@example.org", reference="R-OK", submitted_at=at(3))
    no = make_dossier(reference_campaign, "r@example.org", reference="R-NO", submitted_at=at(4))
    check(ok, "recevable", officer)
    check(no, "refused", officer, reason="Pièces essentielles manquantes")

    response = client.get(QUEUE, {"state": state})

    assert listed(response) == expected


def test_queue_filters_by_option_status_and_scholarship(client, officer, reference_campaign):
    make_dossier(reference_campaign, "1@example.org", reference="R-1", options=("SENMBA",))
    make_dossier(
        reference_campaign,
        "2@example.org",
        reference="R-2",
        options=("SIMMA", "SENMBA"),
        status_sought=Dossier.StatusSought.APPRENTICESHIP,
        scholarship=True,
    )
    make_dossier(
        reference_campaign,
        "3@example.org",
        reference="R-3",
        options=("SIMMA",),
        status_sought=Dossier.StatusSought.APPRENTICESHIP,
    )
    simma = reference_campaign.programmes.get().options.get(code="SIMMA")

    by_option = client.get(QUEUE, {"option": simma.pk})
    by_status = client.get(QUEUE, {"status_sought": "apprentissage", "sort": "reference"})
    by_scholarship = client.get(QUEUE, {"scholarship_claimed": "yes"})
    by_all = client.get(QUEUE, {"option": simma.pk, "scholarship_claimed": "no"})

    assert sorted(listed(by_option)) == ["R-2", "R-3"]
    assert listed(by_status) == ["R-2", "R-3"]
    assert listed(by_scholarship) == ["R-2"]
    assert listed(by_all) == ["R-3"]


def test_queue_filters_by_programme(client, officer, reference_campaign):
    make_dossier(reference_campaign, "1@example.org", reference="R-1", options=("SENMBA",))
    make_dossier(reference_campaign, "2@example.org", reference="R-2", options=())
    programme = reference_campaign.programmes.get()

    response = client.get(QUEUE, {"programme": programme.pk})

    assert listed(response) == ["R-1"]


def test_queue_filters_by_submission_dates_in_the_campaign_time_zone(
    client, officer, reference_campaign
):
    make_dossier(reference_campaign, "1@example.org", reference="R-1", submitted_at=at(2, 23))
    make_dossier(reference_campaign, "2@example.org", reference="R-2", submitted_at=at(3, 0))
    make_dossier(reference_campaign, "3@example.org", reference="R-3", submitted_at=at(4, 12))

    response = client.get(QUEUE, {"submitted_from": "2021-03-03", "submitted_until": "2021-03-03"})

    assert listed(response) == ["R-2"]


def test_queue_filters_dossiers_with_items_to_fix(client, officer, reference_campaign):
    refused = make_dossier(reference_campaign, "1@example.org", reference="R-1", submitted_at=at(2))
    later = make_dossier(reference_campaign, "2@example.org", reference="R-2", submitted_at=at(3))
    make_dossier(reference_campaign, "3@example.org", reference="R-3", submitted_at=at(4))
    refuse_document(refused)
    declare_pending(later)

    to_fix = client.get(QUEUE, {"to_fix": "yes"})
    complete = client.get(QUEUE, {"to_fix": "no"})

    assert listed(to_fix) == ["R-1", "R-2"]
    assert listed(complete) == ["R-3"]


@pytest.mark.parametrize(
    "state,expected",
    [("confirmed", ["R-PAID"]), ("declared", ["R-DECL"]), ("none", ["R-NONE", "R-REJ"])],
)
def test_queue_filters_by_payment_state(client, officer, reference_campaign, state, expected):
    paid = make_dossier(reference_campaign, "1@example.org", reference="R-PAID", submitted_at=at(2))
    declared = make_dossier(
        reference_campaign, "2@example.org", reference="R-DECL", submitted_at=at(3)
    )
    make_dossier(reference_campaign, "3@example.org", reference="R-NONE", submitted_at=at(4))
    rejected = make_dossier(
        reference_campaign, "4@example.org", reference="R-REJ", submitted_at=at(5)
    )
    payment(paid, "confirmed")
    payment(declared, "declared")
    payment(rejected, "rejected")

    response = client.get(QUEUE, {"payment": state})

    assert listed(response) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("R-FIND", ["R-FIND"]),
        ("r-find", ["R-FIND"]),
        ("dupont", ["R-FIND"]),
        ("Éloïse", ["R-FIND"]),
        ("camille@", ["R-OTHER"]),
    ],
)
def test_queue_searches_by_reference_name_or_email(
    client, officer, reference_campaign, text, expected
):
    make_dossier(
        reference_campaign,
        "eloise@example.org",
        reference="R-FIND",
        last_name="Dupont",
        first_name="Éloïse",
    )
    make_dossier(reference_campaign, "camille@example.org", reference="R-OTHER", last_name="Martin")

    response = client.get(QUEUE, {"q": text})

    assert listed(response) == expected


@pytest.mark.parametrize("accounts_read_first", [50, 1])
def test_queue_searches_every_matching_email_however_many_accounts_match(
    client, officer, reference_campaign, monkeypatch, accounts_read_first
):
    """Up to SEARCH_ACCOUNTS matching accounts are read first; beyond, a subquery: the same
    dossiers either way (the officer's own account matches "example.org" too)."""
    monkeypatch.setattr(selectors, "SEARCH_ACCOUNTS", accounts_read_first)
    for number in range(3):
        make_dossier(reference_campaign, f"found{number}@example.org", reference=f"R-F{number}")
    make_dossier(reference_campaign, "other@example.net", reference="R-OTHER")

    response = client.get(QUEUE, {"q": "example.org"})

    assert sorted(listed(response)) == ["R-F0", "R-F1", "R-F2"]


def test_queue_pages_by_fifty(client, officer, reference_campaign):
    for number in range(51):
        make_dossier(
            reference_campaign,
            f"c{number}@example.org",
            reference=f"R-{number:03}",
            submitted_at=at(2),
        )

    first = client.get(QUEUE)
    second = client.get(QUEUE, {"page": 2})

    assert len(listed(first)) == 50
    assert listed(second) == ["R-050"]
    assert response_matching(first) == 51


def response_matching(response) -> int:
    return response.context["matching"]


def test_queue_counts_dossiers_per_programme_and_state(client, officer, reference_campaign):
    make_dossier(reference_campaign, "1@example.org")
    make_dossier(
        reference_campaign, "2@example.org", submitted_at=at(2), options=("SENMBA", "SIMMA")
    )
    ok = make_dossier(reference_campaign, "3@example.org", submitted_at=at(2))
    make_dossier(reference_campaign, "4@example.org", options=())
    check(ok, "recevable", officer)

    response = client.get(QUEUE)

    counts = [(count.programme, count.cells(), count.total) for count in response.context["counts"]]
    assert counts == [
        (reference_campaign.programmes.get().name, [1, 1, 1, 0], 3),
        ("Aucune formation choisie", [1, 0, 0, 0], 1),
    ]


def test_queue_shows_nothing_of_another_schools_dossiers(client, reference_campaign):
    make_dossier(reference_campaign, "1@example.org", reference="R-HIDDEN", submitted_at=at(2))
    client.force_login(officer_of_another_school())

    response = client.get(QUEUE, {"q": "R-HIDDEN"})

    assert listed(response) == []
    assert response.context["matching"] == 0
    assert [count.total for count in response.context["counts"]] == [0]


@pytest.mark.parametrize("role", ["candidate", "school_officer", "committee_member", "jury_member"])
def test_queue_is_refused_to_other_roles(client, accounts_by_role, role):
    client.force_login(accounts_by_role[role])

    response = client.get(QUEUE)

    assert response.status_code == 403


def test_queue_rows_cost_the_same_queries_for_one_row_or_fifty(
    client, officer, reference_campaign, django_assert_max_num_queries
):
    make_dossier(reference_campaign, "first@example.org", submitted_at=at(2))
    client.get(QUEUE)  # warms the campaign's per-revision caches
    with django_assert_max_num_queries(12) as one_row:
        client.get(QUEUE)
    for number in range(49):
        dossier = make_dossier(
            reference_campaign,
            f"c{number}@example.org",
            submitted_at=at(3),
            options=("SENMBA", "SIMMA"),
        )
        refuse_document(dossier)
        payment(dossier, "confirmed")

    with django_assert_max_num_queries(len(one_row.captured_queries)):
        response = client.get(QUEUE)

    assert len(listed(response)) == 50


def test_queue_shows_a_clear_message_for_a_malformed_filter(client, officer, reference_campaign):
    make_dossier(reference_campaign, "1@example.org")

    response = client.get(QUEUE, {"submitted_from": "pas-une-date", "option": "999999"})

    assert response.status_code == 200
    assert listed(response) == []
    assert "Saisissez une date valide." in page_text(response)


def test_queue_in_english(client, officer, reference_campaign):
    make_dossier(reference_campaign, "1@example.org")

    response = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "<h1>Dossiers to check</h1>" in response.content.decode()


def test_queue_counts_are_kept_per_school_scope(client, officer, reference_campaign):
    make_dossier(reference_campaign, "1@example.org", submitted_at=at(2))
    client.get(QUEUE)  # the central service's counts, now cached
    client.force_login(officer_of_another_school())

    response = client.get(QUEUE)

    assert [count.total for count in response.context["counts"]] == [0]


@pytest.fixture
def short_pages(monkeypatch):
    """Pages of 2 rows and a count that stops 4 rows at a time: a long list in 7 dossiers."""
    from admissions.verification.tables import CappedPaginator
    from admissions.verification.views import queue

    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    monkeypatch.setattr(CappedPaginator, "CAP", 4)


def seven_submitted(campaign) -> list[str]:
    return [
        make_dossier(
            campaign,
            f"c{number}@example.org",
            last_name=f"Nom{number}",
            reference=f"R-{number}",
            submitted_at=at(2),
        ).reference
        for number in range(7)
    ]


def test_queue_stops_counting_past_the_cap(client, officer, reference_campaign, short_pages):
    """The first pages count 5 rows at most (4 and one more), however many match."""
    seven_submitted(reference_campaign)

    response = client.get(QUEUE)

    assert (response.context["capped"], response.context["matching"]) == (True, 5)
    assert listed(response) == ["R-0", "R-1"]
    assert '<h2 id="results">Plus de 4 dossiers correspondent' in page_text(response)


def test_queue_pages_on_past_the_cap_and_counts_further(
    client, officer, reference_campaign, short_pages
):
    """Page 3 (rows 5 and 6) is past the first count: its own count goes to the next 4."""
    references = seven_submitted(reference_campaign)

    third = client.get(QUEUE, {"page": 3})
    fourth = client.get(QUEUE, {"page": 4})

    assert listed(third) == references[4:6]
    assert (third.context["capped"], third.context["matching"]) == (False, 7)
    assert listed(fourth) == ["R-6"]


def test_a_capped_queue_ends_with_the_list_in_reverse_order(
    client, officer, reference_campaign, short_pages
):
    """Past the count, the last page is unknown: "end of the list" is the reverse order."""
    seven_submitted(reference_campaign)

    capped = page_text(client.get(QUEUE, {"sort": "name", "scholarship_claimed": "no"}))
    end = client.get(QUEUE, {"sort": "-name", "scholarship_claimed": "no"})
    counted = page_text(client.get(QUEUE, {"page": 3}))

    assert "Fin de la liste (ordre inverse)" in capped
    assert "Dernière page" not in capped
    assert listed(end) == ["R-6", "R-5"]
    assert "Dernière page" in counted


def test_a_capped_queue_links_its_end_with_the_same_filters(
    client, officer, reference_campaign, short_pages
):
    seven_submitted(reference_campaign)

    response = client.get(QUEUE, {"sort": "name", "scholarship_claimed": "no"})

    assert response.context["from_the_end_query"] == "scholarship_claimed=no&sort=-name"


def test_a_capped_queue_gives_the_background_count_of_a_counted_filter(
    client, officer, reference_campaign, short_pages
):
    """No filter, one state, items to fix: the number last counted in the background, with
    its time; any other filter only "more than"."""
    from admissions.verification.services import recount_campaign

    seven_submitted(reference_campaign)
    counts = recount_campaign(campaign_id=reference_campaign.pk, now=timezone.now())
    assert counts is not None
    time = timezone.localtime(counts.computed_at).strftime("%H:%M")

    everything = client.get(QUEUE)
    unchecked = client.get(QUEUE, {"state": "unchecked"})
    scholarship = client.get(QUEUE, {"scholarship_claimed": "no"})

    heading = f"Plus de 4 dossiers correspondent : 7 au dernier comptage, à {time}"
    assert heading in page_text(everything)
    assert heading in page_text(unchecked)
    assert scholarship.context["counted_matching"] is None
    assert "au dernier comptage" not in page_text(scholarship)


@pytest.mark.parametrize("page", ["0", "-3", "abc", "2.5", "9" * 30])
def test_queue_shows_a_page_for_any_page_number(client, officer, reference_campaign, page):
    """Never a 500: a page number out of range shows the first or the last page."""
    make_dossier(reference_campaign, "a@example.org", reference="R-A", submitted_at=at(2))

    response = client.get(QUEUE, {"page": page})

    assert (response.status_code, listed(response)) == (200, ["R-A"])
