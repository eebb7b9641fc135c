"""The catalogue of the audit trail: every app declares the actions it records, with a label, and
the words for the keys of the details it records with them.

`record()` refuses an undeclared action, so the filter on the audit page always has a readable
label for every code in the table. The details table (`audit.details`) reads the key labels and
code labels declared here for whatever the target model's own fields do not name.
"""

from collections.abc import Iterable, Mapping
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import get_language

Label = Promise | str

_actions: dict[str, Label] = {}
_detail_labels: dict[str, Label] = {}
_detail_choices: dict[str, dict[str, Label]] = {}
_keyed_changes: dict[str, Label] = {}


def register_actions(actions: Mapping[str, Label]) -> None:
    for code, label in actions.items():
        if "." not in code:
            raise ValueError(f"audit action {code!r} must be namespaced as '<app>.<verb>'")
        _actions[code] = label
    _choices_in.cache_clear()


def is_registered(code: str) -> bool:
    return code in _actions


def action_label(code: str) -> str:
    return str(_actions.get(code, code))


def action_choices() -> list[tuple[str, str]]:
    """The filter's choices in the current language, translated once per language: the audit page
    asked for all of them, each label translated again, on every visit."""
    return list(_choices_in(get_language()))


@cache
def _choices_in(language: str | None) -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in _actions.items()), key=lambda c: c[0])


def register_detail_labels(labels: Mapping[str, Label]) -> None:
    """Name the keys an app records in `details` that are not fields of the event's target model.

    A key means the same thing wherever it is recorded: two apps that record "reason" mean a reason.
    """
    _detail_labels.update(labels)


def register_detail_choices(choices: Mapping[str, Iterable[tuple[str, Label]]]) -> None:
    """Name the codes recorded under a key (a ledger entry's kind, a campaign's industries), or the
    codes that are the keys of a nested map under it (the union kinds of the level deadlines)."""
    for key, pairs in choices.items():
        _detail_choices[key] = {str(code): label for code, label in pairs}


def register_keyed_changes(actions: Mapping[str, Label]) -> None:
    """Declare actions whose details are `{name: [before, after]}` without a "changes" wrapper (the
    quotas, one per unit), with the label of a row: a format with `%(key)s` for the name."""
    for code in actions:
        if "." not in code:
            raise ValueError(f"audit action {code!r} must be namespaced as '<app>.<verb>'")
    _keyed_changes.update(actions)


def detail_label(key: str) -> str | None:
    label = _detail_labels.get(key)
    return None if label is None else str(label)


def detail_choices(key: str) -> dict[str, Label]:
    return _detail_choices.get(key, {})


def keyed_changes_label(action: str) -> str | None:
    label = _keyed_changes.get(action)
    return None if label is None else str(label)
