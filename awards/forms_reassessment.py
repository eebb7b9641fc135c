"""The forms of the re-assessment (复核): starting one over a scope of titles, the team's report, a
level's opinion and the organiser's conclusion."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import CountedTextField
from core.uploads import MultipleFileField

from .models import REASSESSMENT_OPINION_MAX_LENGTH, REASSESSMENT_STATEMENT_MAX_LENGTH, ReassessmentItem
from .reassessment import Scope

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StartForm(forms.Form):
    organiser = forms.TypedChoiceField(label=_("Organising unit"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("E.g. 2024年度梦桃式班组复核."))
    document_number = forms.CharField(label=_("Document number"), max_length=50)
    scope_kind = forms.ChoiceField(
        label=_("Titles to re-assess"),
        widget=forms.RadioSelect,
        choices=[
            (Scope.YEAR, _("Named in a year")),
            (Scope.DECISION, _("Named by one naming decision")),
            (Scope.REGION, _("Of one region")),
            (Scope.NUMBERS, _("Hand-picked by certificate number")),
        ],
        initial=Scope.YEAR,
    )
    year = forms.IntegerField(label=_("Year named"), required=False, min_value=2000, max_value=2100)
    decision = forms.TypedChoiceField(label=_("Naming decision"), required=False, coerce=int, empty_value=None)
    region = forms.CharField(label=_("Region"), required=False, max_length=50)
    numbers = forms.CharField(
        label=_("Certificate numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or more, separated by spaces, commas or new lines."),
    )
    scope = CountedTextField(
        label=_("Scope, in words"), max_length=500, rows=2, required=True, help_text=_("E.g. 2024年命名的全部班组.")
    )
    criteria_campaign = forms.TypedChoiceField(label=_("Criteria"), required=False, coerce=int, empty_value=None)
    report_deadline = forms.DateTimeField(label=_("Report deadline (Beijing time)"), widget=DATETIME)
    review_deadline = forms.DateTimeField(
        label=_("Review deadline (Beijing time)"),
        widget=DATETIME,
        help_text=_(
            "Until when the levels give their opinions and the organiser concludes; a report returned for "
            "revision may be submitted again until then."
        ),
    )

    def __init__(self, *args, organisers, decisions, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = [(u.pk, u.name) for u in organisers]
        self.fields["decision"].choices = [("", "—")] + [
            (d.pk, f"{d.document_number} {d.title}（{d.decided_on:%Y-%m-%d}）") for d in decisions
        ]
        self.fields["criteria_campaign"].choices = [("", _("Each title's own naming campaign"))] + [
            (c.pk, f"{c.title}（{c.document_number}）") for c in campaigns
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("scope_kind")
        if kind == Scope.YEAR and not cleaned.get("year"):
            self.add_error("year", _("Give the year the titles were named."))
        if kind == Scope.DECISION and not cleaned.get("decision"):
            self.add_error("decision", _("Choose the naming decision."))
        if kind == Scope.REGION and not (cleaned.get("region") or "").strip():
            self.add_error("region", _("Give the region."))
        if kind == Scope.NUMBERS:
            cleaned["number_list"] = [n for n in re.split(r"[\s,，、;；]+", cleaned.get("numbers") or "") if n]
            if not cleaned["number_list"]:
                self.add_error("numbers", _("Give at least one certificate number."))
        return cleaned

    def scope_value(self):
        """The value the chosen scope filters by (scope_titles)."""
        data = self.cleaned_data
        return {
            Scope.YEAR: data.get("year"),
            Scope.DECISION: data.get("decision"),
            Scope.REGION: (data.get("region") or "").strip(),
            Scope.NUMBERS: data.get("number_list", []),
        }[data["scope_kind"]]


class ReportForm(forms.Form):
    """The statement of each criterion, with a file input and a choice of the team's ledger files."""

    def __init__(self, *args, criteria, answers, ledger_files, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        ledger_choices = [("", _("— choose a file of the team's ledger —"))] + [
            (f.pk, f"{f.entry.occurred_on:%Y-%m-%d} {f.entry.title} · {f.original_name}") for f in ledger_files
        ]
        for criterion in self.criteria:
            self.fields[f"statement_{criterion.pk}"] = CountedTextField(
                label=_("Statement"),
                max_length=REASSESSMENT_STATEMENT_MAX_LENGTH,
                rows=4,
                required=False,
                initial=answers.get(criterion.pk, ""),
            )
            self.fields[f"files_{criterion.pk}"] = MultipleFileField(label=_("Add evidence files"), required=False)
            self.fields[f"ledger_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("Or choose from the ledger"), required=False, coerce=int, empty_value=None,
                choices=ledger_choices,
            )  # fmt: skip

    def statements(self) -> dict[int, str]:
        """The statements typed, per criterion id (for the fields that are valid)."""
        return {c.pk: self.cleaned_data.get(f"statement_{c.pk}", "") for c in self.criteria}


class DecideForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("pass", _("Pass")), ("fail", _("Fail")), ("return", _("Return for revision"))],
        error_messages={"required": _("Choose a decision.")},
    )
    opinion = CountedTextField(label=_("Opinion"), max_length=REASSESSMENT_OPINION_MAX_LENGTH, rows=3, required=True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Conclusion"), widget=forms.RadioSelect, choices=ReassessmentItem.Outcome.choices
    )
    opinion = CountedTextField(label=_("Opinion"), max_length=REASSESSMENT_OPINION_MAX_LENGTH, rows=2, required=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
