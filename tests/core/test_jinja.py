"""The Jinja2 engine of the list rows (core/jinja.py) and the `{% jinja %}` tag that includes them."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, engines
from django.utils import translation
from django.utils.safestring import mark_safe

FRAGMENTS = sorted(Path(settings.BASE_DIR, "templates", "jinja2").rglob("*.html"))


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_what_a_fragment_prints_is_escaped_unless_django_marked_it_safe():
    assert render("{{ text }}", text='<script>alert("x")</script>') == (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
    )
    assert render("{{ html }}", html=mark_safe("<b>bold</b>")) == "<b>bold</b>"


def test_words_follow_the_active_language_and_values_are_filled_in_escaped():
    source = '{{ _("System") }} · {{ _("Show the details of “%(action)s”")|format(action=action) }}'
    with translation.override("zh-hans"):
        assert render(source, action="<i>") == "系统 · 展开“&lt;i&gt;”的详情"
    with translation.override("en"):
        assert render(source, action="<i>") == "System · Show the details of “&lt;i&gt;”"


def test_times_print_in_shanghai_as_in_the_django_templates():
    moment = datetime(2026, 11, 30, 9, 30, 5, tzinfo=UTC)
    assert render("{{ t|second }} {{ t|minute }} {{ t|day }}", t=moment) == (
        "2026-11-30 17:30:05 2026-11-30 17:30 2026-11-30"
    )
    assert render("[{{ nothing|minute }}]") == "[]"


def test_opinions_keep_their_line_breaks_and_links_are_django_s():
    assert render("{{ text|linebreaksbr }}", text="同意推荐\n<b>") == "同意推荐<br>&lt;b&gt;"
    assert render("{{ url('teams:detail', 42) }} {{ url('applications:list') }}") == "/teams/42/ /applications/"


def test_the_tag_puts_the_fragment_in_the_page_as_markup():
    page = Template('{% load fragments %}{% jinja "audit/event_list.html" events=events %}')
    with translation.override("en"):
        html = page.render(Context({"events": []}))
    assert "No event matches." in html
    assert "&lt;" not in html  # the fragment's markup comes out as markup, not escaped again


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_every_fragment_compiles(fragment):
    engines["jinja2"].get_template(str(fragment.relative_to(Path(settings.BASE_DIR, "templates", "jinja2"))))


def test_times_show_in_the_current_zone_asked_once_per_rendering():
    from unittest import mock

    from django.utils import timezone

    moment = datetime(2026, 11, 30, 16, 30, 5, tzinfo=UTC)
    source = "{{ t|minute }} {{ t|second }} {{ t|day }} {{ t|iso }}"
    assert render(source, t=moment) == "2026-12-01 00:30 2026-12-01 00:30:05 2026-12-01 2026-12-01T00:30:05+08:00"
    with timezone.override("UTC"):
        assert render("{{ t|minute }}", t=moment) == "2026-11-30 16:30"
    with mock.patch("django.utils.timezone.get_current_timezone", wraps=timezone.get_current_timezone) as asked:
        render("{% for t in times %}{{ t|minute }}{{ t|day }}{% endfor %}", times=[moment] * 20)
        render("{{ t|minute }}", t=moment)
    assert asked.call_count == 2  # once for each rendering
