"""What `make bench` measures and with what: the environment knobs, the data profiles (which seeding
command and which users), and the pages. Plain Python, no Django: the driver runs outside it."""

import os
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"

# Users a page is loaded as, by role: the organiser's staff (the province), a team leader, a superuser,
# an expert reviewer, the staff of a city federation (whose queue of re-assessment reports is its own).
ROLES = ("staff", "leader", "admin", "expert", "city")


@dataclass(frozen=True)
class DataProfile:
    """How a bench database gets its data: the management command (with `{size}` filled in), the
    users who load the pages, and a part of the database name that keeps profiles apart."""

    name: str
    seed_command: tuple[str, ...]
    users: Mapping[str, str]
    database_infix: str = ""

    def seed_arguments(self, size: str) -> list[str]:
        return [part.format(size=size) for part in self.seed_command]


# The one place that names the seeding commands and their users.
PROFILES = {
    # The generated province (~40,000 grassroots unions, 100,000 teams, 200,000 applications).
    "scale": DataProfile(
        name="scale",
        seed_command=("seed_scale", "--size", "{size}", "--if-missing"),
        users={
            "staff": "scale_sheng_staff",
            "leader": "scale_leader",
            "admin": "scale_admin",
            "expert": "scale_expert",
            "city": "scale_city_staff",
        },
    ),
    # The demo province of `make run`: the same at every size, for trying the harness itself.
    "demo": DataProfile(
        name="demo",
        seed_command=("seed_demo",),
        users={"staff": "sheng_staff", "leader": "leader", "admin": "admin", "expert": "expert", "city": "xian_staff"},
        database_infix="demo_",
    ),
}


@dataclass(frozen=True)
class Page:
    """A key page: its path (ids in braces are found in the data by the probe), who loads it, and
    whether it is public. A reference page is measured for comparison, not held to the speed targets."""

    key: str
    label: str
    path: str
    role: str | None
    reference: bool = False

    @property
    def public(self) -> bool:
        return self.role is None


PAGES = (
    Page("notice_list", "public notice list", "/notices/", None),
    Page("notice", "notice (biggest campaign)", "/notices/{notice}/", None),
    Page("team_list", "team list", "/teams/", "staff"),
    Page("team_search", "team list, searched by company", "/teams/?q={search}", "staff"),
    Page("application_list", "application list (biggest campaign)", "/applications/?campaign={campaign}", "staff"),
    Page("campaign_list", "campaign list", "/campaigns/", "staff"),
    Page("application", "application page", "/applications/{application}/", "staff"),
    Page("leader_home", "leader's home", "/", "leader"),
    Page("audit", "audit log", "/audit/", "staff"),
    Page("recommendation_queue", "recommendation queue (organiser)", "/recommendations/", "staff"),
    Page("decision", "decision page (waiting at the organiser)", "/recommendations/{waiting}/decide/", "staff"),
    Page(
        "recommendation_progress",
        "recommendation progress (biggest campaign)",
        "/recommendations/campaigns/{campaign}/progress/",
        "staff",
    ),
    Page("ranking", "expert review ranking (biggest)", "/recommendations/campaigns/{reviewed}/ranking/", "staff"),
    Page("expert_home", "expert's reviews", "/recommendations/reviews/", "expert"),
    Page("admin_teams", "admin changelist of teams", "/admin/teams/team/", "admin", reference=True),
    # The signed-in floor: the account page, next to nothing on it (the layout with the navigation and
    # the bell, the user's unit and roles): what a signed-in page costs before its own work.
    Page("signed_in_floor", "signed-in floor: my account page", "/accounts/profile/", "staff", reference=True),
    # The public notices (公示) and the registry of named teams (名录), for anyone.
    Page("registry", "registry of named teams", "/registry/", None),
    Page("registry_search", "registry, searched by pinyin initials (zmt)", "/registry/?q=zmt", None),
    Page("registry_team", "registry, a team named several times", "/registry/teams/{named_team}/", None),
    Page(
        "team_history",
        "team history (履历), a team named several times",
        "/awards/teams/{named_team}/history/",
        "staff",
    ),
    Page("publicity_list", "public notice (公示) list", "/publicity/", None),
    Page("publicity_notice", "public notice (公示) with the most teams", "/publicity/{public_notice}/", None),
    # Dynamic management: the showcase of typical examples (典型) for anyone; the re-assessments (复核)
    # and the revocations (摘牌) for the staff.
    Page("showcase", "showcase of typical examples (典型)", "/showcase/", None),
    Page("showcase_feature", "a typical example with the most photos", "/showcase/{feature}/", None),
    Page("reassessment_list", "re-assessment list (复核)", "/awards/reassessments/", "staff"),
    Page(
        "reassessment",
        "re-assessment with the most titles (organiser)",
        "/awards/reassessments/{reassessment}/",
        "staff",
    ),
    Page("reassessment_queue", "re-assessment queue (city federation)", "/awards/reassessments/queue/", "city"),
    Page("revocations", "revocations (摘牌)", "/awards/revocations/", "staff"),
)

# The page that must be faster than the reference, and the reference it is compared with.
FASTER_THAN_REFERENCE = ("team_list", "admin_teams")


@dataclass(frozen=True)
class Export:
    key: str
    label: str
    path: str  # ends in .xlsx or .csv, the file's kind
    role: str | None  # None: a public export, downloaded without signing in
    # A search that matches nothing: the same export, empty, warms the worker up before it is measured.
    warm_up_query: str = "q=bench-warm-up-matches-nothing"

    @property
    def public(self) -> bool:
        return self.role is None

    @property
    def suffix(self) -> str:
        """The file's extension, from the path without its query."""
        return self.path.split("?", 1)[0].rsplit(".", 1)[-1]


EXPORTS = (
    Export("applications", "applications (biggest campaign)", "/applications/export.xlsx?campaign={campaign}", "staff"),
    Export("teams", "teams (all)", "/teams/export.xlsx", "staff"),
    Export(
        "recommendation_progress",
        "recommendation progress (biggest campaign)",
        "/recommendations/campaigns/{campaign}/progress.xlsx",
        "staff",
    ),
    Export("ranking", "expert review ranking", "/recommendations/campaigns/{reviewed}/ranking.xlsx", "staff"),
    Export("registry", "registry of named teams (Excel)", "/registry/export.xlsx", None),
    Export("registry_csv", "registry of named teams (CSV)", "/registry/export.csv", None),
)

DURATION = re.compile(r"^\d+[smh]?$")


@dataclass(frozen=True)
class Config:
    profile: DataProfile
    sizes: tuple[str, ...]
    database_url_prefix: str
    redis_url: str
    duration: str
    warm_up: str
    connections: int
    threads: int
    workers: int
    gunicorn_args: tuple[str, ...] = field(default=())
    # The ceiling is loaded this long right before and after each page as well (BENCH_CEILING_SAMPLE):
    # a page's share is taken against the machine as fast as it was around that page.
    ceiling_sample: str = "3s"
    # The keys of the pages and exports to measure (BENCH_ONLY); empty: all of them.
    only: frozenset[str] = field(default=frozenset())

    @property
    def pages(self) -> tuple["Page", ...]:
        return tuple(page for page in PAGES if not self.only or page.key in self.only)

    @property
    def exports(self) -> tuple["Export", ...]:
        return tuple(export for export in EXPORTS if not self.only or export.key in self.only)

    @property
    def load_size(self) -> str:
        """The size the load test runs on: the last (largest) one."""
        return self.sizes[-1]

    def database_name(self, size: str) -> str:
        return self.database_url_prefix.rsplit("/", 1)[1] + self.profile.database_infix + size

    def database_url(self, size: str) -> str:
        return self.database_url_prefix.rsplit("/", 1)[0] + "/" + self.database_name(size)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "Config":
        """Reads the BENCH_* knobs; a value that cannot be right raises ValueError naming the knob."""
        profile_name = environ.get("BENCH_DATA", "scale")
        if profile_name not in PROFILES:
            raise ValueError(f"BENCH_DATA={profile_name!r}: use one of {', '.join(PROFILES)}.")
        profile = PROFILES[profile_name]
        if environ.get("BENCH_SEED_COMMAND"):
            profile = DataProfile(
                name=profile.name,
                seed_command=tuple(shlex.split(environ["BENCH_SEED_COMMAND"])),
                users=profile.users,
                database_infix=profile.database_infix,
            )
        if environ.get("BENCH_USERS"):
            profile = DataProfile(
                name=profile.name,
                seed_command=profile.seed_command,
                users={**profile.users, **parse_users(environ["BENCH_USERS"])},
                database_infix=profile.database_infix,
            )
        sizes = tuple(environ.get("BENCH_SIZES", "small province").split())
        if not sizes or any(not re.fullmatch(r"[a-z0-9_]+", size) for size in sizes) or len(set(sizes)) < len(sizes):
            raise ValueError("BENCH_SIZES: distinct sizes in lower case, separated by spaces, e.g. 'small province'.")
        prefix = environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mengtao_bench_")
        if not prefix.startswith("postgres") or "/" not in prefix.split("://", 1)[-1]:
            raise ValueError(
                "BENCH_DATABASE_URL: a PostgreSQL URL whose database name is the prefix, e.g. "
                "postgres://postgres@127.0.0.1:5432/mengtao_bench_"
            )
        for knob in ("BENCH_DURATION", "BENCH_WARMUP", "BENCH_CEILING_SAMPLE"):
            if knob in environ and not DURATION.match(environ[knob]):
                raise ValueError(f"{knob}: a duration wrk understands, e.g. 10s.")
        only = frozenset(environ.get("BENCH_ONLY", "").replace(",", " ").split())
        unknown = only - {page.key for page in PAGES} - {export.key for export in EXPORTS}
        if unknown:
            raise ValueError(
                f"BENCH_ONLY: no page or export is called {', '.join(sorted(unknown))}; "
                "the keys are in bench/config.py."
            )
        config = cls(
            profile=profile,
            sizes=sizes,
            database_url_prefix=prefix,
            redis_url=environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11"),
            duration=environ.get("BENCH_DURATION", "10s"),
            warm_up=environ.get("BENCH_WARMUP", "2s"),
            connections=positive(environ, "BENCH_CONNECTIONS", 8),
            threads=positive(environ, "BENCH_THREADS", 2),
            workers=positive(environ, "BENCH_WORKERS", 3),
            gunicorn_args=tuple(shlex.split(environ.get("BENCH_GUNICORN_ARGS", ""))),
            ceiling_sample=environ.get("BENCH_CEILING_SAMPLE", "3s"),
            only=only,
        )
        if config.threads > config.connections:
            raise ValueError("BENCH_THREADS: wrk needs at least one connection per thread.")
        return config


def parse_users(text: str) -> dict[str, str]:
    """'staff=alice,leader=bob' → {'staff': 'alice', 'leader': 'bob'}; roles are those of ROLES."""
    users = {}
    for pair in text.split(","):
        role, _, username = pair.strip().partition("=")
        if role not in ROLES or not username:
            raise ValueError(f"BENCH_USERS: 'role=username' pairs with roles among {', '.join(ROLES)}; got {pair!r}.")
        users[role] = username
    return users


def positive(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name}: a whole number of at least 1.")
    return int(value)


def default_config() -> Config:
    return Config.from_env(os.environ)
