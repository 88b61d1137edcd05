"""The host company and the contract (R7.1, R7.4).

SIRET: 14 digits, the 9-digit SIREN then the 5-digit establishment number (NIC), checked with
the Luhn key. La Poste (SIREN 356000000) has more establishments than the Luhn key allows: its
establishments use "the sum of the digits is a multiple of 5" instead, except its head office
35600000000048, which keeps the Luhn key (INSEE's published exception).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from . import clock
from .eligibility import anniversary
from .explain import Decision, Reason, RulesError
from .params import Campaign

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE_SIRET = "35600000000048"
# Spaces people type or paste (normal, no-break, narrow no-break), dots and dashes of "732 829 320 00074".
_SEPARATORS = str.maketrans("", "", " \u00a0\u202f\t.-")


@dataclass(frozen=True)
class Requirement:
    """Whether something is required, with the reason either way."""

    required: bool
    reason: Reason

    def __bool__(self) -> bool:
        return self.required


def normalize_siret(siret: str) -> str:
    """The SIRET without the separators people type."""
    return siret.translate(_SEPARATORS)


def luhn_valid(digits: str) -> bool:
    """The Luhn key: double every second digit from the right; the sum is a multiple of 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siret(siret: str) -> Decision:
    """Whether ``siret`` is a well-formed SIRET (R7.1). Says exactly what is wrong.

    Only the form is checked here; whether the establishment exists is another matter.
    """
    number = normalize_siret(siret)
    if not number:
        return Decision.refuse(
            Reason(
                "siret.empty",
                "Indiquez le numéro SIRET de l'entreprise (14 chiffres).",
                "Give the company's SIRET number (14 digits).",
            )
        )
    if not (number.isascii() and number.isdigit()):
        return Decision.refuse(
            Reason(
                "siret.not_digits",
                "Le SIRET ne contient que des chiffres (les espaces sont acceptés).",
                "A SIRET contains only digits (spaces are accepted).",
                {"value": siret},
            )
        )
    if len(number) != 14:
        return Decision.refuse(
            Reason(
                "siret.wrong_length",
                f"Le SIRET compte 14 chiffres ; celui-ci en a {len(number)}.",
                f"A SIRET has 14 digits; this one has {len(number)}.",
                {"length": len(number)},
            )
        )
    siren = number[:9]
    if siren == LA_POSTE_SIREN and number != LA_POSTE_HEAD_OFFICE_SIRET:
        if sum(int(char) for char in number) % 5 != 0:
            return _checksum_refusal(number)
        return Decision.allow(
            Reason(
                "siret.la_poste",
                "Établissement de La Poste : clé de contrôle propre à La Poste vérifiée.",
                "La Poste establishment: La Poste's own check key verified.",
                {"siret": number},
            )
        )
    if not luhn_valid(number) or not luhn_valid(siren):
        return _checksum_refusal(number)
    return Decision.allow()


def _checksum_refusal(number: str) -> Decision:
    return Decision.refuse(
        Reason(
            "siret.checksum",
            f"Le SIRET {number} n'est pas valide (clé de contrôle incorrecte) : vérifiez chaque "
            "chiffre.",
            f"The SIRET {number} is not valid (wrong check key): check each digit.",
            {"siret": number},
        )
    )


def jdc_required(
    campaign: Campaign,
    nationality: str,
    birth_date: date,
    on_date: date | None = None,
    other_nationalities: Iterable[str] = (),
) -> Requirement:
    """The JDC/JAPD certificate is asked of French nationals under 26 (R7.4), judged at
    ``on_date``, by default the first day of training ("avant l'entrée en formation")."""
    rules = campaign.eligibility
    when = on_date if on_date is not None else campaign.calendar.training_starts_on
    nationalities = {code.strip().upper() for code in (nationality, *other_nationalities)}
    limit = rules.jdc_age_limit_years
    data = {"on_date": when, "limit": limit}
    if rules.jdc_nationality.upper() not in nationalities:
        return Requirement(
            False,
            Reason(
                "jdc.not_concerned_nationality",
                "Certificat JDC/JAPD non demandé : il ne concerne que les candidats de nationalité "
                "française.",
                "JDC/JAPD certificate not required: it concerns French nationals only.",
                data,
            ),
        )
    if when >= anniversary(birth_date, limit):
        return Requirement(
            False,
            Reason(
                "jdc.not_concerned_age",
                f"Certificat JDC/JAPD non demandé : vous aurez {limit} ans ou plus le "
                f"{clock.format_date(when, 'fr')}.",
                f"JDC/JAPD certificate not required: you will be {limit} or older on "
                f"{clock.format_date(when, 'en')}.",
                data,
            ),
        )
    return Requirement(
        True,
        Reason(
            "jdc.required",
            "Fournissez avant l'entrée en formation le certificat de participation à la Journée "
            f"défense et citoyenneté (JDC/JAPD) : demandé aux Français de moins de {limit} ans.",
            "Before training starts, provide your Defence and Citizenship Day (JDC/JAPD) "
            f"certificate: required from French nationals under {limit}.",
            data,
        ),
    )


def contract_start_allowed(campaign: Campaign, start_date: date) -> Decision:
    """A contract may start at most 3 months before training (R1.2, R7.1): not before
    ``earliest_contract_start``. A start after training begins is allowed but flagged."""
    calendar = campaign.calendar
    earliest = calendar.earliest_contract_start
    if start_date < earliest:
        return Decision.refuse(
            Reason(
                "contract.starts_too_early",
                f"Le contrat ne peut pas commencer avant le {clock.format_date(earliest, 'fr')} "
                "(3 mois au plus avant le début de la formation).",
                f"The contract cannot start before {clock.format_date(earliest, 'en')} "
                "(at most 3 months before training starts).",
                {"earliest": earliest, "start_date": start_date},
            )
        )
    if start_date > calendar.training_starts_on:
        return Decision.allow(
            Reason(
                "contract.starts_after_training",
                "Le contrat commence après le début de la formation "
                f"({clock.format_date(calendar.training_starts_on, 'fr')}) : à vérifier par "
                "l'école.",
                "The contract starts after training begins "
                f"({clock.format_date(calendar.training_starts_on, 'en')}): the school will check.",
                {"training_starts_on": calendar.training_starts_on, "start_date": start_date},
            )
        )
    return Decision.allow()


def option_matches_sector(
    option_code: str, sector_code: str, mapping: Mapping[str, Iterable[str]]
) -> Decision:
    """Whether the company's sector fits the chosen option (R1.3). A mismatch is flagged for
    staff (R7.1), not refused: the decision's ``allowed`` is False and staff decide."""
    if option_code not in mapping:
        raise RulesError(
            Reason(
                "option.unknown",
                f"Option inconnue : « {option_code} ».",
                f"Unknown option: '{option_code}'.",
                {"option": option_code},
            )
        )
    if sector_code in set(mapping[option_code]):
        return Decision.allow()
    return Decision.refuse(
        Reason(
            "option.sector_mismatch",
            f"Le secteur de l'entreprise ({sector_code}) ne correspond pas à l'option "
            f"{option_code} : le service des admissions examinera ce choix.",
            f"The company's sector ({sector_code}) does not match the option {option_code}: the "
            "admissions office will review this choice.",
            {"option": option_code, "sector": sector_code},
        )
    )
