"""The academic ranking and list (R6.4), and the grade step (R6.3)."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admissions.rules.academic import (
    CandidateScores,
    ListOutcome,
    academic_list,
    dossier_score,
    rank_candidates,
)
from admissions.rules.explain import RulesError
from admissions.rules.grades import validate_grade
from admissions.rules.params import AcademicListRules, CommitteeRules
from tests.rules.reference import campaign_2021

CAMPAIGN = campaign_2021()
D = Decimal


def cand(ref, scores=("15",), interview="12", english="14", absent=()):
    grades = {}
    if interview is not None:
        grades["interview"] = D(interview)
    if english is not None:
        grades["english"] = D(english)
    return CandidateScores(ref, tuple(D(s) for s in scores), grades, frozenset(absent))


def test_dossier_score_is_the_mean_scaled_to_20():
    on_ten = dataclasses.replace(CAMPAIGN, committee=CommitteeRules(score_max=D(10)))
    assert dossier_score(on_ten, [D(7), D(8)]) == D("15.000")
    assert dossier_score(CAMPAIGN, [D(12), D(13), D(13)]) == D("12.667")
    assert dossier_score(CAMPAIGN, []) is None


def test_weighted_score_uses_the_campaign_weights():
    weighted = dataclasses.replace(
        CAMPAIGN,
        academic_list=AcademicListRules(D(2), (("english", D(1)), ("interview", D(1)))),
    )
    ranking = rank_candidates(weighted, [cand("A", ("16",), "10", "14")])
    # (2 × 16 + 10 + 14) / 4 = 14
    assert ranking.ranked[0].score == D("14.000")
    equal = rank_candidates(CAMPAIGN, [cand("A", ("16",), "10", "14")])
    assert equal.ranked[0].score == D("13.333")


def test_eliminated_and_absent_are_apart_with_their_reason():
    ranking = rank_candidates(
        CAMPAIGN,
        [
            cand("A"),
            cand("B", interview="4"),
            cand("C", english=None, absent=("english",)),
            cand("D", english=None),
            cand("E", scores=()),
        ],
    )
    assert [r.candidate for r in ranking.ranked] == ["A"]
    assert [(e.candidate, e.reasons[0].code) for e in ranking.eliminated] == [
        ("B", "exam.eliminating_grade"),
        ("C", "exam.absent"),
    ]
    assert [(e.candidate, e.reasons[-1].code) for e in ranking.incomplete] == [
        ("D", "exam.grade_missing"),
        ("E", "academic.no_dossier_score"),
    ]


def test_ties_are_broken_by_dossier_then_grades_then_reference():
    ranking = rank_candidates(
        CAMPAIGN,
        [
            cand("Z", ("12",), "12", "12"),  # 12
            cand("Y", ("10",), "14", "12"),  # 12, lower dossier
            cand("X", ("10",), "12", "14"),  # 12, lower dossier, lower interview
            cand("W", ("12",), "12", "12"),  # same as Z: reference
        ],
    )
    assert [(r.candidate, r.rank) for r in ranking.ranked] == [
        ("W", 1),
        ("Z", 2),
        ("Y", 3),
        ("X", 4),
    ]


def test_list_by_cutoff_and_case_by_case():
    ranking = rank_candidates(
        CAMPAIGN,
        [cand("A", ("18",)), cand("B", ("15",)), cand("C", ("5",)), cand("E", interview="3")],
    )
    by_cut = academic_list(ranking, cutoff=2)
    assert by_cut.admitted == ("A", "B")
    assert [e.candidate for e in by_cut.of(ListOutcome.BELOW_LIST)] == ["C"]
    assert by_cut.of(ListOutcome.BELOW_LIST)[0].reasons[0].code == "academic.below_list"
    assert [e.candidate for e in by_cut.of(ListOutcome.ELIMINATED)] == ["E"]
    chosen = academic_list(ranking, chosen={"A", "C"})
    assert chosen.admitted == ("A", "C")
    assert academic_list(ranking, cutoff=0).admitted == ()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({}, "academic.cutoff_or_chosen"),
        ({"cutoff": 1, "chosen": {"A"}}, "academic.cutoff_or_chosen"),
        ({"cutoff": -1}, "academic.negative_cutoff"),
        ({"chosen": {"E"}}, "academic.not_ranked"),
        ({"chosen": {"nobody"}}, "academic.not_ranked"),
    ],
)
def test_list_refusals(kwargs, code):
    ranking = rank_candidates(CAMPAIGN, [cand("A"), cand("E", interview="3")])
    with pytest.raises(RulesError) as raised:
        academic_list(ranking, **kwargs)
    assert raised.value.reason.code == code


def test_no_list_while_grades_are_incomplete():
    ranking = rank_candidates(CAMPAIGN, [cand("A"), cand("B", english=None)])
    with pytest.raises(RulesError) as raised:
        academic_list(ranking, cutoff=1)
    assert raised.value.reason.code == "academic.incomplete"


@pytest.mark.parametrize(("value", "allowed"), [("12.5", True), ("12", True), ("12.3", False)])
def test_grade_step(value, allowed):
    half = dataclasses.replace(CAMPAIGN.exams[0], grade_step=D("0.5"))
    decision = validate_grade(half, D(value))
    assert decision.allowed is allowed
    if not allowed:
        assert decision.codes == ("grade.off_step",)
        assert "12 / 12,5" in decision.reasons[0].fr
        assert "12 / 12.5" in decision.reasons[0].en


halves = st.integers(min_value=0, max_value=40).map(lambda n: D(n) / 2)
candidates_strategy = st.lists(
    st.tuples(
        st.lists(halves, min_size=1, max_size=3),
        halves,
        halves,
        st.booleans(),
    ),
    min_size=0,
    max_size=12,
)


@given(candidates_strategy, st.randoms(use_true_random=False), st.integers(0, 14))
def test_ranking_properties(rows, rng: random.Random, cutoff):
    candidates = [
        CandidateScores(
            f"C{i:02d}",
            tuple(scores),
            {"interview": interview, "english": english},
            frozenset({"english"}) if absent else frozenset(),
        )
        if not absent
        else CandidateScores(
            f"C{i:02d}", tuple(scores), {"interview": interview}, frozenset({"english"})
        )
        for i, (scores, interview, english, absent) in enumerate(rows)
    ]
    ranking = rank_candidates(CAMPAIGN, candidates)
    shuffled = list(candidates)
    rng.shuffle(shuffled)
    # The input order never matters.
    assert rank_candidates(CAMPAIGN, shuffled) == ranking
    # Every candidate once: ranked or eliminated (none incomplete here).
    assert sorted(
        [r.candidate for r in ranking.ranked] + [e.candidate for e in ranking.eliminated]
    ) == sorted(c.candidate for c in candidates)
    # No eliminated candidate is ranked; every eliminating grade or absence is out.
    for r in ranking.ranked:
        assert all(grade > 4 for _code, grade in r.grades)
    # Ranks are 1..n and scores never increase down the ranking.
    assert [r.rank for r in ranking.ranked] == list(range(1, len(ranking.ranked) + 1))
    scores = [r.score for r in ranking.ranked]
    assert scores == sorted(scores, reverse=True)
    # The list by cut-off admits exactly the first ranks.
    listed = academic_list(ranking, cutoff=cutoff)
    assert listed.admitted == tuple(r.candidate for r in ranking.ranked[:cutoff])
    assert len(listed.entries) == len(candidates)
