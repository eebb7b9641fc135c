"""The generated province (`seed_scale`): the small size loads, holds every state, is the same each
time, and refuses to load twice; the benchmark's users see what they should."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import UnionUnit, User
from audit.models import AuditEvent
from campaigns.models import Campaign
from core.scale import BENCH_USERS, SIZES
from reviews.models import Decision, Recommendation
from teams.models import Application, ApplicationVersion, Evidence, Member, Team

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


def test_the_same_size_loads_the_same_rows():
    call_command("seed_scale", size="small", verbosity=0)
    first = list(Team.objects.order_by("pk").values_list("name", "grassroots_union__code", "status")[:200])
    summaries = list(Application.objects.order_by("pk").values_list("summary", flat=True)[:50])
    call_command("flush", interactive=False, verbosity=0)  # the next load must find an empty database
    call_command("seed_scale", size="small", verbosity=0)
    assert list(Team.objects.order_by("pk").values_list("name", "grassroots_union__code", "status")[:200]) == first
    assert list(Application.objects.order_by("pk").values_list("summary", flat=True)[:50]) == summaries


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
]


def _query_counts(client) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    biggest = Campaign.objects.get(document_number="陕工发〔2026〕12号")
    counts = {}
    for role, path in LIST_PAGES:
        client.logout()
        if role:
            client.force_login(User.objects.get(username=BENCH_USERS[role]))
        url = path.format(campaign=biggest.pk)
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
