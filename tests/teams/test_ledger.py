"""The team's ledger (台帐): entries, their files, and who may see and change them."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from teams.models import LedgerAttachment, LedgerEntry
from teams.selectors import ledger_entries
from teams.services import (
    ledger_attachment_remove,
    ledger_entry_delete,
    ledger_entry_save,
    team_approve,
    team_register,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def pdf(name="照片.pdf", extra=b""):
    return SimpleUploadedFile(name, PDF + extra, content_type="application/pdf")


def make_team(leader, union, name="甲班"):
    return team_register(actor=leader, grassroots_union=union, name=name, enterprise="甲市机械厂", industry="C")


def entry_values(**overrides):
    values = {"occurred_on": date(2025, 5, 1), "kind": "activity", "title": "技术比武", "description": "车间技术比武"}
    values.update(overrides)
    return values


def add_entry(actor, team, uploads=(), **overrides):
    return ledger_entry_save(actor=actor, team=team, uploads=uploads, **entry_values(**overrides))


@pytest.fixture
def team(tree, role_users):
    team = make_team(role_users["leader"], tree.grassroots_a1)
    team_approve(actor=role_users["staff_unit"], team=team)
    return team


# --- Services --------------------------------------------------------------------------------


def test_the_leader_records_edits_and_deletes_an_entry(team, role_users):
    leader = role_users["leader"]
    saved = add_entry(leader, team)
    entry = saved.entry
    assert saved.complete and (entry.team, entry.created_by, entry.title) == (team, leader, "技术比武")
    ledger_entry_save(actor=leader, team=team, entry=entry, **entry_values(title="技术比武决赛"))
    entry.refresh_from_db()
    assert entry.title == "技术比武决赛"
    ledger_entry_delete(actor=leader, entry=entry)
    assert not LedgerEntry.objects.exists()
    events = AuditEvent.objects.filter(target_type="teams.team", target_id=str(team.pk), action__startswith="teams.l")
    assert list(events.order_by("id").values_list("action", flat=True)) == [
        "teams.ledger_add",
        "teams.ledger_update",
        "teams.ledger_delete",
    ]
    update = events.get(action="teams.ledger_update")
    assert update.details["changes"] == {"title": ["技术比武", "技术比武决赛"]}
    assert update.unit == team.grassroots_union


def test_an_edit_that_changes_nothing_writes_no_event(team, role_users):
    entry = add_entry(role_users["leader"], team).entry
    ledger_entry_save(actor=role_users["leader"], team=team, entry=entry, **entry_values())
    assert AuditEvent.objects.filter(action="teams.ledger_update").count() == 0


def test_staff_of_the_union_above_may_keep_the_ledger(team, role_users):
    saved = add_entry(role_users["staff_ancestor"], team)
    assert saved.entry.created_by == role_users["staff_ancestor"]


@pytest.mark.parametrize("who", ["staff_sibling", "auditor", "expert", "another_leader"])
def test_others_cannot_write_the_ledger(team, tree, role_users, who):
    if who == "another_leader":
        actor = UserFactory(unit=tree.grassroots_a1)
        make_team(actor, tree.grassroots_a1, name="乙班")
    else:
        actor = role_users[who]
    entry = add_entry(role_users["leader"], team, uploads=[pdf()]).entry
    with pytest.raises(PermissionDenied):
        add_entry(actor, team)
    with pytest.raises(PermissionDenied):
        ledger_entry_save(actor=actor, team=team, entry=entry, **entry_values(title="冒名"))
    with pytest.raises(PermissionDenied):
        ledger_attachment_remove(actor=actor, attachment=entry.attachments.get())
    with pytest.raises(PermissionDenied):
        ledger_entry_delete(actor=actor, entry=entry)
    entry.refresh_from_db()
    assert entry.title == "技术比武" and entry.attachments.count() == 1


def test_an_entry_of_another_team_cannot_be_edited_through_mine(team, tree, role_users):
    other_leader = UserFactory(unit=tree.grassroots_a1)
    other_team = make_team(other_leader, tree.grassroots_a1, name="乙班")
    theirs = add_entry(other_leader, other_team).entry
    # staff_unit may edit both teams, so only the mismatch stops it.
    with pytest.raises(PermissionDenied):
        ledger_entry_save(actor=role_users["staff_unit"], team=team, entry=theirs, **entry_values(title="挪用"))
    theirs.refresh_from_db()
    assert theirs.team == other_team and theirs.title == "技术比武"


def test_a_date_in_the_future_is_refused(team, role_users):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        add_entry(role_users["leader"], team, occurred_on=tomorrow)
    assert "occurred_on" in caught.value.message_dict
    assert not LedgerEntry.objects.exists()
    assert add_entry(role_users["leader"], team, occurred_on=timezone.localdate()).entry.pk


def test_invalid_text_saves_nothing_not_even_the_files(team, role_users):
    with pytest.raises(ValidationError) as caught:
        add_entry(role_users["leader"], team, kind="party", description="长" * 2001, uploads=[pdf()])
    assert "kind" in caught.value.message_dict
    assert not LedgerEntry.objects.exists() and not LedgerAttachment.objects.exists()


def test_a_description_longer_than_2000_characters_is_refused(team, role_users):
    with pytest.raises(ValidationError) as caught:
        add_entry(role_users["leader"], team, description="长" * 2001)
    assert "description" in caught.value.message_dict


# --- Files -----------------------------------------------------------------------------------


def test_a_pdf_is_attached_and_stored_privately_under_its_hash(team, role_users):
    saved = add_entry(role_users["leader"], team, uploads=[pdf("比武照片.pdf")])
    attachment = saved.entry.attachments.get()
    assert saved.attached == [attachment] and saved.complete
    assert attachment.original_name == "比武照片.pdf" and attachment.content_type == "application/pdf"
    assert attachment.file.name == f"teams/{team.pk}/{attachment.sha256}"
    assert default_storage.open(attachment.file.name).read() == PDF
    assert AuditEvent.objects.get(action="teams.ledger_add").details["files"] == ["比武照片.pdf"]


def test_an_exe_named_pdf_is_refused_by_its_content(team, role_users):
    upload = SimpleUploadedFile("成绩单.pdf", EXE, content_type="application/pdf")
    saved = add_entry(role_users["leader"], team, uploads=[upload])
    assert saved.entry.pk and not saved.complete and not saved.entry.attachments.exists()
    [refused] = saved.refused
    assert refused.name == "成绩单.pdf"
    assert "成绩单.pdf" in refused.message and "按文件内容识别" in refused.message


def test_a_file_over_the_limit_is_refused(team, role_users, settings):
    settings.TEAM_FILE_MAX_BYTES = 100
    saved = add_entry(role_users["leader"], team, uploads=[pdf(extra=b"x" * 200)])
    [refused] = saved.refused
    assert "超过了 100\xa0字节 的上限" in refused.message
    assert not LedgerAttachment.objects.exists()


def test_a_file_already_attached_is_skipped_with_a_notice(team, role_users):
    leader = role_users["leader"]
    saved = add_entry(leader, team, uploads=[pdf("一.pdf"), pdf("同一文件.pdf")])
    assert [a.original_name for a in saved.attached] == ["一.pdf"] and saved.already_attached == ["同一文件.pdf"]
    again = ledger_entry_save(actor=leader, team=team, entry=saved.entry, uploads=[pdf("再传.pdf"), pdf(extra=b"2")])
    assert again.already_attached == ["再传.pdf"] and len(again.attached) == 1 and again.complete
    assert saved.entry.attachments.count() == 2
    # Only files were added: that is what the one event of the edit says.
    assert AuditEvent.objects.filter(action="teams.ledger_file_add").count() == 1


def test_removing_a_file_keeps_the_stored_file(team, role_users):
    saved = add_entry(role_users["leader"], team, uploads=[pdf()])
    attachment = saved.attached[0]
    ledger_attachment_remove(actor=role_users["staff_unit"], attachment=attachment)
    assert not LedgerAttachment.objects.exists()
    assert default_storage.exists(attachment.file.name)  # a submitted application may name it
    assert AuditEvent.objects.get(action="teams.ledger_file_remove").details["sha256"] == attachment.sha256


def test_deleting_an_entry_keeps_the_stored_files(team, role_users):
    saved = add_entry(role_users["leader"], team, uploads=[pdf()])
    ledger_entry_delete(actor=role_users["leader"], entry=saved.entry)
    assert not LedgerAttachment.objects.exists()
    assert default_storage.exists(saved.attached[0].file.name)


def test_the_selector_filters_by_kind_and_year_latest_first(team, role_users):
    leader = role_users["leader"]
    add_entry(leader, team, occurred_on=date(2024, 3, 1), title="旧")
    add_entry(leader, team, occurred_on=date(2025, 6, 1), kind="award", title="获奖")
    add_entry(leader, team, occurred_on=date(2025, 7, 1), title="新")
    assert [e.title for e in ledger_entries(team)] == ["新", "获奖", "旧"]
    assert [e.title for e in ledger_entries(team, year=2025)] == ["新", "获奖"]
    assert [e.title for e in ledger_entries(team, kind="award")] == ["获奖"]


# --- Pages -----------------------------------------------------------------------------------


def form_data(**overrides):
    data = {"occurred_on": "2025-05-01", "kind": "training", "title": "安全培训", "description": "全员参加"}
    data.update(overrides)
    return data


def test_the_leader_adds_an_entry_with_files_through_the_form(client, team, role_users):
    client.force_login(role_users["leader"])
    response = client.post(
        reverse("teams:ledger_add", args=[team.pk]), {**form_data(), "files": [pdf("一.pdf"), pdf("二.pdf", b"2")]}
    )
    assert response.status_code == 302 and response["Location"] == reverse("teams:ledger", args=[team.pk])
    entry = LedgerEntry.objects.get()
    assert sorted(entry.attachments.values_list("original_name", flat=True)) == ["一.pdf", "二.pdf"]
    page = client.get(response["Location"]).content.decode()
    assert "安全培训" in page and "一.pdf" in page
    assert reverse("teams:ledger_file", args=[team.pk, entry.attachments.first().pk]) in page


def test_a_mixed_upload_keeps_the_text_and_the_good_file_and_names_the_bad_ones(client, team, role_users, settings):
    settings.TEAM_FILE_MAX_BYTES = 100
    client.force_login(role_users["leader"])
    bad = SimpleUploadedFile("病毒.pdf", EXE, content_type="application/pdf")
    response = client.post(
        reverse("teams:ledger_add", args=[team.pk]),
        {**form_data(description="保留的说明"), "files": [pdf("好.pdf"), bad, pdf("大文件.pdf", b"x" * 200)]},
    )
    assert response.status_code == 200
    entry = LedgerEntry.objects.get()
    assert entry.description == "保留的说明"
    assert list(entry.attachments.values_list("original_name", flat=True)) == ["好.pdf"]
    page = response.content.decode()
    assert 'value="安全培训"' in page and "保留的说明" in page  # what was typed is kept
    assert "好.pdf" in page.split('data-testid="attached-files"')[1].split("</ul>")[0]
    refused = page.split('data-testid="refused-files"')[1].split("</ul>")[0]
    assert "病毒.pdf" in refused and "按文件内容识别" in refused  # in Chinese, the default language
    assert "大文件.pdf" in refused and "的上限" in refused
    # Sending the form again edits the saved entry instead of recording it twice.
    assert f'action="{reverse("teams:ledger_edit", args=[team.pk, entry.pk])}"' in page


def test_a_future_date_in_the_form_is_shown_next_to_the_date(client, team, role_users):
    client.force_login(role_users["leader"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(reverse("teams:ledger_add", args=[team.pk]), form_data(occurred_on=tomorrow))
    assert response.status_code == 200 and not LedgerEntry.objects.exists()
    assert response.context["form"].errors["occurred_on"]


def kept_tokens(page: str) -> list[str]:
    return re.findall(r'name="files-kept" value="([^"]+)"', page)


def kept_section(page: str) -> str:
    return page.split('data-testid="kept-files"')[1].split("</ul>")[0]


# Tomorrow is worked out when the test runs: worked out at collection, it turns into today
# for a suite that runs past midnight in Shanghai.
@pytest.mark.parametrize(
    "failing",
    [lambda: {"title": ""}, lambda: {"occurred_on": (timezone.localdate() + timedelta(days=1)).isoformat()}],
    ids=["title missing", "date in the future"],
)
def test_a_failing_form_keeps_the_uploaded_file_and_saves_it_on_the_next_submit(client, team, role_users, failing):
    client.force_login(role_users["leader"])
    url = reverse("teams:ledger_add", args=[team.pk])
    response = client.post(url, {**form_data(**failing()), "files": [pdf("比武照片.pdf"), pdf("第二张.pdf", b"2")]})
    assert response.status_code == 200 and not LedgerEntry.objects.exists()
    page = response.content.decode()
    kept = kept_section(page)
    assert "已上传，保存时一并保存：<strong>比武照片.pdf</strong>" in kept and "第二张.pdf" in kept
    assert "尚未保存" in page and "保存时一并保存，无需重新选择" in page
    tokens = kept_tokens(page)
    assert len(tokens) == 2
    staged = default_storage.listdir("staging")[1]
    assert len(staged) == 2

    response = client.post(url, {**form_data(), "files-kept": tokens, "files": [pdf("新加的.pdf", b"3")]})
    assert response.status_code == 302, response.content.decode()
    entry = LedgerEntry.objects.get()
    names = sorted(entry.attachments.values_list("original_name", flat=True))
    assert names == ["新加的.pdf", "比武照片.pdf", "第二张.pdf"]
    photo = entry.attachments.get(original_name="比武照片.pdf")
    assert default_storage.open(photo.file.name).read() == PDF and photo.file.name.startswith(f"teams/{team.pk}/")
    assert default_storage.listdir("staging")[1] == []  # the staged copies are gone once stored


def test_a_failing_form_names_a_bad_file_beside_the_file_box_and_keeps_only_the_good_one(client, team, role_users):
    client.force_login(role_users["leader"])
    bad = SimpleUploadedFile("病毒.pdf", EXE, content_type="application/pdf")
    empty = SimpleUploadedFile("空白.pdf", b"", content_type="application/pdf")
    response = client.post(
        reverse("teams:ledger_add", args=[team.pk]), {**form_data(title=""), "files": [pdf("好.pdf"), bad, empty]}
    )
    page = response.content.decode()
    field = page.split('id="div_id_files"')[1].split('class="form-text"')[0]
    refused = field.split('data-testid="refused-files"')[1].split("</ul>")[0]
    assert "病毒.pdf" in refused and "按文件内容识别" in refused and "“空白.pdf”是空文件" in refused
    assert "好.pdf" in kept_section(field) and "病毒.pdf" not in kept_section(field)
    assert len(kept_tokens(page)) == 1


def test_a_kept_file_the_reader_drops_is_not_saved(client, team, role_users):
    client.force_login(role_users["leader"])
    url = reverse("teams:ledger_add", args=[team.pk])
    [token] = kept_tokens(client.post(url, {**form_data(title=""), "files": [pdf()]}).content.decode())
    response = client.post(url, {**form_data(), "files-kept": token, "files-drop": token})
    assert response.status_code == 302
    assert LedgerEntry.objects.get().attachments.count() == 0
    assert default_storage.listdir("staging")[1] == []


def test_another_users_or_a_forged_token_is_refused_beside_the_file_box(client, team, tree, role_users):
    # The staff of the union may edit the same ledger: their kept file is still not the leader's.
    client.force_login(role_users["staff_unit"])
    url = reverse("teams:ledger_add", args=[team.pk])
    [theirs] = kept_tokens(client.post(url, {**form_data(title=""), "files": [pdf("员工的.pdf")]}).content.decode())
    client.force_login(role_users["leader"])
    for token in [theirs, theirs[:-4] + "AAAA"]:
        response = client.post(url, {**form_data(), "files-kept": token})
        assert response.status_code == 200 and not LedgerEntry.objects.exists()
        assert "无法恢复" in " ".join(response.context["form"].errors["files"])
        assert "员工的.pdf" not in response.content.decode()


def test_a_duplicate_file_gives_a_notice_not_an_error(client, team, role_users):
    entry = add_entry(role_users["leader"], team, uploads=[pdf()]).entry
    client.force_login(role_users["leader"])
    response = client.post(
        reverse("teams:ledger_edit", args=[team.pk, entry.pk]),
        {**form_data(), "files": [pdf("again.pdf")]},
        follow=True,
    )
    assert response.status_code == 200 and entry.attachments.count() == 1
    assert any("again.pdf" in str(message) for message in response.context["messages"])


def test_delete_and_remove_through_the_pages(client, team, role_users):
    entry = add_entry(role_users["leader"], team, uploads=[pdf()]).entry
    attachment = entry.attachments.get()
    client.force_login(role_users["staff_unit"])
    edit_url = reverse("teams:ledger_edit", args=[team.pk, entry.pk])
    assert client.get(reverse("teams:ledger_file_remove", args=[team.pk, attachment.pk])).status_code == 405
    response = client.post(reverse("teams:ledger_file_remove", args=[team.pk, attachment.pk]))
    assert response["Location"] == edit_url and not entry.attachments.exists()
    response = client.post(reverse("teams:ledger_delete", args=[team.pk, entry.pk]))
    assert response["Location"] == reverse("teams:ledger", args=[team.pk]) and not LedgerEntry.objects.exists()


@pytest.mark.parametrize("who", ["leader", "staff_unit", "staff_ancestor", "auditor"])
def test_the_leader_and_the_oversight_above_download_a_file(client, team, role_users, who):
    attachment = add_entry(role_users["leader"], team, uploads=[pdf("比武照片.pdf")]).attached[0]
    client.force_login(role_users[who])
    response = client.get(reverse("teams:ledger_file", args=[team.pk, attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]


def test_the_anonymous_are_sent_to_sign_in(client, team, role_users):
    attachment = add_entry(role_users["leader"], team, uploads=[pdf()]).attached[0]
    for url in (
        reverse("teams:ledger", args=[team.pk]),
        reverse("teams:ledger_file", args=[team.pk, attachment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_entry_or_file_of_another_team_by_url_is_not_found(client, team, tree, role_users):
    other_leader = UserFactory(unit=tree.grassroots_a1)
    other_team = make_team(other_leader, tree.grassroots_a1, name="乙班")
    theirs = add_entry(other_leader, other_team, uploads=[pdf("他们的.pdf")]).entry
    their_file = theirs.attachments.get()
    # staff_unit may see and edit both teams: only the mismatch of team and object is wrong.
    client.force_login(role_users["staff_unit"])
    mine = team.pk
    assert client.get(reverse("teams:ledger_edit", args=[mine, theirs.pk])).status_code == 404
    assert client.post(reverse("teams:ledger_delete", args=[mine, theirs.pk])).status_code == 404
    assert client.get(reverse("teams:ledger_file", args=[mine, their_file.pk])).status_code == 404
    assert client.post(reverse("teams:ledger_file_remove", args=[mine, their_file.pk])).status_code == 404
    assert LedgerEntry.objects.filter(pk=theirs.pk).exists() and their_file.entry.attachments.exists()


def test_the_team_page_shows_the_latest_five_entries(client, team, role_users):
    for day in range(1, 8):
        add_entry(role_users["leader"], team, occurred_on=date(2025, 5, day), title=f"活动{day}号")
    client.force_login(role_users["auditor"])
    response = client.get(reverse("teams:detail", args=[team.pk]))
    card = response.content.decode().split('data-testid="ledger-card"')[1].split("</section>")[0]
    assert "活动7号" in card and "活动3号" in card and "活动2号" not in card
    assert reverse("teams:ledger", args=[team.pk]) in card
    assert reverse("teams:ledger_add", args=[team.pk]) not in card  # auditors only look


def test_the_list_filters_by_kind_and_year(client, team, role_users):
    add_entry(role_users["leader"], team, occurred_on=date(2024, 3, 1), title="旧活动")
    add_entry(role_users["leader"], team, occurred_on=date(2025, 6, 1), kind="award", title="新获奖")
    client.force_login(role_users["leader"])
    url = reverse("teams:ledger", args=[team.pk])
    assert [e.title for e in client.get(url, {"year": "2024"}).context["page_obj"]] == ["旧活动"]
    assert [e.title for e in client.get(url, {"kind": "award"}).context["page_obj"]] == ["新获奖"]


@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count(client, team, role_users, django_assert_num_queries, rows):
    for n in range(rows):
        add_entry(role_users["leader"], team, title=f"活动{n}", uploads=[pdf(extra=str(n).encode())])
    client.force_login(role_users["staff_unit"])
    # session, the user with their roles, team, leader? (asked once for viewing and editing), years, count, page,
    # attachments
    with django_assert_num_queries(9):  # and the bell
        response = client.get(reverse("teams:ledger", args=[team.pk]))
    assert len(response.context["page_obj"]) == rows
