"""Reading staff accounts for the staff accounts pages (issue 11): never a candidate's account,
and only what the administrator's own grant covers (see ``accounts/services.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from admissions.accounts.models import STAFF_ROLES, Role, RoleGrant, User
from admissions.accounts.scope import SchoolScope, school_scope
from admissions.campaigns.models import School


def manager_scope(admin: User) -> SchoolScope:
    """The schools whose grants ``admin`` manages: where it is a platform administrator."""
    return school_scope(admin, [Role.PLATFORM_ADMIN])


def staff_accounts_visible_to(admin: User) -> QuerySet[User]:
    """Accounts holding a staff grant within the administrator's scope, grants prefetched
    (their schools too). Accounts without a grant (candidates) never appear."""
    scope = manager_scope(admin)
    in_scope = scope.narrow(
        RoleGrant.objects.filter(user=OuterRef("pk"), role__in=sorted(STAFF_ROLES)),
        "school",
    )
    if scope.empty:
        return User.objects.none()
    return (
        User.objects.filter(Exists(in_scope))
        .prefetch_related(
            Prefetch(
                "role_grants",
                queryset=RoleGrant.objects.select_related("school").order_by(
                    "role", "school__name"
                ),
            )
        )
        .order_by("last_name", "first_name", "email")
    )


@dataclass(frozen=True)
class StaffFilters:
    role: str = ""
    school: School | None = None
    everywhere: bool = False  # grants for every school only
    active: bool | None = None
    search: str = ""


def filtered_staff_accounts(admin: User, filters: StaffFilters) -> QuerySet[User]:
    accounts = staff_accounts_visible_to(admin)
    grant = Q()
    if filters.role:
        grant &= Q(role_grants__role=filters.role)
    if filters.school is not None:
        grant &= Q(role_grants__school=filters.school)
    if filters.everywhere:
        grant &= Q(role_grants__school__isnull=True)
    if grant:
        accounts = accounts.filter(grant)
    if filters.active is not None:
        accounts = accounts.filter(is_active=filters.active)
    if filters.search:
        words = filters.search.split()
        for word in words[:5]:
            accounts = accounts.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
    return accounts.distinct()


def can_see_account(admin: User, user: User) -> bool:
    return staff_accounts_visible_to(admin).filter(pk=user.pk).exists()


def can_manage_account(admin: User, user: User) -> bool:
    """Activation and second factor: the account's every grant lies within the scope."""
    scope = manager_scope(admin)
    grants = list(user.role_grants.values_list("school_id", flat=True))
    return bool(grants) and all(scope.includes(school) for school in grants)


def can_manage_grant(admin: User, grant: RoleGrant) -> bool:
    return manager_scope(admin).includes(grant.school_id)


def manageable_schools(admin: User) -> QuerySet[School]:
    scope = manager_scope(admin)
    return scope.narrow(School.objects.order_by("name"), "pk")
