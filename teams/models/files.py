"""What every stored file of a team has: content-addressed, private, described by its hash."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def team_file_path(team_id: int, sha256: str) -> str:
    # The stored name is the hash: no user-supplied name reaches the file system, a file uploaded
    # twice is stored once, and a stored file never changes under a snapshot that names its hash.
    return f"teams/{team_id}/{sha256}"


class StoredFile(models.Model):
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def as_snapshot(self) -> dict:
        return {
            "name": self.original_name,
            "sha256": self.sha256,
            "size": self.size,
            "content_type": self.content_type,
            "stored": self.file.name,
        }
