"""The campaign's allowed transitions: one table, read by the services and by the templates."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Campaign

S = Campaign.Status


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    label: Promise
    confirm: Promise
    needs_reason: bool = False
    button: str = "btn-union"


TRANSITIONS = [
    Transition(
        "publish",
        S.DRAFT,
        S.PUBLISHED,
        _("Publish"),
        _("Publish the notice? It becomes public at once and its criteria can no longer be changed."),
    ),
    Transition(
        "close",
        S.PUBLISHED,
        S.CLOSED,
        _("Close applications"),
        _("Close the campaign for applications? This is possible only after the application deadline."),
        button="btn-outline-secondary",
    ),
    Transition(
        "conclude",
        S.CLOSED,
        S.CONCLUDED,
        _("Conclude"),
        _("Conclude the campaign? Do this once the teams are named."),
        button="btn-outline-secondary",
    ),
    *(
        Transition(
            "cancel",
            source,
            S.CANCELLED,
            _("Cancel the campaign"),
            _("Cancel the campaign? Applications stop, and the reason is shown on the public notice."),
            needs_reason=True,
            button="btn-outline-danger",
        )
        for source in (S.DRAFT, S.PUBLISHED, S.CLOSED)
    ),
]

ACTIONS = sorted({t.action for t in TRANSITIONS})


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status]


def find_transition(status: str, action: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == status and t.action == action), None)
