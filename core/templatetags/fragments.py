"""`{% jinja "audit/event_list.html" events=page_obj %}`: a fragment of the Jinja2 engine (core/jinja.py)
rendered in place, with the named values as its whole context (it sees nothing else of the page)."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def jinja(template_name: str, **context) -> str:
    # Jinja2 escaped what it printed (autoescape is on); the result is markup.
    return mark_safe(get_template(template_name, using="jinja2").render(context))
