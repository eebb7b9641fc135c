"""The reviews app's models: the recommendation chain, and the expert review of what it accepted."""

from .chain import OPINION_MAX_LENGTH, ChainTally, DeadlineExtension, Decision, Recommendation
from .experts import (
    ACTIVE_ASSIGNMENT_STATES,
    COMMENT_MAX_LENGTH,
    DONE_STATES,
    REASON_MAX_LENGTH,
    Assignment,
    Conflict,
    PanelMember,
    ReviewResult,
    Score,
)

__all__ = [
    "ACTIVE_ASSIGNMENT_STATES",
    "COMMENT_MAX_LENGTH",
    "DONE_STATES",
    "OPINION_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "Assignment",
    "ChainTally",
    "Conflict",
    "DeadlineExtension",
    "Decision",
    "PanelMember",
    "Recommendation",
    "ReviewResult",
    "Score",
]
