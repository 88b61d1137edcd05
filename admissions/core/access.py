"""Who may reach each URL (R2.2, R9.2).

Every view declares an access rule with ``@require_access(rule)``; the rule is stored on the view
as ``view.access`` so that tests/test_url_access.py can walk every URL with every role and fail
for a URL that declares nothing. Views of other packages (allauth, the admin, the API) are
declared in ``THIRD_PARTY_ACCESS`` below.

A rule is a predicate ``(request) -> bool`` over the request's *roles*, whatever the school a
grant is for: it decides who may open the URL at all. Which objects the URL then reaches is
decided per object, by the app's permission predicates and scoped selectors
(``dossiers/permissions.py``: ``dossiers_visible_to(user)``, ``dossiers_checkable_by(user)``,
``can_view_dossier``, ``can_check_dossier``; ``payments/permissions.py`` likewise), built on the
school scope of the account's grants (``accounts/scope.py``). A view looks its object up through
such a selector and answers 404 when it is not there, so that guessing an identifier reveals
nothing; a service taking ``by=`` asks the predicate again under its lock. A candidate's pages
act on the candidate's own dossier, never on an identifier from the URL; referees' pages are
opened by their signed link (``TOKEN_LINK``). ``tests/core/test_url_access_objects.py`` calls
every URL with every identifier of a world of two schools and fails on any object answered
outside the account's reach.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.module_loading import import_string

from admissions.accounts.models import STAFF_ROLES, Role


@dataclass(frozen=True)
class AccessRule:
    """A named predicate; ``roles`` lists the roles it admits, for the URL walk test."""

    name: str
    roles: frozenset[str]  # roles admitted; "anonymous" for visitors without an account
    needs_login: bool

    def allows(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated:
            return not self.needs_login
        return bool(user.roles() & self.roles)


ANONYMOUS = "anonymous"
ALL_ROLES = frozenset(Role)

PUBLIC = AccessRule("public", ALL_ROLES | {ANONYMOUS}, needs_login=False)
# Pages reached through a personal signed link (referees, company contacts): the token is the key.
TOKEN_LINK = AccessRule("token_link", ALL_ROLES | {ANONYMOUS}, needs_login=False)
AUTHENTICATED = AccessRule("authenticated", ALL_ROLES, needs_login=True)
CANDIDATE = AccessRule("candidate", frozenset({Role.CANDIDATE}), needs_login=True)
STAFF = AccessRule("staff", frozenset(STAFF_ROLES), needs_login=True)
CENTRAL_OFFICER = AccessRule(
    "central_officer", frozenset({Role.CENTRAL_OFFICER, Role.PLATFORM_ADMIN}), needs_login=True
)
SCHOOL_OFFICER = AccessRule(
    "school_officer", frozenset({Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN}), needs_login=True
)
# Officers of the central service and of the schools: the campaign's figures (R8.3).
OFFICERS = AccessRule(
    "officers",
    frozenset({Role.CENTRAL_OFFICER, Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN}),
    needs_login=True,
)
COMMITTEE = AccessRule(
    "committee",
    frozenset({Role.COMMITTEE_MEMBER, Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN}),
    needs_login=True,
)
JURY = AccessRule(
    "jury",
    frozenset({Role.JURY_MEMBER, Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN}),
    needs_login=True,
)
PLATFORM_ADMIN = AccessRule("platform_admin", frozenset({Role.PLATFORM_ADMIN}), needs_login=True)
# The email outbox (R8.2): the central service and administrators read every email, a school's
# admissions officers those about their school's dossiers (notifications/selectors.py).
OUTBOX = AccessRule(
    "outbox",
    frozenset({Role.CENTRAL_OFFICER, Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN}),
    needs_login=True,
)


DRAFT_KEY = "posted_before_login"
DRAFT_VALUE_MAX_CHARS = 2_000  # a name, an address, a free-text field: far more than they need
DRAFT_VALUES_PER_FIELD = 20  # a multiple choice (formations) sends one value per option
DRAFT_MAX_CHARS = 20_000  # the whole draft kept in the session row
DRAFT_FORMSET_ROWS = 20  # rows beyond a formset's max_num are not kept

# The pages whose form is kept across an expired session (R9.4), by URL name and slug, with the
# form or formset they post (dotted path: core does not import the dossier app at import time).
# Only these fields are kept: anything else a visitor posts is dropped (issue 10).
DRAFT_FORMS: dict[tuple[str, str], str] = {
    ("dossiers:page", "identite"): "admissions.dossiers.forms.IdentityForm",
    ("dossiers:page", "statut"): "admissions.dossiers.forms.StatusForm",
    ("dossiers:page", "formations"): "admissions.dossiers.forms.FormationsForm",
    ("dossiers:page", "parcours"): "admissions.dossiers.forms.DiplomaFormSet",
    ("dossiers:page", "experience"): "admissions.dossiers.forms.ExperienceFormSet",
}
MANAGEMENT_FIELDS = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def draft_field_filter(path: str) -> Callable[[str], bool] | None:
    """Which posted keys of the page at ``path`` are kept; None for a page that keeps nothing."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    dotted = DRAFT_FORMS.get((match.view_name, str(match.kwargs.get("slug", ""))))
    if dotted is None:
        return None
    form_class = import_string(dotted)
    if hasattr(form_class, "get_default_prefix"):  # a formset: prefix-N-field, management form
        prefix = form_class.get_default_prefix()
        names = {*form_class.form.base_fields, "id", "DELETE", form_class.fk.name}
        rows = min(form_class.max_num, DRAFT_FORMSET_ROWS)
        row_key = re.compile(rf"{re.escape(prefix)}-(\d{{1,3}})-(\w+)")
        management = {f"{prefix}-{name}" for name in MANAGEMENT_FIELDS}

        def formset_key(key: str) -> bool:
            found = row_key.fullmatch(key)
            if found is None:
                return key in management
            return int(found.group(1)) < rows and found.group(2) in names

        return formset_key
    names = set(form_class.base_fields)
    return names.__contains__


def logged_in_before(request: HttpRequest) -> bool:
    """This browser was logged in to an account: it carries the signed known-device cookie
    that every login sets (accounts/devices.py). A fresh visitor does not."""
    from admissions.accounts.devices import read_cookie

    return read_cookie(request) is not None


def keep_posted_form(request: HttpRequest) -> None:
    """A form posted after the session expired is kept, to be shown again after login (R9.4).

    Login keeps the anonymous session's data, so the page can restore what was typed
    (``restore_posted_form``). Files cannot be kept: the page says so. Issue 10: only from a
    browser that was logged in, only the page's own fields, each value and the whole capped,
    so that a visitor cannot fill the session table."""
    if request.method != "POST" or not logged_in_before(request):
        return
    allowed = draft_field_filter(request.path_info)
    if allowed is None:
        return
    try:
        posted = request.POST.lists()
        had_files = bool(request.FILES)
    except (RequestDataTooBig, TooManyFieldsSent):
        return
    data: dict[str, list[str]] = {}
    total = 0
    for key, values in posted:
        if not allowed(key):
            continue
        kept = [value[:DRAFT_VALUE_MAX_CHARS] for value in values[:DRAFT_VALUES_PER_FIELD]]
        total += len(key) + sum(len(value) for value in kept)
        if total > DRAFT_MAX_CHARS:
            break
        data[key] = kept
    if data:
        request.session[DRAFT_KEY] = {"path": request.path, "data": data, "had_files": had_files}


def restore_posted_form(request: HttpRequest) -> QueryDict | None:
    """What was posted to this page before a login, once; None otherwise."""
    draft = request.session.get(DRAFT_KEY)
    if request.method != "GET" or not draft or draft.get("path") != request.path:
        return None
    del request.session[DRAFT_KEY]
    data = QueryDict(mutable=True)
    for key, values in draft["data"].items():
        data.setlist(key, values)
    return data


def second_factor_passed(request: HttpRequest) -> bool:
    """This session went through the second factor (R2.2), not merely the account having one.

    allauth.mfa records each step of a login in the session (``get_authentication_records``):
    a login that passed TOTP or a recovery code, or a re-authentication by code, leaves an
    ``mfa`` record for this account; a password alone (or a session opened by another door)
    leaves none."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def staff_without_second_factor(request: HttpRequest, rule: AccessRule) -> bool:
    """Staff pages need a session that passed the second factor (R2.2) once
    settings.STAFF_REQUIRE_MFA is on; candidate pages never ask for it."""
    if not getattr(settings, "STAFF_REQUIRE_MFA", True) or Role.CANDIDATE in rule.roles:
        return False
    user = request.user
    if not (user.is_authenticated and user.is_staff_member):
        return False
    return not second_factor_passed(request)


def second_factor_url(request: HttpRequest, next_url: str) -> str:
    """Where a staff session without its second factor goes: enter a code if the account has
    one (allauth's re-authentication records it in the session), set one up otherwise."""
    from allauth.mfa.utils import is_mfa_enabled  # imports allauth's models: not at import time

    name = "mfa_reauthenticate" if is_mfa_enabled(request.user) else "mfa_activate_totp"
    return reverse(name) + "?next=" + quote(next_url)


def require_access(rule: AccessRule) -> Callable:
    """Refuse the view to whoever ``rule`` does not admit: login page for visitors, 403 otherwise.
    Staff without a second factor are sent to set one up first."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not rule.allows(request):
                if not request.user.is_authenticated:
                    keep_posted_form(request)
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            if staff_without_second_factor(request, rule):
                return redirect(second_factor_url(request, request.get_full_path()))
            return view(request, *args, **kwargs)

        wrapper.access = rule  # type: ignore[attr-defined]
        return wrapper

    return decorator


# URL names (or namespace prefixes ending in ":") of views written by other packages.
# allauth guards its own pages (login required where it matters); the admin requires is_staff.
THIRD_PARTY_ACCESS: dict[str, AccessRule] = {
    "admin:login": PUBLIC,  # redirects to the platform's login (core/admin_site.py)
    "admin:logout": PUBLIC,
    "admin:": PLATFORM_ADMIN,
    "account_": PUBLIC,  # allauth's account pages: login, signup, reset, confirm, email...
    "mfa_": AUTHENTICATED,  # allauth's two-factor pages
    "django.views.static.serve": PUBLIC,
}


def declared_access(name: str | None, callback: Callable) -> AccessRule | None:
    rule = getattr(callback, "access", None)
    if rule is not None:
        return rule
    view_class = getattr(callback, "view_class", None)
    if view_class is not None and getattr(view_class, "access", None) is not None:
        return view_class.access
    if name:
        for prefix, third_party_rule in THIRD_PARTY_ACCESS.items():
            if name == prefix or (prefix.endswith((":", "_")) and name.startswith(prefix)):
                return third_party_rule
    return None
