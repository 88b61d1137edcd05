"""The schools a staff grant covers (R2.2, R9.2): accounts/scope.py."""

from __future__ import annotations

import pytest

from admissions.accounts.models import Role, RoleGrant, User
from admissions.accounts.scope import NOWHERE, SchoolScope, school_scope
from admissions.campaigns.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    return (
        School.objects.create(code="ecole-a", name="École A"),
        School.objects.create(code="ecole-b", name="École B"),
    )


def account(email: str, *grants: tuple[str, School | None], **fields) -> User:
    user = User.objects.create_user(email, "a-long-password-1", **fields)
    for role, school in grants:
        RoleGrant.objects.create(user=user, role=role, school=school)
    return User.objects.get(pk=user.pk)  # as a request reads it: no grant cached yet


def test_a_grant_for_one_school_covers_that_school_only(schools):
    a, b = schools
    officer = account("a@example.org", (Role.CENTRAL_OFFICER, a))

    scope = school_scope(officer, [Role.CENTRAL_OFFICER])

    assert scope == SchoolScope(school_ids=frozenset({a.pk}))
    assert (scope.includes(a.pk), scope.includes(b.pk), scope.includes(None)) == (
        True,
        False,
        False,
    )


def test_a_grant_without_a_school_covers_every_school(schools):
    a, b = schools
    officer = account("all@example.org", (Role.CENTRAL_OFFICER, None))

    scope = school_scope(officer, [Role.CENTRAL_OFFICER])

    assert scope == SchoolScope(everywhere=True)
    assert (scope.includes(a.pk), scope.includes(b.pk)) == (True, True)


def test_a_superuser_administers_every_school_without_a_grant(schools):
    admin = account("root@example.org", is_superuser=True)

    assert school_scope(admin, [Role.PLATFORM_ADMIN]) == SchoolScope(everywhere=True)
    assert school_scope(admin, [Role.CENTRAL_OFFICER]) == NOWHERE


def test_a_candidate_and_a_visitor_are_nowhere(schools):
    from django.contrib.auth.models import AnonymousUser

    candidate = account("c@example.org")

    assert school_scope(candidate, list(Role)) == NOWHERE
    assert school_scope(AnonymousUser(), list(Role)) == NOWHERE  # type: ignore[arg-type]
    assert NOWHERE.empty is True


def test_only_the_roles_asked_for_count(schools):
    a, b = schools
    member = account("m@example.org", (Role.COMMITTEE_MEMBER, a), (Role.CENTRAL_OFFICER, b))

    assert school_scope(member, [Role.COMMITTEE_MEMBER]).school_ids == frozenset({a.pk})
    assert school_scope(member, [Role.CENTRAL_OFFICER]).school_ids == frozenset({b.pk})
    assert school_scope(member, [Role.JURY_MEMBER]) == NOWHERE


def test_several_grants_add_up_and_one_for_every_school_covers_all(schools):
    a, b = schools
    two = account("two@example.org", (Role.SCHOOL_OFFICER, a), (Role.SCHOOL_OFFICER, b))
    wide = account("wide@example.org", (Role.SCHOOL_OFFICER, a), (Role.SCHOOL_OFFICER, None))

    assert school_scope(two, [Role.SCHOOL_OFFICER]) == SchoolScope(
        school_ids=frozenset({a.pk, b.pk})
    )
    assert school_scope(wide, [Role.SCHOOL_OFFICER]) == SchoolScope(everywhere=True)


def test_narrow_keeps_the_rows_of_the_scope_and_none_for_an_empty_one(schools):
    a, b = schools
    rows = School.objects.all()

    assert list(SchoolScope(school_ids=frozenset({b.pk})).narrow(rows, "pk")) == [b]
    assert list(SchoolScope(everywhere=True).narrow(rows, "pk").order_by("pk")) == [a, b]
    assert list(NOWHERE.narrow(rows, "pk")) == []
