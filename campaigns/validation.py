"""Checks of what staff type and upload: document numbers, the notice body, attachments."""

import hashlib
import re

import filetype
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


# Detected type (by content) → a label for the list of what is accepted.
ATTACHMENT_TYPES = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}


def inspect_upload(upload, *, limit: int | None = None) -> tuple[str, str]:
    """Check an uploaded file by its content and size; return (content type, sha256)."""
    limit = settings.CAMPAIGN_ATTACHMENT_MAX_BYTES if limit is None else limit
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    content_type = kind.mime if kind else ""
    if content_type not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("%(name)s is not a PDF, Office document or image (checked by its content, not its name).")
            % {"name": upload.name},
            code="file_type",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()
