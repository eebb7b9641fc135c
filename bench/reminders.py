"""`make bench-reminders`: one deadline-reminder sweep over every open deadline of the generated
province, timed, at the moment the most reminders are due; then an immediate second sweep, which must
send nothing. Prints seconds, peak memory (RSS), queries, people, items and reminders, and exits 1
when a target is missed (under 30 s and 300 MB at province size; nothing sent twice).

The database is the bench's (bench/config.py: BENCH_DATABASE_URL and the size), created, migrated and
seeded as `make bench` does it — kept when it already holds the province. What the sweeps wrote (the
reminder log, the notifications, the e-mails) is deleted at the end, so the database stays reusable;
the e-mails' tasks go to an in-memory broker, not to a worker.

    python -m bench.reminders [--size small|province] [--now 2026-12-09T00:30+08:00]
"""

import argparse
import os
import resource
import secrets
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from .config import default_config
from .driver import BenchError, django_env, prepare_database
from .log import say

# The targets at province size (the issue's): a sweep's time and the process's peak memory.
TARGET_SECONDS = 30
TARGET_MB = 300
PRODUCTION_SETTINGS = "mengtao.settings_production"


def parse_args(argv: Sequence[str], default_size: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default=default_size, help=f"the generated province's size (default {default_size})")
    parser.add_argument(
        "--now",
        type=aware_moment,
        help="sweep at this moment (ISO 8601 with its offset); by default the one when the most is due",
    )
    return parser.parse_args(argv)


def aware_moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give the moment with its offset, e.g. 2026-12-09T00:30+08:00")
    return moment


def busiest_moment(deadlines: Mapping[tuple[datetime, int], int]) -> datetime | None:
    """The moment a sweep finds the most items due: `deadlines` counts the items per (deadline, the
    largest threshold in days); an item is due from its deadline less that threshold until the
    deadline. The best moment is one of those openings (a window's count only rises at one)."""
    best, best_count = None, 0
    for deadline, days in sorted(deadlines):
        moment = deadline - timedelta(days=days)
        count = sum(n for (d, h), n in deadlines.items() if d - timedelta(days=h) <= moment < d)
        if count > best_count:
            best, best_count = moment, count
    return best


def main(argv: Sequence[str] | None = None) -> int:
    try:
        config = default_config()
        args = parse_args(sys.argv[1:] if argv is None else argv, config.load_size)
    except ValueError as error:
        say(str(error))
        return 2
    env = django_env(config, args.size, secrets.token_urlsafe(50))
    try:
        prepare_database(config, args.size, env)
    except BenchError as error:
        say(str(error))
        return 2
    # The sweep's e-mails are handed to a broker no worker reads: measured, then gone.
    os.environ.update(env, CELERY_BROKER_URL="memory://localhost/")
    import django

    django.setup()
    return measure(args, config.database_name(args.size))


def measure(args: argparse.Namespace, database: str) -> int:
    from django.db import connection
    from django.db.models import Count

    from notifications.models import Notification, OutboundEmail, ReminderLog
    from notifications.reminders import sweep

    now = args.now or choose_moment()
    if now is None:
        say("no open deadline with anyone to remind: nothing to measure")
        return 2
    marks = {model: (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) for model in
             (ReminderLog, Notification, OutboundEmail)}  # fmt: skip
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    before_mb = peak_mb()
    try:
        with connection.execute_wrapper(count):
            started = time.monotonic()
            first = sweep(now=now)
            seconds = time.monotonic() - started
            first_queries, peak = queries[0], peak_mb()
            second = sweep(now=now)
        by_kind = dict(
            ReminderLog.objects.filter(pk__gt=marks[ReminderLog])
            .values_list("deadline_kind")
            .annotate(n=Count("id"))
            .order_by("deadline_kind")
        )
    finally:
        removed = remove_written(marks)
    print(f"Reminder sweep on {database} at {now.isoformat()}")
    print(f"  first sweep : {seconds:6.1f} s  peak RSS {peak:5.0f} MB (before it {before_mb:.0f} MB)  "
          f"{first_queries} queries in {first.batches} batches")  # fmt: skip
    print(f"                {first.people} people, {first.items} items due, {first.reminders} reminders written")
    print(f"                by deadline: {', '.join(f'{kind} {n}' for kind, n in by_kind.items())}")
    print(f"  second sweep: {second.seconds:6.1f} s  {second.items} items due, {second.reminders} reminders, "
          f"{second.people} people told")  # fmt: skip
    print(f"  removed afterwards: {removed}")
    met = second.reminders == 0 and second.people == 0 and first.reminders > 0
    if args.size == "province":
        met = met and seconds < TARGET_SECONDS and peak < TARGET_MB
        print(f"  targets: < {TARGET_SECONDS} s and < {TARGET_MB} MB: {'met' if met else 'MISSED'}")
    if second.reminders or second.people:
        print("  the second sweep sent something: NOT exactly once")
    return 0 if met else 1


def choose_moment() -> datetime | None:
    """The moment the most items are due, from every deadline ahead of the province's seeding."""
    from django.contrib.auth import get_user_model

    from core.scale import BENCH_USERS
    from notifications.reminders import Window, pending, running_campaigns

    seeded = get_user_model().objects.get(username=BENCH_USERS["organiser"]).date_joined
    deadlines = Counter(
        (item.deadline, item.thresholds[0])
        for item in pending(running_campaigns(), Window(seeded, everything_ahead=True))
    )
    moment = busiest_moment(deadlines)
    return moment + timedelta(minutes=5) if moment else None  # the hourly sweep runs at minute 5


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def remove_written(marks) -> str:
    """Delete the rows the sweeps added (those after each table's last row before them)."""
    from django.db import transaction

    removed = []
    with transaction.atomic():
        for model, last in marks.items():
            deleted = model.objects.filter(pk__gt=last).delete()[1].get(model._meta.label, 0)
            removed.append(f"{deleted} {model.__name__}")
    return ", ".join(removed)


if __name__ == "__main__":
    sys.exit(main())
