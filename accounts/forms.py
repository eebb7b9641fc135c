"""Forms of the accounts pages. Password forms save through the audited service."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, UnionUnit
from .selectors import TEAM_LEADER
from .services import user_set_password


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is wrong. Both are case-sensitive; after several failed "
            "attempts the account is locked for a while."
        ),
        "inactive": _("This account has been disabled. Please contact your union's administrator."),
    }


class AuditedSetPasswordForm(SetPasswordForm):
    """Used by the password-reset link: the person proved who they are by the link in the mail."""

    def save(self, commit=True):
        return user_set_password(actor=None, user=self.user, raw_password=self.cleaned_data["new_password1"])


class AuditedPasswordChangeForm(PasswordChangeForm):
    def save(self, commit=True):
        return user_set_password(actor=self.user, user=self.user, raw_password=self.cleaned_data["new_password1"])


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *UnionUnit.Kind.choices])


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *RoleAssignment.Role.choices, (TEAM_LEADER, _("Team leader"))],
    )
