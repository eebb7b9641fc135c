"""Every stylesheet, script and font is served by the application itself: no CDN, no internet."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db
ASSET = re.compile(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', re.IGNORECASE)


def asset_urls(html: str) -> list[str]:
    return [url for url in ASSET.findall(html) if not url.startswith(("/", "#", "?"))]


@pytest.mark.parametrize("role", ["anonymous", "staff_unit", "superuser"])
def test_pages_load_nothing_from_another_host(client, tree, role_users, role):
    if role_users[role] is not None:
        client.force_login(role_users[role])
    pages = [reverse("home"), reverse("login"), reverse("password_reset")]
    if role != "anonymous":
        pages += [reverse("unit_list"), reverse("user_list"), reverse("audit:event_list"), reverse("profile")]
    if role == "superuser":
        pages += [reverse("admin:index"), reverse("admin:accounts_unionunit_changelist")]
    for page in pages:
        html = client.get(page, follow=True).content.decode()
        assert asset_urls(html) == [], page


def test_the_vendored_assets_and_their_fonts_are_present():
    for path in (
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    ):
        assert finders.find(path), path
    icons_css = Path(finders.find("vendor/bootstrap-icons/bootstrap-icons.min.css")).read_text()
    assert "http" not in re.sub(r"/\*.*?\*/", "", icons_css, flags=re.S)
