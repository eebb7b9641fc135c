"""The demo's ledgers (台帐): what twenty teams did over the last two years, with their files.

An entry is found by its team and title. Each was typed in the day after it happened or, for what
happened before the team registered, in the evenings after its approval. The teams that apply to
the 梦桃式班组 notice also record their study of it, in the days after it was published.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from core.demo import SHANGHAI, clock_at

from ..models import Team
from ..services import ledger_entry_save
from .documents import ledger_file
from .teams import approved_at
from .texts import TEXTS

# The ledger of most approved teams: (kind, title, description, attached file or None). A photo's
# banner reads the team's name and the entry's title; a PDF takes the form its name announces.
# fmt: off
LEDGER = {
    "赵梦桃小组": [
        ("activity", "学习习近平总书记亲切勉励精神专题会", "全组职工集中学习习近平总书记对赵梦桃小组的亲切勉励，结合岗位谈体会，重温“高标准、严要求、行动快、工作实、抢困难、送方便”的小组精神。", "专题学习会签到表.pdf"),
        ("innovation", "QC成果“降低细纱断头率”发布", "QC小组针对细纱断头率偏高的问题开展攻关，通过优化钢丝圈选型和巡回路线，断头率由每千锭时28根降至19根，成果在集团QC成果发布会上发布。", "细纱车间QC成果发布材料.pdf"),
        ("innovation", "“五小”成果：粗纱防缠绕导纱装置", "值车工自制粗纱防缠绕导纱装置，减少粗纱缠绕造成的停台，年节约成本约3万元，列入公司“五小”成果。", None),
        ("training", "师带徒结对暨“不让一个伙伴掉队”帮扶签约", "组内老师傅与新进值车工结对，签订师带徒协议，明确接头、巡回、清洁操作三项考核指标，按月考核。", "师带徒结对协议书.pdf"),
        ("award", "全国“工人先锋号”授牌仪式", "小组被中华全国总工会授予“工人先锋号”称号，全组在车间召开座谈会，表示要把“梦桃精神”一代一代传下去。", "工人先锋号授牌仪式照片.jpg"),
    ],
    "细纱二车间甲班": [
        ("innovation", "合理化建议“细纱机吸棉笛管清洁周期调整”被采纳", "班组提出按品种调整吸棉笛管清洁周期的建议，被车间采纳推广，断头后吸棉不良现象明显减少。", None),
        ("training", "细纱值车工操作技术比武", "班组开展接头、巡回、清洁单项操作比武，三名青年值车工操作测定达到优一级。", "操作比武成绩汇总表.pdf"),
        ("safety", "安全生产月应急疏散演练", "结合安全生产月开展车间火灾应急疏散演练，全班职工熟练掌握灭火器使用和疏散路线。", "班组安全活动照片.jpg"),
    ],
    "熔制班": [
        ("innovation", "专利“玻璃窑炉池壁冷却风量调节装置”获授权", "班组研制的池壁冷却风量调节装置获国家实用新型专利授权，年节约电耗约12万千瓦时。", "专利成果登记表.pdf"),
        ("activity", "窑炉冷修“抢困难”攻坚", "窑炉冷修期间全班连续奋战20天，提前3天完成点火烤窑，保证了生产线按期恢复。", None),
        ("safety", "高温作业劳动保护用品升级", "为看火岗位更换隔热服、防护面罩，在窑头增设隔热屏，改善高温作业环境。", "劳保用品发放签到表.pdf"),
        ("training", "窑炉看火工“师带徒”传帮带", "两名老看火工与青年职工签订师带徒协议，传授火焰调节和液面控制经验。", "看火工师带徒协议书.pdf"),
    ],
    "心内科护理班组": [
        ("innovation", "护理QC成果“降低PICC导管相关感染率”", "护理QC小组规范导管维护流程，PICC导管相关感染率由1.2‰降至0.4‰，成果获医院QC成果一等奖。", "护理QC成果证书.pdf"),
        ("training", "“护士长带新人”心电监护规范化带教", "护士长带领高年资护士对新入职护士开展心电监护、除颤仪使用等技能带教，考核合格率100%。", "带教协议书.pdf"),
        ("safety", "患者安全目标专项检查", "对照患者安全目标开展身份识别、用药安全、防跌倒专项自查，整改问题9项。", None),
        ("award", "市“巾帼文明岗”授牌", "班组被咸阳市妇联、市总工会授予“巾帼文明岗”称号。", "巾帼文明岗授牌照片.jpg"),
    ],
    "综采一队": [
        ("safety", "实现连续安全生产1000天", "综采一队实现连续安全生产1000天，矿工会为全队颁发安全生产纪念奖。", "安全生产证明.pdf"),
        ("innovation", "“五小”成果：液压支架快速拆装工具", "职工自制液压支架快速拆装工具，支架检修时间缩短三分之一，获矿“五小”成果一等奖。", "五小成果登记表.pdf"),
        ("training", "综采工“手指口述”安全确认培训", "全队开展“手指口述”安全确认培训和岗位描述考核，青工岗位达标率100%。", None),
        ("innovation", "合理化建议“采煤机截齿更换流程优化”被采纳", "建议调整截齿更换顺序并配备专用工具，被矿采纳，每次更换节约工时约40分钟。", None),
    ],
    "装配一班": [
        ("innovation", "“五小”成果：GIS母线筒装配定位工装", "班组研制GIS母线筒装配定位工装，装配效率提高30%，一次装配合格率提升至99.6%。", "五小成果登记表.pdf"),
        ("training", "装配钳工“师带徒”月度考核", "对三对师徒开展月度实操考核，徒弟均能独立完成断路器装配。", "师带徒月度考核记录.pdf"),
        ("award", "省“工人先锋号”授牌仪式", "班组被陕西省总工会授予“工人先锋号”称号。", "工人先锋号授牌照片.jpg"),
        ("safety", "起重吊装作业专项安全培训", "邀请公司安全部讲授起重吊装“十不吊”，全员考试合格后持证作业。", None),
    ],
    "电气试验班": [
        ("innovation", "专利“高压开关柜局部放电检测辅助夹具”获授权", "班组研制的局部放电检测辅助夹具获国家实用新型专利授权，检测效率提高40%。", "专利成果登记表.pdf"),
        ("training", "试验员持证上岗培训", "组织新进试验员参加高压试验上岗培训，四人全部取得上岗证。", "培训签到表.pdf"),
    ],
    "2号线乘务一班": [
        ("activity", "春运客流高峰“行动快、送方便”保障", "春运期间全班主动加开列车，坚持站台引导和文明服务，圆满完成运输保障任务。", None),
        ("training", "电客车司机应急故障处置演练", "模拟列车车门故障、区间迫停等场景开展应急演练，提升司机应急处置能力。", "应急演练记录.pdf"),
        ("safety", "安全行车100万公里", "班组累计安全行车突破100万公里，运营公司予以通报表扬。", None),
        ("innovation", "合理化建议“折返站换端作业卡控优化”被采纳", "优化折返站换端作业卡控程序，折返作业时间缩短15秒，被运营分公司采纳推广。", None),
    ],
    "信号维护班": [
        ("innovation", "QC成果“缩短道岔故障处理时间”", "QC小组梳理道岔故障处理流程，编制故障速查手册，平均处理时间由18分钟缩短至11分钟。", "道岔故障QC成果证书.pdf"),
        ("safety", "天窗点作业安全卡控", "严格执行天窗点作业“请点、销点”制度，全年无作业安全事件。", None),
    ],
    "急诊护理班组": [
        ("training", "急危重症抢救技能培训", "开展心肺复苏、气管插管配合、创伤急救技能培训，全员通过考核。", "培训签到表.pdf"),
        ("innovation", "“五小”成果：急诊转运监护固定架", "护士自制转运监护固定架，转运途中监护设备脱落事件降为零。", "急诊转运监护固定架使用照片.jpg"),
        ("activity", "“送方便”社区急救知识宣讲", "走进社区开展心肺复苏和海姆立克急救法宣讲，培训居民200余人次。", None),
        ("award", "获市“优秀护理团队”称号", "班组被西安市卫生健康委员会评为“优秀护理团队”。", None),
    ],
    "焊装班": [
        ("innovation", "QC成果“降低车门总成焊点虚焊率”", "QC小组优化焊接参数和电极修磨频次，虚焊率由0.9%降至0.2%。", "焊点虚焊QC成果证书.pdf"),
        ("training", "焊工技能比武暨师带徒成果展示", "组织电阻点焊和二保焊技能比武，两名徒弟获一等奖并晋升高级工。", None),
        ("safety", "焊接烟尘治理现场验收", "在焊接工位加装烟尘净化装置，为职工配发新型防护面罩。", "焊接烟尘治理现场照片.jpg"),
    ],
    "综采二队": [
        ("safety", "实现连续安全生产1500天", "综采二队实现连续安全生产1500天，公司工会予以表彰。", "安全生产证明.pdf"),
        ("innovation", "专利“刮板输送机链条张紧检测装置”获授权", "班组研制的链条张紧检测装置获国家实用新型专利授权，断链事故大幅减少。", "专利成果登记表.pdf"),
        ("training", "智能化综采工作面操作培训", "十名青工参加智能化综采工作面操作培训，全部取得操作资格。", None),
        ("award", "省“工人先锋号”授牌", "综采二队被陕西省总工会授予“工人先锋号”称号。", "工人先锋号授牌照片.jpg"),
    ],
    "常减压装置一班": [
        ("innovation", "合理化建议“常压炉烟气余热回收优化”被采纳", "建议调整空气预热器运行方式，被公司采纳，年节约燃料气约80万立方米。", None),
        ("safety", "装置停工检修“零事故”", "装置停工检修期间严格执行作业许可制度，实现检修“零事故、零污染”。", "检修安全总结.pdf"),
        ("training", "内操DCS仿真培训", "利用仿真系统开展开停工和事故处理训练，内操人员全部通过考核。", None),
    ],
    "青年焊接突击队": [
        ("innovation", "“五小”成果：大口径管道自动焊轨道快速安装卡具", "职工自制轨道快速安装卡具，自动焊轨道安装时间缩短一半。", "五小成果登记表.pdf"),
        ("training", "高级焊工“名师带徒”培训班", "举办高级焊工培训班，由省级技能大师授课，八名徒弟通过高级工鉴定。", "培训班学员名单.pdf"),
        ("safety", "受限空间作业安全专项整治", "开展受限空间作业专项整治，配齐气体检测仪和通风设备，严格执行作业审批。", None),
        ("award", "省“青年突击队”授旗", "突击队被共青团陕西省委授予“青年突击队”称号。", "青年突击队授旗照片.jpg"),
    ],
    "精密加工班": [
        ("innovation", "QC成果“提高薄壁零件加工精度合格率”", "QC小组改进装夹方式和切削参数，薄壁零件加工精度合格率由92%提高到98.5%。", "薄壁零件QC成果证书.pdf"),
        ("training", "数控车工“师带徒”技能提升", "两对师徒开展数控编程和精密测量专项训练，徒弟取得中级工证书。", None),
        ("safety", "数控机床防护门联锁专项检查", "对班组8台数控机床的防护门联锁和急停按钮逐台检查，更换失效限位开关2个，建立点检表每班确认。", "设备安全点检记录.pdf"),
    ],
    "城南变电运维班": [
        ("innovation", "QC成果“缩短110千伏变电站倒闸操作时间”", "QC小组推行操作票模板化和“一站一册”，典型倒闸操作时间由52分钟缩短至34分钟，成果获公司QC成果二等奖。", "倒闸操作QC成果证书.pdf"),
        ("safety", "迎峰度夏变电站特巡", "迎峰度夏期间对辖区23座变电站开展红外测温和夜间熄灯巡视，发现并消除设备发热缺陷7处。", "迎峰度夏特巡照片.jpg"),
        ("training", "变电运维“师带徒”仿真培训", "依托仿真培训室开展事故处理和倒闸操作仿真训练，四名青年员工通过变电运维中级工鉴定。", None),
    ],
    "南大街支行营业室": [
        ("activity", "“金融知识进万家”反诈宣传", "在营业室大厅和周边社区开展反电信网络诈骗宣传，发放宣传折页600余份，成功劝阻一起老年客户被骗转账。", "反诈宣传活动照片.jpg"),
        ("innovation", "合理化建议“老年客户爱心窗口预约服务”被采纳", "营业室提出为老年客户开设爱心窗口并提供电话预约服务的建议，被分行采纳并在辖内推广。", None),
        ("training", "柜面业务技能比赛", "组织点钞、传票录入、反假币技能比赛，两名柜员获分行技能比赛一等奖。", "技能比赛成绩汇总表.pdf"),
    ],
    "纳税服务科": [
        ("innovation", "“一窗通办”办税流程再造", "梳理办税服务厅高频业务68项，推行“一窗通办、一次办结”，纳税人平均等候时间由23分钟缩短至9分钟。", "一窗通办成果登记表.pdf"),
        ("activity", "纳税人需求座谈会", "邀请辖区20家企业财务负责人座谈，收集意见建议15条，逐条制定改进措施并反馈。", "座谈会记录.pdf"),
        ("training", "数电发票业务岗位练兵", "围绕数电发票、个税汇算等新业务开展岗位练兵，全员通过业务测试。", None),
    ],
    "秦都营业部": [
        ("activity", "“双11”旺季保障誓师会", "“双11”期间日均揽投量达1.8万件，全员放弃休息，实现邮件“日清日结”、零积压。", "双11旺季保障誓师会照片.jpg"),
        ("innovation", "“五小”成果：揽投段道动态排班表", "揽投员根据段道件量变化自制动态排班表，人均日投递效率提高12%。", None),
        ("safety", "电动三轮车交通安全培训", "邀请交警讲解电动三轮车安全驾驶，开展车辆安全检查，全年无交通责任事故。", "交通安全培训签到表.pdf"),
    ],
    "提取班": [
        ("innovation", "QC成果“提高丹参提取物收率”", "QC小组优化渗漉和浓缩工艺参数，丹参提取物收率由6.8%提高到7.5%，成果获公司QC成果一等奖。", "丹参提取QC成果证书.pdf"),
        ("safety", "乙醇回收岗位防爆专项检查", "对乙醇回收塔、储罐区开展防爆电气和静电接地专项检查，整改隐患5项。", None),
        ("training", "GMP与岗位SOP培训", "组织全班学习新版GMP附录和岗位标准操作规程，开展偏差案例讨论，考试合格率100%。", "GMP培训签到表.pdf"),
    ],
    "钻探一分队": [
        ("safety", "实现野外钻探施工安全生产2000天", "分队坚持班前安全确认和钻机“四检”制度，连续安全施工2000天。", "安全生产证明.pdf"),
        ("innovation", "“五小”成果：钻杆快速拆卸扳手", "钻探工自制钻杆快速拆卸扳手，起下钻时间缩短20%。", None),
        ("activity", "野外施工点“送清凉”", "夏季高温期间分队党支部和工会到野外施工点送去防暑降温用品。", "送清凉活动照片.jpg"),
    ],
}
# Every team that applies also records its study of the notice, in the days after it was published.
NOTICE_STUDY = ("activity", "学习省总工会创建“梦桃式班组”通知", "组织班组成员学习省总工会《关于学习贯彻习近平总书记亲切勉励精神创建“梦桃式班组”的通知》，对照创建内容的五个方面查找差距，{plan}")
# fmt: on


def _recorded(occurred: date, approved: datetime, number: int) -> datetime:
    """When an entry was typed in: the day after it happened, or, for what happened before the team
    registered, in the days after its approval, two entries an evening."""
    yesterday = timezone.localdate() - timedelta(days=1)
    day = max(
        occurred + timedelta(days=1), timezone.localtime(approved, SHANGHAI).date() + timedelta(days=1 + number // 2)
    )
    return datetime.combine(min(day, yesterday), time(17, 10 + 7 * number), tzinfo=SHANGHAI)


def seed_ledger(teams: dict[str, Team]) -> None:
    today = timezone.localdate()
    for index, (name, entries) in enumerate(LEDGER.items()):
        team = teams[name]
        if team.status != Team.Status.APPROVED:
            continue
        leader = team.leaders.order_by("pk").first()
        recorded = set(team.ledger_entries.values_list("title", flat=True))
        # Spread over the past two years; the study of the notice follows its publication.
        rows = [(entry, 40 + (index * 61 + number * 137) % 680) for number, entry in enumerate(entries)]
        if name in TEXTS:
            kind, title, description = NOTICE_STUDY
            rows.append(((kind, title, description.format(plan=TEXTS[name]["study"]), None), 44 - index % 6))
        for number, ((kind, title, description, file_name), age) in enumerate(rows):
            if title in recorded:
                continue
            occurred = today - timedelta(days=age)
            with clock_at(_recorded(occurred, approved_at(team), number)):
                saved = ledger_entry_save(
                    actor=leader,
                    team=team,
                    occurred_on=occurred,
                    kind=kind,
                    title=title,
                    description=description,
                    uploads=[ledger_file(team, title, description, occurred, file_name)] if file_name else (),
                )
            if not saved.complete:
                raise RuntimeError(f"demo ledger file of {name} refused: {saved.refused}")
