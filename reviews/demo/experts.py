"""The demo's expert review (评审), played through the services at the times it happened.

The 梦桃式班组 notice is still open for applications (its review starts after the recommendation
deadline, six weeks from now), so the review is shown on two 工人先锋号 campaigns that went faster:

- 陕西省总工会's 2026年陕西省“工人先锋号” (陕工发〔2026〕6号): seven applications climbed their chains
  (grassroots union → city federation or industry union → province) and were accepted; the review
  window opened nine days ago and runs another week. A panel of seven experts, from the province
  down to a hospital: the conflict rules keep two of them from the teams of their own unions, and
  陈建国's declared conflict (his spouse works at 渭北制药) from 提取班; 李建平, assigned by hand to the
  construction team for his trade, declines it (回避) and another expert takes his place. Reviews in
  every state: submitted (a ranking of five, one with a spread beyond the threshold, one ranked on
  four reviews of five), half scored, not started (none yet of the bank's, accepted last), and a veto
  (弄虚作假) that disqualifies one.
- 西安市总工会's 2026年度西安市“工人先锋号” (西工发〔2026〕5号): five applications, three experts each
  (blind, mean), every review submitted, and the shortlist of three (拟命名) decided with one
  departure from rank order, its reasons written on both applications; the other two not selected.

Idempotent: a campaign that exists has had its story played, and is left as it is.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import UnionUnit, User
from campaigns.criteria_sets import VETO
from campaigns.models import Aggregation, Campaign, Category
from campaigns.services import (
    CriterionChange,
    campaign_close,
    campaign_create,
    campaign_publish,
    criteria_save,
    quotas_save,
)
from core.demo import clock_at, days_ago
from teams.demo.teams import demo_teams
from teams.demo.texts import TEXTS as MENGTAO_TEXTS
from teams.models import Application, LedgerEntry, Team
from teams.services import application_save, application_start, application_submit, evidence_from_ledger

from ..models import Assignment, ReviewResult
from ..services import (
    assignment_add,
    assignment_decline,
    assignments_auto,
    conflict_record,
    decision_record,
    panel_add,
    review_submit,
    scores_save,
    shortlist_record,
)
from .texts import (
    APPLICATIONS,
    DECLARED_CONFLICT,
    DECLINE_REASON,
    OPINIONS,
    PIONEER_CRITERIA,
    PROVINCE_BODY,
    REVIEWS,
    SHORTLIST_REASONS,
    XIAN_BODY,
)

Moment = tuple[int, int, int]  # days ago, hour, minute (Beijing time)

PROVINCE_DOCUMENT_NUMBER = "陕工发〔2026〕6号"
XIAN_DOCUMENT_NUMBER = "西工发〔2026〕5号"

# The province's pool of experts: the panel of the province's campaign, in the order they were added.
PANEL = [
    "expert",
    "xian_expert",
    "xianyang_expert",
    "nenghua_expert",
    "fangzhi_expert",
    "lianhua_expert",
    "yiyuan_expert",
]
XIAN_PANEL = ["xian_expert", "yiyuan_expert", "expert", "nenghua_expert", "xianyang_expert"]

# (team, started, submitted): each team starts its application, attaches its ledger's papers the next
# day and submits it days later, before the deadline.
PROVINCE_APPLICATIONS = [
    ("细纱二车间甲班", (44, 11, 0), (35, 15, 45)),
    ("青年焊接突击队", (43, 20, 10), (34, 21, 5)),
    ("提取班", (42, 14, 30), (33, 16, 20)),
    ("心内科护理班组", (41, 21, 40), (31, 22, 10)),
    ("常减压装置一班", (40, 9, 30), (32, 11, 15)),
    ("成型班", (39, 10, 20), (31, 9, 45)),
    ("南大街支行营业室", (38, 16, 40), (30, 15, 50)),
]
XIAN_APPLICATIONS = [
    ("电气试验班", (44, 9, 40), (40, 16, 30)),
    ("信号维护班", (43, 10, 30), (39, 11, 0)),
    ("2号线乘务一班", (43, 19, 0), (39, 20, 15)),
    ("城南变电运维班", (42, 15, 0), (38, 11, 30)),
    ("急诊护理班组", (42, 22, 0), (39, 22, 40)),
]
# The ledger entries whose papers prove a criterion best, by the criterion's code.
LEDGER_KIND = {
    "1": LedgerEntry.Kind.AWARD,
    "3": LedgerEntry.Kind.TRAINING,
    "4": LedgerEntry.Kind.INNOVATION,
    "5": LedgerEntry.Kind.SAFETY,
}


def seed_reviews() -> None:
    teams = demo_teams()
    if not all(name in teams for name, *_ in PROVINCE_APPLICATIONS + XIAN_APPLICATIONS):
        return
    if User.objects.filter(username__in=PANEL).count() < len(PANEL):
        return
    province = UnionUnit.objects.get(code="SX")
    if not Campaign.objects.filter(organiser=province, document_number=PROVINCE_DOCUMENT_NUMBER).exists():
        _province_review(province, teams)
    xian = UnionUnit.objects.get(code="SX-XA")
    if not Campaign.objects.filter(organiser=xian, document_number=XIAN_DOCUMENT_NUMBER).exists():
        _xian_review(xian, teams)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _at(moment: Moment) -> datetime:
    """A moment of the story. Read off the real clock: never call it under clock_at()."""
    return days_ago(*moment)


# --- The campaigns --------------------------------------------------------------------------------


def _pioneer_campaign(
    *, organiser: UnionUnit, staff: User, created: Moment, published: Moment, quotas: dict, **fields
) -> Campaign:
    """A 工人先锋号 notice with the “五个一流” and the veto item, its quotas, published."""
    published_at = _at(published)
    with clock_at(_at(created)):
        campaign = campaign_create(actor=staff, organiser=organiser, category=Category.PIONEER, **fields)
        changes = [_criterion(order, *row) for order, row in enumerate(PIONEER_CRITERIA, start=1)]
        changes.append(_criterion(len(changes) + 1, *VETO, [], veto=True))
        criteria_save(actor=staff, campaign=campaign, changes=changes)
        below = {unit.code: unit for unit in UnionUnit.objects.get_children(organiser)}
        quotas_save(actor=staff, campaign=campaign, quotas={below[code]: n for code, n in quotas.items()})
    with clock_at(published_at):
        return campaign_publish(actor=staff, campaign=campaign)


def _criterion(order: int, code: str, title: str, description: str, indicators, *, veto=False) -> CriterionChange:
    """A new criterion of 20 points, or the veto item, which carries none."""
    return CriterionChange(
        criterion=None,
        values={
            "order": order,
            "code": code,
            "title": title,
            "description": description,
            "max_score": Decimal(0 if veto else 20),
            "weight": Decimal(0 if veto else 1),
            "statement_required": not veto,
            "min_evidence": 0,
            "indicators": indicators,
            "is_veto": veto,
        },
    )


def _close(campaign: Campaign) -> Campaign:
    """Closed by the nightly sweep a minute after the deadline, as campaigns_close_due() does."""
    with clock_at(campaign.application_deadline + timedelta(minutes=1)):
        return campaign_close(actor=None, campaign=campaign)


# --- The applications and their way up the chain --------------------------------------------------


def _values(team: Team) -> dict:
    own = MENGTAO_TEXTS.get(team.name, {}).get("values") or APPLICATIONS[team.name]["values"]
    return {
        **own,
        "mentor_pairs": team.mentor_pairs.count(),
        "members": team.members.filter(left_on__isnull=True).count(),
    }


def _apply(campaign: Campaign, team: Team, started: Moment, submitted: Moment) -> Application:
    """The leader writes the application in the team's words, attaches the ledger's papers the next
    day (those recorded by then) and submits it."""
    leader = team.leaders.order_by("pk").first()
    text = APPLICATIONS[team.name]
    values = _values(team)
    criteria = [c for c in campaign.criteria.all() if not c.is_veto]
    statements = {code: statement.format(**values) for code, statement in text["statements"].items()}
    parts = [text["opening"].format(**values)]
    parts += [f"{'一二三四五'[n]}、{c.title}\n{statements[c.code]}" for n, c in enumerate(criteria)]
    if text["closing"]:
        parts.append(text["closing"])
    papers, submit_at = _at((started[0] - 1, 12, 40)), _at(submitted)
    with clock_at(_at(started)):
        application = application_start(actor=leader, team=team, campaign=campaign)
        application = application_save(
            actor=leader,
            application=application,
            summary=text["summary"].format(**values),
            account="\n\n".join(parts),
            answers={
                c.pk: {"statement": statements[c.code], "indicators": {i: values[i] for i in c.indicators}}
                for c in criteria
            },
        )
    with clock_at(papers):
        for criterion in criteria:
            kind = LEDGER_KIND.get(criterion.code)
            entry = (
                team.ledger_entries.filter(kind=kind, attachments__isnull=False, created_at__lt=papers)
                .order_by("occurred_on", "pk")
                .first()
                if kind
                else None
            )
            if entry is not None:
                evidence_from_ledger(actor=leader, application=application, criterion=criterion, entry=entry)
    with clock_at(submit_at):
        return application_submit(actor=leader, application=application)


def _climb(application: Application) -> None:
    """Each level's recommendation, up to the organiser's acceptance for expert review."""
    for days, hour, minute, username, opinion in OPINIONS[application.team.name]:
        with clock_at(_at((days, hour, minute))):
            decision_record(actor=_user(username), application=application, kind="recommend", opinion=opinion)


def _applications(campaign: Campaign, teams: dict[str, Team], plans: list) -> dict[str, ReviewResult]:
    applications = [(name, _apply(campaign, teams[name], started, submitted)) for name, started, submitted in plans]
    campaign = _close(campaign)
    for _name, application in applications:
        _climb(application)
    return {
        r.application.team.name: r
        for r in ReviewResult.objects.filter(campaign=campaign).select_related("application__team")
    }


# --- The review -------------------------------------------------------------------------------------


def _panel(campaign: Campaign, staff: User, usernames: list[str], moment: Moment) -> None:
    with clock_at(_at(moment)):
        for username in usernames:
            panel_add(actor=staff, campaign=campaign, expert=_user(username))


def _assigned(result: ReviewResult) -> list[Assignment]:
    """The application's assignments that count, in the order they were made."""
    return list(
        Assignment.objects.filter(result=result, state__in=[Assignment.State.ASSIGNED, Assignment.State.STARTED])
        .select_related("expert")
        .order_by("assigned_at", "id")
    )


def _score(campaign: Campaign, results: dict[str, ReviewResult]) -> None:
    """Play every expert's review at its time: saved, and submitted when every criterion is scored."""
    criteria = list(campaign.criteria.all())
    scored = [c for c in criteria if not c.is_veto]
    plays = []
    for name, reviews in REVIEWS.items():
        if name not in results:
            continue
        for assignment, review in zip(_assigned(results[name]), reviews, strict=True):
            if review is not None:
                plays.append((_at(review[:3]), assignment, review[3:]))
    for moment, assignment, (points, comment, notes) in sorted(plays, key=lambda play: play[0]):
        values = points.split()
        scores = {
            c.pk: {"points": value, **({"comment": notes[c.code]} if c.code in notes else {})}
            for c, value in zip(scored, values, strict=False)
        }
        complete = len(values) == len(scored)
        if complete:
            for veto in (c for c in criteria if c.is_veto):
                scores[veto.pk] = {"vetoed": veto.code in notes, "comment": notes.get(veto.code, "")}
        with clock_at(moment):
            scores_save(
                actor=assignment.expert,
                assignment=assignment,
                scores=scores,
                overall_comment=comment if complete else None,
            )
        if complete:
            with clock_at(moment + timedelta(minutes=20)):
                review_submit(actor=assignment.expert, assignment=assignment)


def _province_review(province: UnionUnit, teams: dict[str, Team]) -> None:
    staff = _user("sheng_staff")
    today = timezone.localdate()
    campaign = _pioneer_campaign(
        organiser=province,
        staff=staff,
        created=(66, 15, 0),
        published=(64, 10, 0),
        quotas={"SX-XA": 8, "SX-XY": 8, "SX-NH": 4},
        title="关于开展2026年陕西省“工人先锋号”推荐评选工作的通知",
        document_number=PROVINCE_DOCUMENT_NUMBER,
        body=PROVINCE_BODY,
        titles_to_award=30,
        application_opens_at=_at((60, 9, 0)),
        application_deadline=_at((30, 17, 30)),
        level_deadlines={"grassroots": _at((24, 17, 30))},
        recommendation_deadline=_at((12, 17, 30)),
        review_starts_on=today - timedelta(days=9),
        review_ends_on=today + timedelta(days=6),
        naming_planned_on=today + timedelta(days=40),
        experts_per_application=5,
        aggregation=Aggregation.TRIMMED,
        half_points=True,
        spread_threshold=Decimal("15"),
    )
    results = _applications(campaign, teams, PROVINCE_APPLICATIONS)
    campaign.refresh_from_db()
    _panel(campaign, staff, PANEL, (10, 16, 30))
    username, enterprise, reason = DECLARED_CONFLICT
    with clock_at(_at((10, 16, 45))):
        conflict_record(actor=staff, campaign=campaign, expert=_user(username), enterprise=enterprise, reason=reason)
    # The industry union's safety expert is given the construction team by hand, for his trade.
    welders = results["青年焊接突击队"]
    with clock_at(_at((10, 17, 0))):
        by_hand = assignment_add(actor=staff, result=welders, expert=_user("nenghua_expert"))
    with clock_at(_at((9, 9, 30))):
        assignments_auto(actor=staff, campaign=campaign)
    with clock_at(_at((8, 9, 10))):
        assignment_decline(actor=by_hand.expert, assignment=by_hand, reason=DECLINE_REASON)
    _score(campaign, results)


def _xian_review(xian: UnionUnit, teams: dict[str, Team]) -> None:
    staff = _user("xian_staff")
    today = timezone.localdate()
    below = {unit.code for unit in UnionUnit.objects.get_children(xian)}
    campaign = _pioneer_campaign(
        organiser=xian,
        staff=staff,
        created=(74, 16, 0),
        published=(72, 9, 30),
        quotas={code: 3 if code == "SX-XA-WY" else 2 for code in below},
        title="关于开展2026年度西安市“工人先锋号”创建评选活动的通知",
        document_number=XIAN_DOCUMENT_NUMBER,
        body=XIAN_BODY,
        titles_to_award=3,
        application_opens_at=_at((70, 9, 0)),
        application_deadline=_at((38, 17, 30)),
        recommendation_deadline=_at((32, 17, 30)),
        review_starts_on=today - timedelta(days=30),
        review_ends_on=today - timedelta(days=19),
        naming_planned_on=today + timedelta(days=12),
        experts_per_application=3,
        aggregation=Aggregation.MEAN,
        blind_review=True,
        spread_threshold=Decimal("10"),
    )
    results = _applications(campaign, teams, XIAN_APPLICATIONS)
    campaign.refresh_from_db()
    _panel(campaign, staff, XIAN_PANEL, (31, 15, 0))
    with clock_at(_at((30, 9, 30))):
        assignments_auto(actor=staff, campaign=campaign)
    _score(campaign, results)
    # Three titles: the first two by rank, then 信号维护班 (4th) instead of 急诊护理班组 (3rd), with the
    # reasons written on both.
    ranked = {name: ReviewResult.objects.get(pk=result.pk) for name, result in results.items()}
    promoted, passed_over = ranked["信号维护班"], ranked["急诊护理班组"]
    reasons = {
        mine.pk: SHORTLIST_REASONS[name].format(
            total=mine.total,
            rank=mine.rank,
            other=other.total,
            other_rank=other.rank,
            gap=abs(mine.total - other.total),
        )
        for name, mine, other in [("信号维护班", promoted, passed_over), ("急诊护理班组", passed_over, promoted)]
    }
    selected = {ranked["城南变电运维班"].pk, ranked["电气试验班"].pk, promoted.pk}
    with clock_at(_at((17, 10, 30))):
        shortlist_record(actor=staff, campaign=campaign, selected=selected, reasons=reasons)
