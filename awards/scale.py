"""The generated province's public notices and named teams (`seed_scale`, after the expert review):
every campaign whose review is over puts its shortlist (拟命名) on public notice for its working days —
the earlier years' concluded campaigns long ago, the current year's reviewed one now (its notice runs
today); a few real-name objections come in, some dismissed, one upheld that takes its team off the
notice and the shortlist, and on the current notice some still being investigated; each concluded
campaign's naming decision names the teams still on its notice, with certificate numbers running on
per prefix and year across decisions and consecutive within one (as naming_issue numbers them), and
the registry's columns as naming_issue fills them. Then dynamic management (awards.scale_dynamic):
re-assessments, revocations (摘牌) and the showcase (典型).

At province size the registry holds about 10,000 named teams (campaigns.scale.PLANS chooses how many
each campaign names). Rows are computed here and loaded with COPY (core.bulk), as the review's are.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import UnionUnit
from audit.models import AuditEvent
from campaigns.models import Campaign, Category
from campaigns.workdays import is_workday
from core.bulk import load_rows, next_id, reset_sequences
from core.demo import SHANGHAI
from core.scale import ScaleContext
from reviews.models import ReviewResult

from . import scale_dynamic
from .models import CertificateCounter, NamingDecision, NoticeEntry, Objection, PublicNotice, Title
from .search import search_text
from .services import certificate_number, notice_period

# The stages this seeder loads (core.scale.seeders_mark).
SCALE_STAGES = ("notices", "titles", "dynamic")

E = NoticeEntry.State
OB = Objection.State
R = ReviewResult.State

OBJECTIONS_SETTLED = 3  # on each concluded campaign's notice: the first upheld, the others dismissed
OBJECTIONS_RUNNING = 5  # on the notice running now: one upheld, one dismissed, the others open

CONTACTS = {
    "root": ("029-87345120", "西安市新城区西五路 陕西省总工会组织部（邮编710004）"),
    "city": ("029-86789012", "西安市未央区凤城八路 西安市总工会组织部（邮编710016）"),
}
TITLES_CONFERRED = {
    Category.MENGTAO: "“梦桃式班组”",
    Category.PIONEER: "“工人先锋号”",
    Category.MODEL_TEAM: "“模范班组”",
    Category.STUDIO: "劳模(职工)创新工作室",
}
DECISION_TEXT = (
    "各市总工会、各产业工会，各基层工会：\n\n"
    "按照《{campaign}》（{number}）要求，经基层工会推荐、逐级审核、专家评审和社会公示，{organiser}决定，"
    "命名{first}等{count}个集体为{title}。\n\n"
    "希望受命名的集体珍惜荣誉、再接再厉，在推动高质量发展中更好发挥示范引领作用。各级工会要加强对已命名集体的"
    "指导和服务，实行动态管理，不搞终身制。"
)

# What objectors report, and what the investigation found: (facts, findings) for an upheld and a
# dismissed objection. `{team}` is the team's name.
UPHELD = [
    (
        "{team}申报材料称申报期内无安全生产事故，但该班组一名成员今年在作业中严重违章，被企业安全监察部门通报处理，请核实。",
        "经调查核实，企业安全监察部门的通报记载{team}一名成员在申报期内严重违章作业并受到处理，该班组申报材料称申报期内无违章，"
        "与事实不符。依据创建通知“申报材料弄虚作假的，取消资格”的规定，异议成立，取消该班组拟命名资格。",
    ),
    (
        "{team}申报的QC成果实际由兄弟班组完成，成果发布证书上的完成单位并不是该班组。",
        "经调阅企业QC成果发布会资料，{team}申报的QC成果的完成单位为同车间另一班组，申报材料与事实不符，异议成立，"
        "取消该班组拟命名资格。",
    ),
]
DISMISSED = [
    (
        "{team}长期加班加点，职工休息时间得不到保证，不应被命名。",
        "经调阅{team}近一年的排班表和考勤记录并个别访谈职工，该班组工作时间符合企业规定和劳动法律法规，加班已按规定安排调休"
        "或支付加班工资。异议反映的问题与事实不符，不予采纳。",
    ),
    (
        "{team}申报的师带徒对数有虚报，部分徒弟早已调离班组。",
        "经核对{team}的师带徒协议、考核记录和人员花名册，申报的师带徒结对均在申报期内有效，徒弟调离发生在带徒期满之后。"
        "异议反映的问题与事实不符，不予采纳。",
    ),
    (
        "{team}的班组长在班组绩效分配中偏向个别职工，群众有意见。",
        "经查阅{team}的绩效考核办法和近一年的考核结果公示记录，考核按办法计分并在班组内公示，未发现违规分配情况。"
        "异议反映的问题与事实不符，不予采纳。",
    ),
]
OPEN_FACTS = [
    "{team}申报材料中的“五小”成果数量与企业登记数量不一致，请核实。",
    "{team}所在车间今年发生过一次设备事故，请核实是否与该班组有关。",
    "{team}部分成员的技能等级证书取得时间晚于申报材料所写时间。",
]
OBJECTOR_UNITS = ["本企业职工", "同车间职工", "退休职工", "兄弟单位职工"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _working_day_after(day: date) -> date:
    day += timedelta(days=1)
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def _working_day_before(day: date) -> date:
    day -= timedelta(days=1)
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


@dataclass
class _Notice:
    id: int
    campaign: Campaign
    plan: object  # campaigns.scale.Plan
    staff: int
    starts_on: date
    ends_on: date
    published_at: datetime
    entries: list[dict] = field(default_factory=list)


class Awards:
    """The notices', objections', decisions' and titles' rows, built phase by phase and loaded with COPY."""

    def __init__(self, context: ScaleContext):
        self.context = context
        self.now = context.now
        self.today = timezone.localtime(self.now, SHANGHAI).date()
        users = context.shared["bench_users"]
        self.organiser_staff, self.city_staff = users["organiser"], users["city"]
        self.applications = {a["id"]: a for a in context.shared["applications"]}
        self.notices: list[_Notice] = []
        self.events: list[tuple] = []
        self.next_event = next_id(AuditEvent)

    def _staff(self, campaign: Campaign):
        return self.city_staff if campaign.organiser.code == "SC-01" else self.organiser_staff

    def _event(self, when, actor, action: str, campaign: Campaign, details: dict) -> None:
        self.events.append(
            (
                self.next_event,
                when,
                actor.pk if actor else None,
                actor.name if actor else "",
                action,
                "campaigns.campaign",
                str(campaign.pk),
                str(campaign)[:255],
                campaign.organiser_id,
                details,
                None,
            )
        )
        self.next_event += 1

    # --- The notices ----------------------------------------------------------------------------

    def notices_and_entries(self) -> int:
        rng = self.context.rng("public notices")
        reviewed = [(plan, c) for plan, c in self.context.shared["campaigns"] if plan.review_over]
        shortlisted = defaultdict(list)
        rows = ReviewResult.objects.filter(campaign_id__in=[c.pk for _p, c in reviewed], state=R.SHORTLISTED)
        for result in rows.order_by("rank", "team_sort", "pk").values("campaign_id", "application_id", "decided_at"):
            shortlisted[result["campaign_id"]].append(result)
        notice_id, entry_id = next_id(PublicNotice), next_id(NoticeEntry)
        notice_rows, entry_rows = [], []
        for plan, campaign in reviewed:
            results = shortlisted.get(campaign.pk)
            if not results:
                continue  # nothing ranked to name (the smallest sizes)
            decided = max(r["decided_at"] for r in results)
            if plan.state == "concluded":  # published a working day or three after the shortlist
                published = timezone.localtime(decided, SHANGHAI).date() + timedelta(days=rng.randint(0, 2))
                published = _working_day_after(published)
                starts_on, ends_on = notice_period(published + timedelta(days=1), campaign.public_notice_working_days)
            else:  # running now: today is its third working day, or it runs over the weekend
                starts_on, ends_on = notice_period(self._running_start(), campaign.public_notice_working_days)
                published = _working_day_before(starts_on)
            staff = self._staff(campaign)
            notice = _Notice(
                notice_id, campaign, plan, staff.pk, starts_on, ends_on, _at(published, 16, rng.randint(0, 50))
            )
            show_leaders = rng.random() < 0.5
            phone, address = CONTACTS["city" if campaign.organiser.code == "SC-01" else "root"]
            notice_rows.append(
                (notice.id, campaign.pk, PublicNotice.Stage.ORGANISER, campaign.organiser_id, starts_on, ends_on,
                 campaign.public_notice_working_days, phone, address, show_leaders, staff.pk, notice.published_at)
            )  # fmt: skip
            for order, result in enumerate(results, start=1):
                application = self.applications[result["application_id"]]
                team = application["team"]
                union = team["union"]
                entry = {
                    "id": entry_id,
                    "application": application["id"],
                    "order": order,
                    "team": team,
                    "name": team["name"],
                    "enterprise": union["enterprise"],
                    "region": union["region"],
                    "state": E.LISTED,
                }
                notice.entries.append(entry)
                entry_rows.append(
                    [entry_id, notice.id, application["id"], order, team["name"], union["enterprise"],
                     f"{union['enterprise']}工会", union["region"], application["summary"],
                     team["leader_name"] if show_leaders else "", E.LISTED]
                )  # fmt: skip
                entry_id += 1
            self._event(
                notice.published_at,
                staff,
                "awards.notice_publish",
                campaign,
                {"notice_from": starts_on.isoformat(), "notice_until": ends_on.isoformat(),
                 "teams": len(results), "phone": phone},
            )  # fmt: skip
            self.notices.append(notice)
            notice_id += 1
        self.objection_rows = self._objections(rng, entry_rows)
        load_rows(PublicNotice, NOTICE_FIELDS, notice_rows)
        load_rows(NoticeEntry, ENTRY_FIELDS, (tuple(row) for row in entry_rows))
        return len(notice_rows) + len(entry_rows)

    def _running_start(self) -> date:
        """The notice running now began two working days before today."""
        day, found = self.today, 0
        while found < 2:
            day -= timedelta(days=1)
            found += is_workday(day)
        return day

    # --- The objections -------------------------------------------------------------------------

    def _objections(self, rng, entry_rows: list[list]) -> list[tuple]:
        """A few objections on each notice, filed while it ran; an upheld one takes its team off the
        notice (its entry row) and the shortlist (its review result, updated after the load)."""
        rows = []
        self.withdrawn: list[tuple[int, str, datetime]] = []  # (application, reason, when)
        rows_by_entry = {row[0]: row for row in entry_rows}
        pk = next_id(Objection)
        for notice in self.notices:
            running = notice.plan.state != "concluded"
            wanted = min(OBJECTIONS_RUNNING if running else OBJECTIONS_SETTLED, len(notice.entries))
            last_filing = min(notice.ends_on, self.today - timedelta(days=1)) if running else notice.ends_on
            days = (last_filing - notice.starts_on).days
            for n, entry in enumerate(rng.sample(notice.entries, wanted)):
                filed = _at(notice.starts_on + timedelta(days=rng.randint(0, max(days, 0))), rng.randint(8, 21))
                filed += timedelta(minutes=rng.randint(0, 59))
                state = OB.UPHELD if n == 0 else OB.DISMISSED if n == 1 or not running else OB.INVESTIGATING
                reference = f"YY{filed:%Y%m%d}-{rng.getrandbits(32):08X}"
                facts, findings = rng.choice(UPHELD if state == OB.UPHELD else DISMISSED)
                if state == OB.INVESTIGATING:
                    facts, findings = rng.choice(OPEN_FACTS), ""
                facts, findings = facts.format(team=entry["name"]), findings.format(team=entry["name"])
                decided = None
                if state != OB.INVESTIGATING:
                    decided = min(filed + timedelta(days=rng.uniform(0.5, 2)), self.now - timedelta(hours=2))
                    decided = max(decided, filed + timedelta(hours=1))
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
                rows.append(
                    (pk, notice.id, entry["id"], reference, name, rng.choice(OBJECTOR_UNITS), phone, facts, "", "",
                     "", state, findings, filed, f"117.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                     notice.staff if decided else None, decided)
                )  # fmt: skip
                pk += 1
                campaign = notice.campaign
                self._event(filed, None, "awards.objection_file", campaign,
                            {"reference": reference, "team": entry["name"]})  # fmt: skip
                if decided:
                    action = "awards.objection_uphold" if state == OB.UPHELD else "awards.objection_dismiss"
                    actor = self._staff(campaign)
                    self._event(decided, actor, action, campaign,
                                {"reference": reference, "team": entry["name"], "findings": findings})  # fmt: skip
                if state == OB.UPHELD:
                    entry["state"] = E.WITHDRAWN
                    rows_by_entry[entry["id"]][-1] = E.WITHDRAWN
                    reason = _("Objection %(reference)s upheld: %(findings)s") % {
                        "reference": reference,
                        "findings": findings,
                    }
                    self.withdrawn.append((entry["application"], reason, decided))
        return rows

    def objections(self) -> int:
        count = load_rows(Objection, OBJECTION_FIELDS, self.objection_rows)
        for application, reason, when in self.withdrawn:  # as reviews.services.shortlist_withdraw leaves it
            ReviewResult.objects.filter(application_id=application).update(
                state=R.NOT_SELECTED, shortlist_reason=reason, decided_at=when
            )
        return count

    # --- The naming decisions and the titles ----------------------------------------------------

    def decisions_and_titles(self) -> int:
        rng = self.context.rng("naming decisions")
        concluded = [n for n in self.notices if n.plan.state == "concluded"]
        decisions = []
        for notice in concluded:
            decided_on = notice.ends_on + timedelta(days=rng.randint(4, 12))
            while not is_workday(decided_on):
                decided_on += timedelta(days=1)
            decisions.append((decided_on, notice))
        decisions.sort(key=lambda pair: (pair[0], pair[1].id))
        decision_rows, title_rows = [], []
        decision_pk, title_pk = next_id(NamingDecision), next_id(Title)
        counters: Counter = Counter()
        numbers_by_year: Counter = Counter()
        sort_keys: dict[str, str] = {}
        texts: dict[tuple[str, str], str] = {}
        for decided_on, notice in decisions:
            campaign = notice.campaign
            listed = [e for e in notice.entries if e["state"] == E.LISTED]
            if not listed:
                continue
            organiser = campaign.organiser
            level = _level(organiser)
            title = _title_conferred(campaign, organiser)
            issuer = campaign.document_number.split("〔")[0]  # 陕工发, 西工发…
            numbers_by_year[(issuer, decided_on.year)] += 1
            document_number = f"{issuer}〔{decided_on.year}〕{40 + numbers_by_year[(issuer, decided_on.year)]}号"
            first = listed[0]
            text = DECISION_TEXT.format(
                campaign=campaign.title,
                number=campaign.document_number,
                organiser=organiser.name,
                first=f"{first['enterprise']}{first['name']}",
                count=len(listed),
                title=title,
            )
            staff = self._staff(campaign)
            issued_at = _at(
                _working_day_after(decided_on) if rng.random() < 0.5 else decided_on, 10, rng.randint(0, 59)
            )
            decision_rows.append(
                (decision_pk, campaign.pk, document_number, decided_on, level, title, text, staff.pk, issued_at)
            )
            prefix = settings.CERTIFICATE_PREFIXES.get(campaign.category, settings.CERTIFICATE_PREFIXES["other"])
            first_number = counters[(prefix, decided_on.year)] + 1
            for index, entry in enumerate(listed):
                name, enterprise = entry["name"], entry["enterprise"]
                if name not in sort_keys:
                    sort_keys[name] = entry["team"][
                        "sort"
                    ]  # teams.models.pinyin_key(name), as the teams seeder keeps it
                if (name, enterprise) not in texts:
                    texts[(name, enterprise)] = search_text(name, enterprise)
                title_rows.append(
                    (title_pk, decision_pk, entry["application"], entry["team"]["id"],
                     certificate_number(prefix, decided_on.year, first_number + index),
                     Title.State.NAMED, name, sort_keys[name], enterprise,
                     entry["region"], entry["team"]["union"]["industry"], decided_on.year, level,
                     texts[(name, enterprise)], None, "")
                )  # fmt: skip
                title_pk += 1
            counters[(prefix, decided_on.year)] += len(listed)
            self._event(
                issued_at,
                staff,
                "awards.naming_issue",
                campaign,
                {
                    "document_number": document_number,
                    "teams": len(listed),
                    "first": certificate_number(prefix, decided_on.year, first_number),
                    "last": certificate_number(prefix, decided_on.year, first_number + len(listed) - 1),
                },
            )
            decision_pk += 1
        load_rows(NamingDecision, DECISION_FIELDS, decision_rows)
        load_rows(Title, TITLE_FIELDS, title_rows)
        counter_pk = next_id(CertificateCounter)
        counter_rows = [
            (counter_pk + n, prefix, year, last) for n, ((prefix, year), last) in enumerate(sorted(counters.items()))
        ]
        load_rows(CertificateCounter, ["id", "prefix", "year", "last"], counter_rows)
        return len(decision_rows) + len(title_rows) + len(counter_rows)

    def audit(self) -> int:
        return load_rows(AuditEvent, AUDIT_FIELDS, sorted(self.events, key=lambda event: event[0]))


def _level(organiser: UnionUnit) -> str:
    return {
        UnionUnit.Kind.PROVINCIAL: NamingDecision.Level.PROVINCIAL,
        UnionUnit.Kind.CITY: NamingDecision.Level.CITY,
        UnionUnit.Kind.INDUSTRY: NamingDecision.Level.INDUSTRY,
    }.get(organiser.kind, NamingDecision.Level.ENTERPRISE)


def _title_conferred(campaign: Campaign, organiser: UnionUnit) -> str:
    place = "陕西省" if organiser.kind == UnionUnit.Kind.PROVINCIAL else organiser.name.removesuffix("总工会")
    return f"{place}{TITLES_CONFERRED.get(campaign.category, '先进集体')}"


NOTICE_FIELDS = ["id", "campaign", "stage", "unit", "starts_on", "ends_on", "working_days", "contact_phone",
                 "contact_address", "show_leader_names", "published_by", "published_at"]  # fmt: skip
ENTRY_FIELDS = ["id", "notice", "application", "order", "team_name", "enterprise", "union_name", "region", "summary",
                "leader_names", "state"]  # fmt: skip
OBJECTION_FIELDS = ["id", "notice", "entry", "reference", "name", "unit", "phone", "facts", "attachment",
                    "attachment_name", "attachment_type", "state", "findings", "filed_at", "ip_address", "decided_by",
                    "decided_at"]  # fmt: skip
DECISION_FIELDS = ["id", "campaign", "document_number", "decided_on", "level", "title", "text", "issued_by",
                   "issued_at"]  # fmt: skip
TITLE_FIELDS = ["id", "decision", "application", "team", "certificate_number", "state", "team_name", "team_sort",
                "enterprise", "region", "industry", "year", "level", "search_text", "revoked_on",
                "revocation_reason"]  # fmt: skip
AUDIT_FIELDS = ["id", "occurred_at", "actor", "actor_name", "action", "target_type", "target_id", "target_repr", "unit",
                "details", "ip_address"]  # fmt: skip

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["建军", "秀兰", "志刚", "丽华", "国强", "红梅", "宏伟", "晓燕", "文斌", "春花", "海涛", "玉兰", "振华", "淑芬"]


def seed(context: ScaleContext) -> None:
    awards = Awards(context)
    phases = context.phases
    phases.run("public notices and their teams", awards.notices_and_entries)
    phases.run("objections", awards.objections)
    phases.run("naming decisions and titles", awards.decisions_and_titles)
    phases.run("awards audit events", awards.audit)
    reset_sequences(PublicNotice, NoticeEntry, Objection, NamingDecision, Title, CertificateCounter, AuditEvent)
    # Dynamic management: re-assessments, revocations (摘牌) and the showcase (典型).
    scale_dynamic.seed(context)
