"""The recommendation chain in the admin: shown to superusers, never written there (decisions are
records, made by the unit's staff on the decision page; extensions on the organiser's progress page)."""

from django.contrib import admin

from teams.admin import ShownOnly

from .models import DeadlineExtension, Decision, Recommendation


@admin.register(Recommendation)
class RecommendationAdmin(ShownOnly):
    list_display = ["application", "unit", "state", "version", "arrived_at"]
    list_filter = ["state", "campaign"]
    list_select_related = ["application__team", "application__campaign", "unit"]
    search_fields = ["application__team__name", "unit__name"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["application", "campaign", "unit", "state", "version", "evidence_complete", "arrived_at"]


@admin.register(Decision)
class DecisionAdmin(ShownOnly):
    list_display = ["application", "unit", "level", "kind", "accepted", "version", "decided_by", "decided_at"]
    list_filter = ["kind", "campaign"]
    list_select_related = ["application__team", "application__campaign", "unit", "decided_by"]
    search_fields = ["application__team__name", "unit__name", "opinion"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["application", "campaign", "unit", "level", "kind", "accepted", "opinion", "version", "decided_by",
              "decided_at"]  # fmt: skip


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ShownOnly):
    list_display = ["campaign", "unit", "unit_kind", "deadline", "granted_by", "granted_at"]
    list_select_related = ["campaign", "unit", "granted_by"]
    fields = ["campaign", "unit", "unit_kind", "deadline", "reason", "granted_by", "granted_at"]
