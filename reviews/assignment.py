"""Who may review what, and the automatic assignment: K experts per application, loads balanced,
never an expert with a conflict of interest. Plain data in, plain data out — the services read the
rows and write the outcome, and the property tests drive this module with random trees and panels.

The conflict rules (DESIGN.md, lifecycle step 4):
- the expert's own unit is the team's grassroots union or lies below it;
- the expert's enterprise is the team's (or its grassroots union's);
- the expert declared a conflict with the team or with its enterprise.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


def same_enterprise(a: str, b: str) -> bool:
    """Enterprise names as people type them: spaces and the full-width forms do not count."""
    return bool(a) and bool(b) and _fold(a) == _fold(b)


def _fold(name: str) -> str:
    return "".join(name.split()).replace("（", "(").replace("）", ")").casefold()


@dataclass(frozen=True)
class Candidate:
    """An application as the rules see it."""

    id: int
    team_id: int
    union_path: str  # the team's grassroots union
    enterprises: tuple[str, ...]  # the team's and its grassroots union's
    assigned: frozenset[int] = frozenset()  # experts with an active assignment on it
    declined: frozenset[int] = frozenset()  # experts who declined it


@dataclass(frozen=True)
class Expert:
    id: int
    unit_path: str = ""
    enterprise: str = ""
    conflict_teams: frozenset[int] = frozenset()
    conflict_enterprises: tuple[str, ...] = ()


def conflict_of(expert: Expert, application: Candidate) -> str | None:
    """Why `expert` may not review `application`, in words for staff, or None."""
    if expert.unit_path and expert.unit_path.startswith(application.union_path):
        return _("the expert's own unit is the team's grassroots union or lies below it")
    if any(same_enterprise(expert.enterprise, e) for e in application.enterprises):
        return _("the expert works for the team's enterprise")
    if application.team_id in expert.conflict_teams:
        return _("the expert declared a conflict of interest with the team")
    if any(same_enterprise(c, e) for c in expert.conflict_enterprises for e in application.enterprises):
        return _("the expert declared a conflict of interest with the team's enterprise")
    if expert.id in application.declined:
        return _("the expert declined this application")
    return None


@dataclass
class Plan:
    """The outcome of one run: the new pairs, and the applications left short of K with the reasons."""

    pairs: list[tuple[int, int]] = field(default_factory=list)  # (application id, expert id)
    short: dict[int, str] = field(default_factory=dict)  # application id -> why it has fewer than K


def plan(applications: list[Candidate], experts: list[Expert], *, k: int, loads: dict[int, int]) -> Plan:
    """Fill every application up to `k` active assignments. `loads` holds each expert's active
    assignments in the campaign before the run; existing assignments never move.

    The most constrained applications (fewest eligible experts) are filled first, each slot going to
    the eligible expert with the lowest load. A repair pass then moves this run's new pairs from an
    expert to one with a load at least two lower wherever the rules allow, so that loads differ by at
    most one unless the conflicts themselves forbid it."""
    load = Counter({e.id: loads.get(e.id, 0) for e in experts})
    eligible: dict[int, list[int]] = {}
    reasons: dict[int, Counter] = {}
    for application in applications:
        ok, why = [], Counter()
        for expert in experts:
            reason = conflict_of(expert, application)
            if reason is None:
                ok.append(expert.id)
            else:
                why[reason] += 1
        eligible[application.id] = ok
        reasons[application.id] = why
    result = Plan()
    on: dict[int, set[int]] = {a.id: set(a.assigned) for a in applications}
    for application in sorted(applications, key=lambda a: (len(eligible[a.id]), a.id)):
        need = k - len(on[application.id])
        if need <= 0:
            continue
        free = [e for e in eligible[application.id] if e not in on[application.id]]
        for expert_id in sorted(free, key=lambda e: (load[e], e))[:need]:
            on[application.id].add(expert_id)
            load[expert_id] += 1
            result.pairs.append((application.id, expert_id))
        if len(on[application.id]) < k:
            result.short[application.id] = _shortfall(len(on[application.id]), k, len(experts), reasons[application.id])
    _rebalance(result, eligible, on, load)
    return result


def _rebalance(result: Plan, eligible: dict[int, list[int]], on: dict[int, set[int]], load: Counter) -> None:
    """Move new pairs from heavily to lightly loaded experts while a move narrows the gap by two."""
    eligible_sets = {a: set(experts) for a, experts in eligible.items()}
    moved = True
    while moved:
        moved = False
        for index, (application_id, expert_id) in enumerate(result.pairs):
            lighter = [
                e
                for e in eligible_sets[application_id]
                if e not in on[application_id] and load[e] <= load[expert_id] - 2
            ]
            if lighter:
                target = min(lighter, key=lambda e: (load[e], e))
                on[application_id].discard(expert_id)
                on[application_id].add(target)
                load[expert_id] -= 1
                load[target] += 1
                result.pairs[index] = (application_id, target)
                moved = True


def _shortfall(have: int, k: int, panel: int, reasons: Counter) -> str:
    text = _("%(have)s of %(k)s experts: the panel has %(panel)s, and %(excluded)s of them may not review it") % {
        "have": have,
        "k": k,
        "panel": panel,
        "excluded": sum(reasons.values()),
    }
    if reasons:
        text += "（" + "；".join(f"{n}：{reason}" for reason, n in reasons.most_common()) + "）"
    return text
