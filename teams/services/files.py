"""Storing a team's files: checked by content and size, kept privately under their hash."""

from django.conf import settings
from django.core.files.storage import default_storage

from accounts.models import User
from core.uploads import InspectedUpload, RefusedUpload, inspect_upload, inspect_uploads

from ..models import Team
from ..models.files import team_file_path


def inspect_team_file(upload) -> InspectedUpload:
    """(content type, sha256) of an upload; ValidationError (in Chinese, naming the file) for a file
    that is empty, of the wrong type, over the per-file limit or a damaged or inflated Office file."""
    return inspect_upload(upload, limit=settings.TEAM_FILE_MAX_BYTES)


def inspect_team_files(uploads) -> tuple[list[tuple[object, InspectedUpload]], list[RefusedUpload]]:
    """Each upload checked on its own: (the good ones with what was found, the refused ones)."""
    return inspect_uploads(uploads, limit=settings.TEAM_FILE_MAX_BYTES)


def stored_file_fields(*, team: Team, upload, actor: User, inspected: InspectedUpload | None = None) -> dict:
    """Check `upload` (unless `inspected` already) and store it once per team; return the fields
    of a StoredFile row."""
    content_type, sha256 = inspected or inspect_team_file(upload)
    name = team_file_path(team.pk, sha256)
    if not default_storage.exists(name):
        saved = default_storage.save(name, upload)
        if saved != name:  # another request stored the same content a moment ago
            default_storage.delete(saved)
    return {
        "file": name,
        "original_name": upload.name[-200:],
        "content_type": content_type,
        "size": upload.size,
        "sha256": sha256,
        "uploaded_by": actor,
    }
