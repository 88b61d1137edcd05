from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from admissions.audit.models import AuditEntry
from admissions.core.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "author", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_id", "reason"]

    @admin.display(description=_("auteur"), ordering="actor_label")
    def author(self, entry: AuditEntry) -> str:
        return entry.author
