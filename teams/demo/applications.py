"""The demo's applications to the published 梦桃式班组 notice: twenty, in every state, played through
teams.services at the times they happened over the weeks the window has been open — started on
one day, papers uploaded the next, submitted days or weeks later, returned and corrected after.

Idempotent: a team that already has an application to the campaign is left as it is. A domain
error stops the seed instead of leaving half a story.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.models import User
from campaigns.models import Campaign, Criterion
from core.demo import SHANGHAI, clock_at, days_ago

from ..models import Application, LedgerEntry, Team
from ..services import (
    application_save,
    application_start,
    application_submit,
    application_withdraw,
    evidence_add,
    evidence_from_ledger,
    evidence_remove,
)
from .documents import assessment_rules, mentor_agreement, pdf_upload, photo_upload, qc_certificate, safety_certificate
from .texts import TEXTS

logger = logging.getLogger(__name__)

MENGTAO_DOCUMENT_NUMBER = "陕工发〔2026〕12号"  # the published campaign of campaigns/demo.py
STORY = timedelta(days=44)  # how far back the story reaches; the window opened 45 days ago

Moment = tuple[int, int, int]  # days ago, hour, minute (Beijing time)


@dataclass(frozen=True)
class Plan:
    team: str
    state: str  # started, half, complete, withdrawn, submitted, returned or resubmitted
    started: Moment
    submitted: Moment | None = None
    withdrawn: Moment | None = None
    returned: Moment | None = None
    resubmitted: Moment | None = None
    saved: Moment | None = None  # a draft's last save, when later than its start
    returner: str = ""
    reason: str = ""


# fmt: off
PLANS = [
    Plan("赵梦桃小组", "returned", (41, 10, 20), submitted=(12, 16, 45), returned=(4, 10, 12), returner="jiceng_staff",
         reason="请修改后重新提交：1. 第3项“营造技能创新氛围”填报的“五小”成果数量与班组台帐记录不一致，请逐项核对；2. 第4项请补充QC成果在集团发布的证明材料（发布证书或通报）；3. 事迹材料中师带徒成效请写明徒弟晋升技能等级的具体人数。"),
    Plan("细纱二车间甲班", "resubmitted", (38, 15, 5), submitted=(26, 11, 30), returned=(21, 9, 40), resubmitted=(16, 15, 5),
         returner="jiceng_staff",
         reason="第3项填报的师带徒对数（5对）与班组台帐登记不符，请核对后修改；第5项安全生产证明材料为现场照片，请更换为车间安全科盖章的证明。"),
    Plan("熔制班", "submitted", (36, 9, 50), submitted=(30, 10, 5)),
    Plan("成型班", "half", (15, 14, 20), saved=(6, 21, 37)),
    Plan("心内科护理班组", "submitted", (33, 20, 10), submitted=(23, 20, 48)),
    Plan("综采一队", "withdrawn", (31, 16, 30), submitted=(20, 8, 50), withdrawn=(19, 14, 10)),
    Plan("装配一班", "submitted", (29, 11, 15), submitted=(18, 15, 30)),
    Plan("电气试验班", "complete", (20, 10, 40), saved=(8, 17, 25)),
    Plan("2号线乘务一班", "resubmitted", (28, 13, 55), submitted=(14, 13, 20), returned=(8, 10, 5),
         resubmitted=(4, 16, 30), returner="xian_staff",
         reason="经市总工会审核，请修改：1. 第3项填报的师带徒对数与班组台帐登记的结对协议数量不符，请核对后据实填写；2. 第5项安全生产证明材料为值乘现场照片，请更换为公司安全管理部门盖章出具的安全生产证明。"),
    Plan("信号维护班", "started", (5, 9, 15)),
    Plan("急诊护理班组", "returned", (27, 21, 30), submitted=(11, 22, 5), returned=(6, 16, 30), returner="xian_staff",
         reason="请补充完善：1. 第2项“提升管理创新水平”上传的考核办法为科室讨论稿，请更换为医院护理部正式印发的文件；2. 第4项证明材料为照片，请补充清晰的成果证明扫描件；3. 事迹概述请突出急诊护理的特点。"),
    Plan("焊装班", "submitted", (25, 9, 5), submitted=(10, 9, 25)),
    Plan("综采二队", "submitted", (35, 18, 40), submitted=(27, 18, 10)),
    Plan("常减压装置一班", "half", (13, 10, 5), saved=(4, 16, 50)),
    Plan("青年焊接突击队", "submitted", (24, 20, 15), submitted=(8, 19, 40)),
    Plan("城南变电运维班", "submitted", (22, 14, 0), submitted=(7, 10, 50)),
    Plan("南大街支行营业室", "submitted", (19, 17, 50), submitted=(5, 17, 45)),
    Plan("纳税服务科", "submitted", (21, 11, 30), submitted=(13, 11, 5)),
    Plan("秦都营业部", "submitted", (17, 21, 5), submitted=(2, 21, 20)),
    Plan("提取班", "submitted", (16, 15, 10), submitted=(1, 15, 40)),
]
# fmt: on

HEADINGS = ["一", "二", "三", "四", "五"]
FIVE_SMALL = ["small_inventions", "small_creations", "small_innovations", "small_designs", "small_suggestions"]
# The ledger kind whose files best prove an aspect; aspect 2 is proved by the team's own rules.
LEDGER_KIND = {
    "1": LedgerEntry.Kind.AWARD,
    "3": LedgerEntry.Kind.TRAINING,
    "4": LedgerEntry.Kind.INNOVATION,
    "5": LedgerEntry.Kind.SAFETY,
}


def _values(team: Team, text: dict) -> dict[str, int]:
    values = {**text["values"], "mentor_pairs": team.mentor_pairs.count()}  # as many pairs as the team keeps
    return {**values, "five_small": sum(values[code] for code in FIVE_SMALL)}


def _statements(text: dict, values: dict) -> dict[str, str]:
    return {code: statement.format(**values) for code, statement in text["statements"].items()}


def _account(team: Team, text: dict, statements: dict[str, str]) -> str:
    members = team.members.filter(left_on__isnull=True)
    seniors = members.filter(skill_grade__in=["technician", "senior_technician"]).count()
    parts = [text["opening"].format(members=members.count(), seniors=seniors)]
    for number, (code, heading) in enumerate(zip(sorted(statements), text["headings"], strict=True)):
        parts.append(f"{HEADINGS[number]}、{heading}\n{statements[code]}")
    if text["closing"]:
        parts.append(text["closing"])
    return "\n\n".join(parts)


def _answers(criteria: dict[str, Criterion], statements: dict[str, str], values: dict, codes=None) -> dict:
    return {
        criteria[code].pk: {
            "statement": statements[code],
            "indicators": {name: values[name] for name in criteria[code].indicators},
        }
        for code in codes or statements
    }


def _upload(actor: User, application: Application, criterion: Criterion, upload) -> None:
    _added, errors = evidence_add(actor=actor, application=application, criterion=criterion, uploads=[upload])
    if errors:
        raise RuntimeError(f"demo evidence of {application.team.name} refused: {errors}")


def _own_paper(code: str, team: Team, text: dict, values: dict, day: date):
    """The paper a team writes for an aspect its ledger has no file for."""
    if code == "1":
        return photo_upload(team, "“梦桃精神”主题学习活动照片.jpg", f"{team.name}学习“梦桃精神”主题活动", day)
    if code == "2":
        draft = text.get("rules_draft", False)
        rules = assessment_rules(team, text["rules"], date(day.year, 1, 8), draft=draft)
        return pdf_upload(f"{team.name}绩效考核办法{'（讨论稿）' if draft else ''}.pdf", rules, date(day.year, 1, 8))
    if code == "3":
        return pdf_upload("师带徒结对协议书.pdf", mentor_agreement(team), day)
    if code == "4":
        subject, level = text["qc"]
        awarded = date(day.year - 1, 11, 20)
        return pdf_upload(f"{subject}QC成果证书.pdf", qc_certificate(team, subject, level, awarded), awarded)
    return pdf_upload("安全生产证明.pdf", safety_certificate(team, values["safe_days"], day), day)


def _evidence(actor: User, application: Application, criteria: dict, text: dict, values: dict, day: date) -> None:
    """Files from the team's ledger where it has some, papers of its own otherwise."""
    team = application.team
    for code in ("1", "2", "3", "4", "5"):
        entry = None
        if code in LEDGER_KIND:
            entries = team.ledger_entries.filter(kind=LEDGER_KIND[code], attachments__isnull=False)
            entry = entries.order_by("occurred_on", "pk").first()
        if entry is not None:
            evidence_from_ledger(actor=actor, application=application, criterion=criteria[code], entry=entry)
        else:
            _upload(actor, application, criteria[code], _own_paper(code, team, text, values, day))


def _revise(actor: User, application: Application, criteria: dict, text: dict, values: dict, day: date) -> Application:
    """What the leader corrects after the return: the number of pairs and its sentence, and the
    photo that stood for a safety certificate."""
    statements = _statements(text, values)
    statements["3"] += "每对师徒每月考核一次，考核结果与师傅带徒津贴挂钩。"
    application = application_save(
        actor=actor,
        application=application,
        summary=application.summary,
        account=_account(application.team, text, statements),
        answers=_answers(criteria, statements, values, codes=["3"]),
    )
    for evidence in application.evidence.filter(criterion=criteria["5"]):
        evidence_remove(actor=actor, evidence=evidence)
    team = application.team
    certificate = safety_certificate(team, values["safe_days"], day, issuer=f"{team.enterprise}安全科")
    _upload(actor, application, criteria["5"], pdf_upload("安全生产证明（车间安全科盖章）.pdf", certificate, day))
    return application


def _play(
    plan: Plan, team: Team, campaign: Campaign, criteria: dict, at: Callable[[Moment], datetime], returner: "Returner"
) -> None:
    leader = team.leaders.order_by("pk").first()
    text = TEXTS[plan.team]
    started = at(plan.started)
    with clock_at(started):
        application = application_start(actor=leader, team=team, campaign=campaign)
        if plan.state == "started":
            application_save(actor=leader, application=application, summary=text["summary"], account="", answers={})
            return
        values = _values(team, text)
        if plan.state == "half":
            # Three aspects written, one number and one paper so far; the account not yet.
            statements = _statements(text, values)
            answers = _answers(criteria, statements, values, codes=["1", "2", "3"])
            answers[criteria["3"].pk]["indicators"] = {"mentor_pairs": values["mentor_pairs"]}
            application_save(
                actor=leader, application=application, summary=text["summary"], account="", answers=answers
            )
        else:
            claimed = values
            if plan.state == "resubmitted":
                claimed = {**values, "mentor_pairs": values["mentor_pairs"] + 2}  # what the union will question
            statements = _statements(text, claimed)
            application = application_save(
                actor=leader,
                application=application,
                summary=text["summary"],
                account=_account(team, text, statements),
                answers=_answers(criteria, statements, claimed),
            )
    papers = at((plan.started[0] - 1, 12, 40))  # the papers follow the next day
    day = timezone.localtime(papers, SHANGHAI).date()
    with clock_at(papers):
        if plan.state == "half":
            _upload(leader, application, criteria["2"], _own_paper("2", team, text, values, day))
        else:
            _evidence(leader, application, criteria, text, values, day)
    if plan.saved:
        with clock_at(at(plan.saved)):
            application_save(
                actor=leader,
                application=application,
                summary=text["summary"],
                account=application.account,
                answers={},
            )
    if plan.submitted is None:
        return
    with clock_at(at(plan.submitted)):
        application = application_submit(actor=leader, application=application)
    if plan.withdrawn:
        with clock_at(at(plan.withdrawn)):
            application_withdraw(actor=leader, application=application)
    if plan.returned:
        with clock_at(at(plan.returned)):
            returner(application, User.objects.get(username=plan.returner), plan.reason)
            application.refresh_from_db()
    if plan.resubmitted:
        revised = at(plan.resubmitted) - timedelta(hours=2)
        with clock_at(revised):
            application = _revise(leader, application, criteria, text, values, timezone.localtime(revised).date())
        with clock_at(at(plan.resubmitted)):
            application_submit(actor=leader, application=application)


def _story_clock(campaign: Campaign) -> Callable[[Moment], datetime]:
    """The moments of the story. Where the window opened less than STORY ago (the campaign of an
    older demo database), the story is told in the time the window has been open."""
    now = timezone.now()
    origin = now - STORY
    opens = campaign.application_opens_at

    def at(moment: Moment) -> datetime:
        when = days_ago(*moment)
        if opens <= origin:
            return when
        return opens + (when - origin) * ((now - opens) / STORY)

    return at


# Returns an application for revision, as `returner` of the union where it waits, with the reasons:
# the recommendation chain decides returns, and its demo hands this in (teams does not import it).
Returner = Callable[[Application, User, str], None]


def seed_applications(teams: dict[str, Team], returner: Returner) -> None:
    """Play each plan for the demo teams that have no application to the campaign yet."""
    campaign = Campaign.objects.filter(organiser__code="SX", document_number=MENGTAO_DOCUMENT_NUMBER).first()
    if campaign is None:
        return
    started = set(campaign.applications.values_list("team_id", flat=True))
    pending = [plan for plan in PLANS if plan.team in teams and teams[plan.team].pk not in started]
    if not pending:
        return
    now = timezone.now()
    if not (
        campaign.status == Campaign.Status.PUBLISHED
        and campaign.application_opens_at <= now < campaign.application_deadline
    ):
        # A demo database older than the campaign's window: nothing can be applied for any more.
        logger.warning("Demo applications skipped: %s is not open for applications.", campaign)
        return
    criteria = {criterion.code: criterion for criterion in campaign.criteria.all()}
    at = _story_clock(campaign)
    for plan in pending:
        _play(plan, teams[plan.team], campaign, criteria, at, returner)
