"""The staff's forms of the public notice and the naming."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import CountedTextField

from .models import FINDINGS_MAX_LENGTH, NamingDecision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoticeForm(forms.Form):
    contact_phone = forms.CharField(label=_("Phone for objections"), max_length=20)
    contact_address = forms.CharField(label=_("Address for written objections"), max_length=200)
    first_day = forms.DateField(
        label=_("First day of the notice"),
        widget=DATE,
        help_text=_(
            "The notice runs for the campaign's number of working days from this day (or the next working day)."
        ),
    )
    show_leader_names = forms.BooleanField(label=_("Show the team leaders' names"), required=False)


class ObjectionDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("dismissed", _("Dismissed: the team stays on the notice")),
            ("upheld", _("Upheld: the team is taken off")),
        ],
        widget=forms.RadioSelect,
    )
    findings = CountedTextField(label=_("Findings"), max_length=FINDINGS_MAX_LENGTH, rows=3, required=True)


class NamingForm(forms.Form):
    document_number = forms.CharField(label=_("Document number"), max_length=50)
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    level = forms.ChoiceField(label=_("Level"), choices=NamingDecision.Level.choices)
    title = forms.CharField(label=_("Title conferred"), max_length=100)
    text = CountedTextField(label=_("Text of the decision"), max_length=5000, rows=6, required=True)
