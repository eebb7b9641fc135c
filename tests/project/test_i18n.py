"""Simplified Chinese is the default and complete; English works too; times show in Asia/Shanghai."""

import shutil
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from audit.services import record

ROOT = Path(settings.BASE_DIR)
SKIP = shutil.ignore_patterns(".venv", "var", ".git", "test-artifacts", "node_modules", "__pycache__", "*.mo")


def test_the_zh_hans_catalogue_translates_every_string_in_the_code(tmp_path):
    """Extract the strings afresh from a copy of the tree: a new untranslated string fails here."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "zh_Hans",
            "--ignore",
            "tests",
            "--ignore",
            "static",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "mengtao.settings"},
    )
    catalogue = polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"strings without a Chinese translation: {untranslated}"
    assert not fuzzy, f"fuzzy translations to check: {fuzzy}"
    committed = polib.pofile(str(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"))
    extracted = {(entry.msgctxt, entry.msgid) for entry in catalogue}
    shipped = {(entry.msgctxt, entry.msgid) for entry in committed if not entry.obsolete}
    assert extracted == shipped, "the committed catalogue is stale: run `make messages`"


@pytest.mark.django_db
def test_chinese_is_the_default_and_english_is_one_click_away(client):
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "梦桃式班组创建管理" in page
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Mengtao-style Team Campaigns" in page


def test_django_filter_speaks_chinese():
    """django-filter ships zh_CN only; its catalogue is carried as zh_Hans under locale_vendor/."""
    with translation.override("zh-hans"):
        assert translation.gettext("Range query expects two values.") == "范围查询需要两个值。"


def test_times_are_shown_in_shanghai():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ
    assert str(timezone.get_current_timezone()) == "Asia/Shanghai"


@pytest.mark.django_db
def test_an_event_time_renders_in_beijing_time(client, tree, role_users):
    event = record(actor=None, action="accounts.logout", unit=tree.city_a)
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("audit:event_list")).content.decode()
    utc_text = event.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    local_text = timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S")
    assert local_text in page and utc_text not in page
