"""Reads for the committee's pages, and the one door through which a candidate's channels see
an admissibility decision (R5.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, QuerySet

from admissions.accounts.models import User
from admissions.campaigns.models import Campaign
from admissions.committee.models import AdmissibilityDecision, CommitteeScore
from admissions.committee.permissions import dossiers_before_committee
from admissions.dossiers.models import Dossier
from admissions.referees.models import Recommendation, Referee
from admissions.rules import deadlines
from admissions.rules.params import Campaign as CampaignParams

ADMISSIBILITY = "admissibility_results"


def published_admissibility(
    dossier: Dossier, now: datetime, params: CampaignParams | None = None
) -> AdmissibilityDecision | None:
    """The committee's decision as the candidate may know it: None before the campaign's
    publication instant (R5.2), or while there is no decision. Every channel that reaches a
    candidate (pages, timeline, emails, the data export) asks here and nowhere else."""
    params = params or dossier.campaign.params()
    if not deadlines.is_published(params, ADMISSIBILITY, now):
        return None
    return AdmissibilityDecision.objects.filter(dossier=dossier).first()


@dataclass(frozen=True)
class QueueCounts:
    total: int
    scored_by_me: int
    decided: int


# The list's filters: "mine" (scored by me or not) and "decision" (decided or not).
MINE_CHOICES = ("", "scored", "unscored")
DECISION_CHOICES = ("", "decided", "undecided")


def committee_queue(
    user: User, campaign: Campaign, *, mine: str = "", decision: str = ""
) -> QuerySet[Dossier]:
    """The forwarded dossiers of ``campaign`` that ``user`` reads at the committee, oldest
    submission first, each with whether ``user`` scored it, its decision and its scores."""
    mine_score = CommitteeScore.objects.filter(dossier=OuterRef("pk"), member=user)
    rows = (
        dossiers_before_committee(user)
        .filter(campaign=campaign)
        .select_related("admissibility")
        .annotate(
            scored_by_me=Exists(mine_score),
            score_count=Count("committee_scores"),
            score_average=Avg("committee_scores__score"),
        )
        .order_by("submitted_at", "pk")
    )
    if mine == "scored":
        rows = rows.filter(scored_by_me=True)
    elif mine == "unscored":
        rows = rows.filter(scored_by_me=False)
    if decision == "decided":
        rows = rows.filter(admissibility__isnull=False)
    elif decision == "undecided":
        rows = rows.filter(admissibility__isnull=True)
    return rows


def queue_counts(user: User, campaign: Campaign) -> QueueCounts:
    rows = dossiers_before_committee(user).filter(campaign=campaign)
    return QueueCounts(
        total=rows.count(),
        scored_by_me=rows.filter(committee_scores__member=user).count(),
        decided=rows.filter(admissibility__isnull=False).count(),
    )


def next_to_score(
    user: User, campaign: Campaign, *, after: Dossier | None = None
) -> Dossier | None:
    """The next undecided dossier ``user`` has not scored, ``after`` excluded."""
    rows = committee_queue(user, campaign, mine="unscored", decision="undecided")
    if after is not None:
        rows = rows.exclude(pk=after.pk)
    return rows.first()


@dataclass(frozen=True)
class ScoreRow:
    member: str
    score: Decimal | None
    comment: str
    recorded_at: datetime
    mine: bool


def scores_side_by_side(dossier: Dossier, user: User) -> list[ScoreRow]:
    return [
        ScoreRow(
            member=str(score.member),
            score=score.score,
            comment=score.comment,
            recorded_at=score.recorded_at,
            mine=score.member_id == user.pk,
        )
        for score in CommitteeScore.objects.filter(dossier=dossier)
        .select_related("member")
        .order_by("recorded_at", "pk")
    ]


def recommendations_of(dossier: Dossier) -> list[Recommendation]:
    """What the referees wrote (R3.5): for the committee only, never for the candidate."""
    return list(
        Recommendation.objects.filter(referee__dossier=dossier)
        .exclude(referee__state=Referee.State.REPLACED)
        .select_related("referee")
        .order_by("referee__kind", "pk")
    )
