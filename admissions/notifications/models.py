"""The outbox: one row per email the platform owes someone (R8.2).

Every email leaves through a row here, created in the same transaction as the change that
makes it due (a submission, a referee named...). The row's unique ``key`` says which email it
is ("receipt:42"), so the same email is never queued twice; its ``state`` says whether it was
handed to the mail server, is waiting for another attempt, or failed. Staff read this
table under /gestion/courriels/ (R8.2); the candidate's pages read the state of their own
emails from it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Accusé de réception du dossier")
        DOSSIER_REMINDER = "dossier_reminder", _("Rappel : dossier non déposé")
        REFEREE_REQUEST = "referee_request", _("Demande de recommandation")
        REFEREE_REMINDER = "referee_reminder", _("Relance d'un référent")
        SUPPORT_NOTICE = "support_notice", _("Avis de nouveau message")
        ACCOUNT_CONFIRMATION = "account_confirmation", _("Confirmation de l'adresse du compte")
        ACCOUNT = "account", _("Message du compte (mot de passe...)")
        PAYMENT_DECISION = "payment_decision", _("Paiement reçu ou non reçu")
        FIX_LIST = "fix_list", _("Pièces à remplacer")
        CHECK_VERDICT = "check_verdict", _("Décision de la vérification administrative")
        ADMISSIBILITY_RESULT = "admissibility_result", _("Résultat d'admissibilité")
        ACADEMIC_RESULT = "academic_result", _("Résultat d'admission académique")
        ACCOMMODATION_DECISION = "accommodation_decision", _("Aménagement des épreuves décidé")
        CONVOCATION = "convocation", _("Convocation aux épreuves orales")
        COMPANY_REQUEST = "company_request", _("Demande de confirmation à l'entreprise")
        COMPANY_DECLINED = "company_declined", _("Refus de l'entreprise")
        FINAL_LIST_PLACE = "final_list_place", _("Place sur la liste définitive")
        FRAUD_EXCLUSION = "fraud_exclusion", _("Exclusion pour fraude")
        FINAL_LIST_FROZEN = "final_list_frozen", _("Liste définitive arrêtée")
        TRAINING_INVITATION = (
            "training_invitation",
            _("Invitation à une session de recherche d'entreprise"),
        )
        TRAINING_CANCELLED = "training_cancelled", _("Session de recherche d'entreprise annulée")
        TRAINING_CHANGED = "training_changed", _("Session de recherche d'entreprise modifiée")
        CALENDAR_LINK = "calendar_link", _("Lien du calendrier d'alternance")
        PREENTRY_REMINDER = "preentry_reminder", _("Relance : pièces avant l'entrée en formation")
        PREENTRY_REFUSED = "preentry_refused", _("Pièce avant l'entrée en formation refusée")

    class State(models.TextChoices):
        QUEUED = "queued", _("En attente d'envoi")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Envoi échoué")
        SKIPPED = "skipped", _("Sans objet")

    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    key = models.CharField(_("clé d'unicité"), max_length=200, unique=True)
    recipient = models.CharField(_("destinataire"), max_length=254, blank=True)
    # The dossier the email is about, where there is one: staff of a school read the emails of
    # their school's dossiers only (R9.2); account emails have none.
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("dossier"),
    )
    language = models.CharField(_("langue"), max_length=5, default="fr")
    subject = models.CharField(_("objet"), max_length=255, blank=True)
    # The text part as handed to the mail server, personal links masked (services.shown_body):
    # what staff read in the outbox (R8.2). Empty until the email is composed for sending.
    body = models.TextField(_("texte envoyé"), blank=True)
    # What the message is composed from: ids and flags, or the rendered text for account
    # emails (their link is a secret: cleared once the email is sent).
    payload = models.JSONField(_("contenu"), default=dict, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    queued_at = models.DateTimeField(_("mis en file le"))
    next_attempt_at = models.DateTimeField(_("prochaine tentative"))
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("courriel sortant")
        verbose_name_plural = _("courriels sortants")
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbound_due_idx")]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"

    @property
    def language_label(self) -> str:
        """The language's own name ("Français", "English"), or its code if unknown."""
        from admissions.accounts.models import Language  # accounts' models: no import cycle here

        return Language(self.language).label if self.language in Language.values else self.language

    @property
    def is_failed(self) -> bool:
        return self.state == self.State.FAILED
