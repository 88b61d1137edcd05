"""Windows, extensions, publications and phases, exact to the second in Europe/Paris
(R1.2, R1.5, R1.6, R2.1, R3.7, R5.2, R6.4, R7.2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admissions.rules import deadlines
from admissions.rules.deadlines import EntryState, Phase
from admissions.rules.explain import RulesError
from admissions.rules.params import Extension, Window
from tests.rules.reference import PARIS, campaign_2021, paris

CAMPAIGN = campaign_2021()
LAST_SECOND = paris(2021, 3, 9, 23, 59, 59)
CLOSE = paris(2021, 3, 10)


def with_extensions(*extensions: Extension):
    return replace(CAMPAIGN, extensions=extensions)


# --- is_open: half-open windows --------------------------------------------------------------


def test_applications_open_at_the_last_second_of_9_march():
    assert deadlines.is_open(CAMPAIGN.calendar.applications, LAST_SECOND) is True


def test_applications_closed_at_10_march_midnight():
    assert deadlines.is_open(CAMPAIGN.calendar.applications, CLOSE) is False


def test_applications_open_at_the_first_instant_of_1_february():
    assert deadlines.is_open(CAMPAIGN.calendar.applications, paris(2021, 2, 1)) is True


def test_applications_not_open_the_second_before_1_february():
    assert (
        deadlines.is_open(CAMPAIGN.calendar.applications, paris(2021, 1, 31, 23, 59, 59)) is False
    )


def test_close_given_in_utc_is_the_same_instant_as_paris_midnight():
    # 10 March 00:00 in Paris (UTC+1 in March before the 28th) is 9 March 23:00 UTC.
    assert deadlines.is_open(
        CAMPAIGN.calendar.applications, datetime(2021, 3, 9, 22, 59, 59, tzinfo=UTC)
    )
    assert not deadlines.is_open(
        CAMPAIGN.calendar.applications, datetime(2021, 3, 9, 23, tzinfo=UTC)
    )


def test_is_open_refuses_a_naive_instant():
    with pytest.raises(RulesError):
        deadlines.is_open(CAMPAIGN.calendar.applications, datetime(2021, 3, 9, 12))


# --- a window across the 2021-03-28 spring-forward -------------------------------------------


def test_exam_booking_closes_at_paris_midnight_after_spring_forward():
    # The booking window opens on 24 March (UTC+1) and closes 29 March 00:00 (UTC+2).
    booking = CAMPAIGN.calendar.exam_booking
    assert deadlines.is_open(booking, datetime(2021, 3, 28, 21, 59, 59, tzinfo=UTC)) is True
    assert deadlines.is_open(booking, datetime(2021, 3, 28, 22, 0, 0, tzinfo=UTC)) is False


def test_window_spanning_spring_forward_is_open_in_the_skipped_hour_instant():
    booking = CAMPAIGN.calendar.exam_booking
    # 2021-03-28 01:30 UTC is 03:30 CEST: the wall hour 02:xx does not exist that night.
    assert deadlines.is_open(booking, datetime(2021, 3, 28, 1, 30, tzinfo=UTC)) is True


def test_window_with_a_fixed_offset_bound_compares_by_instant():
    # Same instant as paris(2021, 3, 29) but expressed with a fixed +02:00 offset.
    window = Window(paris(2021, 3, 24), datetime.fromisoformat("2021-03-29T00:00:00+02:00"))
    assert deadlines.is_open(window, paris(2021, 3, 28, 23, 59, 59)) is True
    assert deadlines.is_open(window, paris(2021, 3, 29)) is False


# --- extensions (R1.6) -------------------------------------------------------------------------

EVERYONE = Extension("applications", paris(2021, 3, 11), "panne le 9 mars au soir")
ONE = Extension("applications", paris(2021, 3, 12, 12), "dossier bloqué", candidate="D-42")


def test_extension_for_everyone_moves_the_close():
    window = deadlines.effective_window(with_extensions(EVERYONE), "applications")
    assert window.closes_at == paris(2021, 3, 11)


def test_extension_for_one_candidate_applies_to_that_candidate_only():
    campaign = with_extensions(ONE)
    assert deadlines.effective_window(campaign, "applications", "D-42").closes_at == ONE.closes_at
    assert deadlines.effective_window(campaign, "applications", "D-7").closes_at == CLOSE
    assert deadlines.effective_window(campaign, "applications").closes_at == CLOSE


def test_latest_applicable_extension_wins():
    campaign = with_extensions(ONE, EVERYONE)
    assert deadlines.effective_window(campaign, "applications", "D-42").closes_at == ONE.closes_at
    assert (
        deadlines.effective_window(campaign, "applications", "D-7").closes_at == EVERYONE.closes_at
    )


def test_extension_to_an_earlier_instant_never_shortens():
    earlier = Extension("applications", paris(2021, 3, 5), "erreur de saisie")
    assert deadlines.effective_window(with_extensions(earlier), "applications").closes_at == CLOSE


def test_extension_of_another_window_does_not_move_applications():
    other = Extension("exam_booking", paris(2021, 3, 30), "report")
    assert deadlines.effective_window(with_extensions(other), "applications").closes_at == CLOSE


def test_unknown_window_name_is_a_rules_error():
    with pytest.raises(RulesError) as error:
        deadlines.effective_window(CAMPAIGN, "holidays")
    assert error.value.reason.code == "deadlines.unknown_window"


# --- can_submit / can_sign_up -------------------------------------------------------------------


def test_can_submit_at_last_second():
    assert deadlines.can_submit(CAMPAIGN, LAST_SECOND).allowed is True


def test_cannot_submit_at_close_and_says_since_when():
    decision = deadlines.can_submit(CAMPAIGN, CLOSE)
    assert (decision.allowed, decision.codes) == (False, ("applications.closed",))
    assert "9 mars 2021 à minuit" in decision.reasons[0].fr
    assert "9 March 2021" in decision.reasons[0].en


def test_cannot_submit_before_opening():
    decision = deadlines.can_submit(CAMPAIGN, paris(2021, 1, 15))
    assert decision.codes == ("applications.not_yet_open",)
    assert "1er février 2021" in decision.reasons[0].fr


def test_decision_is_falsy_when_refused():
    assert not deadlines.can_submit(CAMPAIGN, CLOSE)


def test_candidate_with_extension_can_submit_after_close_with_a_note():
    decision = deadlines.can_submit(with_extensions(ONE), paris(2021, 3, 12, 11), "D-42")
    assert (decision.allowed, decision.codes) == (True, ("applications.extended",))
    assert "dossier bloqué" in decision.reasons[0].fr


def test_candidate_extension_closes_exactly_at_its_instant():
    campaign = with_extensions(ONE)
    assert deadlines.can_submit(campaign, paris(2021, 3, 12, 11, 59, 59), "D-42").allowed
    assert not deadlines.can_submit(campaign, paris(2021, 3, 12, 12), "D-42").allowed


def test_other_candidate_cannot_submit_during_one_candidate_extension():
    assert not deadlines.can_submit(with_extensions(ONE), paris(2021, 3, 11), "D-7").allowed


def test_sign_up_open_at_last_second_and_closed_at_close():
    assert deadlines.can_sign_up(CAMPAIGN, LAST_SECOND).allowed is True
    assert deadlines.can_sign_up(CAMPAIGN, CLOSE).codes == ("sign_up.closed",)


def test_extension_for_one_candidate_does_not_reopen_sign_up():
    assert deadlines.can_sign_up(with_extensions(ONE), paris(2021, 3, 11)).allowed is False


def test_extension_for_everyone_keeps_sign_up_open():
    assert deadlines.can_sign_up(with_extensions(EVERYONE), paris(2021, 3, 10, 12)).allowed is True


def test_sign_up_not_yet_open_in_january():
    assert deadlines.can_sign_up(CAMPAIGN, paris(2021, 1, 31)).codes == ("sign_up.not_yet_open",)


def test_can_book_exam_day_inside_booking_window_only():
    assert deadlines.can_book_exam_day(CAMPAIGN, paris(2021, 3, 24)).allowed is True
    assert deadlines.can_book_exam_day(CAMPAIGN, paris(2021, 3, 23, 23, 59, 59)).allowed is False
    assert deadlines.can_book_exam_day(CAMPAIGN, paris(2021, 3, 29)).codes == (
        "exam_booking.closed",
    )


# --- publications and the freeze ------------------------------------------------------------------


def test_admissibility_results_hidden_until_their_instant():
    assert (
        deadlines.is_published(CAMPAIGN, "admissibility_results", paris(2021, 3, 23, 23, 59, 59))
        is False
    )
    assert deadlines.is_published(CAMPAIGN, "admissibility_results", paris(2021, 3, 24)) is True


def test_moved_admissibility_date_is_honoured():
    calendar = replace(CAMPAIGN.calendar, admissibility_results_at=paris(2021, 3, 25, 14))
    campaign = replace(CAMPAIGN, calendar=calendar)
    assert (
        deadlines.is_published(campaign, "admissibility_results", paris(2021, 3, 25, 13, 59, 59))
        is False
    )


def test_academic_results_published_from_19_april_midnight_paris_summer_time():
    assert (
        deadlines.is_published(
            CAMPAIGN, "academic_results", datetime(2021, 4, 18, 21, 59, 59, tzinfo=UTC)
        )
        is False
    )
    assert (
        deadlines.is_published(CAMPAIGN, "academic_results", datetime(2021, 4, 18, 22, tzinfo=UTC))
        is True
    )


def test_unknown_publication_is_a_rules_error():
    with pytest.raises(RulesError):
        deadlines.is_published(CAMPAIGN, "grades", paris(2021, 5, 1))


def test_final_list_frozen_at_the_end_of_20_september():
    assert deadlines.is_final_list_frozen(CAMPAIGN, paris(2021, 9, 20, 23, 59, 59)) is False
    assert deadlines.is_final_list_frozen(CAMPAIGN, paris(2021, 9, 21)) is True


# --- campaign_phase ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "phase"),
    [
        (paris(2021, 1, 31, 23, 59, 59), Phase.BEFORE_APPLICATIONS),
        (paris(2021, 2, 1), Phase.APPLICATIONS),
        (LAST_SECOND, Phase.APPLICATIONS),
        (CLOSE, Phase.ADMISSIBILITY_REVIEW),
        (paris(2021, 3, 23, 23, 59, 59), Phase.ADMISSIBILITY_REVIEW),
        (paris(2021, 3, 24), Phase.EXAM_BOOKING),
        (paris(2021, 3, 28, 23, 59, 59), Phase.EXAM_BOOKING),
        (paris(2021, 3, 29), Phase.EXAMS),
        (paris(2021, 4, 9, 23, 59, 59), Phase.EXAMS),
        (paris(2021, 4, 10), Phase.ACADEMIC_DELIBERATION),
        (paris(2021, 4, 19), Phase.COMPANY_SEARCH),
        (paris(2021, 9, 20, 23, 59, 59), Phase.COMPANY_SEARCH),
        (paris(2021, 9, 21), Phase.FINAL_LIST_FROZEN),
        (paris(2021, 10, 4), Phase.TRAINING_STARTED),
    ],
)
def test_campaign_phase_at_each_boundary(instant, phase):
    assert deadlines.campaign_phase(CAMPAIGN, instant).phase is phase


def test_phase_report_says_applications_open_at_last_second():
    report = deadlines.campaign_phase(CAMPAIGN, datetime.fromisoformat("2021-03-09T23:59:59+01:00"))
    entry = report.entry("applications")
    assert (entry.state, entry.instant) == (EntryState.OPEN, CLOSE)
    assert entry.text("fr") == "Dépôt des candidatures : ouvert jusqu'au 9 mars 2021 à minuit"
    assert entry.text("en") == "Applications: open until midnight at the end of 9 March 2021"


def test_phase_report_says_applications_closed_at_close():
    report = deadlines.campaign_phase(CAMPAIGN, datetime.fromisoformat("2021-03-10T00:00:00+01:00"))
    assert report.entry("applications").state is EntryState.CLOSED
    assert report.entry("sign_up").state is EntryState.CLOSED
    assert "Dépôt des candidatures : clos depuis le 9 mars 2021 à minuit" in report.text("fr")


def test_phase_report_lists_every_window_and_publication():
    report = deadlines.campaign_phase(CAMPAIGN, paris(2021, 3, 30, 10))
    assert {entry.name: entry.state for entry in report.entries} == {
        "sign_up": EntryState.CLOSED,
        "applications": EntryState.CLOSED,
        "admissibility_results": EntryState.PUBLISHED,
        "exam_booking": EntryState.CLOSED,
        "exams": EntryState.OPEN,
        "academic_results": EntryState.NOT_YET_PUBLISHED,
        "final_list": EntryState.NOT_YET_FROZEN,
    }


def test_phase_report_french_agrees_with_feminine_plural():
    report = deadlines.campaign_phase(CAMPAIGN, paris(2021, 4, 12))
    assert (
        report.entry("exams").text("fr")
        == "Épreuves probatoires : closes depuis le 9 avril 2021 à minuit"
    )


def test_phase_report_instant_is_paris_wall_time():
    report = deadlines.campaign_phase(CAMPAIGN, datetime(2021, 3, 9, 23, tzinfo=UTC))
    assert report.at.isoformat() == "2021-03-10T00:00:00+01:00"
    assert report.label_en == "Administrative check and dossier review (admissibility)"


def test_phase_follows_an_extension_for_everyone_but_not_for_one_candidate():
    assert (
        deadlines.campaign_phase(with_extensions(EVERYONE), paris(2021, 3, 10, 12)).phase
        is Phase.APPLICATIONS
    )
    assert (
        deadlines.campaign_phase(with_extensions(ONE), paris(2021, 3, 10, 12)).phase
        is Phase.ADMISSIBILITY_REVIEW
    )


def test_phase_report_sign_up_follows_an_extension_for_everyone_only():
    at = paris(2021, 3, 10, 12)
    assert (
        deadlines.campaign_phase(with_extensions(EVERYONE), at).entry("sign_up").state
        is EntryState.OPEN
    )
    assert (
        deadlines.campaign_phase(with_extensions(ONE), at).entry("sign_up").state
        is EntryState.CLOSED
    )


def test_reference_calendar_has_no_problems():
    assert deadlines.calendar_problems(CAMPAIGN.calendar) == ()


def test_calendar_problems_names_the_fields_out_of_order():
    calendar = replace(CAMPAIGN.calendar, academic_results_at=paris(2021, 4, 1))
    problems = deadlines.calendar_problems(calendar)
    assert [problem.data for problem in problems] == [
        {"earlier": "exams.closes_at", "later": "academic_results_at"}
    ]


def test_calendar_problems_refuses_naive_instants():
    calendar = replace(CAMPAIGN.calendar, academic_results_at=datetime(2021, 4, 19))
    assert [problem.code for problem in deadlines.calendar_problems(calendar)] == [
        "calendar.naive_instant"
    ]


# --- properties ------------------------------------------------------------------------------------

instants = st.datetimes(min_value=datetime(2021, 1, 1), max_value=datetime(2021, 10, 31)).map(
    lambda naive: naive.replace(tzinfo=UTC)
)
extensions = st.builds(
    Extension,
    window=st.sampled_from(["applications", "exam_booking"]),
    closes_at=instants,
    reason=st.just("test"),
    candidate=st.sampled_from([None, "D-1", "D-2"]),
)


@given(st.lists(extensions, max_size=4), instants, st.sampled_from([None, "D-1", "D-2"]))
def test_can_submit_agrees_with_effective_window(extension_list, now, candidate):
    campaign = with_extensions(*extension_list)
    window = deadlines.effective_window(campaign, "applications", candidate)
    assert deadlines.can_submit(campaign, now, candidate).allowed == deadlines.is_open(window, now)


@given(st.lists(extensions, max_size=4), st.sampled_from([None, "D-1", "D-2"]))
def test_extension_never_shortens_and_latest_wins(extension_list, candidate):
    campaign = with_extensions(*extension_list)
    for name in ("applications", "exam_booking"):
        window = deadlines.effective_window(campaign, name, candidate)
        base = getattr(CAMPAIGN.calendar, name)
        applicable = [
            e.closes_at
            for e in extension_list
            if e.window == name and e.candidate in (None, candidate)
        ]
        assert window.opens_at == base.opens_at
        assert window.closes_at == max([base.closes_at, *applicable])


@given(st.lists(extensions, max_size=4), st.sampled_from(["D-1", "D-2"]))
def test_a_candidate_window_is_never_shorter_than_everyones(extension_list, candidate):
    campaign = with_extensions(*extension_list)
    mine = deadlines.effective_window(campaign, "applications", candidate)
    everyone = deadlines.effective_window(campaign, "applications")
    assert mine.closes_at >= everyone.closes_at


@given(instants)
def test_is_open_is_the_same_for_an_instant_in_any_zone(now):
    window = CAMPAIGN.calendar.exam_booking
    assert deadlines.is_open(window, now) == deadlines.is_open(window, now.astimezone(PARIS))


@given(instants, st.integers(min_value=1, max_value=3600))
def test_phase_never_goes_backwards(now, seconds):
    order = list(Phase)
    earlier = deadlines.campaign_phase(CAMPAIGN, now).phase
    later = deadlines.campaign_phase(CAMPAIGN, now + timedelta(seconds=seconds)).phase
    assert order.index(later) >= order.index(earlier)
