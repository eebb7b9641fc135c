"""Admin for reference data (criteria templates, working-day overrides); campaigns are read-only here,
since they change only through the staff pages and their services."""

from django.contrib import admin

from audit.admin import ReadOnlyAdmin

from .models import CalendarOverride, Campaign, CriteriaTemplate, CriterionTemplate


class CriterionTemplateInline(admin.StackedInline):
    model = CriterionTemplate
    extra = 0
    fields = [
        ("order", "code", "title"),
        "description",
        ("max_score", "weight", "is_veto"),
        ("statement_required", "min_evidence"),
        "indicators",
    ]


@admin.register(CriteriaTemplate)
class CriteriaTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "is_default", "is_active"]
    list_filter = ["category", "is_active"]
    inlines = [CriterionTemplateInline]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "document_number", "organiser", "status", "application_deadline"]
    list_filter = ["status", "category"]
    search_fields = ["title", "document_number"]
    list_select_related = ["organiser"]
