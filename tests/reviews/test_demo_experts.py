"""The demo's expert review: the province's 工人先锋号 campaign under review now, with a panel of seven
experts from units across the province and reviews in every state; 西安市总工会's reviewed and
shortlisted, with a departure from rank order and its reasons. Loaded twice, nothing changes."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, REVIEW_ACCOUNTS
from accounts.models import RoleAssignment, UnionUnit
from audit.models import AuditEvent
from campaigns.models import Campaign
from reviews.models import Assignment, Conflict, Decision, PanelMember, ReviewResult, Score
from reviews.services import departures, review_window_open
from teams.models import Application

pytestmark = pytest.mark.django_db

A = Assignment.State
R = ReviewResult.State


def counts() -> tuple[int, ...]:
    models = (Campaign, Application, Decision, PanelMember, Conflict, Assignment, Score, ReviewResult, AuditEvent)
    return tuple(model.objects.count() for model in models)


def test_the_province_reviews_now_with_a_panel_of_seven_and_reviews_in_every_state(client):
    call_command("seed_demo")
    campaign = Campaign.objects.get(organiser__code="SX", document_number="陕工发〔2026〕6号")
    assert review_window_open(campaign)
    now = timezone.now()

    # Seven experts, each of another union: the province, two cities, the industry union, grassroots unions.
    panel = list(PanelMember.objects.filter(campaign=campaign).select_related("expert", "unit"))
    assert len(panel) == 7
    assert "expert" in {m.expert.username for m in panel}
    assert len({m.unit_id for m in panel}) == 7
    assert {m.unit.kind for m in panel} >= {
        UnionUnit.Kind.PROVINCIAL,
        UnionUnit.Kind.CITY,
        UnionUnit.Kind.INDUSTRY,
        UnionUnit.Kind.GRASSROOTS,
    }
    assert all(m.expert.has_role(RoleAssignment.Role.EXPERT) for m in panel)

    # Every state of a review, each at a time inside the review window and before now.
    assignments = list(
        Assignment.objects.filter(campaign=campaign).select_related(
            "expert", "result__application__team__grassroots_union"
        )
    )
    assert {a.state for a in assignments} == {A.ASSIGNED, A.STARTED, A.SUBMITTED, A.DECLINED}
    submitted = [a for a in assignments if a.state == A.SUBMITTED]
    assert all(a.overall_comment and a.total is not None for a in submitted)
    assert all(
        campaign.review_starts_on <= timezone.localdate(a.submitted_at) and a.submitted_at < now for a in submitted
    )
    criteria = campaign.criteria.count()
    for started in (a for a in assignments if a.state == A.STARTED):
        assert 0 < started.scores.exclude(points=None).count() < criteria  # half scored
    assert all(not a.scores.exists() for a in assignments if a.state == A.ASSIGNED)
    (declined,) = [a for a in assignments if a.state == A.DECLINED]
    assert "申请回避" in declined.decline_reason
    assert Conflict.objects.filter(campaign=campaign, expert=declined.expert, team=declined.result.application.team)
    assert Conflict.objects.filter(campaign=campaign, expert__username="expert").exclude(enterprise="").exists()
    (vetoed,) = [a for a in assignments if a.vetoed]
    assert vetoed.state == A.SUBMITTED
    assert vetoed.scores.get(criterion__is_veto=True).comment

    # No expert reviews a team of their own union or of an enterprise they declared.
    units = {m.expert_id: m.unit for m in panel}
    for assignment in assignments:
        if assignment.state != A.DECLINED:
            union = assignment.result.application.team.grassroots_union
            assert not units[assignment.expert_id].path.startswith(union.path), assignment
    assert not Assignment.objects.filter(
        campaign=campaign, expert__username="expert", result__application__team__name="提取班"
    ).exists()

    # A ranking of the reviewed applications; the vetoed one is disqualified; a wide spread is flagged.
    results = list(ReviewResult.objects.filter(campaign=campaign).order_by("rank"))
    ranked = [r for r in results if r.rank is not None]
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5]
    assert [r.total for r in ranked] == sorted((r.total for r in ranked), reverse=True)
    assert any(r.reviews_done < r.reviews_assigned for r in ranked)  # ranked on the reviews in so far
    (disqualified,) = [r for r in results if r.vetoes]
    assert disqualified.rank is None and disqualified.pk == vetoed.result_id
    assert any(r.spread > campaign.spread_threshold for r in ranked)
    assert all(r.state == R.REVIEWING for r in results)

    # The panel's and the unions' new accounts sign in with the demo password.
    for username, *_ in REVIEW_ACCOUNTS:
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post(reverse("logout"))

    before = counts()
    ranking = [(r.pk, r.total, r.rank) for r in results]
    call_command("seed_demo")
    assert counts() == before
    assert [(r.pk, r.total, r.rank) for r in ReviewResult.objects.filter(campaign=campaign).order_by("rank")] == ranking


def test_xian_reviewed_and_shortlisted_with_a_written_departure_from_rank():
    call_command("seed_demo")
    campaign = Campaign.objects.get(organiser__code="SX-XA", document_number="西工发〔2026〕5号")
    assert campaign.review_ends_on < timezone.localdate()
    assert set(Assignment.objects.filter(campaign=campaign).values_list("state", flat=True)) == {A.SUBMITTED}

    results = list(ReviewResult.objects.filter(campaign=campaign).select_related("application__team").order_by("rank"))
    shortlisted = [r for r in results if r.state == R.SHORTLISTED]
    not_selected = [r for r in results if r.state == R.NOT_SELECTED]
    assert len(shortlisted) == campaign.titles_to_award == 3
    assert len(not_selected) == 2
    assert len(shortlisted) + len(not_selected) == len(results)
    # 信号维护班 (4th) is shortlisted instead of 急诊护理班组 (3rd): both carry the written reason.
    assert min(r.rank for r in not_selected) < max(r.rank for r in shortlisted)
    needing = departures(results, {r.pk for r in shortlisted})
    assert needing
    assert {r.pk for r in results if r.shortlist_reason} == needing
    promoted = next(r for r in shortlisted if r.shortlist_reason)
    assert promoted.application.team.name == "信号维护班"
    assert str(promoted.total) in promoted.shortlist_reason
