"""The company phase (R7.1, R7.2, R7.5): host companies, the final list's snapshot, exclusions.

A ``HostCompany`` is what an academically admitted candidate declares; the company's contact
(the tutor) confirms or declines it through a personal signed link (``links.py``), or staff
record the confirmation with its evidence. At most one declaration of a dossier is active
(awaiting or confirmed); declined and cancelled ones are kept for the record.

The final list itself is computed by the rules core (rules/ranking.py) from these rows; the
``ListPlace`` rows are the list as last computed, kept only to see who moved (an email at once
to a candidate who moves up, R7.2) and for the frozen list (``FrozenFinalList``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_nonce() -> str:
    """The random part of a company link; rotated when the declaration ends, so the link dies."""
    return secrets.token_urlsafe(16)


def evidence_name(instance: models.Model, filename: str) -> str:  # noqa: ARG001 - never used
    """A generated, unguessable path: the uploaded name is not kept in the path."""
    return f"company-evidence/{secrets.token_hex(16)}"


class HostCompany(models.Model):
    class State(models.TextChoices):
        AWAITING = "awaiting", _("En attente de l'entreprise")
        CONFIRMED = "confirmed", _("Confirmée")
        DECLINED = "declined", _("Refusée par l'entreprise")
        CANCELLED = "cancelled", _("Annulée")

    class ContractType(models.TextChoices):
        APPRENTICESHIP = "apprenticeship", _("Contrat d'apprentissage (3 ans)")
        PROFESSIONALISATION = "professionalisation", _("Contrat de professionnalisation")
        EMPLOYER_AGREEMENT = "employer_agreement", _("Accord de l'employeur (formation continue)")

    ACTIVE = (State.AWAITING, State.CONFIRMED)

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="host_companies",
        verbose_name=_("dossier"),
    )
    name = models.CharField(_("raison sociale"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14)
    sector = models.CharField(_("secteur d'activité"), max_length=64)
    address = models.CharField(_("adresse"), max_length=300)
    # Flagged for staff when the sector fits none of the candidate's options (R7.1).
    sector_mismatch = models.BooleanField(_("secteur hors option"), default=False)
    contract_type = models.CharField(_("type de contrat"), max_length=30, choices=ContractType)
    contract_start = models.DateField(_("début du contrat"))
    contract_signed_on = models.DateField(_("contrat signé le"), null=True, blank=True)
    tutor_name = models.CharField(_("nom du tuteur"), max_length=150)
    tutor_role = models.CharField(_("fonction du tuteur"), max_length=150)
    tutor_email = models.EmailField(_("courriel du tuteur"))
    tutor_phone = models.CharField(_("téléphone du tuteur"), max_length=30)
    language = models.CharField(_("langue des messages"), max_length=5, default="fr")
    state = models.CharField(_("état"), max_length=12, choices=State, default=State.AWAITING)
    declared_at = models.DateTimeField(_("déclarée le"))
    # The confirmation's instant is the candidate's place in line (R7.1).
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmation enregistrée par"),
        help_text=_("Vide quand l'entreprise a confirmé par son lien."),
    )
    confirmation_evidence = models.TextField(_("justificatif de la confirmation"), blank=True)
    confirmation_file = models.FileField(
        _("pièce justificative"), upload_to=evidence_name, max_length=200, blank=True
    )
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    decline_reason = models.TextField(_("motif du refus"), blank=True)
    token_nonce = models.CharField(max_length=40, default=new_nonce, editable=False)

    class Meta:
        verbose_name = _("entreprise d'accueil")
        verbose_name_plural = _("entreprises d'accueil")
        ordering = ["dossier", "-declared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(state__in=["awaiting", "confirmed"]),
                name="one_active_host_company_per_dossier",
            ),
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_at__isnull=False),
                name="host_company_confirmed_has_instant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.name} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE


class Exclusion(models.Model):
    """A dossier's way out of the company phase: withdrawn, or excluded for fraud (R7.2, R7.5).
    At most one per dossier; a fraud record replaces a withdrawal (it weighs more)."""

    class Kind(models.TextChoices):
        WITHDRAWAL = "withdrawal", _("Retrait de la candidature")
        FRAUD = "fraud", _("Fraude")
        ATTEMPTED_FRAUD = "attempted_fraud", _("Tentative de fraude")

    FRAUD_KINDS = (Kind.FRAUD, Kind.ATTEMPTED_FRAUD)

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="company_exclusion",
        verbose_name=_("dossier"),
    )
    kind = models.CharField(_("nature"), max_length=20, choices=Kind)
    at = models.DateTimeField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enregistré par"),
    )
    reason = models.TextField(_("motif"), blank=True)
    evidence = models.FileField(
        _("pièce justificative"), upload_to=evidence_name, max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("sortie de la phase entreprise")
        verbose_name_plural = _("sorties de la phase entreprise")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind}"

    @property
    def is_fraud(self) -> bool:
        return self.kind in self.FRAUD_KINDS


class ListPlace(models.Model):
    """A dossier's place on the final list as last computed (R7.2): to see who moved."""

    class Standing(models.TextChoices):
        ADMITTED = "admitted", _("Admis définitivement")
        WAITING = "waiting", _("Liste d'attente")
        OUT = "out", _("Hors liste")

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="list_place",
        verbose_name=_("dossier"),
    )
    standing = models.CharField(_("situation"), max_length=10, choices=Standing)
    seat_group = models.CharField(_("groupe de places"), max_length=64, blank=True)
    rank = models.PositiveIntegerField(_("rang"), null=True, blank=True)
    changes = models.PositiveIntegerField(_("changements"), default=0)
    since = models.DateTimeField(_("depuis le"))

    class Meta:
        verbose_name = _("place sur la liste définitive")
        verbose_name_plural = _("places sur la liste définitive")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.standing} {self.rank or ''}"


class FrozenFinalList(models.Model):
    """The final list as it stood at the freeze instant (R7.2), recorded once per campaign."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="frozen_final_list",
        verbose_name=_("campagne"),
    )
    frozen_at = models.DateTimeField(_("arrêtée le"))
    recorded_at = models.DateTimeField(_("enregistrée le"))
    # {"<seat group>": ["<reference>", ...]} in line order
    admitted = models.JSONField(_("admis définitifs"), default=dict)

    class Meta:
        verbose_name = _("liste définitive arrêtée")
        verbose_name_plural = _("listes définitives arrêtées")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.frozen_at:%Y-%m-%d}"
