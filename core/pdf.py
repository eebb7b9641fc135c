"""PDFs from HTML templates (WeasyPrint), and a clear page instead of an error when the server lacks
the system libraries WeasyPrint needs."""

import functools
import logging
import mimetypes
import shutil
import subprocess
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)

# What a Debian server needs for PDFs with Chinese text: Pango lays the text out, Noto CJK has the glyphs.
SYSTEM_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-noto-cjk")


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here, most often because Pango is not installed."""


@functools.cache
def cjk_font_installed() -> bool:
    """Whether fontconfig knows a font with Chinese glyphs. Without one WeasyPrint raises nothing and
    prints empty boxes, so it is asked once per process (a restart picks up a newly installed font)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False)
    return bool(listed.stdout.strip())


def _weasyprint_html():
    # Imported on use: WeasyPrint loads Pango when imported and raises OSError when it is missing,
    # which must not stop the rest of the site from starting.
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    if not cjk_font_installed():
        raise PdfUnavailable("no font with Chinese glyphs (fc-list :lang=zh lists none)")
    return HTML


def static_only_fetcher(url: str) -> dict:
    """A PDF never reaches the network: files under STATIC_URL are read from disk, anything else
    (an address in a notice's text, say) is refused and left out."""
    path = unquote(urlsplit(url).path)
    static_prefix = urlsplit(settings.STATIC_URL).path
    if not path.startswith(static_prefix):
        raise ValueError(f"PDFs load static files only, not {url}")
    relative = path[len(static_prefix) :]
    found = finders.find(relative) if ".." not in relative.split("/") else None
    if not found:
        raise ValueError(f"No static file {relative}")
    with open(found, "rb") as handle:
        return {"string": handle.read(), "mime_type": mimetypes.guess_type(found)[0], "redirected_url": url}


def pdf_bytes(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """The template rendered with `for_pdf` set, as the bytes of a PDF: for a response, or for a task
    that has no request (links are then resolved against a placeholder host; only static files are
    fetched, by path). Raises PdfUnavailable when WeasyPrint cannot run here."""
    html = render_to_string(template_name, {**context, "for_pdf": True}, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else "http://localhost/"
    try:
        document = _weasyprint_html()(string=html, base_url=base_url, url_fetcher=static_only_fetcher)
        return document.write_pdf()
    except OSError as error:
        raise PdfUnavailable(str(error)) from error


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """PDF bytes as an inline PDF named `filename`."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
    return response


def pdf_unavailable_response(
    request: HttpRequest, error: PdfUnavailable, *, what: str, print_url: str = ""
) -> HttpResponse:
    """The 503 page that says what the server lacks and points to `print_url`, the page to print from
    the browser meanwhile."""
    logger.error("PDF %s could not be made: %s", what, error)
    return render(
        request,
        "core/pdf_unavailable.html",
        {"packages": " ".join(SYSTEM_PACKAGES), "print_url": print_url},
        status=503,
    )


def render_pdf(
    request: HttpRequest, template_name: str, context: dict, *, filename: str, print_url: str = ""
) -> HttpResponse:
    """The template rendered with `for_pdf` set, as an inline PDF named `filename`. When WeasyPrint
    cannot run, a 503 page says what the server lacks and points to `print_url`, the page to print
    from the browser meanwhile."""
    try:
        pdf = pdf_bytes(template_name, context, request=request)
    except PdfUnavailable as error:
        return pdf_unavailable_response(request, error, what=template_name, print_url=print_url)
    return pdf_response(pdf, filename=filename)
