"""Who handles which dossier's company phase (R7, R9.2): the school's admissions officers.

A school officer (or a platform administrator) of the dossier's school reads and acts on its
host company, its place on the final list, its withdrawal and any fraud record; nobody else.
"""

from __future__ import annotations

from django.db.models import QuerySet

from admissions.accounts.models import Role, User
from admissions.accounts.scope import school_scope
from admissions.campaigns.models import Campaign
from admissions.dossiers.models import Dossier
from admissions.dossiers.permissions import SCHOOL

# core.access.SCHOOL_OFFICER admits the same roles.
MANAGERS = frozenset({Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN})


def dossiers_placed_by(user: User) -> QuerySet[Dossier]:
    """The dossiers whose company phase ``user`` handles: those of their schools."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return school_scope(user, MANAGERS).narrow(Dossier.objects.all(), SCHOOL)


def can_place(user: User, dossier: Dossier) -> bool:
    return dossiers_placed_by(user).filter(pk=dossier.pk).exists()


def can_read_final_list(user: User, campaign: Campaign) -> bool:
    return user.is_authenticated and school_scope(user, MANAGERS).includes(campaign.school_id)
