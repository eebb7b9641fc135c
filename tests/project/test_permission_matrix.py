"""The permission matrix: every URL pattern of the project, for every role, with its expected outcome.

A URL pattern that is not in MATRIX fails `test_every_url_pattern_is_in_the_matrix`; an entry for a
pattern that no longer exists fails it too. Outcomes:
  200, 403, 404, 405  the status code
  LOGIN               a redirect to the login page
  REDIRECT            any other redirect
The admin is covered as a whole by the tests at the end of this module.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from awards.models import CertificateBundle, NoticeEntry, Objection, PublicNotice
from awards.revocation import revoke
from awards.showcase import feature_save
from campaigns.models import Campaign
from campaigns.services import attachment_add
from notifications.models import OutboundEmail
from notifications.services import notify
from reviews.models import Assignment, Decision, PanelMember, Recommendation, ReviewResult
from reviews.services import assignment_add, panel_add
from teams.models import Application, ApplicationVersion, LedgerEntry, Team
from teams.services import (
    application_start,
    application_submit,
    ledger_entry_save,
    member_save,
    team_register,
)
from tests.conftest import ROLES
from tests.factories import PNG_BYTES, decide, fill_application, make_campaign, make_team, make_title, unit_staff

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

LOGIN = "login"
REDIRECT = "redirect"


def everyone(outcome) -> dict[str, object]:
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome) -> dict[str, object]:
    return {**everyone(outcome), "anonymous": LOGIN}


def oversight(outcome_for_overseers, *, sibling=None) -> dict[str, object]:
    """Pages for staff and auditors; leaders and experts hold no oversight role (403)."""
    return {
        "anonymous": LOGIN,
        "leader": 403,
        "expert": 403,
        "staff_unit": outcome_for_overseers,
        "staff_sibling": sibling if sibling is not None else outcome_for_overseers,
        "staff_ancestor": outcome_for_overseers,
        "auditor": outcome_for_overseers,
        "superuser": outcome_for_overseers,
    }


def managers(outcome) -> dict[str, object]:
    """Pages that change a campaign of city A: its staff and the staff above; auditors only look."""
    return {**oversight(outcome, sibling=404), "auditor": 403}


def organisers(outcome) -> dict[str, object]:
    """Starting a campaign: any union staff, for their own unit."""
    return {**oversight(outcome), "auditor": 403}


def team_viewers(outcome) -> dict[str, object]:
    """Pages of the team of grassroots union A1 led by `leader`: its leaders and the oversight above it.
    Experts and sibling staff do not see the team at all (404)."""
    return {
        "anonymous": LOGIN,
        "leader": outcome,
        "expert": 404,
        "staff_unit": outcome,
        "staff_sibling": 404,
        "staff_ancestor": outcome,
        "auditor": outcome,
        "superuser": outcome,
    }


def team_editors(outcome) -> dict[str, object]:
    return {**team_viewers(outcome), "auditor": 403}


def team_reviewers(outcome) -> dict[str, object]:
    return {**team_editors(outcome), "leader": 403}


def leader_only(outcome) -> dict[str, object]:
    """Writing the team's application: its leader only; the oversight above reads it (403 here)."""
    return {**team_viewers(403), "leader": outcome}


@dataclass
class Case:
    url: Callable[[SimpleNamespace], str]
    expect: dict[str, object]
    method: str = "get"
    data: dict = field(default_factory=dict)
    data_from: Callable[[SimpleNamespace], dict] | None = None


MATRIX: dict[str, Case] = {
    "home": Case(lambda t: reverse("home"), everyone(200)),
    "healthz": Case(lambda t: reverse("healthz"), everyone(200)),
    "favicon": Case(lambda t: reverse("favicon"), everyone(REDIRECT)),
    "set_language": Case(
        lambda t: reverse("set_language"), everyone(REDIRECT), method="post", data={"language": "en", "next": "/"}
    ),
    "login": Case(lambda t: reverse("login"), {**everyone(REDIRECT), "anonymous": 200}),
    "logout": Case(lambda t: reverse("logout"), everyone(REDIRECT), method="post"),
    "profile": Case(lambda t: reverse("profile"), signed_in(200)),
    "password_change": Case(lambda t: reverse("password_change"), signed_in(200)),
    "password_change_done": Case(lambda t: reverse("password_change_done"), signed_in(200)),
    "password_reset": Case(lambda t: reverse("password_reset"), everyone(200)),
    "password_reset_done": Case(lambda t: reverse("password_reset_done"), everyone(200)),
    "password_reset_confirm": Case(
        lambda t: reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "set-password"}),
        everyone(200),
    ),
    "password_reset_complete": Case(lambda t: reverse("password_reset_complete"), everyone(200)),
    "unit_list": Case(lambda t: reverse("unit_list"), oversight(200)),
    "unit_detail": Case(lambda t: reverse("unit_detail", args=[t.city_a.pk]), oversight(200, sibling=404)),
    "user_list": Case(lambda t: reverse("user_list"), oversight(200)),
    "audit:event_list": Case(lambda t: reverse("audit:event_list"), oversight(200)),
    # Campaigns of city A: `draft` is a draft with an attachment, `published` is published.
    "campaigns:list": Case(lambda w: reverse("campaigns:list"), oversight(200)),
    "campaigns:create": Case(lambda w: reverse("campaigns:create"), organisers(200)),
    "campaigns:detail": Case(lambda w: reverse("campaigns:detail", args=[w.draft.pk]), oversight(200, sibling=404)),
    "campaigns:preview": Case(lambda w: reverse("campaigns:preview", args=[w.draft.pk]), oversight(200, sibling=404)),
    "campaigns:attachment": Case(
        lambda w: reverse("campaigns:attachment", args=[w.draft.pk, w.attachment.pk]), oversight(200, sibling=404)
    ),
    "campaigns:edit": Case(lambda w: reverse("campaigns:edit", args=[w.draft.pk]), managers(200)),
    "campaigns:criteria": Case(lambda w: reverse("campaigns:criteria", args=[w.draft.pk]), managers(200)),
    "campaigns:quotas": Case(lambda w: reverse("campaigns:quotas", args=[w.draft.pk]), managers(200)),
    "campaigns:attachments": Case(lambda w: reverse("campaigns:attachments", args=[w.draft.pk]), managers(200)),
    "campaigns:attachment_delete": Case(
        lambda w: reverse("campaigns:attachment_delete", args=[w.draft.pk, w.attachment.pk]),
        managers(REDIRECT),
        method="post",
    ),
    "campaigns:transition": Case(
        lambda w: reverse("campaigns:transition", args=[w.draft.pk, "publish"]), managers(200)
    ),
    "notices:list": Case(lambda w: reverse("notices:list"), everyone(200)),
    "notices:detail": Case(lambda w: reverse("notices:detail", args=[w.published.pk]), everyone(200)),
    "notices:pdf": Case(lambda w: reverse("notices:pdf", args=[w.published.pk]), everyone(200)),
    "notices:attachment": Case(
        lambda w: reverse("notices:attachment", args=[w.published.pk, w.public_attachment.pk]), everyone(200)
    ),
    # The public notice (公示) of `published`, running today, with the entry of `objection`.
    "publicity:list": Case(lambda w: reverse("publicity:list"), everyone(200)),
    "publicity:detail": Case(lambda w: reverse("publicity:detail", args=[w.objection.notice_id]), everyone(200)),
    "publicity:object": Case(
        lambda w: reverse("publicity:object", args=[w.objection.notice_id, w.objection.entry_id]), everyone(200)
    ),
    "publicity:lookup": Case(
        lambda w: reverse("publicity:lookup"), everyone(200), data_from=lambda w: {"reference": w.objection.reference}
    ),
    "teams:list": Case(lambda w: reverse("teams:list"), oversight(200)),
    "teams:export": Case(lambda w: reverse("teams:export"), oversight(200)),
    "teams:mine": Case(lambda w: reverse("teams:mine"), signed_in(200)),
    "teams:register": Case(lambda w: reverse("teams:register"), signed_in(200)),
    "teams:create": Case(lambda w: reverse("teams:create"), organisers(200)),
    "teams:detail": Case(lambda w: reverse("teams:detail", args=[w.team.pk]), team_viewers(200)),
    "teams:edit": Case(lambda w: reverse("teams:edit", args=[w.team.pk]), team_editors(200)),
    "teams:member_add": Case(lambda w: reverse("teams:member_add", args=[w.team.pk]), team_editors(200)),
    "teams:member_edit": Case(lambda w: reverse("teams:member_edit", args=[w.team.pk, w.member.pk]), team_editors(200)),
    "teams:pair_add": Case(lambda w: reverse("teams:pair_add", args=[w.team.pk]), team_editors(200)),
    "teams:resubmit": Case(
        lambda w: reverse("teams:resubmit", args=[w.team.pk]), team_editors(REDIRECT), method="post"
    ),
    "teams:review": Case(lambda w: reverse("teams:review", args=[w.team.pk]), team_reviewers(200)),
    "teams:move": Case(lambda w: reverse("teams:move", args=[w.team.pk]), team_reviewers(200)),
    # The team's ledger: `ledger_entry` with the attachment `ledger_file`.
    "teams:ledger": Case(lambda w: reverse("teams:ledger", args=[w.team.pk]), team_viewers(200)),
    "teams:ledger_add": Case(lambda w: reverse("teams:ledger_add", args=[w.team.pk]), team_editors(200)),
    "teams:ledger_edit": Case(
        lambda w: reverse("teams:ledger_edit", args=[w.team.pk, w.ledger_entry.pk]), team_editors(200)
    ),
    "teams:ledger_delete": Case(
        lambda w: reverse("teams:ledger_delete", args=[w.team.pk, w.ledger_entry.pk]),
        team_editors(REDIRECT),
        method="post",
    ),
    "teams:ledger_file": Case(
        lambda w: reverse("teams:ledger_file", args=[w.team.pk, w.ledger_file.pk]), team_viewers(200)
    ),
    "teams:ledger_file_remove": Case(
        lambda w: reverse("teams:ledger_file_remove", args=[w.team.pk, w.ledger_file.pk]),
        team_editors(REDIRECT),
        method="post",
    ),
    # Applications: `application` of the approved team 乙班 (led by `leader`), submitted and returned.
    "applications:list": Case(lambda w: reverse("applications:list"), oversight(200)),
    "applications:export": Case(lambda w: reverse("applications:export"), oversight(200)),
    "applications:start": Case(
        lambda w: reverse("applications:start"),
        {**signed_in(404), "leader": REDIRECT},
        method="post",
        data_from=lambda w: {"team": w.applying_team.pk, "campaign": w.published.pk},
    ),
    "applications:detail": Case(lambda w: reverse("applications:detail", args=[w.application.pk]), team_viewers(200)),
    "applications:edit": Case(lambda w: reverse("applications:edit", args=[w.application.pk]), leader_only(200)),
    "applications:autosave": Case(
        lambda w: reverse("applications:autosave", args=[w.application.pk]), leader_only(200), method="post"
    ),
    "applications:withdraw": Case(
        lambda w: reverse("applications:withdraw", args=[w.application.pk]), leader_only(REDIRECT), method="post"
    ),
    "applications:versions": Case(
        lambda w: reverse("applications:versions", args=[w.application.pk]), team_viewers(200)
    ),
    "applications:print": Case(lambda w: reverse("applications:print", args=[w.application.pk]), team_viewers(200)),
    "applications:pdf": Case(lambda w: reverse("applications:pdf", args=[w.application.pk]), team_viewers(200)),
    # The recommendation chain: `recommended` of 乙班2 waits at city A (its grassroots union recommended
    # it). Only the staff of the unit where it waits decide; the others who may read the application
    # are sent to its page, everyone else gets no such page.
    "reviews:queue": Case(lambda w: reverse("reviews:queue"), {**oversight(200), "auditor": 403}),
    "reviews:decide": Case(
        lambda w: reverse("reviews:decide", args=[w.recommended.pk]),
        {
            "anonymous": LOGIN,
            "leader": REDIRECT,
            "expert": 404,
            "staff_unit": 200,
            "staff_sibling": 404,
            "staff_ancestor": REDIRECT,
            "auditor": REDIRECT,
            "superuser": REDIRECT,
        },
    ),
    # The organiser's progress of the published campaign of city A: its staff and the oversight above.
    "reviews:progress": Case(
        lambda w: reverse("reviews:progress", args=[w.published.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "reviews:progress_export": Case(
        lambda w: reverse("reviews:progress_export", args=[w.published.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "reviews:extend": Case(
        lambda w: reverse("reviews:extend", args=[w.published.pk]),
        {**managers(200), "leader": 404, "expert": 404},
    ),
    # The expert review of `reviewed`, a campaign of city A whose review runs today: `review` is the
    # accepted application of 乙班3, assigned to `expert` (its assignment `assignment`, panel `panel_member`).
    # Only that expert opens it; the organiser's staff run the review, the oversight above reads it.
    "reviews:my_reviews": Case(
        lambda w: reverse("reviews:my_reviews"), {**signed_in(403), "expert": 200, "superuser": 200}
    ),
    "reviews:score": Case(
        lambda w: reverse("reviews:score", args=[w.assignment.pk]), {**signed_in(404), "expert": 200}
    ),
    "reviews:score_autosave": Case(
        lambda w: reverse("reviews:score_autosave", args=[w.assignment.pk]),
        {**signed_in(404), "expert": 200},
        method="post",
    ),
    "reviews:decline": Case(
        lambda w: reverse("reviews:decline", args=[w.assignment.pk]), {**signed_in(404), "expert": 200}
    ),
    "reviews:review_file": Case(
        lambda w: reverse("reviews:review_file", args=[w.assignment.pk, w.review_file]),
        {**signed_in(404), "expert": 200},
    ),
    "reviews:panel": Case(
        lambda w: reverse("reviews:panel", args=[w.reviewed.pk]), {**managers(200), "leader": 404, "expert": 404}
    ),
    "reviews:panel_remove": Case(
        lambda w: reverse("reviews:panel_remove", args=[w.reviewed.pk, w.panel_member.pk]),
        {**managers(REDIRECT), "leader": 404, "expert": 404},
        method="post",
    ),
    "reviews:assignments": Case(
        lambda w: reverse("reviews:assignments", args=[w.reviewed.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "reviews:assign": Case(
        lambda w: reverse("reviews:assign", args=[w.reviewed.pk, w.review.pk]),
        {**managers(200), "leader": 404, "expert": 404},
    ),
    "reviews:reopen": Case(
        lambda w: reverse("reviews:reopen", args=[w.reviewed.pk, w.assignment.pk]),
        {**managers(REDIRECT), "leader": 404, "expert": 404},
        method="post",
        data={"reopen-reason": "专家申请更正评分"},
    ),
    "reviews:ranking": Case(
        lambda w: reverse("reviews:ranking", args=[w.reviewed.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "reviews:ranking_export": Case(
        lambda w: reverse("reviews:ranking_export", args=[w.reviewed.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "reviews:shortlist": Case(
        lambda w: reverse("reviews:shortlist", args=[w.reviewed.pk]), {**managers(200), "leader": 404, "expert": 404}
    ),
    # The public notice and the naming: `published` has a notice with one objection (`objection`),
    # `reviewed` none yet. The organiser's staff run them; the oversight above reads them.
    "awards:publish": Case(
        lambda w: reverse("awards:publish", args=[w.reviewed.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "awards:objections": Case(
        lambda w: reverse("awards:objections", args=[w.published.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    # 两级公示: `published` has a two-level notice; grassroots union A1 (below city A) publishes its
    # own notice first, by its staff and those above. `objection`'s notice is the organiser's.
    "awards:unit_publish": Case(
        lambda w: reverse("awards:unit_publish", args=[w.published.pk, w.grassroots.pk]),
        {**managers(200), "auditor": 404, "leader": 404, "expert": 404},
    ),
    "awards:notice": Case(
        lambda w: reverse("awards:notice", args=[w.objection.notice_id]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "awards:objection_attachment": Case(
        lambda w: reverse("awards:objection_attachment", args=[w.objection.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "awards:objection_decide": Case(
        lambda w: reverse("awards:objection_decide", args=[w.published.pk, w.objection.pk]),
        {**managers(REDIRECT), "leader": 404, "expert": 404},
        method="post",
        data={"outcome": "dismissed", "findings": "经调查，所反映问题不属实。"},
    ),
    "awards:naming": Case(
        lambda w: reverse("awards:naming", args=[w.reviewed.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    # The certificate of `title`, 乙班2's (led by `leader`) in `published`: its leader and the oversight above.
    "awards:certificate": Case(
        lambda w: reverse("awards:certificate", args=[w.title.pk]),
        {**oversight(200, sibling=404), "leader": 200, "expert": 404},
    ),
    # The history (履历) of 乙班2 (led by `leader`, named by `title`, with an objection on the notice): the
    # oversight above its grassroots union; its leader sees the team but not the history (403).
    "awards:team_history": Case(
        lambda w: reverse("awards:team_history", args=[w.title.team_id]), {**team_viewers(200), "leader": 403}
    ),
    # The registry of named teams: public. `title` names 乙班2 (led by `leader`); its application's page
    # (the dossier) opens for its leader and the oversight above its grassroots union.
    "registry:list": Case(lambda w: reverse("registry:list"), everyone(200)),
    "registry:export_xlsx": Case(lambda w: reverse("registry:export_xlsx"), everyone(200)),
    "registry:export_csv": Case(lambda w: reverse("registry:export_csv"), everyone(200)),
    "registry:team": Case(lambda w: reverse("registry:team", args=[w.title.team_id]), everyone(200)),
    "registry:decision": Case(lambda w: reverse("registry:decision", args=[w.title.decision_id]), everyone(200)),
    # Revocation (摘牌): `title` can be revoked by the organiser's staff (city A and above); `revocation`
    # is 丙班's revoked title in `published`.
    "awards:revoke": Case(
        lambda w: reverse("awards:revoke") + f"?titles={w.title.pk}",
        {**managers(200), "leader": 404, "expert": 404},
    ),
    "awards:revocations": Case(lambda w: reverse("awards:revocations"), oversight(200)),
    "awards:revocation": Case(
        lambda w: reverse("awards:revocation", args=[w.revocation.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    # The ZIP of the certificates of `published`'s decision: `bundle`, done. The organiser's staff ask
    # for one; everyone who may see the naming page reads its progress and downloads it.
    "awards:bundle_new": Case(
        lambda w: reverse("awards:bundle_new", args=[w.published.pk]),
        {**managers(REDIRECT), "leader": 404, "expert": 404},
        method="post",
    ),
    "awards:bundle": Case(
        lambda w: reverse("awards:bundle", args=[w.published.pk, w.bundle.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "awards:bundle_download": Case(
        lambda w: reverse("awards:bundle_download", args=[w.published.pk, w.bundle.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    # Re-assessment (复核): `reassessment`, city A's, over `title` (乙班2 of grassroots union A1, led by
    # `leader`); its report (`reassessment_item`) is submitted, passed by A1 and waits at city A, the
    # organiser, with one evidence file. City A's staff decide and conclude; the oversight reads.
    "awards:reassessments": Case(lambda w: reverse("awards:reassessments"), oversight(200)),
    "awards:reassessment_start": Case(lambda w: reverse("awards:reassessment_start"), organisers(200)),
    "awards:reassessment": Case(
        lambda w: reverse("awards:reassessment", args=[w.reassessment.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "awards:reassessment_close": Case(
        lambda w: reverse("awards:reassessment_close", args=[w.reassessment.pk]),
        {**managers(REDIRECT), "leader": 404, "expert": 404},
        method="post",
    ),
    "awards:reassessment_queue": Case(lambda w: reverse("awards:reassessment_queue"), organisers(200)),
    "awards:reassessment_report": Case(
        lambda w: reverse("awards:reassessment_report", args=[w.reassessment_item.pk]), team_viewers(200)
    ),
    "awards:reassessment_file": Case(
        lambda w: reverse("awards:reassessment_file", args=[w.reassessment_item.pk, w.reassessment_file]),
        team_viewers(200),
    ),
    "awards:reassessment_decide": Case(
        lambda w: reverse("awards:reassessment_decide", args=[w.reassessment_item.pk]),
        {**team_viewers(REDIRECT), "staff_unit": 200},
    ),
    "awards:reassessment_conclude": Case(
        lambda w: reverse("awards:reassessment_conclude", args=[w.reassessment_item.pk]),
        {**team_viewers(403), "staff_unit": 200},
    ),
    # The showcase of typical examples (典型): public while `feature` (of `title`, with one photo from
    # its team's ledger) stands. The organiser's staff of `published` feature, edit and take down; the
    # oversight above reads the campaign's list.
    "showcase:list": Case(lambda w: reverse("showcase:list"), everyone(200)),
    "showcase:detail": Case(lambda w: reverse("showcase:detail", args=[w.feature.pk]), everyone(200)),
    "showcase:photo": Case(lambda w: reverse("showcase:photo", args=[w.feature.pk, w.feature_photo.pk]), everyone(200)),
    "awards:features": Case(
        lambda w: reverse("awards:features", args=[w.published.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "awards:feature_edit": Case(
        lambda w: reverse("awards:feature_edit", args=[w.published.pk, w.title.pk]),
        {**managers(200), "leader": 404, "expert": 404},
    ),
    "awards:feature_withdraw": Case(
        lambda w: reverse("awards:feature_withdraw", args=[w.published.pk, w.feature.pk]),
        {**managers(REDIRECT), "leader": 404, "expert": 404},
        method="post",
    ),
    # The inbox: everyone signed in has their own; `notification` is the leader's.
    "notifications:inbox": Case(lambda w: reverse("notifications:inbox"), signed_in(200)),
    "notifications:read": Case(
        lambda w: reverse("notifications:read", args=[w.notification.pk]),
        {**signed_in(404), "leader": REDIRECT},
        method="post",
    ),
    "notifications:read_all": Case(lambda w: reverse("notifications:read_all"), signed_in(REDIRECT), method="post"),
    "notifications:preferences": Case(lambda w: reverse("notifications:preferences"), signed_in(200)),
    # The outbox: superusers and the staff of the province (a root of the tree) only; `failed_email`
    # is a failed e-mail to the leader, which they may queue again.
    "notifications:outbox": Case(
        lambda w: reverse("notifications:outbox"), {**signed_in(403), "staff_ancestor": 200, "superuser": 200}
    ),
    "notifications:outbox_resend": Case(
        lambda w: reverse("notifications:outbox_resend", args=[w.failed_email.pk]),
        {**signed_in(403), "staff_ancestor": REDIRECT, "superuser": REDIRECT},
        method="post",
    ),
    # The deadline reminders of the published campaign of city A: its staff and the oversight above.
    "notifications:campaign_reminders": Case(
        lambda w: reverse("notifications:campaign_reminders", args=[w.published.pk]),
        {**oversight(200, sibling=404), "leader": 404, "expert": 404},
    ),
    "applications:file": Case(
        lambda w: reverse("applications:file", args=[w.application.pk, w.evidence.sha256]), team_viewers(200)
    ),
}


@pytest.fixture
def world(tree, role_users) -> SimpleNamespace:
    draft = make_campaign(organiser=tree.city_a, document_number="甲工发〔2026〕1号")
    published = make_campaign(organiser=tree.city_a, document_number="甲工发〔2026〕2号", publish=True)
    actor = draft.created_by
    upload = SimpleUploadedFile("通知附件.pdf", PDF, content_type="application/pdf")
    attachment = attachment_add(actor=actor, campaign=draft, upload=upload)
    upload = SimpleUploadedFile("申报表.pdf", PDF + b"%public", content_type="application/pdf")
    public_attachment = attachment_add(actor=actor, campaign=published, upload=upload)
    team = team_register(
        actor=role_users["leader"],
        grassroots_union=tree.grassroots_a1,
        name="甲班",
        enterprise="甲市机械厂",
        industry="C",
    )
    member = member_save(actor=role_users["leader"], team=team, name="王师傅", role="member")
    ledger = ledger_entry_save(
        actor=role_users["leader"],
        team=team,
        occurred_on=date(2025, 5, 1),
        kind="activity",
        title="技术比武",
        uploads=[SimpleUploadedFile("比武照片.pdf", PDF, content_type="application/pdf")],
    )
    applying_team = make_team(leader=role_users["leader"], union=tree.grassroots_a1, name="乙班")
    application = application_start(actor=role_users["leader"], team=applying_team, campaign=published)
    fill_application(application, actor=role_users["leader"])
    application_submit(actor=role_users["leader"], application=application)
    decide(application, kind="return", opinion="请补充材料")
    recommended = application_start(
        actor=role_users["leader"],
        team=make_team(leader=role_users["leader"], union=tree.grassroots_a1, name="乙班2"),
        campaign=published,
    )
    fill_application(recommended, actor=role_users["leader"])
    application_submit(actor=role_users["leader"], application=recommended)
    decide(recommended)
    reviewed, review, assignment, panel_member = _expert_review(tree, role_users)
    objection = _public_notice(published, recommended, role_users["staff_unit"])
    title = _named(published, recommended, role_users["staff_unit"])
    revocation = _revoked(published, tree, role_users)
    feature, feature_photo = _feature(title, role_users)
    Campaign.objects.filter(pk=published.pk).update(two_level_notice=True)
    reassessment, reassessment_item = _reassessment(title, role_users["staff_unit"], role_users["leader"])
    notification = notify(
        recipient=role_users["leader"], kind="test.thing", title="申报被退回", url=application.get_absolute_url()
    )
    OutboundEmail.objects.filter(pk=notification.email_id).update(state="failed", attempts=6, last_error="550")
    return SimpleNamespace(
        notification=notification,
        failed_email=notification.email,
        reassessment=reassessment,
        reassessment_item=reassessment_item,
        reassessment_file=reassessment_item.evidence.get().sha256,
        grassroots=tree.grassroots_a1,
        bundle=_bundle(title, role_users["staff_unit"]),
        reviewed=reviewed,
        review=review,
        objection=objection,
        title=title,
        revocation=revocation,
        feature=feature,
        feature_photo=feature_photo,
        assignment=assignment,
        panel_member=panel_member,
        review_file=next(
            i["sha256"] for c in review.application.versions.get().content["criteria"] for i in c["evidence"]
        ),
        recommended=recommended,
        **vars(tree),
        applying_team=applying_team,
        application=application,
        evidence=application.evidence.first(),
        draft=draft,
        published=published,
        attachment=attachment,
        public_attachment=public_attachment,
        team=team,
        member=member,
        ledger_entry=ledger.entry,
        ledger_file=ledger.attached[0],
    )


def _expert_review(tree, role_users):
    """A campaign of city A with one application accepted, assigned to the matrix's expert, its review
    running today."""
    reviewed = make_campaign(
        organiser=tree.city_a, document_number="甲工发〔2026〕3号", publish=True, actor=role_users["staff_unit"]
    )
    application = application_start(
        actor=role_users["leader"],
        team=make_team(leader=role_users["leader"], union=tree.grassroots_a1, name="乙班3"),
        campaign=reviewed,
    )
    fill_application(application, actor=role_users["leader"])
    application_submit(actor=role_users["leader"], application=application)
    decide(application)
    decide(application, actor=role_users["staff_unit"])
    review = ReviewResult.objects.get(application=application)
    member = panel_add(actor=role_users["staff_unit"], campaign=reviewed, expert=role_users["expert"])
    assignment = assignment_add(actor=role_users["staff_unit"], result=review, expert=role_users["expert"])
    today = timezone.localdate()
    type(reviewed).objects.filter(pk=reviewed.pk).update(
        review_starts_on=today - timedelta(days=1), review_ends_on=today + timedelta(days=3)
    )
    return reviewed, review, assignment, member


def _public_notice(campaign, application, staff):
    """A running public notice of `campaign` listing `application`, with one objection being investigated
    (made directly: the matrix needs the rows, not the review that would lead to them)."""
    today = timezone.localdate()
    notice = PublicNotice.objects.create(
        campaign=campaign,
        unit=campaign.organiser,
        starts_on=today,
        ends_on=today + timedelta(days=6),
        working_days=5,
        contact_phone="029-87654321",
        contact_address="甲市总工会",
        published_by=staff,
        published_at=timezone.now(),
    )
    entry = NoticeEntry.objects.create(
        notice=notice,
        application=application,
        order=1,
        team_name="乙班2",
        enterprise="甲市机械厂",
        union_name="甲市机械厂工会",
    )
    return Objection.objects.create(
        notice=notice, entry=entry, reference="YY-MATRIX-1", name="张三", unit="某公司", phone="13912345678",
        facts="材料不实。", filed_at=timezone.now(),
        attachment=SimpleUploadedFile("说明.pdf", PDF), attachment_name="说明.pdf", attachment_type="application/pdf",
    )  # fmt: skip


def _named(campaign, application, staff):
    """A naming decision of `campaign` naming `application`'s team (made directly, as the notice is)."""
    return make_title(
        campaign=campaign, team=application.team, staff=staff, level="city", title="甲市模范班组",
        document_number="甲工发〔2026〕9号", certificate_number="MF-2026-0001",
    )  # fmt: skip


def _revoked(campaign, tree, role_users):
    """丙班's title in `campaign`, revoked for a safety accident by the organiser's staff."""
    team = make_team(leader=role_users["leader"], union=tree.grassroots_a1, name="丙班")
    title = make_title(campaign=campaign, team=team, staff=role_users["staff_unit"], certificate_number="MF-2026-0002")
    (revocation,) = revoke(
        actor=role_users["staff_unit"], titles=[title], reason="accident", document_number="甲工发〔2026〕20号",
        revoked_on=timezone.localdate(),
    )  # fmt: skip
    return revocation


def _reassessment(title, staff, leader):
    """City A's re-assessment of `title`: the report submitted, passed by grassroots union A1, waiting
    at city A (the organiser)."""
    from awards import reassessment as services

    now = timezone.now()
    reassessment = services.reassessment_start(
        actor=staff, organiser=title.decision.campaign.organiser, title="甲市梦桃式班组复核",
        document_number="甲工发〔2026〕20号", scope="甲市命名的班组", titles=[title],
        report_deadline=now + timedelta(days=10), review_deadline=now + timedelta(days=20),
    )  # fmt: skip
    item = reassessment.items.get()
    criteria = list(item.criteria_campaign.criteria.all())
    services.report_save(actor=leader, item=item, statements={c.pk: "复核期间的做法。" for c in criteria})
    pdf = SimpleUploadedFile("复核总结.pdf", PDF + b"%fuhe", content_type="application/pdf")
    services.report_evidence_add(actor=leader, item=item, criterion=criteria[0], uploads=[pdf])
    item = services.report_submit(actor=leader, item=item)
    services.report_decide(actor=unit_staff(item.unit), item=item, kind="pass", opinion="同意。")
    return reassessment, item


def _feature(title, role_users):
    """`title`'s team featured by the organiser's staff, with a photo from its ledger."""
    saved = ledger_entry_save(
        actor=role_users["leader"],
        team=title.team,
        occurred_on=date(2025, 6, 1),
        kind="activity",
        title="师带徒结对仪式",
        uploads=[SimpleUploadedFile("结对仪式.png", PNG_BYTES, content_type="image/png")],
    )
    photo = saved.attached[0]
    feature = feature_save(
        actor=role_users["staff_unit"], title=title, headline="传帮带", story="<p>师带徒结对八对。</p>", photos=[photo]
    )
    return feature, photo


def _bundle(title, staff):
    """The ZIP of the decision's one certificate, built (made directly: the matrix needs the row and its file)."""
    bundle = CertificateBundle.objects.create(
        decision=title.decision, requested_by=staff, requested_at=timezone.now(), state="done", total=1, done=1,
        finished_at=timezone.now(),
    )  # fmt: skip
    bundle.file.save("matrix.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    return bundle


def _url_names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names.extend(_url_names(pattern, inner))
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>")
    return names


def project_url_names() -> set[str]:
    return {name for name in _url_names(get_resolver()) if not name.startswith("admin:")}


def test_every_url_pattern_is_in_the_matrix():
    names = project_url_names()
    assert not names - MATRIX.keys(), f"URL patterns missing from the permission matrix: {names - MATRIX.keys()}"
    assert not MATRIX.keys() - names, f"matrix entries for URL patterns that do not exist: {MATRIX.keys() - names}"


def _assert_outcome(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), response["Location"]
    elif expected == REDIRECT:
        assert response.status_code == 302, (url, response.status_code)
        assert not response["Location"].startswith(reverse(settings.LOGIN_URL)), response["Location"]
    else:
        assert response.status_code == expected, (url, response.status_code)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, world, role_users, name, role):
    case = MATRIX[name]
    if role_users[role] is not None:
        client.force_login(role_users[role])
    url = case.url(world)
    data = case.data_from(world) if case.data_from else case.data
    response = getattr(client, case.method)(url, data)
    _assert_outcome(response, case.expect[role], url)


# --- The admin: for superusers only; union staff work in the application's own pages. -------


@pytest.fixture
def sign_in_records(world):
    """A failed sign-in, a lock-out and a sign-in, so that the admin of django-axes shows a record of each."""
    when = timezone.now()
    place = {"ip_address": "10.0.0.1", "user_agent": "Chromium", "http_accept": "*/*", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(username="leader", get_data="", post_data="", failures_since_start=5, **place)
    AccessFailureLog.objects.create(username="leader", locked_out=True, **place)
    AccessLog.objects.create(username="root", logout_time=when, **place)
    return world


def admin_urls() -> list[str]:
    """The index, and each registered model's list, and the change and history pages of its first record."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        obj = model._default_manager.first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    return urls


@pytest.mark.parametrize("role", [r for r in ROLES if r != "superuser"])
def test_admin_is_closed_to_everyone_but_superusers(client, sign_in_records, role_users, role):
    if role_users[role] is not None:
        client.force_login(role_users[role])
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_admin_opens_every_model_for_superusers(client, sign_in_records, role_users):
    client.force_login(role_users["superuser"])
    urls = admin_urls()
    for url in urls:
        assert client.get(url).status_code == 200, url
    # The records of the teams app and of django-axes were among them, with their inlines.
    for model in (
        Team, LedgerEntry, Application, ApplicationVersion, Recommendation, Decision, ReviewResult, Assignment,
        PanelMember,
        AccessAttempt, AccessFailureLog, AccessLog,
    ):  # fmt: skip
        info = (model._meta.app_label, model._meta.model_name)
        assert reverse("admin:{}_{}_change".format(*info), args=[model.objects.first().pk]) in urls
