"""The public notice and the naming in the admin: shown to superusers, never written there (they are
kept by the services, which audit every change)."""

from django.contrib import admin

from teams.admin import ReadOnlyInline, ShownOnly

from .models import (
    CertificateBundle,
    Feature,
    FeaturePhoto,
    NamingDecision,
    NoticeEntry,
    Objection,
    PublicNotice,
    Title,
)


class NoticeEntryInline(ReadOnlyInline):
    model = NoticeEntry
    fields = ["order", "team_name", "enterprise", "union_name", "region", "leader_names", "state"]


@admin.register(PublicNotice)
class PublicNoticeAdmin(ShownOnly):
    list_display = ["campaign", "starts_on", "ends_on", "working_days", "published_at"]
    list_select_related = ["campaign"]
    fields = ["campaign", "unit", "starts_on", "ends_on", "working_days", "contact_phone", "contact_address",
              "show_leader_names", "published_by", "published_at"]  # fmt: skip
    inlines = [NoticeEntryInline]


@admin.register(Objection)
class ObjectionAdmin(ShownOnly):
    list_display = ["reference", "entry", "state", "filed_at", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["entry"]
    search_fields = ["reference"]
    fields = ["reference", "notice", "entry", "name", "unit", "phone", "facts", "state", "findings", "filed_at",
              "ip_address", "decided_by", "decided_at"]  # fmt: skip


@admin.register(NamingDecision)
class NamingDecisionAdmin(ShownOnly):
    list_display = ["document_number", "campaign", "level", "decided_on"]
    list_select_related = ["campaign"]
    fields = ["campaign", "document_number", "decided_on", "level", "title", "text", "issued_by", "issued_at"]


@admin.register(Title)
class TitleAdmin(ShownOnly):
    list_display = ["certificate_number", "team", "decision", "state"]
    list_filter = ["state"]
    list_select_related = ["team", "decision"]
    search_fields = ["certificate_number", "team__name"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["certificate_number", "decision", "application", "team", "state"]


@admin.register(CertificateBundle)
class CertificateBundleAdmin(ShownOnly):
    list_display = ["decision", "requested_by", "requested_at", "state", "done", "total"]
    list_filter = ["state"]
    list_select_related = ["decision", "requested_by"]
    fields = ["decision", "requested_by", "requested_at", "state", "total", "done", "file", "finished_at", "error"]


class FeaturePhotoInline(ReadOnlyInline):
    model = FeaturePhoto
    fields = ["order", "attachment"]


@admin.register(Feature)
class FeatureAdmin(ShownOnly):
    list_display = ["title", "headline", "featured_at", "withdrawn_at"]
    list_select_related = ["title"]
    search_fields = ["title__certificate_number", "title__team_name"]
    fields = ["title", "headline", "story", "featured_by", "featured_at", "updated_at", "withdrawn_at", "withdrawn_by"]
    inlines = [FeaturePhotoInline]
