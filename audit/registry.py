"""The catalogue of audit actions: every app declares the actions it records, with a label.

`record()` refuses an undeclared action, so the filter on the audit page always has a readable
label for every code in the table.
"""

from collections.abc import Mapping

from django.utils.functional import Promise

_actions: dict[str, Promise | str] = {}


def register_actions(actions: Mapping[str, Promise | str]) -> None:
    for code, label in actions.items():
        if "." not in code:
            raise ValueError(f"audit action {code!r} must be namespaced as '<app>.<verb>'")
        _actions[code] = label


def is_registered(code: str) -> bool:
    return code in _actions


def action_label(code: str) -> str:
    return str(_actions.get(code, code))


def action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in _actions.items()), key=lambda c: c[0])
