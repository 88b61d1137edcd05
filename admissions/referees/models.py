"""Referees and their recommendations (R3.5).

A referee has no account: a personal signed link (``links.py``) is the key to their one form.
Replaced referees are kept for the record; at most one referee per kind is active in a dossier.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_nonce() -> str:
    """The random part of a referee's link; rotated on replacement so the old link dies."""
    return secrets.token_urlsafe(16)


def attachment_name(instance: Recommendation, filename: str) -> str:  # noqa: ARG001 - never used
    """A generated, unguessable path: the referee's file name is kept for display only."""
    extension = {"jpeg": "jpg", "png": "png", "pdf": "pdf"}.get(instance.format, "bin")
    campaign_id = instance.referee.dossier.campaign_id
    return f"recommendations/{campaign_id}/{secrets.token_hex(16)}.{extension}"


class Referee(models.Model):
    class Kind(models.TextChoices):
        ACADEMIC = "academic", _("Référent académique")
        PROFESSIONAL = "professional", _("Référent professionnel")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Demandée")
        REMINDED = "reminded", _("Relancée")
        RECEIVED = "received", _("Reçue")
        REPLACED = "replaced", _("Remplacé")

    AWAITING = (State.REQUESTED, State.REMINDED)

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="referees"
    )
    kind = models.CharField(_("type de recommandation"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    language = models.CharField(
        _("langue des messages"),
        max_length=5,
        default="fr",
        help_text=_("La langue de la page du candidat quand il a désigné le référent."),
    )
    state = models.CharField(
        _("état"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    requested_at = models.DateTimeField(_("demandée le"))
    last_reminded_at = models.DateTimeField(_("dernière relance"), null=True, blank=True)
    reminders_count = models.PositiveSmallIntegerField(_("nombre de relances"), default=0)
    received_at = models.DateTimeField(_("reçue le"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("remplacé par"),
    )
    token_nonce = models.CharField(max_length=40, default=new_nonce, editable=False)

    class Meta:
        verbose_name = _("référent")
        verbose_name_plural = _("référents")
        ordering = ["dossier", "kind", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind"],
                condition=~Q(state="replaced"),
                name="one_active_referee_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.kind} {self.name}"

    @property
    def is_awaiting(self) -> bool:
        return self.state in self.AWAITING


class Recommendation(models.Model):
    """What the referee wrote. Never shown to the candidate (R3.5)."""

    class Opinion(models.TextChoices):
        VERY_FAVOURABLE = "very_favourable", _("Très favorable")
        FAVOURABLE = "favourable", _("Favorable")
        RESERVED = "reserved", _("Réservé")
        UNFAVOURABLE = "unfavourable", _("Défavorable")

    referee = models.OneToOneField(Referee, on_delete=models.CASCADE, related_name="recommendation")
    acquaintance = models.TextField(
        _("Depuis combien de temps et à quel titre connaissez-vous le candidat ?")
    )
    strengths = models.TextField(_("Points forts"))
    improvements = models.TextField(_("Points à améliorer"))
    opinion = models.CharField(_("Avis global"), max_length=20, choices=Opinion.choices)
    comment = models.TextField(_("Commentaire libre"), blank=True)
    attachment = models.FileField(
        _("pièce jointe"), upload_to=attachment_name, max_length=200, blank=True
    )
    original_name = models.CharField(_("nom d'origine"), max_length=120, blank=True)
    format = models.CharField(_("format"), max_length=10, blank=True)
    content_type = models.CharField(_("type de contenu"), max_length=50, blank=True)
    size_bytes = models.PositiveIntegerField(_("taille (octets)"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("envoyée le"))

    class Meta:
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")

    def __str__(self) -> str:
        return f"{self.referee} ({self.submitted_at:%Y-%m-%d})"
