"""The demo's teams, their ledgers and their applications to the 梦桃式班组 notice, written as a
province's teams write them and played through the services at the times they happened (the demo
clock of core.demo). `seed()` runs after the accounts and campaigns demos; each step adds only what
is missing.

- `teams`: twenty-six teams, their leaders, members and mentor-apprentice pairs;
- `ledger`: the ledgers (台帐) of twenty of them, two years back, with their papers and photos;
- `applications` and `texts`: twenty applications in every state, each in the team's own words
  (played from reviews.demo, which decides the unions' returns);
- `documents`, `scans`, `photos`: the files — scanned papers with a text layer, team photos.
"""

from .ledger import seed_ledger
from .teams import demo_teams, seed_teams


def seed() -> None:
    """The teams and their ledgers. Their applications are played by the recommendation chain's demo
    (reviews.demo), which decides the returns on the way (teams.demo.applications.seed_applications)."""
    seed_teams()
    seed_ledger(demo_teams())
