from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from admissions.notifications import services
from admissions.notifications.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the platform; staff pages will read it (R8.2)."""

    list_display = ("key", "kind", "recipient", "state", "attempts", "queued_at", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("key", "recipient")
    exclude = ("payload",)  # may hold a confirmation link until sent
    actions = ("send_again",)

    @admin.action(description=_("Renvoyer les courriels en échec sélectionnés"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        count = services.send_again(email_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)s courriel(s) remis en file.") % {"count": count})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboundEmail | None = None) -> bool:
        return False
