"""Documents uploaded to a dossier (R3.3, R3.4), stored outside the web root under generated names."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def stored_name(instance: Document, filename: str) -> str:  # noqa: ARG001 - the name is never used
    """A generated, unguessable path: the candidate's file name is kept for display only."""
    extension = {"jpeg": "jpg", "png": "png", "pdf": "pdf"}.get(instance.format, "bin")
    return f"dossiers/{instance.dossier.campaign_id}/{secrets.token_hex(16)}.{extension}"


class Document(models.Model):
    """The current file of one slot of the checklist (``code`` from rules.documents)."""

    class Review(models.TextChoices):
        UNCHECKED = "unchecked", _("Non vérifiée")
        VALID = "valid", _("Valide")
        REFUSED = "refused", _("Refusée")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="documents"
    )
    code = models.CharField(_("pièce"), max_length=80)
    file = models.FileField(_("fichier"), upload_to=stored_name, max_length=200)
    format = models.CharField(_("format"), max_length=10)
    content_type = models.CharField(_("type de contenu"), max_length=50)
    size_bytes = models.PositiveIntegerField(_("taille (octets)"))
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    original_name = models.CharField(_("nom d'origine"), max_length=120)
    uploaded_at = models.DateTimeField(_("déposée le"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review = models.CharField(
        _("vérification"), max_length=10, choices=Review.choices, default=Review.UNCHECKED
    )
    # A refusal's reason: the code of one from the campaign file's list (each reader reads it in
    # their language, verification.selectors.document_refusal_reason), or the officer's own
    # words in ``refusal_reason`` when none fits.
    refusal_reason_code = models.CharField(_("motif du refus (liste)"), max_length=64, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    replacement_requested = models.BooleanField(_("remplacement demandé"), default=False)
    # Until when the candidate may replace a refused document (R3.8, R4.1); none: no limit but
    # the campaign's own replacement deadline, if it sets one.
    replace_until = models.DateTimeField(_("à remplacer avant le"), null=True, blank=True)
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
        verbose_name = _("pièce du dossier")
        verbose_name_plural = _("pièces du dossier")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "code"], name="one_document_per_slot")
        ]
        indexes = [
            # The queue's "items to fix" filter (verification.selectors.items_to_fix) reads only
            # these few rows, not every document of the campaign.
            models.Index(
                fields=["dossier"],
                condition=models.Q(review="refused") | models.Q(replacement_requested=True),
                name="document_to_fix",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.code}"

    def replacement_open(self, now) -> bool:
        """Staff asked for another file and its date has not passed (R3.8, R4.1)."""
        return self.replacement_requested and (
            self.replace_until is None or now < self.replace_until
        )


class PendingDeclaration(models.Model):
    """The candidate declared a document "not yet available" (first-semester transcript, R3.3)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="pending_documents"
    )
    code = models.CharField(_("pièce"), max_length=80)
    declared_at = models.DateTimeField(_("déclarée le"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "code"], name="one_pending_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.code} (pending)"
