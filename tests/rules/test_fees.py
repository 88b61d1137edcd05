"""Application fees (R3.6): the notice's tables, the difference due, the balance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admissions.rules.explain import RulesError
from admissions.rules.fees import (
    ProofStatus,
    Tariff,
    TariffFixed,
    balance,
    difference_due_when_proof_rejected,
    fee_breakdown,
    format_money,
    tariff_fixed,
)
from admissions.rules.params import Fees, FeeTariff
from tests.rules.reference import campaign_2021

FEES = campaign_2021().fees


@pytest.mark.parametrize(
    ("formations", "expected"), [(1, Decimal("77")), (2, Decimal("99")), (3, Decimal("121"))]
)
def test_standard_fee_follows_the_notice(formations, expected):
    assert fee_breakdown(FEES, formations, scholarship_claimed=False).total == expected


@pytest.mark.parametrize(
    ("formations", "expected"), [(1, Decimal("22")), (2, Decimal("33")), (3, Decimal("44"))]
)
def test_scholarship_fee_follows_the_notice(formations, expected):
    breakdown = fee_breakdown(FEES, formations, True, ProofStatus.ACCEPTED)
    assert (breakdown.tariff, breakdown.total) == (Tariff.SCHOLARSHIP, expected)


@pytest.mark.parametrize(
    ("formations", "expected"), [(1, Decimal("55")), (2, Decimal("66")), (3, Decimal("77"))]
)
def test_difference_due_is_standard_minus_scholarship(formations, expected):
    assert difference_due_when_proof_rejected(FEES, formations).total == expected


def test_breakdown_lines_show_first_formation_and_further_ones():
    lines = fee_breakdown(FEES, 3, scholarship_claimed=False).lines
    assert [(line.quantity, line.unit_amount, line.amount) for line in lines] == [
        (1, Decimal("77"), Decimal("77")),
        (2, Decimal("22"), Decimal("44")),
    ]
    # One money format (issue 8), and no colon inside a label the panel follows with its own.
    assert lines[1].label("fr") == "Formations supplémentaires (2 × 22,00\u00a0€)"
    assert lines[1].label("en") == "Further formations (2 × €22.00)"


def test_single_formation_has_one_line():
    assert len(fee_breakdown(FEES, 1, scholarship_claimed=False).lines) == 1


def test_rejected_proof_brings_the_standard_rate_back():
    breakdown = fee_breakdown(FEES, 2, True, ProofStatus.REJECTED)
    assert (breakdown.tariff, breakdown.total) == (Tariff.STANDARD, Decimal("99"))
    assert [note.code for note in breakdown.notes] == ["fees.scholarship_proof_rejected"]
    assert breakdown.notes[0].en == (
        "Your scholarship proof was refused: the standard rate applies and the difference "
        "(€66.00) is due."
    )


def test_missing_proof_keeps_reduced_rate_and_says_the_difference():
    breakdown = fee_breakdown(FEES, 1, True, ProofStatus.MISSING)
    assert breakdown.total == Decimal("22")
    assert [note.code for note in breakdown.notes] == ["fees.scholarship_proof_missing"]
    assert breakdown.notes[0].fr == (
        "Tarif boursier : joignez l'avis définitif de bourse (CROUS ou État français, 2020-2021) "
        "à la page « Frais de dossier ». Sans ce justificatif, la différence (55,00\u00a0€) sera due."
    )


def test_pending_proof_is_announced():
    breakdown = fee_breakdown(FEES, 1, True, ProofStatus.PENDING)
    assert [note.code for note in breakdown.notes] == ["fees.scholarship_proof_pending"]


def test_proof_status_is_ignored_without_a_scholarship_claim():
    breakdown = fee_breakdown(FEES, 1, False, ProofStatus.ACCEPTED)
    assert (breakdown.tariff, breakdown.total, breakdown.notes) == (
        Tariff.STANDARD,
        Decimal("77"),
        (),
    )


@pytest.mark.parametrize("formations", [0, -1])
def test_no_formation_is_a_rules_error(formations):
    with pytest.raises(RulesError) as error:
        fee_breakdown(FEES, formations, scholarship_claimed=False)
    assert error.value.reason.code == "fees.no_formation_chosen"


@pytest.mark.parametrize("formations", [True, 1.0, "2"])
def test_formations_must_be_an_integer(formations):
    with pytest.raises(RulesError):
        fee_breakdown(FEES, formations, scholarship_claimed=False)


def test_negative_tariff_is_a_rules_error():
    bad = Fees(FeeTariff(Decimal("-1"), Decimal("22")), FEES.scholarship)
    with pytest.raises(RulesError) as error:
        fee_breakdown(bad, 1, scholarship_claimed=False)
    assert error.value.reason.code == "fees.invalid_amount"


def test_balance_of_a_partial_payment():
    result = balance(Decimal("99"), [Decimal("77")])
    assert (result.paid, result.outstanding, result.overpaid, result.settled) == (
        Decimal("77"),
        Decimal("22"),
        Decimal("0"),
        False,
    )


def test_balance_after_rejected_proof_asks_for_the_difference():
    paid_reduced = fee_breakdown(FEES, 2, True, ProofStatus.ACCEPTED).total
    due = fee_breakdown(FEES, 2, True, ProofStatus.REJECTED).total
    assert balance(due, [paid_reduced]).outstanding == (
        difference_due_when_proof_rejected(FEES, 2).total
    )


def test_balance_reports_overpayment_and_is_settled():
    result = balance(Decimal("22"), [Decimal("22"), Decimal("11")])
    assert (result.outstanding, result.overpaid, result.settled) == (
        Decimal("0"),
        Decimal("11"),
        True,
    )


def test_balance_refuses_negative_payment():
    with pytest.raises(RulesError):
        balance(Decimal("77"), [Decimal("-77")])


@given(st.integers(min_value=1, max_value=50), st.booleans())
def test_fee_grows_with_each_further_formation(formations, scholarship):
    status = ProofStatus.ACCEPTED
    assert (
        fee_breakdown(FEES, formations + 1, scholarship, status).total
        > fee_breakdown(FEES, formations, scholarship, status).total
    )


@given(st.integers(min_value=1, max_value=50))
def test_scholarship_total_never_above_standard(formations):
    assert (
        fee_breakdown(FEES, formations, True, ProofStatus.ACCEPTED).total
        <= fee_breakdown(FEES, formations, False).total
    )


@given(st.integers(min_value=1, max_value=50), st.sampled_from(list(ProofStatus)), st.booleans())
def test_total_is_the_sum_of_the_lines(formations, status, scholarship):
    breakdown = fee_breakdown(FEES, formations, scholarship, status)
    assert breakdown.total == sum(line.amount for line in breakdown.lines)


@given(
    st.integers(min_value=1, max_value=20),
    st.decimals(min_value=0, max_value=500, places=2),
    st.decimals(min_value=0, max_value=500, places=2),
)
def test_difference_is_never_negative_whatever_the_tariffs(formations, first, further):
    fees = Fees(FeeTariff(first, further), FeeTariff(further, first))
    assert difference_due_when_proof_rejected(fees, formations).total >= 0


@given(st.lists(st.decimals(min_value=0, max_value=200, places=2), max_size=5))
def test_balance_outstanding_plus_paid_covers_total(payments):
    total = Decimal("121")
    result = balance(total, payments)
    assert result.paid + result.outstanding - result.overpaid == total


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        (Decimal("99"), "EUR", "fr", "99,00\u00a0€"),
        (Decimal("99"), "EUR", "en", "€99.00"),
        (Decimal("22.5"), "EUR", "fr-fr", "22,50\u00a0€"),
        (Decimal("1234.5"), "EUR", "fr", "1\u00a0234,50\u00a0€"),
        (Decimal("1234.5"), "EUR", "en", "€1,234.50"),
        (Decimal("0"), "EUR", "en", "€0.00"),
        (Decimal("40"), "CHF", "fr", "40,00\u00a0CHF"),
        (Decimal("40"), "CHF", "en", "CHF\u00a040.00"),
    ],
)
def test_format_money_one_format_per_language(amount, currency, language, expected):
    """Issue 8: "99,00 €" in French, "€99.00" in English, everywhere."""
    assert format_money(amount, currency, language) == expected


@pytest.mark.parametrize(
    ("editable", "payments", "expected"),
    [
        (True, 0, None),
        (True, 1, TariffFixed.PAYMENT_RECORDED),
        (True, 2, TariffFixed.PAYMENT_RECORDED),
        (False, 0, TariffFixed.DOSSIER_CLOSED),
        (False, 1, TariffFixed.DOSSIER_CLOSED),
    ],
)
def test_tariff_is_fixed_after_the_close_or_once_a_payment_is_recorded(
    editable, payments, expected
):
    assert tariff_fixed(dossier_editable=editable, payments_recorded=payments) == expected
