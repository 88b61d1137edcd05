"""The append-only audit trail (R9.1): who did what, when, to what, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs):  # noqa: ARG002 - the trail is append-only
        raise PermissionError("audit entries cannot be changed")

    def delete(self):
        raise PermissionError("audit entries cannot be deleted")

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))


class AuditEntry(models.Model):
    at = models.DateTimeField(_("date"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    actor_label = models.CharField(_("auteur (libellé)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("type d'objet"), max_length=100)
    target_id = models.CharField(_("identifiant"), max_length=64)
    reason = models.TextField(_("motif"), blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal d'audit")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries cannot be deleted")
