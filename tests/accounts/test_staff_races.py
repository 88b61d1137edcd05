"""Issue 11 on PostgreSQL: the staff account services lock the account's row before checking,
so two administrators acting at once cannot together break a rule each respects alone."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from admissions.accounts import services
from admissions.accounts.models import Role, RoleGrant, User
from tests.dossiers.test_races_under_lock import in_own_connection

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

NOW = datetime(2021, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises writers")


def test_two_revocations_at_once_never_leave_an_account_without_a_role(
    accounts_by_role, reference_campaign, monkeypatch
):
    jury = accounts_by_role["jury_member"]
    first = jury.role_grants.get()
    second = RoleGrant.objects.create(
        user=jury, role=Role.COMMITTEE_MEMBER, school=reference_campaign.school
    )
    admins = [
        accounts_by_role["platform_admin"],
        User.objects.create_superuser("second-admin@example.org", "a-long-password-1"),
    ]
    inside, release = threading.Event(), threading.Event()
    real_record = services.record

    def record_then_wait(*args, **kwargs):
        entry = real_record(*args, **kwargs)
        if args[0].pk == admins[0].pk:
            inside.set()  # the first revocation has checked and written, not committed
            release.wait(timeout=10)
        return entry

    monkeypatch.setattr(services, "record", record_then_wait)
    errors: list[BaseException] = []

    def revoke(grant: RoleGrant, admin: User):
        return lambda: services.revoke_grant(grant_id=grant.pk, user=jury, by=admin, now=NOW)

    one = in_own_connection(revoke(first, admins[0]), errors)
    assert inside.wait(timeout=10)
    two = in_own_connection(revoke(second, admins[1]), errors)
    two.join(timeout=1)  # blocked on the account's row while the first holds it
    release.set()
    one.join(timeout=10)
    two.join(timeout=10)

    assert RoleGrant.objects.filter(user=jury).count() == 1
    assert [type(error) for error in errors] == [services.StaffError]
