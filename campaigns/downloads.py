"""Sending private files: through Django here, handed to nginx (X-Accel-Redirect) in production."""

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def private_file_response(field_file, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    disposition = content_disposition_header(as_attachment=not inline, filename=filename)
    prefix = settings.PRIVATE_FILES_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{field_file.name}"
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
