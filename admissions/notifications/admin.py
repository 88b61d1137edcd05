from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from admissions.notifications.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the platform; staff pages will read it (R8.2)."""

    list_display = ("key", "kind", "recipient", "state", "attempts", "queued_at", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("key", "recipient")
    exclude = ("payload",)  # may hold a confirmation link until sent

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboundEmail | None = None) -> bool:
        return False
