"""Forms of the team pages; the services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.industries import Industry
from core.text import CountedTextField, counted_field_for

from ..models import Member, MentorPair, Team
from ..selectors import find_grassroots_union, grassroots_union_suggestions
from ..services import MEMBER_FIELDS, TEAM_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GrassrootsUnionField(forms.CharField):
    """The grassroots union by its code or full name: there are tens of thousands to choose from."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Grassroots union"))
        kwargs.setdefault("help_text", _("Its code (e.g. SX-XY-001) or its full name, as your union gives it."))
        super().__init__(max_length=100, **kwargs)

    def prepare_value(self, value):
        return getattr(value, "code", value)

    def clean(self, value):
        text = super().clean(value)
        union = find_grassroots_union(text)
        if union is None:
            suggestions = grassroots_union_suggestions(text)
            if suggestions:
                raise forms.ValidationError(
                    _("No grassroots union has exactly that code or name. Did you mean: %(names)s?")
                    % {"names": "；".join(f"{u.name}（{u.code}）" for u in suggestions)}
                )
            raise forms.ValidationError(
                _("No grassroots union has that code or name. Please check it with your union.")
            )
        return union


class TeamForm(forms.ModelForm):
    description = counted_field_for(Team._meta.get_field("description"))

    class Meta:
        model = Team
        fields = TEAM_FIELDS
        widgets = {"founded_on": DATE}

    def __init__(self, *args, with_union: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("Choose…")), *Industry.choices]
        if with_union:
            self.fields = {"grassroots_union": GrassrootsUnionField(), **self.fields}

    def _post_clean(self):
        # The service validates and saves (and turns a duplicate name into a message).
        pass

    def team_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in TEAM_FIELDS}


class StaffTeamForm(TeamForm):
    leader_name = forms.CharField(label=_("Team leader's name"), max_length=50)
    leader_email = forms.EmailField(
        label=_("Team leader's e-mail"), help_text=_("An invitation to set a password is sent there.")
    )


class ReviewForm(forms.Form):
    reason = CountedTextField(label=_("Reason (when not approving)"), max_length=1000, rows=3)


class MoveForm(forms.Form):
    grassroots_union = GrassrootsUnionField(label=_("New grassroots union"))


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = MEMBER_FIELDS
        widgets = {"joined_on": DATE, "left_on": DATE}

    def _post_clean(self):
        pass

    def member_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in MEMBER_FIELDS}


class MentorPairForm(forms.ModelForm):
    class Meta:
        model = MentorPair
        fields = ["mentor", "apprentice", "started_on", "ended_on", "outcome"]
        widgets = {"started_on": DATE, "ended_on": DATE}

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        current = team.members.filter(left_on__isnull=True)
        self.fields["mentor"].queryset = current
        self.fields["apprentice"].queryset = current

    def _post_clean(self):
        pass


class TeamFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Team.Status.choices]
    )
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", _("All industries")), *Industry.choices]
    )
    applications = forms.ChoiceField(
        label=_("Applications"),
        required=False,
        choices=[("", _("Any applications")), ("draft_due", _("A draft due within a week"))],
    )
