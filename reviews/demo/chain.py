"""The demo's recommendation chain: the teams' applications are played (teams.demo.applications),
with each return decided where it happens in the chain — the grassroots union recommends first when
a city federation returns — and a few decisions after them, so that the queue and the path show work
at several levels: waiting at grassroots unions, returned by 西安市总工会 and resubmitted (waiting there
again), recommended up to the province and waiting there, accepted at the province, rejected, and the energy union's single place
used; and a campaign of 西安市总工会 whose grassroots deadline has passed with an application still
waiting below it (逾期未推荐). Idempotent as the applications' demo is: a played application is left
as it is."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import RoleAssignment, UnionUnit, User
from campaigns.models import Campaign, Category, CriteriaTemplate
from campaigns.services import campaign_close, campaign_create, campaign_publish
from core.demo import clock_at, days_ago
from teams.demo.applications import MENGTAO_DOCUMENT_NUMBER, seed_applications
from teams.demo.teams import demo_teams
from teams.models import Application, Team
from teams.services import application_save, application_start, application_submit

from ..models import Decision, Recommendation
from ..services import decision_record

RECOMMENDATION = "经审核，该班组申报材料真实完整，事迹突出，同意推荐。"


def _staff_of(unit) -> User:
    assignment = (
        RoleAssignment.objects.filter(unit=unit, role=RoleAssignment.Role.STAFF).select_related("user").order_by("pk")
    ).first()
    if assignment is None:
        raise LookupError(f"the demo has no staff member of {unit}")
    return assignment.user


def return_through_chain(application: Application, returner: User, reason: str) -> None:
    """Recommend the application up to the returner's unit (an hour apart, each by that unit's demo
    staff), then return it there with the reasons."""
    now = timezone.now()
    place = Recommendation.objects.select_related("unit").get(application=application)
    climbs = []
    while place.unit_id != returner.unit_id:
        climbs.append(place.unit)
        with clock_at(now - timedelta(hours=3) + timedelta(hours=len(climbs))):
            decision_record(
                actor=_staff_of(place.unit), application=application, kind="recommend", opinion=RECOMMENDATION
            )
        place.refresh_from_db()
    decision_record(actor=returner, application=application, kind="return", opinion=reason)


# (team, [(days ago, hour, minute, user name, decision, opinion)]): decisions after the applications'
# own story, each by the staff of the unit where the application waits at that moment.
# fmt: off
DECISIONS = [
    ("综采二队", [
        (24, 9, 30, "huangling_staff", "recommend", "该班组连续安全生产五年，综采工作面单产创矿井纪录，经工会委员会研究，同意推荐。"),
        (19, 15, 0, "nenghua_staff", "recommend", "经审核，申报材料真实完整，在全省能源化学地质系统具有示范作用，同意推荐（本单位推荐名额1名）。"),
        (6, 10, 40, "sheng_staff", "recommend", "经省总工会审核，同意进入专家评审。"),
    ]),
    ("装配一班", [
        (16, 10, 20, "dianji_staff", "recommend", "该班组质量创新成果显著，师带徒成效突出，经公司工会研究，同意推荐。"),
        (9, 15, 35, "xian_staff", "recommend", "经西安市总工会审核，该班组在全市装备制造行业具有示范作用，同意推荐。"),
    ]),
    ("熔制班", [
        (25, 11, 20, "boli_staff", "reject",
         "经公司工会审核，该班组本年度发生一起一般生产安全事故（已通报），按通知要求实行一票否决，不予推荐。"),
    ]),
]
# fmt: on


def _decide_story(team_name: str, steps: list) -> None:
    application = Application.objects.filter(
        team__name=team_name, campaign__document_number=MENGTAO_DOCUMENT_NUMBER
    ).first()
    if application is None or application.status != Application.Status.SUBMITTED:
        return
    if Decision.objects.filter(application=application).exists():
        return  # played before
    for days, hour, minute, username, kind, opinion in steps:
        with clock_at(days_ago(days, hour, minute)):
            decision_record(
                actor=User.objects.get(username=username), application=application, kind=kind, opinion=opinion
            )


def seed_chain() -> None:
    seed_applications(demo_teams(), returner=return_through_chain)
    for team_name, steps in DECISIONS:
        _decide_story(team_name, steps)
    seed_overdue()


# --- 逾期未推荐: a campaign of 西安市总工会 whose grassroots deadline has passed ----------------------

XIAN_DOCUMENT_NUMBER = "西工发〔2026〕8号"
XIAN_BODY = (
    "<div>各区县总工会、各基层工会：</div><div>为进一步加强班组建设，市总工会决定在全市开展2026年度"
    "“模范班组”创建活动。创建标准为“六好”：思想政治工作好、完成生产工作任务好、科学管理好、劳动竞赛好、"
    "组织建设好、安全文明生产好。各基层工会审核推荐后报市总工会。</div>"
)
# (team, statements of the six goods, days without an accident, submitted days ago)
XIAN_APPLICATIONS = [
    (
        "电气试验班",
        [
            "班组坚持每周一次政治理论学习，组织观看劳模事迹专题片，党员带头承担急难险重试验任务。",
            "全年完成高压开关柜出厂试验1860台次，试验一次合格率99.6%，无一台因试验原因返工。",
            "推行试验数据信息化管理，制定《试验作业标准化手册》，每项试验有记录、可追溯。",
            "参加公司职业技能竞赛获团体第二名，两名组员获“技术能手”称号。",
            "班组民主管理规范，建立班务公开栏，每月召开班组民主生活会。",
            "严格执行高压试验安全规程，全年无人身、设备事故，现场5S管理达标。",
        ],
        1460,
        30,
    ),
    (
        "信号维护班",
        [
            "班组常态化开展“学先进、当先锋”主题活动，青年职工积极向党组织靠拢。",
            "承担地铁2号线信号设备维护，全年设备完好率99.98%，故障平均修复时间缩短至18分钟。",
            "建立设备“一机一档”，推行计划修与状态修相结合，维护工作实现闭环管理。",
            "组织信号故障处置技能比武，班组获运营分公司“技能比武优胜班组”。",
            "班组骨干带徒3对，形成“老带新、新促老”的良好氛围。",
            "严格执行天窗作业制度，全年无责任行车事故，作业现场安全文明。",
        ],
        2190,
        25,
    ),
]


def _xian_campaign() -> Campaign | None:
    xian = UnionUnit.objects.filter(code="SX-XA").first()
    if xian is None:
        return None
    campaign = Campaign.objects.filter(organiser=xian, document_number=XIAN_DOCUMENT_NUMBER).first()
    if campaign is not None:
        return campaign
    staff = User.objects.get(username="xian_staff")
    today = timezone.localdate()
    # Every moment is read off the real clock before the demo clock is set (days_ago reads it).
    opens, deadline, grassroots_deadline = days_ago(65, 9, 0), days_ago(20, 17, 30), days_ago(3, 17, 30)
    recommendation_deadline = days_ago(0, 17, 30) + timedelta(days=5)
    created, published = days_ago(70, 10, 0), days_ago(66, 9, 30)
    with clock_at(created):
        campaign = campaign_create(
            actor=staff,
            organiser=xian,
            template=CriteriaTemplate.objects.get(category=Category.MODEL_TEAM, is_default=True),
            title="关于开展2026年度西安市“模范班组”创建活动的通知",
            category=Category.MODEL_TEAM,
            document_number=XIAN_DOCUMENT_NUMBER,
            body=XIAN_BODY,
            titles_to_award=20,
            application_opens_at=opens,
            application_deadline=deadline,
            recommendation_deadline=recommendation_deadline,
            level_deadlines={"grassroots": grassroots_deadline},
            review_starts_on=today + timedelta(days=6),
            review_ends_on=today + timedelta(days=15),
            naming_planned_on=today + timedelta(days=30),
        )
    with clock_at(published):
        campaign = campaign_publish(actor=staff, campaign=campaign)
    return campaign


def _xian_application(campaign: Campaign, team_name: str, statements: list[str], safe_days: int, days: int):
    team = Team.objects.filter(name=team_name, grassroots_union__code__startswith="SX-XA").first()
    if team is None or Application.objects.filter(team=team, campaign=campaign).exists():
        return None
    leader = team.leaders.order_by("pk").first()
    started, submitted = days_ago(days + 4, 15, 10), days_ago(days, 10, 20)
    with clock_at(started):
        application = application_start(actor=leader, team=team, campaign=campaign)
    criteria = {c.code: c for c in campaign.criteria.all()}
    with clock_at(submitted):
        application_save(
            actor=leader,
            application=application,
            summary=f"{team.name}坚持“六好”标准，{statements[1]}",
            account="\n\n".join(statements),
            answers={
                criteria[str(n)].pk: {
                    "statement": text,
                    "indicators": dict.fromkeys(criteria[str(n)].indicators, safe_days),
                }
                for n, text in enumerate(statements, start=1)
            },
        )
        return application_submit(actor=leader, application=application)


def seed_overdue() -> None:
    """Two applications to 西安市总工会's campaign: 电气试验班's recommended by its union in time and
    waiting at the city; 信号维护班's still waiting at its union after the grassroots deadline."""
    campaign = _xian_campaign()
    if campaign is None:
        return
    made = {
        name: _xian_application(campaign, name, statements, safe_days, days)
        for name, statements, safe_days, days in XIAN_APPLICATIONS
    }
    if campaign.status == Campaign.Status.PUBLISHED:
        with clock_at(days_ago(20, 17, 31)):
            campaign = campaign_close(actor=None, campaign=campaign)
    recommended = made.get("电气试验班")
    if recommended is not None:
        with clock_at(days_ago(8, 11, 0)):
            decision_record(
                actor=User.objects.get(username="dianji_staff"),
                application=recommended,
                kind="recommend",
                opinion="该班组试验质量稳定、安全管理规范，经公司工会研究，同意推荐。",
            )
