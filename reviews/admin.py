"""The recommendation chain and the expert review in the admin: shown to superusers, never written
there (decisions are records, made by the unit's staff on the decision page; extensions on the
organiser's progress page; the panel, assignments, scores and shortlist on the review's own pages,
whose services keep the aggregates and ranks)."""

from django.contrib import admin

from teams.admin import ReadOnlyInline, ShownOnly

from .models import Assignment, Conflict, DeadlineExtension, Decision, PanelMember, Recommendation, ReviewResult, Score


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


@admin.register(PanelMember)
class PanelMemberAdmin(ShownOnly):
    list_display = ["campaign", "expert", "unit", "enterprise", "added_at"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "expert", "unit"]
    search_fields = ["expert__username", "expert__name", "enterprise"]
    fields = ["campaign", "expert", "unit", "enterprise", "added_by", "added_at"]


@admin.register(Conflict)
class ConflictAdmin(ShownOnly):
    list_display = ["campaign", "expert", "team", "enterprise", "recorded_at"]
    list_select_related = ["campaign", "expert", "team"]
    fields = ["campaign", "expert", "team", "enterprise", "reason", "recorded_by", "recorded_at"]


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ["criterion", "points", "vetoed", "comment", "updated_at"]


@admin.register(Assignment)
class AssignmentAdmin(ShownOnly):
    list_display = ["result", "expert", "state", "total", "vetoed", "assigned_at", "submitted_at"]
    list_filter = ["state", "campaign"]
    list_select_related = ["result", "expert"]
    search_fields = ["result__code", "expert__username", "expert__name"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["result", "campaign", "expert", "state", "assigned_by", "assigned_at", "submitted_at", "total",
              "vetoed", "overall_comment", "decline_reason"]  # fmt: skip
    inlines = [ScoreInline]


@admin.register(ReviewResult)
class ReviewResultAdmin(ShownOnly):
    list_display = ["code", "application", "state", "rank", "total", "reviews_done", "reviews_assigned", "vetoes"]
    list_filter = ["state", "campaign"]
    list_select_related = ["application__team", "application__campaign"]
    search_fields = ["code", "application__team__name"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["application", "campaign", "code", "recommended_by", "version", "state", "reviews_assigned",
              "reviews_done", "total", "criterion_scores", "spread", "vetoes", "rank", "shortlist_reason",
              "excluded_reason", "accepted_at", "decided_at"]  # fmt: skip
