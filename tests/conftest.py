"""Shared fixtures: one account per role, the reference campaign, and the browser set-up."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Django's sync calls under Playwright

# Property tests judge results, not speed: on a loaded 2-core CI machine a per-example deadline
# fails a correct example now and then. HYPOTHESIS_PROFILE=dev brings the deadline back.
hypothesis_settings.register_profile("ci", deadline=None)
hypothesis_settings.register_profile("dev", deadline=1000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_FILE = ROOT / "admissions" / "campaigns" / "reference" / "imt-mines-albi-2021.toml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@contextmanager
def demo_seeded_once(django_db_blocker) -> Iterator[str]:
    """The reference campaign and ``seed_demo`` (seconds of work), for a module-scoped fixture:
    built inside a transaction rolled back on exit (its queued emails are never delivered);
    yields what seed_demo printed. Each test of the module runs in its own savepoint."""
    from django.core.management import call_command
    from django.db import transaction

    from admissions.campaigns.schema import load_campaign_file
    from admissions.campaigns.services import load_campaign

    with django_db_blocker.unblock(), transaction.atomic():
        text = REFERENCE_FILE.read_text(encoding="utf-8")
        load_campaign(load_campaign_file(text), source_text=text)
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """Test databases need no durability: on PostgreSQL each commit (every migration while the
    test database is built, every commit of the transactional and browser tests, every table
    flush after them) returns without waiting for its WAL flush to disk. Locks, visibility
    and isolation are unchanged, so the race tests prove the same."""
    from django.db import connections

    for connection in connections.all():
        if connection.vendor == "postgresql":
            options = connection.settings_dict.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


def pytest_collection_modifyitems(config, items):
    """Browser tests run where Chromium is installed; elsewhere they are skipped with one line."""
    if Path(CHROMIUM).exists() or os.environ.get("REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(
        reason="Chromium is not installed: apt-get install -y chromium (then make test again)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def reference_campaign(db):
    """The IMT Mines Albi 2021 campaign, loaded from its reference file."""
    from admissions.campaigns.schema import load_campaign_file
    from admissions.campaigns.services import load_campaign

    text = REFERENCE_FILE.read_text(encoding="utf-8")
    campaign, _changed = load_campaign(load_campaign_file(text), source_text=text)
    return campaign


@pytest.fixture
def accounts_by_role(db, reference_campaign):
    """One account per role of R2.2 that has an account, keyed by role code."""
    from admissions.accounts.models import Role, RoleGrant, User

    accounts = {}
    for role in Role:
        user = User.objects.create_user(f"{role.value}@example.org", "a-long-password-1")
        if role != Role.CANDIDATE:
            school = (
                None
                if role in (Role.CENTRAL_OFFICER, Role.PLATFORM_ADMIN)
                else (reference_campaign.school)
            )
            RoleGrant.objects.create(user=user, role=role, school=school)
        accounts[role.value] = user
    return accounts


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits (allauth's login throttling) live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _render_cache(settings, tmp_path_factory):
    """Document pages rendered for staff go to a scratch directory, never the checkout's."""
    settings.RENDER_CACHE_DIR = tmp_path_factory.getbasetemp() / "rendered-pages"


@pytest.fixture
def frozen_clock(settings):
    """Views read the platform's clock: freeze it inside the applications window."""
    from tests.helpers import IN_WINDOW

    settings.CLOCK_AT = IN_WINDOW.isoformat()
    return IN_WINDOW


@pytest.fixture
def candidate(accounts_by_role):
    return accounts_by_role["candidate"]


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in the platform's default language, whatever a previous test activated."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture
def smtp(settings):
    """The test mail server, up and empty; ``smtp.down = True`` refuses connections."""
    from tests.notifications import smtp_double

    settings.EMAIL_BACKEND = "tests.notifications.smtp_double.EmailBackend"
    smtp_double.SERVER.__init__()
    yield smtp_double.SERVER
    smtp_double.SERVER.__init__()
