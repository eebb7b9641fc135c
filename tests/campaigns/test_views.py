"""Campaign pages: forms that keep what was typed, attachments checked by content, the staff's and
the public's views, and a bounded number of queries on every list."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from campaigns.models import Attachment, Campaign, CriteriaTemplate
from campaigns.services import attachment_add, campaign_cancel, campaign_update
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def form_data(tree, **overrides):
    now = timezone.localtime()
    today = timezone.localdate()
    data = {
        "organiser": tree.city_a.pk,
        "template": CriteriaTemplate.objects.get(category="mengtao", is_default=True).pk,
        "title": "关于开展2027年度梦桃式班组创建的通知",
        "document_number": "甲工发〔2027〕5号",
        "category": "mengtao",
        "titles_to_award": "8",
        "body": "<div>各基层工会：</div>",
        "scope_unit": "",
        "application_opens_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "application_deadline": (now + timedelta(days=20)).strftime("%Y-%m-%dT17:30"),
        "recommendation_deadline": (now + timedelta(days=30)).strftime("%Y-%m-%dT17:30"),
        "review_starts_on": (today + timedelta(days=31)).isoformat(),
        "review_ends_on": (today + timedelta(days=40)).isoformat(),
        "public_notice_working_days": "5",
        "naming_planned_on": (today + timedelta(days=60)).isoformat(),
        "reminder_days": "7, 3, 1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, role_users):
    client.force_login(role_users["staff_unit"])
    return client


def test_staff_create_a_draft_with_the_default_criteria(staff_client, tree):
    response = staff_client.post(reverse("campaigns:create"), form_data(tree))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.organiser == tree.city_a and campaign.scope_unit == tree.city_a
    assert campaign.criteria.count() == 6
    assert campaign.reminder_days == [7, 3, 1]


def test_dates_out_of_order_keep_everything_typed(staff_client, tree):
    data = form_data(tree, application_deadline=form_data(tree)["application_opens_at"])
    response = staff_client.post(reverse("campaigns:create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "申报截止时间必须晚于申报开始时间" in page
    assert 'value="关于开展2027年度梦桃式班组创建的通知"' in page
    assert 'value="甲工发〔2027〕5号"' in page
    assert not Campaign.objects.exists()


def test_a_duplicate_document_number_gets_a_chinese_message(staff_client, tree):
    staff_client.post(reverse("campaigns:create"), form_data(tree))
    response = staff_client.post(reverse("campaigns:create"), form_data(tree, title="另一个通知"))
    assert "该组织单位已有相同文号的通知" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_script_in_the_body_never_reaches_a_page(staff_client, client, tree):
    staff_client.post(reverse("campaigns:create"), form_data(tree, body='<div>正文</div><script>alert("x")</script>'))
    campaign = Campaign.objects.get()
    page = staff_client.get(reverse("campaigns:preview", args=[campaign.pk])).content.decode()
    assert 'alert("x")' not in page and "<div>正文</div>" in page


def test_staff_cannot_organise_for_a_unit_they_do_not_work_for(staff_client, tree):
    response = staff_client.post(reverse("campaigns:create"), form_data(tree, organiser=tree.city_b.pk))
    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_scope_outside_the_organiser_is_refused(staff_client, tree):
    response = staff_client.post(reverse("campaigns:create"), form_data(tree, scope_unit=tree.city_b.pk))
    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_a_level_deadline_after_the_general_one_is_refused(staff_client, tree):
    late = (timezone.localtime() + timedelta(days=35)).strftime("%Y-%m-%dT17:30")
    response = staff_client.post(reverse("campaigns:create"), form_data(tree, deadline_grassroots=late))
    assert "推荐截止时间" in response.content.decode()
    assert not Campaign.objects.exists()
    early = (timezone.localtime() + timedelta(days=25)).strftime("%Y-%m-%dT17:30")
    staff_client.post(reverse("campaigns:create"), form_data(tree, deadline_grassroots=early))
    campaign = Campaign.objects.get()
    assert campaign.recommendation_deadline_for("grassroots") < campaign.recommendation_deadline
    assert campaign.recommendation_deadline_for("city") == campaign.recommendation_deadline


def test_publish_through_the_confirmation_page(staff_client, client, tree):
    campaign = make_campaign(organiser=tree.city_a)
    url = reverse("campaigns:transition", args=[campaign.pk, "publish"])
    assert "发布后立即对外公开" in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"confirmed": "on"})  # no quotas yet: confirmed
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PUBLISHED and campaign.published_at
    assert campaign.title in client.get(reverse("notices:list")).content.decode()


def test_a_double_click_on_publish_does_no_harm(staff_client, tree):
    campaign = make_campaign(organiser=tree.city_a)
    url = reverse("campaigns:transition", args=[campaign.pk, "publish"])
    staff_client.post(url, {"confirmed": "on"})
    second = staff_client.post(url, {"confirmed": "on"})
    assert second.status_code == 404  # publish is no longer a transition of a published campaign
    assert AuditEvent.objects.filter(action="campaigns.publish").count() == 1


def test_publishing_without_criteria_explains_why(staff_client, tree):
    campaign = make_campaign(organiser=tree.city_a, template=False)
    response = staff_client.post(reverse("campaigns:transition", args=[campaign.pk, "publish"]), follow=True)
    assert "通知还没有评选条件" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_criteria_page_of_a_published_campaign_explains_the_freeze(staff_client, tree):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    response = staff_client.get(reverse("campaigns:criteria", args=[campaign.pk]), follow=True)
    assert "通知发布后评选条件已锁定" in response.content.decode()


def test_criteria_editor_saves_the_set_and_refuses_a_set_without_scores(staff_client, tree):
    campaign = make_campaign(organiser=tree.city_a)
    url = reverse("campaigns:criteria", args=[campaign.pk])
    formset = staff_client.get(url).context["formset"]
    data = {"save": "1"}
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            key = form.add_prefix(name)
            if isinstance(value, list):
                data[key] = value
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = value.pk if hasattr(value, "pk") else value
    data.update({f"criteria-{k}": v for k, v in formset.management_form.initial.items()})
    data["criteria-0-max_score"] = "40"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["formset"].errors
    assert campaign.criteria.get(code="1").max_score == 40
    for index, form in enumerate(formset.forms):
        if form.instance.pk and not form.instance.is_veto:
            data[f"criteria-{index}-DELETE"] = "on"
    response = staff_client.post(url, data)
    assert "至少要有一项计分的评选条件" in response.content.decode()
    assert campaign.criteria.count() == 6


def test_quotas_over_the_titles_warn_but_save(staff_client, tree, role_users):
    campaign = make_campaign(organiser=tree.province, actor=role_users["staff_ancestor"])
    staff_client.force_login(role_users["staff_ancestor"])
    url = reverse("campaigns:quotas", args=[campaign.pk])
    data = {f"unit_{tree.city_a.pk}": "8", f"unit_{tree.city_b.pk}": "8", f"unit_{tree.industry.pk}": ""}
    response = staff_client.post(url, data, follow=True)
    assert "超过命名数量" in response.content.decode()
    assert campaign.quotas.count() == 2


def upload(staff_client, campaign, name, content):
    url = reverse("campaigns:attachments", args=[campaign.pk])
    return staff_client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_an_exe_renamed_pdf_is_refused(staff_client, tree):
    campaign = make_campaign(organiser=tree.city_a)
    response = upload(staff_client, campaign, "申报通知.pdf", EXE)
    assert "不是 PDF、Office 文档或图片" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(staff_client, tree, settings):
    settings.CAMPAIGN_ATTACHMENT_MAX_BYTES = 1024
    campaign = make_campaign(organiser=tree.city_a)
    response = upload(staff_client, campaign, "大文件.pdf", PDF + b"0" * 2048)
    assert "超过了" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("空白.pdf", b"", "“空白.pdf”是空文件（0 字节）"),
        ("申报通知.pdf", EXE, "“申报通知.pdf”不是 PDF、Office 文档或图片"),
        ("扫描件.pdf", PDF + b"0" * (1024 + 1 - len(PDF)), "“扫描件.pdf”的大小为 1,025 字节，超过了 1,024 字节 的上限"),
    ],
    ids=["empty", "wrong type", "one byte over"],
)
def test_an_attachment_error_is_shown_beside_the_file_field(staff_client, tree, settings, name, content, message):
    settings.CAMPAIGN_ATTACHMENT_MAX_BYTES = 1024
    campaign = make_campaign(organiser=tree.city_a)
    response = upload(staff_client, campaign, name, content)
    assert response.status_code == 200 and not Attachment.objects.exists()
    field = response.content.decode().split('id="div_id_file"')[1].split("</form>")[0]
    assert 'class="form-control is-invalid"' in field
    error = field.split('class="invalid-feedback"')[1]
    assert message in error.split("</")[0]


def test_a_good_attachment_is_stored_privately_with_its_hash(staff_client, client, tree, settings):
    campaign = make_campaign(organiser=tree.city_a)
    assert upload(staff_client, campaign, "申报表.png", PNG).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert "申报表" not in attachment.file.name  # stored under its hash, not the uploaded name
    download = staff_client.get(reverse("campaigns:attachment", args=[campaign.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PNG
    assert "attachment" in download["Content-Disposition"]
    # The notice is a draft: the public sees nothing yet.
    public = client.get(reverse("notices:attachment", args=[campaign.pk, attachment.pk]))
    assert public.status_code == 404


def test_a_public_attachment_url_with_another_notice_is_not_found(client, tree):
    first = make_campaign(organiser=tree.city_a, publish=True)
    second = make_campaign(organiser=tree.city_a, publish=True, document_number="测工发〔2026〕2号")
    attachment = attachment_add(actor=first.created_by, campaign=first, upload=SimpleUploadedFile("附件.pdf", PDF))
    assert client.get(reverse("notices:attachment", args=[first.pk, attachment.pk])).status_code == 200
    assert client.get(reverse("notices:attachment", args=[second.pk, attachment.pk])).status_code == 404


def test_staff_of_another_unit_editing_by_url(client, tree, role_users):
    campaign = make_campaign(organiser=tree.city_a)
    client.force_login(role_users["staff_sibling"])
    response = client.post(reverse("campaigns:edit", args=[campaign.pk]), form_data(tree, title="被改了"))
    assert response.status_code == 404
    client.force_login(role_users["auditor"])
    response = client.post(reverse("campaigns:edit", args=[campaign.pk]), form_data(tree, title="被改了"))
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.title != "被改了"


def test_the_public_page_counts_down_and_says_when_it_is_over(client, tree):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    page = client.get(reverse("notices:detail", args=[campaign.pk])).content.decode()
    assert "还剩 30 天" in page or "还剩 29 天" in page
    after_the_deadline = campaign.application_deadline + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=after_the_deadline):
        page = client.get(reverse("notices:detail", args=[campaign.pk])).content.decode()
    assert "已截止" in page  # the cached page of a minute ago is not served


def test_drafts_are_not_public(client, tree):
    campaign = make_campaign(organiser=tree.city_a)
    assert client.get(reverse("notices:detail", args=[campaign.pk])).status_code == 404
    assert campaign.title not in client.get(reverse("notices:list")).content.decode()


def test_a_cancelled_notice_stays_public_with_its_reason(client, tree):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    campaign_cancel(actor=campaign.created_by, campaign=campaign, reason="根据上级要求调整")
    page = client.get(reverse("notices:detail", args=[campaign.pk])).content.decode()
    assert "根据上级要求调整" in page and "已撤销" in page


def test_public_search(client, tree):
    make_campaign(organiser=tree.city_a, publish=True, title="梦桃式班组创建通知")
    make_campaign(organiser=tree.city_b, publish=True, title="工人先锋号创建通知", document_number="乙工发〔2026〕1号")
    page = client.get(reverse("notices:list"), {"q": "先锋号"}).content.decode()
    assert "工人先锋号创建通知" in page and "梦桃式班组创建通知" not in page


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_list_query_count(staff_client, tree, django_assert_num_queries, rows):
    for n in range(rows):
        make_campaign(organiser=tree.city_a, document_number=f"甲工发〔2026〕{n + 1}号")
    # session, the user with their roles, years, one page, uncounted, application counts, the bell
    with django_assert_num_queries(6):
        response = staff_client.get(reverse("campaigns:list"))
    assert len(response.context["page_obj"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_public_list_query_count(client, tree, django_assert_num_queries, rows):
    for n in range(rows):
        make_campaign(organiser=tree.city_a, document_number=f"甲工发〔2026〕{n + 1}号", publish=True)
    with django_assert_num_queries(2):  # the cache's version, one page, uncounted
        response = client.get(reverse("notices:list"))
    assert len(response.context["page_obj"]) == rows


@pytest.mark.parametrize("extra_attachments", [0, 2])
def test_public_notice_query_count(client, tree, django_assert_num_queries, extra_attachments):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    for n in range(extra_attachments):
        attachment_add(
            actor=campaign.created_by, campaign=campaign, upload=SimpleUploadedFile(f"{n}.pdf", PDF + bytes([n]))
        )
    # the cache's version, notice, criteria, attachments, level deadlines, calendar overrides
    with django_assert_num_queries(6):
        client.get(reverse("notices:detail", args=[campaign.pk]))


def test_a_deadline_extension_after_publishing_is_shown(client, tree):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    later = campaign.application_deadline + timedelta(days=7)
    campaign_update(actor=campaign.created_by, campaign=campaign, application_deadline=later)
    page = client.get(reverse("notices:detail", args=[campaign.pk])).content.decode()
    assert timezone.localtime(later).strftime("%Y-%m-%d %H:%M") in page


def test_public_pages_come_from_the_cache_until_what_they_show_changes(client, tree, django_assert_num_queries):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    url = reverse("notices:detail", args=[campaign.pk])
    first = client.get(url)
    assert "X-Public-Cache" not in first
    with django_assert_num_queries(1):  # the version: whether anything shown has changed
        second = client.get(url)
    assert second["X-Public-Cache"] == "hit" and campaign.title in second.content.decode()
    campaign_update(actor=campaign.created_by, campaign=campaign, title="关于创建“梦桃式班组”的通知（修订）")
    third = client.get(url)
    assert "X-Public-Cache" not in third and "（修订）" in third.content.decode()
    listing = client.get(reverse("notices:list"))
    assert "（修订）" in listing.content.decode()


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page(tree):
    from django.test import Client

    campaign = make_campaign(organiser=tree.city_a, publish=True)
    url = reverse("notices:detail", args=[campaign.pk])
    first, second = Client(), Client()
    first.get(url)
    page = second.get(url)
    assert page["X-Public-Cache"] == "hit"
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else second.cookies["csrftoken"].value
    assert 'name="csrfmiddlewaretoken" value="' in page.content.decode()
    assert "__csrf_token_of_the_visitor__" not in page.content.decode()
    # The language switcher of the cached page works for the second visitor: their token is valid.
    switched = second.post(reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302 and token


def test_signed_in_readers_and_the_deadline_minute_bypass_the_cache(client, tree, role_users):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    url = reverse("notices:detail", args=[campaign.pk])
    client.get(url)
    client.force_login(role_users["staff_unit"])
    assert "X-Public-Cache" not in client.get(url)
    client.logout()
    later = timezone.now() + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "X-Public-Cache" not in client.get(url)  # the countdown may read differently now
