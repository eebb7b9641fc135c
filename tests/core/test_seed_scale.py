"""The generated province (`seed_scale`): the small size loads, holds every state, is the same each
time, and refuses to load twice; the benchmark's users see what they should."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment, UnionUnit, User
from audit.models import AuditEvent
from awards.models import (
    CertificateCounter,
    Feature,
    FeaturePhoto,
    NamingDecision,
    NoticeEntry,
    Objection,
    PublicNotice,
    Reassessment,
    ReassessmentDecision,
    ReassessmentEvidence,
    ReassessmentItem,
    Revocation,
    Title,
)
from awards.reassessment_selectors import queue
from awards.search import search_text
from awards.services import certificate_number
from bench.config import EXPORTS, PAGES
from bench.probe import find_ids
from campaigns.models import Campaign
from core.scale import BENCH_USERS, SIZES
from reviews.assignment import Candidate, Expert, conflict_of
from reviews.chain import chain_paths
from reviews.models import Assignment, Conflict, Decision, PanelMember, Recommendation, ReviewResult, Score
from reviews.scoring import ReviewScores, aggregate_reviews, expert_total
from reviews.services.experts import departures, ranks_recompute
from teams.models import Application, ApplicationVersion, Evidence, Member, Team, pinyin_key

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_small_province_loads_in_every_state_and_the_bench_users_see_it(client):
    call_command("seed_scale", size="small", verbosity=0)
    size = SIZES["small"]
    root = UnionUnit.objects.get(code="SCALE-SMALL")
    assert (
        UnionUnit.objects.filter(kind=UnionUnit.Kind.GRASSROOTS, path__startswith=root.path).count() == size.grassroots
    )
    assert (
        UnionUnit.objects.get_descendant_count(root) == UnionUnit.objects.filter(path__startswith=root.path).count() - 1
    )
    assert Team.objects.count() == size.teams
    assert Member.objects.count() >= size.teams * size.members_per_team[0]
    assert 0.9 * size.applications <= Application.objects.count() <= size.applications
    assert set(Campaign.objects.values_list("status", flat=True)) == set(Campaign.Status.values)
    assert set(Application.objects.values_list("status", flat=True)) == set(Application.Status.values)
    withdrawn = Application.objects.filter(status=Application.Status.DRAFT, version__gte=1)
    assert withdrawn.exists()
    submitted = Application.objects.exclude(status=Application.Status.DRAFT)
    assert ApplicationVersion.objects.filter(application__in=submitted).count() >= submitted.count()
    assert Evidence.objects.count() >= 3 * submitted.count()
    assert AuditEvent.objects.filter(action="teams.application_submit").exists()
    # Every submitted application has its place in the chain, in every state the chain knows.
    assert Recommendation.objects.count() == Application.objects.filter(version__gte=1).count()
    assert set(Recommendation.objects.values_list("state", flat=True)) == set(Recommendation.State.values)
    assert Decision.objects.filter(accepted=True).exists() and Decision.objects.filter(kind="reject").exists()
    assert not Application.objects.filter(status=Application.Status.RETURNED, first_decision_at__isnull=True).exists()
    # The tree is sound: treebeard finds every unit's parent and children.
    city = UnionUnit.objects.get(code="SC-01")
    assert (
        UnionUnit.objects.get_parent(city) == root
        and UnionUnit.objects.get_children(city).filter(kind=UnionUnit.Kind.COUNTY).count() == 2
    )

    # Realistic lengths: full accounts of about a thousand characters and more.
    account = Application.objects.exclude(account="").values_list("account", flat=True).first()
    assert 800 <= len(account) <= 2000

    # The benchmark's users: the organiser's lists, the leader's home with a returned application.
    client.force_login(User.objects.get(username=BENCH_USERS["organiser"]))
    biggest = Campaign.objects.get(document_number="陕工发〔2026〕12号")
    assert client.get(reverse("applications:list"), {"campaign": biggest.pk}).status_code == 200
    assert client.get(reverse("teams:list")).status_code == 200
    client.force_login(User.objects.get(username=BENCH_USERS["leader"]))
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="returned"' in home and home.count('data-testid="team-card"') == 4

    # Loaded once: again with --if-missing does nothing, without it refuses.
    call_command("seed_scale", size="small", if_missing=True, verbosity=0)
    assert Team.objects.count() == size.teams
    with pytest.raises(CommandError):
        call_command("seed_scale", size="small", verbosity=0)
    with pytest.raises(CommandError):
        call_command("seed_scale", size="province", verbosity=0)
    # Loaded before a stage added its seeder: not taken for complete.
    UnionUnit.objects.filter(pk=root.pk).update(enterprise="seeded by accounts, campaigns, teams")
    with pytest.raises(CommandError, match="other seeders"):
        call_command("seed_scale", size="small", if_missing=True, verbosity=0)
    # Nor one loaded before the expert review extended the reviews app's seeder, or before the awards' stage.
    for mark in ("accounts, campaigns, teams, reviews", "accounts, campaigns, teams, reviews (chain + experts)"):
        UnionUnit.objects.filter(pk=root.pk).update(enterprise=f"seeded by {mark}")
        with pytest.raises(CommandError, match="other seeders"):
            call_command("seed_scale", size="small", if_missing=True, verbosity=0)


def test_the_same_size_loads_the_same_rows():
    call_command("seed_scale", size="small", verbosity=0)
    first = list(Team.objects.order_by("pk").values_list("name", "grassroots_union__code", "status")[:200])
    summaries = list(Application.objects.order_by("pk").values_list("summary", flat=True)[:50])
    reviews = _review_rows()
    call_command("flush", interactive=False, verbosity=0)  # the next load must find an empty database
    call_command("seed_scale", size="small", verbosity=0)
    assert list(Team.objects.order_by("pk").values_list("name", "grassroots_union__code", "status")[:200]) == first
    assert list(Application.objects.order_by("pk").values_list("summary", flat=True)[:50]) == summaries
    assert _review_rows() == reviews


def _review_rows() -> tuple:
    """What the expert review's load holds, ids and times aside (a flush does not restart the ids,
    and the times follow the clock of the load)."""
    return (
        [
            (code.split("-")[1], *rest)
            for code, *rest in ReviewResult.objects.order_by("pk").values_list(
                "code", "campaign__document_number", "application__team__name", "total", "rank", "state"
            )
        ],
        list(Assignment.objects.order_by("pk").values_list("expert__name", "state", "total", "overall_comment")),
        list(Score.objects.order_by("pk").values_list("points", "vetoed", "comment")[:2000]),
        list(Title.objects.order_by("certificate_number").values_list("certificate_number", "team_name", "state")),
        list(Objection.objects.order_by("pk").values_list("state", "entry__team_name", "facts")),
    )


def test_the_small_province_holds_the_expert_review():
    """Every application accepted at the organiser is under expert review, with its result as
    result_open makes it; about three experts each, none with a conflict of interest; the
    aggregates and ranks the services keep; the shortlists of the concluded campaigns."""
    call_command("seed_scale", size="small", verbosity=0)
    accepted = {
        p.application_id: p
        for p in Recommendation.objects.filter(state=Recommendation.State.ACCEPTED).select_related("campaign")
    }
    results = list(ReviewResult.objects.select_related("campaign", "application__team__grassroots_union"))
    assert len(accepted) > 100 and sorted(r.application_id for r in results) == sorted(accepted)
    campaigns = {r.campaign_id: r.campaign for r in results}
    assert {c.status for c in campaigns.values()} == {"published", "closed", "concluded"}

    # As result_open makes them: numbered per campaign in the order accepted, by the unit that
    # recommended each last below the organiser, with the version the place holds.
    accepted_at, recommended_by = {}, {}
    for d in Decision.objects.filter(application_id__in=list(accepted)).order_by("decided_at", "pk"):
        if d.accepted:
            accepted_at[d.application_id] = d.decided_at
        elif d.kind == Decision.Kind.RECOMMEND and d.unit_id != campaigns[d.campaign_id].organiser_id:
            recommended_by[d.application_id] = d.unit_id
    for campaign in campaigns.values():
        mine = sorted((r for r in results if r.campaign_id == campaign.pk), key=lambda r: (r.accepted_at, r.pk))
        assert [r.code for r in mine] == [f"PS{campaign.pk:03d}-{n:04d}" for n in range(1, len(mine) + 1)]
    for r in results:
        place = accepted[r.application_id]
        assert r.accepted_at == accepted_at[r.application_id]
        assert r.recommended_by_id == recommended_by.get(r.application_id, r.application.team.grassroots_union_id)
        assert (r.version, r.team_sort) == (place.version, place.team_sort)

    # Panels of 30 to 60 experts, each holding the expert role.
    panels = {}
    for member in PanelMember.objects.select_related("unit"):
        panels.setdefault(member.campaign_id, []).append(member)
    assert set(panels) == set(campaigns) and all(30 <= len(m) <= 60 for m in panels.values())
    experts = {m.expert_id for members in panels.values() for m in members}
    holders = RoleAssignment.objects.filter(role=RoleAssignment.Role.EXPERT, user_id__in=experts)
    assert holders.values("user_id").distinct().count() == len(experts)

    # About three experts each, never one with a conflict of interest (DESIGN.md, lifecycle step 4).
    conflicts = list(Conflict.objects.all())
    rules = {
        (campaign_id, m.expert_id): Expert(
            id=m.expert_id,
            unit_path=m.unit.path if m.unit else "",
            enterprise=m.enterprise,
            conflict_teams=frozenset(
                c.team_id for c in conflicts if (c.campaign_id, c.expert_id) == (campaign_id, m.expert_id) and c.team_id
            ),
            conflict_enterprises=tuple(
                c.enterprise
                for c in conflicts
                if (c.campaign_id, c.expert_id) == (campaign_id, m.expert_id) and c.enterprise
            ),
        )
        for campaign_id, members in panels.items()
        for m in members
    }
    assignments = {}
    for a in Assignment.objects.prefetch_related("scores"):
        assignments.setdefault(a.result_id, []).append(a)
    active_states = {Assignment.State.ASSIGNED, Assignment.State.STARTED, Assignment.State.SUBMITTED}
    declined = [a for mine in assignments.values() for a in mine if a.state == Assignment.State.DECLINED]
    assert declined and all(
        any(c.expert_id == a.expert_id and c.team_id for c in conflicts if c.campaign_id == a.campaign_id)
        for a in declined
    )
    criteria = {c: list(c.criteria.all()) for c in campaigns.values()}
    for r in results:
        mine = assignments.get(r.pk, [])
        active = [a for a in mine if a.state in active_states]
        submitted = [a for a in mine if a.state == Assignment.State.SUBMITTED]
        team = r.application.team
        candidate = Candidate(
            id=r.pk,
            team_id=team.pk,
            union_path=team.grassroots_union.path,
            enterprises=tuple(e for e in (team.enterprise, team.grassroots_union.enterprise) if e),
        )
        for a in active:
            assert conflict_of(rules[(r.campaign_id, a.expert_id)], candidate) is None, (r.code, a.expert_id)
        assert r.reviews_assigned == len(active) and r.reviews_done == len(submitted)
        if r.campaign.status == "published":  # the review window has not opened: nothing scored
            assert len(active) in (0, 3) and not submitted and not any(a.state == "started" for a in mine)
        else:
            assert len(active) == r.campaign.experts_per_application == 3
        if r.campaign.status == "concluded":
            assert len(submitted) == 3
        # Scores for every criterion of a review begun, within the maximum; the aggregates as the services compute.
        weights = {c.pk: c.weight for c in criteria[r.campaign] if not c.is_veto}
        for a in mine:
            scores = {s.criterion_id: s for s in a.scores.all()}
            assert set(scores) == (
                {c.pk for c in criteria[r.campaign]} if a.state in ("started", "submitted") else set()
            )
            assert all(
                s.points is None or 0 <= s.points <= c.max_score
                for c in criteria[r.campaign]
                if (s := scores.get(c.pk))
            )
            if a.state == Assignment.State.SUBMITTED:
                assert a.total == expert_total({c: scores[c].points for c in weights}, weights)
                assert a.vetoed == any(s.vetoed for s in scores.values() if s.criterion_id not in weights)
                assert all(s.comment for s in scores.values() if s.vetoed)
        outcome = aggregate_reviews(
            [
                ReviewScores(
                    points={s.criterion_id: s.points for s in a.scores.all() if s.criterion_id in weights},
                    vetoed=a.vetoed,
                )
                for a in submitted
            ],
            weights,
            r.campaign.aggregation,
        )
        assert (r.total, r.spread, r.vetoes) == (outcome.total, outcome.spread, outcome.vetoes)
        assert r.criterion_scores == {str(c): str(v) for c, v in outcome.by_criterion.items()}
    assert any(r.vetoes for r in results) and Score.objects.exclude(comment="").exists()
    assert Assignment.objects.filter(state=Assignment.State.STARTED).exists()

    # Ranks by total, equal totals sharing one; none without a submitted review or vetoed.
    withdrawn = set(
        NoticeEntry.objects.filter(state=NoticeEntry.State.WITHDRAWN).values_list("application_id", flat=True)
    )
    by_pk = {r.pk: r for r in results}
    for campaign in campaigns.values():
        mine = [r for r in results if r.campaign_id == campaign.pk]
        ranked = [r for r in mine if r.rank is not None]
        assert all(r.total is not None and not r.vetoes for r in ranked)
        assert all(r.total is None or r.vetoes for r in mine if r.rank is None)
        for r in ranked:
            assert r.rank == 1 + sum(other.total > r.total for other in ranked)
        before = dict(ReviewResult.objects.filter(campaign=campaign).values_list("pk", "rank"))
        ranks_recompute(campaign)
        assert dict(ReviewResult.objects.filter(campaign=campaign).values_list("pk", "rank")) == before

        # The shortlists of the campaigns whose review is over (concluded, or on public notice now): within
        # the titles, ranked ones only, every departure with its reason; a team an upheld objection took off
        # the notice is no longer shortlisted, and says why.
        if campaign.status == "concluded" or PublicNotice.objects.filter(campaign=campaign).exists():
            ranked.sort(key=lambda r: (r.rank, r.team_sort, r.pk))
            taken_off = {r.pk for r in mine if r.application_id in withdrawn}
            selected = {r.pk for r in mine if r.state == ReviewResult.State.SHORTLISTED} | taken_off
            assert 0 < len(selected) <= campaign.titles_to_award and selected <= {r.pk for r in ranked}
            assert {r.state for r in mine} == {ReviewResult.State.SHORTLISTED, ReviewResult.State.NOT_SELECTED}
            departed = departures(ranked, selected) - taken_off  # a team taken off carries the objection's reason
            assert {r.pk for r in mine if r.shortlist_reason and r.pk not in taken_off} == departed
            assert all(by_pk[pk].state == ReviewResult.State.NOT_SELECTED for pk in taken_off)
            assert all("异议" in by_pk[pk].shortlist_reason for pk in taken_off)
            assert all(r.decided_at and r.decided_at.date() > campaign.review_ends_on for r in mine)
        else:
            assert {r.state for r in mine} == {ReviewResult.State.REVIEWING}


def test_the_small_province_holds_public_notices_and_named_teams():
    """Every campaign whose review is over has its shortlist on public notice with a few objections (an
    upheld one takes its team off); each concluded one names the teams left on its notice, certificate
    numbers unique, consecutive within a decision and running on per prefix and year across decisions,
    with the registry's columns as naming_issue fills them; the current year's notice runs today; the
    benchmark's probe finds the biggest notice and a team named several times."""
    call_command("seed_scale", size="small", verbosity=0)
    today = timezone.localdate()
    notices = list(PublicNotice.objects.select_related("campaign"))
    reviewed = ReviewResult.objects.filter(state=ReviewResult.State.SHORTLISTED).values_list("campaign_id", flat=True)
    assert {n.campaign_id for n in notices} == set(reviewed)
    running = [n for n in notices if n.starts_on <= today <= n.ends_on]
    assert len(running) == 1 and running[0].campaign.status == Campaign.Status.CLOSED
    assert {n.campaign.status for n in notices if n not in running} == {Campaign.Status.CONCLUDED}
    for notice in notices:
        entries = list(notice.entries.order_by("order"))
        assert [e.order for e in entries] == list(range(1, len(entries) + 1))
        assert (notice.ends_on - notice.starts_on).days >= notice.working_days - 1
        assert notice.published_at.date() < notice.starts_on
        shortlisted = ReviewResult.objects.filter(campaign=notice.campaign, state=ReviewResult.State.SHORTLISTED)
        listed = {e.application_id for e in entries if e.state == NoticeEntry.State.LISTED}
        assert listed == set(shortlisted.values_list("application_id", flat=True))
        objections = list(notice.objections.select_related("entry"))
        assert objections and all(notice.starts_on <= o.filed_at.date() <= notice.ends_on for o in objections)
        upheld = [o for o in objections if o.state == Objection.State.UPHELD]
        assert len(upheld) == 1 and upheld[0].entry.state == NoticeEntry.State.WITHDRAWN
        assert {e.pk for e in entries if e.state == NoticeEntry.State.WITHDRAWN} == {upheld[0].entry_id}
        assert all(o.findings and o.decided_at > o.filed_at for o in objections if o.state != "investigating")
        if notice in running:
            assert {o.state for o in objections} == {"upheld", "dismissed", "investigating"}
            assert not NamingDecision.objects.filter(campaign=notice.campaign).exists()
            continue
        # Named after the notice: every team left on it, in its order, with consecutive numbers.
        decision = NamingDecision.objects.get(campaign=notice.campaign)
        assert decision.decided_on > notice.ends_on and decision.issued_at.date() >= decision.decided_on
        assert all(o.decided_at < decision.issued_at for o in objections)  # nothing open when naming
        assert f"等{len(listed)}个集体" in decision.text
        titles = list(decision.titles.select_related("team").order_by("certificate_number"))
        by_application = {e.application_id: e for e in entries}
        assert [t.application_id for t in titles] == [e.application_id for e in entries if e.application_id in listed]
        prefix = settings.CERTIFICATE_PREFIXES[notice.campaign.category]
        first = int(titles[0].certificate_number.rsplit("-", 1)[1])
        assert [t.certificate_number for t in titles] == [
            certificate_number(prefix, decision.decided_on.year, first + n) for n in range(len(titles))
        ]
        for title in titles:
            entry = by_application[title.application_id]
            assert (title.team_name, title.enterprise, title.region) == (
                entry.team_name,
                entry.enterprise,
                entry.region,
            )
            assert title.team_sort == pinyin_key(title.team_name) and title.industry == title.team.industry
            assert (title.year, title.level) == (decision.decided_on.year, decision.level)
            assert title.search_text == search_text(title.team_name, title.enterprise)
    # Numbers unique, each prefix and year's sequence running on from 1 across its decisions, its counter
    # at the last; a small share revoked, none of the latest year's.
    titles = list(Title.objects.values_list("certificate_number", "state", "decision__decided_on"))
    assert 70 <= len(titles) <= 150 and len({number for number, *_ in titles}) == len(titles)
    sequences = {}
    for number, *_ in titles:
        prefix, year, n = number.split("-")
        sequences.setdefault((prefix, int(year)), []).append(int(n))
    assert {key: sorted(ns) for key, ns in sequences.items()} == {
        key: list(range(1, len(ns) + 1)) for key, ns in sequences.items()
    }
    assert {(c.prefix, c.year): c.last for c in CertificateCounter.objects.all()} == {
        key: len(ns) for key, ns in sequences.items()
    }
    # A small share revoked (awards.scale_dynamic: the failed of the re-assessments among them, which
    # weigh more among the few titles of this size: 1.5 % of the province's).
    revoked = [decided for _n, state, decided in titles if state == Title.State.REVOKED]
    assert 0 < len(revoked) <= 0.15 * len(titles)
    for action in ("notice_publish", "objection_file", "objection_uphold", "objection_dismiss", "naming_issue"):
        assert AuditEvent.objects.filter(action=f"awards.{action}").exists()

    # The probe finds the biggest notice and the team with the most titles; every page's path resolves.
    ids, facts = find_ids(User.objects.get(username=BENCH_USERS["organiser"]))
    biggest = max(notices, key=lambda n: (n.entries.count(), -n.pk))
    assert ids["public_notice"] == biggest.pk and facts["teams_on_public_notice"] == biggest.entries.count()
    assert Title.objects.filter(team_id=ids["named_team"]).count() == facts["titles_of_named_team"] >= 2
    assert facts["named_titles"] == len(titles)
    assert Recommendation.objects.get(application_id=ids["waiting"]).campaign.status in Campaign.RUNNING
    for path in [page.path for page in PAGES] + [export.path for export in EXPORTS]:
        assert "{" not in path.format(**ids), path


LIST_PAGES = [
    ("organiser", "/teams/"),
    ("organiser", "/teams/?q=车间"),
    ("organiser", "/applications/?q=车间"),
    ("organiser", "/applications/?campaign={campaign}"),
    ("organiser", "/applications/"),
    ("organiser", "/campaigns/"),
    ("organiser", "/audit/"),
    ("organiser", "/units/"),
    ("organiser", "/users/"),
    ("organiser", "/"),
    ("organiser", "/recommendations/"),
    ("organiser", "/recommendations/campaigns/{campaign}/progress/"),
    ("city", "/recommendations/"),
    ("city", "/"),
    ("city", "/teams/"),
    ("city", "/applications/?campaign={campaign}"),
    ("city", "/campaigns/"),
    ("leader", "/"),
    ("leader", "/teams/mine/"),
    ("admin", "/admin/teams/team/"),
    (None, "/notices/"),
    (None, "/notices/{campaign}/"),
    (None, "/showcase/"),
    ("organiser", "/awards/reassessments/"),
    ("organiser", "/awards/reassessments/{reassessment}/"),
    ("organiser", "/awards/revocations/"),
    ("city", "/awards/reassessments/queue/"),
    ("city", "/awards/reassessments/"),
]


def _query_counts(client) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    biggest = Campaign.objects.get(document_number="陕工发〔2026〕12号")
    reassessment = Reassessment.objects.filter(state=Reassessment.State.RUNNING).order_by("-item_count").first()
    counts = {}
    for role, path in LIST_PAGES:
        client.logout()
        if role:
            client.force_login(User.objects.get(username=BENCH_USERS[role]))
        url = path.format(campaign=biggest.pk, reassessment=reassessment.pk)
        cache.clear()  # a cold cache, as the first visitor meets it
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[(role, path)] = len(queries)
    return counts


def test_every_list_page_makes_the_same_queries_whatever_the_size(client):
    """Two sizes of the same province, ten times apart: no list page makes one query more."""
    call_command("seed_scale", size="tiny", verbosity=0)
    tiny = _query_counts(client)
    call_command("flush", interactive=False, verbosity=0)
    call_command("seed_scale", size="small", verbosity=0)
    small = _query_counts(client)
    assert small == tiny
    assert max(small.values()) <= 12


def test_the_small_province_holds_dynamic_management(client):
    """Re-assessments (复核) with their items in every state, each state backed by the levels' opinions
    and the frozen versions; revocations (摘牌) with the titles in step; the showcase (典型) with photos
    of each team's own ledger."""
    call_command("seed_scale", size="small", verbosity=0)
    S, OUT, K = ReassessmentItem.State, ReassessmentItem.Outcome, ReassessmentDecision.Kind
    root = UnionUnit.objects.get(code="SCALE-SMALL")

    # The titles as the standing revocations leave them; reasons from the list, a few reversed.
    standing = {r.title_id: r for r in Revocation.objects.filter(reversed_at__isnull=True)}
    revoked = {t.pk: t for t in Title.objects.filter(state=Title.State.REVOKED)}
    assert standing and set(standing) == set(revoked)
    for pk, title in revoked.items():
        assert (title.revoked_on, title.revocation_reason) == (standing[pk].revoked_on, standing[pk].reason)
    assert not Title.objects.filter(state=Title.State.NAMED).exclude(revocation_reason="").exists()
    assert not Title.objects.filter(state=Title.State.NAMED, revoked_on__isnull=False).exists()
    reasons = set(Revocation.objects.values_list("reason", flat=True))
    assert Revocation.Reason.FAILED_REASSESSMENT in reasons and len(reasons) >= 3
    assert Revocation.objects.filter(reversed_at__isnull=False).exclude(reversal_reason="").exists()
    for r in Revocation.objects.select_related("title__decision"):
        assert r.title.decision.decided_on <= r.revoked_on <= timezone.localdate()

    # The showcase: features of named titles, standing and taken down, each with one to three photos,
    # images of a ledger entry of the feature's own team.
    features = list(Feature.objects.select_related("title"))
    assert len(features) >= 6 and any(f.withdrawn_at for f in features)
    assert Feature.objects.filter(withdrawn_at__isnull=True, title__state=Title.State.NAMED).exists()
    for feature in features:
        photos = list(FeaturePhoto.objects.filter(feature=feature).select_related("attachment__entry"))
        assert 1 <= len(photos) <= 3 and sorted(p.order for p in photos) == list(range(1, len(photos) + 1))
        for photo in photos:
            assert photo.attachment.entry.team_id == feature.title.team_id
            assert photo.attachment.content_type in ("image/jpeg", "image/png")
    standing_feature = Feature.objects.filter(withdrawn_at__isnull=True, title__state=Title.State.NAMED).first()
    assert client.get(reverse("showcase:detail", args=[standing_feature.pk])).status_code == 200

    # The re-assessments: one concluded, the big one running over every title of its year.
    running = Reassessment.objects.filter(state=Reassessment.State.RUNNING).order_by("-item_count")
    big = running.first()
    assert Reassessment.objects.filter(state=Reassessment.State.CONCLUDED).exists() and running.count() >= 2
    assert all(r.item_count == r.items.count() for r in Reassessment.objects.all())
    year = big.items.values_list("title__year", flat=True).first()
    assert set(big.items.values_list("title__year", flat=True)) == {year}
    assert (
        Title.objects.filter(year=year, state=Title.State.NAMED).exclude(reassessment_items__reassessment=big).count()
        == 0
    )
    assert set(big.items.values_list("state", flat=True)) == set(S.values)
    assert set(big.items.exclude(outcome="").values_list("outcome", flat=True)) == set(OUT.values)
    levels = set()
    for item in ReassessmentItem.objects.select_related("team__grassroots_union", "unit", "reassessment__organiser"):
        grassroots = item.team.grassroots_union.path
        chain = chain_paths(grassroots, item.reassessment.organiser.path)
        decisions = list(
            ReassessmentDecision.objects.filter(item=item).select_related("unit").order_by("decided_at", "id")
        )
        for d in decisions:
            assert d.unit.path in chain and d.level == chain.index(d.unit.path) + 1 and d.version <= item.version
        versions = list(item.versions.order_by("number"))
        assert [v.number for v in versions] == list(range(1, item.version + 1))
        if versions:
            hashes = set(ReassessmentEvidence.objects.filter(item=item).values_list("sha256", flat=True))
            assert versions[-1].evidence_hashes() <= hashes and item.answers.exists()
        if item.state in (S.NOT_STARTED, S.DRAFT) or item.outcome == OUT.NOT_REPORTED:
            assert not decisions and item.version == 0 and item.unit is None
        elif item.state == S.WAITING:
            position = chain.index(item.unit.path)
            levels.add(position if position < len(chain) - 1 else -1)
            passed = [d for d in decisions if d.kind == K.PASS]
            assert [d.unit.path for d in passed] == chain[:position]
            assert all(d.kind != K.RETURN or d.unit_id == item.unit_id for d in decisions)
        elif item.state == S.RETURNED:
            assert decisions[-1].kind == K.RETURN and decisions[-1].unit_id == item.unit_id
            assert decisions[-1].version == item.version
        else:
            assert item.state == S.CONCLUDED and item.outcome in (OUT.PASSED, OUT.FAILED) and item.concluded_at
            last = decisions[-1]
            assert last.unit.path == chain[-1] == item.unit.path and last.level == len(chain)
            assert last.kind == (K.PASS if item.outcome == OUT.PASSED else K.FAIL) and last.opinion == item.conclusion
    assert {0, 1, -1} <= levels  # waiting at the grassroots union, the level above it and the organiser
    assert UnionUnit.objects.filter(path=root.path).exists()

    # The city federation's staff find reports waiting in their queue.
    city = User.objects.get(username=BENCH_USERS["city"])
    assert queue(city).exists()
    client.force_login(city)
    assert client.get(reverse("awards:reassessment_queue")).status_code == 200
