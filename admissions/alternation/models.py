"""Private calendar subscriptions: one unguessable link per apprentice or company tutor (R8.1)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from admissions.campaigns.models import Campaign
from admissions.dossiers.models import Dossier

TOKEN_BYTES = 32  # 256 random bits: guessing a link is hopeless (R9.2)


def new_token() -> str:
    """URL-safe; never starting with "-", which a command line would take for an option."""
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not token.startswith("-"):
            return token


class CalendarSubscription(models.Model):
    """An ICS feed of one year of study's alternation calendar, opened by its token alone.

    The feed is built from the campaign's periods at each request, so a link handed out once
    keeps following the calendar as it changes. The token is kept as is (not hashed) so that the
    apprentice's pages can show the link again; revoking it is the way to end it.
    """

    class Kind(models.TextChoices):
        APPRENTICE = "apprentice", _("Apprenti ou apprentie")
        TUTOR = "tutor", _("Tuteur ou tutrice en entreprise")

    class Language(models.TextChoices):
        FR = "fr", "Français"
        EN = "en", "English"

    token = models.CharField(_("jeton"), max_length=64, unique=True, default=new_token)
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="calendar_subscriptions",
        verbose_name=_("campagne"),
    )
    # The purge of a campaign removes dossiers: their subscriptions (a name in the label) go too.
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_subscriptions",
        verbose_name=_("dossier"),
    )
    kind = models.CharField(_("destinataire"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("libellé"), max_length=200)
    year_of_study = models.PositiveSmallIntegerField(_("année d'études"), default=1)
    language = models.CharField(
        _("langue"), max_length=2, choices=Language.choices, default=Language.FR
    )
    created_at = models.DateTimeField(_("créé le"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("révoqué par"),
    )

    class Meta:
        verbose_name = _("abonnement au calendrier d'alternance")
        verbose_name_plural = _("abonnements au calendrier d'alternance")
        ordering = ["campaign", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_kind_display()})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
