"""The in-process half of the bench, run once per data size in its own process (its DATABASE_URL
names that size's database): finds the ids the pages need, counts each page's and export's queries
with Django's test client, and on the size under load signs the users in and explains the slowest
queries. Writes what it found as JSON.

    python -m bench.probe --size province --out var/bench/probe-province.json [--exports] [--sessions] [--explain]
"""

import argparse
import json
import re
import sys
from importlib import import_module
from pathlib import Path
from urllib.parse import quote

import django


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--exports", action="store_true", help="count the exports' queries too")
    parser.add_argument("--sessions", action="store_true", help="sign the users in for the load test")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest queries of the pages")
    args = parser.parse_args(argv)
    django.setup()
    result = probe(args.size, exports=args.exports, sessions=args.sessions, explain=args.explain)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def probe(size: str, *, exports: bool, sessions: bool, explain: bool) -> dict:
    from django.conf import settings
    from django.db import connection

    from bench.config import default_config

    config = default_config()
    users = find_users(config.profile.users)
    ids, facts = find_ids(users["staff"], city=users.get("city"))
    session_keys = {role: session_for(user) for role, user in users.items()}
    result = {
        "size": size,
        "database": connection.settings_dict["NAME"],
        "ids": ids,
        "facts": facts,
        "users": {role: user.username for role, user in users.items()},
        "pages": {},
        "exports": {},
    }
    for page in config.pages:
        path = page.path.format(**ids)
        result["pages"][page.key] = count_queries(path, session_keys.get(page.role), signed_in=not page.public)
    if exports:
        for export in config.exports:
            path = export.path.format(**ids)
            result["exports"][export.key] = count_queries(
                path, session_keys.get(export.role), signed_in=not export.public, warm=False
            )
    if sessions:
        result["cookie_name"] = settings.SESSION_COOKIE_NAME
        result["sessions"] = session_keys
    if explain:
        result["explains"] = explain_slowest(result["pages"], limit=3)
    return result


def find_users(usernames: dict[str, str]) -> dict:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    found = {user.username: user for user in User.objects.filter(username__in=usernames.values())}
    missing = [f"{role}={name}" for role, name in usernames.items() if name not in found]
    if missing:
        raise SystemExit(f"bench: no such user in this database: {', '.join(missing)} (BENCH_DATA / BENCH_USERS)")
    return {role: found[name] for role, name in usernames.items()}


def find_ids(staff, city=None) -> tuple[dict, dict]:
    """The biggest campaign (most applications), its notice (or the biggest public one when it is not
    published), the first submitted application of it, an application waiting for the staff member's
    decision, the biggest public notice (公示), the named team with the most titles, the showcase's feature
    with the most photos and the biggest running re-assessment; with the sizes that give the figures
    scale (the reports waiting at the units of `city`, the city federation's staff, among them)."""
    from django.db.models import Count

    from accounts.models import UnionUnit
    from audit.models import AuditEvent
    from awards.models import Feature, NoticeEntry, Reassessment, ReassessmentItem, Revocation, Title
    from campaigns.models import Campaign
    from reviews.models import Recommendation, ReviewResult
    from teams.models import Application, Team

    by_size = Campaign.objects.annotate(size=Count("applications")).order_by("-size", "id")
    campaign = by_size.first()
    if campaign is None:
        raise SystemExit("bench: the database holds no campaign")
    notice = campaign if campaign.published_at else by_size.filter(published_at__isnull=False).first()
    if notice is None:
        raise SystemExit("bench: the database holds no published notice")
    application = (
        Application.objects.filter(campaign=campaign, status=Application.Status.SUBMITTED).order_by("id").first()
    )
    if application is None:
        raise SystemExit(f"bench: campaign {campaign.pk} has no submitted application")
    # An application waiting for the staff member's decision (the organiser's, in the generated province),
    # in a campaign still running (a concluded one's stragglers are decided no more).
    waiting = (
        Recommendation.objects.filter(
            unit__role_assignments__user=staff,
            unit__role_assignments__role="staff",
            state=Recommendation.State.WAITING,
            campaign__status__in=Campaign.RUNNING,
        )
        .order_by("-campaign_id", "application_id")
        .first()
    )
    if waiting is None:
        raise SystemExit(f"bench: nothing waits for a decision of {staff.username}'s unit")
    # The campaign with the most applications under expert review, for the ranking.
    reviewed = (
        ReviewResult.objects.values("campaign_id")
        .annotate(n=Count("*"))
        .order_by("-n", "campaign_id")
        .values_list("campaign_id", flat=True)
        .first()
    )
    if reviewed is None:
        raise SystemExit("bench: no application is under expert review")
    # The public notice (公示) with the most teams, and the team named most often (the registry's page
    # of one team lists its titles).
    public_notice = NoticeEntry.objects.values("notice_id").annotate(n=Count("*")).order_by("-n", "notice_id").first()
    if public_notice is None:
        raise SystemExit("bench: no shortlist is on public notice")
    named_team = Title.objects.values("team_id").annotate(n=Count("*")).order_by("-n", "team_id").first()
    if named_team is None:
        raise SystemExit("bench: no team is named")
    # The standing feature (典型) of a title still named with the most photos, and the running
    # re-assessment with the most titles.
    feature = (
        Feature.objects.filter(withdrawn_at__isnull=True, title__state=Title.State.NAMED)
        .annotate(n=Count("feature_photos"))
        .order_by("-n", "-featured_at", "-id")
        .first()
    )
    if feature is None:
        raise SystemExit("bench: no team is featured in the showcase")
    reassessment = Reassessment.objects.filter(state=Reassessment.State.RUNNING).order_by("-item_count", "-id").first()
    if reassessment is None:
        raise SystemExit("bench: no re-assessment is running")
    # What staff type to find a company's teams: its name without the legal form ("秦岭纺织").
    company = re.sub(r"(集团|股份)?有限(责任)?公司.*$", "", application.team.enterprise) or application.team.name
    ids = {
        "campaign": campaign.pk,
        "notice": notice.pk,
        "application": application.pk,
        "waiting": waiting.application_id,
        "reviewed": reviewed,
        "search": quote(company),
        "public_notice": public_notice["notice_id"],
        "named_team": named_team["team_id"],
        "feature": feature.pk,
        "reassessment": reassessment.pk,
    }
    facts = {
        "grassroots_unions": UnionUnit.objects.filter(kind=UnionUnit.Kind.GRASSROOTS).count(),
        "teams": Team.objects.count(),
        "campaigns": Campaign.objects.count(),
        "applications": Application.objects.count(),
        "applications_in_campaign": campaign.size,
        "audit_events": AuditEvent.objects.count(),
        "applications_under_review": ReviewResult.objects.filter(campaign_id=reviewed).count(),
        "named_titles": Title.objects.count(),
        "teams_on_public_notice": public_notice["n"],
        "titles_of_named_team": named_team["n"],
        "revocations": Revocation.objects.count(),
        "revoked_titles": Title.objects.filter(state=Title.State.REVOKED).count(),
        "standing_features": Feature.objects.filter(withdrawn_at__isnull=True, title__state=Title.State.NAMED).count(),
        "photos_of_feature": feature.n,
        "titles_in_reassessment": reassessment.item_count,
    }
    if city is not None:
        facts["reports_waiting_at_city"] = ReassessmentItem.objects.filter(
            state=ReassessmentItem.State.WAITING,
            reassessment__state=Reassessment.State.RUNNING,
            unit__role_assignments__user=city,
            unit__role_assignments__role="staff",
        ).count()
    return ids, facts


def session_for(user) -> str:
    """A signed-in session for `user`, made as django.contrib.auth.login makes it but without the
    sign-in's side effects (last_login, the audit trail): the session key for the cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if signs_in(load_backend(path), user))
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def signs_in(backend, user) -> bool:
    get_user = getattr(backend, "get_user", None)
    return get_user is not None and get_user(user.pk) == user


def count_queries(path: str, session_key: str | None, *, signed_in: bool, warm: bool = True) -> dict:
    """One GET of `path` on a cold cache, after a first GET has warmed the process up: the status,
    whether the user was signed in, the number of queries and each query's SQL and time."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)  # a failing page is a 500 in the report
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    if warm:
        read(client.get(path))
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        body = read(response)
    return {
        "path": path,
        "status": response.status_code,
        "signed_in_as_expected": response.wsgi_request.user.is_authenticated == signed_in,
        "bytes": len(body),
        "queries": len(captured.captured_queries),
        "sql": [{"sql": q["sql"], "ms": float(q["time"]) * 1000} for q in captured.captured_queries],
    }


def read(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# Each candidate is timed this often by PostgreSQL and ranked by its best time: the first run may
# read from disk, and one timing inside a request is too noisy to rank by.
EXPLAIN_RUNS = 3


def explain_slowest(pages: dict, *, limit: int) -> list[dict]:
    """The `limit` heaviest distinct reading queries of the pages (planning and execution, best of
    EXPLAIN_RUNS), with their EXPLAIN (ANALYZE, BUFFERS) and the time each took in its request."""
    from django.db import connection

    distinct = {}
    for key, measured in pages.items():
        for query in measured["sql"]:
            sql = query["sql"]
            if sql.lstrip().upper().startswith(("SELECT", "WITH")) and sql not in distinct:
                distinct[sql] = {"sql": sql, "ms": query["ms"], "page": key}
    with connection.cursor() as cursor:
        for query in distinct.values():
            timings = []
            for _run in range(EXPLAIN_RUNS):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query["sql"])
                (plan,) = cursor.fetchone()[0]
                timings.append(plan["Planning Time"] + plan["Execution Time"])
            query["explain_ms"] = min(timings)
        chosen = sorted(distinct.values(), key=lambda q: q["explain_ms"], reverse=True)[:limit]
        for query in chosen:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            query["plan"] = "\n".join(row[0] for row in cursor.fetchall())
    return chosen


if __name__ == "__main__":
    sys.exit(main())
