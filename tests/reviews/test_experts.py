"""The expert review's services on the real database: entering the review on acceptance, the panel and
its conflicts, automatic and manual assignment, declining, scoring within the window, submitting and
reopening, the aggregate and the ranking, excluding an application, and the shortlist (拟命名)."""

import threading
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from accounts.models import RoleAssignment, UnionUnit, User
from accounts.services import role_assign, unit_create
from audit.models import AuditEvent
from campaigns.models import Aggregation, Campaign, Criterion
from reviews.errors import ConflictOfInterest, NotAssigned, ReviewClosed, ShortlistRefused
from reviews.models import (
    ACTIVE_ASSIGNMENT_STATES,
    Assignment,
    Conflict,
    Decision,
    PanelMember,
    Recommendation,
    ReviewResult,
)
from reviews.services import (
    assignment_add,
    assignment_decline,
    assignments_auto,
    conflict_record,
    panel_add,
    review_exclude,
    review_reopen,
    review_submit,
    scores_save,
    shortlist_record,
)
from teams.errors import TransitionNotAllowed
from teams.models import Application, Team
from teams.services import application_withdraw
from tests.conftest import Tree
from tests.factories import UserFactory, decide, make_campaign, submitted_application, unit_staff

from .tallies import assert_the_tallies_match_the_chain

A = Assignment.State
R = ReviewResult.State
K = UnionUnit.Kind
EXPERT = RoleAssignment.Role.EXPERT
D = Decimal

# The applications: the grassroots union each team belongs to, and the team's enterprise.
APPLICANTS = {
    "a1": ("a1", "甲市机械厂"),
    "a2": ("a2", "甲市化工厂"),
    "b1": ("b1", "乙市纺织厂"),
    "b2": ("b2", "乙市电力（集团）公司"),
    "i1": ("i1", "测试矿业公司"),
    "p": ("p", "省直属电子厂"),
}
# The panel: each expert's own unit, and an enterprise when it is not their unit's.
PANEL = {
    "branch": ("a1_branch", ""),  # a branch union below A1: never A1's team
    "b1": ("b1", ""),  # B1's own union (and enterprise): never B1's team
    "city_a": ("city_a", ""),
    "city_b": ("city_b", ""),
    "industry": ("industry", ""),
    "province": ("province", ""),
    "chemist": ("province", ""),  # declares a conflict with A2's enterprise
    "power": ("province", "乙市电力 (集团) 公司"),  # works for B2's enterprise, typed differently
    "relative": ("province", ""),  # declares a conflict with I1's team
}
# Who may never review whom, by the rules.
CONFLICTS = {("a1", "branch"), ("a2", "chemist"), ("b1", "b1"), ("b2", "power"), ("i1", "relative")}


@dataclass
class Review:
    campaign: Campaign
    organiser: User
    units: dict[str, UnionUnit]
    applications: dict[str, Application]
    experts: dict[str, User]
    scored: list[Criterion]
    veto: Criterion

    def result(self, key: str) -> ReviewResult:
        return ReviewResult.objects.get(application=self.applications[key])

    def active(self, key: str) -> list[Assignment]:
        return list(
            Assignment.objects.filter(result__application=self.applications[key], state__in=ACTIVE_ASSIGNMENT_STATES)
            .select_related("expert")
            .order_by("pk")
        )

    def key_of(self, expert_id: int) -> str:
        return next(key for key, user in self.experts.items() if user.pk == expert_id)

    def set(self, **fields) -> None:
        Campaign.objects.filter(pk=self.campaign.pk).update(**fields)
        self.campaign.refresh_from_db()

    def open_window(self) -> None:
        today = timezone.localdate()
        self.set(review_starts_on=today - timedelta(days=1), review_ends_on=today + timedelta(days=1))


def accept(application: Application) -> None:
    """Decide up the chain until the organiser accepts the application."""
    for _level in range(5):
        if Recommendation.objects.get(application=application).state == Recommendation.State.ACCEPTED:
            return
        decide(application)
    raise AssertionError("the application never reached the organiser")


def make_expert(username: str, unit: UnionUnit) -> User:
    user = UserFactory(username=username, unit=unit)
    role_assign(actor=None, user=user, role=EXPERT, unit=unit)
    user.forget_roles()
    return user


def build_review(tree: Tree, campaign: Campaign, *, k: int = 3) -> Review:
    """Six applications of six grassroots unions, accepted by the province; nine experts on the panel,
    five of them with one conflict each (CONFLICTS)."""
    units = {
        "province": tree.province,
        "city_a": tree.city_a,
        "city_b": tree.city_b,
        "industry": tree.industry,
        "a1": tree.grassroots_a1,
        "b1": tree.grassroots_b1,
        "i1": tree.grassroots_i1,
    }
    grassroots = K.GRASSROOTS
    units["a2"] = unit_create(
        actor=None, parent=tree.city_a, name="甲市化工厂工会", kind=grassroots, code="T-A-2", enterprise="甲市化工厂"
    )
    units["b2"] = unit_create(
        actor=None,
        parent=tree.city_b,
        name="乙市电力公司工会",
        kind=grassroots,
        code="T-B-2",
        enterprise="乙市电力（集团）公司",
    )
    units["p"] = unit_create(
        actor=None,
        parent=tree.province,
        name="省直属电子厂工会",
        kind=grassroots,
        code="T-P-1",
        enterprise="省直属电子厂",
    )
    units["a1_branch"] = unit_create(
        actor=None, parent=tree.grassroots_a1, name="甲市机械厂一车间分工会", kind=grassroots, code="T-A-1-1"
    )
    Campaign.objects.filter(pk=campaign.pk).update(experts_per_application=k)
    campaign.refresh_from_db()
    organiser = unit_staff(tree.province)

    applications = {}
    for key, (unit_key, enterprise) in APPLICANTS.items():
        leader = UserFactory(username=f"leader-{key}", unit=units[unit_key])
        application = submitted_application(leader=leader, union=units[unit_key], campaign=campaign, name=f"{key}班组")
        Team.objects.filter(pk=application.team_id).update(enterprise=enterprise)
        accept(application)
        applications[key] = application

    experts = {}
    for key, (unit_key, enterprise) in PANEL.items():
        experts[key] = make_expert(f"expert-{key}", units[unit_key])
        panel_add(actor=organiser, campaign=campaign, expert=experts[key], enterprise=enterprise)
    conflict_record(
        actor=organiser,
        campaign=campaign,
        expert=experts["chemist"],
        reason="曾在该厂任职。",
        enterprise=" 甲市 化工厂",
    )
    conflict_record(
        actor=organiser,
        campaign=campaign,
        expert=experts["relative"],
        reason="亲属在该班组工作。",
        team=applications["i1"].team,
    )
    criteria = list(campaign.criteria.order_by("order"))
    return Review(
        campaign=campaign,
        organiser=organiser,
        units=units,
        applications=applications,
        experts=experts,
        scored=[c for c in criteria if not c.is_veto],
        veto=next(c for c in criteria if c.is_veto),
    )


@pytest.fixture
def review(tree, campaign) -> Review:
    return build_review(tree, campaign)


def fill(review: Review, assignment: Assignment, points, *, veto=False, reason="") -> Assignment:
    """Score every criterion as the assigned expert: `points` one value for all, or one per criterion."""
    values = points if isinstance(points, list) else [points] * len(review.scored)
    scores = {c.pk: {"points": str(v), "comment": "材料翔实。"} for c, v in zip(review.scored, values, strict=True)}
    scores[review.veto.pk] = {"vetoed": veto, "comment": reason}
    return scores_save(actor=assignment.expert, assignment=assignment, scores=scores, overall_comment="总体较好。")


def submit(review: Review, assignment: Assignment, points, **veto) -> Assignment:
    fill(review, assignment, points, **veto)
    return review_submit(actor=assignment.expert, assignment=assignment)


def loads(review: Review) -> dict[str, int]:
    counts = dict.fromkeys(review.experts, 0)
    for expert_id in Assignment.objects.filter(
        campaign=review.campaign, state__in=ACTIVE_ASSIGNMENT_STATES
    ).values_list("expert_id", flat=True):
        counts[review.key_of(expert_id)] += 1
    return counts


def snapshot(review: Review) -> set[tuple[int, int, int, str]]:
    return set(Assignment.objects.filter(campaign=review.campaign).values_list("pk", "result", "expert", "state"))


# --- Entering the review --------------------------------------------------------------------


def test_acceptance_opens_a_review_result_with_a_code_and_the_recommending_unit(review):
    results = {key: review.result(key) for key in APPLICANTS}
    codes = [r.code for r in results.values()]
    assert len(set(codes)) == len(codes)
    assert all(code.startswith(f"PS{review.campaign.pk:03d}-") for code in codes)
    # The unit that sent it up to the province: the city (or industry union), or the grassroots
    # union itself when it stands right below the province.
    assert results["a1"].recommended_by == review.units["city_a"]
    assert results["b2"].recommended_by == review.units["city_b"]
    assert results["i1"].recommended_by == review.units["industry"]
    assert results["p"].recommended_by == review.units["p"]
    for result in results.values():
        assert (result.state, result.version, result.reviews_assigned, result.rank) == (R.REVIEWING, 1, 0, None)
        assert result.campaign == review.campaign


def test_an_application_accepted_for_review_cannot_be_withdrawn_by_its_leader(review):
    application = Application.objects.get(pk=review.applications["a1"].pk)
    leader = application.team.leaders.get()
    with pytest.raises(TransitionNotAllowed):
        application_withdraw(actor=leader, application=application)
    assert Recommendation.objects.get(application=application).state == Recommendation.State.ACCEPTED


# --- Automatic assignment -------------------------------------------------------------------


def test_automatic_assignment_gives_k_experts_balanced_and_without_a_conflict(review):
    report = assignments_auto(actor=review.organiser, campaign=review.campaign)
    assert (report.assigned, report.short, report.panel) == (18, [], 9)
    for key in APPLICANTS:
        active = review.active(key)
        assert len(active) == 3
        assert review.result(key).reviews_assigned == 3
        for assignment in active:
            assert (key, review.key_of(assignment.expert_id)) not in CONFLICTS
            assert assignment.assigned_by is None and assignment.state == A.ASSIGNED
    counts = loads(review)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert AuditEvent.objects.filter(action="reviews.assign_auto").count() == 1


def test_automatic_assignment_reports_each_application_short_of_k_with_the_reason(review):
    review.set(experts_per_application=9)
    report = assignments_auto(actor=review.organiser, campaign=review.campaign)
    short = {result.application_id: why for result, why in report.short}
    conflicted = {review.applications[key].pk for key, _expert in CONFLICTS}
    assert set(short) == conflicted
    for why in short.values():
        assert "8" in why and "9" in why  # 8 of 9 experts, the panel has 9
    assert len(review.active("p")) == 9
    for key, expert in CONFLICTS:
        assert len(review.active(key)) == 8
        assert review.experts[expert].pk not in {a.expert_id for a in review.active(key)}


def test_a_second_run_fills_the_gaps_and_moves_no_review(review, tree, campaign):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    # One more application accepted (before the review starts: the organiser's deadline to accept).
    leader = UserFactory(username="leader-late", unit=tree.grassroots_b1)
    late = submitted_application(leader=leader, union=tree.grassroots_b1, campaign=campaign, name="后到班组")
    accept(late)
    review.open_window()
    started = review.active("a1")[0]
    fill(review, started, 10)
    done = review.active("b1")[0]
    submit(review, done, 12)
    before = snapshot(review)
    # More experts per application, and a newcomer on the panel.
    review.set(experts_per_application=4)
    newcomer = make_expert("expert-newcomer", tree.city_b)
    panel_add(actor=review.organiser, campaign=review.campaign, expert=newcomer)

    report = assignments_auto(actor=review.organiser, campaign=review.campaign)
    assert report.assigned == 6 + 4
    assert before <= snapshot(review)  # every earlier assignment kept, in its state
    assert Assignment.objects.get(pk=started.pk).state == A.STARTED
    assert Assignment.objects.get(pk=done.pk).state == A.SUBMITTED
    for key in APPLICANTS:
        assert len(review.active(key)) == 4
    assert ReviewResult.objects.get(application=late).reviews_assigned == 4
    # Nothing left to do: a third run changes nothing.
    again = snapshot(review)
    assert assignments_auto(actor=review.organiser, campaign=review.campaign).assigned == 0
    assert snapshot(review) == again


def test_a_conflict_declared_after_assignment_cancels_the_open_review_and_the_next_run_replaces_it(review):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    assignment = review.active("p")[0]
    expert = assignment.expert
    conflict_record(
        actor=review.organiser,
        campaign=review.campaign,
        expert=expert,
        reason="该专家是班组长的亲属。",
        team=review.applications["p"].team,
    )
    assert Assignment.objects.get(pk=assignment.pk).state == A.CANCELLED
    assert review.result("p").reviews_assigned == 2
    assert assignments_auto(actor=review.organiser, campaign=review.campaign).assigned == 1
    assert len(review.active("p")) == 3
    assert expert.pk not in {a.expert_id for a in review.active("p")}


# --- Manual assignment ----------------------------------------------------------------------


def test_a_manual_assignment_with_a_conflict_is_refused(review):
    for key, expert in CONFLICTS:
        with pytest.raises(ConflictOfInterest):
            assignment_add(actor=review.organiser, result=review.result(key), expert=review.experts[expert])
    assert not Assignment.objects.exists()


def test_a_manual_assignment_of_an_expert_off_the_panel_is_refused(review, tree):
    outsider = make_expert("expert-outsider", tree.city_b)
    with pytest.raises(ValidationError) as refused:
        assignment_add(actor=review.organiser, result=review.result("p"), expert=outsider)
    assert "expert" in refused.value.message_dict
    assert not Assignment.objects.exists()


def test_a_manual_assignment_is_recorded_once_with_who_made_it(review):
    result = review.result("a1")
    assignment = assignment_add(actor=review.organiser, result=result, expert=review.experts["city_a"])
    assert (assignment.state, assignment.assigned_by) == (A.ASSIGNED, review.organiser)
    assert review.result("a1").reviews_assigned == 1
    with pytest.raises(ValidationError):
        assignment_add(actor=review.organiser, result=result, expert=review.experts["city_a"])
    assert AuditEvent.objects.filter(action="reviews.assign").count() == 1


# --- Declining (回避) -------------------------------------------------------------------------


def test_a_declined_review_goes_to_another_expert_and_never_back(review):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    declined = review.active("p")[0]
    decliner = declined.expert
    others_before = {a.expert_id for a in review.active("p")} - {decliner.pk}

    replacement = assignment_decline(actor=decliner, assignment=declined, reason="我的亲属在该班组工作。")

    assert replacement is not None and replacement.expert_id not in {decliner.pk, *others_before}
    declined.refresh_from_db()
    assert (declined.state, declined.decline_reason) == (A.DECLINED, "我的亲属在该班组工作。")
    conflict = Conflict.objects.get(expert=decliner, team=review.applications["p"].team)
    assert conflict.reason == "我的亲属在该班组工作。"
    assert review.result("p").reviews_assigned == 3
    # Neither a second automatic run, nor more experts per application, nor staff by hand bring it back.
    review.set(experts_per_application=9)
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    assert decliner.pk not in {a.expert_id for a in review.active("p")}
    assert len(review.active("p")) == 8
    with pytest.raises(ConflictOfInterest):
        assignment_add(actor=review.organiser, result=review.result("p"), expert=decliner)


def test_only_the_assigned_expert_declines(review):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    assignment = review.active("p")[0]
    other = next(a.expert for a in review.active("a1") if a.expert_id != assignment.expert_id)
    with pytest.raises(NotAssigned):
        assignment_decline(actor=other, assignment=assignment, reason="回避。")
    assert Assignment.objects.get(pk=assignment.pk).state == A.ASSIGNED


# --- Scoring --------------------------------------------------------------------------------


def test_invalid_scores_are_refused_by_field_and_the_valid_ones_in_the_same_call_are_saved(review):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    assignment = review.active("p")[0]
    c1, c2, c3, c4, c5 = review.scored
    fill(review, assignment, 10)
    with pytest.raises(ValidationError) as refused:
        scores_save(
            actor=assignment.expert,
            assignment=assignment,
            scores={
                c1.pk: {"points": "21"},
                c2.pk: {"points": "-1"},
                c3.pk: {"points": "7.5"},
                c4.pk: {"points": "18", "comment": "好。"},
                c5.pk: {"points": "十分"},
                review.veto.pk: {"vetoed": False},
            },
        )
    assert set(refused.value.message_dict) == {f"points_{c.pk}" for c in (c1, c2, c3, c5)}
    saved = {s.criterion_id: s for s in Assignment.objects.get(pk=assignment.pk).scores.all()}
    assert [saved[c.pk].points for c in review.scored] == [D(10), D(10), D(10), D(18), D(10)]
    assert (saved[c4.pk].comment, saved[review.veto.pk].vetoed) == ("好。", False)
    assert Assignment.objects.get(pk=assignment.pk).state == A.STARTED


def test_half_points_are_taken_where_the_campaign_allows_them(review):
    review.set(half_points=True)
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    assignment = review.active("p")[0]
    submit(review, assignment, ["7.5", "20", "0", "19.5", "10"])
    assert Assignment.objects.get(pk=assignment.pk).total == D("57.00")


@pytest.mark.parametrize("window", ["before", "after"])
def test_outside_the_review_window_no_score_is_taken(review, window):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    assignment = review.active("p")[0]
    if window == "after":
        today = timezone.localdate()
        review.set(review_starts_on=today - timedelta(days=5), review_ends_on=today - timedelta(days=1))
    with pytest.raises(ReviewClosed):
        fill(review, assignment, 10)
    with pytest.raises(ReviewClosed):
        review_submit(actor=assignment.expert, assignment=assignment)
    assert not Assignment.objects.get(pk=assignment.pk).scores.exists()


def test_an_expert_cannot_score_or_submit_another_experts_review(review):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    assignment = review.active("p")[0]
    other = next(user for user in review.experts.values() if user.pk != assignment.expert_id)
    scores = {review.scored[0].pk: {"points": "10"}}
    with pytest.raises(NotAssigned):
        scores_save(actor=other, assignment=assignment, scores=scores)
    fill(review, assignment, 10)
    with pytest.raises(NotAssigned):
        review_submit(actor=other, assignment=assignment)
    assert Assignment.objects.get(pk=assignment.pk).state == A.STARTED


# --- Submitting -----------------------------------------------------------------------------


def test_an_incomplete_review_cannot_be_submitted(review):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    assignment = review.active("p")[0]
    expert = assignment.expert

    def refused_for() -> str:
        with pytest.raises(ValidationError) as refused:
            review_submit(actor=expert, assignment=assignment)
        assert Assignment.objects.get(pk=assignment.pk).state != A.SUBMITTED
        return " ".join(refused.value.messages)

    last = review.scored[-1]
    scores = {c.pk: {"points": "15"} for c in review.scored[:-1]}
    scores_save(actor=expert, assignment=assignment, scores=scores)
    message = refused_for()  # one criterion without a score, the veto item unanswered
    assert last.title in message and review.veto.title in message
    scores_save(actor=expert, assignment=assignment, scores={last.pk: {"points": "15"}})
    message = refused_for()  # the veto item still unanswered
    assert review.veto.title in message and last.title not in message
    scores_save(actor=expert, assignment=assignment, scores={review.veto.pk: {"vetoed": True}})
    assert review.veto.title in refused_for()  # a veto without its reason
    scores_save(
        actor=expert, assignment=assignment, scores={review.veto.pk: {"vetoed": True, "comment": "发生重大事故。"}}
    )
    submitted = review_submit(actor=expert, assignment=assignment)
    assert (submitted.state, submitted.vetoed, submitted.total) == (A.SUBMITTED, True, D(75))


def test_submitting_recomputes_the_aggregate_the_spread_and_the_ranks(review):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    first, second, third = review.active("p")
    submit(review, first, 15)  # 75
    result = review.result("p")
    assert (result.reviews_done, result.total, result.spread, result.rank) == (1, D(75), D(0), 1)
    submit(review, second, 16)  # 80
    submit(review, third, [20, 20, 20, 20, 10])  # 90
    result = review.result("p")
    assert (result.reviews_assigned, result.reviews_done) == (3, 3)
    assert result.total == D("81.67")  # three reviews: the plain mean, even when trimmed
    assert result.spread == D(15)
    by_code = {c.code: D(v) for c, v in zip(review.scored, ["17", "17", "17", "17", "13.67"], strict=True)}
    assert {int(pk): D(v) for pk, v in result.criterion_scores.items()} == {
        c.pk: by_code[c.code] for c in review.scored
    }
    assert (result.vetoes, result.rank) == (0, 1)

    submit(review, review.active("a2")[0], 16)  # 80
    assert (review.result("p").rank, review.result("a2").rank) == (1, 2)
    submit(review, review.active("b1")[0], [20, 20, 20, 15, 10])  # 85
    assert [review.result(k).rank for k in ("b1", "p", "a2")] == [1, 2, 3]
    submit(review, review.active("i1")[0], 16)  # 80, equal to A2: they share a rank
    assert [review.result(k).rank for k in ("b1", "p", "a2", "i1")] == [1, 2, 3, 3]
    assert review.result("a1").rank is None  # nothing submitted yet


def test_a_veto_disqualifies_the_application_from_the_ranking(review):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    submit(review, review.active("a2")[0], 16)  # 80
    vetoing, other = review.active("p")[:2]
    submit(review, other, 20)  # 100
    assert [review.result(k).rank for k in ("p", "a2")] == [1, 2]
    submit(review, vetoing, 20, veto=True, reason="申报期内发生重大安全生产责任事故。")
    result = review.result("p")
    assert (result.vetoes, result.disqualified, result.rank, result.total) == (1, True, None, D(100))
    assert review.result("a2").rank == 1


# --- Reopening ------------------------------------------------------------------------------


def test_the_organiser_reopens_a_review_and_the_ranking_follows_the_new_scores(review):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    first, second, third = review.active("p")
    submit(review, first, 15)  # 75
    submit(review, second, 16)  # 80
    submit(review, third, 15)  # 75
    submit(review, review.active("a2")[0], [17, 17, 17, 17, 16])  # 84
    assert (review.result("a2").rank, review.result("p").rank, review.result("p").total) == (1, 2, D("76.67"))

    with pytest.raises(ValidationError):
        review_reopen(actor=review.organiser, assignment=third, reason=" ")
    with pytest.raises(PermissionDenied):
        review_reopen(actor=third.expert, assignment=third, reason="打错了分。")
    reopened = review_reopen(actor=review.organiser, assignment=third, reason="专家反映第五项打错了分。")
    assert (reopened.state, reopened.total, reopened.submitted_at) == (A.STARTED, None, None)
    event = AuditEvent.objects.get(action="reviews.review_reopen")
    assert event.actor == review.organiser
    assert event.details["reason"] == "专家反映第五项打错了分。"
    result = review.result("p")
    assert (result.reviews_done, result.total) == (2, D("77.50"))

    submit(review, third, 20)  # 100: (75 + 80 + 100) / 3 = 85
    result = review.result("p")
    assert (result.reviews_done, result.total, result.spread) == (3, D(85), D(25))
    assert (review.result("p").rank, review.result("a2").rank) == (1, 2)
    with pytest.raises(ReviewClosed):
        review_reopen(actor=review.organiser, assignment=review.active("a1")[0], reason="未提交。")


# --- Who runs the review --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["expert", "auditor", "city_staff", "leader"])
def test_only_the_organisers_staff_run_the_review(review, tree, who):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    assignment = review.active("p")[0]
    submit(review, assignment, 15)
    if who == "expert":
        actor = assignment.expert
    elif who == "auditor":
        actor = UserFactory(username="auditor", unit=tree.province)
        role_assign(actor=None, user=actor, role=RoleAssignment.Role.AUDITOR, unit=tree.province)
        actor.forget_roles()
    elif who == "city_staff":
        actor = unit_staff(tree.city_a)
    else:
        actor = review.applications["p"].team.leaders.get()
    before = snapshot(review)
    attempts = [
        lambda: assignments_auto(actor=actor, campaign=review.campaign),
        lambda: assignment_add(actor=actor, result=review.result("p"), expert=review.experts["chemist"]),
        lambda: review_reopen(actor=actor, assignment=assignment, reason="重新评分。"),
        lambda: shortlist_record(actor=actor, campaign=review.campaign, selected=set(), reasons={}),
        lambda: review_exclude(actor=actor, result=review.result("a1"), reason="弄虚作假。"),
        lambda: conflict_record(
            actor=actor, campaign=review.campaign, expert=review.experts["city_a"], reason="回避。", enterprise="某厂"
        ),
        lambda: panel_add(actor=actor, campaign=review.campaign, expert=make_expert("expert-new", tree.city_b)),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert snapshot(review) == before
    assert review.result("a1").state == R.REVIEWING
    assert not PanelMember.objects.filter(expert__username="expert-new").exists()


# --- The shortlist --------------------------------------------------------------------------


@pytest.fixture
def ranked(tree, campaign) -> Review:
    """One expert per application, every review submitted: P 90, A2 85, B1 80, B2 75, I1 70 — and A1
    the highest total but vetoed. Two titles to award."""
    review = build_review(tree, campaign, k=1)
    review.set(titles_to_award=2)
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    for key, points in {"p": 18, "a2": 17, "b1": 16, "b2": 15, "i1": 14}.items():
        submit(review, review.active(key)[0], points)
    return review


def test_the_shortlist_waits_for_every_review(ranked):
    with pytest.raises(ShortlistRefused):
        shortlist_record(actor=ranked.organiser, campaign=ranked.campaign, selected=set(), reasons={})
    submit(ranked, ranked.active("a1")[0], 20, veto=True, reason="弄虚作假。")
    shortlist_record(actor=ranked.organiser, campaign=ranked.campaign, selected=set(), reasons={})


def test_the_shortlist_follows_the_rank_or_gives_reasons(ranked):
    submit(ranked, ranked.active("a1")[0], 20, veto=True, reason="弄虚作假。")
    pk = {key: ranked.result(key).pk for key in APPLICANTS}
    assert [ranked.result(k).rank for k in ("p", "a2", "b1", "b2", "i1", "a1")] == [1, 2, 3, 4, 5, None]
    organiser, campaign = ranked.organiser, ranked.campaign

    with pytest.raises(ShortlistRefused):  # more than the titles to award
        shortlist_record(actor=organiser, campaign=campaign, selected={pk["p"], pk["a2"], pk["b1"]}, reasons={})
    with pytest.raises(ShortlistRefused):  # vetoed, so unranked
        shortlist_record(actor=organiser, campaign=campaign, selected={pk["a1"]}, reasons={})
    # B1 (3rd) instead of A2 (2nd): both departures need a reason.
    with pytest.raises(ValidationError) as refused:
        shortlist_record(actor=organiser, campaign=campaign, selected={pk["p"], pk["b1"]}, reasons={})
    assert set(refused.value.message_dict) == {f"reason_{pk['b1']}", f"reason_{pk['a2']}"}
    with pytest.raises(ValidationError) as refused:
        shortlist_record(
            actor=organiser, campaign=campaign, selected={pk["p"], pk["b1"]}, reasons={pk["b1"]: "事迹更为突出。"}
        )
    assert set(refused.value.message_dict) == {f"reason_{pk['a2']}"}
    assert all(ranked.result(k).state == R.REVIEWING for k in APPLICANTS)

    shortlist_record(
        actor=organiser,
        campaign=campaign,
        selected={pk["p"], pk["b1"]},
        reasons={pk["b1"]: "事迹更为突出。", pk["a2"]: "存在未整改的安全隐患。"},
    )
    states = {k: ranked.result(k).state for k in APPLICANTS}
    assert states == {
        "p": R.SHORTLISTED,
        "b1": R.SHORTLISTED,
        "a2": R.NOT_SELECTED,
        "b2": R.NOT_SELECTED,
        "i1": R.NOT_SELECTED,
        "a1": R.NOT_SELECTED,
    }
    assert ranked.result("b1").shortlist_reason == "事迹更为突出。"
    assert ranked.result("a2").shortlist_reason == "存在未整改的安全隐患。"
    assert ranked.result("p").shortlist_reason == ""
    assert AuditEvent.objects.filter(action="reviews.shortlist").count() == 1


def test_a_shortlist_in_rank_order_needs_no_reason(ranked):
    submit(ranked, ranked.active("a1")[0], 20, veto=True, reason="弄虚作假。")
    selected = {ranked.result("p").pk, ranked.result("a2").pk}
    shortlist_record(actor=ranked.organiser, campaign=ranked.campaign, selected=selected, reasons={})
    assert {r.application_id for r in ReviewResult.objects.filter(state=R.SHORTLISTED)} == {
        ranked.applications["p"].pk,
        ranked.applications["a2"].pk,
    }


# --- Excluding an application ---------------------------------------------------------------


def test_an_application_excluded_after_assignment_leaves_the_review_and_the_ranking(review):
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    submitted_one, started_one, untouched = review.active("b2")
    submit(review, submitted_one, 19)  # 95
    fill(review, started_one, 10)
    submit(review, review.active("p")[0], 16)  # 80
    assert [review.result(k).rank for k in ("b2", "p")] == [1, 2]

    result = review_exclude(actor=review.organiser, result=review.result("b2"), reason="经查，申报材料弄虚作假。")

    assert (result.state, result.excluded_reason, result.rank) == (R.EXCLUDED, "经查，申报材料弄虚作假。", None)
    states = dict(Assignment.objects.filter(result=result).values_list("pk", "state"))
    assert states == {submitted_one.pk: A.SUBMITTED, started_one.pk: A.CANCELLED, untouched.pk: A.CANCELLED}
    assert review.result("p").rank == 1
    application = review.applications["b2"]
    assert Recommendation.objects.get(application=application).state == Recommendation.State.REJECTED
    decision = Decision.objects.filter(application=application).latest("id")
    assert (decision.kind, decision.unit, decision.decided_by, decision.opinion) == (
        Decision.Kind.REJECT,
        review.campaign.organiser,
        review.organiser,
        "经查，申报材料弄虚作假。",
    )
    assert AuditEvent.objects.filter(action="reviews.exclude").count() == 1
    assert_the_tallies_match_the_chain()
    # Its experts are free again, and no later run assigns it.
    assert assignments_auto(actor=review.organiser, campaign=review.campaign).assigned == 0
    assert len(review.active("b2")) == 1
    with pytest.raises(ReviewClosed):
        review_exclude(actor=review.organiser, result=result, reason="再次排除。")
    with pytest.raises(ReviewClosed):
        fill(review, Assignment.objects.get(pk=started_one.pk), 12)


# --- The trimmed mean -----------------------------------------------------------------------


def test_five_reviews_are_aggregated_without_the_highest_and_the_lowest(review):
    assert review.campaign.aggregation == Aggregation.TRIMMED
    review.set(experts_per_application=5)
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    assignments = review.active("p")
    assert len(assignments) == 5
    for assignment, points in zip(assignments, [8, 14, 15, 16, 17], strict=True):
        submit(review, assignment, points)  # totals 40, 70, 75, 80, 85: the mean would be 70
    result = review.result("p")
    assert (result.reviews_done, result.total, result.spread) == (5, D(75), D(45))
    assert {D(v) for v in result.criterion_scores.values()} == {D(15)}


def test_the_mean_campaign_keeps_every_review(review):
    review.set(experts_per_application=5, aggregation=Aggregation.MEAN)
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    for assignment, points in zip(review.active("p"), [8, 14, 15, 16, 17], strict=True):
        submit(review, assignment, points)
    assert review.result("p").total == D(70)


# --- Two experts at once --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_experts_submitting_at_once_are_both_counted(tree):
    campaign = make_campaign(organiser=tree.province, publish=True)
    review = build_review(tree, campaign, k=2)
    assignments_auto(actor=review.organiser, campaign=review.campaign)
    review.open_window()
    first, second = review.active("p")
    fill(review, first, 14)  # 70
    fill(review, second, 18)  # 90
    outcomes, barrier = [], threading.Barrier(2)

    def run(assignment):
        barrier.wait()
        try:
            review_submit(actor=assignment.expert, assignment=assignment)
            outcomes.append("done")
        except Exception as error:  # reported by the assertion below
            outcomes.append(repr(error))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(a,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["done", "done"]
    result = review.result("p")
    assert (result.reviews_done, result.total, result.spread, result.rank) == (2, D(80), D(20), 1)
