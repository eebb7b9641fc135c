"""Demo teams: twenty teams across the demo province, with members, mentor-apprentice pairs, their
ledgers (台帐), and applications to the 梦桃式班组 campaign (teams/demo_applications.py).

Idempotent: a team is found by its grassroots union and name, a ledger entry by its team and title.
The demo account `leader` leads 赵梦桃小组; the other teams have leaders without a password (they
would be invited by e-mail).
"""

from datetime import date, timedelta
from itertools import cycle

from django.utils import timezone

from accounts.models import UnionUnit, User
from accounts.services import user_create

from .demo_applications import demo_file, seed_applications
from .models import Member, Team
from .services import ledger_entry_save, member_save, mentor_pair_save, team_approve, team_register, team_reject

# (grassroots union code, team name, enterprise department, industry, status)
TEAMS = [
    ("SX-XY-001", "赵梦桃小组", "细纱车间", "C", "approved"),
    ("SX-XY-001", "细纱二车间甲班", "细纱车间", "C", "approved"),
    ("SX-XY-001", "织布车间乙班", "织布车间", "C", "pending"),
    ("SX-XY-002", "熔制班", "熔制车间", "C", "approved"),
    ("SX-XY-002", "成型班", "成型车间", "C", "approved"),
    ("SX-XY-003", "心内科护理班组", "心血管内科", "Q", "approved"),
    ("SX-XY-004", "综采一队", "综采工区", "B", "approved"),
    ("SX-XY-004", "机电班", "机电工区", "B", "rejected"),
    ("SX-XA-001", "装配一班", "总装车间", "C", "approved"),
    ("SX-XA-001", "电气试验班", "试验站", "C", "approved"),
    ("SX-XA-002", "2号线乘务一班", "乘务中心", "G", "approved"),
    ("SX-XA-002", "信号维护班", "通号中心", "G", "approved"),
    ("SX-XA-003", "急诊护理班组", "急诊科", "Q", "approved"),
    ("SX-XA-WY-001", "焊装班", "焊装车间", "C", "approved"),
    ("SX-XA-WY-001", "涂装班", "涂装车间", "C", "pending"),
    ("SX-XA-WY-002", "精密加工班", "机加车间", "C", "approved"),
    ("SX-NH-001", "综采二队", "综采工区", "B", "approved"),
    ("SX-NH-002", "常减压装置一班", "常减压车间", "C", "approved"),
    ("SX-NH-003", "焊接突击队", "安装分公司", "E", "approved"),
    ("SX-NH-003", "管道安装班", "安装分公司", "E", "approved"),
]

NAMES = cycle(
    [
        "王建华",
        "李秀英",
        "张志强",
        "刘芳",
        "陈静",
        "杨帆",
        "赵磊",
        "黄丽",
        "周勇",
        "吴敏",
        "徐涛",
        "孙燕",
        "马超",
        "朱红",
        "胡军",
        "郭婷",
        "何伟",
        "高娟",
        "林峰",
        "罗霞",
        "梁斌",
        "宋洁",
        "郑凯",
        "谢琳",
        "韩冰",
        "唐亮",
        "冯雪",
        "于洋",
        "董梅",
        "萧然",
    ]
)
GRADES = cycle(["senior_technician", "technician", "senior", "senior", "intermediate", "intermediate", "junior"])
POSITIONS = cycle(["值车工", "操作工", "维修工", "质检员", "技术员", "操作工"])


# fmt: off
# The ledger of most approved teams: (kind, title, description, attached file or None).
LEDGER = {
    "赵梦桃小组": [
        ("activity", "学习习近平总书记亲切勉励精神专题会", "全组职工集中学习习近平总书记对赵梦桃小组的亲切勉励，结合岗位谈体会，重温“高标准、严要求、行动快、工作实、抢困难、送方便”的小组精神。", "专题会签到表.pdf"),
        ("innovation", "QC成果“降低细纱断头率”发布", "QC小组针对细纱断头率偏高的问题开展攻关，通过优化钢丝圈选型和巡回路线，断头率由每千锭时28根降至19根，成果在集团QC成果发布会上发布。", "QC成果报告.pdf"),
        ("innovation", "“五小”成果：粗纱防缠绕导纱装置", "值车工自制粗纱防缠绕导纱装置，减少粗纱缠绕造成的停台，年节约成本约3万元，列入公司“五小”成果。", None),
        ("training", "师带徒结对暨“不让一个伙伴掉队”帮扶签约", "组内5名老师傅与新进值车工结对，签订师带徒协议，明确接头、巡回、清洁操作三项考核指标，按月考核。", "师带徒协议.pdf"),
        ("award", "被授予全国“工人先锋号”称号", "小组被中华全国总工会授予“工人先锋号”称号，全组在车间召开座谈会，表示要把“梦桃精神”一代一代传下去。", "工人先锋号证书.png"),
    ],
    "细纱二车间甲班": [
        ("innovation", "合理化建议“细纱机吸棉笛管清洁周期调整”被采纳", "班组提出按品种调整吸棉笛管清洁周期的建议，被车间采纳推广，断头后吸棉不良现象明显减少。", None),
        ("training", "细纱值车工操作技术比武", "班组开展接头、巡回、清洁单项操作比武，三名青年值车工操作测定达到优一级。", "比武成绩汇总表.pdf"),
        ("safety", "安全生产月应急疏散演练", "结合安全生产月开展车间火灾应急疏散演练，全班职工熟练掌握灭火器使用和疏散路线。", "演练照片.png"),
    ],
    "熔制班": [
        ("innovation", "专利“玻璃窑炉池壁冷却风量调节装置”获授权", "班组研制的池壁冷却风量调节装置获国家实用新型专利授权，年节约电耗约12万千瓦时。", "专利证书.pdf"),
        ("activity", "窑炉冷修“抢困难”攻坚", "窑炉冷修期间全班连续奋战20天，提前3天完成点火烤窑，保证了生产线按期恢复。", None),
        ("safety", "高温作业劳动保护用品升级", "为看火岗位更换隔热服、防护面罩，在窑头增设隔热屏，改善高温作业环境。", None),
        ("training", "窑炉看火工“师带徒”传帮带", "两名老看火工与青年职工签订师带徒协议，传授火焰调节和液面控制经验。", None),
    ],
    "心内科护理班组": [
        ("innovation", "护理QC成果“降低PICC导管相关感染率”", "护理QC小组规范导管维护流程，PICC导管相关感染率由1.2‰降至0.4‰，成果获医院QC成果一等奖。", "QC成果报告.pdf"),
        ("training", "“护士长带新人”心电监护规范化带教", "护士长带领高年资护士对新入职护士开展心电监护、除颤仪使用等技能带教，考核合格率100%。", None),
        ("safety", "患者安全目标专项检查", "对照患者安全目标开展身份识别、用药安全、防跌倒专项自查，整改问题9项。", None),
        ("award", "获市“巾帼文明岗”称号", "班组被咸阳市妇联、市总工会授予“巾帼文明岗”称号。", "巾帼文明岗牌匾.png"),
    ],
    "综采一队": [
        ("safety", "实现连续安全生产1000天", "综采一队实现连续安全生产1000天，矿工会为全队颁发安全生产纪念奖。", "安全生产记录.pdf"),
        ("innovation", "“五小”成果：液压支架快速拆装工具", "职工自制液压支架快速拆装工具，支架检修时间缩短三分之一，获矿“五小”成果一等奖。", None),
        ("training", "综采工“手指口述”安全确认培训", "全队开展“手指口述”安全确认培训和岗位描述考核，青工岗位达标率100%。", None),
        ("innovation", "合理化建议“采煤机截齿更换流程优化”被采纳", "建议调整截齿更换顺序并配备专用工具，被矿采纳，每次更换节约工时约40分钟。", None),
    ],
    "装配一班": [
        ("innovation", "“五小”成果：GIS母线筒装配定位工装", "班组研制GIS母线筒装配定位工装，装配效率提高30%，一次装配合格率提升至99.6%。", "工装照片.png"),
        ("training", "装配钳工“师带徒”月度考核", "对三对师徒开展月度实操考核，徒弟均能独立完成断路器装配。", None),
        ("award", "获省“工人先锋号”称号", "班组被陕西省总工会授予“工人先锋号”称号。", None),
        ("safety", "起重吊装作业专项安全培训", "邀请公司安全部讲授起重吊装“十不吊”，全员考试合格后持证作业。", None),
    ],
    "电气试验班": [
        ("innovation", "专利“高压开关柜局部放电检测辅助夹具”获授权", "班组研制的局部放电检测辅助夹具获国家实用新型专利授权，检测效率提高40%。", "专利证书.pdf"),
        ("training", "试验员持证上岗培训", "组织新进试验员参加高压试验上岗培训，四人全部取得上岗证。", None),
    ],
    "2号线乘务一班": [
        ("activity", "春运客流高峰“行动快、送方便”保障", "春运期间全班主动加开列车，坚持站台引导和文明服务，圆满完成运输保障任务。", None),
        ("training", "电客车司机应急故障处置演练", "模拟列车车门故障、区间迫停等场景开展应急演练，提升司机应急处置能力。", "演练方案.pdf"),
        ("safety", "安全行车100万公里", "班组累计安全行车突破100万公里，运营公司予以通报表扬。", None),
        ("innovation", "合理化建议“折返站换端作业卡控优化”被采纳", "优化折返站换端作业卡控程序，折返作业时间缩短15秒，被运营分公司采纳推广。", None),
    ],
    "信号维护班": [
        ("innovation", "QC成果“缩短道岔故障处理时间”", "QC小组梳理道岔故障处理流程，编制故障速查手册，平均处理时间由18分钟缩短至11分钟。", "QC成果报告.pdf"),
        ("safety", "天窗点作业安全卡控", "严格执行天窗点作业“请点、销点”制度，全年无作业安全事件。", None),
    ],
    "急诊护理班组": [
        ("training", "急危重症抢救技能培训", "开展心肺复苏、气管插管配合、创伤急救技能培训，全员通过考核。", "培训签到表.pdf"),
        ("innovation", "“五小”成果：急诊转运监护固定架", "护士自制转运监护固定架，转运途中监护设备脱落事件降为零。", "固定架照片.png"),
        ("activity", "“送方便”社区急救知识宣讲", "走进社区开展心肺复苏和海姆立克急救法宣讲，培训居民200余人次。", None),
        ("award", "获市“优秀护理团队”称号", "班组被西安市卫生健康委员会评为“优秀护理团队”。", None),
    ],
    "焊装班": [
        ("innovation", "QC成果“降低车门总成焊点虚焊率”", "QC小组优化焊接参数和电极修磨频次，虚焊率由0.9%降至0.2%。", "QC成果报告.pdf"),
        ("training", "焊工技能比武暨师带徒成果展示", "组织电阻点焊和二保焊技能比武，两名徒弟获一等奖并晋升高级工。", None),
        ("safety", "焊接烟尘治理与防护设施改造", "在焊接工位加装烟尘净化装置，为职工配发新型防护面罩。", "改造现场照片.png"),
    ],
    "综采二队": [
        ("safety", "实现连续安全生产1500天", "综采二队实现连续安全生产1500天，公司工会予以表彰。", "安全生产记录.pdf"),
        ("innovation", "专利“刮板输送机链条张紧检测装置”获授权", "班组研制的链条张紧检测装置获国家实用新型专利授权，断链事故大幅减少。", "专利证书.pdf"),
        ("training", "智能化综采工作面操作培训", "十名青工参加智能化综采工作面操作培训，全部取得操作资格。", None),
        ("award", "获省“工人先锋号”称号", "综采二队被陕西省总工会授予“工人先锋号”称号。", None),
    ],
    "常减压装置一班": [
        ("innovation", "合理化建议“常压炉烟气余热回收优化”被采纳", "建议调整空气预热器运行方式，被公司采纳，年节约燃料气约80万立方米。", None),
        ("safety", "装置停工检修“零事故”", "装置停工检修期间严格执行作业许可制度，实现检修“零事故、零污染”。", "检修总结.pdf"),
        ("training", "内操DCS仿真培训", "利用仿真系统开展开停工和事故处理训练，内操人员全部通过考核。", None),
    ],
    "焊接突击队": [
        ("innovation", "“五小”成果：大口径管道自动焊轨道快速安装卡具", "职工自制轨道快速安装卡具，自动焊轨道安装时间缩短一半。", "卡具照片.png"),
        ("training", "高级焊工“名师带徒”培训班", "举办高级焊工培训班，由省级技能大师授课，八名徒弟通过高级工鉴定。", "培训班名单.pdf"),
        ("safety", "受限空间作业安全专项整治", "开展受限空间作业专项整治，配齐气体检测仪和通风设备，严格执行作业审批。", None),
        ("award", "获省“青年突击队”称号", "突击队被共青团陕西省委授予“青年突击队”称号。", None),
    ],
    "精密加工班": [
        ("innovation", "QC成果“提高薄壁零件加工精度合格率”", "QC小组改进装夹方式和切削参数，薄壁零件加工精度合格率由92%提高到98.5%。", "QC成果报告.pdf"),
        ("training", "数控车工“师带徒”技能提升", "两对师徒开展数控编程和精密测量专项训练，徒弟取得中级工证书。", None),
    ],
}
# Every ledger above also records the team's study of the notice, a few days ago.
NOTICE_STUDY = ("activity", "学习省总工会创建“梦桃式班组”通知", "组织班组成员学习省总工会《关于学习贯彻习近平总书记亲切勉励精神创建“梦桃式班组”的通知》，对照创建内容的五个方面查找差距，制定班组创建计划。", None)
# fmt: on


def _leader(index: int, union: UnionUnit, team_name: str) -> User:
    if index == 0:
        return User.objects.get(username="leader")
    username = f"leader{index:02d}"
    existing = User.objects.filter(username=username).first()
    return existing or user_create(
        actor=None, username=username, name=f"{team_name}班组长", email=f"{username}@example.org.cn", unit=union
    )


def seed() -> None:
    _seed_teams()
    demo = {(code, name) for code, name, *_rest in TEAMS}  # the demo's team names are unique
    teams = {
        team.name: team
        for team in Team.objects.filter(name__in=[name for _code, name in demo]).select_related("grassroots_union")
        if (team.grassroots_union.code, team.name) in demo
    }
    _seed_ledger(teams)
    seed_applications(teams)


def _seed_ledger(teams: dict[str, Team]) -> None:
    today = timezone.localdate()
    for index, (name, entries) in enumerate(LEDGER.items()):
        team = teams[name]
        if team.status != Team.Status.APPROVED:
            continue
        leader = team.leaders.order_by("pk").first()
        recorded = set(team.ledger_entries.values_list("title", flat=True))
        for number, (kind, title, description, file_name) in enumerate([*entries, NOTICE_STUDY]):
            if title in recorded:
                continue
            # Spread over the past two years; the study of the notice is recent.
            days_ago = 5 + index % 4 if number == len(entries) else 30 + (index * 61 + number * 137) % 680
            saved = ledger_entry_save(
                actor=leader,
                team=team,
                occurred_on=today - timedelta(days=days_ago),
                kind=kind,
                title=title,
                description=description,
                uploads=[demo_file(file_name, f"{name} {title}")] if file_name else (),
            )
            if not saved.complete:
                raise RuntimeError(f"demo ledger file of {name} refused: {saved.refused}")


def _seed_teams() -> None:
    reviewer = User.objects.get(username="sheng_staff")
    founded = date(2015, 3, 1)
    for index, (code, name, department, industry, status) in enumerate(TEAMS):
        union = UnionUnit.objects.get(code=code)
        if Team.objects.filter(grassroots_union=union, name=name).exists():
            continue
        leader = _leader(index, union, name)
        team = team_register(
            actor=leader,
            grassroots_union=union,
            name=name,
            enterprise=f"{union.enterprise}{department}",
            industry=industry,
            region=union.region,
            category="mengtao",
            founded_on=founded + timedelta(days=97 * index),
            description=f"{name}坚持“高标准、严要求、行动快、工作实、抢困难、送方便”，开展师带徒和“五小”活动。",
        )
        members = [
            member_save(
                actor=leader,
                team=team,
                name=next(NAMES) if n else leader.name if index == 0 else next(NAMES),
                position=next(POSITIONS),
                skill_grade=next(GRADES),
                role=Member.Role.LEADER if n == 0 else Member.Role.DEPUTY if n == 1 else Member.Role.MEMBER,
                joined_on=founded + timedelta(days=97 * index + 30 * n),
            )
            for n in range(6 + index % 5)
        ]
        mentor_pair_save(
            actor=leader,
            team=team,
            mentor=members[0],
            apprentice=members[-1],
            started_on=date(2025, 3, 1),
            outcome="徒弟通过中级工技能鉴定" if index % 2 else "",
        )
        if status == "approved":
            team_approve(actor=reviewer, team=team)
        elif status == "rejected":
            team_reject(actor=reviewer, team=team, reason="所在单位名称填写不完整，请补充车间全称后重新提交。")
