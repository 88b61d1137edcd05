"""Who may read and act on which dossier (R9.2): predicates over objects, and the querysets
they are checked against.

A staff account reads the dossiers of the schools its grants cover (``accounts/scope.py``), as
each of its roles allows; a candidate reads their own. Views look dossiers up through these
selectors and answer 404 otherwise, so that guessing an identifier reveals nothing; a predicate
is the same selector asked about one row, so the two cannot disagree.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from admissions.accounts.models import Role, User
from admissions.accounts.scope import school_scope
from admissions.dossiers.models import Dossier

SCHOOL = "campaign__school"

# A dossier the central check declared "recevable": forwarded to the school's committee (R4.1).
FORWARDED = Q(central_check__verdict="recevable")

# What each staff role reads, within the schools of its grants. The committee reads only the
# dossiers forwarded to it (R5.1); the jury's narrowing to its own candidates comes with R6.
READS_BY_ROLE: dict[str, Q] = {
    Role.CENTRAL_OFFICER: Q(),
    Role.SCHOOL_OFFICER: Q(),
    Role.COMMITTEE_MEMBER: FORWARDED,
    Role.PLATFORM_ADMIN: Q(),
}

# The central administrative check (R4), payments (R8.4) and the candidates' messages (R3.9)
# are the central service's work; the platform's administrators may stand in.
CHECKING_ROLES = frozenset({Role.CENTRAL_OFFICER, Role.PLATFORM_ADMIN})


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """Every dossier ``user`` may read: their own for a candidate, their schools' for staff."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    if not user.is_staff_member:
        return Dossier.objects.filter(candidate=user)
    condition: Q | None = None
    for role, reads in READS_BY_ROLE.items():
        scope = school_scope(user, [role])
        if scope.empty:
            continue
        term = scope.q(SCHOOL) & reads
        condition = term if condition is None else condition | term
    if condition is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(condition)


def dossiers_checkable_by(user: User) -> QuerySet[Dossier]:
    """The dossiers whose check, payments and messages ``user`` handles (central service)."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return school_scope(user, CHECKING_ROLES).narrow(Dossier.objects.all(), SCHOOL)


def can_view_dossier(user: User, dossier: Dossier) -> bool:
    return dossiers_visible_to(user).filter(pk=dossier.pk).exists()


def can_check_dossier(user: User, dossier: Dossier) -> bool:
    return dossiers_checkable_by(user).filter(pk=dossier.pk).exists()
