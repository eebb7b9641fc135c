"""Applications: one per team and campaign, the window, completeness, evidence, versions, and the
ways a leader, staff and strangers reach them."""

import hashlib
import re
import threading
from datetime import timedelta
from unittest import mock
from urllib.parse import unquote

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from campaigns.models import Campaign
from teams.content import application_content, checklist, compare, is_complete
from teams.errors import (
    ApplicationExists,
    ApplicationIncomplete,
    DeadlinePassed,
    NotOpenToTeam,
    TransitionNotAllowed,
)
from teams.models import Application, Evidence, LedgerAttachment, LedgerEntry
from teams.services import (
    application_save,
    application_start,
    application_submit,
    application_withdraw,
    evidence_add,
    evidence_from_ledger,
    evidence_remove,
)
from tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    UserFactory,
    decide,
    fill_application,
    make_campaign,
    make_team,
    upload,
)
from tests.workbooks import download, sheet_of, sheet_xml, workbook_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(tree):
    return make_campaign(organiser=tree.province, publish=True, scope_unit=tree.province)


@pytest.fixture
def team(tree, role_users):
    return make_team(leader=role_users["leader"], union=tree.grassroots_a1)


@pytest.fixture
def application(team, campaign, role_users):
    return application_start(actor=role_users["leader"], team=team, campaign=campaign)


def submitted(application, leader):
    fill_application(application, actor=leader)
    return application_submit(actor=leader, application=application)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


# --- Starting: one per team and campaign, inside the scope ----------------------------------


def test_a_team_starts_one_application_per_campaign(application, team, campaign, role_users):
    assert application.status == Application.Status.DRAFT
    assert AuditEvent.objects.filter(action="teams.application_start", target_id=str(application.pk)).exists()
    with pytest.raises(ApplicationExists) as raised:
        application_start(actor=role_users["leader"], team=team, campaign=campaign)
    assert raised.value.application == application
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(team=team, campaign=campaign, created_by=role_users["leader"])
    assert Application.objects.count() == 1


def test_a_campaign_outside_the_teams_scope_is_refused(tree, team, role_users):
    other_city = make_campaign(organiser=tree.city_b, publish=True, scope_unit=tree.city_b)
    with pytest.raises(NotOpenToTeam):
        application_start(actor=role_users["leader"], team=team, campaign=other_city)
    mining_only = make_campaign(
        organiser=tree.province, publish=True, document_number="测工发〔2026〕2号", industries=["B"]
    )
    with pytest.raises(NotOpenToTeam):
        application_start(actor=role_users["leader"], team=team, campaign=mining_only)
    assert not Application.objects.exists()


def test_an_unapproved_team_or_another_leader_cannot_apply(tree, campaign, role_users):
    pending = make_team(leader=role_users["leader"], union=tree.grassroots_a1, name="乙班", approve=False)
    with pytest.raises(NotOpenToTeam):
        application_start(actor=role_users["leader"], team=pending, campaign=campaign)
    approved = make_team(leader=role_users["leader"], union=tree.grassroots_a1, name="丙班")
    with pytest.raises(PermissionDenied):
        application_start(actor=UserFactory(), team=approved, campaign=campaign)


def test_a_draft_campaign_or_one_not_yet_open_is_refused(tree, team, role_users):
    draft = make_campaign(organiser=tree.province, publish=False)
    with pytest.raises(NotOpenToTeam):
        application_start(actor=role_users["leader"], team=team, campaign=draft)


# --- Completeness and the window ------------------------------------------------------------


def test_an_empty_statement_for_a_required_criterion_blocks_submitting(application, role_users):
    leader = role_users["leader"]
    fill_application(application, actor=leader)
    first = application.campaign.criteria.get(code="1")
    application_save(
        actor=leader,
        application=application,
        summary=application.summary,
        account=application.account,
        answers={first.pk: {"statement": "   ", "indicators": {}}},
    )
    items = checklist(application_content(application))
    assert [item.done for item in items if item.anchor == f"criterion-{first.pk}"] == [False]
    with pytest.raises(ApplicationIncomplete):
        application_submit(actor=leader, application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and not application.versions.exists()


def test_missing_evidence_or_indicators_block_submitting(application, role_users):
    leader = role_users["leader"]
    fill_application(application, actor=leader, evidence=False)
    content = application_content(application)
    assert not is_complete(content)
    missing = [str(item.label) for item in checklist(content) if not item.done]
    assert len(missing) == 4  # criteria 2 to 5 each want a file
    with pytest.raises(ApplicationIncomplete):
        application_submit(actor=leader, application=application)


def test_the_deadline_second(application, role_users):
    leader = role_users["leader"]
    fill_application(application, actor=leader)
    deadline = application.campaign.application_deadline
    with at(deadline + timedelta(seconds=1)), pytest.raises(DeadlinePassed):
        application_submit(actor=leader, application=application)
    with at(deadline), pytest.raises(DeadlinePassed):
        application_submit(actor=leader, application=application)
    with at(deadline - timedelta(seconds=1)):
        application_submit(actor=leader, application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and application.version == 1


def test_a_draft_cannot_be_saved_after_the_deadline(client, application, role_users):
    with at(application.campaign.application_deadline + timedelta(seconds=1)), pytest.raises(DeadlinePassed):
        application_save(actor=role_users["leader"], application=application, summary="迟到", account="", answers={})
    login(client, role_users["leader"])
    Campaign.objects.filter(pk=application.campaign_id).update(application_deadline=timezone.now())
    response = client.get(reverse("applications:edit", args=[application.pk]), follow=True)
    assert "已过截止时间" in response.content.decode()
    response = client.post(reverse("applications:edit", args=[application.pk]), form_data(application))
    assert response.status_code == 200 and "已过截止时间" in response.content.decode()
    assert "事迹" in response.content.decode()  # what was typed is still on the page


def test_a_superuser_does_not_write_a_teams_application(application, role_users):
    with pytest.raises(PermissionDenied):
        application_save(actor=role_users["superuser"], application=application, summary="代填", account="", answers={})


def test_submitting_freezes_content_and_evidence_hashes(application, role_users):
    leader = role_users["leader"]
    submitted(application, leader)
    version = application.versions.get()
    assert version.number == 1 and version.submitted_by == leader
    files = [item for criterion in version.content["criteria"] for item in criterion["evidence"]]
    assert len(files) == 4
    for item in files:
        with default_storage.open(item["stored"]) as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == item["sha256"]
    assert version.content["summary"] == application.summary
    assert AuditEvent.objects.get(action="teams.application_submit").details["version"] == 1


def test_a_submitted_application_cannot_be_edited(application, role_users):
    leader = role_users["leader"]
    submitted(application, leader)
    with pytest.raises(TransitionNotAllowed):
        application_save(actor=leader, application=application, summary="改", account="", answers={})
    criterion = application.campaign.criteria.get(code="2")
    with pytest.raises(TransitionNotAllowed):
        evidence_add(actor=leader, application=application, criterion=criterion, uploads=[upload("x.pdf")])


def test_submitting_twice_makes_one_version(application, role_users):
    leader = role_users["leader"]
    submitted(application, leader)
    with pytest.raises(TransitionNotAllowed):
        application_submit(actor=leader, application=application)
    assert application.versions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_submit_submits_once(tree, role_users):
    leader = role_users["leader"]
    campaign = make_campaign(organiser=tree.province, publish=True)
    team = make_team(leader=leader, union=tree.grassroots_a1)
    application = fill_application(application_start(actor=leader, team=team, campaign=campaign), actor=leader)
    outcomes, barrier = [], threading.Barrier(2)

    def click():
        barrier.wait()
        try:
            application_submit(actor=leader, application=Application.objects.get(pk=application.pk))
            outcomes.append("submitted")
        except TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "submitted"]
    assert application.versions.count() == 1


# --- Withdraw, return, resubmit, versions ---------------------------------------------------


def test_withdraw_until_the_first_recommendation(application, role_users):
    leader = role_users["leader"]
    submitted(application, leader)
    application_withdraw(actor=leader, application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.version == 1
    with pytest.raises(TransitionNotAllowed):
        application_withdraw(actor=leader, application=application)
    application_submit(actor=leader, application=application)
    application.refresh_from_db()
    assert application.version == 2


def test_no_withdrawing_after_the_application_deadline(application, role_users):
    leader = role_users["leader"]
    submitted(application, leader)
    with at(application.campaign.application_deadline), pytest.raises(DeadlinePassed):
        application_withdraw(actor=leader, application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_removing_evidence_twice_removes_it_once(application, role_users):
    leader = role_users["leader"]
    fill_application(application, actor=leader)
    evidence = application.evidence.first()
    evidence_remove(actor=leader, evidence=evidence)
    evidence_remove(actor=leader, evidence=evidence)
    assert AuditEvent.objects.filter(action="teams.application_evidence_remove").count() == 1


def test_a_file_on_two_criteria_counts_once_towards_the_total(application, role_users, settings):
    settings.APPLICATION_EVIDENCE_MAX_BYTES = len(PDF_BYTES) + 10
    second, third = application.campaign.criteria.filter(code__in=["2", "3"]).order_by("code")
    for criterion in (second, third):
        added, errors = evidence_add(
            actor=role_users["leader"], application=application, criterion=criterion, uploads=[upload("同一.pdf")]
        )
        assert len(added) == 1 and errors == []


def test_return_edit_and_resubmit_as_version_two(application, role_users):
    leader = role_users["leader"]
    submitted(application, leader)
    with pytest.raises(PermissionDenied):
        decide(application, kind="return", opinion="补充材料", actor=role_users["staff_sibling"])
    with pytest.raises(PermissionDenied):
        decide(application, kind="return", opinion="补充材料", actor=leader)
    decide(application, kind="return", opinion="请补充QC成果证明")
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED and application.return_reason == "请补充QC成果证明"
    with pytest.raises(TransitionNotAllowed):
        application_withdraw(actor=leader, application=application)

    fourth = application.campaign.criteria.get(code="4")
    old = application.evidence.get(criterion=fourth)
    evidence_remove(actor=leader, evidence=old)
    evidence_add(
        actor=leader,
        application=application,
        criterion=fourth,
        uploads=[upload("QC成果.png", PNG_BYTES, "image/png")],
    )
    application_save(
        actor=leader,
        application=application,
        summary=application.summary,
        account=application.account,
        answers={fourth.pk: {"statement": "QC小组获省级一等奖。", "indicators": {"qc_results": 5, "patents": 3}}},
    )
    # The deadline for applying has passed meanwhile; a returned application has until the recommendation deadline.
    with at(application.campaign.application_deadline + timedelta(days=1)):
        application_submit(actor=leader, application=application)
    application.refresh_from_db()
    assert application.version == 2 and application.return_reason == ""
    first, second = application.versions.order_by("number")
    changes = compare(first.content, second.content)
    changed = {change.code: change for change in changes["criteria"] if change.changed}
    assert list(changed) == ["4"]
    assert [e["name"] for e in changed["4"].evidence_added] == ["QC成果.png"]
    assert [e["sha256"] for e in changed["4"].evidence_removed] == [old.sha256]
    assert changed["4"].indicators == [("QC circle results", 3, 5)] or changed["4"].indicators[0][1:] == (3, 5)
    assert ("added", "QC小组获省级一等奖") in changed["4"].statement_diff


def test_returned_application_cannot_be_resubmitted_after_the_recommendation_deadline(application, role_users):
    leader = role_users["leader"]
    submitted(application, leader)
    decide(application, kind="return", opinion="补充")
    with at(application.campaign.recommendation_deadline + timedelta(seconds=1)), pytest.raises(DeadlinePassed):
        application_submit(actor=leader, application=application)


def test_a_return_needs_reasons(application, role_users):
    submitted(application, role_users["leader"])
    with pytest.raises(Exception) as raised:
        decide(application, kind="return", opinion="  ")
    assert "opinion" in raised.value.message_dict


# --- Evidence -------------------------------------------------------------------------------


def test_an_exe_renamed_pdf_is_refused(application, role_users):
    criterion = application.campaign.criteria.get(code="2")
    added, errors = evidence_add(
        actor=role_users["leader"],
        application=application,
        criterion=criterion,
        uploads=[upload("成果.pdf", EXE_BYTES)],
    )
    assert added == [] and len(errors) == 1 and "成果.pdf" in errors[0]
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(application, role_users, settings):
    settings.TEAM_FILE_MAX_BYTES = 200
    criterion = application.campaign.criteria.get(code="2")
    added, errors = evidence_add(
        actor=role_users["leader"],
        application=application,
        criterion=criterion,
        uploads=[upload("大文件.pdf", PDF_BYTES + b"%" * 300)],
    )
    assert added == [] and len(errors) == 1


def test_the_application_total_is_limited(application, role_users, settings):
    settings.APPLICATION_EVIDENCE_MAX_BYTES = len(PDF_BYTES) + 10
    criterion = application.campaign.criteria.get(code="2")
    added, errors = evidence_add(
        actor=role_users["leader"],
        application=application,
        criterion=criterion,
        uploads=[upload("一.pdf"), upload("二.pdf", PDF_BYTES + b"%2\n")],
    )
    assert [e.original_name for e in added] == ["一.pdf"] and len(errors) == 1 and "二.pdf" in errors[0]


def test_good_files_are_kept_when_another_fails(application, role_users):
    criterion = application.campaign.criteria.get(code="3")
    added, errors = evidence_add(
        actor=role_users["leader"],
        application=application,
        criterion=criterion,
        uploads=[upload("好.pdf"), upload("坏.pdf", EXE_BYTES), upload("图.png", PNG_BYTES, "image/png")],
    )
    assert [e.original_name for e in added] == ["好.pdf", "图.png"] and len(errors) == 1
    added, errors = evidence_add(
        actor=role_users["leader"], application=application, criterion=criterion, uploads=[upload("好-副本.pdf")]
    )
    assert added == [] and len(errors) == 1  # the same content is attached once per criterion


def test_ledger_files_become_evidence(application, team, role_users):
    leader = role_users["leader"]
    entry = LedgerEntry.objects.create(
        team=team, occurred_on=timezone.localdate(), kind="innovation", title="QC成果发布", created_by=leader
    )
    from teams.services.files import stored_file_fields

    LedgerAttachment.objects.create(entry=entry, **stored_file_fields(team=team, upload=upload("QC.pdf"), actor=leader))
    criterion = application.campaign.criteria.get(code="4")
    [evidence] = evidence_from_ledger(actor=leader, application=application, criterion=criterion, entry=entry)
    assert evidence.ledger_entry == entry and evidence.sha256 == entry.attachments.get().sha256
    assert evidence_from_ledger(actor=leader, application=application, criterion=criterion, entry=entry) == []
    other_team = make_team(leader=UserFactory(), union=team.grassroots_union, name="外班")
    foreign = LedgerEntry.objects.create(
        team=other_team, occurred_on=timezone.localdate(), kind="award", title="获奖", created_by=leader
    )
    with pytest.raises(PermissionDenied):
        evidence_from_ledger(actor=leader, application=application, criterion=criterion, entry=foreign)


def test_a_criterion_of_another_campaign_is_refused(tree, application, role_users):
    other = make_campaign(organiser=tree.city_a, publish=True)
    with pytest.raises(PermissionDenied):
        evidence_add(
            actor=role_users["leader"],
            application=application,
            criterion=other.criteria.first(),
            uploads=[upload("x.pdf")],
        )


# --- Pages ----------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


def test_the_leader_of_another_team_gets_404_everywhere(client, application, role_users):
    submitted(application, role_users["leader"])
    sha = application.evidence.first().sha256
    login(
        client,
        make_team(
            leader=UserFactory(username="other"), union=application.team.grassroots_union, name="乙班"
        ).leaders.get(),
    )
    for name, args in [
        ("detail", [application.pk]),
        ("edit", [application.pk]),
        ("print", [application.pk]),
        ("pdf", [application.pk]),
        ("versions", [application.pk]),
        ("file", [application.pk, sha]),
    ]:
        assert client.get(reverse(f"applications:{name}", args=args)).status_code == 404, name


def test_staff_do_not_see_drafts(client, application, role_users):
    login(client, role_users["staff_unit"])
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    submitted(application, role_users["leader"])
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    login(client, role_users["staff_sibling"])
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404


def form_data(application, **overrides):
    data = {"summary": "摘要", "account": "事迹", "action": "save"}
    for criterion in application.campaign.criteria.all():
        data[f"statement_{criterion.pk}"] = f"{criterion.code}的做法"
        for code in criterion.indicators:
            data[f"ind_{criterion.pk}_{code}"] = "2"
    data.update(overrides)
    return data


def test_a_failing_upload_keeps_the_typed_text_and_the_good_files(client, application, role_users):
    login(client, role_users["leader"])
    second = application.campaign.criteria.get(code="2")
    third = application.campaign.criteria.get(code="3")
    data = form_data(application, summary="我们输入的摘要不能丢")
    data[f"files_{second.pk}"] = [upload("好.pdf")]
    data[f"files_{third.pk}"] = [upload("病毒.pdf", EXE_BYTES)]
    response = client.post(reverse("applications:edit", args=[application.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "我们输入的摘要不能丢" in page and "病毒.pdf" in page and "好.pdf" in page
    application.refresh_from_db()
    assert application.summary == "我们输入的摘要不能丢"
    assert list(application.evidence.values_list("original_name", flat=True)) == ["好.pdf"]


def test_text_too_long_is_kept_in_the_form_and_not_saved(client, application, role_users):
    login(client, role_users["leader"])
    second = application.campaign.criteria.get(code="2")
    long_summary = "长" * 501
    data = form_data(application, summary=long_summary)
    data[f"files_{second.pk}"] = [upload("好.pdf")]
    response = client.post(reverse("applications:edit", args=[application.pk]), data)
    assert response.status_code == 200 and long_summary in response.content.decode()
    application.refresh_from_db()
    assert application.summary == "" and application.evidence.count() == 1


def criterion_section(page: str, code: str) -> str:
    return page.split(f'data-testid="criterion-{code}"')[1].split("</section>")[0]


def test_an_empty_evidence_file_is_reported_beside_its_criterion_and_nothing_says_saved(
    client, application, role_users
):
    login(client, role_users["leader"])
    second = application.campaign.criteria.get(code="2")
    data = form_data(application)
    data[f"files_{second.pk}"] = [upload("空白.pdf", b""), upload("好.pdf")]
    response = client.post(reverse("applications:edit", args=[application.pk]), data, follow=True)
    assert response.redirect_chain == []  # not sent on to a page that says "已保存。"
    assert "已保存。" not in [str(message) for message in response.context["messages"]]
    page = response.content.decode()
    assert "部分内容未能保存" in page.split('data-testid="form-errors"')[1].split("</div>")[0]
    attached_now = page.split('data-testid="attached-now"')[1].split("</div>")[0]
    assert "以下文件已上传并保存：" in attached_now and "好.pdf" in attached_now and "空白.pdf" not in attached_now
    section = criterion_section(page, "2")
    errors = section.split('data-testid="file-error"')[1]
    assert errors.startswith(">“空白.pdf”是空文件（0 字节）")
    assert "好.pdf" in section.split('data-testid="evidence-2"')[1].split("</ul>")[0]
    assert list(application.evidence.values_list("original_name", flat=True)) == ["好.pdf"]


def test_a_text_too_long_keeps_the_uploaded_file_attached_and_shown(client, application, role_users):
    login(client, role_users["leader"])
    third = application.campaign.criteria.get(code="3")
    data = form_data(application, **{f"statement_{third.pk}": "长" * 1501})
    data[f"files_{third.pk}"] = [upload("师带徒协议.pdf")]
    response = client.post(reverse("applications:edit", args=[application.pk]), data, follow=True)
    assert response.redirect_chain == []
    assert "已保存。" not in [str(message) for message in response.context["messages"]]
    page = response.content.decode()
    assert "部分内容未能保存" in page.split('data-testid="form-errors"')[1].split("</div>")[0]
    assert "长" * 1501 in page
    section = criterion_section(page, "3")
    evidence = section.split('data-testid="evidence-3"')[1].split("</ul>")[0]
    assert "师带徒协议.pdf" in evidence and "本次上传" in evidence
    assert "师带徒协议.pdf" in page.split('data-testid="attached-now"')[1].split("</div>")[0]
    assert "is-invalid" in section.split(f'id="id_statement_{third.pk}"')[0].rsplit("<textarea", 1)[1]
    assert application.evidence.get().original_name == "师带徒协议.pdf"


def test_the_chosen_ledger_entry_stays_chosen_when_the_form_comes_back(client, application, team, role_users):
    leader = role_users["leader"]
    entries = []
    for title in ("技能培训", "QC成果发布"):
        entry = LedgerEntry.objects.create(
            team=team, occurred_on=timezone.localdate(), kind="training", title=title, created_by=leader
        )
        from teams.services.files import stored_file_fields

        LedgerAttachment.objects.create(
            entry=entry,
            **stored_file_fields(team=team, upload=upload(f"{title}.pdf", PDF_BYTES + title.encode()), actor=leader),
        )
        entries.append(entry)
    login(client, leader)
    third = application.campaign.criteria.get(code="3")
    data = form_data(application, summary="长" * 501, **{f"ledger_{third.pk}": entries[1].pk})
    response = client.post(reverse("applications:edit", args=[application.pk]), data)
    assert response.status_code == 200
    select = response.content.decode().split(f'id="id_ledger_{third.pk}"')[1].split("</select>")[0]
    # Latest first: the second entry heads the list, and it is the one chosen.
    assert re.findall(r'<option value="(\d*)"( selected)?', select) == [
        ("", ""),
        (str(entries[1].pk), " selected"),
        (str(entries[0].pk), ""),
    ]


def test_autosave_saves_and_answers_with_the_checklist(client, application, role_users):
    login(client, role_users["leader"])
    response = client.post(
        reverse("applications:autosave", args=[application.pk]), form_data(application), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="checklist"' in response.content.decode() and 'hx-swap-oob="true"' in response.content.decode()
    application.refresh_from_db()
    assert application.summary == "摘要" and application.answers.count() == application.campaign.criteria.count()


def test_the_edit_page_submits_when_complete_and_a_double_click_does_no_harm(client, application, role_users):
    leader = role_users["leader"]
    fill_application(application, actor=leader)
    login(client, leader)
    url = reverse("applications:edit", args=[application.pk])
    data = form_data(application, action="submit")
    first = client.post(url, data)
    assert first.status_code == 302 and first["Location"] == reverse("applications:detail", args=[application.pk])
    second = client.post(url, data, follow=True)
    assert second.redirect_chain[-1][0] == reverse("applications:detail", args=[application.pk])
    assert "申报已提交" in second.content.decode()
    assert application.versions.count() == 1
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_the_edit_page_removes_evidence_and_attaches_ledger_files(client, application, team, role_users):
    leader = role_users["leader"]
    fill_application(application, actor=leader)
    login(client, leader)
    url = reverse("applications:edit", args=[application.pk])
    evidence = application.evidence.first()
    response = client.post(url, form_data(application, action=f"remove:{evidence.pk}"))
    assert response.status_code == 302 and not Evidence.objects.filter(pk=evidence.pk).exists()
    entry = LedgerEntry.objects.create(
        team=team, occurred_on=timezone.localdate(), kind="training", title="技能培训", created_by=leader
    )
    from teams.services.files import stored_file_fields

    LedgerAttachment.objects.create(
        entry=entry, **stored_file_fields(team=team, upload=upload("培训.pdf"), actor=leader)
    )
    criterion = application.campaign.criteria.get(code="3")
    response = client.post(
        url, form_data(application, action=f"ledger:{criterion.pk}", **{f"ledger_{criterion.pk}": entry.pk})
    )
    assert response.status_code == 302
    assert application.evidence.filter(ledger_entry=entry, criterion=criterion).count() == 1


def test_a_forged_ledger_choice_still_saves_the_text(client, application, role_users):
    login(client, role_users["leader"])
    criterion = application.campaign.criteria.get(code="3")
    data = form_data(
        application, summary="照样保存", action=f"ledger:{criterion.pk}", **{f"ledger_{criterion.pk}": "999999"}
    )
    response = client.post(reverse("applications:edit", args=[application.pk]), data)
    assert response.status_code == 200 and "请选择要引用附件的台帐记录" in response.content.decode()
    application.refresh_from_db()
    assert application.summary == "照样保存" and not application.evidence.exists()


def test_the_start_page_sends_a_second_try_to_the_first_application(client, application, team, campaign, role_users):
    login(client, role_users["leader"])
    response = client.post(reverse("applications:start"), {"team": team.pk, "campaign": campaign.pk})
    assert response["Location"] == reverse("applications:edit", args=[application.pk])
    assert Application.objects.count() == 1


def test_the_leader_home_shows_applications_next_steps_and_returns(client, application, role_users):
    leader = role_users["leader"]
    submitted(application, leader)
    decide(application, kind="return", opinion="请补充安全台帐")
    login(client, leader)
    page = client.get(reverse("teams:mine")).content.decode()
    assert "请补充安全台帐" in page and 'data-testid="returned"' in page
    assert reverse("applications:detail", args=[application.pk]) in page


def test_staff_compare_versions(client, application, role_users):
    leader = role_users["leader"]
    submitted(application, leader)
    decide(application, kind="return", opinion="改摘要")
    application_save(actor=leader, application=application, summary="新的摘要", account=application.account, answers={})
    application_submit(actor=leader, application=application)
    login(client, role_users["staff_unit"])
    page = client.get(reverse("applications:versions", args=[application.pk]), {"from": 1, "to": 2}).content.decode()
    assert '<ins class="diff-added">' in page and "新的摘要"[0] in page


def test_an_old_versions_file_stays_downloadable(client, application, role_users):
    leader = role_users["leader"]
    submitted(application, leader)
    decide(application, kind="return", opinion="换文件")
    old = application.evidence.first()
    evidence_remove(actor=leader, evidence=old)
    login(client, role_users["staff_unit"])
    response = client.get(reverse("applications:file", args=[application.pk, old.sha256]))
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == old.sha256
    assert client.get(reverse("applications:file", args=[application.pk, "0" * 64])).status_code == 404


# --- The staff's list and export ------------------------------------------------------------


def make_submitted_applications(tree, campaign, rows):
    applications = []
    for number in range(rows):
        leader = UserFactory()
        team = make_team(leader=leader, union=tree.grassroots_a1, name=f"班组{number}")
        applications.append(submitted(application_start(actor=leader, team=team, campaign=campaign), leader))
    return applications


def return_and_redraft(application, *, staff, summary, leader=None):
    """Return the application, and let its leader type a new summary without submitting it."""
    decide(application, kind="return", opinion="请补充QC成果证明")
    application.refresh_from_db()
    leader = leader or application.team.leaders.get()
    application_save(actor=leader, application=application, summary=summary, account=application.account, answers={})


@pytest.mark.parametrize("rows", [1, 3])
def test_application_list_query_count(client, tree, campaign, role_users, django_assert_num_queries, rows):
    make_submitted_applications(tree, campaign, rows)
    login(client, role_users["staff_unit"])
    # session, the user with their roles, the campaigns of the filter, count, page, its teams, their unions' names,
    # the bell (the campaigns and the names are kept in the process from then on)
    with django_assert_num_queries(8):
        response = client.get(reverse("applications:list"))
    assert response.status_code == 200 and response.content.decode().count("application-submitted") == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_application_export_query_count(client, tree, campaign, role_users, django_assert_num_queries, rows):
    applications = make_submitted_applications(tree, campaign, rows)
    # One of them returned and redrafted: what the reader sees is decided in the same query.
    return_and_redraft(applications[0], staff=role_users["staff_unit"], summary="退回后新写的草稿")
    login(client, role_users["staff_unit"])
    # The rows are read while the file is sent: the count covers the whole download.
    with django_assert_num_queries(4):  # session, the user with their roles, the campaigns of the filter, the rows
        data = download(client.get(reverse("applications:export")))
    sheet = workbook_of(data).active
    assert sheet.max_row == rows + 1
    assert [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "班组坚持“梦桃精神”，安全生产两千天。"
    ] * rows


def test_a_returned_application_exports_its_last_submitted_summary_not_the_new_draft(client, application, role_users):
    leader, staff = role_users["leader"], role_users["staff_unit"]
    submitted(application, leader)
    return_and_redraft(application, staff=staff, summary="=退回后新写、尚未提交的草稿")
    login(client, staff)
    response = client.get(reverse("applications:export"))
    assert unquote(response["Content-Disposition"].split("''", 1)[1]) == f"申报名单-{timezone.localdate():%Y%m%d}.xlsx"
    data = download(response)
    header, row = list(workbook_of(data).active.iter_rows(values_only=True))
    assert header[-1] == "简要事迹" and header[5] == "状态" and row[5] == "退回修改"
    assert row[-1] == "班组坚持“梦桃精神”，安全生产两千天。" and row[6] == 1
    assert "草稿" not in data.decode("latin-1") and "<f>" not in sheet_xml(data)
    # The staff's page shows the same version; the leader, who may still change it, sees the draft.
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "班组坚持“梦桃精神”" in page and "尚未提交的草稿" not in page
    login(client, leader)
    assert "尚未提交的草稿" in client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    # Submitted again, the new summary is the latest submitted version, in the export and on the page.
    application_submit(actor=leader, application=application)
    login(client, staff)
    (row,) = sheet_of(client.get(reverse("applications:export"))).iter_rows(min_row=2, values_only=True)
    assert row[-1] == "=退回后新写、尚未提交的草稿" and row[6] == 2


def test_staff_who_lead_the_team_read_their_own_returned_application_as_they_do_on_its_page(
    client, application, role_users
):
    leader, staff = role_users["leader"], role_users["staff_unit"]
    submitted(application, leader)
    application.team.leaders.add(staff)
    return_and_redraft(application, staff=role_users["staff_ancestor"], summary="本班组长正在修改的摘要", leader=staff)
    login(client, staff)
    (row,) = sheet_of(client.get(reverse("applications:export"))).iter_rows(min_row=2, values_only=True)
    assert row[-1] == "本班组长正在修改的摘要"
    assert (
        "本班组长正在修改的摘要" in client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    )
    # Another union's auditor or staff above reads the submitted version.
    login(client, role_users["staff_ancestor"])
    (row,) = sheet_of(client.get(reverse("applications:export"))).iter_rows(min_row=2, values_only=True)
    assert row[-1] == "班组坚持“梦桃精神”，安全生产两千天。"


def test_the_list_filters_searches_and_sorts_by_pinyin(client, tree, campaign, role_users):
    for name in ("张班", "王班", "安班"):
        leader = UserFactory()
        team = make_team(leader=leader, union=tree.grassroots_a1, name=name)
        submitted(application_start(actor=leader, team=team, campaign=campaign), leader)
    draft_leader = UserFactory()
    application_start(
        actor=draft_leader,
        team=make_team(leader=draft_leader, union=tree.grassroots_a1, name="草稿班"),
        campaign=campaign,
    )
    login(client, role_users["staff_ancestor"])
    page = client.get(reverse("applications:list")).content.decode()
    assert page.index("安班") < page.index("王班") < page.index("张班") and "草稿班" not in page
    page = client.get(reverse("applications:list"), {"q": "王"}).content.decode()
    assert "王班" in page and "张班" not in page
    page = client.get(reverse("applications:list"), {"status": "returned"}).content.decode()
    assert "王班" not in page


def listed_total(client, **filters) -> tuple[int, list[str]]:
    """The total the application list shows under `filters`, and the SQL of its queries."""
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("applications:list"), filters).content.decode()
    return int(re.search(r"共 (\d+) 条记录", page).group(1)), [q["sql"] for q in captured.captured_queries]


def test_one_campaigns_list_takes_its_total_from_the_stored_tallies_where_they_count_exactly_it(
    client, tree, campaign, role_users
):
    applications = make_submitted_applications(tree, campaign, 3)
    decide(applications[0], kind="return", opinion="请补充QC成果证明")
    leader = UserFactory()  # a draft, not listed, in another city
    application_start(actor=leader, team=make_team(leader=leader, union=tree.grassroots_b1), campaign=campaign)
    elsewhere = make_campaign(
        organiser=tree.province,
        publish=True,
        scope_unit=tree.province,
        title="另一个通知",
        document_number="陕工发〔2026〕99号",
    )
    other_leader = applications[1].team.leaders.get()
    submitted(application_start(actor=other_leader, team=applications[1].team, campaign=elsewhere), other_leader)
    login(client, role_users["staff_ancestor"])  # oversees the campaign's whole scope
    for filters, total in [({}, 3), ({"status": "returned"}, 1), ({"status": "submitted"}, 2)]:
        shown, sql = listed_total(client, campaign=campaign.pk, **filters)
        assert shown == total, filters
        assert any("applicationtally" in q for q in sql), filters
        assert not any("COUNT(" in q and "teams_application" in q and "tally" not in q for q in sql), filters
    # Searched, or over every campaign, the tallies do not count the list: its rows are counted.
    for filters, total in [({"campaign": campaign.pk, "q": "班组1"}, 1), ({}, 4)]:
        shown, sql = listed_total(client, **filters)
        assert shown == total and not any("applicationtally" in q for q in sql), filters
    # A city's staff see their city's applications of the province's campaign: counted, not the tallies.
    login(client, role_users["staff_sibling"])
    shown, sql = listed_total(client, campaign=campaign.pk)
    assert shown == 0 and not any("applicationtally" in q for q in sql)
    login(client, role_users["staff_unit"])
    assert listed_total(client, campaign=campaign.pk)[0] == 3


def test_the_campaign_list_counts_applications_by_status(client, tree, campaign, role_users):
    make_submitted_applications(tree, campaign, 2)
    leader = UserFactory()
    application_start(
        actor=leader, team=make_team(leader=leader, union=tree.grassroots_a1, name="草稿班"), campaign=campaign
    )
    login(client, role_users["staff_ancestor"])
    page = client.get(reverse("campaigns:list")).content.decode()
    assert "草稿 1" in page and "已提交 2" in page


@pytest.mark.parametrize("rows", [1, 3])
def test_leader_home_query_count(client, tree, campaign, role_users, django_assert_num_queries, rows):
    leader = role_users["leader"]
    for number in range(rows):
        team = make_team(leader=leader, union=tree.grassroots_a1, name=f"班组{number}")
        application_start(actor=leader, team=team, campaign=campaign)
    make_campaign(organiser=tree.city_a, publish=True, document_number="甲工发〔2026〕9号")
    login(client, leader)
    with django_assert_num_queries(8):  # and the bell, and the open re-assessment reports
        response = client.get(reverse("teams:mine"))
    page = response.content.decode()
    assert page.count('data-testid="team-card"') == rows and page.count('data-testid="apply"') == rows


def test_submitting_an_incomplete_application_lists_what_is_missing_criterion_by_criterion(
    client, application, role_users
):
    leader = role_users["leader"]
    criteria = list(application.campaign.criteria.all())
    first, second = criteria[0], criteria[1]
    application_save(
        actor=leader,
        application=application,
        summary="班组坚持“梦桃精神”。",
        account="",
        answers={first.pk: {"statement": "已填写", "indicators": dict.fromkeys(first.indicators, 1)}},
    )
    login(client, leader)
    url = reverse("applications:edit", args=[application.pk])
    edit_page = client.get(url).content.decode()
    assert 'value="submit"' in edit_page and "data-confirm" not in edit_page.split('value="submit"')[1][:200]
    data = {"summary": "班组坚持“梦桃精神”。", "account": "", "action": "submit", f"statement_{first.pk}": "已填写"}
    data.update({f"ind_{first.pk}_{code}": "1" for code in first.indicators})
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="missing"' in page
    assert "主要事迹尚未填写" in page
    assert f'href="#criterion-{second.pk}"' in page and f"{second.code} {second.title}" in page
    if second.indicators:
        assert "以下指标尚未填写" in page
    if second.min_evidence:
        assert f"至少需要 {second.min_evidence} 份证明材料，现有 0 份" in page
    missing_section = page[
        page.index('data-testid="missing"') : page.index("</div>", page.index('data-testid="missing"'))
    ]
    assert f"#criterion-{first.pk}" not in missing_section or first.min_evidence  # a complete criterion is not listed
    assert Application.objects.get(pk=application.pk).status == Application.Status.DRAFT


def test_required_fields_are_marked_and_choices_read_choose(client, application, role_users):
    login(client, role_users["leader"])
    page = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert page.count('aria-required="true"') >= 2  # summary and account at least
    assert "---------" not in page
    register = client.get(reverse("teams:register")).content.decode()
    assert "---------" not in register and "请选择…" in register


def test_the_campaigns_tallies_follow_every_change_of_state(application, campaign, role_users, tree):
    from teams.models import ApplicationTally
    from teams.services import tallies_recount

    def tallies():
        return {t.status: t.count for t in ApplicationTally.objects.filter(campaign=campaign) if t.count}

    def actual():
        rows = Application.objects.filter(campaign=campaign).values_list("status", flat=True)
        return {status: list(rows).count(status) for status in set(rows)}

    leader = role_users["leader"]
    assert tallies() == actual() == {"draft": 1}
    submitted(application, leader)
    assert tallies() == actual() == {"submitted": 1}
    application_withdraw(actor=leader, application=application)
    assert tallies() == actual() == {"draft": 1}
    application_submit(actor=leader, application=application)
    decide(application, kind="return", opinion="请补充材料")
    assert tallies() == actual() == {"returned": 1}
    application_submit(actor=leader, application=application)
    assert tallies() == actual() == {"submitted": 1}
    other = application_start(
        actor=leader, team=make_team(leader=leader, union=tree.grassroots_a1, name="乙班"), campaign=campaign
    )
    assert other and tallies() == actual() == {"submitted": 1, "draft": 1}
    ApplicationTally.objects.all().delete()
    tallies_recount()
    assert tallies() == actual()
