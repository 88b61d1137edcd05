"""Back office for campaigns. The campaign file stays the source of truth: the validated
document is read-only here; dates, seats and extensions may be adjusted by staff."""

from __future__ import annotations

import copy
import json
from typing import ClassVar

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from admissions.campaigns import schema
from admissions.campaigns.models import (
    AlternationPeriod,
    Campaign,
    CampaignExtension,
    ExamDefinition,
    Option,
    Programme,
    School,
    SeatGroup,
)
from admissions.campaigns.services import extend_window, extension_problem
from admissions.core.admin import ReadOnlyAdmin


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name"]
    search_fields = ["code", "name"]


class SeatGroupInline(admin.TabularInline):
    model = SeatGroup
    extra = 0
    fields = ["code", "name", "statuses", "seats", "position"]


class ExamDefinitionInline(admin.TabularInline):
    model = ExamDefinition
    extra = 0
    fields = [
        "code",
        "name",
        "examiner",
        "duration_minutes",
        "max_grade",
        "eliminating_at_or_below",
    ]


class ExtensionInline(admin.TabularInline):
    """Extensions are listed here; add them from the extension page, which records the audit."""

    model = CampaignExtension
    extra = 0
    fields: ClassVar[tuple[str, ...]] = (  # flat names, so that they serve as readonly_fields too
        "window",
        "closes_at",
        "reason",
        "candidate_ref",
        "source",
        "created_by",
        "created_at",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CampaignAdminForm(forms.ModelForm):
    """Dates staff move must leave a campaign the loader would accept (order of the calendar…)."""

    class Meta:
        model = Campaign
        # What staff may adjust; the rest comes from the file (read-only in CampaignAdmin).
        fields = [
            "name",
            "name_en",
            "session",
            "time_zone",
            "applications_opens_at",
            "applications_closes_at",
            "admissibility_results_at",
            "exam_booking_opens_at",
            "exam_booking_closes_at",
            "exams_opens_at",
            "exams_closes_at",
            "academic_results_at",
            "final_list_frozen_at",
            "diploma_deadline",
            "training_starts_on",
            "earliest_contract_start",
            "replacement_deadline",
            "currency",
            "fee_standard_first",
            "fee_standard_each_further",
            "fee_scholarship_first",
            "fee_scholarship_each_further",
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        moved = copy.copy(self.instance)
        for name, value in cleaned.items():
            setattr(moved, name, value)
        try:
            schema.validate_campaign_data(moved.current_document().model_dump(mode="json"))
        except ValidationError as error:
            raise forms.ValidationError(schema._pydantic_problems(error)) from error
        except schema.CampaignFileError as error:
            raise forms.ValidationError(list(error.problems)) from error
        return cleaned


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ["code", "name", "school", "session", "applications_closes_at", "loaded_at"]
    list_filter = ["school", "session"]
    search_fields = ["code", "name"]
    inlines = [SeatGroupInline, ExamDefinitionInline, ExtensionInline]
    readonly_fields = [
        "code",
        "school",
        "document_display",
        "source_sha256",
        "loaded_at",
        "loaded_by",
        "created_at",
        "updated_at",
    ]
    exclude = ["document", "source_text"]

    @admin.display(description=_("fichier de campagne validé"))
    def document_display(self, obj: Campaign) -> str:
        return format_html(
            "<pre style='white-space: pre-wrap'>{}</pre>",
            json.dumps(obj.document, ensure_ascii=False, indent=2),
        )


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["code", "name", "name_en", "sectors", "position", "is_active"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "campaign", "is_active"]
    list_filter = ["campaign", "is_active"]
    inlines = [OptionInline]


@admin.register(Option)
class OptionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "programme", "is_active"]
    list_filter = ["programme__campaign", "is_active"]


@admin.register(AlternationPeriod)
class AlternationPeriodAdmin(ReadOnlyAdmin):
    """Derived from the campaign file: read-only."""

    list_display = [
        "campaign",
        "year_of_study",
        "kind",
        "first_week",
        "last_week",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["campaign", "year_of_study", "kind"]


class CampaignExtensionForm(forms.ModelForm):
    class Meta:
        model = CampaignExtension
        fields = ["campaign", "window", "closes_at", "reason", "candidate_ref"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        campaign = cleaned.get("campaign")
        if self.instance.pk is None and campaign is not None and cleaned.get("window"):
            problem = extension_problem(
                campaign=campaign,
                window=cleaned["window"],
                closes_at=cleaned.get("closes_at"),
                reason=cleaned.get("reason") or "",
            )
            if problem:
                raise forms.ValidationError(problem)
        return cleaned


@admin.register(CampaignExtension)
class CampaignExtensionAdmin(admin.ModelAdmin):
    form = CampaignExtensionForm
    list_display = ["campaign", "window", "closes_at", "candidate_ref", "source", "created_by"]
    list_filter = ["campaign", "window", "source"]
    readonly_fields = ["source", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A recorded extension is history: replace it with a new one rather than edit it.
        if obj is not None:
            return [
                "campaign",
                "window",
                "closes_at",
                "reason",
                "candidate_ref",
                *self.readonly_fields,
            ]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if obj.pk is not None:
            return
        # The form has checked the extension; the service records it with its audit entry.
        created = extend_window(
            campaign=obj.campaign,
            window=obj.window,
            closes_at=obj.closes_at,
            reason=obj.reason,
            candidate_ref=obj.candidate_ref,
            by=request.user,
        )
        obj.pk = created.pk
