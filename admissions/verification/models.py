"""The central service's verdict on a submitted dossier (R4.1), and the bulk PDF exports of
the check queue (R10.5)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DossierCheck(models.Model):
    """A dossier declared "recevable" (forwarded to the school's committee) or refused for
    missing essential elements ("refus de pré-admissibilité"), with its reason. One per
    dossier: the primary key is the dossier, so a second verdict cannot be inserted."""

    class Verdict(models.TextChoices):
        RECEVABLE = "recevable", _("Recevable, transmis à l'école")
        REFUSED = "refused", _("Refus de pré-admissibilité")

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="central_check",
        verbose_name=_("dossier"),
    )
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    reason = models.TextField(_("motif"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    decided_at = models.DateTimeField(_("décidé le"))

    class Meta:
        verbose_name = _("vérification administrative")
        verbose_name_plural = _("vérifications administratives")
        constraints = [
            models.CheckConstraint(
                condition=~Q(verdict="refused") | ~Q(reason=""), name="check_refusal_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.get_verdict_display()}"


class FixListNotice(models.Model):
    """One email telling the candidate every document to replace, and until when (R4.1).

    Sent when the officer asks (or with the dossier's verdict), never once per document: the
    documents refused since the previous notice are listed in ``items``."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="fix_notices",
        verbose_name=_("dossier"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("envoyé par"),
    )
    sent_at = models.DateTimeField(_("envoyé le"))
    # [{"code", "reason", "replace_until"}]: what the email says, as it was when sent.
    items = models.JSONField(_("pièces à remplacer"), default=list)

    class Meta:
        verbose_name = _("demande de pièces à remplacer")
        verbose_name_plural = _("demandes de pièces à remplacer")
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.sent_at:%Y-%m-%d %H:%M}"


def bulk_export_name(instance: BulkExport, filename: str) -> str:  # noqa: ARG001
    """A generated, unguessable path: only the download view (requester, admins) serves it."""
    return f"bulk-exports/{secrets.token_hex(16)}.zip"


class BulkExport(models.Model):
    """A ZIP of one PDF per selected dossier (R10.5), built in the background
    (``verification.tasks.build_bulk_export``); its file is deleted once it expires
    (``manage.py sweep_bulk_exports``)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")
        EXPIRED = "expired", _("Expiré")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campagne")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bulk_exports",
        verbose_name=_("demandé par"),
    )
    dossiers = models.ManyToManyField(
        "dossiers.Dossier", related_name="+", verbose_name=_("dossiers")
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("dossiers traités"), default=0)
    total = models.PositiveIntegerField(_("dossiers à traiter"))
    file = models.FileField(_("fichier"), upload_to=bulk_export_name, blank=True, max_length=200)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    created_at = models.DateTimeField(_("demandé le"))
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)

    class Meta:
        verbose_name = _("export de dossiers en PDF")
        verbose_name_plural = _("exports de dossiers en PDF")
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="bulk_export_done_within_total"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} — {self.requested_by_id} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


class CampaignCounts(models.Model):
    """The campaign's counts that read every dossier (R8.3 funnel, R10.5 counts per programme),
    as last counted in the background (``services.recount_campaign``): a request only reads this
    row, and asks for a recount when it is older than ``selectors.COUNTS_STALE_AFTER``.

    ``counts`` holds plain numbers keyed by codes and primary keys (never labels, so the page
    translates them): ``{"accounts": n, "funnel": {"total": {stage: n}, "by_option":
    {"<option pk>" or "none": {stage: n}}, "by_status": {"<code>" or "none": {stage: n}}},
    "queue": {"<programme pk>" or "none": {"<queue state>": n}}, "matching": {"" or
    "state=<queue state>" or "to_fix=yes|no": n}}`` (``selectors.count_matching_numbers``)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("campagne"),
    )
    computed_at = models.DateTimeField(_("compté le"))
    counts = models.JSONField(_("comptes"), default=dict)

    class Meta:
        verbose_name = _("comptes de la campagne")
        verbose_name_plural = _("comptes des campagnes")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.computed_at:%Y-%m-%d %H:%M}"
