"""The application's allowed transitions: one table, read by the services and by the templates."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Application

S = Application.Status
LEADER = "leader"
STAFF = "staff"

# The leader may change the content in these states (and only inside the window).
EDITABLE = frozenset({S.DRAFT, S.RETURNED})


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    by: str
    label: Promise
    confirm: Promise
    needs_reason: bool = False
    button: str = "btn-union"


TRANSITIONS = [
    *(
        Transition(
            "submit",
            source,
            S.SUBMITTED,
            LEADER,
            _("Submit"),
            _("Submit the application? It is frozen as submitted and goes to your grassroots union."),
        )
        for source in (S.DRAFT, S.RETURNED)
    ),
    Transition(
        "withdraw",
        S.SUBMITTED,
        S.DRAFT,
        LEADER,
        _("Withdraw"),
        _(
            "Withdraw the application? It becomes a draft again; submit it again before the deadline, "
            "or it will not be considered."
        ),
        button="btn-outline-danger",
    ),
    Transition(
        "return",
        S.SUBMITTED,
        S.RETURNED,
        STAFF,
        _("Return for revision"),
        _("Return the application to the team leader for revision? Tell them what to correct."),
        needs_reason=True,
        button="btn-outline-danger",
    ),
]


def find_transition(status: str, action: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == status and t.action == action), None)


def transitions_from(status: str, by: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status and t.by == by]


# What the team leader is expected to do next, by state (shown on their home and the application).
LEADER_NEXT_STEP = {
    S.DRAFT: _("Complete every item of the checklist and submit before the deadline."),
    S.RETURNED: _("Correct what the reasons ask for and submit again."),
    S.SUBMITTED: _("Your grassroots union is reviewing the application. You may withdraw it until it is recommended."),
}
DECIDED_NEXT_STEP = _("The unions are deciding on your application level by level; its path shows where it stands.")


def leader_next_step(application) -> str:
    if application.status == S.SUBMITTED and application.first_decision_at is not None:
        return DECIDED_NEXT_STEP
    return LEADER_NEXT_STEP.get(application.status, "")


def leader_transitions(application) -> list[Transition]:
    """The leader's buttons: a submitted application can be withdrawn only until a union decided on it."""
    return [
        t
        for t in transitions_from(application.status, LEADER)
        if t.action != "submit" and not (t.action == "withdraw" and application.first_decision_at is not None)
    ]
