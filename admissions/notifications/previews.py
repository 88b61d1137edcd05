"""Previews of every email template for staff (R8.2), in French and English.

Each kind names a preview function in ``services.PREVIEWS``; it builds its message with the
same code as the real email, from made-up objects kept in memory (``sample_dossier``): never a
real person's data, and nothing is saved. The campaign is the real one (school, dates).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from admissions.accounts.models import Language, User
from admissions.campaigns.models import Campaign
from admissions.core import clock
from admissions.dossiers.models import Dossier
from admissions.notifications.services import PREVIEWS

SAMPLE_EMAIL = "camille.exemple@example.org"
SAMPLE_REFERENCE = "EXEMPLE-0001"
LANGUAGES = tuple(Language)

Variants = Sequence[tuple[str | Promise, EmailMessage]]
PreviewFunction = Callable[..., Variants]


def sample_candidate(language: str) -> User:
    return User(email=SAMPLE_EMAIL, language=language)


def sample_dossier(campaign: Campaign, *, language: str, submitted: bool = True) -> Dossier:
    """A dossier that exists nowhere but in memory, with a made-up candidate."""
    now = clock.now()
    return Dossier(
        campaign=campaign,
        candidate=sample_candidate(language),
        reference=SAMPLE_REFERENCE,
        first_name="Camille",
        last_name="Exemple",
        state=Dossier.State.SUBMITTED if submitted else Dossier.State.DRAFT,
        submitted_at=now if submitted else None,
        created_at=now - timedelta(days=3),
        updated_at=now,
    )


@dataclass(frozen=True)
class Preview:
    variant: str | Promise  # lazy: shown in the page's language, not the email's
    language: str
    to: str
    subject: str
    body: str
    html: str  # the HTML part, "" when the email has none
    attachments: tuple[str, ...]


def as_preview(variant: str | Promise, language: str, message: EmailMessage) -> Preview:
    html = next(
        (
            str(content)
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    names = tuple(
        str(attachment[0] if isinstance(attachment, tuple) else attachment.get_filename())
        for attachment in message.attachments
    )
    return Preview(
        variant=variant,
        language=language,
        to=", ".join(message.to),
        subject=str(message.subject),
        body=str(message.body),
        html=html,
        attachments=names,
    )


def preview(kind: str, language: str, *, campaign: Campaign) -> list[Preview]:
    """The email ``kind`` in ``language``, one entry per variant (received / not received...)."""
    build: PreviewFunction = import_string(PREVIEWS[kind])
    with translation.override(language):
        return [
            as_preview(variant, language, message)
            for variant, message in build(campaign=campaign, language=language)
        ]
