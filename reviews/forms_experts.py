"""The forms of the expert review: the panel, a declared conflict, an assignment by hand, a reason
(declining, reopening, excluding), the scores, the ranking's filter and the shortlist."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import UnionUnit, User
from core.text import CountedTextField

from .models import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH


def _reason_field() -> CountedTextField:
    return CountedTextField(label=_("Reason"), max_length=REASON_MAX_LENGTH, rows=3, required=True)


class PanelAddForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    grant = forms.BooleanField(
        label=_("Make the user an expert reviewer if they are not one yet"),
        required=False,
        help_text=_("Only for a user of your unit's subtree."),
    )
    unit_code = forms.CharField(
        label=_("Code of the expert's own unit"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to use the unit of the user's account."),
    )
    enterprise = forms.CharField(
        label=_("The expert's own enterprise"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to use the enterprise of that unit."),
    )

    def clean_username(self):
        user = User.objects.select_related("unit").filter(username=self.cleaned_data["username"].strip()).first()
        if user is None or not user.is_active:
            raise forms.ValidationError(_("No active user has this username."))
        return user

    def clean_unit_code(self):
        code = self.cleaned_data["unit_code"].strip()
        if not code:
            return None
        unit = UnionUnit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("No union unit has this code."))
        return unit


class ConflictForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=User.objects.none())
    enterprise = forms.CharField(label=_("Enterprise"), max_length=100)
    reason = _reason_field()

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = User.objects.filter(pk__in=[e.pk for e in experts]).order_by("username")


class AssignForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=User.objects.none())

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = User.objects.filter(pk__in=[e.pk for e in experts]).order_by("username")


class ReasonForm(forms.Form):
    reason = _reason_field()


class ScoreForm(forms.Form):
    """One field set per criterion: points (typed as text, checked by the service, so that what the
    expert typed survives an error) or, for a veto item, yes or no; a comment each; and the overall
    comment."""

    VETO_CHOICES = [("no", _("Does not apply")), ("yes", _("Applies: disqualifies the application"))]

    def __init__(self, *args, criteria, half_points: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        step = "0.5" if half_points else "1"
        for c in criteria:
            if c.is_veto:
                self.fields[f"vetoed_{c.pk}"] = forms.ChoiceField(
                    label=_("Veto"), choices=self.VETO_CHOICES, widget=forms.RadioSelect, required=False
                )
            else:
                self.fields[f"points_{c.pk}"] = forms.CharField(
                    label=_("Score (0 to %(max)s)") % {"max": f"{c.max_score.normalize():f}"},
                    required=False,
                    widget=forms.NumberInput(
                        attrs={"min": "0", "max": str(c.max_score), "step": step, "inputmode": "decimal"}
                    ),
                )
            self.fields[f"comment_{c.pk}"] = CountedTextField(
                label=_("Reason of the veto") if c.is_veto else _("Comment"),
                max_length=COMMENT_MAX_LENGTH,
                rows=2,
                required=False,
            )
        self.fields["overall_comment"] = CountedTextField(
            label=_("Overall comment"), max_length=COMMENT_MAX_LENGTH * 2, rows=3, required=False
        )

    def scores(self) -> dict[int, dict]:
        """What the expert typed, for `scores_save` (only the fields sent: an autosave sends them all)."""
        data = {}
        for c in self.criteria:
            values = {}
            if c.is_veto:
                choice = self.data.get(f"vetoed_{c.pk}")
                if choice in ("yes", "no"):
                    values["vetoed"] = choice == "yes"
            elif f"points_{c.pk}" in self.data:
                values["points"] = self.data.get(f"points_{c.pk}", "")
            if f"comment_{c.pk}" in self.data:
                values["comment"] = self.data.get(f"comment_{c.pk}", "")
            data[c.pk] = values
        return data

    def bound_rows(self):
        """The fields of each criterion, in order, for the template."""
        for c in self.criteria:
            yield c, (self[f"vetoed_{c.pk}"] if c.is_veto else self[f"points_{c.pk}"]), self[f"comment_{c.pk}"]


class RankingFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Recommended by"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All recommending units")), *units]
