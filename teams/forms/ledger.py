"""Forms of the ledger pages: an entry with its files, and the filter of the ledger list."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import counted_field_for

from ..models import LedgerEntry
from ..services import LEDGER_FIELDS
from . import DATE

ACCEPTED_FILES = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data]
        return [clean_one(data, initial)] if data else []


class LedgerEntryForm(forms.ModelForm):
    description = counted_field_for(LedgerEntry._meta.get_field("description"), rows=5)
    files = MultipleFileField(label=_("Files"), required=False)

    class Meta:
        model = LedgerEntry
        fields = LEDGER_FIELDS
        widgets = {"occurred_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["files"].help_text = gettext(
            "PDF, Word, Excel, PowerPoint, JPEG or PNG, at most %(limit)s each. You may choose several files."
        ) % {"limit": filesizeformat(settings.TEAM_FILE_MAX_BYTES)}

    def _post_clean(self):
        # The service validates and saves (and refuses a date in the future).
        pass

    def entry_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in LEDGER_FIELDS}


class LedgerFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *LedgerEntry.Kind.choices])
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((year, str(year)) for year in years)]
