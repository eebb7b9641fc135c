"""`python -m bench`: prepare the databases, count the queries at every size, load the pages and the
ceiling, time the exports, print the report. Progress goes to stderr, the report to stdout and to
var/bench/latest.md; the exit status is 0 when every target is met, 1 when one is missed, 2 when
the bench itself could not run."""

import datetime
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from urllib.parse import urlsplit

from . import report
from .config import FASTER_THAN_REFERENCE, OUT_DIR, ROOT, Config, default_config
from .exports import measure_exports
from .load import WrkOutputError, run_wrk
from .log import say
from .machine import CpuWatch
from .server import Server, get

PRODUCTION_SETTINGS = "mengtao.settings_production"
CEILING_SETTINGS = "bench.hello_settings"


class BenchError(Exception):
    """The bench cannot go on (a database, a command or a tool missing): no figures to print."""


def main() -> int:
    try:
        config = default_config()
    except ValueError as error:
        say(str(error))
        return 2
    if not shutil.which("wrk"):
        say("wrk is not installed: `make bench` installs it as root (apt-get install wrk).")
        return 2
    try:
        return run(config)
    except BenchError as error:
        say(str(error))
        return 2


def run(config: Config) -> int:
    started = time.monotonic()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    secret_key = secrets.token_urlsafe(50)
    envs = {size: django_env(config, size, secret_key) for size in config.sizes}
    check_seed_command(config, envs[config.load_size])
    for size in config.sizes:
        prepare_database(config, size, envs[size])
    say("collecting the static files")
    manage(["collectstatic", "--noinput", "--verbosity", "0"], envs[config.load_size])

    probes = {}
    for size in config.sizes:
        say(f"counting queries at {size} ({config.database_name(size)})")
        probes[size] = run_probe(size, envs[size], load=size == config.load_size)

    flush_cache(config.redis_url)
    load_env = envs[config.load_size]
    extra = config.gunicorn_args
    with CpuWatch([config.database_name(config.load_size)]) as cpu:
        ceiling, ceiling_error = measure_ceiling(config, load_env, extra)
        pages, ceiling_samples = measure_pages(config, load_env, extra, probes)
    cookies = {role: cookie_for(probes[config.load_size], role) for role in config.profile.users}
    exports = measure_exports(config, load_env, extra, probes, cookies)

    text, met = compose_report(
        config,
        probes=probes,
        ceiling=ceiling,
        ceiling_error=ceiling_error,
        ceiling_samples=ceiling_samples,
        pages=pages,
        exports=exports,
        others_share=cpu.others_share,
    )
    (OUT_DIR / "latest.md").write_text(text + "\n")
    (OUT_DIR / "latest.json").write_text(
        json.dumps(
            {
                "ceiling": vars(ceiling) if ceiling else None,
                "ceiling_samples": ceiling_samples,
                "others_cpu_share": cpu.others_share,
                "pages": {p.key: {**vars(p), "load": vars(p.load) if p.load else None} for p in pages},
                "exports": {e.key: vars(e) for e in exports},
                "probes": {size: {k: v for k, v in probe.items() if k != "sessions"} for size, probe in probes.items()},
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    print(text, flush=True)
    say(
        f"done in {time.monotonic() - started:.0f} s; the report is also in {(OUT_DIR / 'latest.md').relative_to(ROOT)}"
    )
    return 0 if met else 1


# --- Databases ------------------------------------------------------------------------------


def django_env(config: Config, size: str, secret_key: str) -> dict[str, str]:
    """The production profile on this size's database, over plain HTTP on loopback, quiet."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION_SETTINGS,
        DATABASE_URL=config.database_url(size),
        REDIS_URL=config.redis_url,
        CACHE_URL=config.redis_url,
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="False",
        SESSION_COOKIE_SECURE="False",
        CSRF_COOKIE_SECURE="False",
        LOG_LEVEL="WARNING",
        VAR_DIR=str(OUT_DIR / config.database_name(size)),
        STATIC_ROOT=str(OUT_DIR / "static"),
    )
    return env


def manage(arguments: list[str], env: dict[str, str]) -> None:
    command = [sys.executable, "manage.py", *arguments]
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=sys.stderr, stderr=sys.stderr, check=False)
    if done.returncode != 0:
        raise BenchError(f"`manage.py {' '.join(arguments)}` failed ({done.returncode})")


def check_seed_command(config: Config, env: dict[str, str]) -> None:
    command = config.profile.seed_command[0]
    known = subprocess.run(
        [sys.executable, "manage.py", "help", command], cwd=ROOT, env=env, capture_output=True, check=False
    )
    if known.returncode != 0:
        raise BenchError(
            f"`manage.py {command}` does not exist in this checkout (BENCH_DATA={config.profile.name}); "
            "BENCH_DATA=demo measures the demo data instead, or BENCH_SEED_COMMAND names another command."
        )


def prepare_database(config: Config, size: str, env: dict[str, str]) -> None:
    """Creates the database when missing, migrates it and seeds it (the seeding command keeps what
    is there when it already holds the data of this size)."""
    import psycopg2
    from psycopg2 import sql

    name = config.database_name(size)
    url = urlsplit(config.database_url(size))
    try:
        connection = psycopg2.connect(
            host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, dbname="postgres"
        )
    except psycopg2.OperationalError as error:
        raise BenchError(f"PostgreSQL cannot be reached at {url.hostname}:{url.port}: {error}") from error
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            say(f"creating the database {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()
    say(f"migrating {name}")
    manage(["migrate", "--noinput", "--verbosity", "0"], env)
    seed = config.profile.seed_arguments(size)
    say(f"seeding {name}: manage.py {' '.join(seed)}")
    started = time.monotonic()
    manage(seed, env)
    say(f"seeded {name} in {time.monotonic() - started:.0f} s")


def run_probe(size: str, env: dict[str, str], *, load: bool) -> dict:
    out = OUT_DIR / f"probe-{size}.json"
    command = [sys.executable, "-m", "bench.probe", "--size", size, "--out", str(out), "--exports"]
    if load:
        command += ["--sessions", "--explain"]
    out.unlink(missing_ok=True)
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=sys.stderr, stderr=sys.stderr, check=False)
    if done.returncode != 0 or not out.exists():
        raise BenchError(f"counting the queries at {size} failed ({done.returncode})")
    return json.loads(out.read_text())


def flush_cache(redis_url: str) -> None:
    """The cache may hold pages of another size: every run starts the load on an empty one."""
    import redis

    try:
        redis.Redis.from_url(redis_url).flushdb()
    except redis.RedisError as error:
        raise BenchError(f"Redis cannot be reached at {redis_url}: {error}") from error


# --- Load -----------------------------------------------------------------------------------


def load(config: Config, url: str, cookie: str | None):
    """A warm-up run, then the measured one."""
    run_wrk(url, duration=config.warm_up, connections=config.connections, threads=config.threads, cookie=cookie)
    return run_wrk(url, duration=config.duration, connections=config.connections, threads=config.threads, cookie=cookie)


def ceiling_server(config: Config, env: dict[str, str], extra) -> Server:
    return Server(
        name="ceiling",
        env={**env, "DJANGO_SETTINGS_MODULE": CEILING_SETTINGS},
        workers=config.workers,
        extra=extra,
        log_dir=OUT_DIR,
    )


def measure_ceiling(config: Config, env: dict[str, str], extra):
    say("loading the ceiling (hello-world view, same gunicorn)")
    try:
        with ceiling_server(config, env, extra) as server:
            server.wait_until_ready("/")
            result = load(config, server.base_url + "/", None)
    except (RuntimeError, WrkOutputError) as error:
        return None, str(error)
    if result.failed:
        return result, f"{result.non2xx} answers not 2xx, {result.socket_errors} socket errors"
    return result, None


def cookie_for(probe: dict, role: str | None) -> str | None:
    return f"{probe['cookie_name']}={probe['sessions'][role]}" if role else None


def sample_ceiling(config: Config, server: Server) -> float | None:
    """The ceiling's req/s over a short load, or None when it did not answer cleanly."""
    try:
        result = run_wrk(
            server.base_url + "/",
            duration=config.ceiling_sample,
            connections=config.connections,
            threads=config.threads,
            cookie=None,
        )
    except WrkOutputError:
        return None
    return None if result.failed else result.requests_per_second


def measure_pages(
    config: Config, env: dict[str, str], extra, probes: dict
) -> tuple[list[report.PageMeasure], list[float]]:
    """Each page under load, with the ceiling loaded briefly before the first page, between pages and
    after the last (a second gunicorn, idle while a page is loaded): the machine's speed drifts over
    the minutes the pages take, by a fifth on a quiet day, and each page's share is taken against the
    speed it had around that page. Returns the pages and the ceiling's figures in order."""
    probe = probes[config.load_size]
    measures = []
    for page in config.pages:
        counted = probe["pages"][page.key]
        measure = report.PageMeasure(
            key=page.key,
            label=page.label,
            path=counted["path"],
            role=page.role,
            reference=page.reference,
            queries={size: probes[size]["pages"][page.key]["queries"] for size in config.sizes},
        )
        for size in config.sizes:
            measured = probes[size]["pages"][page.key]
            if measured["status"] != 200:
                measure.errors.append(f"answered {measured['status']} in-process at {size}")
            elif not measured["signed_in_as_expected"]:
                measure.errors.append(f"{'signed in' if page.public else 'not signed in'} in-process at {size}")
        measures.append(measure)
    samples = []
    try:
        with (
            Server(name="pages", env=env, workers=config.workers, extra=extra, log_dir=OUT_DIR) as server,
            ceiling_server(config, env, extra) as ceiling,
        ):
            server.wait_until_ready("/healthz")
            ceiling.wait_until_ready("/")
            before = sample_ceiling(config, ceiling)
            samples.append(before)
            for page, measure in zip(config.pages, measures, strict=True):
                cookie = cookie_for(probe, page.role)
                problem = preflight(server.base_url, measure.path, cookie)
                if problem:
                    measure.errors.append(problem)
                    continue
                say(f"loading {measure.path} ({page.label})")
                try:
                    measure.load = load(config, server.base_url + measure.path, cookie)
                except WrkOutputError as error:
                    measure.errors.append(str(error))
                    continue
                after = sample_ceiling(config, ceiling)
                samples.append(after)
                measure.ceiling_samples = [rps for rps in (before, after) if rps is not None]
                before = after
    except RuntimeError as error:
        for measure in measures:
            measure.errors.append(f"server: {error}")
    return measures, [rps for rps in samples if rps is not None]


def preflight(base_url: str, path: str, cookie: str | None) -> str | None:
    """One request before the load: the page answers 200 itself (no redirect), and a signed-in page
    is served to a signed-in user (its Cache-Control is private; anonymous pages are not)."""
    answer = get(base_url, path, {"Cookie": cookie} if cookie else None)
    if answer is None:
        return "no answer over HTTP"
    status, headers, _body = answer
    if status != 200:
        where = f" to {headers['location']}" if "location" in headers else ""
        return f"answered {status}{where} over HTTP"
    if cookie and "private" not in headers.get("cache-control", ""):
        return "not served as to a signed-in user over HTTP (Cache-Control is not private)"
    return None


# --- Report ---------------------------------------------------------------------------------


def git_commit() -> str:
    done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def compose_report(
    config: Config, *, probes, ceiling, ceiling_error, pages, exports, others_share, ceiling_samples=()
) -> tuple[str, bool]:
    sizes = config.sizes
    targets = report.TARGETS
    ceiling_rps = ceiling.requests_per_second if ceiling and not ceiling_error else None
    by_key = {page.key: page for page in pages}
    faster, reference = FASTER_THAN_REFERENCE
    page_misses = {
        page.key: report.page_misses(
            page,
            ceiling_rps=ceiling_rps,
            sizes=sizes,
            targets=targets,
            reference=by_key.get(reference) if page.key == faster else None,
        )
        for page in pages
    }
    export_misses = {export.key: report.export_misses(export, sizes=sizes, targets=targets) for export in exports}
    general = []
    if ceiling_error:
        general.append(f"the ceiling: {ceiling_error}")
    if len(sizes) < 2:
        general.append(f"one size only ({sizes[0]}): the query counts are not compared between sizes")
    if config.only:
        general.append(f"a partial run (BENCH_ONLY={' '.join(sorted(config.only))}): the other pages were not measured")

    facts = probes[config.load_size]["facts"]
    probe = probes[config.load_size]
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z")
    lines = [
        f"# make bench — {when}, {git_commit()}",
        "",
        f"Data: `BENCH_DATA={config.profile.name}`, sizes {', '.join(sizes)}; loaded at **{config.load_size}** "
        f"({probe['database']}): {facts['grassroots_unions']:,} grassroots unions, {facts['teams']:,} teams, "
        f"{facts['campaigns']:,} campaigns, {facts['applications']:,} applications "
        f"({facts['applications_in_campaign']:,} in the biggest campaign), {facts['audit_events']:,} audit events"
        + (
            f", {facts['named_titles']:,} named titles ({facts['teams_on_public_notice']:,} teams on the biggest "
            "public notice). "
            if "named_titles" in facts
            else ". "
        )
        + f"Users: {', '.join(f'{role} `{name}`' for role, name in probe['users'].items())}.",
        "",
        f"Load: wrk from a second process on loopback, {config.connections} connections, {config.threads} threads, "
        f"{config.duration} per page after {config.warm_up} of warm-up. Server: gunicorn, {config.workers} sync "
        f"workers{(' ' + ' '.join(config.gunicorn_args)) if config.gunicorn_args else ''}, "
        f"`{PRODUCTION_SETTINGS}` on PostgreSQL, cache on Redis; {os.cpu_count()} CPUs shared with wrk. "
        + report.machine_note(others_share),
        "",
        "Ceiling (a hello-world view behind the whole middleware stack, same gunicorn command): "
        + (
            f"**{ceiling.requests_per_second:,.1f} req/s**, p50 {ceiling.p50_ms:.1f} ms, p95 {ceiling.p95_ms:.1f} ms, "
            f"over {config.duration} before the pages."
            if ceiling
            else "not measured."
        )
        + (" " + report.ceiling_samples_note(ceiling_samples, config.ceiling_sample) if ceiling_samples else ""),
        "",
        f"Targets: p95 ≤ {targets.p95_ms:g} ms; signed-in pages ≥ {targets.share_signed_in:.0%} and public pages "
        f"≥ {targets.share_public:.0%} of the ceiling's req/s; ≤ {targets.max_queries} queries, the same at every "
        "size (counted in-process on a cold cache); the staff's team list faster than the admin changelist. "
        "The admin changelist and the signed-in floor (the account page) are references: held to the query "
        "targets only.",
        "",
        report.pages_table(pages, ceiling_rps=ceiling_rps, sizes=sizes, misses=page_misses),
        "",
        "## Exports",
        "",
        f"Over HTTP from gunicorn with one sync worker, after an empty export has warmed it up. Targets: first "
        f"byte < {targets.export_first_byte_s:g} s; "
        + "; ".join(f"the {key} export in < {seconds:g} s" for key, seconds in targets.export_total_s.items())
        + f"; the worker's peak resident memory grows by < {targets.export_memory_mb:g} MB.",
        "",
        report.exports_table(exports, sizes=sizes, misses=export_misses),
        "",
        f"## The three slowest queries of the pages at {config.load_size}, EXPLAIN (ANALYZE, BUFFERS)",
        "",
        report.explains_section(probe.get("explains", []), {page.key: page.label for page in config.pages}),
        "",
    ]
    missed = [(page.label, page_misses[page.key]) for page in pages if page_misses[page.key]]
    missed += [
        (f"export of {export.label}", export_misses[export.key]) for export in exports if export_misses[export.key]
    ]
    missed += [(item, []) for item in general]
    if missed:
        number_missed = sum(max(len(items), 1) for _what, items in missed)
        lines.append(f"**Result: {number_missed} target{'s' if number_missed > 1 else ''} missed.**")
        lines += ["", *(f"- {what}: {'; '.join(items)}" if items else f"- {what}" for what, items in missed)]
    else:
        lines.append("**Result: every target met.**")
    return "\n".join(lines), not missed
