from django import forms
from django.utils.translation import gettext_lazy as _

from . import kinds
from .models import Preference


class PreferenceForm(forms.Form):
    mail = forms.ChoiceField(label=_("E-mails"), choices=Preference.Mail.choices, widget=forms.RadioSelect)
    muted = forms.MultipleChoiceField(
        label=_("Mute"),
        choices=kinds.MUTABLE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Muted notifications reach neither your inbox nor your e-mail. Deadline reminders and "
            "returns for revision cannot be muted."
        ),
    )
