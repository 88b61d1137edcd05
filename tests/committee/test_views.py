"""The committee's pages (R5.1): the queue, the dossier with the recommendations' contents and
the scores side by side, the score and decision forms, the publication page (R5.2)."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from admissions.campaigns.models import Campaign
from admissions.committee.models import AdmissibilityDecision, CommitteeScore
from admissions.committee.services import decide_admissibility, record_score
from admissions.referees.models import Recommendation, Referee
from tests.committee.conftest import AFTER, BEFORE, PARIS, forward, submitted_dossier
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def table_rows(page: str, table_id: str) -> list[list[str]]:
    """The text of each body row of the table ``table_id``, cell by cell."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def three(reference_campaign, people, forwarded, clock_at):
    """Three forwarded dossiers: one scored by the member, one decided, one untouched."""
    clock_at(BEFORE)
    second = forward(
        submitted_dossier(reference_campaign, "second@example.org", "Second"), people["central"]
    )
    third = forward(
        submitted_dossier(reference_campaign, "third@example.org", "Third"), people["central"]
    )
    record_score(
        dossier=forwarded, member=people["member"], score=Decimal("15"), comment="", now=BEFORE
    )
    decide_admissibility(
        dossier=second, by=people["officer"], admissible=True, comment="", now=BEFORE
    )
    return forwarded, second, third


def test_queue_lists_the_forwarded_dossiers_with_counts(client, people, three):
    first, second, third = three
    client.force_login(people["member"])

    page = page_text(client.get("/gestion/commission/"))

    assert [row[0] for row in table_rows(page, "committee-queue")] == [
        first.reference,
        second.reference,
        third.reference,
    ]
    counts = re.search(r'<p id="queue-counts">(.*?)</p>', page, re.S).group(1)
    assert counts == (
        "3 dossiers transmis par le service central ; vous en avez noté 1 ; 1 décidés."
    )


@pytest.mark.parametrize(
    "query,expected",
    [
        ("?mine=scored", [0]),
        ("?mine=unscored", [1, 2]),
        ("?decision=decided", [1]),
        ("?decision=undecided", [0, 2]),
        ("?mine=unscored&decision=undecided", [2]),
        ("?mine=nonsense", [0, 1, 2]),
    ],
)
def test_queue_filters(client, people, three, query, expected):
    client.force_login(people["member"])

    page = page_text(client.get("/gestion/commission/" + query))

    assert [row[0] for row in table_rows(page, "committee-queue")] == [
        three[index].reference for index in expected
    ]


def test_queue_links_the_next_dossier_to_score(client, people, three):
    client.force_login(people["member"])

    page = page_text(client.get("/gestion/commission/"))

    link = re.search(r'href="([^"]+)" id="next-to-score"', page).group(1)
    assert link == f"/gestion/commission/{three[2].reference}/"


@pytest.mark.parametrize("rows", [1, 3])
def test_queue_queries_do_not_grow_with_rows(
    client, people, reference_campaign, django_assert_num_queries, rows, clock_at
):
    clock_at(BEFORE)
    for index in range(rows):
        forward(submitted_dossier(reference_campaign, f"c{index}@example.org"), people["central"])
    client.force_login(people["member"])
    client.get("/gestion/commission/")  # warm the campaign's per-revision cache

    with django_assert_num_queries(9):
        client.get("/gestion/commission/")


def test_dossier_page_shows_the_recommendations_contents_scores_and_history(
    client, people, forwarded, clock_at
):
    clock_at(BEFORE)
    referee = Referee.objects.create(
        dossier=forwarded,
        kind="academic",
        name="Dr Ref",
        role="Professeur",
        email="ref@example.org",
        state="received",
        requested_at=BEFORE,
        received_at=BEFORE,
    )
    Recommendation.objects.create(
        referee=referee,
        acquaintance="Deux ans en cours.",
        strengths="Rigueur remarquable.",
        improvements="Anglais.",
        opinion="very_favourable",
        submitted_at=BEFORE,
    )
    record_score(
        dossier=forwarded, member=people["member"], score=Decimal("14"), comment="Bien.", now=BEFORE
    )
    record_score(
        dossier=forwarded, member=people["member2"], score=Decimal("16.5"), comment="", now=BEFORE
    )
    client.force_login(people["member"])

    page = page_text(client.get(f"/gestion/commission/{forwarded.reference}/"))

    assert "<dd>Rigueur remarquable.</dd>" in page
    assert "<dd>Très favorable</dd>" in page
    assert table_rows(page, "committee-scores") == [
        ["member@school.example (vous)", "14", "Bien.", "15 mars 2021 à 10 h"],
        ["member2@school.example", "16,50", "—", "15 mars 2021 à 10 h"],
    ]
    assert [row[2] for row in table_rows(page, "committee-history")] == [
        "Dossier ouvert",
        "Avis d'un membre de la commission",
        "Avis d'un membre de la commission",
    ]


def test_a_member_scores_and_goes_to_the_next_dossier(client, people, three):
    first, _second, third = three
    client.force_login(people["member2"])

    response = client.post(
        f"/gestion/commission/{first.reference}/avis",
        {"score": "12,5", "comment": "Motivé.", "next": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/gestion/commission/{third.reference}/"
    score = CommitteeScore.objects.get(member=people["member2"])
    assert (score.dossier, score.score, score.comment) == (first, Decimal("12.5"), "Motivé.")


def test_a_score_out_of_range_is_refused_with_the_form_kept(client, people, forwarded, clock_at):
    clock_at(BEFORE)
    client.force_login(people["member"])

    response = client.post(
        f"/gestion/commission/{forwarded.reference}/avis", {"score": "25", "comment": "Trop."}
    )

    assert response.status_code == 400
    page = page_text(response)
    summary = re.search(r'id="error-summary">.*?<li><a href="#id_score">(.*?)</a>', page, re.S)
    assert summary.group(1).split(maxsplit=3)[3] == (
        "Assurez-vous que cette valeur est inférieure ou égale à 20."
    )
    assert re.search(r'<textarea name="comment"[^>]*>\s*(.*?)</textarea>', page).group(1) == "Trop."
    assert CommitteeScore.objects.count() == 0


def test_the_officer_records_the_decision(client, people, forwarded, clock_at):
    clock_at(BEFORE)
    client.force_login(people["officer"])

    response = client.post(
        f"/gestion/commission/{forwarded.reference}/decision",
        {"admissible": "no", "comment": "Projet professionnel flou."},
    )

    assert response.status_code == 302
    decision = AdmissibilityDecision.objects.get()
    assert (decision.admissible, decision.comment, decision.decided_by) == (
        False,
        "Projet professionnel flou.",
        people["officer"],
    )


def test_a_refusal_without_reason_is_refused_and_records_nothing(
    client, people, forwarded, clock_at
):
    clock_at(BEFORE)
    client.force_login(people["officer"])

    response = client.post(
        f"/gestion/commission/{forwarded.reference}/decision", {"admissible": "no", "comment": ""}
    )

    assert response.status_code == 302
    page = page_text(client.get(response["Location"]))
    assert "Indiquez le motif de la non-admissibilité." in page
    assert AdmissibilityDecision.objects.count() == 0


def test_a_stale_decision_form_says_who_decided_and_records_nothing_twice(
    client, people, forwarded, clock_at
):
    clock_at(BEFORE)
    second_officer = people["officer"].__class__.objects.create_user("o2@school.example", "x")
    second_officer.role_grants.create(role="school_officer", school=forwarded.campaign.school)
    decide_admissibility(
        dossier=forwarded, by=second_officer, admissible=True, comment="", now=BEFORE
    )
    client.force_login(people["officer"])  # their page still shows the form

    response = client.post(
        f"/gestion/commission/{forwarded.reference}/decision",
        {"admissible": "no", "comment": "Non."},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "La décision sur ce dossier a déjà été enregistrée par o2@school.example "
        "le 15 mars 2021 à 10 h : elle est définitive."
    ]
    assert list(AdmissibilityDecision.objects.values_list("admissible", flat=True)) == [True]


def test_a_decision_after_publication_is_refused(client, people, forwarded, clock_at):
    clock_at(AFTER)
    client.force_login(people["officer"])

    response = client.post(
        f"/gestion/commission/{forwarded.reference}/decision",
        {"admissible": "yes", "comment": ""},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        "Les résultats d'admissibilité sont publiés depuis le 24 mars 2021 à 0 h : "
        "les décisions sont définitives."
    ]
    assert AdmissibilityDecision.objects.count() == 0


def test_after_publication_a_member_finds_no_score_form_and_a_stale_one_records_nothing(
    client, people, forwarded, clock_at
):
    clock_at(AFTER)
    client.force_login(people["member"])

    page = page_text(client.get(f"/gestion/commission/{forwarded.reference}/"))
    response = client.post(
        f"/gestion/commission/{forwarded.reference}/avis",
        {"score": "12", "comment": "Bien."},
        follow=True,
    )

    assert "Votre avis" not in page
    assert "plus aucune décision ne peut être enregistrée" in page
    assert [str(message) for message in response.context["messages"]] == [
        "Les résultats d'admissibilité sont publiés depuis le 24 mars 2021 à 0 h : "
        "les décisions sont définitives."
    ]
    assert CommitteeScore.objects.count() == 0


def test_a_member_sees_no_decision_form_and_the_officer_no_score_form(
    client, people, forwarded, clock_at
):
    clock_at(BEFORE)
    client.force_login(people["member"])
    member_page = page_text(client.get(f"/gestion/commission/{forwarded.reference}/"))
    client.force_login(people["officer"])
    officer_page = page_text(client.get(f"/gestion/commission/{forwarded.reference}/"))

    assert (
        'id="score-form-title"' in member_page,
        'id="decision-form-title"' in member_page,
        'id="score-form-title"' in officer_page,
        'id="decision-form-title"' in officer_page,
    ) == (True, False, False, True)


def test_the_officer_moves_the_publication_instant(client, people, reference_campaign, clock_at):
    clock_at(BEFORE)
    client.force_login(people["officer"])

    response = client.post(
        "/gestion/commission/publication/",
        {"at": "2021-03-22T18:00", "reason": "Commission avancée."},
    )

    assert response.status_code == 302
    campaign = Campaign.objects.get(pk=reference_campaign.pk)
    assert campaign.admissibility_results_at == datetime(2021, 3, 22, 18, 0, tzinfo=PARIS)


def test_the_publication_page_refuses_an_instant_out_of_the_calendar(
    client, people, reference_campaign, clock_at
):
    clock_at(BEFORE)
    client.force_login(people["officer"])

    response = client.post(
        "/gestion/commission/publication/", {"at": "2021-04-01T10:00", "reason": "Essai."}
    )

    assert response.status_code == 400
    assert (
        "La publication doit avoir lieu entre la clôture des candidatures (9 mars 2021 à minuit) "
        "et l'ouverture du choix du jour d'épreuves (24 mars 2021 à 0 h)."
    ) in page_text(response)
    campaign = Campaign.objects.get(pk=reference_campaign.pk)
    assert campaign.admissibility_results_at == datetime(2021, 3, 24, 0, 0, tzinfo=PARIS)


def test_the_publication_page_has_no_form_once_published(client, people, clock_at):
    clock_at(AFTER)
    client.force_login(people["officer"])

    page = page_text(client.get("/gestion/commission/publication/"))

    state = re.search(r'id="publication-state"><p>(.*?)</p>', page, re.S).group(1)
    assert state == (
        "Résultats publiés depuis le 24 mars 2021 à 0 h : les décisions sont définitives "
        "et la date ne peut plus changer."
    )
    assert 'name="reason"' not in page


def test_the_committee_pages_in_english(client, people, forwarded, clock_at):
    from admissions.campaigns.models import Option
    from admissions.dossiers.models import FormationChoice

    clock_at(BEFORE)
    option = Option.objects.filter(programme__campaign=forwarded.campaign).first()
    FormationChoice.objects.create(dossier=forwarded, option=option, rank=1)
    client.force_login(people["officer"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    queue = page_text(client.get("/gestion/commission/"))
    dossier = page_text(client.get(f"/gestion/commission/{forwarded.reference}/"))

    assert re.findall(r"<h1>(.*?)</h1>", queue) == ["Admissibility committee"]
    assert re.findall(r'<h3 class="fr-h5" id="decision-form-title">(.*?)</h3>', dossier) == [
        "Record the committee's decision"
    ]
    programme = option.programme
    assert programme.name_en and programme.name_en in dossier  # the campaign file's English name
    assert programme.name not in dossier


def test_a_stale_score_form_after_the_decision_says_so_and_records_nothing(
    client, people, forwarded, clock_at
):
    clock_at(BEFORE)
    decide_admissibility(
        dossier=forwarded, by=people["officer"], admissible=True, comment="", now=BEFORE
    )
    client.force_login(people["member"])  # their page still shows the score form

    response = client.post(
        f"/gestion/commission/{forwarded.reference}/avis",
        {"score": "12", "comment": ""},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        "La décision sur ce dossier a déjà été enregistrée par officer@school.example "
        "le 15 mars 2021 à 10 h : elle est définitive."
    ]
    assert CommitteeScore.objects.count() == 0


@pytest.mark.parametrize(
    "who,panel",
    [("member", True), ("officer", True), ("central", False), ("other_member", None)],
)
def test_the_staff_dossier_page_carries_the_committee_panel_for_the_committee(
    client, people, forwarded, clock_at, who, panel
):
    """The committee reads the documents inline on the staff dossier page, with its panel
    (R5.1); the central service sees no scores; another school's member gets a 404."""
    clock_at(BEFORE)
    client.force_login(people[who])

    response = client.get(reverse("verification:dossier", args=[forwarded.reference]))

    if panel is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert ('id="committee-scores"' in response.content.decode()) is panel
