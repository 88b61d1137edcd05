"""The pre-entry checklist (R7.4) of each candidate admitted for good (R7.2).

Two items come from the candidate, each one ``PreEntryDocument`` (its current file, judged by
content like every upload, R3.4, and staff's verdict with the documents app's vocabulary):
the required diploma's copy or its certificate (mandatory: the admission stays conditional
until staff accept it), and the JDC/JAPD certificate when the rules core asks for it
(rules/company.py, ``jdc_required``). The third is staff's record that the apprentice training
centre (MidiSup) validated the contract: ``ContractValidation``. ``PreEntryReminder`` is one
"remind everyone missing an item" run, kept so that a second click does not email twice.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from admissions.documents.models import Document


def stored_name(instance: PreEntryDocument | ContractValidation, filename: str) -> str:  # noqa: ARG001
    """A generated, unguessable path under the campaign's folder (as the dossier's documents,
    so campaigns.purge.sweep_orphan_files finds it): the file's name is kept for display only."""
    return f"preentry/{instance.dossier.campaign_id}/{secrets.token_hex(16)}"


class PreEntryDocument(models.Model):
    class Kind(models.TextChoices):
        DIPLOMA = "diploma", _("Copie du diplôme requis ou attestation de réussite")
        JDC = "jdc", _("Certificat de participation à la JDC/JAPD")

    # The verdicts of the central check's documents (R4.1): the same words for the same acts.
    Review = Document.Review

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="preentry_documents",
        verbose_name=_("dossier"),
    )
    kind = models.CharField(_("pièce"), max_length=10, choices=Kind)
    file = models.FileField(_("fichier"), upload_to=stored_name, max_length=200)
    format = models.CharField(_("format"), max_length=10)
    content_type = models.CharField(_("type de contenu"), max_length=50)
    size_bytes = models.PositiveIntegerField(_("taille (octets)"))
    original_name = models.CharField(_("nom d'origine"), max_length=120)
    uploaded_at = models.DateTimeField(_("déposée le"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Incremented at each new file: a verdict form carries the version the officer saw, so a
    # file replaced meanwhile is never judged blind.
    version = models.PositiveIntegerField(_("version"), default=1)
    review = models.CharField(
        _("vérification"), max_length=10, choices=Review.choices, default=Review.UNCHECKED
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    reviewed_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vérifiée par"),
    )

    class Meta:
        verbose_name = _("pièce avant l'entrée en formation")
        verbose_name_plural = _("pièces avant l'entrée en formation")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind"], name="one_preentry_document_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} ({self.review})"

    @property
    def accepted(self) -> bool:
        return self.review == self.Review.VALID

    @property
    def refused(self) -> bool:
        return self.review == self.Review.REFUSED


class ContractValidation(models.Model):
    """The apprentice training centre (MidiSup) validated the contract (R7.4), as staff record it."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="contract_validation",
        verbose_name=_("dossier"),
    )
    validated_on = models.DateField(_("validé par MidiSup le"))
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(
        _("pièce justificative"), upload_to=stored_name, max_length=200, blank=True
    )
    evidence_format = models.CharField(_("format"), max_length=10, blank=True)
    recorded_at = models.DateTimeField(_("enregistré le"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enregistré par"),
    )

    class Meta:
        verbose_name = _("validation du contrat par MidiSup")
        verbose_name_plural = _("validations des contrats par MidiSup")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.validated_on}"


class PreEntryReminder(models.Model):
    """One "remind everyone missing an item" run of a campaign (R7.4): who, when, how many."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="preentry_reminders",
        verbose_name=_("campagne"),
    )
    sent_at = models.DateTimeField(_("envoyée le"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("envoyée par"),
    )
    recipients = models.PositiveIntegerField(_("candidats relancés"), default=0)

    class Meta:
        verbose_name = _("relance des pièces avant l'entrée en formation")
        verbose_name_plural = _("relances des pièces avant l'entrée en formation")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.sent_at:%Y-%m-%d %H:%M}"
