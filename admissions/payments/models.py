"""Payments of the application fee (R3.6, R8.4), recorded against the dossier."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from admissions.payments.methods import available_methods


class Payment(models.Model):
    """One payment. The default method ("transfer") is declared by the candidate with its
    reference and confirmed by staff; other methods plug in through ``payments.methods``."""

    class State(models.TextChoices):
        DECLARED = "declared", _("Déclaré, à confirmer")
        CONFIRMED = "confirmed", _("Confirmé")
        REJECTED = "rejected", _("Non reçu")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("moyen de paiement"), max_length=30, default="transfer")
    amount = models.DecimalField(_("montant"), max_digits=8, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    reference = models.CharField(_("référence du paiement"), max_length=100)
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.DECLARED
    )
    declared_at = models.DateTimeField(_("déclaré le"))
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    # The page language when declared. The emails about this payment are written in the
    # candidate account's language since issue 11 (accounts/languages.recipient_language).
    language = models.CharField(_("langue"), max_length=8, default="fr")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["declared_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
            # One declaration waiting for staff per dossier (issue 9): a double click or two
            # racing requests cannot record the same payment twice.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(state="declared"),
                name="one_declared_payment_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.amount} {self.currency} ({self.get_state_display()})"

    @property
    def method_label(self) -> str:
        """The method's name in the active language ("Virement bancaire"), or its code."""
        method = available_methods().get(self.method)
        return str(method.label) if method is not None else self.method
