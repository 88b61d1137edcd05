"""The committee's services (R5.1, R5.2): scores, the decision, the publication instant."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from admissions.audit.models import AuditEntry
from admissions.campaigns.models import Campaign
from admissions.committee.models import AdmissibilityDecision, CommitteeScore
from admissions.committee.services import (
    CommitteeError,
    decide_admissibility,
    record_score,
    set_publication_instant,
)
from tests.committee.conftest import AFTER, BEFORE, PARIS, forward, submitted_dossier

pytestmark = pytest.mark.django_db


def actions(dossier) -> list[str]:
    return list(AuditEntry.objects.for_object(dossier).values_list("action", flat=True))


# --- Scores ----------------------------------------------------------------------------------


def test_record_score_keeps_one_score_per_member_and_updates_it(forwarded, people):
    record_score(
        dossier=forwarded, member=people["member"], score=Decimal("12"), comment="", now=BEFORE
    )

    record_score(
        dossier=forwarded,
        member=people["member"],
        score=Decimal("14.5"),
        comment="Solide.",
        now=BEFORE,
    )

    assert list(CommitteeScore.objects.values_list("member__email", "score", "comment")) == [
        ("member@school.example", Decimal("14.50"), "Solide.")
    ]
    assert actions(forwarded) == [
        "dossiers.dossier.opened",
        "committee.score.recorded",
        "committee.score.updated",
    ]


def test_record_score_refuses_a_score_above_the_campaign_maximum(forwarded, people):
    with pytest.raises(CommitteeError) as error:
        record_score(
            dossier=forwarded, member=people["member"], score=Decimal("21"), comment="", now=BEFORE
        )

    assert error.value.message == "La note va de 0 à 20."
    assert CommitteeScore.objects.count() == 0


def test_record_score_needs_a_score_or_a_comment(forwarded, people):
    with pytest.raises(CommitteeError) as error:
        record_score(
            dossier=forwarded, member=people["member"], score=None, comment=" ", now=BEFORE
        )

    assert error.value.message == "Donnez une note, un commentaire, ou les deux."


@pytest.mark.parametrize("who", ["other_member", "officer", "central", "admin", "candidate"])
def test_record_score_is_for_the_schools_committee_members_only(forwarded, people, who):
    with pytest.raises(CommitteeError):
        record_score(
            dossier=forwarded, member=people[who], score=Decimal("10"), comment="", now=BEFORE
        )

    assert CommitteeScore.objects.count() == 0


@pytest.mark.parametrize("verdict", [None, "refused"])
def test_record_score_refuses_a_dossier_not_forwarded(reference_campaign, people, verdict):
    dossier = submitted_dossier(reference_campaign, "kept@example.org")
    if verdict:
        forward(dossier, people["central"], verdict=verdict)

    with pytest.raises(CommitteeError):
        record_score(
            dossier=dossier, member=people["member"], score=Decimal("10"), comment="", now=BEFORE
        )


def test_record_score_refuses_once_the_decision_is_recorded(forwarded, people):
    decide_admissibility(
        dossier=forwarded, by=people["officer"], admissible=True, comment="", now=BEFORE
    )

    with pytest.raises(CommitteeError) as error:
        record_score(
            dossier=forwarded, member=people["member"], score=Decimal("10"), comment="", now=BEFORE
        )

    assert error.value.message == (
        "La décision sur ce dossier a déjà été enregistrée par officer@school.example "
        "le 15 mars 2021 à 10 h : elle est définitive."
    )


def test_record_score_refuses_once_the_results_are_published(forwarded, people):
    """No decision can follow a score given after the publication: none is taken."""
    with pytest.raises(CommitteeError) as error:
        record_score(
            dossier=forwarded, member=people["member"], score=Decimal("10"), comment="", now=AFTER
        )

    assert error.value.message == (
        "Les résultats d'admissibilité sont publiés depuis le 24 mars 2021 à 0 h : "
        "les décisions sont définitives."
    )
    assert CommitteeScore.objects.count() == 0


# --- The decision ----------------------------------------------------------------------------


def test_decide_admissibility_records_the_decision_and_its_audit_entry(forwarded, people):
    decision = decide_admissibility(
        dossier=forwarded,
        by=people["officer"],
        admissible=False,
        comment="Projet flou.",
        now=BEFORE,
    )

    assert (decision.admissible, decision.comment, decision.decided_by, decision.decided_at) == (
        False,
        "Projet flou.",
        people["officer"],
        BEFORE,
    )
    assert decision.published_at is None
    entry = AuditEntry.objects.for_object(forwarded).get(action="committee.decision.recorded")
    assert (entry.actor, entry.reason, entry.data) == (
        people["officer"],
        "Projet flou.",
        {"admissible": False},
    )


def test_decide_admissibility_a_second_time_names_who_decided_and_records_nothing(
    forwarded, people
):
    decide_admissibility(
        dossier=forwarded, by=people["officer"], admissible=True, comment="", now=BEFORE
    )

    with pytest.raises(CommitteeError) as error:
        decide_admissibility(
            dossier=forwarded, by=people["officer"], admissible=False, comment="Non.", now=BEFORE
        )

    assert error.value.message == (
        "La décision sur ce dossier a déjà été enregistrée par officer@school.example "
        "le 15 mars 2021 à 10 h : elle est définitive."
    )
    assert list(AdmissibilityDecision.objects.values_list("admissible", flat=True)) == [True]
    assert actions(forwarded).count("committee.decision.recorded") == 1


def test_decide_admissibility_not_admissible_needs_a_reason(forwarded, people):
    with pytest.raises(CommitteeError) as error:
        decide_admissibility(
            dossier=forwarded, by=people["officer"], admissible=False, comment="  ", now=BEFORE
        )

    assert error.value.message == "Indiquez le motif de la non-admissibilité."
    assert AdmissibilityDecision.objects.count() == 0


def test_decide_admissibility_after_publication_is_refused_decisions_are_final(forwarded, people):
    with pytest.raises(CommitteeError) as error:
        decide_admissibility(
            dossier=forwarded, by=people["officer"], admissible=True, comment="", now=AFTER
        )

    assert error.value.message == (
        "Les résultats d'admissibilité sont publiés depuis le 24 mars 2021 à 0 h : "
        "les décisions sont définitives."
    )
    assert AdmissibilityDecision.objects.count() == 0


@pytest.mark.parametrize("who", ["member", "other_officer", "central", "admin", "candidate"])
def test_decide_admissibility_is_for_the_schools_admissions_officer_only(forwarded, people, who):
    with pytest.raises(CommitteeError):
        decide_admissibility(
            dossier=forwarded, by=people[who], admissible=True, comment="", now=BEFORE
        )

    assert AdmissibilityDecision.objects.count() == 0


def test_decide_admissibility_refuses_a_dossier_not_forwarded(reference_campaign, people):
    dossier = forward(
        submitted_dossier(reference_campaign, "refused@example.org"), people["central"], "refused"
    )

    with pytest.raises(CommitteeError):
        decide_admissibility(
            dossier=dossier, by=people["officer"], admissible=True, comment="", now=BEFORE
        )

    assert AdmissibilityDecision.objects.count() == 0


# --- The publication instant -----------------------------------------------------------------


def test_set_publication_instant_moves_it_for_every_reader_with_an_audit_entry(
    reference_campaign, people
):
    moved = datetime(2021, 3, 22, 18, 0, tzinfo=PARIS)

    set_publication_instant(
        campaign=reference_campaign,
        at=moved,
        reason="Commission avancée.",
        by=people["officer"],
        now=BEFORE,
    )

    campaign = Campaign.objects.get(pk=reference_campaign.pk)
    assert campaign.admissibility_results_at == moved
    assert campaign.params().calendar.admissibility_results_at == moved
    entry = AuditEntry.objects.for_object(campaign).get(action="committee.publication.moved")
    assert (entry.action, entry.reason, entry.data) == (
        "committee.publication.moved",
        "Commission avancée.",
        {"from": "2021-03-23T23:00:00+00:00", "to": moved.isoformat()},
    )


def test_set_publication_instant_refuses_once_the_results_are_out(reference_campaign, people):
    with pytest.raises(CommitteeError) as error:
        set_publication_instant(
            campaign=reference_campaign,
            at=datetime(2021, 3, 26, tzinfo=PARIS),
            reason="Trop tard.",
            by=people["officer"],
            now=AFTER,
        )

    assert error.value.message == (
        "Les résultats d'admissibilité sont publiés depuis le 24 mars 2021 à 0 h : "
        "la date ne peut plus changer."
    )


@pytest.mark.parametrize(
    "at", [datetime(2021, 3, 9, 12, 0, tzinfo=PARIS), datetime(2021, 3, 25, 0, 0, tzinfo=PARIS)]
)
def test_set_publication_instant_stays_between_the_close_and_the_exam_day_choice(
    reference_campaign, people, at
):
    with pytest.raises(CommitteeError) as error:
        set_publication_instant(
            campaign=reference_campaign, at=at, reason="Essai.", by=people["officer"], now=BEFORE
        )

    assert error.value.message == (
        "La publication doit avoir lieu entre la clôture des candidatures (9 mars 2021 à minuit) "
        "et l'ouverture du choix du jour d'épreuves (24 mars 2021 à 0 h)."
    )
    assert Campaign.objects.get().admissibility_results_at == datetime(2021, 3, 24, tzinfo=PARIS)


def test_set_publication_instant_needs_a_reason(reference_campaign, people):
    with pytest.raises(CommitteeError) as error:
        set_publication_instant(
            campaign=reference_campaign,
            at=datetime(2021, 3, 22, tzinfo=PARIS),
            reason="",
            by=people["officer"],
            now=BEFORE,
        )

    assert error.value.message == "Indiquez le motif du changement de date."


@pytest.mark.parametrize("who", ["member", "other_officer", "central", "candidate"])
def test_set_publication_instant_is_for_the_schools_officer_or_an_admin(
    reference_campaign, people, who
):
    with pytest.raises(CommitteeError):
        set_publication_instant(
            campaign=reference_campaign,
            at=datetime(2021, 3, 22, tzinfo=PARIS),
            reason="Essai.",
            by=people[who],
            now=BEFORE,
        )
