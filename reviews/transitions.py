"""The chain's allowed decisions: one table, read by the services and by the decision page."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Decision, Recommendation

S = Recommendation.State
K = Decision.Kind


@dataclass(frozen=True)
class Move:
    kind: str
    source: str
    # Where the application goes: up to the parent unit (still waiting), or the state it ends in here.
    target: str
    # The same at the organising unit, where there is no parent to go up to.
    target_at_organiser: str
    label: Promise
    help: Promise
    button: str


# Staff of the unit where an application waits decide, each time with an opinion.
DECISIONS = [
    Move(
        K.RECOMMEND,
        S.WAITING,
        S.WAITING,
        S.ACCEPTED,
        _("Recommend"),
        _("It goes up to the next unit; at the organising unit it is accepted for expert review."),
        "btn-union",
    ),
    Move(
        K.RETURN,
        S.WAITING,
        S.RETURNED,
        S.RETURNED,
        _("Return for revision"),
        _("Back to the team leader, with your opinion as the reasons; the resubmitted version comes back to you."),
        "btn-outline-secondary",
    ),
    Move(
        K.REJECT,
        S.WAITING,
        S.REJECTED,
        S.REJECTED,
        _("Not recommended"),
        _("Final for this campaign: the application goes no further. Give the reasons."),
        "btn-outline-danger",
    ),
]

# What the leader's submission does to the chain: a first submission (or one after a withdrawal)
# enters at the grassroots union, a resubmission goes back to the unit that returned it.
ENTRY_STATES = frozenset({S.RETURNED, S.WITHDRAWN})


def decision_for(state: str, kind: str) -> Move | None:
    return next((m for m in DECISIONS if m.source == state and m.kind == kind), None)


def decisions_from(state: str) -> list[Move]:
    return [m for m in DECISIONS if m.source == state]
