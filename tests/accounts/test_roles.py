"""Roles are read with the account; a candidate's request asks nothing more (R2.2)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admissions.accounts.models import Role, RoleGrant

pytestmark = pytest.mark.django_db


def role_grant_queries(queries) -> int:
    """Queries that list an account's grants (the account's own query only asks whether any exist)."""
    return sum('FROM "accounts_rolegrant" WHERE' in query["sql"] for query in queries)


def test_a_candidate_request_does_not_read_role_grants(client, candidate, frozen_clock):
    client.force_login(candidate)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dossiers:overview")).status_code == 200

    assert role_grant_queries(queries.captured_queries) == 0


def test_a_role_granted_after_login_counts_from_the_next_request(client, candidate, frozen_clock):
    client.force_login(candidate)
    assert client.get(reverse("payments:pending")).status_code == 403

    RoleGrant.objects.create(user=candidate, role=Role.CENTRAL_OFFICER)

    assert client.get(reverse("payments:pending")).status_code == 200


def test_a_withdrawn_role_is_refused_from_the_next_request(client, accounts_by_role, frozen_clock):
    officer = accounts_by_role["central_officer"]
    client.force_login(officer)
    assert client.get(reverse("payments:pending")).status_code == 200

    RoleGrant.objects.filter(user=officer).delete()

    assert client.get(reverse("payments:pending")).status_code == 403
