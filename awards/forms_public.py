"""The public's forms: of the public notice, the real-name objection with its arithmetic challenge
and the look-up of an objection by its reference; of the registry, its search and filters.

The challenge works without any outside service: a small sum whose numbers travel signed in a hidden
field (django.core.signing, with a maximum age) and are checked on the server. It only slows down
scripts that post blindly; the limits per address and per phone (views.public) do the rest. A token
is good for one filed objection: its nonce is remembered in the cache until it would expire anyway.
"""

import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.industries import Industry
from campaigns.models import Category
from core.staging import KeepsUploads
from core.text import CountedTextField
from core.uploads import ACCEPT_ATTRIBUTE

from .models import FACTS_MAX_LENGTH, PHONE_MAX_LENGTH, NamingDecision
from .selectors import STATE_LABELS, RegistryFilters

CHALLENGE_SALT = "awards.objection-challenge"


def challenge_max_age() -> int:
    return settings.OBJECTION_CHALLENGE_MAX_AGE


def new_challenge() -> str:
    """A signed token holding a sum's two numbers and a nonce."""
    return signing.dumps(
        {"a": secrets.randbelow(9) + 1, "b": secrets.randbelow(9) + 1, "n": secrets.token_hex(8)},
        salt=CHALLENGE_SALT,
        compress=True,
    )


def read_challenge(token: str, *, max_age: int | None = None) -> dict | None:
    try:
        payload = signing.loads(token, salt=CHALLENGE_SALT, max_age=max_age)
    except (signing.BadSignature, TypeError):
        return None
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), int) for k in ("a", "b")):
        return None
    return payload


def _used_key(payload: dict) -> str:
    return f"objection-challenge-used:{payload['n']}"


def challenge_question(token: str) -> str:
    payload = read_challenge(token) or {"a": 0, "b": 0}
    return gettext("Anti-abuse check: how much is %(a)s plus %(b)s?") % {"a": payload["a"], "b": payload["b"]}


class ObjectionForm(KeepsUploads, forms.Form):
    """Built with `user=` (an anonymous visitor too): an attachment of a failing submit is kept for
    the next one (core.staging)."""

    name = forms.CharField(label=_("Your real name"), max_length=50)
    unit = forms.CharField(label=_("Your unit"), max_length=100)
    phone = forms.CharField(
        label=_("Your phone"),
        max_length=PHONE_MAX_LENGTH,
        help_text=_("The staff call this number if they need more facts. It is not published."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    facts = CountedTextField(
        label=_("Facts"),
        max_length=FACTS_MAX_LENGTH,
        rows=8,
        required=True,
        help_text=_(
            "What is wrong with this team's application, as precisely as you can: what, when, where, who knows."
        ),
    )
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)
    answer = forms.IntegerField(label=_("Anti-abuse check"), widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    challenge = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["unit"].widget.attrs["autocomplete"] = "organization"
        token = self.data.get("challenge") if self.is_bound else None
        self.asked_anew = False
        if not token or read_challenge(token) is None:
            token = new_challenge()
            if self.is_bound:
                # A missing or forged token: a fresh question, and the answer that came with the post
                # is refused (clean), even one that happens to fit the new question.
                self.data = self.data.copy()
                self.data["challenge"] = token
                self.asked_anew = True
        self.initial.setdefault("challenge", token)
        self.fields["answer"].label = challenge_question(token)
        self.fields["attachment"].widget.attrs["accept"] = ACCEPT_ATTRIBUTE
        self.fields["attachment"].help_text = gettext(
            "A PDF, Word, Excel, PowerPoint, JPEG or PNG file that supports the facts, at most %(limit)s."
        ) % {"limit": filesizeformat(self.upload_limit)}

    @property
    def upload_limit(self) -> int:
        return settings.TEAM_FILE_MAX_BYTES

    def clean(self):
        cleaned = super().clean()
        if self.asked_anew:
            self.errors.pop("answer", None)
            self.data["answer"] = ""
            self.add_error("answer", _("The check has expired: answer the new question."))
            return cleaned
        token, answer = cleaned.get("challenge"), cleaned.get("answer")
        if token is None or answer is None:
            return cleaned
        payload = read_challenge(token, max_age=challenge_max_age())
        if payload is None or cache.get(_used_key(payload)):
            self._renew_challenge()
            self.add_error("answer", _("The check has expired: answer the new question."))
        elif answer != payload["a"] + payload["b"]:
            self._renew_challenge()
            self.add_error("answer", _("That is not the right answer: try the new question."))
        return cleaned

    def _renew_challenge(self) -> None:
        token = new_challenge()
        self.data = self.data.copy()
        self.data["challenge"] = token
        self.data["answer"] = ""
        self.fields["answer"].label = challenge_question(token)

    def use_challenge(self) -> bool:
        """Spend the token on the objection about to be filed; False if another request spent it first."""
        payload = read_challenge(self.cleaned_data["challenge"])
        return payload is not None and cache.add(_used_key(payload), 1, challenge_max_age())


class LookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "YY20261012-1A2B3C4D", "autocomplete": "off"}),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class RegistryFilterForm(forms.Form):
    """The registry's search and filters, from the query string. A value that is not one of the
    choices is named in an error; the other filters still apply."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", _("All industries")), *Industry.choices]
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(
        label=_("Naming level"), required=False, choices=[("", _("All levels")), *NamingDecision.Level.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *STATE_LABELS.items()]
    )

    def __init__(self, data=None, *, years: list[int], regions: list[str]):
        super().__init__(data)
        self.fields["year"].choices = [("", _("All years")), *((year, str(year)) for year in years)]
        self.fields["region"].choices = [("", _("All regions")), *((region, region) for region in regions)]

    def filters(self) -> RegistryFilters:
        """The filters that are valid (all of them, when the form is)."""
        if not self.is_bound:
            return RegistryFilters()
        self.is_valid()
        data = self.cleaned_data
        return RegistryFilters(
            search=data.get("q") or "",
            region=data.get("region") or "",
            industry=data.get("industry") or "",
            year=data.get("year"),
            level=data.get("level") or "",
            category=data.get("category") or "",
            state=data.get("status") or "",
        )
