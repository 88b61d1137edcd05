"""Who reaches the committee's dossiers (R5.1, R9.2): the school's committee, only on the
dossiers the central check forwarded; never another school's; never a candidate."""

from __future__ import annotations

import pytest

from admissions.committee.permissions import (
    can_decide_admissibility,
    can_read_committee_dossier,
    can_score,
    can_set_publication,
)
from admissions.dossiers.permissions import can_view_dossier, dossiers_visible_to
from tests.committee.conftest import forward, submitted_dossier

pytestmark = pytest.mark.django_db


def test_a_committee_member_reads_only_the_dossiers_forwarded_to_the_committee(
    reference_campaign, people, forwarded
):
    submitted_dossier(reference_campaign, "unchecked@example.org")
    forward(
        submitted_dossier(reference_campaign, "refused@example.org"), people["central"], "refused"
    )

    assert list(dossiers_visible_to(people["member"])) == [forwarded]


def test_a_committee_member_of_another_school_reaches_none_of_this_schools_dossiers(
    people, forwarded
):
    other = people["other_member"]

    assert list(dossiers_visible_to(other)) == []
    assert can_view_dossier(other, forwarded) is False
    assert can_read_committee_dossier(other, forwarded) is False
    assert can_score(other, forwarded) is False
    assert can_decide_admissibility(people["other_officer"], forwarded) is False


@pytest.mark.parametrize(
    "who,reads,scores,decides",
    [
        ("member", True, True, False),
        ("officer", True, False, True),
        ("admin", True, False, False),
        ("central", False, False, False),
        ("candidate", False, False, False),
    ],
)
def test_each_role_at_the_committee(people, forwarded, who, reads, scores, decides):
    user = people[who]

    assert (
        can_read_committee_dossier(user, forwarded),
        can_score(user, forwarded),
        can_decide_admissibility(user, forwarded),
    ) == (reads, scores, decides)


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("officer", True),
        ("admin", True),
        ("other_officer", False),
        ("member", False),
        ("central", False),
        ("candidate", False),
    ],
)
def test_who_sets_the_publication_instant(reference_campaign, people, who, allowed):
    assert can_set_publication(people[who], reference_campaign) is allowed


@pytest.mark.parametrize(
    "path",
    [
        "/gestion/commission/{ref}/",
        "/gestion/commission/{ref}/pieces/cv",
    ],
)
def test_committee_pages_of_another_school_answer_404(client, people, forwarded, path):
    client.force_login(people["other_member"])

    response = client.get(path.format(ref=forwarded.reference))

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["avis", "decision"])
def test_posting_to_another_schools_dossier_answers_404_and_records_nothing(
    client, people, forwarded, action
):
    from admissions.committee.models import AdmissibilityDecision, CommitteeScore

    client.force_login(people["other_officer"])

    response = client.post(
        f"/gestion/commission/{forwarded.reference}/{action}",
        {"score": "12", "comment": "x", "admissible": "yes"},
    )

    assert response.status_code == 404
    assert (CommitteeScore.objects.count(), AdmissibilityDecision.objects.count()) == (0, 0)


def test_another_schools_committee_lists_none_of_this_schools_dossiers(client, people, forwarded):
    client.force_login(people["other_member"])

    response = client.get("/gestion/commission/")

    assert response.status_code == 200
    assert forwarded.reference not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/gestion/commission/",
        "/gestion/commission/publication/",
        "/gestion/commission/{ref}/",
        "/gestion/commission/{ref}/pieces/cv",
    ],
)
def test_a_candidate_reaches_none_of_the_committee_pages(client, people, forwarded, path):
    client.force_login(forwarded.candidate)

    response = client.get(path.format(ref=forwarded.reference))

    assert response.status_code == 403


def test_a_committee_member_cannot_move_the_publication_instant(client, people):
    client.force_login(people["member"])

    response = client.get("/gestion/commission/publication/")

    assert response.status_code == 403


def test_another_schools_officer_cannot_open_this_campaigns_publication_page(client, people):
    client.force_login(people["other_officer"])

    response = client.get("/gestion/commission/publication/")

    assert response.status_code == 404
