"""Admin for teams, the ledger and applications. A team's own fields change through the services (and
are audited); members and pairs, the ledger and the applications are shown, never written here: they
are the team leaders' and the unions' to keep in the application's pages, and a submitted version is
never changed at all."""

import json

from django import forms
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyAdmin
from campaigns.indicators import Indicator

from . import services
from .forms import GrassrootsUnionField
from .models import (
    Application,
    ApplicationVersion,
    CriterionAnswer,
    Evidence,
    LedgerAttachment,
    LedgerEntry,
    Member,
    MentorPair,
    Team,
)


def on_changelist(request) -> bool:
    """Whether the admin is showing a list, whose rows leave the long texts unread."""
    match = request.resolver_match
    return match is not None and match.url_name.endswith("_changelist")


def admin_link(obj) -> str:
    """The object's name, linked to its own admin page."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent, without add, change or delete. The name Django prints above each
    row repeats its first column, so the stylesheet hides it (`classes`)."""

    extra = 0
    can_delete = False
    classes = ["without-row-names"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class ShownOnly(ReadOnlyAdmin):
    """A record the admin shows field by field and never writes."""

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_readonly_fields(self, request, obj=None):
        return self.fields


# --- Teams --------------------------------------------------------------------------------------


class MemberInline(ReadOnlyInline):
    model = Member
    fields = ["name", "position", "skill_grade", "role", "joined_on", "left_on"]


class MentorPairInline(ReadOnlyInline):
    model = MentorPair
    fields = ["mentor", "apprentice", "started_on", "ended_on", "outcome"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mentor", "apprentice")


class TeamAdminForm(forms.ModelForm):
    # By code or full name, as on the staff pages: a select of tens of thousands of unions would not do.
    grassroots_union = GrassrootsUnionField()

    class Meta:
        model = Team
        fields = ["grassroots_union", *services.TEAM_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["grassroots_union"] = self.instance.grassroots_union.code


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamAdminForm
    list_display = ["name", "enterprise", "grassroots_union", "industry", "status"]
    list_filter = ["status", "industry", "category"]
    search_fields = ["name", "enterprise"]
    list_select_related = ["grassroots_union"]
    ordering = ["name_pinyin", "id"]
    list_per_page = 50
    show_full_result_count = False  # a filtered page does not count the whole table as well
    readonly_fields = ["status", "reject_reason", "leader_names", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "enterprise", "grassroots_union", "industry", "region", "category"]}),
        (None, {"fields": ["founded_on", "description"]}),
        (_("Registration"), {"fields": ["status", "reject_reason", "leader_names", "created_by", "created_at"]}),
    ]
    inlines = [MemberInline, MentorPairInline]

    @admin.display(description=_("team leaders"))
    def leader_names(self, obj):
        return "、".join(f"{leader.name} ({leader.username})" for leader in obj.leaders.all()) or "—"

    def view_on_site(self, obj):
        # Members, pairs, the review and the ledger are kept on the team's own page.
        return reverse("teams:detail", args=[obj.pk])

    def has_add_permission(self, request):
        # A team is registered by its leader, or by union staff who invite the leader, on the team pages.
        return False

    def has_delete_permission(self, request, obj=None):
        # Applications and the audit trail point at teams.
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            team = services.team_update(
                actor=request.user, team=obj, **{name: form.cleaned_data[name] for name in services.TEAM_FIELDS}
            )
            union = form.cleaned_data["grassroots_union"]
            if union.pk != team.grassroots_union_id:
                services.team_move(actor=request.user, team=team, new_union=union)


# --- The ledger ---------------------------------------------------------------------------------


class LedgerAttachmentInline(ReadOnlyInline):
    model = LedgerAttachment
    fields = ["original_name", "content_type", "size", "sha256", "uploader", "uploaded_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("uploaded by"))
    def uploader(self, obj):
        return obj.uploaded_by


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ShownOnly):
    list_display = ["occurred_on", "of_team", "kind", "title", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "team__name"]
    list_select_related = ["team"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["of_team", "occurred_on", "kind", "title", "description", "recorded_by", "created_at", "updated_at"]
    inlines = [LedgerAttachmentInline]

    @admin.display(description=_("team"), ordering="team__name_pinyin")
    def of_team(self, obj):
        return admin_link(obj.team)

    @admin.display(description=_("recorded by"))
    def recorded_by(self, obj):
        return obj.created_by

    def view_on_site(self, obj):
        return reverse("teams:ledger", args=[obj.team_id])


# --- Applications -------------------------------------------------------------------------------


class CriterionAnswerInline(ReadOnlyInline):
    model = CriterionAnswer
    fields = ["for_criterion", "statement", "indicator_values"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion").order_by("criterion__order", "id")

    @admin.display(description=_("criterion"))
    def for_criterion(self, obj):
        return obj.criterion

    @admin.display(description=_("indicators"))
    def indicator_values(self, obj):
        labels = dict(Indicator.choices)
        return format_html_join(
            mark_safe("<br>"), "{}: {}", ((labels.get(code, code), value) for code, value in obj.indicators.items())
        )


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["for_criterion", "original_name", "size", "sha256", "ledger_entry", "uploaded_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion", "ledger_entry")

    @admin.display(description=_("criterion"))
    def for_criterion(self, obj):
        return obj.criterion


class ApplicationVersionInline(ReadOnlyInline):
    model = ApplicationVersion
    fields = ["number", "submitter", "submitted_at"]
    show_change_link = True
    classes = []  # the row's name carries the link to the version

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submitted_by").defer("content")

    @admin.display(description=_("submitted by"))
    def submitter(self, obj):
        return obj.submitted_by


@admin.register(Application)
class ApplicationAdmin(ShownOnly):
    list_display = ["team", "campaign", "status", "version", "submitted_at"]
    list_filter = ["status", "campaign"]
    search_fields = ["team__name", "team__enterprise", "campaign__title", "campaign__document_number"]
    list_select_related = ["team", "campaign"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "team",
        "campaign",
        "status",
        "version",
        "submitted_at",
        "return_reason",
        "summary",
        "account",
        "started_by",
        "created_at",
        "updated_at",
    ]
    inlines = [CriterionAnswerInline, EvidenceInline, ApplicationVersionInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.defer("summary", "account", "return_reason") if on_changelist(request) else queryset

    @admin.display(description=_("started by"))
    def started_by(self, obj):
        return obj.created_by

    def view_on_site(self, obj):
        # Drafts are the team's own: not even a superuser reads them on the site.
        return reverse("applications:detail", args=[obj.pk]) if obj.status != Application.Status.DRAFT else None


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(ShownOnly):
    """A submission as it was sent. Nothing here changes it."""

    list_display = ["team", "campaign", "number", "submitter", "submitted_at"]
    list_display_links = ["team"]
    list_select_related = ["application__team", "application__campaign", "submitted_by"]
    search_fields = ["application__team__name", "application__campaign__title"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["of_application", "number", "submitter", "submitted_at", "content_as_json"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.defer("content") if on_changelist(request) else queryset

    @admin.display(description=_("application"))
    def of_application(self, obj):
        return admin_link(obj.application)

    @admin.display(description=_("submitted by"))
    def submitter(self, obj):
        return obj.submitted_by

    @admin.display(description=_("team"), ordering="application__team__name_pinyin")
    def team(self, obj):
        return obj.application.team

    @admin.display(description=_("campaign"))
    def campaign(self, obj):
        return obj.application.campaign

    @admin.display(description=_("content"))
    def content_as_json(self, obj):
        return format_html(
            '<pre class="version-content">{}</pre>', json.dumps(obj.content, ensure_ascii=False, indent=2)
        )
