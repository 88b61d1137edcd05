"""Dossiers in the admin until the back office comes: read-only, filterable, flagged (R3.1, R10.5)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from admissions.core.admin import ReadOnlyAdmin
from admissions.dossiers.models import Dossier


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "candidate",
        "full_name",
        "state",
        "status_sought",
        "school_follow_up",
        "submitted_at",
    ]
    list_filter = ["campaign", "state", "status_sought"]
    search_fields = ["reference", "candidate__email", "last_name", "first_name"]
    list_select_related = ["candidate"]

    @admin.display(boolean=True, description=_("Suivi par l'école"))
    def school_follow_up(self, dossier: Dossier) -> bool:
        return dossier.needs_school_follow_up
