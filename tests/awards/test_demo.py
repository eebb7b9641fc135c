"""The demo's concluded campaign, 陕西省总工会's 2025年度“梦桃式班组”: its public notice for five working
days, one objection dismissed and one upheld (the team taken off the notice and the shortlist), the
naming decision with consecutive certificate numbers and the registry's columns as naming_issue fills
them; the public and the organiser read it; three named teams featured in the showcase of typical
examples with photos from their ledgers; the 2026 campaign is left where it was. Loaded twice,
nothing changes."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from awards.demo.reassessment import DOCUMENT_NUMBER as REASSESSMENT_DOCUMENT_NUMBER
from awards.demo.revocation import REVOKED_TEAM
from awards.demo.texts import CAMPAIGN_DOCUMENT_NUMBER, DECISION_DOCUMENT_NUMBER
from awards.models import (
    CertificateCounter,
    Feature,
    FeaturePhoto,
    NamingDecision,
    NoticeEntry,
    Objection,
    PublicNotice,
    Reassessment,
    ReassessmentDecision,
    ReassessmentEvidence,
    Revocation,
    Title,
)
from awards.reassessment import is_overdue
from awards.search import search_text
from campaigns.models import Campaign
from reviews.models import ReviewResult
from teams.demo.teams import EARLIER_TEAMS
from teams.models import Application, LedgerEntry, pinyin_key

pytestmark = pytest.mark.django_db

E = NoticeEntry.State
R = ReviewResult.State


def counts() -> tuple[int, ...]:
    models = (
        Campaign, Application, PublicNotice, NoticeEntry, Objection, NamingDecision, Title, Revocation, Feature,
        FeaturePhoto, LedgerEntry, AuditEvent,
    )  # fmt: skip
    return tuple(model.objects.count() for model in models)


def test_the_2025_campaign_is_named_after_its_notice_and_two_objections(client):
    call_command("seed_demo")
    campaign = Campaign.objects.get(organiser__code="SX", document_number=CAMPAIGN_DOCUMENT_NUMBER)
    assert campaign.status == Campaign.Status.CONCLUDED and "2025年度" in campaign.title
    assert campaign.application_opens_at.year == 2025

    # Eighteen teams applied and were reviewed; seventeen shortlisted in rank order, the last not.
    results = list(ReviewResult.objects.filter(campaign=campaign).select_related("application__team"))
    assert len(results) == len(EARLIER_TEAMS) == 18
    assert all(r.reviews_done == r.reviews_assigned == 3 for r in results)
    (last,) = [r for r in results if r.rank == max(r.rank for r in results)]
    assert last.state == R.NOT_SELECTED and last.application.team.name == "通信维护班"

    # The notice: five working days from Wednesday 9 July 2025, the shortlist as it stood.
    notice = PublicNotice.objects.get(campaign=campaign)
    assert (notice.starts_on, notice.ends_on, notice.working_days) == (date(2025, 7, 9), date(2025, 7, 15), 5)
    entries = list(notice.entries.order_by("order"))
    assert len(entries) == campaign.titles_to_award == 17
    assert all(e.leader_names and e.enterprise and e.union_name and e.summary for e in entries)

    # Two real-name objections filed while it ran, each settled with its findings.
    objections = {o.entry.team_name: o for o in Objection.objects.filter(notice=notice).select_related("entry")}
    assert set(objections) == {"1号线乘务二班", "综掘一队"}
    for objection in objections.values():
        assert notice.starts_on <= objection.filed_at.date() <= notice.ends_on
        assert objection.decided_at.date() < date(2025, 7, 22) and objection.decided_by.username == "sheng_staff"
        assert objection.name and objection.phone and len(objection.findings) > 100
    dismissed, upheld = objections["1号线乘务二班"], objections["综掘一队"]
    assert dismissed.state == Objection.State.DISMISSED and "排班" in dismissed.findings
    assert dismissed.entry.state == E.LISTED
    # Upheld: a member's serious safety violation in the period, named in the facts and the findings.
    assert upheld.state == Objection.State.UPHELD and "严重违章" in upheld.findings
    team = upheld.entry.application.team
    assert [m.name for m in team.members.all() if m.name in upheld.facts and m.name in upheld.findings]
    assert upheld.entry.state == E.WITHDRAWN
    taken_off = ReviewResult.objects.get(application=upheld.entry.application)
    assert taken_off.state == R.NOT_SELECTED and upheld.reference in taken_off.shortlist_reason

    # The naming decision after the notice: sixteen named, certificate numbers consecutive in the
    # notice's order, the registry's columns as naming_issue fills them.
    decision = NamingDecision.objects.get(campaign=campaign)
    assert (decision.document_number, decision.level) == (DECISION_DOCUMENT_NUMBER, NamingDecision.Level.PROVINCIAL)
    assert decision.decided_on == date(2025, 7, 22) > notice.ends_on
    assert decision.title == "陕西省“梦桃式班组”" and "等16个班组" in decision.text
    titles = list(Title.objects.filter(decision=decision).select_related("team", "application").order_by("pk"))
    listed = [e for e in entries if e.state == E.LISTED]
    assert [t.application_id for t in titles] == [e.application_id for e in listed]
    assert [t.certificate_number for t in titles] == [f"MT-2025-{n:04d}" for n in range(1, 17)]
    assert CertificateCounter.objects.get(prefix="MT", year=2025).last == 16
    for title, entry in zip(titles, listed, strict=True):
        assert title.team == title.application.team
        assert (title.team_name, title.enterprise, title.region) == (entry.team_name, entry.enterprise, entry.region)
        assert title.team_sort == pinyin_key(entry.team_name) and title.industry == title.team.industry
        assert (title.year, title.level) == (2025, NamingDecision.Level.PROVINCIAL)
        assert title.search_text == search_text(entry.team_name, entry.enterprise)
    assert "综掘一队" not in {t.team_name for t in titles} and "通信维护班" not in {t.team_name for t in titles}
    assert AuditEvent.objects.filter(action="awards.naming_issue", details__document_number=decision.document_number)

    # One title revoked (摘牌) in September 2026 after a safety accident, the plaque handed back; the
    # other fifteen stand.
    (revoked,) = [t for t in titles if t.state == Title.State.REVOKED]
    assert revoked.team_name == REVOKED_TEAM and revoked.revoked_on == date(2026, 9, 15)
    revocation = Revocation.objects.get(title=revoked)
    assert revocation.reason == Revocation.Reason.ACCIDENT and "安全事故" in revocation.details
    assert revocation.plaque_returned and not revocation.certificate_returned and revocation.is_standing
    assert sum(t.state == Title.State.NAMED for t in titles) == 15

    # The current 2026 campaign is left where it was, to be carried to naming by hand.
    current = Campaign.objects.get(organiser__code="SX", document_number="陕工发〔2026〕12号")
    assert current.status == Campaign.Status.PUBLISHED and not PublicNotice.objects.filter(campaign=current)

    # The public reads the notice (the team taken off struck through) and the findings by reference;
    # the organiser reads the decision with its certificates.
    page = client.get(reverse("publicity:detail", args=[notice.pk])).content.decode()
    assert 'data-testid="entry-withdrawn"' in page and "1号线乘务二班" in page and upheld.phone not in page
    assert notice.campaign.title in client.get(reverse("publicity:list")).content.decode()
    found = client.get(reverse("publicity:lookup"), {"reference": dismissed.reference}).content.decode()
    assert dismissed.findings[:40] in found and dismissed.name not in found
    client.force_login(User.objects.get(username="sheng_staff"))
    page = client.get(reverse("awards:naming", args=[campaign.pk])).content.decode()
    assert page.count('data-testid="title-row"') == 16 and "MT-2025-0016" in page

    decisions = _the_reassessment_is_in_progress_today(client)
    # The showcase: three named teams featured by the province's staff in September 2025, each with a
    # story and photos from its own ledger, recorded after the naming.
    features = list(Feature.objects.select_related("title", "featured_by").order_by("featured_at"))
    assert [f.title.team_name for f in features] == ["细纱一车间乙班", "重症医学科护理班组", "断路器装配班"]
    for feature in features:
        assert feature.title.decision_id == decision.pk and feature.is_standing
        assert feature.featured_by.username == "sheng_staff" and feature.featured_at.date() == date(2025, 9, 8)
        assert feature.headline and feature.story.startswith("<p>") and "<div" not in feature.story
        photos = list(feature.feature_photos.select_related("attachment__entry"))
        assert photos and all(p.attachment.content_type == "image/jpeg" for p in photos)
        assert all(p.attachment.entry.team_id == feature.title.team_id for p in photos)
        assert all(decision.decided_on < p.attachment.entry.occurred_on < date(2025, 9, 8) for p in photos)
    client.logout()
    listing = client.get(reverse("showcase:list")).content.decode()
    assert listing.count('data-testid="feature-card"') == 3
    page = client.get(reverse("showcase:detail", args=[features[0].pk])).content.decode()
    assert "“一师一徒、一月一测”" in page and features[0].title.certificate_number in page
    photo = features[0].feature_photos.first()
    assert client.get(reverse("showcase:photo", args=[features[0].pk, photo.attachment_id])).status_code == 200

    before = counts()
    call_command("seed_demo")
    assert counts() == before
    assert Reassessment.objects.count() == 1 and ReassessmentDecision.objects.count() == decisions


def _the_reassessment_is_in_progress_today(client) -> int:
    """The re-assessment of the fifteen titles that stand (the sixteenth was revoked): the report
    deadline passed two days ago, the review runs three more weeks; one passed, one waits at the
    province, one returned, one overdue (逾期未报送)."""
    reassessment = Reassessment.objects.get(document_number=REASSESSMENT_DOCUMENT_NUMBER)
    now = timezone.now()
    assert reassessment.report_deadline < now < reassessment.review_deadline
    assert reassessment.state == Reassessment.State.RUNNING and reassessment.item_count == 15
    items = list(reassessment.items.select_related("unit"))
    by_state = Counter(i.state for i in items)
    assert by_state["concluded"] == 1 and by_state["returned"] == 1
    assert [i.outcome for i in items if i.outcome] == ["passed"]
    assert sum(1 for i in items if i.state == "waiting" and i.unit_id == reassessment.organiser_id) == 1
    overdue = [i for i in items if is_overdue(i)]
    assert len(overdue) == 1 and overdue[0].version == 0
    assert all(i.versions.count() == i.version for i in items)
    assert ReassessmentEvidence.objects.filter(item__reassessment=reassessment).count() == 14
    client.force_login(User.objects.get(username="sheng_staff"))
    page = client.get(reverse("awards:reassessment", args=[reassessment.pk])).content.decode()
    assert page.count('data-testid="item-row"') == 15 and page.count('data-testid="overdue"') == 1
    return ReassessmentDecision.objects.count()
