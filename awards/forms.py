"""The staff's forms of the public notice and the naming."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import CountedTextField

from .models import FINDINGS_MAX_LENGTH, REVOCATION_TEXT_MAX_LENGTH, NamingDecision, Revocation

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


class RevocationForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *Revocation.Reason.choices])
    details = CountedTextField(
        label=_("Details"),
        max_length=REVOCATION_TEXT_MAX_LENGTH,
        rows=3,
        required=False,
        help_text=_("Required for “Other”; otherwise what the decision says of the facts."),
    )
    document_number = forms.CharField(
        label=_("Document number"), max_length=50, help_text=_("The decision that revokes the titles.")
    )
    revoked_on = forms.DateField(label=_("Date of the revocation"), widget=DATE)
    plaque_returned = forms.BooleanField(label=_("The plaque was handed back"), required=False)
    certificate_returned = forms.BooleanField(label=_("The certificate was handed back"), required=False)


class HandbackForm(forms.Form):
    plaque_returned = forms.BooleanField(label=_("The plaque was handed back"), required=False)
    certificate_returned = forms.BooleanField(label=_("The certificate was handed back"), required=False)


class ReversalForm(forms.Form):
    reason = CountedTextField(
        label=_("Reason for the reversal"), max_length=REVOCATION_TEXT_MAX_LENGTH, rows=3, required=True
    )
