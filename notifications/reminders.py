"""Deadline reminders: before every open deadline, each person who still owes an action is reminded at
the campaign's thresholds (its reminder days, 7, 3 and 1 days before when it has none), exactly once
per person, deadline kind, object, deadline and threshold, with one digest per person and sweep.

The hourly task `notifications.send_reminders` calls `sweep()`. Who owes what is read from the other
apps by the functions of SOURCES, one per kind of obligation; re-assessments (复核, issue #15) will add
theirs to the list. Only the notifications' own tables are written.

Exactly once rests on ReminderLog's unique key: each batch of people inserts its log rows with
INSERT … ON CONFLICT DO NOTHING RETURNING and tells only the people whose rows it inserted, in the
same transaction as their notifications and e-mails. Two sweeps at the same time wait for each
other's rows and send nothing twice; a sweep killed half-way leaves only whole batches behind, and
its retry sends what is missing.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from accounts.models import RoleAssignment, UnionUnit, User
from awards.models import PublicNotice
from campaigns.models import Campaign
from core.urls import reverse_fast
from reviews.chain import Deadlines
from reviews.models import Assignment, Recommendation
from teams.models import Application

from . import kinds
from .models import ReminderLog
from .services import Message, deliver
from .staff import nearest_staff

log = logging.getLogger(__name__)

BEIJING = ZoneInfo("Asia/Shanghai")
DEFAULT_THRESHOLDS = (7, 3, 1)
# People told per transaction: their log rows, notifications and e-mails commit together.
BATCH_PEOPLE = 500
# Log rows per INSERT statement (7 parameters each: within SQLite's limit as well).
INSERT_ROWS = 1000
# How many items a digest lists before it says how many more there are.
DIGEST_LINES = 30

D = ReminderLog.Deadline
STAFF = RoleAssignment.Role.STAFF


def thresholds_of(campaign: Campaign) -> tuple[int, ...]:
    """The campaign's reminder days, largest first; the defaults when it has none."""
    days = {d for d in campaign.reminder_days or () if isinstance(d, int) and d > 0}
    return tuple(sorted(days or DEFAULT_THRESHOLDS, reverse=True))


def due_threshold(deadline: datetime, thresholds: Iterable[int], now: datetime) -> int | None:
    """The threshold a sweep at `now` reminds at: the smallest t whose moment (t days before the
    deadline) has come; None when the deadline has passed or no threshold's moment has come yet. The
    larger thresholds passed before are not sent late: one reminder, the most pressing."""
    if deadline <= now:
        return None
    due = [t for t in thresholds if deadline - timedelta(days=t) <= now]
    return min(due) if due else None


def end_of_day(day: date) -> datetime:
    """A deadline that is a date ends with that day in Beijing: 00:00 of the next day, Beijing time."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=BEIJING)


def review_deadline(campaign: Campaign) -> datetime:
    return end_of_day(campaign.review_ends_on)


@dataclass(slots=True)
class Item:
    """One thing one person owes before one deadline: what the digest lists and the log keys."""

    recipient_id: int
    kind: str  # ReminderLog.Deadline
    object_id: int
    deadline: datetime
    campaign_id: int
    thresholds: tuple[int, ...]
    label: str
    url: str

    @property
    def key(self) -> tuple:
        return (self.recipient_id, self.kind, self.object_id, self.deadline)


@dataclass(frozen=True)
class Window:
    """Which deadlines a source yields: after `now`, and — for the sweep — no further ahead than the
    campaign's largest threshold. The "what will be sent" page asks for every deadline ahead."""

    now: datetime
    everything_ahead: bool = False

    def covers(self, campaign: Campaign, deadline: datetime | None) -> bool:
        if deadline is None or deadline <= self.now:
            return False
        return self.everything_ahead or deadline - timedelta(days=thresholds_of(campaign)[0]) <= self.now

    def until(self, campaigns: Iterable[Campaign]) -> datetime | None:
        """The furthest deadline any of `campaigns` reminds about now (None: no bound)."""
        if self.everything_ahead:
            return None
        return self.now + timedelta(days=max((thresholds_of(c)[0] for c in campaigns), default=0))


# --- Who owes what: one function per kind of obligation ----------------------------------------


def _applications(campaigns: dict[int, Campaign], status: str, window: Window, deadline_of) -> Iterator[tuple]:
    """(application, campaign, team name, leader, deadline) of the active leaders of the applications
    in `status`, streamed."""
    if not campaigns:
        return iter(())
    rows = Application.objects.filter(
        campaign_id__in=list(campaigns), status=status, team__leaders__is_active=True
    ).annotate(due=deadline_of)
    until = window.until(campaigns.values())
    rows = rows.filter(due__gt=window.now, **({"due__lte": until} if until else {}))
    return rows.order_by().values_list("pk", "campaign_id", "team__name", "team__leaders", "due").iterator(2000)


def drafts(campaigns: list[Campaign], window: Window) -> Iterator[Item]:
    """Leaders of the teams with a draft, while the campaign takes applications (object: the application)."""
    open_ = {
        c.pk: c
        for c in campaigns
        if c.status == Campaign.Status.PUBLISHED
        and c.application_opens_at <= window.now
        and window.covers(c, c.application_deadline)
    }
    deadline = F("campaign__application_deadline")
    for pk, campaign_id, team, leader, due in _applications(open_, Application.Status.DRAFT, window, deadline):
        campaign = open_[campaign_id]
        yield Item(
            leader,
            D.APPLICATION,
            pk,
            due,
            campaign_id,
            thresholds_of(campaign),
            _("Submit the application of %(team)s to “%(campaign)s”") % {"team": team, "campaign": campaign.title},
            reverse_fast("applications:detail", pk),
        )


def returned(campaigns: list[Campaign], window: Window) -> Iterator[Item]:
    """Leaders of the applications returned for revision, before their resubmission deadline
    (teams.services.application.editing_deadline; object: the application)."""
    running = {c.pk: c for c in campaigns if c.application_opens_at <= window.now}
    deadline = Coalesce("resubmit_by", "campaign__recommendation_deadline")
    for pk, campaign_id, team, leader, due in _applications(running, Application.Status.RETURNED, window, deadline):
        campaign = running[campaign_id]
        if not window.covers(campaign, due):
            continue
        yield Item(
            leader,
            D.RESUBMISSION,
            pk,
            due,
            campaign_id,
            thresholds_of(campaign),
            _("Revise and resubmit the application of %(team)s to “%(campaign)s”")
            % {"team": team, "campaign": campaign.title},
            reverse_fast("applications:detail", pk),
        )


def unit_queues(campaigns: list[Campaign], window: Window) -> Iterator[Item]:
    """Staff of each unit where applications wait for a decision, before that unit's deadline
    (reviews.chain.Deadlines: its level's, or an extension; the organiser's until the review starts).
    Its acting staff (notifications.staff: its own, or the nearest staffed union's above it, as the
    events tell them of arrivals). Object: the unit, with how many wait. A unit waiting in two
    campaigns with the very same deadline gets one item for both (the log's key has no campaign)."""
    if not campaigns:
        return
    by_id = {c.pk: c for c in campaigns}
    groups = list(
        Recommendation.objects.filter(campaign_id__in=list(by_id), state=Recommendation.State.WAITING)
        .values("campaign_id", "unit_id")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "unit_id", "n")
        .order_by()
    )
    if not groups:
        return
    units = UnionUnit.objects.only("id", "name", "kind", "path").in_bulk({unit for _c, unit, _n in groups})
    deadlines = Deadlines.of_campaigns([by_id[pk] for pk in {c for c, _u, _n in groups}])
    queues: dict[tuple[int, datetime], list[tuple[Campaign, int]]] = defaultdict(list)
    for campaign_id, unit_id, n in groups:
        campaign = by_id[campaign_id]
        due = deadlines[campaign_id].for_unit(units[unit_id])
        if window.covers(campaign, due):
            queues[(unit_id, due)].append((campaign, n))
    if not queues:
        return
    acting = nearest_staff(units[u] for u in {u for u, _d in queues})
    staff = {unit_id: [user.pk for user in users] for unit_id, users in acting.items()}
    for (unit_id, due), entries in sorted(queues.items(), key=lambda e: (e[0][1], e[0][0])):
        entries.sort(key=lambda e: e[0].pk)
        n = sum(count for _c, count in entries)
        campaign = entries[0][0]
        label = ngettext(
            "Decide on %(n)s application waiting at %(unit)s in “%(campaign)s”",
            "Decide on %(n)s applications waiting at %(unit)s in “%(campaign)s”",
            n,
        ) % {"n": n, "unit": units[unit_id].name, "campaign": "”、“".join(c.title for c, _n in entries)}
        url = reverse_fast("reviews:queue") + f"?campaign={campaign.pk}"
        for user_id in staff[unit_id]:
            yield Item(user_id, D.RECOMMENDATION, unit_id, due, campaign.pk, thresholds_of(campaign), label, url)


def expert_reviews(campaigns: list[Campaign], window: Window) -> Iterator[Item]:
    """Experts with reviews not yet submitted, before the review ends (the end of its last day,
    Beijing time; object: the campaign, with how many reviews are left)."""
    due = {c.pk: c for c in campaigns if window.covers(c, review_deadline(c))}
    if not due:
        return
    rows = (
        Assignment.objects.filter(
            campaign_id__in=list(due),
            state__in=[Assignment.State.ASSIGNED, Assignment.State.STARTED],
            expert__is_active=True,
        )
        .values("campaign_id", "expert_id")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "expert_id", "n")
        .order_by()
    )
    url = reverse_fast("reviews:my_reviews")
    for campaign_id, expert_id, n in rows.iterator(2000):
        campaign = due[campaign_id]
        label = ngettext("Submit %(n)s review for “%(campaign)s”", "Submit %(n)s reviews for “%(campaign)s”", n) % {
            "n": n,
            "campaign": campaign.title,
        }
        yield Item(
            expert_id,
            D.REVIEW,
            campaign_id,
            review_deadline(campaign),
            campaign_id,
            thresholds_of(campaign),
            label,
            url,
        )


def notice_ends(campaigns: list[Campaign], window: Window) -> Iterator[Item]:
    """Staff of the unit that issued a public notice (公示), before it ends (the end of its last day,
    Beijing time): the objections are to be settled and the naming follows. Object: the notice."""
    if not campaigns:
        return
    by_id = {c.pk: c for c in campaigns}
    since = timezone.localtime(window.now, BEIJING).date() - timedelta(days=1)
    notices = [
        n
        for n in PublicNotice.objects.filter(campaign_id__in=list(by_id), ends_on__gte=since)
        .select_related("unit")
        .only("id", "campaign_id", "ends_on", "unit", "unit__name")
        .order_by("ends_on", "id")
        if window.covers(by_id[n.campaign_id], end_of_day(n.ends_on))
    ]
    if not notices:
        return
    staff = defaultdict(list)
    for unit_id, user_id in RoleAssignment.objects.filter(
        role=STAFF, unit_id__in={n.unit_id for n in notices}, user__is_active=True
    ).values_list("unit_id", "user_id"):
        staff[unit_id].append(user_id)
    for notice in notices:
        campaign = by_id[notice.campaign_id]
        label = _("The public notice of %(unit)s for “%(campaign)s” ends") % {
            "unit": notice.unit.name,
            "campaign": campaign.title,
        }
        url = reverse_fast("awards:notice", notice.pk)
        for user_id in staff[notice.unit_id]:
            yield Item(
                user_id, D.NOTICE_END, notice.pk, end_of_day(notice.ends_on), campaign.pk, thresholds_of(campaign),
                label, url,
            )  # fmt: skip


# Every kind of obligation the sweep reminds of. Re-assessments (issue #15) add their function here.
SOURCES: list[Callable[[list[Campaign], Window], Iterable[Item]]] = [
    drafts,
    returned,
    unit_queues,
    expert_reviews,
    notice_ends,
]


def running_campaigns(campaign_ids: Iterable[int] | None = None) -> list[Campaign]:
    """The campaigns whose deadlines are still being worked towards (published or closed)."""
    campaigns = Campaign.objects.filter(status__in=Campaign.RUNNING).order_by("pk")
    if campaign_ids is not None:
        campaigns = campaigns.filter(pk__in=list(campaign_ids))
    return list(campaigns)


def pending(campaigns: list[Campaign], window: Window) -> Iterator[Item]:
    """Every item some source yields for `campaigns` within `window`."""
    for source in SOURCES:
        yield from source(campaigns, window)


def unbound_pending(window: Window) -> Iterator[Item]:
    """Every item of the obligations bound to no running campaign (re-assessments) within `window`."""
    from .reassessment_reminders import SOURCES as REASSESSMENT_SOURCES  # it builds on this module

    for source in REASSESSMENT_SOURCES:
        yield from source(window)


# --- The sweep ----------------------------------------------------------------------------------


@dataclass
class SweepCounts:
    people: int = 0  # people sent a digest
    items: int = 0  # items at a due threshold (sent now or before)
    reminders: int = 0  # log rows written: items reminded of by this sweep
    seconds: float = 0.0
    batches: int = 0


def sweep(now: datetime | None = None, *, batch_people: int = BATCH_PEOPLE) -> SweepCounts:
    """Remind everyone who owes an action before a deadline whose threshold has come at `now`; one
    digest per person. Memory holds the due items only (compact rows), never the applications."""
    started = timezone.now()
    now = now or started
    counts = SweepCounts()
    by_person: dict[int, list[tuple[Item, int]]] = defaultdict(list)
    with override(settings.LANGUAGE_CODE):
        for item in chain(pending(running_campaigns(), Window(now)), unbound_pending(Window(now))):
            threshold = due_threshold(item.deadline, item.thresholds, now)
            if threshold is not None:
                by_person[item.recipient_id].append((item, threshold))
                counts.items += 1
        people = sorted(by_person)
        for start in range(0, len(people), batch_people):
            batch = {pk: by_person.pop(pk) for pk in people[start : start + batch_people]}
            told, written = _send_batch(batch, now)
            counts.people += told
            counts.reminders += written
            counts.batches += 1
    counts.seconds = (timezone.now() - started).total_seconds()
    return counts


def _send_batch(batch: dict[int, list[tuple[Item, int]]], now: datetime) -> tuple[int, int]:
    """Log, tell and mail one batch of people in one transaction; returns (people told, rows written)."""
    with transaction.atomic():
        users = User.objects.filter(pk__in=list(batch), is_active=True).in_bulk()
        rows, seen = [], set()
        for pk in sorted(users):
            for item, threshold in sorted(batch[pk], key=lambda e: (e[0].deadline, e[0].kind, e[0].object_id)):
                if item.key not in seen:
                    seen.add(item.key)
                    rows.append((item, threshold))
        inserted = insert_logs(rows, now)
        if not inserted:
            return 0, 0
        told: dict[int, list[tuple[int, Item]]] = defaultdict(list)
        by_key = {i.key: i for i, _t in rows}
        for log_id, recipient_id, kind, object_id, deadline in inserted:
            told[recipient_id].append((log_id, by_key[(recipient_id, kind, object_id, _instant(deadline))]))
        notifications = deliver(digest(users[pk], [i for _l, i in entries]) for pk, entries in told.items())
        by_recipient = {n.recipient_id: n.pk for n in notifications}
        ReminderLog.objects.filter(pk__in=[log_id for entries in told.values() for log_id, _i in entries]).update(
            notification_id=Case(
                *(When(recipient_id=pk, then=Value(n)) for pk, n in by_recipient.items()),
                default=None,
                output_field=IntegerField(),
            )
        )
    return len(told), len(inserted)


def insert_logs(rows: list[tuple[Item, int]], now: datetime) -> list[tuple]:
    """Insert the log row of each (item, threshold) unless it exists — or unless the person was told
    at this threshold about the same object of the same campaign (a unit's queue serves several) after
    its moment for this deadline (sent_at ≥ deadline −
    threshold: a deadline moved earlier is not told twice; one moved later re-arms the thresholds
    whose moment comes after the earlier reminders). Returns (id, recipient, kind, object, deadline) of the rows
    this statement inserted, and only those: a concurrent sweep's rows are not returned. (The deadline
    comes back as the database gives it: see _instant.)"""
    table = connection.ops.quote_name(ReminderLog._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    inserted = []
    for start in range(0, len(rows), INSERT_ROWS):
        chunk = rows[start : start + INSERT_ROWS]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        params: list = []
        for item, threshold in chunk:
            since = item.deadline - timedelta(days=threshold)
            params += [
                item.recipient_id, item.campaign_id, item.kind, item.object_id, adapt(item.deadline), threshold,
                adapt(since),
            ]  # fmt: skip
        sql = f"""
            WITH v (recipient_id, campaign_id, deadline_kind, object_id, deadline, threshold, since) AS (
                VALUES {values}
            )
            INSERT INTO {table} (recipient_id, campaign_id, deadline_kind, object_id, deadline, threshold, sent_at)
            SELECT v.recipient_id, v.campaign_id, v.deadline_kind, v.object_id, v.deadline, v.threshold, %s
            FROM v
            WHERE NOT EXISTS (
                SELECT 1 FROM {table} AS l
                WHERE l.recipient_id = v.recipient_id AND l.deadline_kind = v.deadline_kind
                  AND l.object_id = v.object_id AND l.campaign_id = v.campaign_id AND l.threshold = v.threshold
                  AND l.sent_at >= v.since
            )
            ON CONFLICT (recipient_id, deadline_kind, object_id, deadline, threshold) DO NOTHING
            RETURNING id, recipient_id, deadline_kind, object_id, deadline
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, adapt(now)])
            inserted += cursor.fetchall()
    return inserted


def _instant(value) -> datetime:
    """A deadline as RETURNING gives it (aware on PostgreSQL; naive UTC, or text, on SQLite)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def beijing(moment: datetime) -> str:
    return timezone.localtime(moment, BEIJING).strftime("%Y-%m-%d %H:%M")


def digest(user: User, items: list[Item]) -> Message:
    """One notification listing every item reminded of now, the nearest deadline first, each with
    its deadline in Beijing time and its link."""
    items = sorted(items, key=lambda i: (i.deadline, i.kind, i.object_id))
    n = len(items)
    site = settings.SITE_URL.rstrip("/")
    lines = []
    for index, item in enumerate(items[:DIGEST_LINES], 1):
        lines.append(
            f"{index}. {item.label}\n   "
            + _("Deadline: %(when)s (Beijing time)") % {"when": beijing(item.deadline)}
            + f"\n   {site}{item.url}"
        )
    if n > DIGEST_LINES:
        more = n - DIGEST_LINES
        lines.append(ngettext("…and %(n)s more item.", "…and %(n)s more items.", more) % {"n": more})
    title = ngettext("%(n)s item is due soon", "%(n)s items are due soon", n) % {"n": n}
    return Message(user, kinds.REMINDER, title, "\n".join(lines), items[0].url, essential=True)
