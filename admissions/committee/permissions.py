"""Who works on which dossier at the admissibility committee (R5.1, R9.2).

The committee reads the dossiers the central check forwarded to its school ("recevable"); each
member scores them; the school's admissions officer records the committee's decision. Who is a
member and who decides is data: a ``committee_member`` or ``school_officer`` grant for the
school (accounts.RoleGrant), never a list in code. A platform administrator reads everything
but neither scores nor decides: the decision is the school's.
"""

from __future__ import annotations

from django.db.models import QuerySet

from admissions.accounts.models import Role, User
from admissions.accounts.scope import school_scope
from admissions.campaigns.models import Campaign
from admissions.dossiers.models import Dossier
from admissions.dossiers.permissions import FORWARDED, SCHOOL

# Who opens the committee's pages (core.access.COMMITTEE admits the same roles).
READERS = frozenset({Role.COMMITTEE_MEMBER, Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN})
SCORERS = frozenset({Role.COMMITTEE_MEMBER})
DECIDERS = frozenset({Role.SCHOOL_OFFICER})
# Who moves the publication instant of the results (R5.2): the school's officer, or an admin.
PUBLISHERS = frozenset({Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN})


def _forwarded_within(user: User, roles: frozenset[str]) -> QuerySet[Dossier]:
    if not user.is_authenticated:
        return Dossier.objects.none()
    return school_scope(user, roles).narrow(Dossier.objects.filter(FORWARDED), SCHOOL)


def dossiers_before_committee(user: User) -> QuerySet[Dossier]:
    """The forwarded dossiers of the schools where ``user`` sits at or runs the committee."""
    return _forwarded_within(user, READERS)


def dossiers_scorable_by(user: User) -> QuerySet[Dossier]:
    return _forwarded_within(user, SCORERS)


def dossiers_decidable_by(user: User) -> QuerySet[Dossier]:
    return _forwarded_within(user, DECIDERS)


def can_read_committee_dossier(user: User, dossier: Dossier) -> bool:
    return dossiers_before_committee(user).filter(pk=dossier.pk).exists()


def can_score(user: User, dossier: Dossier) -> bool:
    """A committee member of the dossier's school, on a dossier forwarded to it."""
    return dossiers_scorable_by(user).filter(pk=dossier.pk).exists()


def can_decide_admissibility(user: User, dossier: Dossier) -> bool:
    """The school's admissions officer records the committee's decision (R5.1)."""
    return dossiers_decidable_by(user).filter(pk=dossier.pk).exists()


def can_set_publication(user: User, campaign: Campaign) -> bool:
    """The school's admissions officer (or a platform administrator) sets when results go out."""
    return user.is_authenticated and school_scope(user, PUBLISHERS).includes(campaign.school_id)
