"""The demo's concluded campaign: 陕西省总工会's 2025年度“梦桃式班组” (陕工发〔2025〕9号), the province's
first campaign on the system, played through every service from the notice to the naming decision
at the times it happened in 2025:

- the notice, published at the end of March with quotas for the two cities and the energy union;
  eighteen teams (teams.demo.teams.EARLIER_TEAMS) apply in April and May, each in its own words,
  with their rules, mentor agreement, QC certificate and safety certificate as scanned papers;
- each application climbs grassroots union → city federation or industry union → province in June
  and is accepted for expert review;
- a panel of six experts reviews them, three to an application (mean, half points), from 23 June to
  4 July; the organiser shortlists seventeen in rank order (拟命名) and 通信维护班, last, is not selected;
- the shortlist is on public notice for five working days from 9 July; two real-name objections come
  in: one against 1号线乘务二班's working hours, dismissed after the rosters were read, and one
  against 综掘一队, upheld — a member's serious safety violation in the period, which its application
  said had none — which takes the team off the notice and the shortlist;
- on 22 July the naming decision (陕工发〔2025〕23号) names the sixteen teams still on the notice
  陕西省“梦桃式班组”, with the certificate numbers MT-2025-0001 to MT-2025-0016, and the campaign
  is concluded.

The dates are the calendar's own (2025), not counted back from today: the certificate numbers carry
the year of the decision. Idempotent: a campaign that exists has had its story played.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from accounts.models import UnionUnit, User
from campaigns.models import Aggregation, Campaign, Category, CriteriaTemplate
from campaigns.services import campaign_close, campaign_conclude, campaign_create, campaign_publish, quotas_save
from core.demo import SHANGHAI, clock_at
from reviews.models import Assignment, ReviewResult
from reviews.services import (
    assignments_auto,
    decision_record,
    departures,
    panel_add,
    review_submit,
    scores_save,
    shortlist_record,
)
from teams.demo.documents import assessment_rules, mentor_agreement, pdf_upload, qc_certificate, safety_certificate
from teams.demo.teams import EARLIER_TEAMS, demo_teams, spec_of
from teams.models import Application, Member, Team
from teams.services import application_save, application_start, application_submit, evidence_add

from ..models import NamingDecision, NoticeEntry, Objection
from ..services import naming_issue, notice_publish, objection_decide, objection_file
from .texts import (
    ACCEPTED,
    APPLICATIONS,
    CAMPAIGN_BODY,
    CAMPAIGN_DOCUMENT_NUMBER,
    CAMPAIGN_TITLE,
    CRITERION_NOTES,
    DECISION_DOCUMENT_NUMBER,
    DECISION_TEXT,
    HEADINGS,
    NOTICE_ADDRESS,
    NOTICE_PHONE,
    OBJECTIONS,
    OVERALL_COMMENTS,
    RULES,
    SECOND_OPINIONS,
    TITLE_CONFERRED,
)

PANEL = ["expert", "xian_expert", "xianyang_expert", "nenghua_expert", "fangzhi_expert", "yiyuan_expert"]
# The staff who decide at each grassroots union of the campaign's teams.
GRASSROOTS_STAFF = {
    "SX-XY-001": "jiceng_staff",
    "SX-XY-002": "boli_staff",
    "SX-XY-003": "zhongxin_staff",
    "SX-XY-006": "zhiyao_staff",
    "SX-XA-001": "dianji_staff",
    "SX-XA-002": "ditie_staff",
    "SX-XA-003": "yiyuan_staff",
    "SX-XA-004": "gongdian_staff",
    "SX-XA-005": "gonghang_staff",
    "SX-NH-001": "huangling_staff",
    "SX-NH-002": "lianhua_staff",
    "SX-NH-003": "huajian_staff",
}
SECOND_STAFF = {"SX-XA": "xian_staff", "SX-XY": "xianyang_staff", "SX-NH": "nenghua_staff"}
QUOTAS = {"SX-XA": 8, "SX-XY": 6, "SX-NH": 4}
TITLES = 17
FIVE_SMALL = ["small_inventions", "small_creations", "small_innovations", "small_designs", "small_suggestions"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _workdays(first: date, count: int) -> list[date]:
    """`count` days from `first` on, Saturdays and Sundays left out (the weeks of the story hold no
    public holiday)."""
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


# The campaign's timeline.
OPENS = _at(date(2025, 4, 1), 9)
DEADLINE = _at(date(2025, 5, 30), 17, 30)
GRASSROOTS_DEADLINE = _at(date(2025, 6, 9), 17, 30)
RECOMMENDATION_DEADLINE = _at(date(2025, 6, 20), 17, 30)
REVIEW = (date(2025, 6, 23), date(2025, 7, 4))
NOTICE_FROM = date(2025, 7, 9)
DECIDED_ON = date(2025, 7, 22)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def seed_named_campaign() -> None:
    teams = demo_teams(EARLIER_TEAMS)
    if len(teams) < len(EARLIER_TEAMS) or User.objects.filter(username__in=PANEL).count() < len(PANEL):
        return
    province = UnionUnit.objects.get(code="SX")
    if Campaign.objects.filter(organiser=province, document_number=CAMPAIGN_DOCUMENT_NUMBER).exists():
        return
    staff = _user("sheng_staff")
    campaign = _campaign(province, staff)
    applications = [_apply(campaign, teams[spec.name], index) for index, spec in enumerate(EARLIER_TEAMS)]
    with clock_at(DEADLINE + timedelta(minutes=1)):  # closed by the sweep a minute after the deadline
        campaign = campaign_close(actor=None, campaign=campaign)
    _climb(applications)
    results = _review(campaign, staff)
    _shortlist(campaign, staff, results)
    notice = _publish(campaign, staff)
    _objections(notice, staff)
    _name(campaign, staff)
    with clock_at(_at(date(2025, 7, 25), 9, 10)):
        campaign_conclude(actor=staff, campaign=Campaign.objects.get(pk=campaign.pk))


def _campaign(province: UnionUnit, staff: User) -> Campaign:
    with clock_at(_at(date(2025, 3, 24), 15, 20)):
        campaign = campaign_create(
            actor=staff,
            organiser=province,
            template=CriteriaTemplate.objects.get(category=Category.MENGTAO, is_default=True),
            title=CAMPAIGN_TITLE,
            category=Category.MENGTAO,
            document_number=CAMPAIGN_DOCUMENT_NUMBER,
            body=CAMPAIGN_BODY,
            titles_to_award=TITLES,
            application_opens_at=OPENS,
            application_deadline=DEADLINE,
            level_deadlines={"grassroots": GRASSROOTS_DEADLINE},
            recommendation_deadline=RECOMMENDATION_DEADLINE,
            review_starts_on=REVIEW[0],
            review_ends_on=REVIEW[1],
            naming_planned_on=date(2025, 7, 31),
            experts_per_application=3,
            aggregation=Aggregation.MEAN,
            half_points=True,
            spread_threshold=Decimal("10"),
        )
    with clock_at(_at(date(2025, 3, 25), 10, 5)):
        below = {unit.code: unit for unit in UnionUnit.objects.get_children(province)}
        quotas_save(actor=staff, campaign=campaign, quotas={below[code]: n for code, n in QUOTAS.items()})
    with clock_at(_at(date(2025, 3, 28), 10, 0)):
        return campaign_publish(actor=staff, campaign=campaign)


# --- The applications ---------------------------------------------------------------------------


def _values(team: Team, text: dict) -> dict[str, int]:
    values = {**text["values"], "mentor_pairs": team.mentor_pairs.count()}
    return {**values, "five_small": sum(values[code] for code in FIVE_SMALL)}


def _account(team: Team, text: dict, statements: dict[str, str]) -> str:
    members = team.members.filter(left_on__isnull=True)
    seniors = members.filter(skill_grade__in=[Member.SkillGrade.TECHNICIAN, Member.SkillGrade.SENIOR_TECHNICIAN])
    parts = [text["opening"].format(members=members.count(), seniors=seniors.count())]
    for number, code in enumerate(sorted(statements)):
        parts.append(f"{'一二三四五'[number]}、{HEADINGS[number]}\n{statements[code]}")
    parts.append(text["closing"])
    return "\n\n".join(parts)


def _papers(team: Team, text: dict, values: dict, day: date) -> dict:
    """The scanned papers the leader uploads for aspects 2 to 5."""
    subject, level = text["qc"]
    awarded = date(day.year - 1, 11, 20)
    rules = RULES[spec_of(team).trade]
    return {
        "2": pdf_upload(f"{team.name}绩效考核办法.pdf", assessment_rules(team, rules, date(day.year, 1, 8)), day),
        "3": pdf_upload("师带徒结对协议书.pdf", mentor_agreement(team), day),
        "4": pdf_upload(f"{subject}QC成果证书.pdf", qc_certificate(team, subject, level, awarded), awarded),
        "5": pdf_upload("安全生产证明.pdf", safety_certificate(team, values["safe_days"], day), day),
    }


def _apply(campaign: Campaign, team: Team, index: int) -> Application:
    """Started on one day of April or May, the papers uploaded the next day, submitted ten days to
    three weeks later, before the deadline."""
    leader = team.leaders.order_by("pk").first()
    text = APPLICATIONS[team.name]
    values = _values(team, text)
    criteria = {c.code: c for c in campaign.criteria.all() if not c.is_veto}
    statements = {code: statement.format(**values) for code, statement in text["statements"].items()}
    started = _at(date(2025, 4, 7) + timedelta(days=2 * index), 9 + index * 7 % 9, index * 17 % 60)
    with clock_at(started):
        application = application_start(actor=leader, team=team, campaign=campaign)
        application = application_save(
            actor=leader,
            application=application,
            summary=text["summary"],
            account=_account(team, text, statements),
            answers={
                c.pk: {"statement": statements[code], "indicators": {i: values[i] for i in c.indicators}}
                for code, c in criteria.items()
            },
        )
    papers = _at(started.date() + timedelta(days=1), 12, 40)
    with clock_at(papers):
        for code, upload in _papers(team, text, values, papers.date()).items():
            _added, errors = evidence_add(
                actor=leader, application=application, criterion=criteria[code], uploads=[upload]
            )
            if errors:
                raise RuntimeError(f"demo evidence of {team.name} refused: {errors}")
    with clock_at(started + timedelta(days=10 + index % 9, hours=5)):
        return application_submit(actor=leader, application=application)


def _climb(applications: list[Application]) -> None:
    """Each grassroots union recommends in the first week of June, the city federation or the
    industry union in the second, and the province accepts in the third."""
    first, second, third = (_workdays(day, 5) for day in (date(2025, 6, 3), date(2025, 6, 10), date(2025, 6, 16)))
    steps = []
    for index, application in enumerate(applications):
        union = application.team.grassroots_union
        parent = union.code.rsplit("-", 1)[0]
        name = application.team.name
        steps += [
            (_at(first[index % 4], 9 + index % 8, index * 7 % 60), GRASSROOTS_STAFF[union.code],
             application, APPLICATIONS[name]["opinion"]),
            (_at(second[index % 5], 10 + index % 7, index * 11 % 60), SECOND_STAFF[parent],
             application, SECOND_OPINIONS[parent].format(team=name)),
            (_at(third[index % 5], 9 + index % 8, index * 13 % 60), "sheng_staff", application, ACCEPTED),
        ]  # fmt: skip
    for moment, username, application, opinion in sorted(steps, key=lambda step: step[0]):
        with clock_at(moment):
            decision_record(actor=_user(username), application=application, kind="recommend", opinion=opinion)


# --- The expert review --------------------------------------------------------------------------


def _review(campaign: Campaign, staff: User) -> list[ReviewResult]:
    campaign = Campaign.objects.get(pk=campaign.pk)
    with clock_at(_at(date(2025, 6, 20), 15, 0)):
        for username in PANEL:
            panel_add(actor=staff, campaign=campaign, expert=_user(username))
    with clock_at(_at(REVIEW[0], 9, 30)):
        assignments_auto(actor=staff, campaign=campaign)
    criteria = list(campaign.criteria.all())
    assignments = list(
        Assignment.objects.filter(campaign=campaign)
        .select_related("expert", "result__application__team")
        .order_by("result__code", "id")
    )
    days = _workdays(REVIEW[0] + timedelta(days=1), 8)
    for number, assignment in enumerate(assignments):
        moment = _at(days[number * 5 % len(days)], 9 + number % 9, number * 13 % 60)
        _score(assignment, criteria, moment)
    return list(ReviewResult.objects.filter(campaign=campaign).select_related("application__team"))


def _score(assignment: Assignment, criteria: list, moment: datetime) -> None:
    """One expert's review: about the team's quality (as its papers show it), each expert a little
    stricter or milder than the others, in half points; no veto item applies."""
    team = assignment.result.application.team.name
    quality = APPLICATIONS[team]["quality"]
    rng = random.Random(f"{team}:{assignment.expert.username}")
    leniency = rng.uniform(-0.03, 0.03)
    scores = {}
    for criterion in criteria:
        if criterion.is_veto:
            scores[criterion.pk] = {"vetoed": False, "comment": ""}
            continue
        share = min(1.0, quality + leniency + rng.uniform(-0.04, 0.04))
        points = min(criterion.max_score, Decimal(round(float(criterion.max_score) * share * 2)) / 2)
        scores[criterion.pk] = {"points": str(points)}
        if criterion.code in CRITERION_NOTES and rng.random() < 0.3:
            scores[criterion.pk]["comment"] = CRITERION_NOTES[criterion.code]
    band = "high" if quality >= 0.86 else "middle"
    comment = rng.choice(OVERALL_COMMENTS[band]).format(team=team)
    with clock_at(moment):
        scores_save(actor=assignment.expert, assignment=assignment, scores=scores, overall_comment=comment)
    with clock_at(moment + timedelta(minutes=20)):
        review_submit(actor=assignment.expert, assignment=assignment)


def _shortlist(campaign: Campaign, staff: User, results: list[ReviewResult]) -> None:
    """The first seventeen in rank order; a departure (equal totals at the cut) is explained."""
    ranked = sorted((r for r in results if r.rank is not None), key=lambda r: (r.rank, r.team_sort, r.pk))
    selected = {r.pk for r in ranked[:TITLES]}
    reasons = dict.fromkeys(departures(ranked, selected), "与入选班组总分相同，经评审委员会研究确定。")
    with clock_at(_at(date(2025, 7, 7), 10, 30)):
        shortlist_record(actor=staff, campaign=Campaign.objects.get(pk=campaign.pk), selected=selected, reasons=reasons)


# --- The public notice, the objections and the naming ------------------------------------------


def _publish(campaign: Campaign, staff: User):
    with clock_at(_at(NOTICE_FROM - timedelta(days=1), 16, 0)):
        return notice_publish(
            actor=staff,
            campaign=Campaign.objects.get(pk=campaign.pk),
            contact_phone=NOTICE_PHONE,
            contact_address=NOTICE_ADDRESS,
            first_day=NOTICE_FROM,
            show_leader_names=True,
        )


def _named_member(team: Team) -> str:
    """The member an objection names: one of the team's 锚杆支护工 where it has them."""
    members = team.members.filter(role=Member.Role.MEMBER).order_by("pk")
    return (members.filter(position="锚杆支护工").first() or members.first()).name


def _objections(notice, staff: User) -> None:
    teams = demo_teams(EARLIER_TEAMS)
    for spec in OBJECTIONS:
        entry = NoticeEntry.objects.get(notice=notice, team_name=spec["team"])
        member = _named_member(teams[spec["team"]])
        with clock_at(_at(date(*spec["filed"][:3]), *spec["filed"][3:])):
            objection = objection_file(
                entry=entry,
                name=spec["name"],
                unit=spec["unit"],
                phone=spec["phone"],
                facts=spec["facts"].format(member=member),
                ip_address=spec["ip"],
            )
        with clock_at(_at(date(*spec["decided"][:3]), *spec["decided"][3:])):
            objection_decide(
                actor=staff,
                objection=Objection.objects.get(pk=objection.pk),
                upheld=spec["upheld"],
                findings=spec["findings"].format(member=member),
            )


def _name(campaign: Campaign, staff: User) -> NamingDecision:
    listed = NoticeEntry.objects.filter(notice__campaign=campaign, state=NoticeEntry.State.LISTED).order_by("order")
    first = listed.select_related("application__team__grassroots_union").first()
    company = first.application.team.grassroots_union.enterprise  # the company, without the workshop
    text = DECISION_TEXT.format(first=f"{company}{first.team_name}", count=listed.count())
    with clock_at(_at(DECIDED_ON + timedelta(days=1), 10, 0)):
        return naming_issue(
            actor=staff,
            campaign=Campaign.objects.get(pk=campaign.pk),
            document_number=DECISION_DOCUMENT_NUMBER,
            decided_on=DECIDED_ON,
            level=NamingDecision.Level.PROVINCIAL,
            title=TITLE_CONFERRED,
            text=text,
        )
