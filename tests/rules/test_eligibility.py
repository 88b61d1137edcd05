"""Eligibility (R3.2) and the binding age check on the contract date (R7.2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from admissions.rules.eligibility import (
    ApplicantFacts,
    Diploma,
    age_on,
    age_warning_at_application,
    anniversary,
    assess,
    check_age_at_contract,
    continuing_education_eligibility,
    diploma_eligibility,
    under_age_limit,
)
from admissions.rules.explain import RulesError
from admissions.rules.params import DiplomaType, StatusSought
from tests.rules.reference import campaign_2021, paris

CAMPAIGN = campaign_2021()
NOW = paris(2021, 2, 15, 10)
BTS_2020 = Diploma(DiplomaType.BTS, True, obtained_on=date(2020, 7, 3))
DUT_EXPECTED = Diploma(DiplomaType.DUT, True, expected_on=date(2021, 6, 30))


# --- anniversary and the age limit ---------------------------------------------------------------


def test_anniversary_of_an_ordinary_birthday():
    assert anniversary(date(1991, 7, 4), 30) == date(2021, 7, 4)


def test_anniversary_of_29_february_is_1_march_in_a_non_leap_year():
    assert anniversary(date(1992, 2, 29), 30) == date(2022, 3, 1)


def test_anniversary_of_29_february_stays_29_february_in_a_leap_year():
    assert anniversary(date(1992, 2, 29), 28) == date(2020, 2, 29)


def test_anniversary_refuses_negative_years():
    with pytest.raises(RulesError):
        anniversary(date(2000, 1, 1), -1)


@pytest.mark.parametrize(
    ("birth", "contract", "under"),
    [
        (date(1991, 7, 5), date(2021, 7, 4), True),  # 29 the day before the 30th birthday
        (date(1991, 7, 4), date(2021, 7, 4), False),  # signed on the 30th birthday: too late
        (date(1991, 7, 4), date(2021, 7, 3), True),  # the day before: still 29
        (date(1991, 2, 28), date(2021, 2, 27), True),
        (date(1991, 2, 28), date(2021, 2, 28), False),
    ],
)
def test_under_age_limit_around_the_30th_birthday(birth, contract, under):
    assert under_age_limit(birth, contract, 30) is under


def test_29_february_born_is_still_29_on_28_february_of_a_non_leap_year():
    birth = date(1992, 2, 29)
    assert under_age_limit(birth, date(2022, 2, 28), 30) is True
    assert under_age_limit(birth, date(2022, 3, 1), 30) is False


def test_age_on_matches_anniversary_for_29_february():
    assert (
        age_on(date(1992, 2, 29), date(2022, 2, 28)),
        age_on(date(1992, 2, 29), date(2022, 3, 1)),
    ) == (29, 30)


def test_age_on_refuses_a_date_before_birth():
    with pytest.raises(RulesError):
        age_on(date(2000, 1, 1), date(1999, 12, 31))


# --- warning at application time ------------------------------------------------------------------


def test_no_age_warning_for_a_young_candidate():
    assert age_warning_at_application(CAMPAIGN, date(2000, 1, 1)) is None


def test_age_warning_when_30_on_the_earliest_contract_date():
    warning = age_warning_at_application(CAMPAIGN, date(1991, 7, 4))
    assert warning is not None
    assert warning.code == "age.over_limit_at_earliest_contract"
    assert "4 juillet 2021" in warning.fr
    assert "4 July 2021" in warning.en


def test_no_over_limit_warning_one_day_younger():
    warning = age_warning_at_application(CAMPAIGN, date(1991, 7, 5))
    assert warning is not None
    assert warning.code == "age.limit_before_training_start"  # must sign before 5 July 2021


def test_warning_when_30th_birthday_falls_before_training_starts():
    warning = age_warning_at_application(CAMPAIGN, date(1991, 9, 1))
    assert warning is not None
    assert warning.code == "age.limit_before_training_start"
    assert "1er septembre 2021" in warning.fr


def test_no_warning_when_30th_birthday_is_after_training_start():
    assert age_warning_at_application(CAMPAIGN, date(1991, 10, 5)) is None


def test_no_age_warning_with_a_legal_exemption():
    assert age_warning_at_application(CAMPAIGN, date(1980, 1, 1), legal_exemption=True) is None


def test_age_warning_uses_today_once_the_earliest_contract_date_is_past():
    # Turns 30 on 1 August 2021: fine on 4 July, not when applying later than that.
    birth = date(1991, 8, 1)
    assert age_warning_at_application(CAMPAIGN, birth).code == "age.limit_before_training_start"
    late = age_warning_at_application(CAMPAIGN, birth, earliest_contract=date(2021, 8, 2))
    assert late.code == "age.over_limit_at_earliest_contract"


# --- binding check on the contract date (R7.2) -----------------------------------------------------


def test_contract_signed_the_day_before_30th_birthday_is_allowed():
    decision = check_age_at_contract(CAMPAIGN, date(1991, 9, 1), date(2021, 8, 31))
    assert (decision.allowed, decision.reasons) == (True, ())


def test_contract_signed_on_30th_birthday_is_refused():
    decision = check_age_at_contract(CAMPAIGN, date(1991, 9, 1), date(2021, 9, 1))
    assert (decision.allowed, decision.codes) == (False, ("age.over_limit_at_contract",))
    assert "1er septembre 2021" in decision.reasons[0].fr


def test_legal_exemption_lifts_the_age_limit_and_says_so():
    decision = check_age_at_contract(
        CAMPAIGN, date(1985, 1, 1), date(2021, 9, 1), legal_exemption=True
    )
    assert (decision.allowed, decision.codes) == (True, ("age.legal_exemption",))


# --- diplomas ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [DiplomaType.BTS, DiplomaType.DUT, DiplomaType.L2])
def test_scientific_bts_dut_l2_obtained_qualify(kind):
    assert diploma_eligibility(
        CAMPAIGN, [Diploma(kind, True, obtained_on=date(2020, 6, 30))]
    ).allowed


def test_diploma_expected_on_the_deadline_qualifies_conditionally():
    decision = diploma_eligibility(
        CAMPAIGN, [Diploma(DiplomaType.DUT, True, expected_on=date(2021, 9, 20))]
    )
    assert decision.allowed is True
    assert "diploma.conditional" in decision.codes


def test_diploma_expected_the_day_after_the_deadline_is_refused():
    decision = diploma_eligibility(
        CAMPAIGN, [Diploma(DiplomaType.DUT, True, expected_on=date(2021, 9, 21))]
    )
    assert (decision.allowed, decision.codes) == (False, ("diploma.too_late",))
    assert "20 septembre 2021" in decision.reasons[0].fr


def test_non_scientific_bts_is_refused_with_its_reason():
    decision = diploma_eligibility(
        CAMPAIGN, [Diploma(DiplomaType.BTS, False, obtained_on=date(2020, 7, 1))]
    )
    assert decision.codes == ("diploma.not_scientific_or_technical",)


def test_qualifying_diploma_without_a_date_asks_for_it():
    assert diploma_eligibility(CAMPAIGN, [Diploma(DiplomaType.L2, True)]).codes == (
        "diploma.no_date",
    )


def test_no_diploma_declared_is_refused():
    assert diploma_eligibility(CAMPAIGN, []).codes == ("diploma.none_declared",)


def test_bac_alone_is_not_qualifying():
    decision = diploma_eligibility(
        CAMPAIGN, [Diploma(DiplomaType.BAC, True, obtained_on=date(2018, 7, 5))]
    )
    assert decision.codes == ("diploma.not_qualifying",)


def test_ats_after_a_dut_qualifies_and_is_noted():
    ats = Diploma(DiplomaType.ATS, True, expected_on=date(2021, 6, 15))
    decision = diploma_eligibility(CAMPAIGN, [BTS_2020, ats])
    assert decision.allowed is True
    assert decision.codes == ("diploma.qualifies", "diploma.follow_on_accepted")


def test_l3_without_its_base_diploma_asks_to_declare_it():
    l3 = Diploma(DiplomaType.L3, True, expected_on=date(2021, 6, 15))
    assert diploma_eligibility(CAMPAIGN, [l3]).codes == ("diploma.follow_on_without_base",)


def test_one_good_diploma_is_enough_among_bad_ones():
    bad = Diploma(DiplomaType.BTS, False, obtained_on=date(2019, 7, 1))
    assert diploma_eligibility(CAMPAIGN, [bad, DUT_EXPECTED]).allowed is True


def test_foreign_scientific_diploma_goes_to_the_committee():
    foreign = Diploma(DiplomaType.FOREIGN, True, obtained_on=date(2020, 7, 1), country="MA")
    decision = diploma_eligibility(CAMPAIGN, [foreign])
    assert (decision.allowed, decision.codes) == (
        True,
        ("diploma.foreign_equivalence_by_committee",),
    )


def test_diploma_deadline_comes_from_the_campaign():
    later = replace(
        CAMPAIGN, calendar=replace(CAMPAIGN.calendar, diploma_deadline=date(2021, 9, 30))
    )
    late_dut = Diploma(DiplomaType.DUT, True, expected_on=date(2021, 9, 25))
    assert (
        diploma_eligibility(CAMPAIGN, [late_dut]).allowed,
        diploma_eligibility(later, [late_dut]).allowed,
    ) == (
        False,
        True,
    )


# --- continuing education ---------------------------------------------------------------------------


def test_continuing_education_with_three_years_and_agreement():
    assert continuing_education_eligibility(CAMPAIGN, Decimal("3"), True).allowed is True


def test_continuing_education_just_under_three_years_is_refused():
    decision = continuing_education_eligibility(CAMPAIGN, Decimal("2.9"), True)
    assert decision.codes == ("experience.too_short",)


def test_continuing_education_without_agreement_is_refused():
    assert continuing_education_eligibility(CAMPAIGN, Decimal("5"), False).codes == (
        "experience.no_employer_agreement",
    )


def test_continuing_education_gives_every_reason_at_once():
    assert continuing_education_eligibility(CAMPAIGN, Decimal("1"), False).codes == (
        "experience.too_short",
        "experience.no_employer_agreement",
    )


@pytest.mark.parametrize("years", [Decimal("-1"), Decimal("NaN"), 3.0])
def test_continuing_education_refuses_nonsense_experience(years):
    with pytest.raises(RulesError):
        continuing_education_eligibility(CAMPAIGN, years, True)


# --- assess -------------------------------------------------------------------------------------------


def apprentice(**changes) -> ApplicantFacts:
    base = ApplicantFacts(StatusSought.APPRENTICESHIP, date(2000, 5, 17), (BTS_2020,))
    return replace(base, **changes)


def test_assess_eligible_apprentice():
    report = assess(CAMPAIGN, apprentice(), NOW)
    assert (report.eligible, report.blocking, report.warnings) == (True, (), ())


def test_assess_age_is_only_a_warning_at_application():
    report = assess(CAMPAIGN, apprentice(birth_date=date(1990, 1, 1)), NOW)
    assert report.eligible is True
    assert [w.code for w in report.warnings] == ["age.over_limit_at_earliest_contract"]


def test_assess_age_blocks_on_the_actual_contract_date():
    report = assess(
        CAMPAIGN, apprentice(birth_date=date(1991, 9, 1), contract_date=date(2021, 9, 1)), NOW
    )
    assert (report.eligible, [r.code for r in report.blocking]) == (
        False,
        ["age.over_limit_at_contract"],
    )


def test_assess_diploma_blocks():
    report = assess(CAMPAIGN, apprentice(diplomas=()), NOW)
    assert (report.eligible, [r.code for r in report.blocking]) == (
        False,
        ["diploma.none_declared"],
    )


def test_assess_continuing_education_needs_experience_and_no_age_check():
    facts = ApplicantFacts(
        StatusSought.CONTINUING_EDUCATION,
        date(1980, 1, 1),
        (BTS_2020,),
        experience_years_as_technician=Decimal("2"),
        employer_agreement=True,
    )
    report = assess(CAMPAIGN, facts, NOW)
    assert [r.code for r in report.blocking] == ["experience.too_short"]
    assert report.warnings == ()


def test_assess_professionalisation_is_handled_by_staff_and_not_blocking():
    facts = ApplicantFacts(StatusSought.PROFESSIONALISATION, date(1980, 1, 1), ())
    report = assess(CAMPAIGN, facts, NOW)
    assert report.eligible is True
    assert [w.code for w in report.warnings] == [
        "status.professionalisation_by_staff",
        "diploma.none_declared",
    ]


def test_assess_uses_today_for_the_earliest_contract_after_4_july():
    facts = apprentice(birth_date=date(1991, 8, 1))
    assert [w.code for w in assess(CAMPAIGN, facts, paris(2021, 8, 2)).warnings] == [
        "age.over_limit_at_earliest_contract"
    ]


# --- properties ---------------------------------------------------------------------------------------

births = st.dates(min_value=date(1960, 1, 1), max_value=date(2010, 12, 31))


@given(births, st.integers(min_value=0, max_value=80))
def test_anniversary_is_never_before_the_birthday_date_in_its_year(birth, years):
    result = anniversary(birth, years)
    assert result.year == birth.year + years
    assert (result.month, result.day) in ((birth.month, birth.day), (3, 1))


@given(births, st.integers(min_value=0, max_value=80))
def test_age_on_the_anniversary_is_exactly_the_years(birth, years):
    day = anniversary(birth, years)
    assert age_on(birth, day) == years
    assume(day > birth)
    assert age_on(birth, day - timedelta(days=1)) == years - 1


@given(births, st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 1, 1)))
def test_under_age_limit_agrees_with_age_on(birth, contract):
    assume(contract >= birth)
    assert under_age_limit(birth, contract, 30) == (age_on(birth, contract) < 30)


@given(
    births, st.dates(min_value=date(2021, 7, 4), max_value=date(2022, 1, 1)), st.integers(1, 400)
)
def test_once_too_old_always_too_old(birth, contract, days_later):
    if not under_age_limit(birth, contract):
        assert not under_age_limit(birth, contract + timedelta(days=days_later))
