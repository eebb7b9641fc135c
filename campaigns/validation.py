"""Checks of what staff type: document numbers and the notice body. Uploads are checked in
`core.uploads`."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.richtext import sanitise_html

# 陕工发〔2026〕12号: an issuer's abbreviation, the year in 〔〕, a serial number and 号.
DOCUMENT_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}〔(19|20)\d{2}〕[1-9]\d{0,3}号$")
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "（": "〔", "）": "〕", "(": "〔", ")": "〕"})


def normalise_document_number(value: str) -> str:
    """Accept the brackets people actually type, store the official 〔〕."""
    return re.sub(r"\s+", "", value).translate(_BRACKETS)


def validate_document_number(value: str) -> None:
    if not DOCUMENT_NUMBER.match(value):
        raise ValidationError(
            _("Enter the document number in the official form, e.g. 陕工发〔2026〕12号."), code="document_number"
        )


ALLOWED_TAGS = {
    "p", "br", "div", "span", "strong", "b", "em", "i", "u", "s", "del", "h1", "h2", "h3", "h4",
    "ul", "ol", "li", "blockquote", "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def sanitise_body(html: str) -> str:
    """Keep formatting, drop scripts, event handlers, styles and anything else that could run."""
    return sanitise_html(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)
