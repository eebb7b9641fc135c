"""Counted text: one definition of "how many characters" for the browser's counter and the server.

A character is a Unicode code point of the text after line breaks are normalised to "\\n" (browsers
send a textarea's line breaks as CRLF but count them as one). Python's len() counts code points, and
so does static/js/app.js (Array.from over the string), so an emoji is one character on both sides and
the counter never disagrees with the server.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

LINE_BREAKS = re.compile(r"\r\n?")


def normalise_text(value: str) -> str:
    """Line breaks as "\\n", whatever the browser or client sent."""
    return LINE_BREAKS.sub("\n", value)


def count_characters(value: str) -> int:
    return len(normalise_text(value))


def clean_text(value: str, *, limit: int | None = None, label=None) -> str:
    """What services store of free text: line breaks normalised, outer blanks stripped, and the
    limit enforced with the same message as the form (for callers that bypass the forms)."""
    text = normalise_text(value or "").strip()
    if limit is not None:
        CountedMaxLengthValidator(limit, label)(text)
    return text


class CountedMaxLengthValidator:
    """Refuses text longer than `limit`, naming the field and both numbers, e.g.
    "全文不能超过 2000 字（现为 2018 字）"."""

    code = "max_length"

    def __init__(self, limit: int, label=None):
        self.limit = limit
        self.label = label

    def __call__(self, value: str) -> None:
        count = count_characters(value or "")
        if count > self.limit:
            raise ValidationError(
                _("%(field)s may be at most %(limit)s characters (it is %(count)s now).")
                if self.label
                else _("At most %(limit)s characters (it is %(count)s now)."),
                code=self.code,
                params={"field": self.label, "limit": self.limit, "count": count},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, CountedMaxLengthValidator) and (self.limit, self.label) == (other.limit, other.label)


class CountedTextarea(forms.Textarea):
    """A textarea with a live counter (static/js/app.js) and no `maxlength`: browsers count an emoji
    as two in `maxlength`, which would stop the typist before the real limit."""

    template_name = "widgets/counted_textarea.html"

    def __init__(self, attrs=None, *, limit: int):
        super().__init__({"rows": 4, **(attrs or {}), "data-counter": limit})
        self.limit = limit

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["limit"] = self.limit
        context["widget"]["count"] = count_characters(str(value or ""))
        return context


class CountedTextField(forms.CharField):
    """Free text with a character limit: line breaks normalised on input, counted as the browser
    counts, refused with the field's name and both numbers."""

    def __init__(self, *, max_length: int, rows: int = 4, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", CountedTextarea(attrs={"rows": rows}, limit=max_length))
        super().__init__(**kwargs)
        self.limit = max_length

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_text(value) if isinstance(value, str) else value

    def validate(self, value):
        super().validate(value)
        # The label is read here, not at construction: a ModelForm sets it after the field is made.
        CountedMaxLengthValidator(self.limit, self.label)(value)


def counted_field_for(model_field, *, rows: int = 4, **kwargs) -> CountedTextField:
    """The form field for a model's TextField with a max_length, labelled as the model labels it."""
    kwargs.setdefault("label", capfirst(model_field.verbose_name))
    kwargs.setdefault("required", not model_field.blank)
    kwargs.setdefault("help_text", model_field.help_text)
    return CountedTextField(max_length=model_field.max_length, rows=rows, **kwargs)


def chinese_date(day) -> str:
    """A date as Chinese documents write it: 2026年7月22日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
