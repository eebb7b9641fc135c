"""The one way PDFs are made: a 503 page in Chinese, never a 500, when the server lacks what
WeasyPrint needs, and no fetching from the network while a PDF is made."""

import builtins
import functools
import sys

import pytest
from django.urls import reverse

from core.pdf import cjk_font_installed, static_only_fetcher
from teams.services import application_start
from tests.factories import make_campaign, make_team

pytestmark = pytest.mark.django_db

INSTALL = "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"


def pango_missing_at_import(monkeypatch):
    """What importing WeasyPrint does on a server without Pango."""
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def weasyprint_not_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)


def pango_fails_while_rendering(monkeypatch):
    import weasyprint

    def write_pdf(self, *args, **kwargs):
        raise OSError("cannot load library 'libpangoft2-1.0-0'")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_pdf)


def no_chinese_font(monkeypatch):
    """fontconfig knows no font with Chinese glyphs: WeasyPrint itself would print empty boxes."""
    monkeypatch.setattr("core.pdf.shutil.which", lambda name: "/bin/true" if name == "fc-list" else None)
    cjk_font_installed.cache_clear()
    monkeypatch.setattr("core.pdf.cjk_font_installed", functools.cache(cjk_font_installed.__wrapped__))


@pytest.fixture
def documents(client, tree, role_users):
    """(PDF address, print page address) of a public notice and of an application its leader reads."""
    campaign = make_campaign(organiser=tree.province, publish=True, scope_unit=tree.province)
    team = make_team(leader=role_users["leader"], union=tree.grassroots_a1)
    application = application_start(actor=role_users["leader"], team=team, campaign=campaign)
    client.force_login(role_users["leader"])
    return {
        "notice": (reverse("notices:pdf", args=[campaign.pk]), reverse("notices:detail", args=[campaign.pk])),
        "application": (
            reverse("applications:pdf", args=[application.pk]),
            reverse("applications:print", args=[application.pk]),
        ),
    }


@pytest.mark.parametrize("document", ["notice", "application"])
@pytest.mark.parametrize(
    "failure", [pango_missing_at_import, weasyprint_not_installed, pango_fails_while_rendering, no_chinese_font]
)
def test_without_pango_the_pdf_views_explain_what_to_install(client, documents, monkeypatch, caplog, document, failure):
    pdf_url, print_url = documents[document]
    failure(monkeypatch)
    response = client.get(pdf_url)
    assert response.status_code == 503 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "本服务器暂时无法生成 PDF" in page and INSTALL in page
    assert f'href="{print_url}"' in page and "打印页面" in page
    assert any("PDF" in record.getMessage() and record.levelname == "ERROR" for record in caplog.records)


@pytest.mark.parametrize("document", ["notice", "application"])
def test_with_pango_the_same_views_answer_with_the_pdf(client, documents, document):
    response = client.get(documents[document][0])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response["Content-Disposition"].startswith("inline")


def test_a_pdf_reads_static_files_from_disk_and_nothing_from_the_network():
    fetched = static_only_fetcher("http://testserver/static/js/app.js")
    assert b"window.print" in fetched["string"] and fetched["mime_type"] == "text/javascript"
    for refused in (
        "http://10.0.0.1/internal.png",
        "https://example.org/static/js/app.js".replace("/static/", "/media/"),
        "http://testserver/static/../mengtao/settings.py",
        "http://testserver/static/no-such-file.png",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            static_only_fetcher(refused)


def test_this_machine_has_a_chinese_font():
    cjk_font_installed.cache_clear()
    assert cjk_font_installed()
