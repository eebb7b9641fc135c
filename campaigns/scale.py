"""The generated province's campaigns (`seed_scale`): notices in every state, made through the
services (they are few), each with its share of the applications the teams seeder loads — the current
year's, those of the years before whose teams were named (awards/scale.py names them), and one of the
current year whose review is over and whose shortlist is on public notice."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import UnionUnit
from core.demo import SHANGHAI, clock_at
from core.scale import ScaleContext

from .criteria_sets import ensure_default_templates
from .demo import MENGTAO_BODY, STUDIO_BODY
from .models import Category, CriteriaTemplate
from .services import (
    campaign_cancel,
    campaign_close,
    campaign_conclude,
    campaign_create,
    campaign_publish,
    quotas_save,
)

PIONEER_BODY = "<div>各市总工会、各产业工会：</div><div><br>为表彰在推动高质量发展中作出突出贡献的先进集体，省总工会决定开展“工人先锋号”创建评选活动。</div>"
MODEL_TEAM_BODY = "<div>各基层工会：</div><div><br>按照思想政治工作好、完成生产工作任务好、科学管理好、劳动竞赛好、组织建设好、安全文明生产好的“六好”标准，开展模范班组评选。</div>"


@dataclass(frozen=True)
class Plan:
    key: str
    title: str
    number: str
    category: str
    organiser: str  # "root", or a unit code
    state: str  # draft, open, closed, concluded, cancelled
    opened_days_ago: int  # when applications opened
    share: float  # of all the applications
    # Titles to award, per team of the province and unit of `share`: the earlier years' campaigns
    # name more of their applications than the current ones, so that the registry holds about
    # 10,000 named teams at province size.
    title_share: float = 0.05
    # A closed campaign whose expert review is over: shortlisted (拟命名) and on public notice now.
    reviewed: bool = False

    @property
    def review_over(self) -> bool:
        """Every review is in and the shortlist is made (a concluded campaign, or a reviewed one)."""
        return self.state == "concluded" or self.reviewed


PLANS = [
    Plan(
        "mengtao-2026",
        "关于学习贯彻习近平总书记亲切勉励精神创建“梦桃式班组”的通知",
        "陕工发〔2026〕12号",
        Category.MENGTAO,
        "root",
        "open",
        45,
        0.35,
    ),
    Plan(
        "mengtao-2025",
        "关于开展2025年度“梦桃式班组”创建活动的通知",
        "陕工发〔2025〕9号",
        Category.MENGTAO,
        "root",
        "concluded",
        400,
        0.20,
    ),
    Plan(
        "mengtao-2024",
        "关于开展2024年度“梦桃式班组”创建活动的通知",
        "陕工发〔2024〕11号",
        Category.MENGTAO,
        "root",
        "concluded",
        760,
        0.15,
    ),
    Plan(
        "pioneer-2026",
        "关于开展2026年陕西省“工人先锋号”创建评选活动的通知",
        "陕工发〔2026〕5号",
        Category.PIONEER,
        "root",
        "closed",
        120,
        0.10,
    ),
    Plan(
        "studio-2026",
        "关于开展2026年度劳模(职工)创新工作室创建命名工作的通知",
        "陕工发〔2026〕21号",
        Category.STUDIO,
        "root",
        "open",
        30,
        0.08,
    ),
    Plan(
        "model-team-2026",
        "关于开展2026年度模范班组评选活动的通知",
        "陕工发〔2026〕26号",
        Category.MODEL_TEAM,
        "root",
        "open",
        20,
        0.05,
    ),
    Plan(
        "city-2026",
        "关于开展全市“梦桃式班组”创建活动的通知",
        "西工发〔2026〕8号",
        Category.MENGTAO,
        "SC-01",
        "open",
        25,
        0.04,
    ),
    Plan(
        "industry-2026",
        "关于在全省能源化学地质系统开展“梦桃式班组”创建活动的通知",
        "陕能化工发〔2026〕3号",
        Category.MENGTAO,
        "SC-I01",
        "open",
        15,
        0.03,
    ),
    Plan(
        "cancelled-2026",
        "关于开展2026年度职工技术创新成果评选的通知",
        "陕工发〔2026〕17号",
        Category.OTHER,
        "root",
        "cancelled",
        60,
        0.0,
    ),
    # The current year's campaign of the first city, reviewed and on public notice now (awards/scale.py).
    Plan(
        "city-pioneer-2026",
        "关于开展2026年度西安市“工人先锋号”创建评选活动的通知",
        "西工发〔2026〕5号",
        Category.PIONEER,
        "SC-01",
        "closed",
        108,
        0.03,
        title_share=0.5,
        reviewed=True,
    ),
    # The earlier years' concluded campaigns whose named teams fill the registry (awards/scale.py).
    *(
        Plan(key, title, number, category, "root", "concluded", days, 0.016, title_share=0.75)
        for key, title, number, category, days in [
            (
                "mengtao-2023",
                "关于开展2023年度“梦桃式班组”创建活动的通知",
                "陕工发〔2023〕10号",
                Category.MENGTAO,
                1125,
            ),
            ("mengtao-2022", "关于开展2022年度“梦桃式班组”创建活动的通知", "陕工发〔2022〕8号", Category.MENGTAO, 1490),
            (
                "pioneer-2025",
                "关于开展2025年陕西省“工人先锋号”创建评选活动的通知",
                "陕工发〔2025〕4号",
                Category.PIONEER,
                485,
            ),
            (
                "pioneer-2024",
                "关于开展2024年陕西省“工人先锋号”创建评选活动的通知",
                "陕工发〔2024〕5号",
                Category.PIONEER,
                850,
            ),
            (
                "model-team-2025",
                "关于开展2025年度模范班组评选活动的通知",
                "陕工发〔2025〕25号",
                Category.MODEL_TEAM,
                385,
            ),
            (
                "model-team-2024",
                "关于开展2024年度模范班组评选活动的通知",
                "陕工发〔2024〕24号",
                Category.MODEL_TEAM,
                750,
            ),
            (
                "studio-2025",
                "关于开展2025年度劳模(职工)创新工作室创建命名工作的通知",
                "陕工发〔2025〕20号",
                Category.STUDIO,
                410,
            ),
        ]
    ),
    Plan(
        "mengtao-2027",
        "关于开展2027年度“梦桃式班组”创建活动的通知",
        "陕工发〔2027〕1号",
        Category.MENGTAO,
        "root",
        "draft",
        -30,
        0.0,
    ),
]

BODIES = {Category.STUDIO: STUDIO_BODY, Category.PIONEER: PIONEER_BODY, Category.MODEL_TEAM: MODEL_TEAM_BODY}


def _at(moment: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(timezone.localtime(moment).date(), time(hour, minute), tzinfo=SHANGHAI)


def _template(category: str) -> CriteriaTemplate:
    templates = CriteriaTemplate.objects.filter(is_default=True)
    return templates.filter(category=category).first() or templates.get(category=Category.MENGTAO)


def seed(context: ScaleContext) -> None:
    context.phases.run("campaigns", lambda: _seed_campaigns(context))


def _seed_campaigns(context: ScaleContext) -> int:
    ensure_default_templates()
    root: UnionUnit = context.shared["root"]
    units = context.shared["units_by_code"]
    staff = context.shared["bench_users"]["organiser"]
    now = context.now
    campaigns = []
    for plan in PLANS:
        organiser = root if plan.organiser == "root" else UnionUnit.objects.get(pk=units[plan.organiser])
        opens = _at(now - timedelta(days=plan.opened_days_ago), 9)
        deadline = _at(opens + timedelta(days=75 if plan.state == "open" else 60), 17, 30)
        recommendation = deadline + timedelta(days=15)
        review_starts = timezone.localtime(recommendation).date() + timedelta(days=1)
        with clock_at(opens - timedelta(days=5)):
            campaign = campaign_create(
                actor=staff,
                organiser=organiser,
                template=_template(plan.category),
                title=plan.title,
                category=plan.category,
                document_number=plan.number,
                body=BODIES.get(plan.category, MENGTAO_BODY),
                titles_to_award=max(10, int(context.size.teams * plan.share * plan.title_share)),
                application_opens_at=opens,
                application_deadline=deadline,
                recommendation_deadline=recommendation,
                review_starts_on=review_starts,
                review_ends_on=review_starts + timedelta(days=14),
                naming_planned_on=review_starts + timedelta(days=35),
            )
            children = list(UnionUnit.objects.get_children(organiser))
            if children:
                each = max(1, campaign.titles_to_award * 2 // len(children))
                quotas_save(actor=staff, campaign=campaign, quotas=dict.fromkeys(children, each))
        if plan.state != "draft":
            with clock_at(opens - timedelta(days=2)):
                campaign = campaign_publish(actor=staff, campaign=campaign)
        if plan.state in ("closed", "concluded"):
            with clock_at(deadline + timedelta(hours=1)):
                campaign = campaign_close(actor=None, campaign=campaign)
        if plan.state == "concluded":
            with clock_at(deadline + timedelta(days=90)):
                campaign = campaign_conclude(actor=staff, campaign=campaign)
        if plan.state == "cancelled":
            with clock_at(opens + timedelta(days=3)):
                campaign = campaign_cancel(
                    actor=staff, campaign=campaign, reason="经研究，本次评选并入年度“梦桃式班组”创建活动。"
                )
        campaigns.append((plan, campaign))
    context.shared["campaigns"] = campaigns
    return len(campaigns)
