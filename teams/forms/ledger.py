"""Forms of the ledger pages: an entry with its files, and the filter of the ledger list."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.staging import KeepsUploads
from core.text import counted_field_for
from core.uploads import MultipleFileField

from ..models import LedgerEntry
from ..services import LEDGER_FIELDS
from . import DATE


class LedgerEntryForm(KeepsUploads, forms.ModelForm):
    """An entry and its new files; built with `user=`, the files of a failing submit are kept for
    the next one (core.staging)."""

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

    @property
    def upload_limit(self) -> int:
        return settings.TEAM_FILE_MAX_BYTES

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
