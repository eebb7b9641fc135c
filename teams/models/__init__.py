"""The teams app's models: teams and their people, the ledger, and the applications."""

from .application import Application, ApplicationTally, ApplicationVersion, CriterionAnswer, Evidence
from .ledger import LedgerAttachment, LedgerEntry
from .team import Member, MentorPair, Team, pinyin_key

__all__ = [
    "Application",
    "ApplicationTally",
    "ApplicationVersion",
    "CriterionAnswer",
    "Evidence",
    "LedgerAttachment",
    "LedgerEntry",
    "Member",
    "MentorPair",
    "Team",
    "pinyin_key",
]
