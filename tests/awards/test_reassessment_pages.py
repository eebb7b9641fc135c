"""The re-assessment's pages: the organiser starts one by a scope (the count shown, the input kept on
an error), follows it and concludes; the leader writes, saves and submits the report (a late one is
refused with nothing typed lost); the staff decide from their queue; the evidence files are private;
the lists' query counts do not grow with their rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards import reassessment as services
from awards.models import Reassessment, ReassessmentItem
from tests.factories import PDF_BYTES, UserFactory, make_team, make_title, upload

from .test_reassessment import build, fill, item_of, start

pytestmark = pytest.mark.django_db

S = ReassessmentItem.State


@pytest.fixture
def world(tree):
    return build(tree)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def past_report_deadline(reassessment) -> None:
    """The report deadline a minute ago (the pages run on the real clock: a session outlives no jump)."""
    Reassessment.objects.filter(pk=reassessment.pk).update(report_deadline=timezone.now() - timedelta(minutes=1))


def start_data(**overrides):
    now = timezone.localtime()
    data = {
        "organiser": "",
        "title": "2024年度梦桃式班组复核",
        "document_number": "陕工发〔2026〕30号",
        "scope_kind": "year",
        "year": "2024",
        "scope": "2024年命名的全部班组",
        "report_deadline": (now + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "review_deadline": (now + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "action": "start",
    }
    data.update(overrides)
    return data


def test_the_start_form_counts_the_titles_and_keeps_the_input(client, world, tree):
    client.force_login(world.staff)
    url = reverse("awards:reassessment_start")
    data = start_data(organiser=tree.province.pk, action="count")
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'data-count="4"' in response.content.decode()  # the three teams and city B's, all 2024
    # Hand-picked, with an unknown number: two concern the scope.
    numbers = f"{world.titles[0].certificate_number}，{world.titles[1].certificate_number} MT-1999-9"
    response = client.post(url, {**data, "scope_kind": "numbers", "numbers": numbers})
    assert 'data-count="2"' in response.content.decode()
    # An error (the review deadline before the report deadline) keeps what was typed.
    early = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {**data, "action": "start", "review_deadline": early})
    page = response.content.decode()
    assert response.status_code == 200 and "陕工发〔2026〕30号" in page and "2024年命名的全部班组" in page
    assert 'data-count="4"' in page
    response = client.post(url, {**data, "action": "start", "scope_kind": "region", "region": "西安"})
    reassessment = services.reassessments_visible_to(world.staff).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "awards:reassessment", args=[reassessment.pk]
    )
    assert [i.team for i in reassessment.items.all()] == [world.teams[0]]


def test_the_start_form_refuses_titles_already_running(client, world, tree):
    start(world, tree)
    client.force_login(world.staff)
    data = start_data(organiser=tree.province.pk, scope_kind="decision", decision=world.titles[0].decision_id)
    data["document_number"] = "陕工发〔2026〕31号"
    response = client.post(reverse("awards:reassessment_start"), data)
    assert response.status_code == 200 and 'data-testid="form-errors"' in response.content.decode()
    assert world.titles[0].certificate_number in response.content.decode()


def test_the_reassessment_page_marks_the_overdue_and_links_the_failed_to_revocation(client, world, tree):
    reassessment = start(world, tree)
    first = item_of(reassessment, world.teams[0])
    fill(first, world.leader)
    services.report_submit(actor=world.leader, item=first)
    client.force_login(world.staff)
    url = reverse("awards:reassessment", args=[reassessment.pk])
    page = client.get(url).content.decode()
    assert page.count('data-testid="item-row"') == 3 and 'data-testid="overdue"' not in page
    past_report_deadline(reassessment)
    page = client.get(url).content.decode()
    assert page.count('data-testid="overdue"') == 2 and page.count('data-testid="conclude-not_reported"') == 2
    item = item_of(reassessment, world.teams[1])
    response = client.post(
        reverse("awards:reassessment_conclude", args=[item.pk]),
        {"outcome": "not_reported", "opinion": "逾期未报送复核材料。"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "not_reported"
    page = client.get(url).content.decode()
    # The revocation page is another piece of work: the link shows where it is there.
    from django.urls import NoReverseMatch

    try:
        reverse("awards:revoke")
    except NoReverseMatch:
        assert 'data-testid="revoke-link"' not in page
    else:
        assert f"titles={item.title_id}&amp;reason=failed_reassessment" in page


def test_the_reassessment_page_prints_each_levels_opinion_escaped_with_its_line_breaks(client, world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    fill(item, world.leader)
    services.report_submit(actor=world.leader, item=item)
    services.report_decide(actor=world.staff_a1, item=item, kind="pass", opinion="材料齐全<b>。\n同意报送。")
    services.report_decide(actor=world.staff_a, item=item, kind="return", opinion="请补充 & 修改。")
    client.force_login(world.staff)
    page = client.get(reverse("awards:reassessment", args=[reassessment.pk])).content.decode()
    opinions = page.split('data-testid="opinions">')[1].split("</ol>")[0]
    assert opinions.count('data-testid="opinion"') == 2
    assert '<span class="badge text-bg-success">通过</span>' in opinions
    assert '<span class="badge text-bg-warning">退回修改</span>' in opinions
    assert "<div>材料齐全&lt;b&gt;。<br>同意报送。</div>" in opinions and "请补充 &amp; 修改。" in opinions
    assert tree.grassroots_a1.display_name in opinions and " · v1</span>" in opinions
    assert page.count("暂无意见") == 2  # the two titles not reported yet


def test_not_reported_is_refused_before_the_deadline_with_the_opinion_kept(client, world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[1])
    client.force_login(world.staff)
    response = client.get(reverse("awards:reassessment_conclude", args=[item.pk]))
    assert response.status_code == 302  # nothing to conclude yet


def test_the_reassessment_page_and_the_queue_cost_the_same_queries_for_one_and_three_titles(client, tree):
    world = build(tree)
    one = start(world, tree, titles=world.titles[:1])
    more_teams = [make_team(leader=world.leader, union=tree.grassroots_a1, name=f"添{i}班") for i in range(3)]
    more = [make_title(campaign=world.campaign, team=t) for t in more_teams]
    three = start(world, tree, titles=more, document_number="陕工发〔2026〕32号")
    for reassessment in (one, three):
        for item in reassessment.items.all():
            fill(item, world.leader)
            services.report_submit(actor=world.leader, item=item)
            services.report_decide(actor=world.staff_a1, item=item, kind="pass", opinion="同意。")
    client.force_login(world.staff)
    client.get(reverse("awards:reassessments"))  # the user and the bell's count, in the cache from now on
    counts = [queries(client, reverse("awards:reassessment", args=[r.pk])) for r in (one, three)]
    assert counts[0] == counts[1]
    client.force_login(world.staff_a)
    client.get(reverse("awards:reassessments"))
    client.get(reverse("awards:reassessment_queue"))  # the units' names, in the process's memory from now on
    first = queries(client, reverse("awards:reassessment_queue"))
    services.report_decide(
        actor=world.staff_a, item=one.items.get(), kind="pass", opinion="同意。"
    )  # one row fewer at city A
    assert queries(client, reverse("awards:reassessment_queue")) == first
    client.force_login(world.staff)
    client.get(reverse("awards:reassessments"))
    assert queries(client, reverse("awards:reassessments")) == queries(client, reverse("awards:reassessments"))


def test_the_leader_writes_saves_and_submits_the_report(client, world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    criteria = list(item.criteria_campaign.criteria.all())
    client.force_login(world.leader)
    url = reverse("awards:reassessment_report", args=[item.pk])
    assert client.get(url).status_code == 200
    data = {f"statement_{c.pk}": f"{c.code}：复核期间的做法。" for c in criteria}
    first = criteria[0].pk
    response = client.post(
        url, {**data, f"files_{first}": upload("复核总结.pdf", PDF_BYTES + b"%page"), "action": "save"}
    )
    assert response.status_code == 302
    assert item.evidence.count() == 1 and item.answers.count() == len(criteria)
    response = client.post(url, {**data, "action": "submit"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.version) == (S.WAITING, 1)
    page = client.get(url).content.decode()
    assert 'data-testid="report-form"' not in page and 'data-testid="version"' in page
    sha = item.evidence.get().sha256
    response = client.get(reverse("awards:reassessment_file", args=[item.pk, sha]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    # The staff of the grassroots union read it; a leader of another team gets a 404.
    client.force_login(world.staff_a1)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(username="someone_else"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("awards:reassessment_file", args=[item.pk, sha])).status_code == 404


def test_a_late_submission_is_refused_and_keeps_what_was_typed(client, world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    criteria = list(item.criteria_campaign.criteria.all())
    client.force_login(world.leader)
    url = reverse("awards:reassessment_report", args=[item.pk])
    data = {f"statement_{c.pk}": f"{c.code}：晚到的陈述。" for c in criteria}
    past_report_deadline(reassessment)
    reassessment.refresh_from_db()
    response = client.post(url, {**data, "action": "submit"})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="form-errors"' in page
    assert "晚到的陈述" in page
    assert timezone.localtime(reassessment.report_deadline).strftime("%Y-%m-%d %H:%M") in page
    item.refresh_from_db()
    assert item.state == S.NOT_STARTED and not item.answers.exists()


def test_the_leader_picks_a_ledger_file_on_the_page(client, world, tree):
    from datetime import date

    from teams.services import ledger_entry_save

    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    ledger = ledger_entry_save(
        actor=world.leader, team=world.teams[0], occurred_on=date(2025, 3, 1), kind="training", title="岗位培训",
        uploads=[upload("培训签到.pdf", PDF_BYTES + b"%train")],
    )  # fmt: skip
    criterion = item.criteria_campaign.criteria.first()
    client.force_login(world.leader)
    url = reverse("awards:reassessment_report", args=[item.pk])
    response = client.post(url, {f"ledger_{criterion.pk}": ledger.attached[0].pk, "action": "save"})
    assert response.status_code == 302
    evidence = item.evidence.get()
    assert (evidence.sha256, evidence.ledger_entry_id) == (ledger.attached[0].sha256, ledger.entry.pk)


def test_the_staff_decide_from_their_queue_up_to_the_organiser(client, world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    fill(item, world.leader)
    services.report_submit(actor=world.leader, item=item)
    client.force_login(world.staff_a1)
    page = client.get(reverse("awards:reassessment_queue")).content.decode()
    assert page.count('data-testid="queue-row"') == 1
    decide = reverse("awards:reassessment_decide", args=[item.pk])
    response = client.post(decide, {"kind": "pass", "opinion": "", "version": 1})
    assert response.status_code == 200  # the opinion is required
    assert client.post(decide, {"kind": "pass", "opinion": "同意。", "version": 1}).status_code == 302
    # City A's staff cannot open it at A1 any more; the page says where it waits.
    assert client.get(decide).status_code == 302
    client.force_login(world.staff_a)
    assert client.post(decide, {"kind": "fail", "opinion": "材料不实。", "version": 1}).status_code == 302
    client.force_login(world.staff)
    response = client.post(decide, {"kind": "pass", "opinion": "同意通过。", "version": 1})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.outcome) == (S.CONCLUDED, "passed")
    # Concluded, the leader sees the levels' opinions.
    client.force_login(world.leader)
    page = client.get(reverse("awards:reassessment_report", args=[item.pk])).content.decode()
    assert page.count('data-testid="opinion"') == 3


def test_a_stale_version_on_the_decide_page_is_refused(client, world, tree):
    reassessment = start(world, tree)
    item = item_of(reassessment, world.teams[0])
    fill(item, world.leader)
    services.report_submit(actor=world.leader, item=item)
    services.report_decide(actor=world.staff_a1, item=item, kind="return", opinion="请修改。")
    fill(item, world.leader, text="改好了。")
    services.report_submit(actor=world.leader, item=item)
    client.force_login(world.staff_a1)
    response = client.post(
        reverse("awards:reassessment_decide", args=[item.pk]), {"kind": "pass", "opinion": "同意。", "version": 1}
    )
    assert response.status_code == 200 and 'data-testid="form-errors"' in response.content.decode()
