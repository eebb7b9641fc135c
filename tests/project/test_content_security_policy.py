"""The Content-Security-Policy: same origin only, no inline script and no eval, on every response;
and the templates keep to it (the browser tests show the pages still work under it)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_campaign

pytestmark = pytest.mark.django_db

EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'", "'unsafe-inline'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy(response) -> dict[str, set[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def test_public_pages_redirects_and_errors_carry_the_policy(client, tree):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    for url, status in [
        (reverse("home"), 200),
        (reverse("notices:detail", args=[campaign.pk]), 200),
        (reverse("login"), 200),
        (reverse("unit_list"), 302),
        (reverse("favicon"), 302),
        ("/no-such-page/", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert policy(response) == EXPECTED, url


def test_signed_in_pages_refusals_and_downloads_carry_the_policy(client, tree, role_users):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    client.force_login(role_users["staff_unit"])
    for url, status in [
        (reverse("campaigns:edit", args=[campaign.pk]), 200),
        (reverse("campaigns:quotas", args=[campaign.pk]), 200),
        (reverse("applications:list"), 200),
        (reverse("teams:export"), 200),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert policy(response) == EXPECTED, url
    client.force_login(role_users["leader"])
    response = client.get(reverse("unit_list"))
    assert response.status_code == 403
    assert policy(response) == EXPECTED


def test_the_page_tells_htmx_to_evaluate_nothing_and_inject_no_style(client):
    html = client.get(reverse("home")).content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>""" in html


# --- The templates: what the policy would block must not be written in the first place. ----------

TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
HTMX_EVAL = re.compile(r"""\b(?:hx|data-hx)-(?:on\b|on:|on-|vars\b)|\bjs:|hx-trigger="[^"]*\[""", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_no_template_carries_inline_script(template):
    text = template.read_text()
    for attributes in SCRIPT_TAG.findall(text):
        assert "src=" in attributes, f"inline <script> in {template}"
    assert not EVENT_HANDLER.search(text), f"inline event handler in {template}"
    assert "javascript:" not in text.lower(), f"javascript: URL in {template}"
    assert not HTMX_EVAL.search(text), f"htmx attribute that needs eval in {template}"
