"""The public registry of named teams (命名班组名录): every title, searched by any part of a team's or an
enterprise's name — in characters, in pinyin, by pinyin initials — with `%`, `_` and quotes taken as
typed; filtered by region, industry, year, level, category and status; a revoked title shown as
已摘牌 with its date and reason; the same list as CSV (UTF-8 with the byte order mark) and Excel; a
team's honours over the years; the dossier linked for those who may read it; and query counts that
do not grow with the rows."""

import csv
import io
from datetime import date
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Title
from awards.selectors import RegistryFilters, registry_titles
from awards.services import naming_issue
from teams.models import Team
from tests.conftest import ROLES
from tests.factories import UserFactory, make_campaign, make_title
from tests.workbooks import download, workbook_of

from .test_services import DECISION, end_notice, published

pytestmark = pytest.mark.django_db

LIST = reverse("registry:list")
CSV_URL = reverse("registry:export_csv")
XLSX_URL = reverse("registry:export_xlsx")


@pytest.fixture
def leader(tree):
    return UserFactory(username="minglu_leader", unit=tree.grassroots_a1, name="何小梅")


def make_registry_team(leader, union, name, enterprise, *, region="", industry="C") -> Team:
    team = Team.objects.create(
        name=name,
        enterprise=enterprise,
        grassroots_union=union,
        region=region,
        industry=industry,
        created_by=leader,
        status=Team.Status.APPROVED,
    )
    team.leaders.add(leader)
    return team


@pytest.fixture
def registry(tree, leader):
    """Two decisions of the province: 梦桃式班组 in 2025 (provincial) and 工人先锋号 in 2026 (city
    level), 赵梦桃小组 named by both; 综采一队's title revoked; names with `%`, `_` and quotes."""
    mengtao = make_campaign(organiser=tree.province, document_number="陕工发〔2025〕12号", publish=True)
    pioneer = make_campaign(
        organiser=tree.province, document_number="陕工发〔2026〕6号", category="pioneer", publish=True
    )
    a1, b1, i1 = tree.grassroots_a1, tree.grassroots_b1, tree.grassroots_i1
    teams = {
        "zmt": make_registry_team(leader, b1, "赵梦桃小组", "咸阳纺织集团有限公司", region="咸阳市"),
        "nurse": make_registry_team(leader, a1, "心内科护理班组", "西安市第一医院", region="西安市", industry="Q"),
        "mine": make_registry_team(leader, i1, "综采一队", "陕西黄陵矿业有限公司", region="延安市", industry="B"),
        "percent": make_registry_team(leader, a1, "100%达标班", "甲市机械厂", region="西安市"),
        "underscore": make_registry_team(leader, a1, "A_B班", "甲市机械厂", region="西安市"),
        "apostrophe": make_registry_team(leader, a1, "O'Neil班", "甲市机械厂", region="西安市"),
        "quoted": make_registry_team(leader, a1, '"一线"突击队', "甲市机械厂", region="西安市"),
    }
    first = {"campaign": mengtao, "decided_on": date(2025, 6, 30), "document_number": "陕工发〔2025〕30号"}
    second = {
        "campaign": pioneer,
        "decided_on": date(2026, 5, 20),
        "level": "city",
        "title": "陕西省工人先锋号",
        "document_number": "陕工发〔2026〕18号",
    }
    titles = {
        "zmt_2025": make_title(team=teams["zmt"], certificate_number="MT-2025-0001", **first),
        "nurse": make_title(team=teams["nurse"], certificate_number="MT-2025-0002", **first),
        "zmt_2026": make_title(team=teams["zmt"], certificate_number="GX-2026-0001", **second),
        "mine": make_title(team=teams["mine"], certificate_number="GX-2026-0002", state="revoked", **second),
    }
    for key in ("percent", "underscore", "apostrophe", "quoted"):
        titles[key] = make_title(team=teams[key], certificate_number=f"GX-2026-01{len(titles):02d}", **second)
    return teams, titles


def listed(client, **params) -> list[str]:
    """The certificate numbers the registry's page lists for the query, in its order."""
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [title.certificate_number for title in response.context["page_obj"]]


def numbers(*titles) -> list[str]:
    return [title.certificate_number for title in titles]


# --- Search ------------------------------------------------------------------------------------


def test_the_registry_lists_every_title_newest_year_first_then_by_pinyin(client, registry):
    _teams, titles = registry
    order = listed(client)
    assert len(order) == 8
    # 2026 first, in pinyin order: "yi xian" (quotes sort first), 100%…, A_B, O'Neil, 赵 before 综 (zhao, zong)
    assert order.index("GX-2026-0001") < order.index("GX-2026-0002")
    assert set(order[:6]) == {t.certificate_number for t in titles.values() if t.year == 2026}
    assert order[6:] == ["MT-2025-0002", "MT-2025-0001"]  # xin nei ke … before zhao meng tao


@pytest.mark.parametrize(
    "query", ["梦桃", "赵梦桃小组", "纺织", "咸阳纺织集团", "zmt", "ZMT", "zhaomengtao", "Zhao Meng Tao"]
)
def test_search_by_a_part_of_the_name_or_enterprise_in_characters_pinyin_or_initials(client, registry, query):
    found = listed(client, q=query)
    assert set(found) >= {"GX-2026-0001", "MT-2025-0001"}
    assert "MT-2025-0002" not in found and "GX-2026-0002" not in found


def test_search_by_the_initials_of_an_enterprise(client, registry):
    assert set(listed(client, q="hlky")) == {"GX-2026-0002"}  # 陕西黄陵矿业 → sxhlkyyxgs


def test_a_percent_sign_is_a_character_not_a_wildcard(client, registry):
    _teams, titles = registry
    assert listed(client, q="%") == numbers(titles["percent"])
    assert listed(client, q="100%") == numbers(titles["percent"])


def test_an_underscore_is_a_character_not_a_wildcard(client, registry):
    _teams, titles = registry
    assert listed(client, q="_") == numbers(titles["underscore"])
    assert listed(client, q="a_b") == numbers(titles["underscore"])


def test_quotes_are_searched_as_typed(client, registry):
    _teams, titles = registry
    assert listed(client, q="'") == numbers(titles["apostrophe"])
    assert listed(client, q="o'neil") == numbers(titles["apostrophe"])
    assert listed(client, q='"一线"') == numbers(titles["quoted"])
    assert listed(client, q="' OR '1'='1") == []
    page = client.get(LIST, {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in page and "&quot;&gt;&lt;script&gt;" in page


@pytest.mark.parametrize("query", ["", "   ", "\u3000"])
def test_an_empty_query_lists_everything(client, registry, query):
    assert len(listed(client, q=query)) == 8


def test_a_search_longer_than_the_box_allows_is_named_and_the_other_filters_still_apply(client, registry):
    response = client.get(LIST, {"q": "梦" * 101, "region": "西安市"})
    page = response.content.decode()
    assert 'data-testid="filter-errors"' in page and "搜索" in page and "100" in page
    assert {t.region for t in response.context["page_obj"]} == {"西安市"}
    assert "梦" * 101 in page  # what was typed stays in the box


def test_the_search_reads_the_trigram_index(registry):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    # What the page count reads (a test table is too small for the planner to need any index).
    sql, params = registry_titles(RegistryFilters(search="zhaomengtao")).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # nor walk another index, testing every row
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "title_search_trgm" in plan


# --- Filters -----------------------------------------------------------------------------------


def test_each_filter_narrows_the_list(client, registry):
    _teams, titles = registry
    assert set(listed(client, region="咸阳市")) == set(numbers(titles["zmt_2025"], titles["zmt_2026"]))
    assert listed(client, industry="Q") == numbers(titles["nurse"])
    assert set(listed(client, year="2025")) == set(numbers(titles["zmt_2025"], titles["nurse"]))
    assert set(listed(client, level="provincial")) == set(numbers(titles["zmt_2025"], titles["nurse"]))
    assert len(listed(client, category="pioneer")) == 6 and len(listed(client, category="mengtao")) == 2
    assert listed(client, status="revoked") == numbers(titles["mine"])
    assert len(listed(client, status="named")) == 7
    assert listed(client, q="zmt", year="2026", category="pioneer") == numbers(titles["zmt_2026"])


def test_the_filters_offer_the_years_and_regions_the_registry_has(client, registry):
    form = client.get(LIST).context["form"]
    assert [value for value, _label in form.fields["year"].choices] == ["", 2026, 2025]
    assert [value for value, _label in form.fields["region"].choices] == ["", "西安市", "咸阳市", "延安市"]


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"year": "1999"}, {"region": "火星"}, {"level": "galactic"}, {"status": "lost"}]
)
def test_a_filter_value_that_is_not_a_choice_is_named_in_chinese_and_the_rest_still_apply(client, registry, params):
    response = client.get(LIST, {**params, "industry": "Q"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="filter-errors"' in page and "选择一个有效的选项" in page
    assert [t.industry for t in response.context["page_obj"]] == ["Q"]


# --- Rows, states and the team's page ----------------------------------------------------------


def test_a_row_shows_the_public_columns_and_links_the_teams_page(client, registry):
    teams, _titles = registry
    page = client.get(LIST, {"q": "心内科"}).content.decode()
    for text in ("心内科护理班组", "西安市第一医院", "西安市", "卫生和社会工作", "2025", "省级", "陕西省梦桃式班组"):
        assert text in page, text
    assert "MT-2025-0002" in page and "证书编号" in page
    assert reverse("registry:team", args=[teams["nurse"].pk]) in page
    assert 'data-testid="dossier-link"' not in page  # not for the public


def test_a_revoked_title_stays_listed_as_revoked(client, registry):
    page = client.get(LIST, {"q": "综采"}).content.decode()
    assert "综采一队" in page and "已摘牌" in page and "title-revoked" in page
    assert "已命名" in client.get(LIST, {"q": "心内科"}).content.decode()


def test_a_teams_page_shows_its_honours_newest_first(client, registry):
    teams, _titles = registry
    response = client.get(reverse("registry:team", args=[teams["zmt"].pk]))
    assert response.status_code == 200
    assert [t.certificate_number for t in response.context["titles"]] == ["GX-2026-0001", "MT-2025-0001"]
    page = response.content.decode()
    shown = (
        "赵梦桃小组", "咸阳纺织集团有限公司", "命名文号", "证书编号", "已命名",
        "陕工发〔2026〕18号", "2026年5月20日", "市级", "陕西省工人先锋号",
        "陕工发〔2025〕30号", "2025年6月30日", "省级", "陕西省梦桃式班组",
    )  # fmt: skip
    for text in shown:
        assert text in page, text
    assert page.index("GX-2026-0001") < page.index("MT-2025-0001")


def test_a_teams_page_shows_a_revoked_title_as_revoked(client, registry):
    teams, _titles = registry
    page = client.get(reverse("registry:team", args=[teams["mine"].pk])).content.decode()
    assert "已摘牌" in page and "GX-2026-0002" in page


def test_a_team_with_no_title_has_no_page_in_the_registry(client, registry, tree, leader):
    unnamed = make_registry_team(leader, tree.grassroots_a1, "未命名班组", "甲市机械厂")
    assert client.get(reverse("registry:team", args=[unnamed.pk])).status_code == 404
    assert client.get(reverse("registry:team", args=[987654])).status_code == 404


def test_a_renamed_team_keeps_the_name_it_was_named_under(client, registry):
    teams, titles = registry
    Title.objects.filter(pk=titles["zmt_2026"].pk).update(team_name="赵梦桃纺纱班")
    page = client.get(reverse("registry:team", args=[teams["zmt"].pk])).content.decode()
    assert "赵梦桃纺纱班" in page and "命名时名称：赵梦桃小组" in page


# --- The dossier ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_dossier_is_linked_exactly_for_those_who_may_read_the_application(client, tree, role_users, role):
    """A title of 乙班 of grassroots union A1 (led by `leader`): the link shows where the application's
    page opens — its leader, the staff above A1, the auditor, the superuser — and nowhere else."""
    campaign = make_campaign(organiser=tree.province, publish=True)
    team = make_registry_team(role_users["leader"], tree.grassroots_a1, "乙班", "甲市机械厂")
    title = make_title(campaign=campaign, team=team)
    if role_users[role] is not None:
        client.force_login(role_users[role])
    dossier = reverse("applications:detail", args=[title.application_id])
    opens = client.get(dossier).status_code == 200
    assert opens == (role in {"leader", "staff_unit", "staff_ancestor", "auditor", "superuser"})
    for url in (LIST, reverse("registry:team", args=[team.pk])):
        page = client.get(url).content.decode()
        assert (f'href="{dossier}"' in page) == opens, (role, url)


# --- Exports -------------------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    data = download(response)
    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


HEADER = [
    "证书编号", "班组名称", "所在单位", "地区", "行业", "年度",
    "命名级别", "活动", "命名称号", "命名文号", "命名日期", "状态", "摘牌日期", "摘牌原因",
]  # fmt: skip


def test_the_csv_has_the_bom_and_opens_as_utf8_with_the_filtered_rows(client, registry, leader):
    response = client.get(CSV_URL, {"q": "zmt"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = unquote(response["Content-Disposition"])
    assert f"命名班组名录-{timezone.localdate():%Y%m%d}.csv" in disposition
    header, *rows = csv_rows(response)
    assert header == HEADER
    assert rows == [
        ["GX-2026-0001", "赵梦桃小组", "咸阳纺织集团有限公司", "咸阳市", "C 制造业", "2026", "市级",
         "关于创建“梦桃式班组”的通知", "陕西省工人先锋号", "陕工发〔2026〕18号", "2026-05-20", "已命名", "", ""],
        ["MT-2025-0001", "赵梦桃小组", "咸阳纺织集团有限公司", "咸阳市", "C 制造业", "2025", "省级",
         "关于创建“梦桃式班组”的通知", "陕西省梦桃式班组", "陕工发〔2025〕30号", "2025-06-30", "已命名", "", ""],
    ]  # fmt: skip


def test_the_csv_shows_a_revoked_title_and_keeps_quotes_and_no_personal_data(client, registry, leader):
    rows = csv_rows(client.get(CSV_URL))
    by_number = {row[0]: row for row in rows[1:]}
    assert len(by_number) == 8
    assert by_number["GX-2026-0002"][11] == "已摘牌"
    assert '"一线"突击队' in by_number[registry[1]["quoted"].certificate_number]
    assert "O'Neil班" in by_number[registry[1]["apostrophe"].certificate_number]
    body = download(client.get(CSV_URL)).decode("utf-8-sig")
    assert leader.name not in body and leader.username not in body


def test_the_xlsx_opens_with_openpyxl_and_has_the_filtered_rows(client, registry):
    response = client.get(XLSX_URL, {"status": "revoked"})
    assert response.status_code == 200
    assert f"命名班组名录-{timezone.localdate():%Y%m%d}.xlsx" in unquote(response["Content-Disposition"])
    sheet = workbook_of(download(response)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert len(rows) == 2
    assert rows[1][:3] == ["GX-2026-0002", "综采一队", "陕西黄陵矿业有限公司"]
    assert rows[1][5] == 2026 and rows[1][10].date() == date(2026, 5, 20) and rows[1][11] == "已摘牌"


def test_an_export_with_a_bad_filter_applies_the_good_ones(client, registry):
    rows = csv_rows(client.get(CSV_URL, {"year": "abc", "industry": "Q"}))
    assert [row[0] for row in rows[1:]] == ["MT-2025-0002"]


# --- The cache ------------------------------------------------------------------------------------


def test_the_cached_page_follows_a_new_naming_and_a_revocation(client, registry, tree, leader):
    teams, titles = registry
    assert "综采二队" not in client.get(LIST).content.decode()
    assert client.get(LIST)["X-Public-Cache"] == "hit"
    campaign = make_campaign(organiser=tree.province, document_number="陕工发〔2026〕40号", publish=True)
    team = make_registry_team(leader, tree.grassroots_i1, "综采二队", "陕西黄陵矿业有限公司")
    make_title(campaign=campaign, team=team)
    assert "综采二队" in client.get(LIST).content.decode()
    team_page = reverse("registry:team", args=[teams["nurse"].pk])
    assert "已摘牌" not in client.get(team_page).content.decode()
    Title.objects.filter(pk=titles["nurse"].pk).update(state=Title.State.REVOKED)
    assert "已摘牌" in client.get(team_page).content.decode()
    assert "已摘牌" in client.get(LIST, {"q": "心内科"}).content.decode()


def test_signed_in_readers_get_their_own_page(client, registry, role_users):
    client.get(LIST)
    client.force_login(role_users["auditor"])
    response = client.get(LIST)
    assert not response.has_header("X-Public-Cache")
    assert 'data-testid="dossier-link"' in response.content.decode()


# --- Naming through the services -----------------------------------------------------------------


def test_the_teams_named_by_a_decision_are_in_the_registry(client, shortlisted):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    end_notice(notice)
    decision = naming_issue(actor=organiser, campaign=campaign, decided_on=timezone.localdate(), **DECISION)
    named = list(decision.titles.order_by("certificate_number"))
    assert len(named) == 2
    found = client.get(LIST, {"q": "gsbz"}).context["page_obj"]  # 公示班组 by its initials
    assert {t.certificate_number for t in found} == {t.certificate_number for t in named}
    page = client.get(reverse("registry:team", args=[named[0].team_id])).content.decode()
    assert named[0].certificate_number in page and DECISION["document_number"] in page and DECISION["title"] in page


# --- Query counts ---------------------------------------------------------------------------------


@pytest.fixture
def many(tree, leader):
    """`titles(n)`: n titles of one decision, each of its own team."""
    campaign = make_campaign(organiser=tree.province, publish=True)

    def titles(n):
        for number in range(Title.objects.count(), n):
            team = make_registry_team(leader, tree.grassroots_a1, f"计数班组{number}", "甲市机械厂", region="西安市")
            make_title(campaign=campaign, team=team)

    return titles


@pytest.mark.parametrize("rows", [1, 3, 12])
def test_the_public_list_query_count_does_not_grow(client, many, django_assert_num_queries, rows):
    many(rows)
    with django_assert_num_queries(4):  # the cache version, the filters' years and regions, count, page
        response = client.get(LIST, {"q": "jsbz", "region": "西安市"})
    assert len(response.context["page_obj"]) == rows


@pytest.mark.parametrize("rows", [1, 3, 12])
def test_the_signed_in_list_query_count_does_not_grow(client, many, role_users, django_assert_num_queries, rows):
    many(rows)
    client.force_login(role_users["staff_unit"])
    # session, the user with their roles, the filters' years and regions, count, page, the dossiers the reader may open
    with django_assert_num_queries(7):  # and the bell
        response = client.get(LIST)
    assert response.content.decode().count('data-testid="dossier-link"') == rows


@pytest.mark.parametrize("rows", [1, 3, 12])
@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_the_export_query_count_does_not_grow(client, many, django_assert_num_queries, rows, url):
    many(rows)
    with django_assert_num_queries(2):  # the filters' years and regions, the rows
        response = client.get(url, {"q": "计数"})
        download(response)


@pytest.mark.parametrize("rows", [1, 3])
def test_the_team_page_query_count_does_not_grow(client, tree, leader, role_users, django_assert_num_queries, rows):
    team = make_registry_team(leader, tree.grassroots_a1, "多次命名班组", "甲市机械厂")
    for number in range(rows):
        number_of = f"陕工发〔2026〕{50 + number}号"
        campaign = make_campaign(organiser=tree.province, document_number=number_of, publish=True)
        make_title(campaign=campaign, team=team)
    url = reverse("registry:team", args=[team.pk])
    with django_assert_num_queries(2):  # the cache version, the titles
        client.get(url)
    client.force_login(role_users["auditor"])
    # session, the user with their roles, the titles, the dossiers the reader may open, the bell
    with django_assert_num_queries(5):
        assert client.get(url).content.decode().count('data-testid="dossier-link"') == rows


# --- The naming decision's public page ----------------------------------------------------------


def test_the_decision_page_shows_its_text_and_the_teams_it_named(client, registry):
    _teams, titles = registry
    decision = titles["mine"].decision
    page = client.get(reverse("registry:decision", args=[decision.pk])).content.decode()
    assert "陕工发〔2026〕18号" in page and "经研究，决定命名。" in page
    assert page.count('data-testid="decision-title"') == 6
    assert "GX-2026-0002" in page and "已摘牌" in page and "MT-2025-0001" not in page
    assert reverse("registry:team", args=[titles["zmt_2026"].team_id]) in page
    listed_page = client.get(LIST).content.decode()
    assert reverse("registry:decision", args=[decision.pk]) in listed_page
    assert client.get(reverse("registry:decision", args=[decision.pk + 1000])).status_code == 404


@pytest.mark.parametrize("rows", [1, 3, 12])
def test_the_decision_page_query_count_does_not_grow(client, many, role_users, django_assert_num_queries, rows):
    many(rows)
    url = reverse("registry:decision", args=[Title.objects.first().decision_id])
    with django_assert_num_queries(3):  # the cache version, the decision, its titles
        assert client.get(url).content.decode().count('data-testid="decision-title"') == rows
    client.force_login(role_users["staff_unit"])
    # session, the user with their roles, the decision, its titles, the dossiers the reader may open, the bell
    with django_assert_num_queries(6):
        assert client.get(url).content.decode().count('data-testid="dossier-link"') == rows
