"""The campaign's funnel (R8.3): accounts, dossiers started, submitted, recevable, admissible,
examined, eliminated at the exams and admitted academically (the recorded list, R6.4), by
option and by status sought, within the schools the reader's grants cover (R9.2).

A dossier counts under each option it chose. "Admissible" counts the committee's decisions that
exist, published or not: only staff read this page. Each grouping is one GROUP BY query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from admissions.accounts.models import Role, User
from admissions.accounts.scope import school_scope
from admissions.campaigns.models import Campaign, Option
from admissions.dossiers.models import Dossier

READERS = (Role.CENTRAL_OFFICER, Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN)

STAGES = (
    ("started", _("Dossiers commencés")),
    ("submitted", _("Dossiers déposés")),
    ("recevable", _("Dossiers recevables")),
    ("admissible", _("Candidats admissibles")),
    ("booked", _("Candidats inscrits à une journée d'épreuves")),
    ("examined", _("Candidats examinés")),
    ("eliminated", _("Candidats éliminés aux épreuves")),
    ("admitted", _("Admis académiques")),
)
COUNTS = {
    "started": Count("pk", distinct=True),
    "submitted": Count("pk", filter=Q(state=Dossier.State.SUBMITTED), distinct=True),
    "recevable": Count("pk", filter=Q(central_check__verdict="recevable"), distinct=True),
    "admissible": Count("pk", filter=Q(admissibility__admissible=True), distinct=True),
    "booked": Count("pk", filter=Q(exam_booking__isnull=False), distinct=True),
    # Phase 2 (R6.3, R6.4): graded in at least one exam (not absent); the recorded list.
    "examined": Count("pk", filter=Q(exam_grades__absent=False), distinct=True),
    "eliminated": Count("pk", filter=Q(academic_decision__outcome="eliminated"), distinct=True),
    "admitted": Count("pk", filter=Q(academic_decision__outcome="admitted"), distinct=True),
}


@dataclass(frozen=True)
class FunnelRow:
    label: str
    started: int
    submitted: int
    recevable: int
    admissible: int
    booked: int
    examined: int = 0
    eliminated: int = 0
    admitted: int = 0
    accounts: int | None = None  # candidate accounts exist before any option: the total only

    def values(self) -> list[int]:
        return [getattr(self, code) for code, _label in STAGES]


@dataclass(frozen=True)
class Funnel:
    total: FunnelRow
    by_option: list[FunnelRow]
    by_status: list[FunnelRow]


def funnel_dossiers(user: User, campaign: Campaign) -> QuerySet[Dossier]:
    scope = school_scope(user, READERS)
    return scope.narrow(Dossier.objects.filter(campaign=campaign), "campaign__school")


def _row(label: str, counts: Mapping[str, Any], accounts: int | None = None) -> FunnelRow:
    return FunnelRow(
        label,
        started=counts.get("started", 0),
        submitted=counts.get("submitted", 0),
        recevable=counts.get("recevable", 0),
        admissible=counts.get("admissible", 0),
        booked=counts.get("booked", 0),
        examined=counts.get("examined", 0),
        eliminated=counts.get("eliminated", 0),
        admitted=counts.get("admitted", 0),
        accounts=accounts,
    )


# The funnel reads every dossier of the campaign: kept a minute per campaign, school scope and
# language (the page says when it was counted), so a dashboard left open costs nothing more.
FUNNEL_CACHE_SECONDS = 60


def campaign_funnel(user: User, campaign: Campaign) -> Funnel:
    scope = school_scope(user, READERS)
    schools = "all" if scope.everywhere else ",".join(map(str, sorted(scope.school_ids)))
    key = f"verification:funnel:{campaign.pk}:{campaign.revision}:{schools}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = count_funnel(user, campaign)
        cache.set(key, found, FUNNEL_CACHE_SECONDS)
    return found


def count_funnel(user: User, campaign: Campaign) -> Funnel:
    dossiers = funnel_dossiers(user, campaign)
    total = dossiers.aggregate(**COUNTS)
    accounts = User.objects.filter(role_grants__isnull=True, is_superuser=False).count()
    by_option: dict[Any, Mapping[str, Any]] = {
        row["choices__option"]: row
        for row in dossiers.values("choices__option").annotate(**COUNTS).order_by()
    }
    options = Option.objects.filter(programme__campaign=campaign).order_by(
        "programme__position", "position", "pk"
    )
    option_rows = [_row(option.code, by_option.get(option.pk, {})) for option in options]
    if None in by_option:
        option_rows.append(_row(str(_("Aucune option choisie")), by_option[None]))
    by_status: dict[Any, Mapping[str, Any]] = {
        row["status_sought"]: row
        for row in dossiers.values("status_sought").annotate(**COUNTS).order_by()
    }
    status_rows = [
        _row(str(label), by_status.get(code, {})) for code, label in Dossier.StatusSought.choices
    ]
    if "" in by_status:
        status_rows.append(_row(str(_("Statut non renseigné")), by_status[""]))
    return Funnel(
        total=_row(str(_("Toute la campagne")), total, accounts),
        by_option=option_rows,
        by_status=status_rows,
    )
