"""A form field's <select> written in one pass over its choices.

Django's widget renders a template per option, and even walking `field.subwidgets` in a template
builds a dictionary and a bound widget per option: the audit trail's filter of some eighty actions
cost more than the fifty rows below it. `{% select_field field %}` writes the same markup
(includes/select.html) with the widget's own idea of what is selected.

The options of a field whose choices are those its form declares (a filter's statuses, industries
or actions, the same on every request) are written once per language and process; a request only
marks the selected ones. Escaping and translating each label again cost a list page more than half
a millisecond for its three filters. Choices made for one form (a field's queryset, choices set in
`__init__`) are new objects each time and are written anew.
"""

from html import escape as escape_text

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()

EMPTY_LABEL = "---------"  # ModelChoiceField's and a blank choice's label: shown as "Choose…"

# (field name, id, language) -> (the choices written, their options: value, markup before and after
# " selected"). The choices are kept to be compared by identity, which also keeps them alive.
_written: dict[tuple[str, str, str | None], tuple[tuple, tuple[tuple[str, str, str], ...]]] = {}


def _flat(choices):
    """The options, groups (optgroups) flattened as `field.subwidgets` flattens them."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


def _write(choices) -> tuple[tuple[str, str, str], ...]:
    options = []
    for value, label in _flat(choices):
        value = "" if value is None else str(value)
        label = gettext("Choose…") if label == EMPTY_LABEL else label
        # html.escape is what django.utils.html.escape applies, without its check for lazy text.
        options.append((value, f'<option value="{escape_text(value)}"', f">{escape_text(str(label))}</option>"))
    return tuple(options)


def _same(these, those) -> bool:
    return len(these) == len(those) and all(a is b for a, b in zip(these, those, strict=True))


def _declared(field) -> tuple | None:
    """The field's choices when they are, object for object, those its form class declares (forms
    copy their fields, and a copy of a choice is the choice itself); None otherwise."""
    choices = field.field.choices
    declared = type(field.form).base_fields.get(field.name)
    if not isinstance(choices, list) or declared is None or not isinstance(declared.choices, list):
        return None
    if not _same(choices, declared.choices):
        return None
    return tuple(choices)


def _options(field) -> tuple[tuple[str, str, str], ...]:
    choices = _declared(field)
    if choices is None:
        return _write(field.field.choices)
    key = (field.html_name, field.auto_id, get_language())
    found = _written.get(key)
    if found is not None and _same(found[0], choices):
        return found[1]
    options = _write(choices)
    _written[key] = (choices, options)
    return options


@register.simple_tag
def select_field(field) -> str:
    selected = set(field.field.widget.format_value(field.value()))
    options = "".join(
        f"{before} selected{after}" if value in selected else before + after for value, before, after in _options(field)
    )
    return format_html(
        '<select name="{}" id="{}" class="form-select" aria-label="{}">{}</select>',
        field.html_name,
        field.auto_id,
        field.label,
        mark_safe(options),  # each part escaped in _write
    )
