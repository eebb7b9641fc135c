"""Every write of the reviews app: the recommendation chain (chain.py) and the expert review of what
it accepted (experts.py)."""

from .chain import chain_enter, chain_leave, deadline_extend, decision_record
from .experts import (
    AutoReport,
    assignment_add,
    assignment_decline,
    assignments_auto,
    conflict_record,
    departures,
    missing_for_submit,
    panel_add,
    panel_remove,
    ranks_recompute,
    result_open,
    review_exclude,
    review_reopen,
    review_submit,
    review_window_open,
    scores_save,
    shortlist_record,
    shortlist_withdraw,
)
from .tallies import chain_tallies_recount

__all__ = [
    "AutoReport",
    "assignment_add",
    "assignment_decline",
    "assignments_auto",
    "chain_enter",
    "chain_leave",
    "chain_tallies_recount",
    "conflict_record",
    "deadline_extend",
    "decision_record",
    "departures",
    "missing_for_submit",
    "panel_add",
    "panel_remove",
    "ranks_recompute",
    "result_open",
    "review_exclude",
    "review_reopen",
    "review_submit",
    "review_window_open",
    "scores_save",
    "shortlist_record",
    "shortlist_withdraw",
]
