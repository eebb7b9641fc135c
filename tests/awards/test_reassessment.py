"""Re-assessment (复核) of named titles through the services: started over the titles a scope picks
(never revoked, foreign or already running ones); each team's report written, evidence uploaded or
picked from the ledger by hash, submitted before its deadline and frozen with hashes; passed, failed
or returned level by level up to the organiser, who concludes; not reported only after the deadline;
two staff deciding at once decide once."""

import threading
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from audit.models import AuditEvent
from awards import reassessment as services
from awards.models import Reassessment, ReassessmentDecision, ReassessmentItem, ReassessmentVersion, Title
from awards.reassessment import NotWaitingHere, ReportDeadlinePassed, ReportIncomplete, Scope, StaleReport
from core.demo import clock_at
from teams.services import ledger_entry_save
from tests.factories import PDF_BYTES, UserFactory, make_campaign, make_team, make_title, unit_staff, upload

S = ReassessmentItem.State
OUT = ReassessmentItem.Outcome


def build(tree, *, leader_name="fuhe_leader"):
    """Three teams of grassroots union A1 (below city A, below the province) named by the province
    in 2024, one of region 西安; a title of city B's own campaign; the province's staff."""
    campaign = make_campaign(organiser=tree.province, publish=True)
    leader = UserFactory(username=leader_name, unit=tree.grassroots_a1)
    teams = [make_team(leader=leader, union=tree.grassroots_a1, name=f"复核{i}班") for i in range(3)]
    type(teams[0]).objects.filter(pk=teams[0].pk).update(region="西安")
    teams[0].refresh_from_db()
    titles = [make_title(campaign=campaign, team=t, decided_on=date(2024, 7, 1)) for t in teams]
    city_b_campaign = make_campaign(organiser=tree.city_b, publish=True, document_number="乙工发〔2024〕1号")
    other_team = make_team(leader=UserFactory(username="other_leader"), union=tree.grassroots_b1, name="乙市班")
    other = make_title(campaign=city_b_campaign, team=other_team, decided_on=date(2024, 8, 1))
    return SimpleNamespace(
        campaign=campaign,
        leader=leader,
        teams=teams,
        titles=titles,
        other=other,
        staff=unit_staff(tree.province),
        staff_a1=unit_staff(tree.grassroots_a1),
        staff_a=unit_staff(tree.city_a),
    )


@pytest.fixture
def world(tree):
    return build(tree)


def start(world, tree, titles=None, **overrides):
    now = timezone.now()
    values = {
        "actor": world.staff,
        "organiser": tree.province,
        "title": "2024年度梦桃式班组复核",
        "document_number": "陕工发〔2026〕30号",
        "scope": "2024年命名的全部班组",
        "titles": world.titles if titles is None else titles,
        "report_deadline": now + timedelta(days=10),
        "review_deadline": now + timedelta(days=20),
    }
    values.update(overrides)
    return services.reassessment_start(**values)


def item_of(reassessment, team) -> ReassessmentItem:
    return ReassessmentItem.objects.get(reassessment=reassessment, team=team)


def fill(item, leader, text="复核期间坚持梦桃精神，成效显著。"):
    criteria = item.criteria_campaign.criteria.all()
    return services.report_save(actor=leader, item=item, statements={c.pk: f"{c.code}：{text}" for c in criteria})


def submitted(world, tree, team_index=0):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[team_index])
    fill(item, world.leader)
    return services.report_submit(actor=world.leader, item=item)


# --- Starting ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_scope_picks_the_titles_of_the_organisers_subtree(world, tree):
    province = tree.province
    assert set(services.scope_titles(province, Scope.YEAR, 2024)) == {*world.titles, world.other}
    assert set(services.scope_titles(tree.city_b, Scope.YEAR, 2024)) == {world.other}
    assert set(services.scope_titles(province, Scope.DECISION, world.titles[0].decision_id)) == set(world.titles)
    assert list(services.scope_titles(province, Scope.REGION, "西安")) == [world.titles[0]]
    numbers = [world.titles[1].certificate_number, world.other.certificate_number, "MT-1999-0001"]
    assert set(services.scope_titles(province, Scope.NUMBERS, numbers)) == {world.titles[1], world.other}
    assert not services.scope_titles(province, Scope.YEAR, 2023).exists()


@pytest.mark.django_db
def test_start_makes_one_item_per_title_with_the_naming_campaigns_criteria(world, tree):
    reassessment = start(world, tree)
    assert reassessment.state == Reassessment.State.RUNNING and reassessment.item_count == 3
    items = list(reassessment.items.all())
    assert {i.title_id for i in items} == {t.pk for t in world.titles}
    assert all(i.state == S.NOT_STARTED and i.criteria_campaign_id == world.campaign.pk for i in items)
    assert all(i.team_id == i.title.team_id for i in items)
    event = AuditEvent.objects.get(action="awards.reassessment_start")
    assert event.details["teams"] == 3 and event.unit_id == tree.province.pk


@pytest.mark.django_db
def test_start_refuses_revoked_foreign_and_running_titles_and_an_empty_set(world, tree):
    Title.objects.filter(pk=world.titles[2].pk).update(state=Title.State.REVOKED)
    with pytest.raises(ValidationError, match=world.titles[2].certificate_number):
        start(world, tree)
    # City A may not re-assess the province's titles, nor city B's.
    staff_a = world.staff_a
    with pytest.raises(ValidationError, match=world.titles[0].certificate_number):
        start(world, tree, titles=world.titles[:1], actor=staff_a, organiser=tree.city_a)
    with pytest.raises(ValidationError):
        start(world, tree, titles=[])
    start(world, tree, titles=world.titles[:2])
    with pytest.raises(ValidationError, match=world.titles[1].certificate_number):
        start(world, tree, titles=world.titles[1:2], document_number="陕工发〔2026〕31号")
    assert Reassessment.objects.count() == 1


@pytest.mark.django_db
def test_start_needs_the_organisers_staff_and_deadlines_in_order(world, tree):
    with pytest.raises(PermissionDenied):
        start(world, tree, actor=world.staff_a1)
    with pytest.raises(ValidationError) as refused:
        start(world, tree, review_deadline=timezone.now() + timedelta(days=5))
    assert "review_deadline" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        start(world, tree, report_deadline=timezone.now() - timedelta(hours=1))
    assert "report_deadline" in refused.value.message_dict


# --- The report ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_saves_as_a_draft_and_is_submitted_complete_to_the_grassroots_union(world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    criteria = list(item.criteria_campaign.criteria.all())
    services.report_save(actor=world.leader, item=item, statements={criteria[0].pk: "只写了一条。"})
    item.refresh_from_db()
    assert item.state == S.DRAFT
    with pytest.raises(ReportIncomplete) as incomplete:
        services.report_submit(actor=world.leader, item=item)
    assert len(incomplete.value.missing) == sum(1 for c in criteria[1:] if c.statement_required)
    fill(item, world.leader)
    item = services.report_submit(actor=world.leader, item=item)
    assert (item.state, item.unit, item.version) == (S.WAITING, tree.grassroots_a1, 1)
    version = ReassessmentVersion.objects.get(item=item)
    assert version.content["criteria"][0]["statement"].startswith(criteria[0].code)
    with pytest.raises(services.ReassessmentRefused):
        services.report_save(actor=world.leader, item=item, statements={criteria[0].pk: "改一改"})


@pytest.mark.django_db
def test_only_the_teams_leaders_write_the_report(world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    for someone in (world.staff, world.staff_a1, UserFactory(username="stranger")):
        with pytest.raises(PermissionDenied):
            fill(item, someone)


@pytest.mark.django_db
def test_late_submission_is_refused_naming_the_deadline_in_beijing_time(world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    fill(item, world.leader)
    with clock_at(reassessment.report_deadline + timedelta(minutes=1)):
        with pytest.raises(ReportDeadlinePassed) as late:
            services.report_submit(actor=world.leader, item=item)
        assert services.is_overdue(item)
    deadline = timezone.localtime(reassessment.report_deadline).strftime("%Y-%m-%d %H:%M")
    assert deadline in str(late.value)
    item.refresh_from_db()
    assert item.state == S.DRAFT and item.version == 0


@pytest.mark.django_db
def test_evidence_uploaded_and_picked_from_the_ledger_is_frozen_with_its_hash(world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    criterion = item.criteria_campaign.criteria.first()
    added, errors = services.report_evidence_add(
        actor=world.leader, item=item, criterion=criterion, uploads=[upload("复核总结.pdf", PDF_BYTES + b"%r")]
    )
    assert len(added) == 1 and not errors
    ledger = ledger_entry_save(
        actor=world.leader,
        team=world.teams[0],
        occurred_on=date(2025, 5, 1),
        kind="activity",
        title="技术比武",
        uploads=[upload("比武照片.pdf", PDF_BYTES + b"%ledger")],
    )
    attachment = ledger.attached[0]
    picked = services.report_evidence_from_ledger(
        actor=world.leader, item=item, criterion=criterion, attachment=attachment
    )
    assert (picked.sha256, picked.file.name, picked.ledger_entry) == (
        attachment.sha256,
        attachment.file.name,
        ledger.entry,
    )
    with pytest.raises(ValidationError):  # the same file twice on one criterion
        services.report_evidence_from_ledger(actor=world.leader, item=item, criterion=criterion, attachment=attachment)
    other = ledger_entry_save(
        actor=UserFactory(username="other_leader"),
        team=world.other.team,
        occurred_on=date(2025, 5, 1),
        kind="activity",
        title="别队的",
        uploads=[upload("别队.pdf", PDF_BYTES + b"%other")],
    )
    with pytest.raises(PermissionDenied):
        services.report_evidence_from_ledger(
            actor=world.leader, item=item, criterion=criterion, attachment=other.attached[0]
        )
    fill(item, world.leader)
    item = services.report_submit(actor=world.leader, item=item)
    version = item.versions.get()
    assert version.evidence_hashes() == {added[0].sha256, attachment.sha256}
    frozen = version.content["criteria"][0]["evidence"]
    assert {e["ledger_entry"] for e in frozen if "ledger_entry" in e} == {str(ledger.entry)}
    assert all(e["stored"] == f"teams/{world.teams[0].pk}/{e['sha256']}" for e in frozen)


# --- Level by level ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_pass_and_fail_climb_level_by_level_and_the_organiser_concludes(world, tree):
    reassessment = start(world, tree)
    first, second = (item_of(reassessment, t) for t in world.teams[:2])
    for item in (first, second):
        fill(item, world.leader)
        services.report_submit(actor=world.leader, item=item)
    services.report_decide(actor=world.staff_a1, item=first, kind="pass", opinion="基层工会：同意通过。")
    first.refresh_from_db()
    assert (first.state, first.unit) == (S.WAITING, tree.city_a)
    services.report_decide(actor=world.staff_a, item=first, kind="fail", opinion="市总：台帐不全。")
    first.refresh_from_db()
    assert (first.state, first.unit) == (S.WAITING, tree.province)
    # The levels below do not conclude; the organiser does, with its own opinion.
    services.report_decide(actor=world.staff, item=first, kind="fail", opinion="省总：复核不合格。")
    first.refresh_from_db()
    assert (first.state, first.outcome, first.conclusion) == (S.CONCLUDED, OUT.FAILED, "省总：复核不合格。")
    levels = list(first.decisions.values_list("level", "kind", "unit"))
    assert levels == [
        (1, "pass", tree.grassroots_a1.pk),
        (2, "fail", tree.city_a.pk),
        (3, "fail", tree.province.pk),
    ]
    # The second passes up, and is concluded passed through the conclusion service.
    services.report_decide(actor=world.staff_a1, item=second, kind="pass", opinion="同意。")
    services.report_decide(actor=world.staff_a, item=second, kind="pass", opinion="同意。")
    services.reassessment_conclude(actor=world.staff, item=second, outcome="passed", opinion="复核合格。")
    second.refresh_from_db()
    assert second.outcome == OUT.PASSED and second.decisions.last().unit_id == tree.province.pk
    assert services.failed_title_ids(reassessment) == [first.title_id]


@pytest.mark.django_db
def test_a_return_goes_back_to_the_team_and_the_resubmission_to_the_unit_that_returned_it(world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    fill(item, world.leader)
    services.report_submit(actor=world.leader, item=item)
    services.report_decide(actor=world.staff_a1, item=item, kind="pass", opinion="同意。")
    services.report_decide(actor=world.staff_a, item=item, kind="return", opinion="请补充师带徒台帐。")
    item.refresh_from_db()
    assert (item.state, item.unit) == (S.RETURNED, tree.city_a)
    assert services.report_deadline_of(item) == reassessment.review_deadline
    # After the report deadline, a returned report may still be revised until the review deadline.
    with clock_at(reassessment.report_deadline + timedelta(days=1)):
        fill(item, world.leader, text="已补充师带徒台帐。")
        services.report_submit(actor=world.leader, item=item)
    item.refresh_from_db()
    assert (item.state, item.unit, item.version) == (S.WAITING, tree.city_a, 2)


@pytest.mark.django_db
def test_only_the_unit_where_it_waits_decides_and_not_after_the_review_deadline(world, tree):
    item = submitted(world, tree)
    with pytest.raises(PermissionDenied):
        services.report_decide(actor=world.staff_a, item=item, kind="pass", opinion="越级。")
    with pytest.raises(PermissionDenied):
        services.reassessment_conclude(actor=world.staff_a1, item=item, outcome="passed", opinion="越级。")
    with pytest.raises(ValidationError):
        services.report_decide(actor=world.staff_a1, item=item, kind="pass", opinion="   ")
    with clock_at(item.reassessment.review_deadline + timedelta(minutes=1)):
        with pytest.raises(services.ReassessmentRefused):
            services.report_decide(actor=world.staff_a1, item=item, kind="pass", opinion="同意。")
        # The organiser concludes what the levels below did not decide in time.
        services.reassessment_conclude(actor=world.staff, item=item, outcome="failed", opinion="逾期未审核完毕。")
    item.refresh_from_db()
    assert item.outcome == OUT.FAILED


@pytest.mark.django_db
def test_a_stale_version_is_refused(world, tree):
    item = submitted(world, tree)
    services.report_decide(actor=world.staff_a1, item=item, kind="return", opinion="请修改。")
    fill(item, world.leader, text="修改后。")
    services.report_submit(actor=world.leader, item=item)
    with pytest.raises(StaleReport):
        services.report_decide(actor=world.staff_a1, item=item, kind="pass", opinion="同意。", version=1)
    services.report_decide(actor=world.staff_a1, item=item, kind="pass", opinion="同意。", version=2)


@pytest.mark.django_db
def test_a_second_decision_of_the_same_unit_is_told_it_is_decided(world, tree):
    item = submitted(world, tree)
    services.report_decide(actor=world.staff_a1, item=item, kind="pass", opinion="同意。")
    with pytest.raises(NotWaitingHere):
        services.report_decide(actor=world.staff_a1, item=item, kind="fail", opinion="不同意。")


@pytest.mark.django_db
def test_not_reported_only_once_the_report_deadline_has_passed(world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[2])
    with pytest.raises(services.ReassessmentRefused):
        services.reassessment_conclude(actor=world.staff, item=item, outcome="not_reported", opinion="逾期未报送。")
    with clock_at(reassessment.report_deadline + timedelta(seconds=1)):
        services.reassessment_conclude(actor=world.staff, item=item, outcome="not_reported", opinion="逾期未报送。")
    item.refresh_from_db()
    assert (item.state, item.outcome) == (S.CONCLUDED, OUT.NOT_REPORTED)
    assert services.failed_title_ids(reassessment) == [item.title_id]


@pytest.mark.django_db
def test_the_reassessment_is_concluded_once_every_title_is(world, tree):
    reassessment = start(world, tree, titles=world.titles[:1])
    with pytest.raises(services.ReassessmentRefused):
        services.reassessment_close(actor=world.staff, reassessment=reassessment)
    item = item_of(reassessment, world.teams[0])
    with clock_at(reassessment.report_deadline + timedelta(seconds=1)):
        services.reassessment_conclude(actor=world.staff, item=item, outcome="not_reported", opinion="逾期未报送。")
    with pytest.raises(PermissionDenied):
        services.reassessment_close(actor=world.staff_a1, reassessment=reassessment)
    services.reassessment_close(actor=world.staff, reassessment=reassessment)
    reassessment.refresh_from_db()
    assert reassessment.state == Reassessment.State.CONCLUDED
    # Concluded, its titles may be re-assessed again.
    start(world, tree, titles=world.titles[:1], document_number="陕工发〔2027〕1号")


# --- At the same moment --------------------------------------------------------------------------


def run_at_once(calls) -> list[str]:
    outcomes, barrier = [], threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            call()
            outcomes.append("done")
        except NotWaitingHere:
            outcomes.append("decided")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_staff_deciding_one_report_at_once_decide_once(tree):
    world = build(tree)
    item = submitted(world, tree)
    second = UserFactory(username="staff-a1-2", unit=tree.grassroots_a1)
    from accounts.services import role_assign

    role_assign(actor=None, user=second, role="staff", unit=tree.grassroots_a1)
    outcomes = run_at_once(
        [
            lambda: services.report_decide(actor=world.staff_a1, item=item, kind="pass", opinion="同意。"),
            lambda: services.report_decide(actor=second, item=item, kind="return", opinion="请补充。"),
        ]
    )
    assert sorted(outcomes) == ["decided", "done"]
    assert ReassessmentDecision.objects.filter(item=item).count() == 1
