"""Caching headers: nothing a signed-in user sees is kept by a browser or proxy; public pages are
left to their own caching, and so are views that decide for themselves."""

import pytest
from django.urls import reverse

from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_private_and_not_stored(client, tree, role_users):
    client.force_login(role_users["staff_unit"])
    for url in (reverse("home"), reverse("unit_list"), reverse("profile")):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (url, response["Cache-Control"])


def test_a_refused_page_for_a_signed_in_user_is_not_stored_either(client, tree, role_users):
    client.force_login(role_users["leader"])
    response = client.get(reverse("unit_list"))
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_visitor_on_a_public_notice_gets_no_no_store(client, tree):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    for url in (reverse("notices:detail", args=[campaign.pk]), reverse("notices:list"), reverse("home")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url
        assert "private" not in response.get("Cache-Control", ""), url


def test_a_view_that_sets_its_own_caching_keeps_it(client, tree, role_users):
    client.force_login(role_users["staff_unit"])
    favicon = client.get(reverse("favicon"))
    assert favicon["Cache-Control"] == "public, max-age=86400"
