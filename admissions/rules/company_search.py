"""Help with the company search (R7.3): the training sessions, phone advice, the presentation file.

Pure: takes the instants and plain values; says why not, in both languages. The notice: a
candidate admitted academically without a host company "sera invité à participer à une session
de formation à la recherche d'entreprise ou à recevoir des conseils par téléphone".
"""

from __future__ import annotations

from datetime import datetime

from admissions.rules.explain import Decision, Reason

# The presentation file for companies is a brochure, not a scan: more room than a candidate's
# upload (R3.4's 2 MiB), still far below what a page of the platform should serve.
PRESENTATION_MAX_BYTES = 10 * 1024 * 1024
PRESENTATION_MAX_PAGES = 60
CAPACITY_MAX = 500  # a lecture hall; more is a typing error


def session_problems(
    *,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    frozen_at: datetime,
    capacity: int,
    registered: int = 0,
    remote: bool,
    place: str,
    link: str,
) -> tuple[Reason, ...]:
    """Why a training session cannot be recorded as given; empty when it can."""
    problems: list[Reason] = []
    if starts_at <= now:
        problems.append(
            Reason(
                "training.in_the_past",
                "Cette date est passée : la session doit commencer plus tard.",
                "That date has passed: the session must start later.",
            )
        )
    elif starts_at >= frozen_at:
        problems.append(
            Reason(
                "training.after_freeze",
                "La session doit avoir lieu avant l'arrêt de la liste définitive.",
                "The session must take place before the final list is frozen.",
            )
        )
    if ends_at <= starts_at:
        problems.append(
            Reason(
                "training.ends_before_start",
                "La fin de la session doit suivre son début.",
                "The session must end after it starts.",
            )
        )
    if capacity < 1:
        problems.append(
            Reason(
                "training.no_seat",
                "Une session a au moins une place.",
                "A session has at least one seat.",
            )
        )
    elif capacity > CAPACITY_MAX:
        problems.append(
            Reason(
                "training.too_many_seats",
                f"Une session a au plus {CAPACITY_MAX} places.",
                f"A session has at most {CAPACITY_MAX} seats.",
                {"max": CAPACITY_MAX},
            )
        )
    elif capacity < registered:
        problems.append(
            Reason(
                "training.below_registered",
                f"{registered} candidats sont déjà inscrits : la capacité ne peut pas descendre "
                f"en dessous.",
                f"{registered} candidates have already registered: the capacity cannot go below.",
                {"registered": registered},
            )
        )
    if remote and not link.strip():
        problems.append(
            Reason(
                "training.remote_without_link",
                "Une session à distance a un lien de connexion.",
                "A remote session needs a link to join it.",
            )
        )
    if not remote and not place.strip():
        problems.append(
            Reason(
                "training.no_place",
                "Indiquez le lieu de la session, ou cochez « à distance ».",
                "Give the session's place, or tick 'remote'.",
            )
        )
    return tuple(problems)


def _frozen(now: datetime, frozen_at: datetime) -> Reason | None:
    if now >= frozen_at:
        return Reason(
            "training.frozen",
            "La liste définitive est arrêtée : l'aide à la recherche d'entreprise est close.",
            "The final list is frozen: help with the company search is closed.",
        )
    return None


def _company_confirmed(confirmed: bool) -> Reason | None:
    if confirmed:
        return Reason(
            "training.company_confirmed",
            "Votre entreprise d'accueil a confirmé votre contrat : vous n'avez plus besoin de "
            "cette aide.",
            "Your host company has confirmed your contract: you no longer need this help.",
        )
    return None


def can_register(
    *,
    now: datetime,
    frozen_at: datetime,
    company_confirmed: bool,
    session_starts_at: datetime,
    session_cancelled: bool,
    registered: int,
    capacity: int,
) -> Decision:
    """Whether an academically admitted candidate may register for a session (R7.3). The seat
    itself is taken by the database (a conditional update): ``registered`` only words it."""
    for reason in (_frozen(now, frozen_at), _company_confirmed(company_confirmed)):
        if reason is not None:
            return Decision(False, (reason,))
    if session_cancelled:
        return Decision(
            False,
            (
                Reason(
                    "training.cancelled",
                    "Cette session est annulée.",
                    "This session is cancelled.",
                ),
            ),
        )
    if session_starts_at <= now:
        return Decision(
            False,
            (
                Reason(
                    "training.started",
                    "Cette session a déjà commencé : les inscriptions sont closes.",
                    "This session has already started: registration is closed.",
                ),
            ),
        )
    if registered >= capacity:
        return Decision(False, (session_full(),))
    return Decision(True)


def session_full() -> Reason:
    return Reason(
        "training.full",
        "Cette session est complète : choisissez-en une autre ou demandez des conseils par "
        "téléphone.",
        "This session is full: choose another one or ask for advice by phone.",
    )


def can_ask_phone_advice(
    *, now: datetime, frozen_at: datetime, company_confirmed: bool
) -> Decision:
    """Whether an academically admitted candidate may ask for phone advice (R7.3)."""
    for reason in (_frozen(now, frozen_at), _company_confirmed(company_confirmed)):
        if reason is not None:
            return Decision(False, (reason,))
    return Decision(True)
