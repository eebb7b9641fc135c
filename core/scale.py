"""The generated province for measuring speed (`manage.py seed_scale`): its sizes, and what the
seeders of each app share while they load it.

Each app that holds data adds a seeder to `settings.SCALE_SEEDERS` (as `DEMO_SEEDERS` for the demo);
each stage of the lifecycle extends the province with its own records. A seeder is a function taking
a `ScaleContext`. Everything is drawn from random generators seeded per phase, so that a size loads
the same rows every time; the benchmark compares query counts between two sizes, so both sizes have
the same shape (the same campaigns, states and roles) and differ only in how many there are.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class ScaleSize:
    name: str
    cities: int  # city federations, each with county (district) federations below it
    counties_per_city: int
    industries: int  # industry unions under the province
    grassroots: int  # grassroots unions, spread over counties, cities and industry unions
    teams: int
    applications: int  # over the campaigns, in every state
    members_per_team: tuple[int, int] = (5, 30)
    evidence_per_application: int = 5
    ledger_entries_per_team: int = 3
    campaigns: int = 10


SIZES = {
    # For the suite: the same shape as the others, a few rows of each.
    "tiny": ScaleSize("tiny", cities=2, counties_per_city=1, industries=2, grassroots=30, teams=60, applications=120),
    "small": ScaleSize(
        "small", cities=3, counties_per_city=2, industries=2, grassroots=300, teams=1_000, applications=2_000
    ),
    "province": ScaleSize(
        "province",
        cities=12,
        counties_per_city=8,
        industries=10,
        grassroots=40_000,
        teams=100_000,
        applications=200_000,
    ),
}

# The users the benchmark signs in as (no password: sessions are made for them directly).
BENCH_USERS = {
    "organiser": "scale_sheng_staff",  # staff of the province, which organises the biggest campaign
    "city": "scale_city_staff",  # staff of the first city federation
    "auditor": "scale_auditor",  # auditor of the whole province
    "leader": "scale_leader",  # leads several teams, one with an application returned for revision
    "admin": "scale_admin",  # superuser, for the admin's changelists
    "expert": "scale_expert",  # an expert reviewer on every campaign's panel
}


def marker_code(size: ScaleSize) -> str:
    """The code of the generated province's root unit, which says which size was loaded."""
    return f"SCALE-{size.name.upper()}"


def seeders_mark() -> str:
    """Which seeders loaded a generated province (kept in its root unit's `enterprise`): a database
    loaded before a stage added its seeder lacks that stage's rows, and is not reused as if complete.
    A stage that extends an app's existing seeder names itself in the seeder module's `SCALE_STAGES`
    (the reviews app's: the chain, then the expert review), so that it changes the mark as well."""
    from importlib import import_module

    from django.conf import settings

    labels = []
    for dotted in settings.SCALE_SEEDERS:
        module, _dot, _function = dotted.rpartition(".")
        stages = getattr(import_module(module), "SCALE_STAGES", ())
        app = dotted.split(".")[0]
        labels.append(f"{app} ({' + '.join(stages)})" if stages else app)
    return "seeded by " + ", ".join(labels)


@dataclass
class ScaleContext:
    size: ScaleSize
    phases: "object"  # core.bulk.Phases
    now: datetime = field(default_factory=timezone.now)
    shared: dict = field(default_factory=dict)  # what one seeder leaves for the next

    def rng(self, phase: str) -> random.Random:
        """A generator of its own for each phase: adding a phase does not change the others' rows."""
        return random.Random(f"{self.size.name}:{phase}")
