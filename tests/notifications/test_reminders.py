"""Deadline reminders: the thresholds, who owes what, exactly once under re-runs and two sweeps at the
same time, the digest, the 00:00 Beijing deadline, a moved deadline, the beat entry and the
"what will be sent" page."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext, override
from django_celery_beat.models import PeriodicTask

from awards.models import PublicNotice
from campaigns.models import Campaign
from notifications import kinds
from notifications.models import Notification, OutboundEmail, ReminderLog
from notifications.reminder_selectors import next_threshold
from notifications.reminders import Item, due_threshold, end_of_day, sweep, thresholds_of
from reviews.models import Assignment
from reviews.services import assignment_add, panel_add
from teams.models import Application
from teams.services import application_start
from tests.factories import (
    UserFactory,
    accept,
    decide,
    make_campaign,
    make_expert,
    make_team,
    submitted_application,
    unit_staff,
)

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
# A deadline at 00:00 Beijing: 16:00 UTC the day before.
MIDNIGHT = datetime(2026, 12, 10, 0, 0, tzinfo=BEIJING)


def bj(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


def set_deadline(campaign, deadline, **more):
    """Move the campaign's application deadline (and its window around it) as an edit would."""
    fields = {
        "application_opens_at": deadline - timedelta(days=60),
        "application_deadline": deadline,
        "recommendation_deadline": deadline + timedelta(days=10),
        **more,
    }
    Campaign.objects.filter(pk=campaign.pk).update(**fields)


@pytest.fixture
def campaign(tree):
    return make_campaign(organiser=tree.province, publish=True)


def drafts_of(leader, campaign, union, n, prefix="甲班"):
    teams = [make_team(leader=leader, union=union, name=f"{prefix}{i}") for i in range(n)]
    return [application_start(actor=leader, team=team, campaign=campaign) for team in teams]


def in_chinese(singular, plural, n, **values):
    """The words as the sweep writes them (in the site's language, whether or not translated yet)."""
    with override("zh-hans"):
        return ngettext(singular, plural, n) % {"n": n, **values}


def reminders_of(user):
    return list(Notification.objects.filter(recipient=user, kind=kinds.REMINDER).order_by("pk"))


# --- Thresholds ---------------------------------------------------------------------------------


def test_the_due_threshold_is_the_smallest_whose_moment_has_come():
    d = bj(2026, 12, 10, 17, 30)
    assert due_threshold(d, (7, 3, 1), d - timedelta(days=8)) is None
    assert due_threshold(d, (7, 3, 1), d - timedelta(days=7)) == 7
    assert due_threshold(d, (7, 3, 1), d - timedelta(days=4)) == 7
    assert due_threshold(d, (7, 3, 1), d - timedelta(days=3)) == 3
    assert due_threshold(d, (7, 3, 1), d - timedelta(hours=1)) == 1
    assert due_threshold(d, (7, 3, 1), d) is None  # the deadline has passed
    assert due_threshold(d, (7, 3, 1), d + timedelta(hours=1)) is None


def test_a_campaign_without_reminder_days_has_the_default_thresholds(campaign):
    assert thresholds_of(campaign) == (7, 3, 1)
    campaign.reminder_days = []
    assert thresholds_of(campaign) == (7, 3, 1)
    campaign.reminder_days = [2, 10, 2]
    assert thresholds_of(campaign) == (10, 2)


def test_a_deadline_at_midnight_beijing():
    # 2026-12-10 00:00 Beijing is 2026-12-09 16:00 UTC: the day boundaries differ by eight hours.
    assert MIDNIGHT.astimezone(ZoneInfo("UTC")) == datetime(2026, 12, 9, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert due_threshold(MIDNIGHT, (7, 3, 1), bj(2026, 12, 9, 0, 30)) == 1
    assert due_threshold(MIDNIGHT, (7, 3, 1), bj(2026, 12, 8, 23, 30)) == 3
    assert end_of_day(bj(2026, 12, 9).date()) == MIDNIGHT


# --- Who owes what --------------------------------------------------------------------------------


def test_a_leader_with_three_drafts_gets_one_digest_listing_all_three(campaign, tree, settings):
    settings.SITE_URL = "https://mengtao.example.org.cn"
    leader = UserFactory(username="leader3", name="何小梅")
    applications = drafts_of(leader, campaign, tree.grassroots_a1, 3)
    set_deadline(campaign, MIDNIGHT)
    counts = sweep(now=bj(2026, 12, 9, 0, 30))
    assert (counts.people, counts.items, counts.reminders) == (1, 3, 3)
    [notification] = reminders_of(leader)
    assert notification.essential
    assert notification.title == in_chinese("%(n)s item is due soon", "%(n)s items are due soon", 3)
    for application in applications:
        assert f"https://mengtao.example.org.cn/applications/{application.pk}/" in notification.body
    assert notification.body.count("2026-12-10 00:00") == 3
    logs = ReminderLog.objects.filter(recipient=leader)
    assert sorted(logs.values_list("object_id", flat=True)) == sorted(a.pk for a in applications)
    assert set(logs.values_list("deadline_kind", "threshold", "deadline", "notification_id")) == {
        ("application", 1, MIDNIGHT, notification.pk)
    }
    [email] = OutboundEmail.objects.filter(recipient=leader)
    assert notification.email_id == email.pk and email.subject == notification.title


def test_the_midnight_deadline_is_not_due_at_one_day_half_an_hour_too_early(campaign, tree):
    leader = UserFactory(username="leader-midnight")
    drafts_of(leader, campaign, tree.grassroots_a1, 1)
    set_deadline(campaign, MIDNIGHT, reminder_days=[1])
    assert sweep(now=bj(2026, 12, 8, 23, 30)).reminders == 0
    assert sweep(now=bj(2026, 12, 9, 0, 30)).reminders == 1
    assert ReminderLog.objects.get().threshold == 1


def test_a_rerun_sends_nothing_and_the_next_threshold_sends_again(campaign, tree):
    leader = UserFactory(username="leader-rerun")
    drafts_of(leader, campaign, tree.grassroots_a1, 2)
    set_deadline(campaign, MIDNIGHT)
    now = MIDNIGHT - timedelta(days=6)
    assert sweep(now=now).reminders == 2
    again = sweep(now=now + timedelta(hours=1))
    assert (again.people, again.items, again.reminders) == (0, 2, 0)
    assert len(reminders_of(leader)) == 1
    assert sweep(now=MIDNIGHT - timedelta(days=2)).reminders == 2  # the 3-day threshold
    assert sweep(now=MIDNIGHT - timedelta(hours=20)).reminders == 2  # the 1-day threshold
    assert sweep(now=MIDNIGHT - timedelta(hours=1)).reminders == 0
    assert len(reminders_of(leader)) == 3
    assert sorted(set(ReminderLog.objects.values_list("threshold", flat=True))) == [1, 3, 7]


def test_a_deadline_moved_later_rearms_the_thresholds_not_yet_passed(campaign, tree):
    leader = UserFactory(username="leader-moved")
    drafts_of(leader, campaign, tree.grassroots_a1, 1)
    set_deadline(campaign, MIDNIGHT)
    assert sweep(now=MIDNIGHT - timedelta(days=6)).reminders == 1  # 7 days before
    later = MIDNIGHT + timedelta(days=10)
    set_deadline(campaign, later)
    # Ten days later: nothing is due until 7 days before the new deadline.
    assert sweep(now=MIDNIGHT - timedelta(days=5)).reminders == 0
    assert sweep(now=later - timedelta(days=6)).reminders == 1
    assert list(ReminderLog.objects.order_by("sent_at").values_list("deadline", "threshold")) == [
        (MIDNIGHT, 7),
        (later, 7),
    ]


def test_a_deadline_moved_a_little_is_not_told_twice_at_the_same_threshold(campaign, tree):
    leader = UserFactory(username="leader-nudged")
    drafts_of(leader, campaign, tree.grassroots_a1, 1)
    set_deadline(campaign, MIDNIGHT)
    now = MIDNIGHT - timedelta(days=6)
    assert sweep(now=now).reminders == 1
    # One day earlier, or a few hours later: the leader was told at 7 days within the new window.
    set_deadline(campaign, MIDNIGHT - timedelta(days=1))
    assert sweep(now=now + timedelta(hours=1)).reminders == 0
    set_deadline(campaign, MIDNIGHT + timedelta(hours=5))
    assert sweep(now=now + timedelta(hours=2)).reminders == 0
    assert sweep(now=MIDNIGHT - timedelta(days=2)).reminders == 1  # the 3-day threshold still comes


def test_nothing_is_sent_for_a_closed_window_an_inactive_leader_or_a_submitted_application(campaign, tree):
    leader, gone = UserFactory(username="leader-a"), UserFactory(username="leader-gone")
    drafts_of(gone, campaign, tree.grassroots_a1, 1, prefix="丙班")
    submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign)
    gone.is_active = False
    gone.save()
    set_deadline(campaign, MIDNIGHT)
    assert sweep(now=MIDNIGHT - timedelta(days=1)).items == 0
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    gone.is_active = True
    gone.save()
    assert sweep(now=MIDNIGHT - timedelta(days=1)).items == 0  # a closed campaign takes no drafts


def test_returned_applications_are_reminded_before_their_resubmission_deadline(campaign, tree):
    leader = UserFactory(username="leader-returned")
    application = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign)
    decide(application, kind="return", opinion="请补充材料。")
    resubmit_by = Application.objects.get(pk=application.pk).resubmit_by
    assert resubmit_by is not None
    counts = sweep(now=resubmit_by - timedelta(days=2))
    assert counts.reminders == 1
    log = ReminderLog.objects.get()
    assert (log.deadline_kind, log.object_id, log.deadline, log.threshold) == (
        "resubmission",
        application.pk,
        resubmit_by,
        3,
    )
    assert "请补充" not in reminders_of(leader)[0].body and "乙班" in reminders_of(leader)[0].body


def test_the_staff_of_the_unit_where_applications_wait_are_reminded_not_those_above(campaign, tree):
    leader = UserFactory(username="leader-waiting")
    for name in ("乙班1", "乙班2"):
        submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name=name)
    staff = unit_staff(tree.grassroots_a1)
    above = unit_staff(tree.city_a)
    deadline = Campaign.objects.get(pk=campaign.pk).recommendation_deadline
    counts = sweep(now=deadline - timedelta(days=1))
    assert counts.reminders == 1
    [notification] = reminders_of(staff)
    waiting = in_chinese(
        "Decide on %(n)s application waiting at %(unit)s in “%(campaign)s”",
        "Decide on %(n)s applications waiting at %(unit)s in “%(campaign)s”",
        2,
        unit=tree.grassroots_a1.name,
        campaign=campaign.title,
    )
    assert waiting in notification.body
    assert reminders_of(above) == []
    assert ReminderLog.objects.get().object_id == tree.grassroots_a1.pk


def test_experts_with_reviews_left_are_reminded_before_the_end_of_the_review_day(campaign, tree):
    leader = UserFactory(username="leader-reviewed")
    organiser = campaign.created_by
    result = accept(submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign))
    expert = make_expert("expert-late", tree.province, "赵专家")
    done = make_expert("expert-done", tree.province, "钱专家")
    for who in (expert, done):
        panel_add(actor=organiser, campaign=campaign, expert=who)
        assignment_add(actor=organiser, result=result, expert=who)
    Assignment.objects.filter(expert=done).update(state=Assignment.State.SUBMITTED)
    ends = bj(2026, 12, 9).date()
    Campaign.objects.filter(pk=campaign.pk).update(review_ends_on=ends, review_starts_on=ends - timedelta(days=10))
    assert sweep(now=bj(2026, 12, 8, 23, 30)).reminders == 1  # three days before 2026-12-10 00:00
    log = ReminderLog.objects.get()
    assert (log.recipient_id, log.deadline_kind, log.object_id, log.deadline, log.threshold) == (
        expert.pk,
        "review",
        campaign.pk,
        MIDNIGHT,
        3,
    )


def test_the_issuing_units_staff_are_reminded_before_a_public_notice_ends(campaign, tree):
    staff = unit_staff(tree.province)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    notice = PublicNotice.objects.create(
        campaign=campaign, unit=tree.province, starts_on=bj(2026, 12, 3).date(), ends_on=bj(2026, 12, 9).date(),
        working_days=5, contact_phone="029-87654321", contact_address="省总工会", published_by=staff,
        published_at=timezone.now(),
    )  # fmt: skip
    assert sweep(now=bj(2026, 12, 9, 0, 30)).reminders >= 1
    log = ReminderLog.objects.get(recipient=staff)
    assert (log.deadline_kind, log.object_id, log.deadline, log.threshold) == ("notice_end", notice.pk, MIDNIGHT, 1)


def test_the_reminder_sweep_is_a_real_beat_entry(beat_entries):
    entry = PeriodicTask.objects.get(task="notifications.send_reminders")
    assert entry.enabled and entry.crontab.minute == "5" and entry.crontab.hour == "*"
    assert str(entry.crontab.timezone) == "Asia/Shanghai"


def test_next_threshold_skips_what_was_sent_and_what_passed(campaign):
    item = Item(1, "application", 1, MIDNIGHT, campaign.pk, (7, 3, 1), "", "")
    early = MIDNIGHT - timedelta(days=10)
    assert next_threshold(item, [], early) == (7, MIDNIGHT - timedelta(days=7))
    now = MIDNIGHT - timedelta(days=5)
    assert next_threshold(item, [], now) == (7, MIDNIGHT - timedelta(days=7))  # due at the next sweep
    sent = [(MIDNIGHT, 7, now - timedelta(days=1))]
    assert next_threshold(item, sent, now) == (3, MIDNIGHT - timedelta(days=3))
    assert next_threshold(item, [*sent, (MIDNIGHT, 3, now), (MIDNIGHT, 1, now)], now) is None


# --- Two sweeps at the same time -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_send_each_reminder_once(tree):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    campaign = make_campaign(organiser=tree.province, publish=True)
    leaders = [UserFactory(username=f"leader-c{n}") for n in range(6)]
    for n, leader in enumerate(leaders):
        drafts_of(leader, campaign, tree.grassroots_a1, 2, prefix=f"班{n}-")
    set_deadline(campaign, MIDNIGHT)
    now = MIDNIGHT - timedelta(days=2)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(sweep(now=now, batch_people=2))
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(r.reminders for r in results) == 12 and sum(r.people for r in results) == 6
    assert ReminderLog.objects.count() == 12
    for leader in leaders:
        assert len(reminders_of(leader)) == 1
        assert OutboundEmail.objects.filter(recipient=leader).count() == 1


# --- The "what will be sent" page --------------------------------------------------------------------


def test_the_page_lists_the_coming_reminders_and_those_sent_with_their_email_state(client, campaign, tree):
    leader = UserFactory(username="leader-page", name="何小梅")
    nomail = UserFactory(username="leader-nomail", name="周师傅", email="")
    drafts_of(leader, campaign, tree.grassroots_a1, 1)
    drafts_of(nomail, campaign, tree.grassroots_a1, 1, prefix="丁班")
    deadline = timezone.now() + timedelta(days=2, hours=3)
    set_deadline(campaign, deadline)
    client.force_login(campaign.created_by)
    url = reverse("notifications:campaign_reminders", args=[campaign.pk])
    coming = client.get(url).context["rows"]
    assert {row.recipient.username for row in coming} == {"leader-page", "leader-nomail"}
    assert {(row.threshold, row.at_next_sweep) for row in coming} == {(3, True)}
    sweep()
    coming = client.get(url).context["rows"]
    assert {(row.threshold, row.at, row.at_next_sweep) for row in coming} == {(1, deadline - timedelta(days=1), False)}
    response = client.get(url, {"list": "sent"})
    states = {log.recipient.username: log for log in response.context["rows"]}
    assert states["leader-page"].notification.email.state == OutboundEmail.State.QUEUED
    assert states["leader-nomail"].notification.email is None
    page = response.content.decode()
    assert page.count('data-testid="sent-row"') == 2
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert url in detail


@pytest.mark.parametrize("rows", [1, 3])
def test_the_pages_query_counts_do_not_grow_with_rows(client, campaign, tree, django_assert_num_queries, rows):
    leaders = [UserFactory(username=f"leader-q{n}") for n in range(rows)]
    for n, leader in enumerate(leaders):
        drafts_of(leader, campaign, tree.grassroots_a1, 1, prefix=f"戊班{n}-")
    set_deadline(campaign, timezone.now() + timedelta(days=2))
    sweep()
    set_deadline(campaign, timezone.now() + timedelta(days=20))
    client.force_login(campaign.created_by)
    url = reverse("notifications:campaign_reminders", args=[campaign.pk])
    # The session, the user with their roles, the campaign; the sources (drafts, returned, the units'
    # queues, the experts, the notices); the logs and the people of the page; the bell.
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["rows"]) == rows
    # The session, the campaign; the page's count and rows (the user, their roles and the bell are
    # the first request's, from the cache).
    with django_assert_num_queries(4):
        response = client.get(url, {"list": "sent"})
    assert len(response.context["rows"]) == rows
