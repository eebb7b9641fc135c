"""Forms of the application pages: the application itself (built from the campaign's criteria),
the reasons for a return, and the staff's list filter."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Criterion
from core.text import CountedTextField
from core.uploads import MultipleFileField

from ..content import indicator_label
from ..models import Application, LedgerEntry
from ..models.application import ACCOUNT_MAX_LENGTH, STATEMENT_MAX_LENGTH, SUMMARY_MAX_LENGTH


def _text(max_length: int, rows: int, label) -> CountedTextField:
    return CountedTextField(label=label, max_length=max_length, rows=rows, required=False)


@dataclass
class CriterionBlock:
    """One criterion on the page: its fields and the evidence attached so far."""

    criterion: Criterion
    statement: forms.BoundField
    indicators: list[forms.BoundField]
    files: forms.BoundField
    ledger: forms.BoundField
    evidence: list = field(default_factory=list)


class ApplicationForm(forms.Form):
    """The summary, the account, and per criterion a statement, its indicators and new files.

    Nothing is required here: a draft saves whatever is there; completeness is checked on submit."""

    def __init__(self, *args, application: Application, criteria: list[Criterion], ledger_entries=(), **kwargs):
        answers = {a.criterion_id: a for a in application.answers.all()}
        initial = {"summary": application.summary, "account": application.account}
        for criterion in criteria:
            answer = answers.get(criterion.pk)
            initial[f"statement_{criterion.pk}"] = answer.statement if answer else ""
            for code in criterion.indicators:
                initial[f"ind_{criterion.pk}_{code}"] = (answer.indicators if answer else {}).get(code)
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        # Evidence this submit attached: named at the top when the form comes back with errors, so
        # that the reader sees at once which of their files are saved.
        self.attached: list = []
        self.fields["summary"] = _text(SUMMARY_MAX_LENGTH, 4, _("Summary"))
        self.fields["account"] = _text(ACCOUNT_MAX_LENGTH, 10, _("Full account"))
        entry_choices = [("", _("Choose a ledger entry…"))] + [(e.pk, str(e)) for e in ledger_entries]
        for criterion in criteria:
            pk = criterion.pk
            self.fields[f"statement_{pk}"] = _text(STATEMENT_MAX_LENGTH, 6, _("Statement"))
            for code in criterion.indicators:
                self.fields[f"ind_{pk}_{code}"] = forms.IntegerField(
                    label=indicator_label(code), required=False, min_value=0, max_value=1_000_000
                )
            self.fields[f"files_{pk}"] = MultipleFileField(label=_("Add evidence files"), required=False)
            self.fields[f"ledger_{pk}"] = forms.TypedChoiceField(
                label=_("Or attach the files of a ledger entry"),
                choices=entry_choices,
                coerce=int,
                required=False,
                empty_value=None,
            )

    @property
    def file_field_names(self) -> list[str]:
        return [f"files_{c.pk}" for c in self.criteria]

    def text_is_valid(self) -> bool:
        """Whether the text is valid: it is saved though a file or the ledger choice failed."""
        self.is_valid()
        return not any(name in self.errors for name in self.fields if not name.startswith(("files_", "ledger_")))

    def answers(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            c.pk: {
                "statement": data.get(f"statement_{c.pk}", ""),
                "indicators": {code: data.get(f"ind_{c.pk}_{code}") for code in c.indicators},
            }
            for c in self.criteria
        }

    def uploads(self) -> dict[int, list]:
        """The new files per criterion, all of them: each is checked on its own as it is attached."""
        data = self.cleaned_data
        return {c.pk: data.get(f"files_{c.pk}") or [] for c in self.criteria}

    def blocks(self, evidence) -> list[CriterionBlock]:
        by_criterion: dict[int, list] = {}
        for item in evidence:
            by_criterion.setdefault(item.criterion_id, []).append(item)
        return [
            CriterionBlock(
                criterion=c,
                statement=self[f"statement_{c.pk}"],
                indicators=[self[f"ind_{c.pk}_{code}"] for code in c.indicators],
                files=self[f"files_{c.pk}"],
                ledger=self[f"ledger_{c.pk}"],
                evidence=by_criterion.get(c.pk, []),
            )
            for c in self.criteria
        ]


def ledger_entries_with_files(team) -> list[LedgerEntry]:
    return list(team.ledger_entries.filter(attachments__isnull=False).distinct().order_by("-occurred_on", "-id"))


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Team or enterprise"), required=False, max_length=100)
    campaign = forms.TypedChoiceField(label=_("Campaign"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, campaigns: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", _("All campaigns")), *campaigns]  # (pk, title)
        self.fields["status"].choices = [("", _("All statuses"))] + [
            choice for choice in Application.Status.choices if choice[0] != Application.Status.DRAFT
        ]
