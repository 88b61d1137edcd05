"""Final admission (R7.2, R7.5): seats in order of company confirmation, waiting list, freeze."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admissions.rules.explain import RulesError
from admissions.rules.params import SeatGroup, StatusSought
from admissions.rules.ranking import Confirmation, FinalList, campaign_final_list, final_list

PARIS = ZoneInfo("Europe/Paris")
APPRENTICESHIP = StatusSought.APPRENTICESHIP
CONTINUING = StatusSought.CONTINUING_EDUCATION
PROFESSIONALISATION = StatusSought.PROFESSIONALISATION

# R1.4: 45 apprenticeship seats; 5 shared by continuing education and professionalisation.
APPRENTICES = SeatGroup("apprentissage", (APPRENTICESHIP,), 45)
OTHERS = SeatGroup("fc_pro", (CONTINUING, PROFESSIONALISATION), 5)
GROUPS_2021 = (APPRENTICES, OTHERS)

FROZEN_AT = datetime(2021, 9, 21, 0, 0, tzinfo=PARIS)  # end of 2021-09-20 (R1.2, R7.2)
BEFORE_FREEZE = datetime(2021, 9, 1, 12, 0, tzinfo=PARIS)
AFTER_FREEZE = datetime(2021, 10, 1, 12, 0, tzinfo=PARIS)
FIRST_CONFIRMATION = datetime(2021, 4, 20, 9, 0, tzinfo=PARIS)
SUBMITTED = datetime(2021, 3, 1, 10, 0, tzinfo=PARIS)
AGE_LIMIT = 30


def confirmation(ref: str, minute: int = 0, **changes) -> Confirmation:
    """An eligible apprentice, 22 on the contract date, confirmed ``minute`` minutes in."""
    base = Confirmation(
        candidate=ref,
        status=APPRENTICESHIP,
        academically_admitted=True,
        confirmed_at=FIRST_CONFIRMATION + timedelta(minutes=minute),
        contract_start=date(2021, 9, 1),
        birth_date=date(1999, 5, 17),
        submitted_at=SUBMITTED,
    )
    return replace(base, **changes)


def apprentices(n: int) -> list[Confirmation]:
    return [confirmation(f"A{i:03d}", minute=i) for i in range(1, n + 1)]


def rank(confirmations, now=BEFORE_FREEZE, groups=GROUPS_2021) -> FinalList:
    return final_list(confirmations, groups, frozen_at=FROZEN_AT, age_limit=AGE_LIMIT, now=now)


def reason_code(result: FinalList, ref: str) -> str | None:
    reason = result.reason_for(ref)
    return None if reason is None else reason.code


# --- Seats and the waiting list --------------------------------------------------------------


def test_final_list_46_apprentices_admits_45_and_one_waits():
    result = rank(apprentices(46))

    group = result.group("apprentissage")
    assert group.admitted_refs == tuple(f"A{i:03d}" for i in range(1, 46))
    assert group.waiting_refs == ("A046",)
    assert result.not_listed == ()


def test_final_list_admits_in_order_of_confirmation_not_of_input():
    result = rank([confirmation("late", 30), confirmation("early", 10), confirmation("mid", 20)])

    assert result.group("apprentissage").admitted_refs == ("early", "mid", "late")


def test_final_list_withdrawal_moves_first_waiting_up():
    line = apprentices(47)
    line[9] = replace(line[9], withdrawn_at=BEFORE_FREEZE - timedelta(days=1))  # A010

    result = rank(line)

    group = result.group("apprentissage")
    assert "A010" not in group.admitted_refs
    assert group.admitted_refs[-1] == "A046"
    assert group.waiting_refs == ("A047",)
    assert reason_code(result, "A010") == "ranking.withdrawn"


def test_final_list_withdrawal_of_a_waiting_candidate_leaves_admitted_unchanged():
    line = apprentices(47)
    line[45] = replace(line[45], withdrawn_at=BEFORE_FREEZE)  # A046, first waiting

    result = rank(line)

    assert len(result.group("apprentissage").admitted) == 45
    assert result.group("apprentissage").waiting_refs == ("A047",)


def test_final_list_fraud_removes_admission_and_frees_the_seat():
    line = apprentices(46)
    line[0] = replace(line[0], fraud_excluded_at=BEFORE_FREEZE - timedelta(hours=1))

    result = rank(line)

    group = result.group("apprentissage")
    assert "A001" not in group.admitted_refs
    assert group.admitted_refs[-1] == "A046"
    assert group.waiting == ()
    assert reason_code(result, "A001") == "ranking.excluded_for_fraud"


def test_final_list_fraud_outranks_every_other_reason():
    c = confirmation("F", academically_admitted=False, withdrawn_at=BEFORE_FREEZE)
    c = replace(c, fraud_excluded_at=BEFORE_FREEZE)

    assert reason_code(rank([c]), "F") == "ranking.excluded_for_fraud"


def test_final_list_groups_have_separate_seats():
    others = [confirmation(f"C{i}", minute=i, status=CONTINUING) for i in range(1, 4)]
    others += [confirmation(f"P{i}", minute=10 + i, status=PROFESSIONALISATION) for i in (1, 2, 3)]

    result = rank(apprentices(3) + others)

    assert result.group("apprentissage").admitted_refs == ("A001", "A002", "A003")
    assert result.group("fc_pro").admitted_refs == ("C1", "C2", "C3", "P1", "P2")
    assert result.group("fc_pro").waiting_refs == ("P3",)


def test_final_list_refuses_status_in_no_group():
    c = confirmation("P", status=PROFESSIONALISATION)

    result = rank([c], groups=(APPRENTICES,))

    assert reason_code(result, "P") == "ranking.status_without_seats"


def test_final_list_refuses_not_academically_admitted():
    result = rank([confirmation("N", academically_admitted=False)])

    assert result.admitted_refs == frozenset()
    assert reason_code(result, "N") == "ranking.not_academically_admitted"


def test_final_list_with_no_seat_puts_everyone_on_the_waiting_list():
    result = rank(apprentices(2), groups=(replace(APPRENTICES, seats=0),))

    assert result.group("apprentissage").waiting_refs == ("A001", "A002")


def test_campaign_final_list_uses_the_2021_seats_freeze_and_age_limit(campaign_2021):
    line = apprentices(46) + [confirmation("OLD", 50, birth_date=date(1990, 1, 1))]
    line += [confirmation("LATE", confirmed_at=FROZEN_AT, status=CONTINUING)]

    result = campaign_final_list(campaign_2021, line, now=AFTER_FREEZE)

    assert len(result.group("apprentissage").admitted) == 45
    assert reason_code(result, "A046") == "ranking.list_frozen"
    assert reason_code(result, "OLD") == "age.over_limit_at_contract"
    assert reason_code(result, "LATE") == "ranking.confirmed_after_freeze"


# --- The freeze ------------------------------------------------------------------------------


def test_final_list_refuses_confirmation_at_exactly_the_freeze_instant():
    c = confirmation("AT", confirmed_at=datetime(2021, 9, 21, 0, 0, 0, tzinfo=PARIS))

    result = rank([c], now=AFTER_FREEZE)

    assert result.admitted_refs == frozenset()
    assert result.waiting_refs == frozenset()
    reason = result.reason_for("AT")
    assert reason is not None
    assert reason.code == "ranking.confirmed_after_freeze"
    assert "21 septembre 2021 à 0 h" in reason.fr
    assert "20 septembre 2021 à minuit" in reason.fr


def test_final_list_accepts_confirmation_one_second_before_the_freeze():
    c = confirmation("LAST", confirmed_at=datetime(2021, 9, 20, 23, 59, 59, tzinfo=PARIS))

    result = rank([c], now=AFTER_FREEZE)

    assert result.group("apprentissage").admitted_refs == ("LAST",)


def test_final_list_freeze_instant_in_utc_is_the_same_instant():
    # 2021-09-21T00:00 Europe/Paris is 2021-09-20T22:00 UTC (summer time).
    c = confirmation("UTC", confirmed_at=datetime(2021, 9, 20, 22, 0, tzinfo=ZoneInfo("UTC")))

    assert reason_code(rank([c], now=AFTER_FREEZE), "UTC") == "ranking.confirmed_after_freeze"


def test_final_list_confirmation_after_freeze_does_not_wait_either():
    line = apprentices(45) + [confirmation("LATE", confirmed_at=FROZEN_AT + timedelta(days=1))]

    result = rank(line, now=AFTER_FREEZE)

    assert result.group("apprentissage").waiting == ()
    assert reason_code(result, "LATE") == "ranking.confirmed_after_freeze"


def test_final_list_withdrawal_after_freeze_frees_a_seat_but_nobody_moves_up():
    line = apprentices(46)
    line[0] = replace(line[0], withdrawn_at=FROZEN_AT + timedelta(days=2))

    result = rank(line, now=AFTER_FREEZE)

    group = result.group("apprentissage")
    assert result.frozen is True
    assert len(group.admitted) == 44
    assert group.free_seats == 1
    assert group.waiting == ()
    assert reason_code(result, "A001") == "ranking.withdrawn"
    reason = result.reason_for("A046")
    assert reason is not None
    assert (reason.code, reason.data["waiting_rank"]) == ("ranking.list_frozen", 1)


def test_final_list_withdrawal_at_exactly_the_freeze_instant_moves_nobody_up():
    line = apprentices(46)
    line[0] = replace(line[0], withdrawn_at=FROZEN_AT)

    result = rank(line, now=FROZEN_AT)

    assert len(result.group("apprentissage").admitted) == 44
    assert reason_code(result, "A046") == "ranking.list_frozen"


def test_final_list_withdrawal_just_before_freeze_still_moves_up_after_it():
    line = apprentices(46)
    line[0] = replace(line[0], withdrawn_at=FROZEN_AT - timedelta(seconds=1))

    result = rank(line, now=AFTER_FREEZE)

    assert result.group("apprentissage").admitted_refs[-1] == "A046"


def test_final_list_fraud_after_freeze_removes_admission_without_moving_up():
    line = apprentices(46)
    line[4] = replace(line[4], fraud_excluded_at=AFTER_FREEZE)

    result = rank(line, now=AFTER_FREEZE)

    assert "A005" not in result.admitted_refs
    assert "A046" not in result.admitted_refs
    assert reason_code(result, "A005") == "ranking.excluded_for_fraud"


def test_final_list_frozen_list_is_stable_over_time():
    line = apprentices(46)

    assert rank(line, now=FROZEN_AT).groups == rank(line, now=AFTER_FREEZE).groups


# --- now: events in the future have not happened yet ----------------------------------------


def test_final_list_ignores_confirmations_after_now():
    c = confirmation("SOON", confirmed_at=BEFORE_FREEZE + timedelta(hours=1))

    result = rank([c], now=BEFORE_FREEZE)

    assert reason_code(result, "SOON") == "ranking.not_yet_confirmed"


def test_final_list_ignores_withdrawal_after_now():
    c = confirmation("W", withdrawn_at=BEFORE_FREEZE + timedelta(hours=1))

    assert rank([c], now=BEFORE_FREEZE).group("apprentissage").admitted_refs == ("W",)


def test_final_list_counts_a_confirmation_at_exactly_now():
    c = confirmation("NOW", confirmed_at=BEFORE_FREEZE)

    assert rank([c], now=BEFORE_FREEZE).group("apprentissage").admitted_refs == ("NOW",)


# --- Age on the actual contract date (R3.2, R7.2) -------------------------------------------


def test_final_list_refuses_apprentice_aged_30_on_contract_date():
    c = confirmation("OLD", birth_date=date(1991, 9, 1), contract_start=date(2021, 9, 1))

    result = rank([c])

    assert reason_code(result, "OLD") == "age.over_limit_at_contract"
    reason = result.reason_for("OLD")
    assert reason is not None
    assert "1er septembre 2021" in reason.fr
    assert "1 September 2021" in reason.en


def test_final_list_accepts_apprentice_one_day_before_30th_birthday():
    c = confirmation("YOUNG", birth_date=date(1991, 9, 2), contract_start=date(2021, 9, 1))

    assert rank([c]).group("apprentissage").admitted_refs == ("YOUNG",)


def test_final_list_accepts_apprentice_over_30_with_legal_exemption():
    c = confirmation("EX", birth_date=date(1980, 1, 1), legal_age_exemption=True)

    assert rank([c]).group("apprentissage").admitted_refs == ("EX",)


def test_final_list_checks_age_on_signature_date_when_known():
    # 30 on the start date, 29 on the day the contract was concluded: accepted (R3.2).
    c = confirmation(
        "SIGNED",
        birth_date=date(1991, 8, 15),
        contract_start=date(2021, 9, 1),
        contract_signed_on=date(2021, 7, 10),
    )

    assert rank([c]).group("apprentissage").admitted_refs == ("SIGNED",)


def test_final_list_age_leap_day_birthday_turns_30_on_1_march():
    born = date(1992, 2, 29)  # 30th birthday in 2022, not a leap year: 1 March
    before = confirmation("B", birth_date=born, contract_start=date(2022, 2, 28))
    on = confirmation("O", minute=1, birth_date=born, contract_start=date(2022, 3, 1))

    result = rank([before, on])

    assert result.group("apprentissage").admitted_refs == ("B",)
    assert reason_code(result, "O") == "age.over_limit_at_contract"


def test_final_list_age_limit_applies_to_apprenticeship_only():
    c = confirmation("FC", status=CONTINUING, birth_date=date(1975, 1, 1))

    assert rank([c]).group("fc_pro").admitted_refs == ("FC",)


def test_final_list_over_age_apprentice_does_not_take_a_seat():
    line = apprentices(45) + [confirmation("A046", minute=46)]
    line[0] = replace(line[0], birth_date=date(1980, 1, 1))

    result = rank(line)

    assert result.group("apprentissage").admitted_refs[-1] == "A046"


# --- Ties ------------------------------------------------------------------------------------


def test_final_list_tie_goes_to_earlier_submission():
    same = FIRST_CONFIRMATION
    a = confirmation("A", confirmed_at=same, submitted_at=SUBMITTED + timedelta(days=1))
    b = confirmation("B", confirmed_at=same, submitted_at=SUBMITTED)

    result = rank([a, b], groups=(replace(APPRENTICES, seats=1),))

    assert result.group("apprentissage").admitted_refs == ("B",)
    assert result.group("apprentissage").waiting_refs == ("A",)


def test_final_list_tie_on_both_instants_goes_to_candidate_reference():
    a = confirmation("REF-2")
    b = confirmation("REF-1")

    result = rank([a, b], groups=(replace(APPRENTICES, seats=1),))

    assert result.group("apprentissage").admitted_refs == ("REF-1",)


def test_final_list_tie_compares_instants_across_time_zones():
    paris = confirmation("P", confirmed_at=datetime(2021, 5, 3, 10, 0, tzinfo=PARIS))
    utc = confirmation(
        "U",
        confirmed_at=datetime(2021, 5, 3, 8, 0, tzinfo=ZoneInfo("UTC")),
        submitted_at=SUBMITTED - timedelta(days=1),
    )

    result = rank([paris, utc], groups=(replace(APPRENTICES, seats=1),))

    assert result.group("apprentissage").admitted_refs == ("U",)


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_final_list_ties_do_not_depend_on_input_order(order):
    tied = [confirmation(ref) for ref in ("Z", "M", "B")]

    result = rank([tied[i] for i in order], groups=(replace(APPRENTICES, seats=2),))

    assert result.group("apprentissage").admitted_refs == ("B", "M")
    assert result.group("apprentissage").waiting_refs == ("Z",)


# --- Bad input -------------------------------------------------------------------------------


def test_final_list_refuses_a_candidate_twice():
    with pytest.raises(RulesError) as error:
        rank([confirmation("A"), confirmation("A", 5)])

    assert error.value.reason.code == "ranking.duplicate_candidate"


def test_final_list_refuses_a_status_in_two_groups():
    groups = (APPRENTICES, SeatGroup("other", (APPRENTICESHIP,), 3))

    with pytest.raises(RulesError) as error:
        rank([], groups=groups)

    assert error.value.reason.code == "ranking.status_in_two_groups"


def test_final_list_refuses_naive_instants():
    c = confirmation("N", confirmed_at=datetime(2021, 5, 3, 10, 0))

    with pytest.raises(RulesError) as error:
        rank([c])

    assert error.value.reason.code == "ranking.naive_instant"


def test_final_list_refuses_negative_seats():
    with pytest.raises(RulesError) as error:
        rank([], groups=(replace(APPRENTICES, seats=-1),))

    assert error.value.reason.code == "ranking.negative_seats"


def test_final_list_reasons_have_both_languages():
    line = [
        confirmation("F", fraud_excluded_at=BEFORE_FREEZE),
        confirmation("W", withdrawn_at=BEFORE_FREEZE),
        confirmation("N", academically_admitted=False),
        confirmation("P", status=PROFESSIONALISATION),
        confirmation("O", birth_date=date(1980, 1, 1)),
        confirmation("L", confirmed_at=FROZEN_AT),
    ]

    result = rank(line, now=AFTER_FREEZE, groups=(APPRENTICES,))

    assert [e.candidate for e in result.not_listed] == ["F", "L", "N", "O", "P", "W"]
    assert all(
        e.reason.fr and e.reason.en and e.reason.fr != e.reason.en for e in result.not_listed
    )


# --- Properties ------------------------------------------------------------------------------

# A handful of instants around the freeze, so that ties and the boundary come up often.
INSTANTS = [FROZEN_AT + timedelta(hours=h) for h in (-72, -48, -24, -1, 0, 1, 24)]
NOWS = [FROZEN_AT + timedelta(hours=h) for h in (-50, -24, -2, 0, 30)]


@st.composite
def confirmations(draw) -> list[Confirmation]:
    refs = draw(st.lists(st.text("ABCDEFGH", min_size=1, max_size=3), unique=True, max_size=14))
    maybe_instant = st.none() | st.sampled_from(INSTANTS)
    return [
        Confirmation(
            candidate=ref,
            status=draw(st.sampled_from(list(StatusSought))),
            academically_admitted=draw(st.booleans()),
            confirmed_at=draw(st.sampled_from(INSTANTS)),
            contract_start=date(2021, 9, 1),
            birth_date=draw(
                st.sampled_from([date(1991, 9, 1), date(1991, 9, 2), date(2000, 1, 1)])
            ),
            submitted_at=draw(st.sampled_from([SUBMITTED, SUBMITTED + timedelta(days=1)])),
            legal_age_exemption=draw(st.booleans()),
            withdrawn_at=draw(maybe_instant),
            fraud_excluded_at=draw(st.none() | maybe_instant),
        )
        for ref in refs
    ]


seat_groups = st.tuples(st.integers(0, 4), st.integers(0, 3)).map(
    lambda seats: (replace(APPRENTICES, seats=seats[0]), replace(OTHERS, seats=seats[1]))
)
nows = st.sampled_from(NOWS)


@given(confirmations(), seat_groups, nows)
def test_never_more_admitted_than_seats(line, groups, now):
    result = rank(line, now=now, groups=groups)

    assert all(len(g.admitted) <= g.group.seats for g in result.groups)


@given(confirmations(), seat_groups, nows)
def test_nobody_confirmed_at_or_after_freeze_is_listed(line, groups, now):
    result = rank(line, now=now, groups=groups)

    listed = result.admitted_refs | result.waiting_refs
    assert all(c.confirmed_at < FROZEN_AT for c in line if c.candidate in listed)


@given(confirmations(), seat_groups, nows, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(line, groups, now, random):
    shuffled = list(line)
    random.shuffle(shuffled)

    assert rank(shuffled, now=now, groups=groups) == rank(line, now=now, groups=groups)


@given(confirmations(), seat_groups, nows)
def test_admitted_and_waiting_are_in_confirmation_order(line, groups, now):
    result = rank(line, now=now, groups=groups)

    for g in result.groups:
        keys = [c.line_key for c in (*g.admitted, *g.waiting)]
        assert keys == sorted(keys)


@given(confirmations(), seat_groups, nows)
def test_every_admitted_is_academically_admitted_and_eligible(line, groups, now):
    result = rank(line, now=now, groups=groups)

    for g in result.groups:
        for c in g.admitted:
            assert c.academically_admitted
            assert c.status in g.group.statuses
            assert c.fraud_excluded_at is None or c.fraud_excluded_at > now
            assert c.withdrawn_at is None or c.withdrawn_at > now


@given(confirmations(), seat_groups, nows)
def test_waiting_list_only_when_group_full(line, groups, now):
    result = rank(line, now=now, groups=groups)

    for g in result.groups:
        assert not g.waiting or len(g.admitted) == g.group.seats


@given(confirmations(), seat_groups, nows)
def test_every_candidate_is_listed_once_or_has_a_reason(line, groups, now):
    result = rank(line, now=now, groups=groups)

    listed = [c.candidate for g in result.groups for c in (*g.admitted, *g.waiting)]
    unlisted = [e.candidate for e in result.not_listed]
    assert sorted(listed + unlisted) == sorted(c.candidate for c in line)


@given(confirmations(), seat_groups, nows)
def test_after_freeze_admitted_are_a_subset_of_the_list_at_freeze(line, groups, now):
    at_freeze = rank(line, now=FROZEN_AT, groups=groups)

    result = rank(line, now=max(now, FROZEN_AT), groups=groups)

    assert result.admitted_refs <= at_freeze.admitted_refs


@given(confirmations(), seat_groups)
def test_before_freeze_leaving_moves_the_first_waiting_up(line, groups):
    now = FROZEN_AT - timedelta(hours=2)
    result = rank(line, now=now, groups=groups)
    full = [g for g in result.groups if g.admitted and g.waiting]
    if not full:
        return
    leaving, first_waiting = full[0].admitted[0], full[0].waiting[0]
    line = [replace(c, withdrawn_at=now) if c == leaving else c for c in line]

    after = rank(line, now=now, groups=groups)

    assert first_waiting.candidate in after.group(full[0].group.code).admitted_refs
