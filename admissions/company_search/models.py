"""Help with the company search (R7.3).

Candidates admitted academically without a host company are invited to a company-search
training session set by staff (``TrainingSession``, ``SessionInvitation``) and register for one
(``SessionRegistration``), or ask for phone advice instead (``PhoneAdviceRequest``). The
presentation file for companies (``PresentationFile``) is a public PDF per campaign.

``TrainingSession.registered`` counts the session's registrations: a registration takes a seat
by one conditional UPDATE (``registered < capacity``) in the transaction that creates it, as
exam days do (exams/services/booking.py).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def presentation_name(instance: models.Model, filename: str) -> str:  # noqa: ARG001 - unused
    """A generated path: the uploaded name is not kept."""
    return f"company-presentation/{secrets.token_hex(16)}.pdf"


class TrainingSession(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Programmée")
        CANCELLED = "cancelled", _("Annulée")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="training_sessions",
        verbose_name=_("campagne"),
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    remote = models.BooleanField(_("à distance"), default=False)
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    link = models.URLField(_("lien de connexion"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"))
    # Seats taken; changed only by conditional UPDATEs (services.py).
    registered = models.PositiveSmallIntegerField(_("inscrits"), default=0, editable=False)
    notes = models.TextField(_("informations pour les candidats"), blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State, default=State.SCHEDULED)
    cancel_reason = models.TextField(_("motif de l'annulation"), blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("créée par"),
    )

    class Meta:
        verbose_name = _("session de formation à la recherche d'entreprise")
        verbose_name_plural = _("sessions de formation à la recherche d'entreprise")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registered__lte=models.F("capacity")),
                name="training_session_within_capacity",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def is_full(self) -> bool:
        return self.registered >= self.capacity

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.registered, 0)


class SessionInvitation(models.Model):
    """A candidate invited to a session, once (the unique pair makes "invite" idempotent)."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("session"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="training_invitations",
        verbose_name=_("dossier"),
    )
    invited_at = models.DateTimeField(_("invité le"))

    class Meta:
        verbose_name = _("invitation à une session")
        verbose_name_plural = _("invitations aux sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "dossier"], name="one_invitation_per_session_and_dossier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.dossier_id}"


class SessionRegistration(models.Model):
    """A candidate registered for a session; deleted when they unregister (the audit trail
    keeps both). A candidate holds one registration at a time among the campaign's sessions
    (checked under the dossier's lock, services.py)."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("session"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="training_registrations",
        verbose_name=_("dossier"),
    )
    registered_at = models.DateTimeField(_("inscrit le"))

    class Meta:
        verbose_name = _("inscription à une session")
        verbose_name_plural = _("inscriptions aux sessions")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "dossier"], name="one_registration_per_session_and_dossier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.dossier_id}"


class PhoneAdviceRequest(models.Model):
    """The candidate prefers advice by phone (R7.3); staff mark it done once they called."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="phone_advice",
        verbose_name=_("dossier"),
    )
    phone = models.CharField(_("téléphone"), max_length=30)
    preferred_times = models.CharField(_("moments préférés"), max_length=300)
    requested_at = models.DateTimeField(_("demandé le"))
    done_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traité par"),
    )
    done_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("demande de conseils par téléphone")
        verbose_name_plural = _("demandes de conseils par téléphone")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.phone}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class PresentationFile(models.Model):
    """The campaign's presentation file for companies: public, company-facing, no personal
    data (R7.3). A new upload replaces the previous one."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="presentation_file",
        verbose_name=_("campagne"),
    )
    file = models.FileField(_("fichier"), upload_to=presentation_name, max_length=200)
    size_bytes = models.PositiveIntegerField(_("taille"))
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("déposé le"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déposé par"),
    )

    class Meta:
        verbose_name = _("dossier de présentation pour les entreprises")
        verbose_name_plural = _("dossiers de présentation pour les entreprises")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.uploaded_at:%Y-%m-%d}"
