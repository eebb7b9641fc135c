"""Admin for the union tree, users and role assignments (every save goes through the services), and
the sign-in lock-outs of django-axes."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import RoleAssignment, UnionUnit, User


class UnionUnitAdminForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        label=_("Parent unit"),
        queryset=UnionUnit.objects.order_by("path"),
        required=False,
        help_text=_("Leave empty only for the provincial federation at the top of the tree."),
    )

    class Meta:
        model = UnionUnit
        fields = ["parent", "name", "short_name", "kind", "code", "enterprise", "region", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = UnionUnit.objects.get_parent(self.instance)
            self.fields["parent"].queryset = UnionUnit.objects.exclude(path__startswith=self.instance.path)

    def clean(self):
        cleaned = super().clean()
        if "kind" in cleaned:
            parent = cleaned.get("parent")
            if parent is None and self.instance.pk:
                parent = UnionUnit.objects.get_parent(self.instance)
            services.check_placement(unit=self.instance, parent=parent, kind=cleaned["kind"])
        return cleaned


@admin.register(UnionUnit)
class UnionUnitAdmin(admin.ModelAdmin):
    form = UnionUnitAdminForm
    list_display = ["indented_name", "kind", "code", "enterprise", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "enterprise"]
    ordering = ["path"]
    list_per_page = 100

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return format_html('<span style="padding-left:{}em">{}</span>', 1.5 * (obj.depth - 1), obj.name)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in services.UNIT_FIELDS}
        parent = form.cleaned_data["parent"]
        if not change:
            created = services.unit_create(actor=request.user, parent=parent, **data)
            obj.pk = created.pk
            return
        with transaction.atomic():
            services.unit_update(actor=request.user, unit=obj, **data)
            if parent is not None:
                services.unit_move(actor=request.user, unit=obj, new_parent=parent)

    def has_delete_permission(self, request, obj=None):
        # Units carry history; they are deactivated, never deleted.
        return False


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    fields = ["role", "unit", "granted_at", "granted_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class AdminUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "name", "email"]


class AdminUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    list_display = ["username", "name", "unit", "email", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["username", "name", "email"]
    ordering = ["username"]
    autocomplete_fields = ["unit"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["name", "email", "phone", "unit"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "name", "email", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.user_save(actor=request.user, user=obj, created=not change, changed_fields=form.changed_data)

    def has_delete_permission(self, request, obj=None):
        # People who acted keep their place in the audit trail; accounts are deactivated instead.
        return False


class RoleAssignmentAdminForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "unit"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    form = RoleAssignmentAdminForm
    list_display = ["user", "role", "unit", "granted_at", "granted_by"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit", "granted_by"]

    def has_change_permission(self, request, obj=None):
        # A role is granted or revoked, never edited in place.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        created = services.role_assign(actor=request.user, user=obj.user, role=obj.role, unit=obj.unit)
        obj.pk = created.pk

    def delete_model(self, request, obj):
        services.role_revoke(actor=request.user, assignment=obj)

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("user", "unit"):
            services.role_revoke(actor=request.user, assignment=assignment)


class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """django-axes' own admin of failed sign-ins. It builds two texts from English pieces ("3 Attempt
    Remaining", and a clean-up message no catalogue can match); here they are whole sentences, and its
    unlabelled columns get names."""

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        # The handler reads the time of the request from the attributes axes sets on a sign-in; an admin
        # request has none, and axes' own action fails for want of them.
        AxesProxyHandler.update_request(request)
        count = self.handler.clean_expired_user_attempts(request=request)
        message = ngettext(
            "%(count)d expired record of failed sign-ins was cleaned up.",
            "%(count)d expired records of failed sign-ins were cleaned up.",
            count,
        )
        self.message_user(request, message % {"count": count})

    @admin.display(description=_("Status"))
    def status(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left <= 0:
            return _("Locked out")
        return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}

    @admin.display(description=_("Expires at"))
    def expiration(self, obj):
        return super().expiration(obj)


# Replaces the admin that django-axes registers (unless its admin is switched off).
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
