"""Uploads kept across a failing submit: staged privately, brought back only by a signed token of
the same user while it is young, and deleted by housekeeping when stale."""

import json
import os
import time
from datetime import timedelta
from unittest import mock

import pytest
from django import forms
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from core.staging import (
    KeepsUploads,
    StagedUploadRefused,
    restore_upload,
    stage_upload,
    staging_delete_stale,
)
from core.uploads import MultipleFileField
from tests.factories import EXE_BYTES, PDF_BYTES, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory()


def staged_pdf(owner, name="照片.pdf", content=PDF_BYTES):
    return stage_upload(SimpleUploadedFile(name, content), user=owner, content_type="application/pdf")


def test_a_staged_file_comes_back_for_its_owner_as_an_upload(owner):
    staged = staged_pdf(owner)
    assert staged.staged.path.startswith("staging/") and default_storage.exists(staged.staged.path)
    restored = restore_upload(staged.token, user=owner)
    assert (restored.name, restored.size, restored.content_type) == ("照片.pdf", len(PDF_BYTES), "application/pdf")
    assert b"".join(restored.chunks()) == PDF_BYTES
    restored.discard()
    assert not default_storage.exists(staged.staged.path)


def test_another_users_token_is_refused(owner):
    staged = staged_pdf(owner)
    with pytest.raises(StagedUploadRefused):
        restore_upload(staged.token, user=UserFactory())


def test_a_forged_token_is_refused(owner):
    staged = staged_pdf(owner)
    theirs = staged_pdf(UserFactory(), name="别人的.pdf")
    # The payload rewritten to point at another user's staged file, the genuine signature kept.
    _payload, stamp_and_signature = staged.token.split(":", 1)
    rewritten = {"u": owner.pk, "p": theirs.staged.path, "n": "x.pdf", "s": 1, "t": "application/pdf"}
    forged = signing.b64_encode(json.dumps(rewritten).encode()).decode() + ":" + stamp_and_signature
    for token in [forged, staged.token[:-2] + "xx", "", "garbage"]:
        with pytest.raises(StagedUploadRefused):
            restore_upload(token, user=owner)
    assert restore_upload(staged.token, user=owner).name == "照片.pdf"  # the genuine one still works


def test_a_token_older_than_a_day_is_refused(owner):
    staged = staged_pdf(owner)
    later = time.time() + 24 * 60 * 60 + 1
    with mock.patch("django.core.signing.time.time", return_value=later), pytest.raises(StagedUploadRefused):
        restore_upload(staged.token, user=owner)


def test_a_token_whose_file_is_gone_is_refused(owner):
    staged = staged_pdf(owner)
    default_storage.delete(staged.staged.path)
    with pytest.raises(StagedUploadRefused):
        restore_upload(staged.token, user=owner)


def test_stale_staged_files_are_deleted_and_fresh_ones_kept(owner):
    old, fresh = staged_pdf(owner, "旧.pdf"), staged_pdf(owner, "新.pdf", PDF_BYTES + b"%2")
    day_ago = (timezone.now() - timedelta(days=1, minutes=1)).timestamp()
    os.utime(default_storage.path(old.staged.path), (day_ago, day_ago))
    assert staging_delete_stale() == 1
    assert not default_storage.exists(old.staged.path) and default_storage.exists(fresh.staged.path)
    assert staging_delete_stale() == 0


# --- The form mixin ---------------------------------------------------------------------------


class EntryForm(KeepsUploads, forms.Form):
    title = forms.CharField()
    files = MultipleFileField(required=False)
    upload_limit = 1024 * 1024


class NoticeForm(KeepsUploads, forms.Form):
    title = forms.CharField()
    file = forms.FileField(allow_empty_file=True)
    upload_limit = 1024 * 1024


def post(data: dict, files: dict | None = None):
    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()}), MultiValueDict(
        {k: v if isinstance(v, list) else [v] for k, v in (files or {}).items()}
    )


def test_a_failing_form_keeps_its_good_files_and_names_the_bad_ones(owner):
    data, files = post(
        {"title": ""}, {"files": [SimpleUploadedFile("好.pdf", PDF_BYTES), SimpleUploadedFile("坏.pdf", EXE_BYTES)]}
    )
    form = EntryForm(data, files, user=owner)
    assert not form.is_valid()
    form.keep_uploads()
    assert [f.name for f in form.kept["files"]] == ["好.pdf"]
    assert [f.name for f in form.refused_uploads["files"]] == ["坏.pdf"]

    # The next submit sends the token back, with one more file: both come to the field.
    data, files = post(
        {"title": "培训", "files-kept": form.kept["files"][0].token},
        {"files": [SimpleUploadedFile("又一个.pdf", PDF_BYTES + b"%2")]},
    )
    again = EntryForm(data, files, user=owner)
    assert again.is_valid(), again.errors
    assert [f.name for f in again.cleaned_data["files"]] == ["好.pdf", "又一个.pdf"]
    assert b"".join(again.cleaned_data["files"][0].chunks()) == PDF_BYTES
    path = again.kept["files"][0].staged.path
    again.uploads_saved()
    assert not default_storage.exists(path)


def test_a_dropped_file_is_not_brought_back_and_its_staged_copy_goes(owner):
    staged = staged_pdf(owner)
    data, files = post({"title": "培训", "files-kept": staged.token, "files-drop": staged.token})
    form = EntryForm(data, files, user=owner)
    assert form.is_valid() and form.cleaned_data["files"] == []
    assert not default_storage.exists(staged.staged.path)


def test_a_token_of_another_user_fails_the_form_beside_the_field(owner):
    theirs = staged_pdf(UserFactory(), name="别人的.pdf")
    data, files = post({"title": "培训", "files-kept": [theirs.token, "forged"]})
    form = EntryForm(data, files, user=owner)
    assert not form.is_valid()
    assert form.errors["files"] == ["您上次选择的 2 个文件已无法恢复：已超过保留期限或不属于您。请重新选择。"]
    assert form.kept["files"] == [] and default_storage.exists(theirs.staged.path)


def test_a_single_file_field_takes_the_kept_file_until_a_new_one_is_chosen(owner):
    data, files = post({"title": ""}, {"file": SimpleUploadedFile("通知.pdf", PDF_BYTES)})
    form = NoticeForm(data, files, user=owner)
    assert not form.is_valid()
    form.keep_uploads()
    [first] = form.kept["file"]
    form = NoticeForm(*post({"title": "通知", "file-kept": first.token}), user=owner)
    assert form.is_valid() and form.cleaned_data["file"].name == "通知.pdf"
    data, files = post(
        {"title": "", "file-kept": first.token}, {"file": SimpleUploadedFile("新.pdf", PDF_BYTES + b"%")}
    )
    form = NoticeForm(data, files, user=owner)
    assert not form.is_valid()
    form.keep_uploads()
    assert [f.name for f in form.kept["file"]] == ["新.pdf"]
    assert not default_storage.exists(first.staged.path)
