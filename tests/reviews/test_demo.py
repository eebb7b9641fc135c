"""The demo shows every state of the recommendation chain at several levels."""

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, Quota
from reviews.chain import Deadlines
from reviews.models import Decision, Recommendation
from reviews.selectors import campaign_progress

from .tallies import assert_the_tallies_match_the_chain

pytestmark = pytest.mark.django_db

S = Recommendation.State


def test_the_demo_chain_shows_every_state():
    call_command("seed_demo")
    places = {
        p.application.team.name: (p.state, p.unit.code, p.version)
        for p in Recommendation.objects.filter(campaign__document_number="陕工发〔2026〕12号").select_related(
            "application__team", "unit"
        )
    }
    assert places["细纱二车间甲班"] == (S.WAITING, "SX-XY-001", 2)  # returned by its union, resubmitted
    assert places["装配一班"] == (S.WAITING, "SX", 1)  # recommended by its union and the city
    assert places["2号线乘务一班"] == (S.WAITING, "SX-XA", 2)  # returned by the city, resubmitted
    assert places["急诊护理班组"] == (S.RETURNED, "SX-XA", 1)  # returned by the city, with the leader
    assert places["综采二队"] == (S.ACCEPTED, "SX", 1)
    assert places["熔制班"][0] == S.REJECTED
    assert places["综采一队"][0] == S.WITHDRAWN
    # The energy union has used its single place.
    quota = Quota.objects.get(unit__code="SX-NH", campaign__document_number="陕工发〔2026〕12号")
    used = Decision.objects.filter(campaign=quota.campaign, unit=quota.unit, kind="recommend").count()
    assert used == quota.max_recommendations == 1
    # 西安市总工会's own campaign: its grassroots deadline has passed with an application still below.
    xian = Campaign.objects.get(document_number="西工发〔2026〕8号")
    totals = campaign_progress(xian, Deadlines(xian))
    assert (totals.waiting_at_organiser, totals.overdue_below) == (1, 1)
    # Every move of the demo went through the services, and each kept its units' tallies.
    assert_the_tallies_match_the_chain()
    decisions = Decision.objects.count()
    call_command("seed_demo")
    assert Decision.objects.count() == decisions
