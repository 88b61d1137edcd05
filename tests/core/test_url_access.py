"""Every URL declares who may reach it, and answers accordingly (R2.2, R9.2).

A new URL without a declaration fails ``test_every_url_declares_its_access``; a URL that lets in a
role its rule refuses fails ``test_every_url_refuses_the_roles_its_rule_refuses``.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from admissions.core.access import ANONYMOUS, declared_access

SAMPLE_VALUES = {
    "int": "987654",
    "slug": "x-unknown",
    "str": "x-unknown",
    "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
    "path": "x/unknown",
}


def all_url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            child_namespace = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_url_patterns(entry, prefix + str(entry.pattern), child_namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name or entry.lookup_str}"
            yield name, prefix + str(entry.pattern), entry.callback


def sample_path(route: str) -> str | None:
    """A concrete path for a route, with made-up values; None for regex routes we cannot fill."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    path = re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "x"), route
    )
    if any(char in path for char in "()[]?*+\\"):
        return None
    return "/" + path


PATTERNS = sorted(set(all_url_patterns()), key=lambda p: p[1])


@pytest.mark.parametrize("name,route,callback", PATTERNS, ids=[p[1] or "/" for p in PATTERNS])
def test_every_url_declares_its_access(name, route, callback):
    assert declared_access(name, callback) is not None, f"{route} ({name}) declares no access rule"


ROLES = [
    "anonymous",
    "candidate",
    "central_officer",
    "school_officer",
    "committee_member",
    "jury_member",
    "platform_admin",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_url_refuses_the_roles_its_rule_refuses(role, client, accounts_by_role):
    if role != ANONYMOUS:
        client.force_login(accounts_by_role[role])
    checked = 0
    for name, route, callback in PATTERNS:
        rule = declared_access(name, callback)
        path = sample_path(route)
        if path is None or rule is None:
            continue
        response = client.get(path)
        checked += 1
        assert response.status_code < 500, f"{path} answered {response.status_code} to {role}"
        if role not in rule.roles:
            refused = response.status_code in (403, 404) or (
                response.status_code == 302 and "/login/" in response["Location"]
            )
            assert refused, f"{path} ({rule.name}) let {role} in: {response.status_code}"
    assert checked > 5
