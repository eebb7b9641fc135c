"""The public's pages of the public notice (公示): the notices, one notice with its teams (withdrawn ones
struck through, leaders' names only where chosen), the real-name objection form with its arithmetic
check and its limits per address and per phone, and the look-up of an outcome by reference — never
showing who objected."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards.forms_public import read_challenge
from awards.models import NoticeEntry, Objection, PublicNotice
from awards.services import notice_publish, objection_decide
from campaigns.models import Campaign
from tests.factories import PDF_BYTES as PDF
from tests.factories import make_campaign

from .test_services import end_notice, file, published, shortlisted_campaign

OBJECTOR = {
    "name": "张三丰",
    "unit": "某某机械有限公司",
    "phone": "13912345678",
    "facts": "该班组申报的QC成果并非本班组完成。",
}


def running(notice):
    """Whatever today's weekday, the notice runs today."""
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=5)
    )
    notice.refresh_from_db()
    return notice


def full_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def notice(shortlisted):
    return running(published(*shortlisted))


def object_url(notice, entry=None):
    entry = entry or notice.entries.order_by("order").first()
    return reverse("publicity:object", args=[notice.pk, entry.pk])


def answered(client, url, **values) -> dict:
    """The form's data with the right answer to the challenge the form just asked."""
    form = client.get(url).context["form"]
    token = form.initial["challenge"]
    challenge = read_challenge(token)
    return {**OBJECTOR, "challenge": token, "answer": challenge["a"] + challenge["b"], **values}


# --- The notices and a notice ------------------------------------------------------------------


def test_the_list_shows_each_notice_with_its_period_and_teams(client, notice):
    response = client.get(reverse("publicity:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert notice.campaign.title in page
    assert notice.unit.name in page
    assert full_date(notice.starts_on) in page and full_date(notice.ends_on) in page
    assert reverse("publicity:detail", args=[notice.pk]) in page
    assert response.context["page_obj"][0].listed == 2


def test_the_notice_lists_its_teams_in_order_with_where_to_object(client, notice):
    response = client.get(reverse("publicity:detail", args=[notice.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    entries = list(notice.entries.order_by("order"))
    assert page.index(entries[0].team_name) < page.index(entries[1].team_name)
    for entry in entries:
        assert entry.enterprise in page and entry.union_name in page
        assert object_url(notice, entry) in page
    assert notice.contact_phone in page and notice.contact_address in page
    assert full_date(notice.starts_on) in page and full_date(notice.ends_on) in page
    assert notice.campaign.title in page
    assert "何小梅" in page  # the organiser chose to show the leaders' names


def test_leaders_names_stay_hidden_unless_the_organiser_chose_them(client, shortlisted):
    campaign, organiser = shortlisted
    notice = notice_publish(
        actor=organiser,
        campaign=campaign,
        contact_phone="029-87654321",
        contact_address="西安市新城区西五路",
        first_day=timezone.localdate(),
    )
    page = client.get(reverse("publicity:detail", args=[notice.pk])).content.decode()
    assert "何小梅" not in page
    assert 'data-testid="leader-names"' not in page


def test_a_team_taken_off_after_an_upheld_objection_is_struck_through(client, notice, shortlisted):
    objection = file(notice)
    objection_decide(actor=shortlisted[1], objection=objection, upheld=True, findings="经调查，反映问题属实。")
    withdrawn = NoticeEntry.objects.get(pk=objection.entry_id)
    page = client.get(reverse("publicity:detail", args=[notice.pk])).content.decode()
    assert 'data-testid="entry-withdrawn"' in page
    assert f'<span class="fw-semibold">{withdrawn.team_name}</span>' in page.split('data-testid="entry-withdrawn"')[1]
    assert "<del>" in page
    assert object_url(notice, withdrawn) not in page
    # nobody's identity: neither the objector's name nor phone
    assert OBJECTOR["name"] not in page and "张三" not in page and "13912345678" not in page
    # and the objection form for it says so, without a form
    response = client.get(object_url(notice, withdrawn))
    assert "form" not in response.context and b'data-testid="objection-closed"' in response.content


def test_the_notice_is_served_again_after_an_objection_is_upheld(client, notice, shortlisted):
    """The cached page of the notice follows an upheld objection at once."""
    url = reverse("publicity:detail", args=[notice.pk])
    assert b'data-testid="entry-withdrawn"' not in client.get(url).content
    assert client.get(url)["X-Public-Cache"] == "hit"
    objection_decide(actor=shortlisted[1], objection=file(notice), upheld=True, findings="属实。")
    assert b'data-testid="entry-withdrawn"' in client.get(url).content


# --- Filing an objection -----------------------------------------------------------------------


def test_filing_an_objection_shows_its_reference(client, notice):
    url = object_url(notice)
    response = client.post(url, answered(client, url))
    assert response.status_code == 200
    objection = Objection.objects.get()
    assert objection.reference.encode() in response.content
    assert b'data-testid="objection-filed"' in response.content
    assert reverse("publicity:lookup").encode() in response.content
    assert (objection.name, objection.unit, objection.phone) == (OBJECTOR["name"], OBJECTOR["unit"], OBJECTOR["phone"])
    assert objection.ip_address == "127.0.0.1"
    assert objection.entry == notice.entries.order_by("order").first()


def test_missing_fields_keep_what_was_typed(client, notice):
    url = object_url(notice)
    data = answered(client, url, unit="", phone="")
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Objection.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"unit", "phone"}
    page = response.content.decode()
    assert OBJECTOR["name"] in page and OBJECTOR["facts"] in page
    # the challenge answered right is kept, so the second try needs only the missing fields
    assert f'value="{data["challenge"]}"' in page and f'value="{data["answer"]}"' in page
    response = client.post(url, {**data, "unit": OBJECTOR["unit"], "phone": OBJECTOR["phone"]})
    assert b'data-testid="objection-filed"' in response.content


def test_a_wrong_answer_to_the_check_is_refused_with_a_new_question(client, notice):
    url = object_url(notice)
    data = answered(client, url)
    response = client.post(url, {**data, "answer": data["answer"] + 1})
    assert not Objection.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == ["answer"]
    page = response.content.decode()
    assert OBJECTOR["name"] in page and OBJECTOR["facts"] in page and OBJECTOR["phone"] in page
    assert form.data["challenge"] != data["challenge"]


def test_a_forged_or_spent_check_is_refused(client, notice):
    url = object_url(notice)
    response = client.post(url, {**OBJECTOR, "challenge": "forged", "answer": 2})
    assert "answer" in response.context["form"].errors
    data = answered(client, url)
    client.post(url, data)
    assert Objection.objects.count() == 1
    response = client.post(url, {**data, "phone": "13800000000"})  # the same answer again
    assert "answer" in response.context["form"].errors
    assert Objection.objects.count() == 1


def test_a_forged_check_is_refused_even_when_its_answer_fits_the_new_question(client, notice, monkeypatch):
    monkeypatch.setattr("awards.forms_public.secrets.randbelow", lambda n: 0)  # every new question: 1 + 1
    url = object_url(notice)
    for forged in ("forged", ""):
        response = client.post(url, {**OBJECTOR, "challenge": forged, "answer": 2})
        form = response.context["form"]
        assert "answer" in form.errors
        assert form.data["answer"] == "" and read_challenge(form.data["challenge"]) is not None
        assert OBJECTOR["facts"] in response.content.decode()
    assert not Objection.objects.exists()


def test_objections_from_one_address_are_limited(client, notice, settings):
    settings.OBJECTION_LIMIT_PER_IP_PER_HOUR = 2
    url = object_url(notice)
    for phone in ("13900000001", "13900000002"):
        assert b'data-testid="objection-filed"' in client.post(url, answered(client, url, phone=phone)).content
    response = client.post(url, answered(client, url, phone="13900000003"))
    assert Objection.objects.count() == 2
    assert response.context["form"].non_field_errors()
    assert b'data-testid="form-error"' in response.content
    # another address may still object
    other = answered(client, url, phone="13900000004")
    assert b"objection-filed" in client.post(url, other, REMOTE_ADDR="10.1.1.1").content


def test_objections_from_one_phone_are_limited(client, notice, settings):
    settings.OBJECTION_LIMIT_PER_PHONE_PER_DAY = 1
    url = object_url(notice)
    client.post(url, answered(client, url), REMOTE_ADDR="10.0.0.1")
    response = client.post(url, answered(client, url, phone="139 1234 5678"), REMOTE_ADDR="10.0.0.2")
    assert Objection.objects.count() == 1
    assert "phone" in response.context["form"].errors
    assert OBJECTOR["facts"] in response.content.decode()


def test_a_refused_objection_does_not_count_against_the_limits(client, notice, settings):
    settings.OBJECTION_LIMIT_PER_PHONE_PER_DAY = 1
    url = object_url(notice)
    client.post(url, answered(client, url, phone="12"))  # refused by the service: not a phone number
    assert not Objection.objects.exists()
    assert b"objection-filed" in client.post(url, answered(client, url)).content


def test_no_objection_outside_the_notice_period(client, notice):
    url = object_url(notice)
    data = answered(client, url)
    end_notice(notice)
    response = client.get(url)
    assert "form" not in response.context
    assert b'data-testid="objection-closed"' in response.content
    assert full_date(notice.ends_on).encode() in response.content
    client.post(url, data)
    assert not Objection.objects.exists()
    # the notice no longer offers the form
    assert url.encode() not in client.get(reverse("publicity:detail", args=[notice.pk])).content


def test_no_objection_before_the_notice_starts(client, notice):
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() + timedelta(days=2), ends_on=timezone.localdate() + timedelta(days=8)
    )
    response = client.get(object_url(notice))
    assert b'data-testid="objection-closed"' in response.content and "form" not in response.context


# --- Looking an objection up -------------------------------------------------------------------


def test_the_look_up_shows_the_state_and_then_the_findings_never_the_objector(client, notice, shortlisted):
    objection = file(notice, name="李四光", unit="秘密单位", phone="13711112222")
    url = reverse("publicity:lookup")
    response = client.get(url, {"reference": objection.reference.lower()})
    page = response.content.decode()
    assert 'data-testid="lookup-result"' in page
    assert 'data-testid="lookup-state"' in page and 'data-testid="lookup-findings"' not in page
    assert response.context["objection"].state == "investigating"
    for secret in ("李四光", "秘密单位", "13711112222"):
        assert secret not in page
    objection_decide(actor=shortlisted[1], objection=objection, upheld=False, findings="经调查，所反映问题不属实。")
    page = client.get(url, {"reference": objection.reference}).content.decode()
    assert "经调查，所反映问题不属实。" in page
    for secret in ("李四光", "秘密单位", "13711112222"):
        assert secret not in page


def test_the_look_up_of_an_unknown_reference_says_not_found(client, notice):
    file(notice)
    response = client.get(reverse("publicity:lookup"), {"reference": "YY20260101-00000000"})
    assert b'data-testid="lookup-not-found"' in response.content
    assert b'data-testid="lookup-result"' not in response.content
    assert client.get(reverse("publicity:lookup")).status_code == 200


# --- Queries -----------------------------------------------------------------------------------


def _more_notices(tree, organiser, count):
    """Notices made directly (the list needs the rows, not the reviews behind them)."""
    for number in range(count):
        campaign = make_campaign(
            organiser=tree.province, publish=True, document_number=f"陕工发〔2026〕{40 + number}号"
        )
        PublicNotice.objects.create(
            campaign=campaign,
            unit=tree.province,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + timedelta(days=6),
            working_days=5,
            contact_phone="029-87654321",
            contact_address="西安市",
            published_by=organiser,
            published_at=timezone.now(),
        )


@pytest.mark.parametrize("extra", [0, 2])
def test_the_list_queries_do_not_grow_with_its_rows(
    client, notice, shortlisted, tree, extra, django_assert_num_queries
):
    _more_notices(tree, shortlisted[1], extra)
    with django_assert_num_queries(3):  # the version, the count, the page
        response = client.get(reverse("publicity:list"))
    assert len(response.context["page_obj"]) == 1 + extra


@pytest.mark.parametrize("titles", [1, 3])
def test_the_notice_queries_do_not_grow_with_its_teams(client, tree, leader, titles, django_assert_num_queries):
    campaign, organiser = shortlisted_campaign(tree, leader, teams=3, titles=titles)
    notice = published(campaign, organiser)
    with django_assert_num_queries(3):  # the version, the notice, its teams
        response = client.get(reverse("publicity:detail", args=[notice.pk]))
    assert len(response.context["entries"]) == titles
    assert Campaign.objects.filter(pk=campaign.pk).exists()


# --- The attachment and the look-up's limit ----------------------------------------------------


def test_an_objection_takes_an_attachment_the_handling_staff_open(client, notice, shortlisted):
    url = object_url(notice)
    upload = SimpleUploadedFile("现场照片说明.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {**answered(client, url), "attachment": upload})
    assert b"objection-filed" in response.content
    objection = Objection.objects.get()
    assert objection.attachment_name == "现场照片说明.pdf" and objection.attachment_type == "application/pdf"
    download = reverse("awards:objection_attachment", args=[objection.pk])
    assert client.get(download).status_code == 302  # to the login: never public
    _campaign, organiser = shortlisted
    client.force_login(organiser)
    assert download in client.get(reverse("awards:objections", args=[notice.campaign_id])).content.decode()
    assert b"".join(client.get(download).streaming_content) == PDF


def test_a_bad_attachment_is_refused_and_what_was_typed_stays(client, notice):
    url = object_url(notice)
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(url, {**answered(client, url), "attachment": fake})
    assert not Objection.objects.exists()
    page = response.content.decode()
    assert OBJECTOR["facts"] in page and "证据.pdf" in page and "不是" in page


def test_a_good_attachment_is_kept_when_the_objection_fails(client, notice):
    url = object_url(notice)
    upload = SimpleUploadedFile("说明.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {**answered(client, url), "phone": "12", "attachment": upload})
    assert not Objection.objects.exists()
    (kept,) = response.context["form"].kept["attachment"]
    data = {**answered(client, url), "attachment-kept": kept.token}
    assert b"objection-filed" in client.post(url, data).content
    assert Objection.objects.get().attachment_name == "说明.pdf"


def test_look_ups_from_one_address_are_limited(client, notice, settings):
    settings.OBJECTION_LOOKUP_LIMIT_PER_IP_PER_HOUR = 2
    objection = file(notice)
    url = reverse("publicity:lookup")
    for _ in range(2):
        assert objection.reference in client.get(url, {"reference": objection.reference}).content.decode()
    response = client.get(url, {"reference": objection.reference})
    assert b'data-testid="form-error"' in response.content and "频繁" in response.content.decode()
    assert response.context["objection"] is None
    assert (
        objection.reference
        in client.get(url, {"reference": objection.reference}, REMOTE_ADDR="10.9.9.9").content.decode()
    )


def test_a_big_notice_is_shown_a_page_at_a_time_and_counts_all_its_teams(client, tree, leader, monkeypatch):
    monkeypatch.setattr("awards.views.public.NOTICE_PAGE_SIZE", 2)
    campaign, organiser = shortlisted_campaign(tree, leader, teams=3, titles=3)
    notice = published(campaign, organiser)
    url = reverse("publicity:detail", args=[notice.pk])
    first = client.get(url)
    assert [e.order for e in first.context["entries"]] == [1, 2]
    assert "3 个班组" in first.content.decode() or "3个班组" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert [e.order for e in second.context["entries"]] == [3]
