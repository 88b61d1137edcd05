"""Fixtures of the referee tests: a candidate's draft dossier inside the 2021 window."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.helpers import IN_WINDOW, PARIS, page_text  # noqa: F401 - re-exported to the tests

LINK = re.compile(r"https?://\S+/recommandation/\S+/")


def link_path(body: str) -> str:
    """The path of the referee link found in an email body."""
    match = LINK.search(body)
    assert match is not None, body
    return urlsplit(match.group(0)).path


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def dossier(reference_campaign, candidate):
    from admissions.dossiers.models import FormationChoice
    from admissions.dossiers.services import open_dossier

    dossier = open_dossier(candidate=candidate, campaign=reference_campaign, now=IN_WINDOW)
    dossier.first_name, dossier.last_name = "Camille", "Durand"
    dossier.phone = "0611223344"
    dossier.save()
    option = reference_campaign.options_on_offer().first()
    FormationChoice.objects.create(dossier=dossier, option=option, rank=1)
    return dossier


@pytest.fixture
def other_dossier(reference_campaign):
    from admissions.accounts.models import User
    from admissions.dossiers.services import open_dossier

    other = User.objects.create_user("other-candidate@example.org", "a-long-password-1")
    return open_dossier(candidate=other, campaign=reference_campaign, now=IN_WINDOW)


@pytest.fixture
def name_referee(django_capture_on_commit_callbacks):
    """Name a referee and run the queued email task, as the worker would after commit."""
    from admissions.referees import services

    def name(dossier, kind="professional", *, now=IN_WINDOW, **fields):
        values = {
            "name": "Alex Martin",
            "role": "Maître d'apprentissage",
            "email": "alex.martin@example.com",
            **fields,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return services.name_referee(
                dossier=dossier, kind=kind, by=dossier.candidate, now=now, **values
            )

    return name
