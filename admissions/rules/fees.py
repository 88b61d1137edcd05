"""Application fees, shown live with their lines (R3.6).

The amounts come from the campaign (``params.Fees``), never from constants (R1.1): in 2021,
77 EUR for the first formation plus 22 EUR for each further one; scholarship holders 22 EUR
plus 11 EUR each. The reduced rate needs the scholarship proof (R3.3); if staff reject it,
the difference is due. Fees are non-refundable, so an overpayment is reported, never refunded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .explain import Reason, RulesError
from .language import in_language, is_english
from .params import Fees, FeeTariff


class Tariff(StrEnum):
    STANDARD = "standard"
    SCHOLARSHIP = "scholarship"


class TariffFixed(StrEnum):
    """Why the tariff can no longer change: a reason code, worded by the interface."""

    DOSSIER_CLOSED = "dossier_closed"  # submitted, or the campaign closed (R3.8)
    PAYMENT_RECORDED = "payment_recorded"  # a payment declared or confirmed (R3.6)


class ProofStatus(StrEnum):
    """Where the scholarship proof stands (R3.3, R4.1)."""

    MISSING = "missing"  # not uploaded yet
    PENDING = "pending"  # uploaded, not yet checked by staff
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class FeeLine:
    label_fr: str
    label_en: str
    quantity: int
    unit_amount: Decimal
    amount: Decimal

    def label(self, language: str = "fr") -> str:
        return in_language(language, self.label_fr, self.label_en)


@dataclass(frozen=True)
class FeeBreakdown:
    """An amount that explains itself: ``total`` is the sum of ``lines``."""

    tariff: Tariff | None  # None for a difference between two tariffs
    lines: tuple[FeeLine, ...]
    total: Decimal
    currency: str
    notes: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Balance:
    total_due: Decimal
    paid: Decimal
    outstanding: Decimal  # still to pay, never negative
    overpaid: Decimal  # paid beyond the total, never negative (fees are not refunded)

    @property
    def settled(self) -> bool:
        return self.outstanding == 0


NBSP = "\u00a0"  # keeps an amount and its currency on one line
CURRENCY_SYMBOLS = {"EUR": "€"}


def format_money(amount: Decimal, currency: str = "EUR", language: str = "fr") -> str:
    """One money format everywhere (issue 8): ``99,00 €`` in French, ``€99.00`` in English.

    Always two decimals; thousands grouped (``1 234,50 €`` / ``€1,234.50``); a currency with
    no symbol known here is written as its ISO code (``99,00 CHF`` / ``CHF 99.00``).
    """
    quantized = Decimal(amount).quantize(Decimal("0.01"))
    sign = "-" if quantized < 0 else ""
    grouped = f"{abs(quantized):,.2f}"  # "1,234.50"
    symbol = CURRENCY_SYMBOLS.get(currency)
    if is_english(language):
        if symbol:
            return f"{sign}{symbol}{grouped}"
        return f"{sign}{currency}{NBSP}{grouped}"
    # French: comma for decimals, a (non-breaking) space between thousands.
    french = grouped.replace(",", NBSP).replace(".", ",")
    return f"{sign}{french}{NBSP}{symbol or currency}"


def tariff_total(tariff: FeeTariff, formations_chosen: int) -> Decimal:
    """The first formation plus one step per further formation (R3.6)."""
    _check_formations(formations_chosen)
    _check_tariff(tariff)
    return tariff.first + tariff.each_further * (formations_chosen - 1)


def tariff_lines(
    tariff: FeeTariff, formations_chosen: int, currency: str = "EUR"
) -> tuple[FeeLine, ...]:
    _check_formations(formations_chosen)
    _check_tariff(tariff)
    lines = [
        FeeLine(
            "Première formation choisie",
            "First formation chosen",
            1,
            tariff.first,
            tariff.first,
        )
    ]
    further = formations_chosen - 1
    if further:
        unit_fr = format_money(tariff.each_further, currency, "fr")
        unit_en = format_money(tariff.each_further, currency, "en")
        lines.append(
            FeeLine(
                f"Formations supplémentaires ({further} × {unit_fr})",
                f"Further formations ({further} × {unit_en})",
                further,
                tariff.each_further,
                tariff.each_further * further,
            )
        )
    return tuple(lines)


def fee_breakdown(
    fees: Fees,
    formations_chosen: int,
    scholarship_claimed: bool,
    scholarship_proof_status: ProofStatus = ProofStatus.MISSING,
) -> FeeBreakdown:
    """What the candidate owes, line by line (R3.6).

    The reduced rate applies when a scholarship is claimed, unless staff rejected the proof;
    while the proof is missing or unchecked the candidate is told the difference would be due.
    """
    status = ProofStatus(scholarship_proof_status)
    notes: list[Reason] = []
    tariff = Tariff.STANDARD
    if scholarship_claimed:
        difference = difference_due_when_proof_rejected(fees, formations_chosen).total
        diff_fr = format_money(difference, fees.currency, "fr")
        diff_en = format_money(difference, fees.currency, "en")
        if status is ProofStatus.REJECTED:
            notes.append(
                Reason(
                    "fees.scholarship_proof_rejected",
                    "Votre justificatif de bourse a été refusé : le tarif non boursier s'applique "
                    f"et la différence ({diff_fr}) reste due.",
                    "Your scholarship proof was refused: the standard rate applies and the "
                    f"difference ({diff_en}) is due.",
                    {"difference": difference},
                )
            )
        else:
            tariff = Tariff.SCHOLARSHIP
            if status is ProofStatus.MISSING:
                notes.append(
                    Reason(
                        "fees.scholarship_proof_missing",
                        "Tarif boursier : joignez l'avis définitif de bourse (CROUS ou État "
                        "français, 2020-2021) à la page « Frais de dossier ». Sans ce "
                        f"justificatif, la différence ({diff_fr}) sera due.",
                        "Scholarship rate: attach the final scholarship award (CROUS or French "
                        "State, 2020-2021) on the “Application fee” page. Without it, the difference "
                        f"({diff_en}) will be due.",
                        {"difference": difference},
                    )
                )
            elif status is ProofStatus.PENDING:
                notes.append(
                    Reason(
                        "fees.scholarship_proof_pending",
                        "Tarif boursier sous réserve de la vérification de votre justificatif ; "
                        f"s'il est refusé, la différence ({diff_fr}) sera due.",
                        "Scholarship rate, subject to the check of your proof; if it is refused, "
                        f"the difference ({diff_en}) will be due.",
                        {"difference": difference},
                    )
                )
    chosen = fees.scholarship if tariff is Tariff.SCHOLARSHIP else fees.standard
    lines = tariff_lines(chosen, formations_chosen, fees.currency)
    return FeeBreakdown(
        tariff=tariff,
        lines=lines,
        total=sum((line.amount for line in lines), Decimal(0)),
        currency=fees.currency,
        notes=tuple(notes),
    )


def difference_due_when_proof_rejected(fees: Fees, formations_chosen: int) -> FeeBreakdown:
    """Standard total minus scholarship total: what a candidate owes on top when staff reject
    the scholarship proof (R3.6). Never negative, even for an odd campaign file."""
    standard = tariff_total(fees.standard, formations_chosen)
    reduced = tariff_total(fees.scholarship, formations_chosen)
    difference = max(standard - reduced, Decimal(0))
    currency = fees.currency
    line = FeeLine(
        f"Différence entre le tarif non boursier ({format_money(standard, currency, 'fr')}) "
        f"et le tarif boursier ({format_money(reduced, currency, 'fr')})",
        f"Difference between the standard rate ({format_money(standard, currency, 'en')}) "
        f"and the scholarship rate ({format_money(reduced, currency, 'en')})",
        1,
        difference,
        difference,
    )
    return FeeBreakdown(tariff=None, lines=(line,), total=difference, currency=currency)


def tariff_fixed(*, dossier_editable: bool, payments_recorded: int) -> TariffFixed | None:
    """Why the candidate may no longer claim or give up the reduced rate, or None if they may.

    The tariff follows the dossier until submission or the close (R3.8), and is fixed once a
    payment is declared or confirmed: the amount paid was computed from it (R3.6). A payment
    staff marked not received does not count (the caller leaves it out of
    ``payments_recorded``), so the tariff may change again."""
    if not dossier_editable:
        return TariffFixed.DOSSIER_CLOSED
    if payments_recorded > 0:
        return TariffFixed.PAYMENT_RECORDED
    return None


def balance(total_due: Decimal, payments_confirmed: Iterable[Decimal]) -> Balance:
    """What remains to pay after the payments staff confirmed (R8.4)."""
    _check_amount(total_due, "total_due")
    payments = tuple(payments_confirmed)
    for payment in payments:
        _check_amount(payment, "payment")
    paid = sum(payments, Decimal(0))
    return Balance(
        total_due=total_due,
        paid=paid,
        outstanding=max(total_due - paid, Decimal(0)),
        overpaid=max(paid - total_due, Decimal(0)),
    )


def _check_formations(formations_chosen: int) -> None:
    if isinstance(formations_chosen, bool) or not isinstance(formations_chosen, int):
        raise RulesError(
            Reason(
                "fees.formations_not_a_count",
                "Le nombre de formations choisies doit être un entier.",
                "The number of formations chosen must be a whole number.",
                {"value": repr(formations_chosen)},
            )
        )
    if formations_chosen < 1:
        raise RulesError(
            Reason(
                "fees.no_formation_chosen",
                "Choisissez au moins une formation pour calculer les frais de dossier.",
                "Choose at least one formation to compute the application fee.",
                {"formations_chosen": formations_chosen},
            )
        )


def _check_tariff(tariff: FeeTariff) -> None:
    _check_amount(tariff.first, "tariff.first")
    _check_amount(tariff.each_further, "tariff.each_further")


def _check_amount(amount: Decimal, what: str) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
        raise RulesError(
            Reason(
                "fees.invalid_amount",
                f"Montant invalide pour {what} : {amount!r} (décimal positif ou nul attendu).",
                f"Invalid amount for {what}: {amount!r} (a non-negative decimal is expected).",
                {"what": what, "value": repr(amount)},
            )
        )
