"""Final admission: the final list and the waiting list of the company phase (R7.2, R7.5).

An academically admitted candidate whose host company has confirmed takes a place in line at
the instant of that confirmation (R7.1). Within each seat group (R1.4) the first ones in line
are admitted, up to the group's seats; the others wait, in line order. The list is a pure
function of the confirmations and ``now``, so it is recomputed rather than stored.

Moving up. Before the freeze, a withdrawal or a fraud exclusion (R7.5) takes the candidate out
of the line, so recomputing the list moves the first waiting candidate into the freed seat.

The freeze. From ``frozen_at`` (the end of 2021-09-20, that is 2021-09-21T00:00 Europe/Paris)
nobody is admitted any more (R7.2):
- a confirmation at or after ``frozen_at`` never enters the line, not even the waiting list;
- when ``now >= frozen_at`` the list is the one standing at ``frozen_at``: built from the
  confirmations, withdrawals and exclusions dated strictly before it;
- a withdrawal or a fraud exclusion at or after ``frozen_at`` still removes the admission and
  frees the seat, but nobody moves up into it: the seat stays empty;
- the waiting list is closed: those still waiting get the reason ``ranking.list_frozen``
  (with their rank at the freeze), so after the freeze every waiting list is empty.

Events dated after ``now`` have not happened yet: a confirmation after ``now`` is not in line
(a simulation at an earlier date sees the list of that date, R1.5), and neither is a
withdrawal or an exclusion after ``now``.

Tie-break. Two confirmations at the same instant are ordered by the earlier application
submission instant (``submitted_at``, R3.7), then by candidate reference, which is unique.
The order is therefore total and the result never depends on the order of the input.

Age (R3.2, R7.2). An apprenticeship contract must be concluded before the 30th birthday,
unless a legal exemption is recorded by staff. The check uses the contract's signature date
when recorded, else its start date. It concerns the apprenticeship status only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from operator import attrgetter
from typing import NoReturn
from zoneinfo import ZoneInfo

from . import clock
from .eligibility import under_age_limit
from .explain import Reason, RulesError
from .params import Campaign, SeatGroup, StatusSought


@dataclass(frozen=True)
class Confirmation:
    """A candidate in the company phase, as the ranking needs to know them (R7.1)."""

    candidate: str  # the dossier reference, unique in the campaign
    status: StatusSought
    academically_admitted: bool  # on the academic list (R6.4)
    confirmed_at: datetime  # the company's confirmation: the place in line (R7.1)
    contract_start: date  # the contract's start date, declared with the company
    birth_date: date
    submitted_at: datetime  # application submission (R3.7): breaks ties of confirmed_at
    legal_age_exemption: bool = False  # recorded by staff (R3.2)
    withdrawn_at: datetime | None = None
    fraud_excluded_at: datetime | None = None  # fraud recorded by staff (R7.5)
    contract_signed_on: date | None = None  # the contract's conclusion, once known (R3.2)

    @property
    def contract_date(self) -> date:
        """The date the age rule is checked on: signature when known, else the start date."""
        return self.contract_signed_on or self.contract_start

    @property
    def line_key(self) -> tuple[datetime, datetime, str]:
        """The place in line: confirmation, then submission, then reference (a total order)."""
        return (self.confirmed_at, self.submitted_at, self.candidate)


@dataclass(frozen=True)
class GroupList:
    """The admitted and the waiting of one seat group, each in line order."""

    group: SeatGroup
    admitted: tuple[Confirmation, ...]
    waiting: tuple[Confirmation, ...]

    @property
    def free_seats(self) -> int:
        return self.group.seats - len(self.admitted)

    @property
    def admitted_refs(self) -> tuple[str, ...]:
        return tuple(c.candidate for c in self.admitted)

    @property
    def waiting_refs(self) -> tuple[str, ...]:
        return tuple(c.candidate for c in self.waiting)


@dataclass(frozen=True)
class NotListed:
    """A candidate on neither list, and why."""

    candidate: str
    reason: Reason


@dataclass(frozen=True)
class FinalList:
    """The final list at ``computed_at``: per group the admitted and the waiting (R7.2)."""

    computed_at: datetime
    frozen: bool  # True from the freeze instant on: nobody moves up any more
    groups: tuple[GroupList, ...]  # in the order of the seat groups given
    not_listed: tuple[NotListed, ...]  # sorted by candidate reference

    def group(self, code: str) -> GroupList:
        for group_list in self.groups:
            if group_list.group.code == code:
                return group_list
        raise KeyError(code)

    def reason_for(self, candidate: str) -> Reason | None:
        """Why ``candidate`` is on neither list; None when admitted, waiting or unknown."""
        for entry in self.not_listed:
            if entry.candidate == candidate:
                return entry.reason
        return None

    @property
    def admitted_refs(self) -> frozenset[str]:
        return frozenset(c.candidate for g in self.groups for c in g.admitted)

    @property
    def waiting_refs(self) -> frozenset[str]:
        return frozenset(c.candidate for g in self.groups for c in g.waiting)


# --- Reasons ----------------------------------------------------------------------------------


def _zone_name(instant: datetime) -> str:
    """The IANA name of an instant's zone, for wording only; UTC for a fixed offset."""
    return getattr(instant.tzinfo, "key", None) or "UTC"


def _reason_fraud(c: Confirmation) -> Reason:
    return Reason(
        "ranking.excluded_for_fraud",
        fr="Exclu(e) du recrutement pour fraude ou tentative de fraude : toute admission est "
        "retirée.",
        en="Excluded from the campaign for fraud or attempted fraud: any admission is withdrawn.",
        data={"at": c.fraud_excluded_at},
    )


def _reason_withdrawn(c: Confirmation) -> Reason:
    return Reason(
        "ranking.withdrawn",
        fr="Candidature retirée : la place est libérée.",
        en="Application withdrawn: the seat is freed.",
        data={"at": c.withdrawn_at},
    )


def _reason_not_admitted() -> Reason:
    return Reason(
        "ranking.not_academically_admitted",
        fr="Ne figure pas sur la liste des admis académiques : l'admission définitive n'est "
        "pas possible.",
        en="Not on the list of academically admitted candidates: final admission is not possible.",
    )


def _reason_no_group(c: Confirmation) -> Reason:
    return Reason(
        "ranking.status_without_seats",
        fr=f"Aucune place n'est ouverte pour le statut « {c.status.value} ».",
        en=f'No seats are open for the status "{c.status.value}".',
        data={"status": c.status.value},
    )


def _reason_over_age(c: Confirmation, limit: int) -> Reason:
    # Same code as eligibility.check_age_at_contract, which needs a whole Campaign.
    return Reason(
        "age.over_limit_at_contract",
        fr=f"À la date du contrat ({clock.format_date(c.contract_date, 'fr')}), vous avez "
        f"{limit} ans ou plus : le contrat d'apprentissage doit être conclu avant vos {limit} "
        "ans, sauf dérogation prévue par la loi.",
        en=f"On the contract date ({clock.format_date(c.contract_date, 'en')}) you are {limit} "
        f"or older: the apprenticeship contract must be concluded before your {limit}th "
        "birthday, unless a legal exemption applies.",
        data={"contract_date": c.contract_date, "limit": limit},
    )


@lru_cache(maxsize=16)
def _freeze_words(frozen_at: datetime) -> tuple[str, str]:
    """The freeze instant in words, French and English: the same for every candidate of a list,
    so worded once (a frozen list of 100,000 words it for each one on neither list)."""
    tz = _zone_name(frozen_at)
    return clock.format_deadline(frozen_at, tz, "fr"), clock.format_deadline(frozen_at, tz, "en")


def _reason_after_freeze(c: Confirmation, frozen_at: datetime) -> Reason:
    tz = _zone_name(frozen_at)
    frozen_fr, frozen_en = _freeze_words(frozen_at)
    return Reason(
        "ranking.confirmed_after_freeze",
        fr=f"La confirmation de l'entreprise ({clock.format_instant(c.confirmed_at, tz, 'fr')}) "
        f"est arrivée après la clôture de la liste ({frozen_fr}) : aucune admission n'est "
        "possible.",
        en=f"The company's confirmation ({clock.format_instant(c.confirmed_at, tz, 'en')}) came "
        f"after the list closed ({frozen_en}): no admission is possible.",
        data={"confirmed_at": c.confirmed_at, "frozen_at": frozen_at},
    )


def _reason_not_yet(c: Confirmation) -> Reason:
    return Reason(
        "ranking.not_yet_confirmed",
        fr="La confirmation de l'entreprise n'est pas encore enregistrée à cette date.",
        en="The company's confirmation is not recorded yet at this date.",
        data={"confirmed_at": c.confirmed_at},
    )


def _reason_list_frozen(rank: int, frozen_at: datetime) -> Reason:
    frozen_fr, frozen_en = _freeze_words(frozen_at)
    return Reason(
        "ranking.list_frozen",
        fr=f"La liste a été close le {frozen_fr} alors que vous "
        f"étiez n° {rank} sur la liste d'attente : aucune admission n'est plus possible.",
        en=f"The list closed at {frozen_en} while you were "
        f"number {rank} on the waiting list: no admission is possible any more.",
        data={"waiting_rank": rank, "frozen_at": frozen_at},
    )


# --- The list ---------------------------------------------------------------------------------


def group_for_status(seat_groups: Sequence[SeatGroup], status: StatusSought) -> SeatGroup | None:
    """The seat group whose seats a status competes for (R1.4), or None."""
    for group in seat_groups:
        if status in group.statuses:
            return group
    return None


def _is_aware(instant: datetime) -> bool:
    tz = instant.tzinfo
    if tz is None:
        return False
    # ZoneInfo and timezone always give an offset; asking a ZoneInfo costs a lookup per call,
    # which 100,000 candidates x 4 instants make felt (benchmarks/final_list).
    return type(tz) in _ALWAYS_AWARE or instant.utcoffset() is not None


_ALWAYS_AWARE = (ZoneInfo, timezone)


def _check_inputs(
    confirmations: Sequence[Confirmation],
    seat_groups: Sequence[SeatGroup],
    frozen_at: datetime,
    now: datetime,
) -> None:
    def fail(code: str, fr: str, en: str, **data: object) -> NoReturn:
        raise RulesError(Reason(code, fr=fr, en=en, data=dict(data)))

    codes: set[str] = set()
    statuses: set[StatusSought] = set()
    for group in seat_groups:
        if group.seats < 0:
            fail(
                "ranking.negative_seats",
                f"Le groupe « {group.code} » a un nombre de places négatif.",
                f'Group "{group.code}" has a negative number of seats.',
                group=group.code,
            )
        if group.code in codes:
            fail(
                "ranking.duplicate_group",
                f"Le groupe « {group.code} » est défini deux fois.",
                f'Group "{group.code}" is defined twice.',
                group=group.code,
            )
        codes.add(group.code)
        for status in group.statuses:
            if status in statuses:
                fail(
                    "ranking.status_in_two_groups",
                    f"Le statut « {status.value} » est dans deux groupes de places.",
                    f'Status "{status.value}" is in two seat groups.',
                    status=status.value,
                )
            statuses.add(status)
    refs: set[str] = set()
    for c in confirmations:
        if c.candidate in refs:
            fail(
                "ranking.duplicate_candidate",
                f"Le candidat « {c.candidate} » apparaît deux fois.",
                f'Candidate "{c.candidate}" appears twice.',
                candidate=c.candidate,
            )
        refs.add(c.candidate)
        if not (
            _is_aware(c.confirmed_at)
            and _is_aware(c.submitted_at)
            and (c.withdrawn_at is None or _is_aware(c.withdrawn_at))
            and (c.fraud_excluded_at is None or _is_aware(c.fraud_excluded_at))
        ):
            fail(
                "ranking.naive_instant",
                f"Le candidat « {c.candidate} » a un instant sans fuseau horaire.",
                f'Candidate "{c.candidate}" has an instant without a time zone.',
                candidate=c.candidate,
            )
    if not (_is_aware(frozen_at) and _is_aware(now)):
        fail(
            "ranking.naive_instant",
            "L'instant de clôture et l'instant présent doivent avoir un fuseau horaire.",
            "The freeze instant and the current instant must have a time zone.",
        )


def _has_left(c: Confirmation, until: datetime, *, inclusive: bool) -> bool:
    """Whether ``c`` withdrew or was excluded for fraud before ``until`` (or at it)."""
    for event in (c.withdrawn_at, c.fraud_excluded_at):
        if event is not None and (event <= until if inclusive else event < until):
            return True
    return False


def _groups_by_status(seat_groups: Sequence[SeatGroup]) -> dict[StatusSought, SeatGroup]:
    """``group_for_status`` for every status at once (a status is in one group at most)."""
    return {status: group for group in reversed(seat_groups) for status in group.statuses}


def _can_take_a_seat(
    c: Confirmation, group_of: Mapping[StatusSought, SeatGroup], age_limit: int
) -> bool:
    """The conditions that do not depend on time: academic list, a group, age (R3.2, R7.2)."""
    if not c.academically_admitted or c.status not in group_of:
        return False
    # R3.2: the age limit binds apprenticeship contracts only.
    return (
        c.status is not StatusSought.APPRENTICESHIP
        or c.legal_age_exemption
        or under_age_limit(c.birth_date, c.contract_date, age_limit)
    )


def _reason_not_listed(
    c: Confirmation,
    group_of: Mapping[StatusSought, SeatGroup],
    *,
    age_limit: int,
    frozen_at: datetime,
    now: datetime,
    waiting_rank_at_freeze: Mapping[str, int],
) -> Reason:
    """The one reason shown for a candidate on neither list, most serious first."""
    if c.fraud_excluded_at is not None and c.fraud_excluded_at <= now:
        return _reason_fraud(c)  # R7.5: overrides everything
    if c.withdrawn_at is not None and c.withdrawn_at <= now:
        return _reason_withdrawn(c)
    if not c.academically_admitted:
        return _reason_not_admitted()
    if c.status not in group_of:
        return _reason_no_group(c)
    # Those waiting at the freeze stood in line, so they passed the age check already.
    if c.candidate not in waiting_rank_at_freeze and not _can_take_a_seat(c, group_of, age_limit):
        return _reason_over_age(c, age_limit)
    if c.confirmed_at >= frozen_at:
        return _reason_after_freeze(c, frozen_at)
    if c.confirmed_at > now:
        return _reason_not_yet(c)
    if c.candidate in waiting_rank_at_freeze:
        return _reason_list_frozen(waiting_rank_at_freeze[c.candidate], frozen_at)
    # Every other case is listed; reaching here is a bug in final_list.
    raise AssertionError(f"no reason for {c.candidate}")


# The place in line (Confirmation.line_key) and the reference, as C-level sort keys.
_LINE_KEY = attrgetter("confirmed_at", "submitted_at", "candidate")
_REFERENCE = attrgetter("candidate")


def final_list(
    confirmations: Sequence[Confirmation],
    seat_groups: Sequence[SeatGroup],
    *,
    frozen_at: datetime,
    age_limit: int,
    now: datetime,
) -> FinalList:
    """The final list and the waiting lists at ``now`` (R7.2, R7.5); see the module docstring.

    Raises RulesError for inconsistent inputs: a candidate twice, a status in two groups, a
    negative number of seats, a naive datetime.
    """
    _check_inputs(confirmations, seat_groups, frozen_at, now)
    frozen = now >= frozen_at
    # The line moves with every event up to ``now`` (included) until the freeze; from the
    # freeze on it stands as it was just before ``frozen_at`` (R7.2).
    cut, inclusive = (frozen_at, False) if frozen else (now, True)

    group_of = _groups_by_status(seat_groups)
    lines: dict[str, list[Confirmation]] = {g.code: [] for g in seat_groups}
    for c in confirmations:
        confirmed = c.confirmed_at <= cut if inclusive else c.confirmed_at < cut
        if (
            confirmed
            and not _has_left(c, cut, inclusive=inclusive)
            and _can_take_a_seat(c, group_of, age_limit)
        ):
            lines[group_of[c.status].code].append(c)

    group_lists: list[GroupList] = []
    waiting_rank_at_freeze: dict[str, int] = {}
    for group in seat_groups:
        line = sorted(lines[group.code], key=_LINE_KEY)
        admitted, waiting = line[: group.seats], line[group.seats :]
        if frozen:
            # Leaving after the freeze frees the seat, but nobody moves up (R7.2, R7.5);
            # those still waiting are told the list is closed.
            admitted = [c for c in admitted if not _has_left(c, now, inclusive=True)]
            waiting_rank_at_freeze.update((c.candidate, i) for i, c in enumerate(waiting, 1))
            waiting = []
        group_lists.append(GroupList(group=group, admitted=tuple(admitted), waiting=tuple(waiting)))

    listed = {c.candidate for g in group_lists for c in (*g.admitted, *g.waiting)}
    not_listed = tuple(
        NotListed(
            candidate=c.candidate,
            reason=_reason_not_listed(
                c,
                group_of,
                age_limit=age_limit,
                frozen_at=frozen_at,
                now=now,
                waiting_rank_at_freeze=waiting_rank_at_freeze,
            ),
        )
        for c in sorted(confirmations, key=_REFERENCE)
        if c.candidate not in listed
    )
    return FinalList(
        computed_at=now, frozen=frozen, groups=tuple(group_lists), not_listed=not_listed
    )


def campaign_final_list(
    campaign: Campaign, confirmations: Sequence[Confirmation], *, now: datetime
) -> FinalList:
    """``final_list`` with the campaign's seat groups, freeze instant and age limit."""
    return final_list(
        confirmations,
        campaign.seat_groups,
        frozen_at=campaign.calendar.final_list_frozen_at,
        age_limit=campaign.eligibility.age_limit_years,
        now=now,
    )
