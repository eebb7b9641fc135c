"""`{{ text|character_count }}`: characters as the counter and the server count them (core/text.py)."""

from django import template

from core.text import count_characters

register = template.Library()


@register.filter
def character_count(value) -> int:
    return count_characters(str(value or ""))
