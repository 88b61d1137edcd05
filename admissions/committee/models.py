"""The admissibility committee's scores and decision on a forwarded dossier (R5.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeScore(models.Model):
    """One committee member's score and comment on a dossier; one per member and dossier."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="committee_scores",
        verbose_name=_("dossier"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("membre"),
    )
    score = models.DecimalField(_("note"), max_digits=4, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    recorded_at = models.DateTimeField(_("enregistré le"))

    class Meta:
        verbose_name = _("avis de la commission")
        verbose_name_plural = _("avis de la commission")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "member"], name="one_committee_score_per_member"
            ),
            # The upper bound is the campaign file's (committee.score_max), checked by the service.
            models.CheckConstraint(
                condition=models.Q(score__gte=0), name="committee_score_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.member_id}: {self.score}"


class AdmissibilityDecision(models.Model):
    """The committee's decision, final ("sans appel", R5.1), recorded by an authorised member.
    Candidates see it only once the campaign's results are published (R5.2): read it for them
    through ``committee.selectors.published_admissibility``, never directly."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="admissibility",
        verbose_name=_("dossier"),
    )
    admissible = models.BooleanField(_("admissible"))
    comment = models.TextField(_("commentaire"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    decided_at = models.DateTimeField(_("décidé le"))
    # Set once by publish_results, when the candidate's email is owed (R5.2); never cleared.
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("décision d'admissibilité")
        verbose_name_plural = _("décisions d'admissibilité")

    def __str__(self) -> str:
        return f"{self.dossier_id} — {'admissible' if self.admissible else 'non admissible'}"
