"""A team's history (履历) for the staff and auditors above it: its registration and notable changes,
every application with its versions, each level's decision and opinion, the expert review's aggregate
result, the public notices and the outcome of the objections, the titles and their revocations — in
time order, read from each stage's own records (and the audit trail where the records keep no time).

Each stage is one *source*: a function of the team's records that reads its rows in one or two
queries and yields events. The page's query count is the sum of the sources', whatever the number of
applications or events. A new stage (the re-assessments, 复核) adds its source to SOURCES.

Blind review and the objectors' privacy hold here, not in the template: no source reads an expert's
assignment or score, nor an objector's name, unit, phone or facts."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from audit.registry import action_label
from core.urls import reverse_fast
from reviews.models import Decision, ReviewResult
from teams.models import Application, ApplicationVersion, Team

from .models import NoticeEntry, Objection, PublicNotice, Revocation, Title

# The kinds of event, with the badge the page shows for each.
KINDS = {
    "team": gettext_lazy("Team"),
    "application": gettext_lazy("Application"),
    "recommendation": gettext_lazy("Recommendation"),
    "review": gettext_lazy("Expert review"),
    "notice": gettext_lazy("Public notice"),
    "naming": gettext_lazy("Naming (命名)"),
    "revocation": gettext_lazy("Revocation (摘牌)"),
}

# The team's own events worth a line in its history (members, pairs and the ledger have their pages).
TEAM_ACTIONS = (
    "teams.register",
    "teams.create",
    "teams.approve",
    "teams.reject",
    "teams.resubmit",
    "teams.move",
    "teams.update",
)


@dataclass(frozen=True)
class HistoryEvent:
    when: datetime
    kind: str
    title: str
    lines: tuple[str, ...] = ()
    opinion: str = ""
    actor: str = ""
    url: str = ""
    campaign: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))


@dataclass
class TeamRecords:
    """What every source starts from: the team and its applications (with their campaigns' titles and
    organisers), read once."""

    team: Team
    applications: list[Application] = field(default_factory=list)

    @classmethod
    def load(cls, team: Team) -> "TeamRecords":
        applications = list(
            Application.objects.filter(team=team)
            .select_related("campaign__organiser", "created_by")
            .only(
                "team_id",
                "status",
                "created_at",
                "campaign__title",
                "campaign__organiser__name",
                "created_by__name",
                "created_by__username",
            )
            .order_by("created_at", "pk")
        )
        return cls(team=team, applications=applications)

    @cached_property
    def by_id(self) -> dict[int, Application]:
        return {a.pk: a for a in self.applications}

    def campaign_of(self, application_id: int) -> str:
        application = self.by_id.get(application_id)
        return application.campaign.title if application else ""

    def organiser_of(self, application_id: int) -> str:
        application = self.by_id.get(application_id)
        return application.campaign.organiser.name if application else ""

    @cached_property
    def audit_events(self) -> list[AuditEvent]:
        """What the sources read of the audit trail — the team's own events, its applications'
        withdrawals and its campaigns' shortlists — in one query, oldest first."""
        wanted = Q(target_type="teams.team", target_id=str(self.team.pk), action__in=TEAM_ACTIONS)
        if self.applications:
            wanted |= Q(
                target_type="teams.application",
                target_id__in=[str(pk) for pk in self.by_id],
                action="teams.application_withdraw",
            )
            wanted |= Q(
                target_type="campaigns.campaign",
                target_id__in={str(a.campaign_id) for a in self.applications},
                action="reviews.shortlist",
            )
        return list(
            AuditEvent.objects.filter(wanted)
            .select_related("unit")
            .only("occurred_at", "action", "actor_name", "details", "target_type", "target_id", "unit__name")
            .order_by("occurred_at", "pk")
        )

    def audit(self, target_type: str, *actions: str) -> list[AuditEvent]:
        return [e for e in self.audit_events if e.target_type == target_type and e.action in actions]

    def url_of(self, application_id: int) -> str:
        """The application's page, once submitted (a draft is the team's own business)."""
        application = self.by_id.get(application_id)
        if application is None or application.status == Application.Status.DRAFT:
            return ""
        return reverse_fast("applications:detail", application_id)


Source = Callable[[TeamRecords], Iterable[HistoryEvent]]


def _person(user) -> str:
    return user.get_full_name() if user is not None else ""


def _by(unit_name: str, person: str = "") -> str:
    return f"{unit_name}（{person}）" if unit_name and person else unit_name or person


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


# --- The sources ---------------------------------------------------------------------------------


def team_events(records: TeamRecords) -> Iterable[HistoryEvent]:
    """Registration, approval, moves and edits, from the audit trail (the records' one read of it). A
    team made before the trail (imported data) still shows its registration, from its own row."""
    team = records.team
    events = records.audit("teams.team", *TEAM_ACTIONS)
    registered = False
    for event in events:
        registered = registered or event.action in ("teams.register", "teams.create")
        details = event.details or {}
        lines: list[str] = []
        if event.action == "teams.move":
            lines.append(_("From %(from)s to %(to)s") % {"from": details.get("from", ""), "to": details.get("to", "")})
        elif event.action == "teams.update":
            lines.extend(_changes(details.get("changes") or {}))
        elif event.action in ("teams.register", "teams.create") and details.get("name"):
            lines.append(details["name"])
        registration = event.action in ("teams.register", "teams.create")
        yield HistoryEvent(
            # The team's own row says when it registered (the same moment, for a team registered here).
            when=team.created_at if registration else event.occurred_at,
            kind="team",
            title=action_label(event.action),
            lines=tuple(lines),
            opinion=details.get("reason", ""),
            actor=_by(event.unit.name if event.unit else "", event.actor_name),
        )
    if not registered:
        yield HistoryEvent(when=team.created_at, kind="team", title=action_label("teams.register"))


def _changes(changes: dict) -> list[str]:
    """The changed fields by their names; the team's name with what it was and became."""
    labels = []
    for name, values in changes.items():
        try:
            label = str(Team._meta.get_field(name).verbose_name)
        except Exception:  # a field since removed
            label = name
        if name == "name" and isinstance(values, list) and len(values) == 2:
            labels.append(
                _("%(field)s: %(before)s → %(after)s") % {"field": label, "before": values[0], "after": values[1]}
            )
        else:
            labels.append(label)
    return [_("Changed: %(fields)s") % {"fields": "、".join(labels)}] if labels else []


def application_events(records: TeamRecords) -> Iterable[HistoryEvent]:
    """Each application started, and each of its versions submitted (one query: the versions, without
    their content)."""
    for application in records.applications:
        yield HistoryEvent(
            when=application.created_at,
            kind="application",
            title=action_label("teams.application_start"),
            actor=_person(application.created_by),
            url=records.url_of(application.pk),
            campaign=application.campaign.title,
        )
    if not records.applications:
        return
    versions = (
        ApplicationVersion.objects.filter(application_id__in=records.by_id)
        .select_related("submitted_by")
        .only("application_id", "number", "submitted_at", "submitted_by__name", "submitted_by__username")
    )
    for version in versions:
        yield HistoryEvent(
            when=version.submitted_at,
            kind="application",
            title=action_label("teams.application_submit"),
            lines=(_("Version %(number)s") % {"number": version.number},),
            actor=_person(version.submitted_by),
            url=records.url_of(version.application_id),
            campaign=records.campaign_of(version.application_id),
        )


def withdrawals(records: TeamRecords) -> Iterable[HistoryEvent]:
    """Applications the leader took back (no record keeps it but the audit trail, read with the
    records)."""
    for event in records.audit("teams.application", "teams.application_withdraw"):
        application_id = int(event.target_id)
        version = (event.details or {}).get("version")
        yield HistoryEvent(
            when=event.occurred_at,
            kind="application",
            title=action_label("teams.application_withdraw"),
            lines=(_("Version %(number)s") % {"number": version},) if version else (),
            actor=event.actor_name,
            url=records.url_of(application_id),
            campaign=records.campaign_of(application_id),
        )


def chain_decisions(records: TeamRecords) -> Iterable[HistoryEvent]:
    """Every level's decision with its unit and opinion (one query). A rejection after the organiser
    accepted the application is its exclusion from the expert review."""
    if not records.applications:
        return
    decisions = (
        Decision.objects.filter(application_id__in=records.by_id)
        .select_related("unit", "decided_by")
        .only(
            "application_id",
            "level",
            "kind",
            "accepted",
            "opinion",
            "version",
            "decided_at",
            "unit__name",
            "decided_by__name",
            "decided_by__username",
        )
        .order_by("decided_at", "pk")
    )
    accepted: set[int] = set()
    kind_titles = {
        Decision.Kind.RECOMMEND: gettext_lazy("Recommended"),
        Decision.Kind.RETURN: gettext_lazy("Returned for revision"),
        Decision.Kind.REJECT: gettext_lazy("Not recommended"),
    }
    for decision in decisions:
        if decision.accepted:
            accepted.add(decision.application_id)
            title = _("Accepted for expert review")
        elif decision.kind == Decision.Kind.REJECT and decision.application_id in accepted:
            title = _("Excluded from the review")
        else:
            title = str(kind_titles.get(decision.kind, decision.kind))
        yield HistoryEvent(
            when=decision.decided_at,
            kind="recommendation",
            title=title,
            lines=(
                _("Level %(level)s, on version %(version)s") % {"level": decision.level, "version": decision.version},
            ),
            opinion=decision.opinion,
            actor=_by(decision.unit.name, _person(decision.decided_by)),
            url=records.url_of(decision.application_id),
            campaign=records.campaign_of(decision.application_id),
        )


def review_results(records: TeamRecords) -> Iterable[HistoryEvent]:
    """The expert review's aggregate result: total, rank and the shortlist's outcome — never an
    expert's name or score (blind review). One query, the results, beside the times of the campaigns'
    shortlists in the audit trail (an upheld objection later moves a result's own time)."""
    if not records.applications:
        return
    results = list(
        ReviewResult.objects.filter(
            application_id__in=records.by_id,
            state__in=(ReviewResult.State.SHORTLISTED, ReviewResult.State.NOT_SELECTED),
        ).only(
            "application_id",
            "campaign_id",
            "state",
            "total",
            "rank",
            "vetoes",
            "reviews_done",
            "shortlist_reason",
            "decided_at",
        )
    )
    if not results:
        return
    # The shortlist is frozen once on public notice (awards.services.shortlist_guard): a campaign's
    # last shortlist is the one its results were decided by, unless an objection changed them since.
    shortlisted_at: dict[str, datetime] = {}
    for event in records.audit("campaigns.campaign", "reviews.shortlist"):
        if event.target_id not in shortlisted_at or event.occurred_at > shortlisted_at[event.target_id]:
            shortlisted_at[event.target_id] = event.occurred_at
    for result in results:
        when, state = result.decided_at, result.state
        last_shortlist = shortlisted_at.get(str(result.campaign_id))
        changed_later = last_shortlist is not None and when is not None and when > last_shortlist
        if changed_later:
            # Taken off the shortlist by an upheld objection: the objection's event tells that part.
            when, state = last_shortlist, ReviewResult.State.SHORTLISTED
        if when is None:
            continue
        lines = [_("Result: %(state)s") % {"state": ReviewResult.State(state).label}]
        if result.total is not None:
            lines.append(
                _("Total score %(total)s, rank %(rank)s")
                % {"total": result.total, "rank": result.rank if result.rank is not None else "—"}
            )
        lines.append(_("Reviews submitted: %(n)s") % {"n": result.reviews_done})
        if result.vetoes:
            lines.append(_("Disqualified by a veto criterion"))
        yield HistoryEvent(
            when=when,
            kind="review",
            title=_("Expert review result"),
            lines=tuple(lines),
            opinion="" if changed_later else result.shortlist_reason,
            actor=records.organiser_of(result.application_id),
            url=records.url_of(result.application_id),
            campaign=records.campaign_of(result.application_id),
        )


def public_notices(records: TeamRecords) -> Iterable[HistoryEvent]:
    """The public notices that listed the team, and each objection's filing and outcome — by its
    reference number only, never the objector's identity or facts. One query: the entries with their
    notices, joined to their objections (an entry comes once per objection, or once without)."""
    if not records.applications:
        return
    rows = (
        NoticeEntry.objects.filter(application_id__in=records.by_id)
        .values(
            "pk",
            "application_id",
            "state",
            "notice_id",
            "notice__stage",
            "notice__starts_on",
            "notice__ends_on",
            "notice__working_days",
            "notice__published_at",
            "notice__unit__name",
            "objections__reference",
            "objections__state",
            "objections__findings",
            "objections__filed_at",
            "objections__decided_at",
        )
        .order_by("pk", "objections__filed_at", "objections__pk")
    )
    listed: set[int] = set()
    for row in rows:
        application_id = row["application_id"]
        if row["pk"] not in listed:
            listed.add(row["pk"])
            lines = [
                _("From %(start)s to %(end)s (%(n)s working days)")
                % {
                    "start": _day(row["notice__starts_on"]),
                    "end": _day(row["notice__ends_on"]),
                    "n": row["notice__working_days"],
                },
            ]
            if row["notice__stage"] == PublicNotice.Stage.RECOMMENDING:
                lines.append(str(PublicNotice.Stage.RECOMMENDING.label))
            if row["state"] == NoticeEntry.State.WITHDRAWN:
                lines.append(str(NoticeEntry.State.WITHDRAWN.label))
            yield HistoryEvent(
                when=row["notice__published_at"],
                kind="notice",
                title=_("Listed on the public notice (公示)"),
                lines=tuple(lines),
                actor=row["notice__unit__name"],
                url=reverse_fast("publicity:detail", row["notice_id"]),
                campaign=records.campaign_of(application_id),
            )
        if row["objections__reference"] is None:
            continue
        common = {
            "kind": "notice",
            "actor": row["notice__unit__name"],
            "url": records.url_of(application_id),
            "campaign": records.campaign_of(application_id),
        }
        reference = (_("Reference number %(reference)s") % {"reference": row["objections__reference"]},)
        yield HistoryEvent(
            when=row["objections__filed_at"], title=action_label("awards.objection_file"), lines=reference, **common
        )
        state = row["objections__state"]
        if state == Objection.State.INVESTIGATING or row["objections__decided_at"] is None:
            continue
        upheld = state == Objection.State.UPHELD
        lines = reference + ((_("The team was taken off the notice and the shortlist."),) if upheld else ())
        yield HistoryEvent(
            when=row["objections__decided_at"],
            title=action_label("awards.objection_uphold" if upheld else "awards.objection_dismiss"),
            lines=lines,
            opinion=row["objections__findings"],
            **common,
        )


def named_titles(records: TeamRecords) -> Iterable[HistoryEvent]:
    """The titles conferred on the team by naming decisions (one query)."""
    for title in _titles(records):
        decision = title.decision
        yield HistoryEvent(
            when=decision.issued_at,
            kind="naming",
            title=_("Named “%(title)s”") % {"title": decision.title},
            lines=(
                _("Certificate number %(number)s") % {"number": title.certificate_number},
                _("Naming decision %(document)s of %(date)s")
                % {"document": decision.document_number, "date": _day(decision.decided_on)},
                _("Level: %(level)s") % {"level": decision.get_level_display()},
            ),
            actor=decision.campaign.organiser.name,
            url=reverse_fast("registry:decision", decision.pk),
            campaign=decision.campaign.title,
        )


def _titles(records: TeamRecords) -> list[Title]:
    return list(
        Title.objects.filter(team=records.team)
        .select_related("decision__campaign__organiser")
        .only(
            "certificate_number",
            "decision__title",
            "decision__document_number",
            "decision__decided_on",
            "decision__issued_at",
            "decision__level",
            "decision__campaign__title",
            "decision__campaign__organiser__name",
        )
    )


def revocations(records: TeamRecords) -> Iterable[HistoryEvent]:
    """Every revocation (摘牌) of the team's titles, and its reversal where one was made (one query)."""
    rows = (
        Revocation.objects.filter(title__team=records.team)
        .select_related("title__decision__campaign__organiser", "revoked_by", "reversed_by")
        .only(
            "reason",
            "details",
            "document_number",
            "revoked_on",
            "plaque_returned",
            "certificate_returned",
            "revoked_at",
            "reversed_at",
            "reversal_reason",
            "revoked_by__name",
            "revoked_by__username",
            "reversed_by__name",
            "reversed_by__username",
            "title__certificate_number",
            "title__decision__title",
            "title__decision__campaign__title",
            "title__decision__campaign__organiser__name",
        )
        .order_by("revoked_at", "pk")
    )
    yes, no = _("Yes"), _("No")
    for revocation in rows:
        title = revocation.title
        organiser = title.decision.campaign.organiser.name
        which = _("“%(title)s”, certificate number %(number)s") % {
            "title": title.decision.title,
            "number": title.certificate_number,
        }
        common = {
            "kind": "revocation",
            "url": reverse_fast("registry:team", records.team.pk),
            "campaign": title.decision.campaign.title,
        }
        yield HistoryEvent(
            when=revocation.revoked_at,
            title=_("Title revoked (摘牌)"),
            lines=(
                which,
                _("Reason: %(reason)s") % {"reason": revocation.get_reason_display()},
                _("Document %(document)s of %(date)s")
                % {"document": revocation.document_number, "date": _day(revocation.revoked_on)},
                _("Plaque handed back: %(plaque)s; certificate handed back: %(certificate)s")
                % {
                    "plaque": yes if revocation.plaque_returned else no,
                    "certificate": yes if revocation.certificate_returned else no,
                },
            ),
            opinion=revocation.details,
            actor=_by(organiser, _person(revocation.revoked_by)),
            **common,
        )
        if revocation.reversed_at is not None:
            yield HistoryEvent(
                when=revocation.reversed_at,
                title=_("Revocation reversed"),
                lines=(which,),
                opinion=revocation.reversal_reason,
                actor=_by(organiser, _person(revocation.reversed_by)),
                **common,
            )


# The stages of a team's history, each one or two queries. The re-assessments (复核) add theirs here.
SOURCES: list[Source] = [
    team_events,
    application_events,
    withdrawals,
    chain_decisions,
    review_results,
    public_notices,
    named_titles,
    revocations,
]


def team_history(team: Team, *, sources: Iterable[Source] | None = None) -> list[HistoryEvent]:
    """The team's events, oldest first (events at the same moment in the order of the lifecycle)."""
    records = TeamRecords.load(team)
    events = [event for source in (SOURCES if sources is None else sources) for event in source(records)]
    events.sort(key=lambda event: event.when)
    return events


def by_year(events: Iterable[HistoryEvent]) -> list[tuple[int, list[HistoryEvent]]]:
    """The events grouped by their year in Beijing time, in the order given."""
    groups: dict[int, list[HistoryEvent]] = defaultdict(list)
    for event in events:
        groups[timezone.localtime(event.when).year].append(event)
    return list(groups.items())


__all__ = ["KINDS", "SOURCES", "HistoryEvent", "Source", "TeamRecords", "by_year", "team_history"]
