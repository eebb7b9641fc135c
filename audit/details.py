"""An audit event's details as a small table that staff and auditors can read.

Services record `details` in a few shapes: `{"changes": {field: [before, after]}}` (a nested map
for changes per level), `{"from": state, "to": state}` for a transition, plain values
(`{"reason": ...}`, `{"team": ..., "files": [{"name", "sha256"}, ...]}`) and, for actions declared
with `register_keyed_changes`, `{name: [before, after]}`. This module turns any of them into rows:
(label, value) for plain values, (label, before, after) for changes.

A key is named by the verbose name of the target model's field of that name, otherwise by the label
its app registered (`audit.registry`), otherwise by the key itself: an old event whose keys no one
declares any more still reads. Codes show with their choices' labels, times in the current time
zone (Asia/Shanghai), whatever offset they were recorded with — including the `str(datetime)` that
older events hold.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .registry import detail_choices, detail_label, keyed_changes_label

EMPTY = "—"
LONG_TEXT = 200  # characters; longer texts (a notice body, a long reason) show their beginning
HASH_SHOWN = 12  # hexadecimal digits of a SHA-256 that identify a file to a reader
TEXT_NOT_RECORDED = "…"  # what a service records for a text that changed but is too long to keep twice

_AWARE_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)")


@dataclass(frozen=True)
class DetailRow:
    label: str
    value: str = ""
    before: str = ""
    after: str = ""
    is_change: bool = False


@dataclass
class DetailTable:
    """Plain values first (项目 | 内容), then changes (字段 | 修改前 | 修改后)."""

    values: list[DetailRow] = field(default_factory=list)
    changes: list[DetailRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.values or self.changes)

    def __len__(self) -> int:
        return len(self.values) + len(self.changes)

    def as_html(self) -> str:
        """The table as HTML, written here rather than by a template included per event: an audit
        page shows fifty of them, and a template include for each was most of the page's time."""
        parts = []
        if self.values:
            parts.append(_TABLE_START)
            parts.append(format_html(_HEAD, _("Item"), _("Content")))
            for row in self.values:
                parts.append(format_html(_VALUE_ROW, row.label, row.value))
            parts.append(_TABLE_END)
        if self.changes:
            parts.append(_TABLE_START)
            parts.append(format_html(_CHANGE_HEAD, _("Field"), _("Before"), _("After")))
            for row in self.changes:
                if row.value:
                    parts.append(format_html(_VALUE_ROW.replace("<td>", '<td colspan="2">'), row.label, row.value))
                else:
                    parts.append(format_html(_CHANGE_ROW, row.label, row.before, row.after))
            parts.append(_TABLE_END)
        return mark_safe("".join(parts))


_TABLE_START = '<table class="table table-sm table-bordered audit-details mb-2">'
_TABLE_END = "</tbody></table>"
_HEAD = '<thead class="table-light"><tr><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>'
_CHANGE_HEAD = (
    '<thead class="table-light"><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr>'
    "</thead><tbody>"
)
_VALUE_ROW = '<tr><th scope="row" class="fw-normal text-secondary">{}</th><td>{}</td></tr>'
_CHANGE_ROW = '<tr><th scope="row" class="fw-normal text-secondary">{}</th><td>{}</td><td>{}</td></tr>'


def detail_table(*, action: str, target_type: str, details: Any) -> DetailTable:
    return _Renderer(action=action, model=_model(target_type)).table(details)


def format_audit_time(value: str) -> str | None:
    """An ISO 8601 date-time with an offset (or `str()` of an aware datetime) as local "Y-m-d H:M";
    None when `value` is not one."""
    if not _AWARE_DATETIME.fullmatch(value):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _model(target_type: str) -> type[models.Model] | None:
    if not target_type:
        return None
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None  # an event about a model that no longer exists


class _Renderer:
    def __init__(self, *, action: str, model: type[models.Model] | None):
        self.action = action
        self.model = model

    # --- shapes ------------------------------------------------------------------------------

    def table(self, details: Any) -> DetailTable:
        table = DetailTable()
        if details in (None, {}, []):
            return table
        if not isinstance(details, Mapping):
            table.values.append(DetailRow(label=_("Details"), value=self.format(None, details)))
            return table
        keyed = keyed_changes_label(self.action)
        if keyed is not None:
            for key, change in details.items():
                table.changes.append(self.change_row(keyed % {"key": key}, None, change))
            return table
        rest = dict(details)
        status = self.status_field()
        if status is not None and self.is_state(status, rest.get("from")) and self.is_state(status, rest.get("to")):
            table.changes.append(self.change_row(self.label("status"), "status", [rest.pop("from"), rest.pop("to")]))
        for key, value in rest.items():
            if key == "changes" and isinstance(value, Mapping):
                for name, change in value.items():
                    table.changes.extend(self.change_rows(name, change))
            elif isinstance(value, Mapping) and value:
                table.values.extend(
                    DetailRow(label=self.nested_label(key, child), value=self.format(None, nested))
                    for child, nested in value.items()
                )
            else:
                table.values.append(DetailRow(label=self.label(key), value=self.format(key, value)))
        return table

    def change_rows(self, key: str, change: Any) -> list[DetailRow]:
        if isinstance(change, Mapping):  # e.g. the level deadlines: {union kind: [before, after]}
            return [self.change_row(self.nested_label(key, child), None, pair) for child, pair in change.items()]
        return [self.change_row(self.label(key), key, change)]

    def change_row(self, label: str, key: str | None, change: Any) -> DetailRow:
        if isinstance(change, list | tuple) and len(change) == 2:
            before, after = (self.format(key, _from_str(value)) for value in change)
            return DetailRow(label=label, before=before, after=after, is_change=True)
        if change == TEXT_NOT_RECORDED:
            return DetailRow(label=label, value=_("Changed (the text is not kept in the trail)"), is_change=True)
        return DetailRow(label=label, value=self.format(key, change), is_change=True)

    # --- labels ------------------------------------------------------------------------------

    def field(self, name: str | None) -> models.Field | None:
        if self.model is None or not name:
            return None
        try:
            found = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return found if isinstance(found, models.Field) else None  # not a reverse relation

    def label(self, key: str) -> str:
        model_field = self.field(key)
        if model_field is not None:
            return capfirst(str(model_field.verbose_name))
        registered = detail_label(key)
        return capfirst(registered) if registered else key  # an undeclared key reads as recorded

    def nested_label(self, key: str, child: str) -> str:
        child_label = detail_choices(key).get(child) or detail_label(child) or child
        return _("%(field)s (%(part)s)") % {"field": self.label(key), "part": child_label}

    def status_field(self) -> models.Field | None:
        status = self.field("status")
        return status if status is not None and status.choices else None

    @staticmethod
    def is_state(status: models.Field, value: Any) -> bool:
        return isinstance(value, str) and value in {str(code) for code, _label in status.flatchoices}

    def choices(self, key: str | None) -> dict[str, Any]:
        model_field = self.field(key)
        if model_field is not None and model_field.choices:
            return {str(code): label for code, label in model_field.flatchoices}
        return detail_choices(key) if key else {}

    # --- values ------------------------------------------------------------------------------

    def format(self, key: str | None, value: Any) -> str:
        model_field = self.field(key)
        if isinstance(model_field, models.BooleanField) and value in ("True", "False"):
            value = value == "True"  # recorded with str() by older versions
        if value is None or value == "" or value == []:
            return EMPTY
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if key == "size" and isinstance(value, int):
            return filesizeformat(value)
        if key == "sha256" and isinstance(value, str):
            return _short_hash(value)
        if key == "fields" and isinstance(value, list):
            return "、".join(self.label(str(name)) for name in value)
        if isinstance(value, list | tuple):
            return "、".join(self.format_item(key, item) for item in value)
        if isinstance(value, Mapping):
            return "；".join(f"{self.nested_label_plain(key, k)}：{self.format(None, v)}" for k, v in value.items())
        if isinstance(value, int | float | Decimal):
            return str(value)
        text = str(value)
        label = self.choices(key).get(text)
        if label is not None:
            return str(label)
        return format_audit_time(text) or _shortened(text)

    def format_item(self, key: str | None, item: Any) -> str:
        if isinstance(item, Mapping) and "name" in item:  # a file: {"name", "sha256", ...}
            if item.get("sha256"):
                return _("%(name)s (%(sha256)s)") % {
                    "name": item["name"],
                    "sha256": _short_hash(str(item["sha256"])),
                }
            return str(item["name"])
        return self.format(key, item)

    def nested_label_plain(self, key: str | None, child: str) -> str:
        return str((detail_choices(key).get(child) if key else None) or detail_label(child) or child)


def _from_str(value: Any) -> Any:
    # Older versions recorded the two sides of a change with str(), which wrote None as "None".
    return None if value == "None" else value


def _short_hash(value: str) -> str:
    return value if len(value) <= HASH_SHOWN else f"{value[:HASH_SHOWN]}…"


def _shortened(text: str) -> str:
    if len(text) <= LONG_TEXT:
        return text
    return _("%(beginning)s… (%(count)s characters in all)") % {"beginning": text[:LONG_TEXT], "count": len(text)}
