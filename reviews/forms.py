"""The decision form, the queue's filter and its bulk decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import UnionUnit
from campaigns.models import LevelDeadline
from core.text import CountedTextField

from .models import OPINION_MAX_LENGTH, Decision
from .transitions import DECISIONS

K = Decision.Kind


def _opinion_field() -> CountedTextField:
    return CountedTextField(
        label=_("Opinion (推荐意见)"),
        max_length=OPINION_MAX_LENGTH,
        rows=4,
        required=True,
        help_text=_("Printed on the application form with your unit's name and the date."),
        error_messages={"required": _("Write your opinion: it goes on the application form with your unit's name.")},
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(m.kind, m.label) for m in DECISIONS],
        error_messages={"required": _("Choose a decision.")},
    )
    opinion = _opinion_field()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class BulkDecisionForm(forms.Form):
    """One opinion for several applications: recommend them all or return them all."""

    kind = forms.ChoiceField(choices=[(K.RECOMMEND, _("Recommend")), (K.RETURN, _("Return for revision"))])
    opinion = _opinion_field()
    # "application id:version" of each ticked row: the version the staff member saw on the page.
    selected = forms.MultipleChoiceField(error_messages={"required": _("Tick the applications first.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        values = self.data.getlist("selected") if hasattr(self.data, "getlist") else []
        self.fields["selected"].choices = [(v, v) for v in values if _pair(v)]

    def pairs(self) -> list[tuple[int, int]]:
        return sorted(_pair(v) for v in self.cleaned_data["selected"])


def _pair(value: str) -> tuple[int, int] | None:
    pk, _sep, version = value.partition(":")
    return (int(pk), int(version)) if pk.isdigit() and version.isdigit() else None


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Team or enterprise"), required=False, max_length=100)
    union = forms.CharField(label=_("Grassroots union"), required=False, max_length=100)
    campaign = forms.TypedChoiceField(label=_("Campaign"), required=False, coerce=int, empty_value=None)
    evidence = forms.ChoiceField(
        label=_("Evidence"),
        required=False,
        choices=[
            ("", _("Any evidence")),
            ("complete", _("Evidence for every criterion")),
            ("incomplete", _("A criterion without evidence")),
        ],
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", _("All campaigns"))] + [(c.pk, c.title) for c in campaigns]

    def evidence_complete(self) -> bool | None:
        return {"complete": True, "incomplete": False}.get(self.cleaned_data.get("evidence", ""))


class DeadlineExtensionForm(forms.Form):
    """Extend one level's deadline, or one unit's (by its code)."""

    unit_kind = forms.ChoiceField(label=_("For"), required=False)
    unit_code = forms.CharField(
        label=_("Unit code"),
        required=False,
        max_length=30,
        help_text=_("For one unit only: its code, e.g. SX-XA-003. Leave empty to extend the whole level."),
    )
    deadline = forms.DateTimeField(
        label=_("New deadline (Beijing time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = CountedTextField(label=_("Reason"), max_length=500, rows=2, required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_kind"].choices = [("", _("One unit (give its code)"))] + [
            (kind, UnionUnit.Kind(kind).label) for kind in LevelDeadline.LEVELS
        ]

    def clean(self):
        cleaned = super().clean()
        kind, code = cleaned.get("unit_kind"), (cleaned.get("unit_code") or "").strip()
        if not kind and not code:
            self.add_error("unit_code", _("Give the unit's code, or choose a level."))
        if kind and code:
            self.add_error("unit_code", _("Either a level or one unit: leave the code empty to extend the level."))
        if code and not kind:
            cleaned["unit"] = UnionUnit.objects.filter(code__iexact=code).first()
            if cleaned["unit"] is None:
                self.add_error("unit_code", _("No unit has the code %(code)s.") % {"code": code})
        return cleaned
