"""Host company checks (R7.1, R7.4): SIRET, JDC, contract start, option and sector."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from admissions.rules.company import (
    contract_start_allowed,
    jdc_required,
    luhn_valid,
    option_matches_sector,
    validate_siret,
)
from admissions.rules.explain import RulesError
from tests.rules.reference import campaign_2021

CAMPAIGN = campaign_2021()


@pytest.mark.parametrize(
    "siret", ["73282932000074", "732 829 320 00074", "732\u00a0829\u00a0320\u00a000074"]
)
def test_real_siret_is_valid_with_or_without_spaces(siret):
    assert validate_siret(siret).allowed is True


@pytest.mark.parametrize("siret", ["73282932000075", "73282932100074", "83282932000074"])
def test_one_digit_change_makes_it_invalid(siret):
    decision = validate_siret(siret)
    assert (decision.allowed, decision.codes) == (False, ("siret.checksum",))


def test_la_poste_head_office_is_valid():
    assert validate_siret("35600000000048").allowed is True


def test_la_poste_establishment_uses_sum_of_digits_multiple_of_5():
    assert luhn_valid("35600000000001") is False  # Luhn alone would refuse it
    assert validate_siret("35600000000001").codes == ("siret.la_poste",)


def test_la_poste_establishment_with_wrong_sum_is_invalid():
    assert validate_siret("35600000000014").codes == ("siret.checksum",)


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("", "siret.empty"),
        ("   ", "siret.empty"),
        ("7328293200007A", "siret.not_digits"),
        ("7328293200007", "siret.wrong_length"),
        ("732829320000740", "siret.wrong_length"),
        ("７３２８２９３２０００７４", "siret.not_digits"),
    ],
)
def test_malformed_siret_says_what_is_wrong(siret, code):
    assert validate_siret(siret).codes == (code,)


def test_wrong_length_reason_gives_the_count():
    reason = validate_siret("7328293200007").reasons[0]

    assert reason.fr == "Le SIRET compte 14 chiffres ; celui-ci en a 13."
    assert reason.en == "A SIRET has 14 digits; this one has 13."


def luhn_complete(prefix: str) -> str:
    """``prefix`` followed by the digit that makes it pass Luhn."""
    return next(prefix + d for d in "0123456789" if luhn_valid(prefix + d))


sirens = st.text("0123456789", min_size=8, max_size=8).map(luhn_complete)
sirets = st.tuples(sirens, st.text("0123456789", min_size=4, max_size=4)).map(
    lambda p: luhn_complete(p[0] + p[1])
)


@given(sirets)
def test_every_luhn_siret_with_luhn_siren_is_valid(siret):
    assume(not siret.startswith("356000000"))
    assert validate_siret(siret).allowed is True


@given(sirets, st.integers(min_value=0, max_value=13), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_detected(siret, position, delta):
    assume(not siret.startswith("356000000"))
    changed = siret[:position] + str((int(siret[position]) + delta) % 10) + siret[position + 1 :]
    assume(not changed.startswith("356000000"))
    assert validate_siret(changed).allowed is False


# --- JDC (R7.4) -----------------------------------------------------------------------------------


def test_jdc_required_for_a_french_national_under_26_at_training_start():
    requirement = jdc_required(CAMPAIGN, "FR", date(1996, 10, 5))
    assert (requirement.required, requirement.reason.code) == (True, "jdc.required")


def test_jdc_not_required_from_the_26th_birthday():
    assert jdc_required(CAMPAIGN, "FR", date(1995, 10, 4)).required is False


def test_jdc_not_required_for_a_foreign_national():
    requirement = jdc_required(CAMPAIGN, "MA", date(2000, 1, 1))
    assert (requirement.required, requirement.reason.code) == (
        False,
        "jdc.not_concerned_nationality",
    )


def test_jdc_required_for_a_dual_national_with_french_nationality():
    assert (
        jdc_required(CAMPAIGN, "MA", date(2000, 1, 1), other_nationalities=("FR",)).required is True
    )


def test_jdc_judged_at_a_given_date():
    assert (
        jdc_required(CAMPAIGN, "FR", date(1995, 10, 4), on_date=date(2021, 10, 3)).required is True
    )


# --- contract start (R7.1) ----------------------------------------------------------------------


def test_contract_may_start_on_4_july():
    assert contract_start_allowed(CAMPAIGN, date(2021, 7, 4)).allowed is True


def test_contract_cannot_start_on_3_july():
    decision = contract_start_allowed(CAMPAIGN, date(2021, 7, 3))
    assert (decision.allowed, decision.codes) == (False, ("contract.starts_too_early",))
    assert "4 juillet 2021" in decision.reasons[0].fr


def test_contract_after_training_start_is_allowed_but_flagged():
    decision = contract_start_allowed(CAMPAIGN, date(2021, 10, 5))
    assert (decision.allowed, decision.codes) == (True, ("contract.starts_after_training",))


# --- option and sector (R1.3) ----------------------------------------------------------------------

MAPPING = {"SIMMA": ("aero", "meca"), "SIPHASS": ("pharma",), "SENMBA": ("btp", "energie")}


def test_matching_sector():
    assert option_matches_sector("SIMMA", "aero", MAPPING).allowed is True


def test_mismatched_sector_is_flagged():
    decision = option_matches_sector("SIPHASS", "aero", MAPPING)
    assert (decision.allowed, decision.codes) == (False, ("option.sector_mismatch",))


def test_unknown_option_is_a_rules_error():
    with pytest.raises(RulesError):
        option_matches_sector("XYZ", "aero", MAPPING)
