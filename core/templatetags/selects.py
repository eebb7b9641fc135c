"""A form field's <select> written in one pass over its choices.

Django's widget renders a template per option, and even walking `field.subwidgets` in a template
builds a dictionary and a bound widget per option: the audit trail's filter of some eighty actions
cost more than the fifty rows below it. `{% select_field field %}` writes the same markup
(includes/select.html) with the widget's own idea of what is selected.
"""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

EMPTY_LABEL = "---------"  # ModelChoiceField's and a blank choice's label: shown as "Choose…"


def _flat(choices):
    """The options, groups (optgroups) flattened as `field.subwidgets` flattens them."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


@register.simple_tag
def select_field(field) -> str:
    widget = field.field.widget
    selected = set(widget.format_value(field.value()))
    options = []
    for value, label in _flat(field.field.choices):
        value = "" if value is None else str(value)
        label = gettext("Choose…") if label == EMPTY_LABEL else label
        options.append(
            f'<option value="{escape(value)}"{" selected" if value in selected else ""}>{escape(label)}</option>'
        )
    return format_html(
        '<select name="{}" id="{}" class="form-select" aria-label="{}">{}</select>',
        field.html_name,
        field.auto_id,
        field.label,
        mark_safe("".join(options)),  # each part escaped above
    )
