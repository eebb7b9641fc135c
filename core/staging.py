"""Uploads kept across a failing submit. A browser cannot refill a file input, so when a form with
file fields fails, each uploaded file that passes the content check is kept in private staging
(`staging/` in the default storage, which nothing serves) and the form carries a signed token per
kept file. On the next submit the tokens bring the files back as uploads, bound to the same user
and for a limited time; the housekeeping task deletes staged files older than that."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import ngettext

from .uploads import RefusedUpload, inspect_uploads

STAGING_DIR = "staging"
_SALT = "core.staging"


class StagedUploadRefused(Exception):
    """A token that does not bring back a file: forged, another user's, too old, or its file is gone."""


@dataclass(frozen=True)
class StagedFile:
    """What a token says: where the kept file lies and what it was called when uploaded."""

    path: str
    name: str
    size: int
    content_type: str


class StagedUpload(UploadedFile):
    """A kept file, read like a fresh upload by whatever stores it; it opens on first read."""

    def __init__(self, staged: StagedFile, token: str):
        self.staged = staged
        self.token = token
        self._opened = None
        super().__init__(file=None, name=staged.name, content_type=staged.content_type, size=staged.size)

    @property
    def file(self):
        if self._opened is None:
            self._opened = default_storage.open(self.staged.path, "rb")
        return self._opened

    @file.setter
    def file(self, value):
        self._opened = value

    def discard(self) -> None:
        """Delete the staged copy: the file is stored where it belongs now, or it is not wanted."""
        if self._opened is not None:
            self._opened.close()
        default_storage.delete(self.staged.path)


def _salt(user) -> str:
    # Bound to the user twice: the salt (another user's token fails the signature) and the payload.
    return f"{_SALT}:{user.pk}"


def max_age() -> timedelta:
    return timedelta(seconds=settings.UPLOAD_STAGING_MAX_AGE_SECONDS)


def stage_upload(upload, *, user, content_type: str) -> StagedUpload:
    """Keep `upload` for `user`'s next submit; the result carries the token for the form."""
    upload.seek(0)
    path = default_storage.save(f"{STAGING_DIR}/{uuid.uuid4().hex}", upload)
    upload.seek(0)
    staged = StagedFile(path=path, name=upload.name, size=upload.size, content_type=content_type)
    token = signing.dumps(
        {"u": user.pk, "p": staged.path, "n": staged.name, "s": staged.size, "t": staged.content_type},
        salt=_salt(user),
        compress=True,
    )
    return StagedUpload(staged, token)


def restore_upload(token: str, *, user) -> StagedUpload:
    """The kept file a token names, for the user it was given to, while it is young enough."""
    try:
        payload = signing.loads(token, salt=_salt(user), max_age=max_age())
    except signing.BadSignature:  # forged, another user's, or expired
        raise StagedUploadRefused from None
    path = payload.get("p", "")
    if (
        payload.get("u") != user.pk
        or not path.startswith(f"{STAGING_DIR}/")
        or ".." in path
        or not default_storage.exists(path)
    ):
        raise StagedUploadRefused
    staged = StagedFile(path=path, name=payload["n"], size=payload["s"], content_type=payload["t"])
    return StagedUpload(staged, token)


def staging_delete_stale(*, now: datetime | None = None) -> int:
    """Delete the staged files older than a token lives; how many went."""
    cutoff = (now or timezone.now()) - max_age()
    if not default_storage.exists(STAGING_DIR):
        return 0
    deleted = 0
    _dirs, names = default_storage.listdir(STAGING_DIR)
    for name in names:
        path = f"{STAGING_DIR}/{name}"
        try:
            stale = default_storage.get_modified_time(path) < cutoff
        except FileNotFoundError:  # saved with its entry, or let go, a moment ago
            continue
        if stale:
            default_storage.delete(path)
            deleted += 1
    return deleted


class KeepsUploads:
    """A form mixin: the files of a failing submit come back on the next one.

    The form is built with `user=`. On a bound form the files kept from earlier submits (and not
    dropped by the reader) join the new ones, first, so each file field cleans to them as if they
    had been sent again. When the submit fails, the view calls `keep_uploads()`: the new files that
    pass the content check (at most `upload_limit` bytes each) are staged, those that do not are
    listed in `refused_uploads` by name. When it succeeds, `uploads_saved()` deletes the staged
    copies. The template renders `kept[name]` with one hidden `<field>-kept` input per token and a
    `<field>-drop` choice that lets a file go."""

    upload_limit: int

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_owner = user
        self.kept: dict[str, list[StagedUpload]] = {name: [] for name in self.upload_field_names}
        self.refused_uploads: dict[str, list[RefusedUpload]] = {name: [] for name in self.upload_field_names}
        self._lost: dict[str, int] = {}
        self._staged = False
        if self.is_bound:
            self.files = self.files.copy()
            for name in self.upload_field_names:
                self._restore(name)

    @property
    def upload_field_names(self) -> list[str]:
        return [name for name, field in self.fields.items() if isinstance(field, forms.FileField)]

    def _restore(self, name: str) -> None:
        html_name = self.add_prefix(name)
        dropped = set(self.data.getlist(f"{html_name}-drop"))
        for token in dict.fromkeys(self.data.getlist(f"{html_name}-kept")):
            try:
                upload = restore_upload(token, user=self.upload_owner)
            except StagedUploadRefused:
                if token not in dropped:
                    self._lost[name] = self._lost.get(name, 0) + 1
                continue
            if token in dropped:
                upload.discard()
            else:
                self.kept[name].append(upload)
        if self.kept[name]:
            # Kept files first: a single-file field takes the last one, so a new choice wins.
            self.files.setlist(html_name, [*self.kept[name], *self.files.getlist(html_name)])

    def full_clean(self):
        super().full_clean()
        for name, count in self._lost.items():
            self.add_error(
                name,
                ngettext(
                    "%(count)s file kept from your last attempt could not be brought back: it is too old or "
                    "not yours. Choose it again.",
                    "%(count)s files kept from your last attempt could not be brought back: they are too old "
                    "or not yours. Choose them again.",
                    count,
                )
                % {"count": count},
            )

    def keep_uploads(self) -> None:
        """After a failed submit: stage the new files that pass the content check, list the others."""
        if self._staged or not self.is_bound:
            return
        self._staged = True
        for name in self.upload_field_names:
            new = [f for f in self.files.getlist(self.add_prefix(name)) if f and not isinstance(f, StagedUpload)]
            good, refused = inspect_uploads(new, limit=self.upload_limit)
            self.refused_uploads[name].extend(refused)
            if good and not getattr(self.fields[name].widget, "allow_multiple_selected", False):
                # A single-file field keeps only the latest choice.
                for upload in self.kept[name]:
                    upload.discard()
                self.kept[name].clear()
                good = good[-1:]
            for upload, inspected in good:
                self.kept[name].append(
                    stage_upload(upload, user=self.upload_owner, content_type=inspected.content_type)
                )

    def uploads_saved(self) -> None:
        """After a successful submit: the kept files are stored with the rest; drop the staged copies."""
        for kept in self.kept.values():
            for upload in kept:
                upload.discard()
            kept.clear()
