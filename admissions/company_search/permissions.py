"""Who manages the help with the company search (R7.3, R9.2): the school's admissions officers
and the central service, each within the schools of their grants."""

from __future__ import annotations

from django.db.models import QuerySet

from admissions.accounts.models import Role, User
from admissions.accounts.scope import school_scope
from admissions.campaigns.models import Campaign
from admissions.company_search.models import PhoneAdviceRequest, TrainingSession

# core.access.OFFICERS admits the same roles.
MANAGERS = frozenset({Role.SCHOOL_OFFICER, Role.CENTRAL_OFFICER, Role.PLATFORM_ADMIN})


def can_manage(user: User, campaign: Campaign) -> bool:
    return user.is_authenticated and school_scope(user, MANAGERS).includes(campaign.school_id)


def sessions_managed_by(user: User) -> QuerySet[TrainingSession]:
    if not user.is_authenticated:
        return TrainingSession.objects.none()
    return school_scope(user, MANAGERS).narrow(TrainingSession.objects.all(), "campaign__school")


def phone_requests_managed_by(user: User) -> QuerySet[PhoneAdviceRequest]:
    if not user.is_authenticated:
        return PhoneAdviceRequest.objects.none()
    return school_scope(user, MANAGERS).narrow(
        PhoneAdviceRequest.objects.all(), "dossier__campaign__school"
    )
