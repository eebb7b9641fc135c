"""The demo of the awards app, after the reviews demo: the province's 2025年度“梦桃式班组” campaign
(`naming`, with `texts`), concluded — its public notice with an objection dismissed and one upheld,
the naming decision, and the sixteen named teams of the registry with their certificate numbers.
Then (`revocation`) one of the sixteen revoked (摘牌) in 2026 after a safety accident;
(`reassessment`) the re-assessment (复核) of the fifteen that stand, in progress today; and the
showcase (`showcase`): three of the named teams featured as typical examples (典型), with photos from
their ledgers. The 2026 campaigns stay where the other demos leave them, to be carried to naming by
hand.
"""

from .naming import seed_named_campaign
from .reassessment import seed_reassessment
from .revocation import seed_revocation
from .showcase import seed_showcase


def seed() -> None:
    seed_named_campaign()
    seed_revocation()
    seed_reassessment()
    seed_showcase()
