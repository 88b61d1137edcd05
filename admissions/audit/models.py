"""The append-only audit trail (R9.1): who did what, when, to what, and why.

Nothing in the platform edits or deletes an entry: the queryset refuses ``update`` and
``delete``, the model refuses to save an existing row or to delete one, the admin shows entries
read-only to everyone (superusers included), and on PostgreSQL a trigger (migration 0002)
rejects any UPDATE or DELETE reaching the table from elsewhere.

One exception, for the purge of a campaign's personal data (R9.3, ``campaigns/purge.py``):
``erase_personal_fields`` empties the free-text reason and the details of entries about purged
objects, and replaces a deleted candidate's account by a fixed label. The time, the action and
the target of every entry stay as written, so the trail still says what happened and when.
The PostgreSQL trigger lets exactly that change through, and only inside a transaction that
set ``admissions.audit_erasure`` (which only ``erase_personal_fields`` does).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

# What an entry shows as its author once the candidate's account was purged (R9.3). The
# PostgreSQL trigger of migration 0002 checks for this exact text.
ERASED_ACTOR_LABEL = "compte supprimé"
ERASURE_SETTING = "admissions.audit_erasure"
# What an entry written by the platform itself (a task, no account) stores as its author.
PLATFORM_ACTOR_LABEL = "plateforme"
# The stored labels of an entry without an account, read in the reader's language: the rows
# keep the French words they were written with (the trail is append-only).
ACCOUNTLESS_ACTOR_LABELS = {
    PLATFORM_ACTOR_LABEL: _("plateforme"),
    ERASED_ACTOR_LABEL: _("compte supprimé"),
}


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs):  # noqa: ARG002 - the trail is append-only
        raise PermissionError("audit entries cannot be changed")

    def delete(self):
        raise PermissionError("audit entries cannot be deleted")

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))

    def about(self, targets: Iterable[tuple[str, str]]) -> AuditEntryQuerySet:
        """Entries whose target is one of ``(target_type, target_id)``."""
        by_type: dict[str, set[str]] = {}
        for target_type, target_id in targets:
            by_type.setdefault(target_type, set()).add(str(target_id))
        if not by_type:
            return self.none()
        condition = models.Q()
        for target_type, ids in sorted(by_type.items()):
            condition |= models.Q(target_type=target_type, target_id__in=sorted(ids))
        return self.filter(condition)

    def erase_personal_fields(self, *, erased_actor_ids: Iterable[int] = ()) -> int:
        """Empty the reason and the details of these entries; where the author is one of
        ``erased_actor_ids`` (accounts about to be deleted), detach it and show
        ``ERASED_ACTOR_LABEL``. The only change the trail ever accepts (R9.3); call it inside the
        purge's transaction. Returns how many entries were changed."""
        actor_ids = sorted(set(erased_actor_ids))
        changed = 0
        with _erasure_allowed():
            # QuerySet.update itself, not this class's refusal: the one sanctioned path.
            changed += models.QuerySet.update(
                self.filter(actor_id__in=actor_ids),
                actor=None,
                actor_label=ERASED_ACTOR_LABEL,
                reason="",
                data={},
            )
            changed += models.QuerySet.update(
                self.exclude(actor_id__in=actor_ids).exclude(reason="", data={}),
                reason="",
                data={},
            )
        return changed


class _erasure_allowed:
    """Sets the PostgreSQL flag the trigger reads, for the statements inside, then clears it."""

    def __enter__(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [ERASURE_SETTING])

    def __exit__(self, *exc_info: object) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [ERASURE_SETTING])


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
        if self.pk is not None or kwargs.get("force_update"):
            raise PermissionError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries cannot be deleted")

    @property
    def author(self) -> str:
        """Who wrote the entry, in the active language when it names no account."""
        if self.actor_id is None and self.actor_label in ACCOUNTLESS_ACTOR_LABELS:
            return str(ACCOUNTLESS_ACTOR_LABELS[self.actor_label])
        return self.actor_label
