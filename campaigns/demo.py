"""Demo campaigns: the Shaanxi 梦桃式班组 notice, published, and a 劳模创新工作室 (七有) notice in draft.

Idempotent: a campaign is found by its organiser and document number. The 梦桃式班组 notice was
drafted seven weeks ago and published a few days later; applications opened six and a half weeks
ago and close in a month, so that the demo's applications came in over the weeks in between.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import UnionUnit, User
from core.demo import SHANGHAI, clock_at, days_ago

from .criteria_sets import ensure_default_templates
from .models import Campaign, Category, CriteriaTemplate
from .services import campaign_create, campaign_publish, quotas_save

MENGTAO_BODY = """
<div>各市总工会、各产业工会，各基层工会：</div>
<div><br>为深入学习贯彻习近平总书记对赵梦桃小组的亲切勉励精神，弘扬好、传承好、发展好“梦桃精神”，进一步加强企业班组建设，提升企业核心竞争力，促进职工全面发展，省总工会决定在全省范围开展创建“梦桃式班组”工作。现将有关事项通知如下。</div>
<h1>一、创建内容</h1>
<div>创建工作内容包括积极践行“梦桃精神”、提升管理创新水平、营造技能创新氛围、加强质量(服务)创新能力、勇于担当作为等五个方面。要将创建具有“梦桃精神”的优秀班组，与创建“工人先锋号”活动和开展“五小”活动相结合，传承和弘扬“高标准、严要求、行动快、工作实、抢困难、送方便”和“不让一个伙伴掉队”的“梦桃精神”。</div>
<h1>二、工作要求</h1>
<ul><li>重视职工思想教育和技能人才培养，引导职工爱岗敬业，广泛开展名师带徒活动，建立“师带徒”考核和激励机制；</li>
<li>加强安全管理，改善劳动保护用品、防护设施，确保班组安全生产；</li>
<li>加强班组绩效管理，合理设计班组考核制度、考核指标，以制度措施为杠杆调动职工创新创效活力；</li>
<li>倡导创新和竞争意识，形成“比学赶帮超”的环境与氛围，经常开展技术攻关、小改小革、合理化建议等群众性创新活动；</li>
<li>开展QC小组攻关活动，推广运用节能降耗的新技术、新工艺、新设备和新材料，提高产品质量和服务水平。</li></ul>
<h1>三、申报推荐</h1>
<div>班组在本系统中登记并填写申报表，经所在基层工会审核后，逐级推荐至省总工会。各推荐单位须在规定名额内推荐，并填写推荐意见。省总工会组织专家评审，拟命名名单向社会公示5个工作日。</div>
<div><br>要以创建工作为契机，发现典型、培育典型、推广典型，充分发挥典型的示范、带动和引领作用，教育引导广大职工发扬梦桃精神，甘于奉献、勇于创新、精益求精，争做新时代的最美奋斗者。</div>
"""

STUDIO_BODY = """
<div>各基层工会：</div>
<div><br>为大力弘扬劳模精神、劳动精神、工匠精神，充分发挥劳动模范和高技能人才的示范、引领和辐射作用，按照“培养一个、成熟一个、命名一个”的原则，开展劳模(职工)创新工作室创建命名工作。创建单位须符合有标识、有场所、有经费、有成员、有制度、有台帐、有成果的“七有”标准。</div>
"""


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def seed() -> None:
    ensure_default_templates()
    province = UnionUnit.objects.get(code="SX")
    staff = User.objects.get(username="sheng_staff")
    today = timezone.localdate()
    if not Campaign.objects.filter(organiser=province, document_number="陕工发〔2026〕12号").exists():
        _seed_mengtao(province, staff, today)
    if not Campaign.objects.filter(organiser=province, document_number="陕工发〔2026〕21号").exists():
        with clock_at(days_ago(5, 16, 10)):
            campaign_create(
                actor=staff,
                organiser=province,
                template=CriteriaTemplate.objects.get(category=Category.STUDIO, is_default=True),
                title="关于开展2026年度劳模(职工)创新工作室创建命名工作的通知",
                category=Category.STUDIO,
                document_number="陕工发〔2026〕21号",
                body=STUDIO_BODY,
                titles_to_award=20,
                application_opens_at=_at(today + timedelta(days=20), 9),
                application_deadline=_at(today + timedelta(days=60), 17, 30),
                recommendation_deadline=_at(today + timedelta(days=75), 17, 30),
                review_starts_on=today + timedelta(days=76),
                review_ends_on=today + timedelta(days=90),
                naming_planned_on=today + timedelta(days=110),
            )


# The energy and chemical industry union has a single place: the demo shows it used up.
QUOTAS = {"SX-NH": 1}


def _seed_mengtao(province: UnionUnit, staff: User, today: date) -> None:
    with clock_at(days_ago(52, 15, 20)):
        mengtao = campaign_create(
            actor=staff,
            organiser=province,
            template=CriteriaTemplate.objects.get(category=Category.MENGTAO, is_default=True),
            title="关于学习贯彻习近平总书记亲切勉励精神创建“梦桃式班组”的通知",
            category=Category.MENGTAO,
            document_number="陕工发〔2026〕12号",
            body=MENGTAO_BODY,
            titles_to_award=30,
            application_opens_at=_at(today - timedelta(days=45), 9),
            application_deadline=_at(today + timedelta(days=30), 17, 30),
            recommendation_deadline=_at(today + timedelta(days=45), 17, 30),
            review_starts_on=today + timedelta(days=46),
            review_ends_on=today + timedelta(days=60),
            naming_planned_on=today + timedelta(days=80),
        )
    with clock_at(days_ago(50, 10, 5)):
        quotas_save(
            actor=staff,
            campaign=mengtao,
            quotas={
                unit: QUOTAS.get(unit.code, 12 if unit.kind == UnionUnit.Kind.CITY else 8)
                for unit in UnionUnit.objects.get_children(province)
            },
        )
    with clock_at(days_ago(49, 9, 40)):
        campaign_publish(actor=staff, campaign=mengtao)
