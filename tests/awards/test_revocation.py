"""Revocation (摘牌): one title or a batch with one reason in one audited step, shown as revoked
everywhere (the registry, the team's page, the decision's page, the exports, the figures) with the
date and the reason; no certificate for it any more; the hand-back recorded; a revocation made in
error reversed with a reason and never deleted. Bad input and races, each refused in Chinese."""

import csv
import io
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import RoleAssignment
from accounts.services import role_assign
from audit.models import AuditEvent
from awards.errors import AwardsError
from awards.models import Revocation, Title
from awards.revocation import handback_record, revocation_reverse, revoke
from awards.selectors import registry_facets
from notifications.models import Notification
from tests.factories import UserFactory, make_campaign, make_team, make_title
from tests.workbooks import download, workbook_of

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


@pytest.fixture
def organiser(tree):
    staff = UserFactory(username="zhaipai_staff", unit=tree.province, name="省总干部")
    role_assign(actor=None, user=staff, role=RoleAssignment.Role.STAFF, unit=tree.province)
    return staff


@pytest.fixture
def leader(tree):
    return UserFactory(username="zhaipai_leader", unit=tree.grassroots_a1, name="何小梅")


@pytest.fixture
def titles(tree, organiser, leader):
    """Three teams named by the province's 2025 decision: 细纱甲班, 织布乙班, 综采一队."""
    campaign = make_campaign(organiser=tree.province, document_number="陕工发〔2025〕12号", publish=True)
    made = {}
    for number, name in enumerate(("细纱甲班", "织布乙班", "综采一队"), start=1):
        team = make_team(leader=leader, union=tree.grassroots_a1, name=name)
        made[name] = make_title(
            campaign=campaign,
            team=team,
            staff=organiser,
            decided_on=date(2025, 6, 30),
            certificate_number=f"MT-2025-{number:04d}",
        )
    return made


def revoke_now(actor, *titles, reason="accident", **kwargs):
    kwargs.setdefault("document_number", "陕工发〔2026〕40号")
    kwargs.setdefault("revoked_on", timezone.localdate())
    return revoke(actor=actor, titles=list(titles), reason=reason, **kwargs)


def test_a_revocation_marks_the_title_with_its_date_and_reason_and_is_audited_once(organiser, titles):
    title = titles["综采一队"]
    (revocation,) = revoke_now(organiser, title, plaque_returned=True)
    title.refresh_from_db()
    assert title.state == Title.State.REVOKED and title.is_revoked
    assert title.revoked_on == timezone.localdate() and title.revocation_reason == "accident"
    assert revocation.plaque_returned and not revocation.certificate_returned and revocation.is_standing
    event = AuditEvent.objects.get(action="awards.revoke")
    assert event.target_id == str(revocation.pk) and event.details["certificate_numbers"] == "MT-2025-0003"


def test_a_batch_is_revoked_with_one_reason_in_one_audited_step(organiser, titles):
    revocations = revoke_now(organiser, titles["细纱甲班"], titles["织布乙班"], reason="no_results")
    assert len(revocations) == 2 and {r.batch_size for r in revocations} == {2}
    assert Title.objects.filter(state="revoked").count() == 2
    assert AuditEvent.objects.filter(action="awards.revoke").count() == 1
    assert AuditEvent.objects.get(action="awards.revoke").details["certificate_numbers"] == "MT-2025-0001、MT-2025-0002"


def test_revoking_a_title_twice_is_refused_and_the_batch_with_it_too(organiser, titles):
    revoke_now(organiser, titles["综采一队"])
    with pytest.raises(AwardsError, match="MT-2025-0003"):
        revoke_now(organiser, titles["综采一队"])
    with pytest.raises(AwardsError):
        revoke_now(organiser, titles["细纱甲班"], titles["综采一队"])
    assert Title.objects.get(pk=titles["细纱甲班"].pk).state == "named"
    assert Revocation.objects.count() == 1


def test_a_title_that_was_never_named_cannot_be_revoked(organiser, client, tree, leader):
    with pytest.raises(AwardsError):
        revoke_now(organiser, Title(pk=987654))
    client.force_login(organiser)
    assert client.get(reverse("awards:revoke"), {"titles": "987654"}).status_code == 404
    assert client.get(reverse("awards:revoke")).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "lost"}, "reason"),
        ({"reason": "other", "details": "  "}, "details"),
        ({"document_number": " "}, "document_number"),
        ({"revoked_on": date.today() + timedelta(days=2)}, "revoked_on"),
        ({"revoked_on": date(2025, 6, 1)}, "revoked_on"),
    ],
)
def test_bad_input_is_refused_field_by_field(organiser, titles, changes, field):
    with pytest.raises(ValidationError) as refused:
        revoke_now(organiser, titles["综采一队"], **changes)
    assert field in refused.value.message_dict
    assert not Revocation.objects.exists()


def test_only_the_naming_unions_staff_revoke(tree, titles):
    city_staff = UserFactory(username="city_zhaipai", unit=tree.city_a)
    role_assign(actor=None, user=city_staff, role=RoleAssignment.Role.STAFF, unit=tree.city_a)
    with pytest.raises(PermissionDenied):
        revoke_now(city_staff, titles["综采一队"])
    assert not Revocation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_staff_revoking_at_once_make_one_revocation(tree, organiser, titles):
    other = UserFactory(username="zhaipai_staff_2", unit=tree.province)
    role_assign(actor=None, user=other, role=RoleAssignment.Role.STAFF, unit=tree.province)
    title = titles["综采一队"]
    outcomes, barrier = [], threading.Barrier(2)

    def click(actor):
        barrier.wait()
        try:
            revoke_now(actor, title)
            outcomes.append("revoked")
        except AwardsError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=click, args=(actor,)) for actor in (organiser, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "revoked"]
    assert Revocation.objects.count() == 1


def test_a_reversal_needs_a_reason_and_keeps_the_history(organiser, titles):
    title = titles["综采一队"]
    (revocation,) = revoke_now(organiser, title)
    with pytest.raises(ValidationError) as refused:
        revocation_reverse(actor=organiser, revocation=revocation, reason="  ")
    assert "reason" in refused.value.message_dict
    assert Title.objects.get(pk=title.pk).state == "revoked"
    revocation_reverse(actor=organiser, revocation=revocation, reason="经复查，事故责任不在该班组。")
    title.refresh_from_db()
    assert title.state == "named" and title.revoked_on is None and title.revocation_reason == ""
    revocation.refresh_from_db()
    assert not revocation.is_standing and revocation.reversal_reason.startswith("经复查")
    with pytest.raises(AwardsError):
        revocation_reverse(actor=organiser, revocation=revocation, reason="再次撤销")
    # Revoked again later: both revocations stay, one standing.
    revoke_now(organiser, title, reason="no_results")
    assert Revocation.objects.filter(title=title).count() == 2
    assert Revocation.objects.filter(title=title, reversed_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="awards.revocation_reverse").count() == 1


def test_the_handback_is_recorded_and_audited(organiser, titles):
    (revocation,) = revoke_now(organiser, titles["综采一队"])
    handback_record(actor=organiser, revocation=revocation, plaque_returned=True, certificate_returned=True)
    revocation.refresh_from_db()
    assert revocation.plaque_returned and revocation.certificate_returned
    event = AuditEvent.objects.get(action="awards.handback_record")
    assert event.details["changes"] == {"plaque_returned": [False, True], "certificate_returned": [False, True]}


def test_a_certificate_requested_after_revocation_is_refused(client, organiser, leader, titles):
    title = titles["综采一队"]
    revoke_now(organiser, title)
    for user in (organiser, leader):
        client.force_login(user)
        response = client.get(reverse("awards:certificate", args=[title.pk]))
        assert response.status_code == 410
        assert 'data-testid="certificate-refused"' in response.content.decode()


def test_a_revoked_team_is_nowhere_shown_as_standing(client, organiser, titles):
    """The registry, the team's page, the decision's page, both exports and the figures."""
    title = titles["综采一队"]
    before = registry_facets().figures
    revoke_now(organiser, title, reason="accident")
    with translation.override("zh-hans"):
        page = client.get(reverse("registry:list"), {"q": "综采"}).content.decode()
        assert "badge title-revoked" in page and "badge title-named" not in page and "重大安全" in page
        team_page = client.get(reverse("registry:team", args=[title.team_id])).content.decode()
        assert "badge title-revoked" in team_page and "badge title-named" not in team_page
        assert 'data-testid="revocation-reason"' in team_page
        decision_page = client.get(reverse("registry:decision", args=[title.decision_id])).content.decode()
        row = decision_page[decision_page.index("综采一队") :]
        assert row.index("title-revoked") < row.index("</tr>")
        rows = list(csv.reader(io.StringIO(download(client.get(reverse("registry:export_csv"))).decode("utf-8-sig"))))
        by_number = {row[0]: row for row in rows[1:]}
        assert by_number["MT-2025-0003"][11] == "已摘牌" and by_number["MT-2025-0001"][11] == "已命名"
        assert by_number["MT-2025-0003"][12] == timezone.localdate().isoformat()
        sheet = workbook_of(download(client.get(reverse("registry:export_xlsx")))).active
        states = {r[0]: r[11] for r in sheet.iter_rows(min_row=2, values_only=True)}
        assert states["MT-2025-0003"] == "已摘牌"
    after = registry_facets().figures
    counted = {state: Title.objects.filter(state=state).count() for state in ("named", "revoked")}
    assert (after["named"], after["revoked"]) == (counted["named"], counted["revoked"]) == (2, 1)
    assert (before["named"], before["revoked"]) == (3, 0) and after["total"] == before["total"] == 3
    page = client.get(reverse("registry:list")).content.decode()
    assert 'data-testid="figure-revoked">1<' in page and 'data-testid="figure-named">2<' in page


def test_the_leaders_are_told_of_a_revocation_and_of_its_reversal(
    organiser, leader, titles, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (revocation,) = revoke_now(organiser, titles["综采一队"])
    told = Notification.objects.get(recipient=leader, kind="revoked")
    assert "综采一队" in told.title and "陕工发〔2026〕40号" in told.body
    with django_capture_on_commit_callbacks(execute=True):
        revocation_reverse(actor=organiser, revocation=revocation, reason="经复查，事故责任不在该班组。")
    assert Notification.objects.filter(recipient=leader, kind="revoked").count() == 2


# --- Pages -------------------------------------------------------------------------------------


def test_the_naming_page_offers_the_chosen_titles_for_revocation(client, organiser, titles):
    title = titles["综采一队"]
    client.force_login(organiser)
    page = client.get(reverse("awards:naming", args=[title.decision.campaign_id])).content.decode()
    assert page.count('data-testid="choose-title"') == 3 and reverse("awards:revoke") in page


def test_the_revoke_page_revokes_a_batch_and_shows_the_revocation(client, organiser, titles):
    client.force_login(organiser)
    chosen = f"{titles['细纱甲班'].pk},{titles['织布乙班'].pk}"
    page = client.get(reverse("awards:revoke"), {"titles": chosen, "reason": "failed_reassessment"})
    assert page.status_code == 200 and len(page.context["titles"]) == 2
    assert page.context["form"].initial["reason"] == "failed_reassessment"
    response = client.post(
        reverse("awards:revoke"),
        {
            "titles": [titles["细纱甲班"].pk, titles["织布乙班"].pk],
            "reason": "failed_reassessment",
            "document_number": "陕工发〔2026〕41号",
            "revoked_on": timezone.localdate().isoformat(),
            "certificate_returned": "on",
        },
    )
    assert response.status_code == 302
    revocation = Revocation.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert revocation.reason == "failed_reassessment" and revocation.certificate_returned
    page = client.get(response.url)
    assert len(page.context["batch"]) == 2 and page.context["may_manage"]


def test_a_failing_revoke_form_keeps_what_was_typed(client, organiser, titles):
    client.force_login(organiser)
    response = client.post(
        reverse("awards:revoke"),
        {
            "titles": [titles["综采一队"].pk],
            "reason": "other",
            "details": "",
            "document_number": "陕工发〔2026〕42号",
            "revoked_on": timezone.localdate().isoformat(),
            "plaque_returned": "on",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "details" in form.errors
    page = response.content.decode()
    assert "陕工发〔2026〕42号" in page and 'value="other" selected' in page
    assert 'name="plaque_returned" class="checkboxinput form-check-input" id="id_plaque_returned" checked' in page
    assert not Revocation.objects.exists()


def test_a_double_click_on_revoke_revokes_once(client, organiser, titles):
    client.force_login(organiser)
    data = {
        "titles": [titles["综采一队"].pk],
        "reason": "fraud",
        "document_number": "陕工发〔2026〕43号",
        "revoked_on": timezone.localdate().isoformat(),
    }
    assert client.post(reverse("awards:revoke"), data).status_code == 302
    again = client.post(reverse("awards:revoke"), data)
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    assert Revocation.objects.count() == 1


def test_a_forged_url_to_another_unions_title_is_not_found(client, tree, titles):
    sibling = UserFactory(username="b_staff_zhaipai", unit=tree.city_b)
    role_assign(actor=None, user=sibling, role=RoleAssignment.Role.STAFF, unit=tree.city_b)
    city_campaign = make_campaign(organiser=tree.city_a, document_number="甲工发〔2025〕3号", publish=True)
    city_title = make_title(
        campaign=city_campaign, team=make_team(leader=sibling, union=tree.grassroots_a1, name="甲市班组")
    )
    client.force_login(sibling)
    assert client.get(reverse("awards:revoke"), {"titles": city_title.pk}).status_code == 404


def test_the_reversal_page_refuses_an_empty_reason_and_keeps_the_form(client, organiser, titles):
    (revocation,) = revoke_now(organiser, titles["综采一队"])
    client.force_login(organiser)
    url = reverse("awards:revocation", args=[revocation.pk])
    response = client.post(url, {"action": "reverse", "reason": ""})
    assert response.status_code == 200 and response.context["reversal"].errors
    assert Title.objects.get(pk=titles["综采一队"].pk).state == "revoked"
    response = client.post(url, {"action": "reverse", "reason": "经复查，认定有误。"})
    assert response.status_code == 302
    assert Title.objects.get(pk=titles["综采一队"].pk).state == "named"
    page = client.get(url).content.decode()
    assert 'data-testid="reversal"' in page and 'data-testid="reverse-form"' not in page


def test_an_auditor_reads_a_revocation_but_changes_nothing(client, tree, organiser, titles):
    (revocation,) = revoke_now(organiser, titles["综采一队"])
    auditor = UserFactory(username="zhaipai_auditor", unit=tree.province)
    role_assign(actor=None, user=auditor, role=RoleAssignment.Role.AUDITOR, unit=tree.province)
    client.force_login(auditor)
    url = reverse("awards:revocation", args=[revocation.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "reverse", "reason": "试图撤销"}).status_code == 403
    assert Title.objects.get(pk=titles["综采一队"].pk).state == "revoked"


def test_the_list_of_revocations_takes_the_same_queries_for_many(
    client, organiser, titles, django_assert_max_num_queries
):
    client.force_login(organiser)
    revoke_now(organiser, titles["综采一队"])
    with django_assert_max_num_queries(9) as one:
        assert client.get(reverse("awards:revocations")).status_code == 200
    revoke_now(organiser, titles["细纱甲班"], titles["织布乙班"], reason="dissolved")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("awards:revocations"))
    assert len(response.context["page_obj"]) == 3
    assert len(client.get(reverse("awards:revocations"), {"state": "reversed"}).context["page_obj"]) == 0
