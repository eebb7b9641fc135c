"""The targets of `make bench` judged on made-up figures, and the report they end in: a target
missed anywhere makes the verdict fail (and `make bench` exit 1)."""

import dataclasses

import pytest

from bench import report
from bench.config import Config
from bench.driver import compose_report
from bench.load import LoadResult

SIZES = ("small", "province")
CEILING = 1000.0  # req/s


def load(rps: float = 200.0, p95: float = 50.0, non2xx: int = 0, socket_errors: int = 0) -> LoadResult:
    return LoadResult(
        requests=int(rps * 10),
        duration_s=10.0,
        p50_ms=p95 / 2,
        p95_ms=p95,
        p99_ms=p95 * 1.5,
        max_ms=p95 * 2,
        non2xx=non2xx,
        socket_errors=socket_errors,
    )


def page(key="campaign_list", role="staff", reference=False, queries=(7, 7), **load_figures) -> report.PageMeasure:
    return report.PageMeasure(
        key=key,
        label=key.replace("_", " "),
        path=f"/{key}/",
        role=role,
        reference=reference,
        load=load(**load_figures),
        queries=dict(zip(SIZES, queries, strict=True)),
    )


def misses(measure, **kwargs):
    return report.page_misses(measure, ceiling_rps=CEILING, sizes=SIZES, **kwargs)


def test_a_page_within_every_target_misses_none():
    assert misses(page()) == []


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        (page(p95=100.0), []),
        (page(p95=100.1), ["p95 over 100 ms"]),
        (page(rps=80.0), []),
        (page(rps=79.9), ["under 8% of the ceiling"]),
        (page(role=None, rps=250.0), []),
        (page(role=None, rps=249.0), ["under 25% of the ceiling"]),
        (page(queries=(12, 12)), []),
        (page(queries=(13, 13)), ["more than 12 queries"]),
        (page(queries=(7, 8)), ["query count differs between sizes"]),
        (page(queries=(12, 13)), ["query count differs between sizes", "more than 12 queries"]),
        (page(non2xx=1), ["1 answers not 2xx"]),
        (page(socket_errors=2), ["2 socket errors or timeouts"]),
    ],
)
def test_each_target_is_judged_at_its_limit(measure, expected):
    assert misses(measure) == expected


def test_a_count_missing_at_one_size_is_a_miss():
    measure = page()
    measure.queries["small"] = None
    assert misses(measure) == ["queries not counted at small"]


def test_a_page_that_could_not_be_loaded_misses_with_its_reason():
    measure = dataclasses.replace(page(), load=None, errors=["answered 302 to /accounts/login/ over HTTP"])
    assert misses(measure) == ["answered 302 to /accounts/login/ over HTTP"]
    assert misses(dataclasses.replace(page(), load=None)) == ["not loaded"]


def test_without_a_ceiling_no_share_is_met():
    assert report.page_misses(page(), ceiling_rps=None, sizes=SIZES) == ["no ceiling to compare with"]


def test_the_reference_page_is_held_to_the_query_targets_only():
    slow = page(key="admin_teams", role="admin", reference=True, rps=1.0, p95=900.0)
    assert misses(slow) == []
    assert misses(dataclasses.replace(slow, queries={"small": 5, "province": 6})) == [
        "query count differs between sizes"
    ]
    assert misses(dataclasses.replace(slow, load=load(non2xx=3))) == ["3 answers not 2xx"]


def test_the_team_list_must_be_faster_than_the_admin_changelist():
    admin = page(key="admin_teams", role="admin", reference=True, rps=150.0)
    assert misses(page(key="team_list", rps=150.1), reference=admin) == []
    assert misses(page(key="team_list", rps=150.0), reference=admin) == ["not faster than admin teams"]
    unloaded = dataclasses.replace(admin, load=None)
    assert misses(page(key="team_list"), reference=unloaded) == ["not compared with admin teams"]


def export(key="applications", **figures) -> report.ExportMeasure:
    values = {
        "status": 200,
        "rows": 50_000,
        "bytes": 4_000_000,
        "first_byte_s": 0.2,
        "total_s": 6.0,
        "rss_growth_mb": 5.0,
        "peak_growth_mb": 20.0,
        "queries": {"small": 1, "province": 1},
    }
    return report.ExportMeasure(key=key, label=key, path=f"/{key}/export.xlsx", **{**values, **figures})


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        (export(), []),
        (export(first_byte_s=0.99), []),
        (export(first_byte_s=1.0), ["first byte after 1 s"]),
        (export(total_s=9.99), []),
        (export(total_s=10.0), ["took 10 s or more"]),
        # The targets name a total time for the applications only.
        (export(key="teams", total_s=30.0), []),
        (export(peak_growth_mb=99.9), []),
        (export(peak_growth_mb=100.0), ["worker grew by 100 MB or more"]),
        (export(status=500), ["answered 500"]),
        (export(queries={"small": 1, "province": 2}), ["query count differs between sizes"]),
        (export(first_byte_s=None, total_s=None), ["not measured"]),
    ],
)
def test_exports_are_judged_at_their_limits(measure, expected):
    assert report.export_misses(measure, sizes=SIZES) == expected


def test_a_page_s_share_is_of_the_ceiling_loaded_around_it():
    around = page(rps=80.0)
    around.ceiling_samples = [900.0, 1100.0]
    assert around.share(CEILING) == pytest.approx(0.08) and misses(around) == []
    faster = page(rps=80.0)
    faster.ceiling_samples = [1200.0, 1000.0]  # the machine was faster around this page than at the start
    assert misses(faster) == ["under 8% of the ceiling"]
    alone = page(rps=80.0)
    alone.ceiling_samples = [1250.0]  # the sample after it failed: the one before stands alone
    assert alone.share(CEILING) == pytest.approx(0.064)
    table = report.pages_table([faster], ceiling_rps=CEILING, sizes=SIZES, misses={faster.key: misses(faster)})
    assert " 1,100.0 | " in table and " 7.3 % |" in table


def test_the_table_lines_up_and_aligns_numbers_right():
    table = report.markdown_table(["page", "req/s"], [["team list", "12.5"], ["audit log", "1,234.0"]], [False, True])
    lines = table.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert lines[1] == "|-----------|--------:|"
    assert lines[3] == "| audit log | 1,234.0 |"


def test_the_pages_table_shows_every_figure_and_the_verdict():
    measure = page(key="team_list", rps=123.4, p95=150.0, queries=(5, 6))
    table = report.pages_table([measure], ceiling_rps=CEILING, sizes=SIZES, misses={"team_list": misses(measure)})
    header, _rule, row = table.splitlines()
    assert [cell.strip() for cell in header.strip("|").split("|")] == [
        "page", "as", "path", "req/s", "p50 ms", "p95 ms", "p99 ms", "ceiling req/s", "% of ceiling",
        "queries small", "queries province", "target met",
    ]  # fmt: skip
    assert [cell.strip() for cell in row.strip("|").split("|")] == [
        "team list", "staff", "`/team_list/`", "123.4", "75.0", "150.0", "225.0", "1,000.0", "12.3 %", "5", "6",
        "NO: p95 over 100 ms; query count differs between sizes",
    ]  # fmt: skip


# --- The whole report -----------------------------------------------------------------------

PAGE_KEYS = [
    ("notice_list", None),
    ("notice", None),
    ("team_list", "staff"),
    ("application_list", "staff"),
    ("campaign_list", "staff"),
    ("application", "staff"),
    ("leader_home", "leader"),
    ("audit", "staff"),
]


def probe(size: str) -> dict:
    return {
        "size": size,
        "database": f"mengtao_bench_{size}",
        "facts": {
            "grassroots_unions": 40_000,
            "teams": 100_000,
            "campaigns": 10,
            "applications": 200_000,
            "applications_in_campaign": 50_000,
            "audit_events": 1_000_000,
        },
        "users": {"staff": "scale_sheng_staff", "leader": "scale_leader", "admin": "scale_admin"},
        "explains": [
            {
                "sql": 'SELECT 1 FROM "teams_team"',
                "ms": 3.0,
                "explain_ms": 2.5,
                "page": "team_list",
                "plan": "Seq Scan",
            }
        ],
    }


def good_run() -> dict:
    pages = [page(key=key, role=role, rps=300.0 if role is None else 200.0) for key, role in PAGE_KEYS]
    pages.append(page(key="admin_teams", role="admin", reference=True, rps=100.0))
    return {
        "probes": {size: probe(size) for size in SIZES},
        "ceiling": load(rps=CEILING, p95=10.0),
        "ceiling_error": None,
        "pages": pages,
        "exports": [export(), export(key="teams", rows=100_000, total_s=12.0)],
        "others_share": 0.02,
    }


def compose(run: dict, sizes=SIZES):
    config = Config.from_env({"BENCH_SIZES": " ".join(sizes)})
    return compose_report(config, **run)


def test_a_run_within_every_target_passes():
    text, met = compose(good_run())
    assert met
    assert text.rstrip().endswith("**Result: every target met.**")
    assert "| team list " in text and "| admin teams " in text
    assert "1,000.0 req/s" in text
    assert "### 1. 2.5 ms to plan and execute (3.0 ms in the request), on the team list" in text
    assert "Other processes used 2% of the machine's CPU" in text and "busy" not in text


def slow_public_page(run):
    run["pages"][0].load = load(rps=300.0, p95=101.0)


def count_grows_with_the_data(run):
    run["pages"][4].queries["province"] = 8


def late_first_byte(run):
    run["exports"][0].first_byte_s = 2.0


def admin_makes_too_many_queries(run):
    run["pages"][8].queries = {"small": 13, "province": 13}


@pytest.mark.parametrize(
    ("spoil", "missed"),
    [
        (slow_public_page, "- notice list: p95 over 100 ms"),
        (count_grows_with_the_data, "- campaign list: query count differs between sizes"),
        (late_first_byte, "- export of applications: first byte after 1 s"),
        (admin_makes_too_many_queries, "- admin teams: more than 12 queries"),
    ],
)
def test_one_target_missed_fails_the_run_and_says_which(spoil, missed):
    run = good_run()
    spoil(run)
    text, met = compose(run)
    assert not met
    assert "**Result: 1 target missed.**" in text
    assert missed in text


def test_without_a_sound_ceiling_no_page_meets_its_share():
    run = good_run()
    run["ceiling_error"] = "12 answers not 2xx, 0 socket errors"
    text, met = compose(run)
    assert not met
    assert "- the ceiling: 12 answers not 2xx" in text
    assert "- team list: no ceiling to compare with" in text


def test_one_size_alone_cannot_show_that_the_counts_stay_the_same():
    run = good_run()
    for measure in run["pages"] + run["exports"]:
        measure.queries = {"province": 7}
    text, met = compose(run, sizes=("province",))
    assert not met
    assert "one size only (province)" in text


def test_the_ceiling_s_spread_through_the_pages_is_reported():
    run = good_run()
    run["ceiling_samples"] = [900.0, 1100.0, 1000.0, 950.0]
    text, met = compose(run)
    assert met
    assert "it gave 4 figures: median 975.0, from 900.0 to 1,100.0 req/s" in text
    assert "Loaded again for 3s before the first page" in text
    assert "Loaded again" not in compose(good_run())[0]  # no figures, no sentence


def test_a_busy_machine_is_named_in_the_report():
    run = good_run()
    run["others_share"] = 0.45
    text, met = compose(run)
    assert met
    assert "Other processes used 45% of the machine's CPU" in text and "the machine was busy" in text
