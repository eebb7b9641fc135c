"""Counted text: one definition of a character for the counter and the server, line breaks
normalised on input, and a refusal that names the field and both numbers in Chinese."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.text import CountedTextField, clean_text, count_characters, normalise_text

CRLF_TEXT = "班组简介：\r\n一、安全生产 2000 天！\r\n二、五小成果 12 项。👍\r\n"


def test_line_breaks_emoji_and_cjk_punctuation_count_as_one_each():
    assert count_characters("a\r\nb") == 3
    assert count_characters("a\rb") == 3
    assert count_characters("👍") == 1
    assert count_characters("，。！？、；：“”（）《》") == 13
    assert count_characters(CRLF_TEXT) == len(CRLF_TEXT) - 3  # three CRLF pairs count as three
    assert normalise_text(CRLF_TEXT) == CRLF_TEXT.replace("\r\n", "\n")


@given(st.text())
def test_counting_is_the_length_of_the_normalised_text(text):
    assert count_characters(text) == len(normalise_text(text))
    assert "\r" not in normalise_text(text)


def test_text_at_the_limit_with_crlf_line_breaks_is_accepted_and_stored_with_lf():
    field = CountedTextField(label="全文", max_length=2000)
    typed = "\n".join(["安全生产两千天，五小成果十二项。👍"] * 120)[:2000]  # as counted: 2000 characters
    text = typed.replace("\n", "\r\n")  # as the browser sends it
    assert count_characters(typed) == 2000 and len(text) > 2000
    cleaned = field.clean(text)
    assert "\r" not in cleaned
    assert count_characters(cleaned) == 2000


def test_over_the_limit_the_message_names_the_field_and_both_numbers_in_chinese():
    field = CountedTextField(label="全文", max_length=2000)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        field.clean("梦" * 2018)
    assert refused.value.messages == ["全文不能超过 2000 字（现为 2018 字）"]


def test_the_service_side_check_says_the_same():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        clean_text("\r\n" + "字" * 501, limit=500, label="摘要")
    assert refused.value.messages == ["摘要不能超过 500 字（现为 501 字）"]
    assert clean_text("  一\r\n二  ", limit=10) == "一\n二"


def test_the_widget_renders_a_counter_and_no_maxlength():
    html = CountedTextField(label="摘要", max_length=500).widget.render("summary", "一\r\n二", {"id": "id_summary"})
    assert 'data-counter="500"' in html
    assert "maxlength" not in html
    assert 'id="id_summary-counter"' in html


def test_djangos_own_length_message_is_worded_the_same_way():
    from django import forms

    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        forms.CharField(max_length=100).clean("班" * 101)
    assert refused.value.messages == ["不能超过 100 字（现为 101 字）。"]
