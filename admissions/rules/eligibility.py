"""Who may apply, explained in plain words before submission (R3.2), and the binding age check
on the actual contract date (R7.2).

Only the campaign's values are used (``params.Eligibility``, the calendar): age limit 30,
BTS/DUT/L2 held by 2021-09-20, ATS or L3 after one of them, 3 years as a higher technician for
continuing education, in 2021.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from . import clock
from .explain import Decision, Reason, RulesError
from .params import Campaign, DiplomaType, StatusSought

_TYPE_NAMES_FR = {
    DiplomaType.BTS: "BTS",
    DiplomaType.DUT: "DUT",
    DiplomaType.L2: "L2 validée",
    DiplomaType.L3: "L3",
    DiplomaType.ATS: "classe préparatoire ATS",
    DiplomaType.BAC: "baccalauréat",
    DiplomaType.FOREIGN: "diplôme étranger",
    DiplomaType.OTHER: "autre diplôme",
}
_TYPE_NAMES_EN = {
    DiplomaType.BTS: "BTS",
    DiplomaType.DUT: "DUT",
    DiplomaType.L2: "validated L2",
    DiplomaType.L3: "L3",
    DiplomaType.ATS: "ATS preparatory class",
    DiplomaType.BAC: "baccalauréat",
    DiplomaType.FOREIGN: "foreign diploma",
    DiplomaType.OTHER: "other diploma",
}


@dataclass(frozen=True)
class Diploma:
    """One line of the education history (R3.1)."""

    type: DiplomaType
    scientific_or_technical: bool
    obtained_on: date | None = None
    expected_on: date | None = None  # for a diploma in progress
    country: str = "FR"  # ISO 3166-1 alpha-2 of the awarding country (R3.3: programme if abroad)
    speciality: str = ""

    @property
    def obtained_abroad(self) -> bool:
        return self.type is DiplomaType.FOREIGN or self.country.strip().upper() not in ("", "FR")

    @property
    def held_or_expected_on(self) -> date | None:
        """The day the candidate holds it: obtained if known, else expected."""
        return self.obtained_on if self.obtained_on is not None else self.expected_on


@dataclass(frozen=True)
class ApplicantFacts:
    """What the candidate declared, as the rules need it."""

    status_sought: StatusSought
    birth_date: date
    diplomas: tuple[Diploma, ...] = ()
    legal_age_exemption: bool = False  # recorded by staff only (R3.2)
    experience_years_as_technician: Decimal = Decimal(0)
    employer_agreement: bool = False
    contract_date: date | None = None  # known once a company confirms (R7.1)


@dataclass(frozen=True)
class EligibilityReport:
    """``eligible`` is False exactly when ``blocking`` is not empty; warnings never block."""

    eligible: bool
    blocking: tuple[Reason, ...] = ()
    warnings: tuple[Reason, ...] = ()
    notes: tuple[Reason, ...] = field(default=())


def anniversary(birth_date: date, years: int) -> date:
    """The day the person born on ``birth_date`` turns ``years`` old.

    A 29 February birthday falls on 1 March in a non-leap year: the person has not yet lived
    ``years`` full years on 28 February (the rule of French civil usage, and the cautious one
    for an upper age limit). One place decides it for the whole platform.
    """
    if years < 0:
        raise RulesError(
            Reason(
                "age.negative_years",
                "Un âge ne peut pas être négatif.",
                "An age cannot be negative.",
                {"years": years},
            )
        )
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:  # 29 February in a non-leap year
        return date(birth_date.year + years, 3, 1)


def age_on(birth_date: date, on_date: date) -> int:
    """Full years of age on ``on_date``, consistent with ``anniversary``."""
    if on_date < birth_date:
        raise RulesError(
            Reason(
                "age.before_birth",
                "La date est antérieure à la date de naissance.",
                "The date is before the date of birth.",
                {"birth_date": birth_date, "on_date": on_date},
            )
        )
    years = on_date.year - birth_date.year
    if on_date < anniversary(birth_date, years):
        years -= 1
    return years


def under_age_limit(birth_date: date, contract_date: date, limit: int = 30) -> bool:
    """True if the contract is signed before the ``limit``-th birthday (R3.2: "moins de 30 ans
    à la date de conclusion du contrat")."""
    return contract_date < anniversary(birth_date, limit)


def age_warning_at_application(
    campaign: Campaign,
    birth_date: date,
    legal_exemption: bool = False,
    earliest_contract: date | None = None,
) -> Reason | None:
    """A warning, not a refusal (R3.2): the binding check is on the actual contract date (R7.2).

    Warns when the candidate will be ``age_limit`` or more on the earliest possible contract date
    (``calendar.earliest_contract_start``, or ``earliest_contract`` when later, e.g. today), or
    when that birthday falls before training starts, so the contract must be signed before it.
    """
    if legal_exemption:
        return None
    limit = campaign.eligibility.age_limit_years
    earliest = campaign.calendar.earliest_contract_start
    if earliest_contract is not None and earliest_contract > earliest:
        earliest = earliest_contract
    birthday = anniversary(birth_date, limit)
    data = {"limit_birthday": birthday, "earliest_contract": earliest, "limit": limit}
    if not under_age_limit(birth_date, earliest, limit):
        return Reason(
            "age.over_limit_at_earliest_contract",
            f"Vous aurez {limit} ans ou plus le {clock.format_date(earliest, 'fr')}, date la plus "
            "précoce possible pour un contrat d'apprentissage. Le contrat doit être conclu avant "
            f"vos {limit} ans, sauf dérogation prévue par la loi : contactez le service des "
            "admissions si vous pensez en bénéficier.",
            f"You will be {limit} or older on {clock.format_date(earliest, 'en')}, the earliest "
            f"possible apprenticeship contract date. The contract must be signed before your "
            f"{limit}th birthday unless a legal exemption applies: contact the admissions office "
            "if you think you qualify.",
            data,
        )
    if birthday <= campaign.calendar.training_starts_on:
        return Reason(
            "age.limit_before_training_start",
            f"Vous aurez {limit} ans le {clock.format_date(birthday, 'fr')}, avant le début de la "
            f"formation : votre contrat d'apprentissage devra être conclu avant cette date.",
            f"You turn {limit} on {clock.format_date(birthday, 'en')}, before training starts: "
            "your apprenticeship contract must be signed before that day.",
            data,
        )
    return None


def check_age_at_contract(
    campaign: Campaign, birth_date: date, contract_date: date, legal_exemption: bool = False
) -> Decision:
    """The binding age check on the actual contract date (R3.2, R7.2)."""
    limit = campaign.eligibility.age_limit_years
    birthday = anniversary(birth_date, limit)
    data = {"limit_birthday": birthday, "contract_date": contract_date, "limit": limit}
    if under_age_limit(birth_date, contract_date, limit):
        return Decision.allow()
    if legal_exemption:
        return Decision.allow(
            Reason(
                "age.legal_exemption",
                f"Limite d'âge de {limit} ans levée par une dérogation légale enregistrée par "
                "l'école.",
                f"The {limit}-year age limit is lifted by a legal exemption recorded by the school.",
                data,
            )
        )
    return Decision.refuse(
        Reason(
            "age.over_limit_at_contract",
            f"Le contrat d'apprentissage du {clock.format_date(contract_date, 'fr')} serait "
            f"conclu à {limit} ans ou plus (anniversaire le {clock.format_date(birthday, 'fr')}) : "
            f"il doit être conclu avant vos {limit} ans, sauf dérogation prévue par la loi.",
            f"The apprenticeship contract of {clock.format_date(contract_date, 'en')} would be "
            f"signed at {limit} or older (birthday on {clock.format_date(birthday, 'en')}): it "
            f"must be signed before your {limit}th birthday unless a legal exemption applies.",
            data,
        )
    )


def diploma_eligibility(campaign: Campaign, diplomas: Sequence[Diploma]) -> Decision:
    """A BTS, DUT or validated L2 in a scientific or technical speciality, held at the latest on
    ``diploma_deadline`` (R3.2). ATS or L3 after one of them also qualifies, so the base diploma
    must be declared. A foreign diploma's equivalence is for the admission committee ("seule
    compétente"): it does not block, it is flagged.

    Allowed decisions carry notes (which diploma qualifies; admission conditional on it).
    """
    rules = campaign.eligibility
    deadline = campaign.calendar.diploma_deadline
    deadline_fr = clock.format_date(deadline, "fr")
    deadline_en = clock.format_date(deadline, "en")
    if not diplomas:
        return Decision.refuse(
            Reason(
                "diploma.none_declared",
                "Déclarez vos diplômes (BTS, DUT ou L2 validée) dans la page « Parcours de formation ».",
                "Declare your diplomas (BTS, DUT or validated L2) on the “Education” page.",
            )
        )

    qualifying = [d for d in diplomas if d.type in rules.qualifying_diplomas]
    good = [
        d
        for d in qualifying
        if d.scientific_or_technical
        and d.held_or_expected_on is not None
        and d.held_or_expected_on <= deadline
    ]
    if good:
        best = min(good, key=lambda d: (d.obtained_on is None, d.held_or_expected_on))
        notes = [
            Reason(
                "diploma.qualifies",
                f"Diplôme requis : {_TYPE_NAMES_FR[best.type]} dans une spécialité scientifique "
                "ou technique.",
                f"Required diploma: {_TYPE_NAMES_EN[best.type]} in a scientific or technical "
                "speciality.",
                {"type": str(best.type)},
            )
        ]
        follow_ons = [d for d in diplomas if d.type in rules.qualifying_follow_ons]
        if follow_ons:
            names_fr = ", ".join(_TYPE_NAMES_FR[d.type] for d in follow_ons)
            names_en = ", ".join(_TYPE_NAMES_EN[d.type] for d in follow_ons)
            notes.append(
                Reason(
                    "diploma.follow_on_accepted",
                    f"Votre parcours après ce diplôme ({names_fr}) est accepté.",
                    f"Your studies after this diploma ({names_en}) are accepted.",
                )
            )
        if best.obtained_on is None:
            notes.append(
                Reason(
                    "diploma.conditional",
                    f"Votre admission sera prononcée sous réserve d'obtenir ce diplôme au plus "
                    f"tard le {deadline_fr} ; une copie du diplôme ou de l'attestation sera "
                    "demandée avant l'entrée en formation.",
                    f"Admission will be conditional on obtaining this diploma by {deadline_en}; "
                    "a copy of the diploma or its certificate is required before training starts.",
                    {"expected_on": best.expected_on},
                )
            )
        return Decision.allow(*notes)

    foreign = [
        d
        for d in diplomas
        if d.type is DiplomaType.FOREIGN
        and d.scientific_or_technical
        and d.held_or_expected_on is not None
        and d.held_or_expected_on <= deadline
    ]
    if foreign:
        return Decision.allow(
            Reason(
                "diploma.foreign_equivalence_by_committee",
                "Diplôme obtenu à l'étranger : la commission d'admission jugera s'il équivaut à "
                "un BTS, un DUT ou une L2 validée. Joignez le détail de son programme.",
                "Diploma obtained abroad: the admission committee will judge whether it is "
                "equivalent to a BTS, DUT or validated L2. Attach its detailed programme.",
            )
        )

    return Decision.refuse(*_diploma_refusals(campaign, diplomas, qualifying))


def _diploma_refusals(
    campaign: Campaign, diplomas: Sequence[Diploma], qualifying: Sequence[Diploma]
) -> list[Reason]:
    rules = campaign.eligibility
    deadline = campaign.calendar.diploma_deadline
    reasons: list[Reason] = []
    for diploma in qualifying:
        name_fr, name_en = _TYPE_NAMES_FR[diploma.type], _TYPE_NAMES_EN[diploma.type]
        if not diploma.scientific_or_technical:
            reasons.append(
                Reason(
                    "diploma.not_scientific_or_technical",
                    f"Votre {name_fr} doit relever d'une spécialité scientifique ou technique.",
                    f"Your {name_en} must be in a scientific or technical speciality.",
                    {"type": str(diploma.type)},
                )
            )
        elif diploma.held_or_expected_on is None:
            reasons.append(
                Reason(
                    "diploma.no_date",
                    f"Indiquez la date d'obtention (ou la date prévue) de votre {name_fr}.",
                    f"Give the date you obtained (or expect) your {name_en}.",
                    {"type": str(diploma.type)},
                )
            )
        else:
            reasons.append(
                Reason(
                    "diploma.too_late",
                    f"Votre {name_fr} ({clock.format_date(diploma.held_or_expected_on, 'fr')}) "
                    f"doit être obtenu au plus tard le {clock.format_date(deadline, 'fr')}.",
                    f"Your {name_en} ({clock.format_date(diploma.held_or_expected_on, 'en')}) "
                    f"must be obtained by {clock.format_date(deadline, 'en')}.",
                    {"type": str(diploma.type), "deadline": deadline},
                )
            )
    if not qualifying:
        if any(d.type in rules.qualifying_follow_ons for d in diplomas):
            reasons.append(
                Reason(
                    "diploma.follow_on_without_base",
                    "Une classe ATS ou une L3 est acceptée après un BTS, un DUT ou une L2 "
                    "validée : ajoutez ce diplôme à votre parcours.",
                    "An ATS class or an L3 is accepted after a BTS, DUT or validated L2: add "
                    "that diploma to your education history.",
                )
            )
        elif any(d.type is DiplomaType.FOREIGN for d in diplomas):
            reasons.append(
                Reason(
                    "diploma.foreign_not_eligible",
                    "Votre diplôme étranger doit relever d'une spécialité scientifique ou "
                    f"technique et être obtenu au plus tard le {clock.format_date(deadline, 'fr')}.",
                    "Your foreign diploma must be in a scientific or technical speciality and be "
                    f"obtained by {clock.format_date(deadline, 'en')}.",
                )
            )
        else:
            reasons.append(
                Reason(
                    "diploma.not_qualifying",
                    "Il faut un BTS, un DUT ou une L2 validée dans une spécialité scientifique "
                    f"ou technique, obtenu au plus tard le {clock.format_date(deadline, 'fr')}.",
                    "A BTS, DUT or validated L2 in a scientific or technical speciality, "
                    f"obtained by {clock.format_date(deadline, 'en')}, is required.",
                )
            )
    return reasons


def continuing_education_eligibility(
    campaign: Campaign, experience_years_as_technician: Decimal, employer_agreement: bool
) -> Decision:
    """Formation continue: at least 3 years as a higher technician and the employer's agreement,
    on top of the diploma (R3.2)."""
    years = experience_years_as_technician
    if isinstance(years, bool | float) or not isinstance(years, Decimal | int):
        raise RulesError(
            Reason(
                "experience.not_a_decimal",
                "L'expérience doit être un nombre décimal d'années.",
                "Experience must be a decimal number of years.",
                {"value": repr(years)},
            )
        )
    years = Decimal(years)
    if not years.is_finite() or years < 0:
        raise RulesError(
            Reason(
                "experience.invalid",
                "L'expérience doit être un nombre d'années positif ou nul.",
                "Experience must be a non-negative number of years.",
                {"value": repr(years)},
            )
        )
    minimum = campaign.eligibility.continuing_min_experience_years
    reasons: list[Reason] = []
    if years < minimum:
        reasons.append(
            Reason(
                "experience.too_short",
                f"La formation continue demande au moins {minimum} ans d'expérience comme "
                f"technicien supérieur ; vous en déclarez {years}.",
                f"Continuing education requires at least {minimum} years of experience as a "
                f"higher technician; you declare {years}.",
                {"minimum": minimum, "declared": years},
            )
        )
    if not employer_agreement:
        reasons.append(
            Reason(
                "experience.no_employer_agreement",
                "La formation continue demande l'accord de votre entreprise sur ce projet.",
                "Continuing education requires your employer's agreement to the project.",
            )
        )
    return Decision.refuse(*reasons) if reasons else Decision.allow()


def assess(campaign: Campaign, applicant: ApplicantFacts, now: datetime) -> EligibilityReport:
    """Every eligibility rule for the status sought, in plain words (R3.2).

    ``now`` matters for the age warning: once the earliest contract start has passed, the
    earliest possible contract is today (in the campaign's zone).
    """
    today = clock.local_date(now, campaign.calendar.time_zone)
    blocking: list[Reason] = []
    warnings: list[Reason] = []
    notes: list[Reason] = []

    diploma = diploma_eligibility(campaign, applicant.diplomas)
    status = StatusSought(applicant.status_sought)
    if status is StatusSought.PROFESSIONALISATION:
        # The notice only says "se renseigner auprès d'IMT Mines Albi": staff handle it (R3.1).
        warnings.append(
            Reason(
                "status.professionalisation_by_staff",
                "Contrat de professionnalisation : votre candidature est suivie par le service "
                "des admissions de l'école, qui vous contactera ; renseignez-vous auprès de lui.",
                "Professionalisation contract: your application is handled by the school's "
                "admissions office, which will contact you; ask it for details.",
            )
        )
        (notes if diploma.allowed else warnings).extend(diploma.reasons)
        return EligibilityReport(True, (), tuple(warnings), tuple(notes))

    (notes if diploma.allowed else blocking).extend(diploma.reasons)

    if status is StatusSought.APPRENTICESHIP:
        if applicant.contract_date is not None:
            age = check_age_at_contract(
                campaign,
                applicant.birth_date,
                applicant.contract_date,
                applicant.legal_age_exemption,
            )
            (notes if age.allowed else blocking).extend(age.reasons)
        else:
            warning = age_warning_at_application(
                campaign, applicant.birth_date, applicant.legal_age_exemption, today
            )
            if warning is not None:
                warnings.append(warning)
    elif status is StatusSought.CONTINUING_EDUCATION:
        experience = continuing_education_eligibility(
            campaign, applicant.experience_years_as_technician, applicant.employer_agreement
        )
        blocking.extend(experience.reasons)

    return EligibilityReport(not blocking, tuple(blocking), tuple(warnings), tuple(notes))
