"""The support thread of a dossier (R3.9): the candidate and the central service write to each other.

A message is never edited nor deleted; ``read_at`` is set when the other side displays it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

BODY_MAX_LENGTH = 5000


class Message(models.Model):
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    from_staff = models.BooleanField(_("écrit par le service"), default=False)
    # The page language of the writer: a reply to a candidate is announced in their language.
    language = models.CharField(_("langue"), max_length=8, default="fr")
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    sent_at = models.DateTimeField(_("envoyé le"), db_index=True)
    read_at = models.DateTimeField(
        _("lu le"),
        null=True,
        blank=True,
        help_text=_("Quand l'autre partie l'a affiché pour la première fois."),
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier} {self.sent_at:%Y-%m-%d %H:%M}"
