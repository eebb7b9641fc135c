"""The demo of the reviews app, after the accounts, campaigns and teams demos:

- `chain`: the 梦桃式班组 applications played with their unions' returns, the recommendation chain in
  every state, and 西安市总工会's 模范班组 campaign with an application overdue below the city;
- `experts` (with `texts`): the expert review, on two 工人先锋号 campaigns — the province's, under
  review now with a panel of seven and reviews in every state, and 西安市总工会's, reviewed and
  shortlisted (拟命名).
"""

from .chain import seed_chain
from .experts import seed_reviews


def seed() -> None:
    seed_chain()
    seed_reviews()
