"""Checks of uploaded files — by content, by size and, for Office files, by what they expand to —
and the form field that takes several files from one input.

Every per-file check is here, in `inspect_upload`, so that a list of files is checked file by file:
the good ones are kept and each bad one is reported by its name (`inspect_uploads`)."""

import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Detected type (by content) → a label for the list of what is accepted.
ACCEPTED_TYPES = {
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
# What a file input offers to choose; the content decides all the same.
ACCEPT_ATTRIBUTE = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.jpg,.jpeg,.png"

# docx, xlsx and pptx are ZIP archives: a small upload can expand to gigabytes in whoever opens it.
OFFICE_OPEN_XML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Real documents have tens to a few thousand parts, and their XML compresses some 5 to 30 times.
MAX_ARCHIVE_MEMBERS = 10_000
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024  # a part that expands to less than this harms no one, whatever its ratio


class InspectedUpload(NamedTuple):
    content_type: str
    sha256: str


@dataclass(frozen=True)
class RefusedUpload:
    """An uploaded file that was not taken, and why (in the reader's language, naming the file)."""

    name: str
    message: str


def describe_sizes(size: int, limit: int) -> tuple[str, str]:
    """A size and a limit as people read them, or as exact byte counts when the readable forms are
    the same (one byte over 20 MB is "20.0 MB" too)."""
    shown, allowed = filesizeformat(size), filesizeformat(limit)
    if shown == allowed:
        shown = _("%(count)s bytes") % {"count": f"{size:,}"}
        allowed = _("%(count)s bytes") % {"count": f"{limit:,}"}
    return shown, allowed


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _check_archive(upload) -> None:
    """Refuse an Office Open XML file that is not a sound ZIP or would expand beyond reason. The
    sizes come from the archive's central directory: nothing is decompressed to check them."""
    name = upload.name
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise _refuse(
            _(
                "%(name)s looks like an Office document but is damaged: it cannot be opened. "
                "Save it again and upload it."
            )
            % {"name": name},
            "damaged",
        ) from None
    finally:
        upload.seek(0)
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise _refuse(
            _("%(name)s consists of more than %(count)s parts; no ordinary Office document does. It is not accepted.")
            % {"name": name, "count": f"{MAX_ARCHIVE_MEMBERS:,}"},
            "too_many_parts",
        )
    expanded = sum(member.file_size for member in members)
    limit = settings.UPLOAD_MAX_EXPANDED_BYTES
    if expanded > limit:
        shown, allowed = describe_sizes(expanded, limit)
        raise _refuse(
            _(
                "%(name)s would take %(size)s once opened; an Office document may take at most %(limit)s. "
                "Reduce the pictures in it or split it, and upload it again."
            )
            % {"name": name, "size": shown, "limit": allowed},
            "expands_too_far",
        )
    for member in members:
        if member.file_size >= RATIO_CHECKED_FROM and member.file_size > MAX_COMPRESSION_RATIO * max(
            member.compress_size, 1
        ):
            raise _refuse(
                _(
                    "%(name)s holds a part compressed more than %(ratio)s to 1, as harmful “zip bombs” are. "
                    "It is not accepted; save the document again in Office and upload it."
                )
                % {"name": name, "ratio": MAX_COMPRESSION_RATIO},
                "compression_ratio",
            )


def inspect_upload(upload, *, limit: int) -> InspectedUpload:
    """Check one uploaded file by its content and size; return its content type and SHA-256.

    Raises ValidationError with a message that names the file: empty, over `limit`, not a PDF,
    Office document or image by its content, or an Office document that is damaged or would expand
    too far."""
    name = upload.name
    if not upload.size:
        raise _refuse(
            _("%(name)s is empty (0 bytes). Check the file on your computer and choose it again.") % {"name": name},
            "empty",
        )
    if upload.size > limit:
        shown, allowed = describe_sizes(upload.size, limit)
        raise _refuse(
            _("%(name)s is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": shown, "limit": allowed},
            "too_large",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    content_type = kind.mime if kind else ""
    if content_type not in ACCEPTED_TYPES:
        raise _refuse(
            _("%(name)s is not a PDF, Office document or image (checked by its content, not its name).")
            % {"name": name},
            "file_type",
        )
    if content_type in OFFICE_OPEN_XML:
        _check_archive(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return InspectedUpload(content_type, digest.hexdigest())


def inspect_uploads(
    uploads: Iterable, *, limit: int
) -> tuple[list[tuple[object, InspectedUpload]], list[RefusedUpload]]:
    """Check each file on its own: (the good ones with what was found, the refused ones)."""
    good, refused = [], []
    for upload in uploads:
        try:
            good.append((upload, inspect_upload(upload, limit=limit)))
        except ValidationError as error:
            refused.append(RefusedUpload(name=upload.name, message=" ".join(error.messages)))
    return good, refused


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; cleans to the list of files (empty when none was chosen).

    It does not check the files: one bad file must not cost the others, so each is checked on its
    own by `inspect_upload` where it is stored, and refused there by name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        files = [item for item in items if item]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files

    def has_changed(self, initial, data):
        return bool(data)
