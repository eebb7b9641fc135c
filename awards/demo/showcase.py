"""The demo's showcase of typical examples (典型选树): after the 2025 naming, three of the sixteen named
teams record in their ledgers (台帐) what they did next, with photos, and in September 陕西省总工会's
staff feature them — "发现典型、培育典型、推广典型" — each with a headline and a story.

Idempotent: a ledger entry is found by its team and title, and a team with a standing feature is
left as it is.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from accounts.models import User
from core.demo import SHANGHAI, clock_at
from teams.demo.documents import ledger_file
from teams.models import LedgerAttachment, LedgerEntry
from teams.services import ledger_entry_save

from ..models import Feature, Title
from ..showcase import feature_save
from .texts import DECISION_DOCUMENT_NUMBER


@dataclass(frozen=True)
class Photo:
    """A ledger entry with its photo, as the team recorded it."""

    day: date
    kind: str
    title: str
    description: str
    file_name: str


@dataclass(frozen=True)
class Example:
    team: str
    headline: str
    story: str
    photos: tuple[Photo, ...]
    featured_on: datetime


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


EXAMPLES = [
    Example(
        team="细纱一车间乙班",
        headline="“接头快一秒、巡回早一步”，不让一个伙伴掉队",
        story=(
            "<p>细纱一车间乙班与赵梦桃小组同在一个车间，是赵梦桃小组的“娘家班”，先后向小组输送组长2名、"
            "骨干9名。每月的班前会，老组长都会来讲一次“梦桃故事”。</p>"
            "<p>班组推行<strong>“巡回操作一口清”</strong>：值车工对看管机台的品种、工艺、设备状况做到一口说清。"
            "靠着这套操作法，万锭用工由68人降至52人，细纱断头率降至每千锭时21根。</p>"
            "<p>“一师一徒、一月一测”是乙班的传帮带规矩：</p>"
            "<ul><li>新进值车工入班即与老师傅签订师带徒协议；</li>"
            "<li>接头、巡回、清洁三项操作每月测定一次；</li>"
            "<li>六个月内全部达到操作测定优二级。</li></ul>"
            "<p>职工家里有事，全班轮流替班。用班长的话说：</p>"
            "<blockquote>梦桃精神不是挂在墙上的，是接在每一根纱头上的。</blockquote>"
        ),
        photos=(
            Photo(
                date(2025, 8, 12),
                "training",
                "“一师一徒”接头操作现场测定",
                "老师傅与徒弟同台测定接头、巡回操作，三对师徒全部达到优二级以上。",
                "接头操作测定照片.jpg",
            ),
            Photo(
                date(2025, 8, 28),
                "activity",
                "赵梦桃小组老组长讲“梦桃故事”",
                "老组长到班前会讲“梦桃故事”，全班职工谈命名后的新目标。",
                "梦桃故事班前会照片.jpg",
            ),
        ),
        featured_on=_at(date(2025, 9, 8), 10, 20),
    ),
    Example(
        team="重症医学科护理班组",
        headline="把“送方便”送进重症监护室",
        story=(
            "<p>重症监护室的护士守在患者身边，家属却只能等在门外。重症医学科护理班组推出"
            "<strong>“ICU家属沟通日”</strong>，每天下午由责任护士向家属讲解病情和护理，让“送方便”走进监护室。</p>"
            "<p>班组引入护理质量敏感指标管理，把呼吸机相关性肺炎、导管相关血流感染、非计划性拔管等八项指标分解到责任组，"
            "每月分析、每季度通报。护理QC小组落实床头抬高、口腔护理和气囊压力监测集束化措施，"
            "呼吸机相关性肺炎发生率由千机日6.8例降至2.9例。</p>"
            "<p>“护士长—专科护士—责任护士”三级带教，两年培养重症专科护士5名。冬季重症患者集中收治期间，"
            "全班取消休假，连续四十天满床运转，<em>遇到抢救从不分班次</em>。</p>"
        ),
        photos=(
            Photo(
                date(2025, 8, 20),
                "activity",
                "“ICU家属沟通日”开放日",
                "责任护士向患者家属讲解病情、护理措施和探视须知，发放家属沟通手册。",
                "家属沟通日照片.jpg",
            ),
        ),
        featured_on=_at(date(2025, 9, 8), 10, 35),
    ),
    Example(
        team="断路器装配班",
        headline="把“工作实”落在每一颗螺栓上",
        story=(
            "<p>断路器装配班负责40.5千伏至252千伏高压断路器总装和机械特性调试。关键螺栓力矩双人复紧、划线标记，"
            "装配记录与产品一同出厂——这是班组的<strong>“一台一档”</strong>质量追溯，"
            "出厂试验一次合格率由98.6%提高到99.8%。</p>"
            "<p>针对机械特性调试耗时长的难题，班组研制“分合闸速度快速调整工装”，单台调试时间缩短40%，"
            "获国家实用新型专利。班里一人获“三秦工匠”称号。</p>"
            "<p>在特高压配套工程中，全班连续45天两班作业，提前9天完成126台断路器交付，受到用户书面表扬。"
            "班组的经验是：</p>"
            "<ol><li>质量追溯到人；</li><li>难题攻关到底；</li><li>徒弟一年内能独立完成一台断路器的装配调试。</li></ol>"
        ),
        photos=(
            Photo(
                date(2025, 8, 6),
                "innovation",
                "“分合闸速度快速调整工装”现场推广",
                "班组向兄弟班组演示快速调整工装的使用方法，单台调试时间缩短40%。",
                "快速调整工装推广照片.jpg",
            ),
            Photo(
                date(2025, 8, 26),
                "training",
                "“三秦工匠”带徒装配调试实操",
                "“三秦工匠”手把手带徒弟完成一台252千伏断路器的装配调试。",
                "工匠带徒实操照片.jpg",
            ),
        ),
        featured_on=_at(date(2025, 9, 8), 10, 50),
    ),
]


def seed_showcase() -> None:
    titles = {
        title.team_name: title
        for title in Title.objects.filter(
            decision__document_number=DECISION_DOCUMENT_NUMBER,
            team_name__in=[example.team for example in EXAMPLES],
            state=Title.State.NAMED,
        ).select_related("team")
    }
    staff = User.objects.filter(username="sheng_staff").first()
    if staff is None:
        return
    for example in EXAMPLES:
        title = titles.get(example.team)
        if title is None or Feature.objects.filter(title=title, withdrawn_at__isnull=True).exists():
            continue
        photos = [_ledger_photo(title, photo) for photo in example.photos]
        with clock_at(example.featured_on):
            feature_save(actor=staff, title=title, headline=example.headline, story=example.story, photos=photos)


def _ledger_photo(title: Title, photo: Photo) -> LedgerAttachment:
    """The team's ledger entry with its photo, recorded by its leader the next morning (as every demo
    ledger entry is recorded after its day)."""
    team = title.team
    entry = LedgerEntry.objects.filter(team=team, title=photo.title).first()
    if entry is None:
        with clock_at(_at(photo.day + timedelta(days=1), 8, 40)):
            saved = ledger_entry_save(
                actor=team.leaders.order_by("pk").first(),
                team=team,
                occurred_on=photo.day,
                kind=photo.kind,
                title=photo.title,
                description=photo.description,
                uploads=[ledger_file(team, photo.title, photo.description, photo.day, photo.file_name)],
            )
        if not saved.complete:
            raise RuntimeError(f"demo ledger photo of {team.name} refused: {saved.refused}")
        entry = saved.entry
    return entry.attachments.order_by("pk").first()
