"""Who reads and checks which dossier (R9.2): dossiers/permissions.py and payments/permissions.py.

Every test first creates the row that could leak (school A's dossier) before asking an account
of school B about it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from admissions.accounts.models import Role, RoleGrant, User
from admissions.dossiers.permissions import (
    can_check_dossier,
    can_view_dossier,
    dossiers_checkable_by,
    dossiers_visible_to,
)
from admissions.dossiers.services import open_dossier
from admissions.payments.models import Payment
from admissions.payments.permissions import (
    can_decide_payment,
    payments_decidable_by,
    payments_visible_to,
)
from tests.schools import load_school_campaign

pytestmark = pytest.mark.django_db

NOW = datetime(2021, 2, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def world(reference_campaign):
    """School A (the reference campaign) and school B, one candidate and dossier in each."""
    campaign_b = load_school_campaign("ecole-b", "ecole-b-2021")
    dossiers = {}
    for key, campaign in (("a", reference_campaign), ("b", campaign_b)):
        candidate = User.objects.create_user(f"candidate-{key}@example.org", "a-long-password-1")
        dossiers[key] = open_dossier(candidate=candidate, campaign=campaign, now=NOW)
    return {"schools": {"a": reference_campaign.school, "b": campaign_b.school}, **dossiers}


def staff(world, role: str, where: str | None) -> User:
    """An account holding ``role`` for school ``where`` ("a", "b") or every school (None)."""
    user = User.objects.create_user(f"{role}-{where or 'all'}@example.org", "a-long-password-1")
    school = world["schools"][where] if where else None
    RoleGrant.objects.create(user=user, role=role, school=school)
    return User.objects.get(pk=user.pk)


def references(queryset) -> set[str]:
    return set(queryset.values_list("reference", flat=True))


def test_a_candidate_sees_their_own_dossier_only(world):
    mine, theirs = world["a"], world["b"]

    assert references(dossiers_visible_to(mine.candidate)) == {mine.reference}
    assert can_view_dossier(mine.candidate, theirs) is False
    assert references(dossiers_checkable_by(mine.candidate)) == set()
    assert can_check_dossier(mine.candidate, mine) is False


def test_a_visitor_sees_no_dossier(world):
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()

    assert references(dossiers_visible_to(visitor)) == set()  # type: ignore[arg-type]
    assert references(dossiers_checkable_by(visitor)) == set()  # type: ignore[arg-type]


def forward_all(world) -> None:
    """The central check declares both dossiers recevable: forwarded to their committees."""
    from admissions.verification.models import DossierCheck

    officer = staff(world, Role.CENTRAL_OFFICER, None)
    for key in ("a", "b"):
        DossierCheck.objects.create(
            dossier=world[key], verdict="recevable", decided_by=officer, decided_at=NOW
        )


@pytest.mark.parametrize(
    "role",
    [Role.CENTRAL_OFFICER, Role.SCHOOL_OFFICER, Role.COMMITTEE_MEMBER, Role.PLATFORM_ADMIN],
)
def test_staff_of_school_b_see_none_of_school_a(world, role):
    forward_all(world)  # committee members read only the dossiers forwarded to them
    officer = staff(world, role, "b")

    assert references(dossiers_visible_to(officer)) == {world["b"].reference}
    assert can_view_dossier(officer, world["a"]) is False


@pytest.mark.parametrize("role", [Role.CENTRAL_OFFICER, Role.PLATFORM_ADMIN])
def test_staff_for_every_school_see_and_check_every_dossier(world, role):
    officer = staff(world, role, None)

    assert references(dossiers_visible_to(officer)) == {world["a"].reference, world["b"].reference}
    assert references(dossiers_checkable_by(officer)) == {
        world["a"].reference,
        world["b"].reference,
    }


def test_the_central_service_of_school_a_checks_school_a_only(world):
    officer = staff(world, Role.CENTRAL_OFFICER, "a")

    assert references(dossiers_checkable_by(officer)) == {world["a"].reference}
    assert (can_check_dossier(officer, world["a"]), can_check_dossier(officer, world["b"])) == (
        True,
        False,
    )


@pytest.mark.parametrize("role", [Role.SCHOOL_OFFICER, Role.COMMITTEE_MEMBER, Role.JURY_MEMBER])
def test_roles_outside_the_central_service_check_nothing(world, role):
    officer = staff(world, role, None)

    assert references(dossiers_checkable_by(officer)) == set()


def test_a_jury_member_reads_no_dossier_yet(world):
    juror = staff(world, Role.JURY_MEMBER, None)

    assert references(dossiers_visible_to(juror)) == set()


def test_several_grants_add_up(world):
    forward_all(world)
    member = staff(world, Role.COMMITTEE_MEMBER, "a")
    RoleGrant.objects.create(user=member, role=Role.CENTRAL_OFFICER, school=world["schools"]["b"])
    member = User.objects.get(pk=member.pk)

    assert references(dossiers_visible_to(member)) == {world["a"].reference, world["b"].reference}
    assert references(dossiers_checkable_by(member)) == {world["b"].reference}


def test_payments_follow_their_dossier(world):
    payment_a = Payment.objects.create(
        dossier=world["a"], amount=77, reference="VIR-A", declared_at=NOW
    )
    payment_b = Payment.objects.create(
        dossier=world["b"], amount=77, reference="VIR-B", declared_at=NOW
    )
    officer_b = staff(world, Role.CENTRAL_OFFICER, "b")
    committee_all = staff(world, Role.COMMITTEE_MEMBER, None)

    assert list(payments_decidable_by(officer_b)) == [payment_b]
    assert (can_decide_payment(officer_b, payment_a), can_decide_payment(officer_b, payment_b)) == (
        False,
        True,
    )
    assert list(payments_decidable_by(committee_all)) == []
    assert list(payments_visible_to(world["a"].candidate)) == [payment_a]
