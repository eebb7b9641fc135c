"""What screen readers announce and pointers show — aria-label, title, alt, placeholder — is in
Chinese on every page of the project, like the visible text."""

import re

import pytest
from django.urls import reverse

from tests.project.test_permission_matrix import MATRIX, world  # noqa: F401  (the fixture)

# An attribute whose whole value is English words: a label that escaped translation.
ENGLISH_LABEL = re.compile(r"""\b(aria-label|title|alt|placeholder)="([A-Za-z][A-Za-z .,'’-]*)\"""")


def english_labels(html: str) -> list[tuple[str, str]]:
    return ENGLISH_LABEL.findall(html)


def test_the_pattern_finds_english_labels_and_passes_chinese_ones():
    assert english_labels('<nav aria-label="breadcrumb">') == [("aria-label", "breadcrumb")]
    assert english_labels('<button aria-label="Close window">') == [("aria-label", "Close window")]
    assert english_labels('<nav aria-label="当前位置"><i title="3 个文件"></i><img alt="梦">') == []


@pytest.mark.parametrize("role", ["superuser", "leader"])
def test_every_page_labels_its_controls_in_chinese(client, world, role_users, role):  # noqa: F811
    client.force_login(role_users[role])
    pages = [name for name, case in sorted(MATRIX.items()) if case.method == "get" and case.expect[role] == 200]
    checked = 0
    for name in pages:
        response = client.get(MATRIX[name].url(world))
        if not response["Content-Type"].startswith("text/html"):
            continue
        assert response.status_code == 200, name
        assert english_labels(response.content.decode()) == [], name
        checked += 1
    assert checked > (20 if role == "superuser" else 8)


def test_the_public_pages_label_their_controls_in_chinese(client, world):  # noqa: F811
    for url in (reverse("home"), reverse("notices:list"), reverse("notices:detail", args=[world.published.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_labels(response.content.decode()) == [], url
