"""The campaign's funnel (R8.3): accounts, dossiers started, submitted, recevable, admissible,
examined, eliminated at the exams, admitted academically (the recorded list, R6.4), with a
confirmed host company (R7.1) and admitted for good (the final list, R7.2), by option and by
status sought, within the schools the reader's grants cover (R9.2).

A dossier counts under each option it chose. "Admissible" counts the committee's decisions that
exist, published or not: only staff read this page. Each grouping is one GROUP BY query.

Counting reads every dossier of the campaign: it is done in the background
(``services.recount_campaign``) into ``CampaignCounts``, as plain numbers keyed by codes
(``count_funnel_numbers``); a request only turns the stored numbers into rows
(``funnel_from``), with the labels of its language and the reader's school scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from admissions.accounts.models import Role, User
from admissions.accounts.scope import school_scope
from admissions.campaigns.models import Campaign, Option
from admissions.companies.models import FrozenFinalList, HostCompany, ListPlace
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
    ("company_confirmed", _("Entreprise d'accueil confirmée")),
    ("final_admitted", _("Admis définitivement")),
)
STAGE_CODES = tuple(code for code, _label in STAGES)
# The key of the dossiers without an option, or without a status sought, in the stored counts.
NONE_KEY = "none"


def stage_counts(campaign: Campaign) -> dict[str, Count]:
    """One COUNT per stage. "Admitted for good" is the frozen final list once it is recorded
    (R7.2: nothing after the freeze admits anyone), else the list as last computed."""
    frozen = FrozenFinalList.objects.filter(campaign=campaign).first()
    if frozen is not None:
        references = sorted({ref for refs in frozen.admitted.values() for ref in refs})
        final = Q(reference__in=references)
    else:
        final = Q(list_place__standing=ListPlace.Standing.ADMITTED)
    return {
        "started": Count("pk", distinct=True),
        "submitted": Count("pk", filter=Q(state=Dossier.State.SUBMITTED), distinct=True),
        "recevable": Count("pk", filter=Q(central_check__verdict="recevable"), distinct=True),
        "admissible": Count("pk", filter=Q(admissibility__admissible=True), distinct=True),
        "booked": Count("pk", filter=Q(exam_booking__isnull=False), distinct=True),
        # Phase 2 (R6.3, R6.4): graded in at least one exam (not absent); the recorded list.
        "examined": Count("pk", filter=Q(exam_grades__absent=False), distinct=True),
        "eliminated": Count("pk", filter=Q(academic_decision__outcome="eliminated"), distinct=True),
        "admitted": Count("pk", filter=Q(academic_decision__outcome="admitted"), distinct=True),
        # Phase 3 (R7.1, R7.2): a company confirmed the contract; on the final list.
        "company_confirmed": Count(
            "pk", filter=Q(host_companies__state=HostCompany.State.CONFIRMED), distinct=True
        ),
        "final_admitted": Count("pk", filter=final, distinct=True),
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
    company_confirmed: int = 0
    final_admitted: int = 0
    accounts: int | None = None  # candidate accounts exist before any option: the total only

    def values(self) -> list[int]:
        return [getattr(self, code) for code in STAGE_CODES]


@dataclass(frozen=True)
class Funnel:
    total: FunnelRow
    by_option: list[FunnelRow]
    by_status: list[FunnelRow]


def _numbers(row: Mapping[str, Any]) -> dict[str, int]:
    return {code: int(row.get(code) or 0) for code in STAGE_CODES}


def count_funnel_numbers(campaign: Campaign) -> dict[str, Any]:
    """Every dossier of the campaign, counted at each stage: in total, by option (its primary
    key) and by status sought (its code), ``NONE_KEY`` for none; and the candidate accounts.
    Plain numbers, for ``CampaignCounts.counts["funnel"]``. Two grouped queries and a count."""
    dossiers = Dossier.objects.filter(campaign=campaign)
    counts = stage_counts(campaign)
    by_option = dossiers.values("choices__option").annotate(**counts).order_by()
    by_status = list(dossiers.values("status_sought").annotate(**counts).order_by())
    # Each dossier has one status sought (or none): the total is the sum of those groups, not
    # a third pass over every dossier (150 ms of the recount at 100,000).
    total = {code: sum(_numbers(row)[code] for row in by_status) for code in STAGE_CODES}
    return {
        "accounts": User.objects.filter(role_grants__isnull=True, is_superuser=False).count(),
        "total": total,
        "by_option": {str(row["choices__option"] or NONE_KEY): _numbers(row) for row in by_option},
        "by_status": {str(row["status_sought"] or NONE_KEY): _numbers(row) for row in by_status},
    }


def _row(label: str, counts: Mapping[str, Any], accounts: int | None = None) -> FunnelRow:
    numbers = {code: int(counts.get(code, 0)) for code in STAGE_CODES}
    return FunnelRow(label, accounts=accounts, **numbers)


def funnel_from(user: User, campaign: Campaign, numbers: Mapping[str, Any]) -> Funnel:
    """The funnel's rows from the stored ``numbers`` (``count_funnel_numbers``), labelled in
    the current language; all zeros when the campaign's school is outside the reader's scope."""
    if not school_scope(user, READERS).includes(campaign.school_id):
        numbers = {}
    by_option = numbers.get("by_option", {})
    options = Option.objects.filter(programme__campaign=campaign).order_by(
        "programme__position", "position", "pk"
    )
    option_rows = [_row(option.code, by_option.get(str(option.pk), {})) for option in options]
    if NONE_KEY in by_option:
        option_rows.append(_row(str(_("Aucune option choisie")), by_option[NONE_KEY]))
    by_status = numbers.get("by_status", {})
    status_rows = [
        _row(str(label), by_status.get(code, {})) for code, label in Dossier.StatusSought.choices
    ]
    if NONE_KEY in by_status:
        status_rows.append(_row(str(_("Statut non renseigné")), by_status[NONE_KEY]))
    return Funnel(
        total=_row(
            str(_("Toute la campagne")), numbers.get("total", {}), numbers.get("accounts", 0)
        ),
        by_option=option_rows,
        by_status=status_rows,
    )


def count_funnel(user: User, campaign: Campaign) -> Funnel:
    """The funnel counted now (the background recount and tests; never a page)."""
    return funnel_from(user, campaign, count_funnel_numbers(campaign))
