"""The academic ranking and the list of "admis académiques" (R6.4).

Each examined candidate has a dossier score, the mean of the committee members' scores scaled to
20 (``campaign.committee.score_max``), and one grade per exam (R6.3). The ranking orders the
candidates by their weighted score:

    (dossier_weight × dossier/20 + Σ weight_e × grade_e scaled to 20) / (dossier_weight + Σ weight_e)

with the weights of the campaign file's ``[academic_list]``, rounded half-up to the thousandth
(the precision kept with each decision).

Who is not ranked. A candidate eliminated by a grade at or below the exam's eliminating grade,
or by an absence (``grades.exam_outcome``), is listed apart with the reasons. A candidate whose
grades are not all entered, or without any committee score, is listed apart as incomplete: the
list cannot be recorded until they are complete.

Tie-break (documented, total). Equal weighted scores are ordered by the higher dossier score,
then by the higher grade in each exam in the campaign file's order, then by the candidate's
reference, which is unique; ranks are 1, 2, 3... with no two candidates on one rank, and the
result never depends on the order of the input.

The list. ``academic_list(ranking, cutoff=n)`` admits ranks 1 to n; ``academic_list(ranking,
chosen={...})`` admits the committee's chosen set, case by case. Every ranked candidate not
admitted is "below the list"; eliminated ones stay eliminated.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .explain import Reason, RulesError
from .grades import OutcomeStatus, exam_outcome
from .params import Campaign

THOUSANDTH = Decimal("0.001")
TWENTY = Decimal(20)


@dataclass(frozen=True)
class CandidateScores:
    """What the ranking needs to know about one examined candidate."""

    candidate: str  # the dossier reference, unique in the campaign
    committee_scores: tuple[Decimal, ...]  # each member's score, out of committee.score_max
    grades: Mapping[str, Decimal | None] = field(default_factory=dict)  # exam code -> grade
    absent: frozenset[str] = frozenset()  # exam codes the candidate missed


@dataclass(frozen=True)
class Ranked:
    candidate: str
    rank: int
    score: Decimal  # the weighted score out of 20, to the thousandth
    dossier_score: Decimal  # out of 20
    grades: tuple[tuple[str, Decimal], ...]  # (exam code, grade) in the campaign's order


class Exclusion(StrEnum):
    ELIMINATED = "eliminated"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class Excluded:
    candidate: str
    why: Exclusion
    reasons: tuple[Reason, ...]
    dossier_score: Decimal | None
    grades: tuple[tuple[str, Decimal | None], ...]


@dataclass(frozen=True)
class Ranking:
    ranked: tuple[Ranked, ...]  # by rank
    eliminated: tuple[Excluded, ...]  # by reference
    incomplete: tuple[Excluded, ...]  # by reference

    @property
    def complete(self) -> bool:
        return not self.incomplete


class ListOutcome(StrEnum):
    ADMITTED = "admitted"
    ELIMINATED = "eliminated"
    BELOW_LIST = "below_list"


@dataclass(frozen=True)
class ListEntry:
    candidate: str
    outcome: ListOutcome
    rank: int | None
    score: Decimal | None
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class AcademicList:
    entries: tuple[ListEntry, ...]  # ranked first (by rank), then the eliminated

    def of(self, outcome: ListOutcome) -> tuple[ListEntry, ...]:
        return tuple(entry for entry in self.entries if entry.outcome is outcome)

    @property
    def admitted(self) -> tuple[str, ...]:
        return tuple(entry.candidate for entry in self.of(ListOutcome.ADMITTED))


def dossier_score(campaign: Campaign, committee_scores: Sequence[Decimal]) -> Decimal | None:
    """The mean of the committee's scores scaled to 20, to the thousandth; None without any."""
    if not committee_scores:
        return None
    score_max = campaign.committee.score_max
    mean = sum(committee_scores, Decimal(0)) / len(committee_scores)
    return (mean * TWENTY / score_max).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def weighted_score(campaign: Campaign, dossier: Decimal, grades: Mapping[str, Decimal]) -> Decimal:
    """The weighted mean of the dossier score and the exam grades, all scaled to 20."""
    weights = campaign.academic_list
    total = weights.dossier_weight * dossier
    weight_sum = weights.dossier_weight
    for spec in campaign.exams:
        weight = weights.weight_of(spec.code)
        total += weight * grades[spec.code] * TWENTY / spec.max_grade
        weight_sum += weight
    if weight_sum <= 0:
        raise RulesError(
            Reason(
                "academic.no_weight",
                "Les poids de la liste académique sont tous nuls.",
                "The academic list's weights are all zero.",
            )
        )
    return (total / weight_sum).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def rank_candidates(campaign: Campaign, candidates: Sequence[CandidateScores]) -> Ranking:
    """The ranking of R6.4: weighted scores, the eliminated and the incomplete apart."""
    references = [c.candidate for c in candidates]
    if len(set(references)) != len(references):
        raise RulesError(
            Reason("academic.duplicate", "Candidat en double.", "Duplicate candidate.")
        )
    codes = [spec.code for spec in campaign.exams]
    scored: list[tuple[tuple, CandidateScores, Decimal, Decimal]] = []
    eliminated: list[Excluded] = []
    incomplete: list[Excluded] = []
    for candidate in candidates:
        outcome = exam_outcome(campaign.exams, candidate.grades, candidate.absent)
        dossier = dossier_score(campaign, candidate.committee_scores)
        lines = tuple((code, candidate.grades.get(code)) for code in codes)
        if outcome.status is OutcomeStatus.ELIMINATED:
            eliminated.append(
                Excluded(candidate.candidate, Exclusion.ELIMINATED, outcome.reasons, dossier, lines)
            )
            continue
        reasons = outcome.reasons if outcome.status is OutcomeStatus.INCOMPLETE else ()
        if dossier is None:
            reasons += (
                Reason(
                    "academic.no_dossier_score",
                    "Aucune note de dossier de la commission d'admissibilité.",
                    "No dossier score from the admissibility committee.",
                ),
            )
        if reasons:
            incomplete.append(
                Excluded(candidate.candidate, Exclusion.INCOMPLETE, reasons, dossier, lines)
            )
            continue
        assert dossier is not None
        grades = {code: grade for code, grade in lines if grade is not None}
        score = weighted_score(campaign, dossier, grades)
        # Sort key: higher score, higher dossier score, higher grades in order, reference.
        key = (-score, -dossier, *(-grades[code] for code in codes), candidate.candidate)
        scored.append((key, candidate, score, dossier))
    scored.sort(key=lambda item: item[0])
    ranked = tuple(
        Ranked(
            candidate=candidate.candidate,
            rank=position,
            score=score,
            dossier_score=dossier,
            grades=tuple((code, Decimal(candidate.grades[code] or 0)) for code in codes),
        )
        for position, (_key, candidate, score, dossier) in enumerate(scored, start=1)
    )
    return Ranking(
        ranked=ranked,
        eliminated=tuple(sorted(eliminated, key=lambda e: e.candidate)),
        incomplete=tuple(sorted(incomplete, key=lambda e: e.candidate)),
    )


def _written(value: Decimal | None, point: str) -> str:
    return "—" if value is None else f"{value.normalize():f}".replace(".", point)


def below_list_reason(rank: int | None, score: Decimal | None) -> Reason:
    """Why a ranked candidate is not admitted: their rank is below the committee's list."""
    return Reason(
        "academic.below_list",
        f"Classé(e) au rang {rank} avec une moyenne pondérée de {_written(score, ',')}/20 : "
        "au-delà de la liste des admis académiques arrêtée par la commission.",
        f"Ranked {rank} with a weighted score of {_written(score, '.')}/20: below the academic "
        "list set by the committee.",
        {"rank": rank, "score": score},
    )


def academic_list(
    ranking: Ranking, *, cutoff: int | None = None, chosen: Collection[str] | None = None
) -> AcademicList:
    """The committee's list: ranks 1 to ``cutoff``, or the ``chosen`` candidates, admitted.

    Refused (RulesError) while a candidate is incomplete, with both or neither of ``cutoff`` and
    ``chosen``, a negative cut-off, or a chosen candidate who is not ranked (eliminated or
    unknown)."""
    if (cutoff is None) == (chosen is None):
        raise RulesError(
            Reason(
                "academic.cutoff_or_chosen",
                "Donnez un rang limite ou la liste des candidats retenus, pas les deux.",
                "Give a cut-off rank or the chosen candidates, not both.",
            )
        )
    if not ranking.complete:
        names = ", ".join(e.candidate for e in ranking.incomplete)
        raise RulesError(
            Reason(
                "academic.incomplete",
                f"Notes incomplètes : {names}. Saisissez-les (ou l'absence) avant d'établir la "
                "liste.",
                f"Incomplete grades: {names}. Enter them (or the absence) before setting the list.",
                {"candidates": [e.candidate for e in ranking.incomplete]},
            )
        )
    if cutoff is not None:
        if cutoff < 0:
            raise RulesError(
                Reason(
                    "academic.negative_cutoff",
                    "Le rang limite ne peut pas être négatif.",
                    "The cut-off rank cannot be negative.",
                )
            )
        admitted = {r.candidate for r in ranking.ranked if r.rank <= cutoff}
    else:
        assert chosen is not None
        ranked_refs = {r.candidate for r in ranking.ranked}
        outside = sorted(set(chosen) - ranked_refs)
        if outside:
            names = ", ".join(outside)
            raise RulesError(
                Reason(
                    "academic.not_ranked",
                    f"Candidats non classés (éliminés ou inconnus) : {names}.",
                    f"Candidates not ranked (eliminated or unknown): {names}.",
                    {"candidates": outside},
                )
            )
        admitted = set(chosen)
    entries = [
        ListEntry(
            r.candidate,
            ListOutcome.ADMITTED if r.candidate in admitted else ListOutcome.BELOW_LIST,
            r.rank,
            r.score,
            () if r.candidate in admitted else (below_list_reason(r.rank, r.score),),
        )
        for r in ranking.ranked
    ]
    entries += [
        ListEntry(e.candidate, ListOutcome.ELIMINATED, None, None, e.reasons)
        for e in ranking.eliminated
    ]
    return AcademicList(tuple(entries))
