"""The demo's teams: twenty-six teams across the province, from a textile workshop's 赵梦桃小组 to
a tax office's 纳税服务科, with their leaders, members and mentor-apprentice pairs (师带徒); and the
eighteen teams of the province's first campaign on the system, 2025年度“梦桃式班组” (EARLIER_TEAMS,
played through to their naming by awards.demo).

A team is found by its grassroots union and name. The demo account `leader` (何小梅) leads
赵梦桃小组; the other leaders have no password (they would be invited by e-mail) and, as many units
do, a user name in pinyin. The earlier teams registered in March 2025, as the province began to use
the system; the others over the last half year, and their union's staff approved them a day or three
later; two registered this week and wait, one was sent back.
"""

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.utils import timezone
from pypinyin import lazy_pinyin

from accounts.models import UnionUnit, User
from accounts.services import user_create
from core.demo import SHANGHAI, clock_at, days_ago

from ..models import Member, Team
from ..services import member_save, mentor_pair_save, team_approve, team_register, team_reject
from .photos import Scene

G = Member.SkillGrade


@dataclass(frozen=True)
class Trade:
    """A kind of work: what its people are called and wear, and what an apprentice learns."""

    positions: tuple[str, ...]  # the leader's first, then the members' in turn
    women: float  # the share of women
    goal: str  # what an apprentice is to master, in a 师带徒 agreement
    scene: Scene  # how its team photos look
    graded: bool = True  # whether its people hold vocational skill grades (nurses and clerks do not)


# fmt: off
TRADES = {
    "textile": Trade(("值车工", "细纱值车工", "细纱值车工", "落纱工", "细纱值车工", "保全工", "测试工"), 0.92,
                     "熟练掌握接头、巡回、清洁三项基本操作，操作测定达到优二级以上",
                     Scene("", "factory", clothes=(118, 168, 214), hats=(250, 250, 250))),
    "glass": Trade(("班长", "熔制工", "看火工", "配料工", "熔制工", "设备维护工"), 0.12,
                   "掌握窑炉火焰调节、液面控制和池壁测温，能独立处理常见熔制缺陷",
                   Scene("", "factory", clothes=(44, 72, 128), hats=(245, 200, 30))),
    "forming": Trade(("班长", "成型工", "成型工", "模具工", "质检员"), 0.2,
                     "掌握玻壳压制成型操作和模具更换，成型合格率达到班组平均水平",
                     Scene("", "factory", clothes=(44, 72, 128), hats=(245, 200, 30))),
    "nursing": Trade(("护士长", "主管护师", "护师", "责任护士", "护师", "护士"), 0.9,
                     "熟练掌握心电监护、除颤仪使用和静脉治疗规范，独立承担责任护士工作",
                     Scene("", "hospital", clothes=(246, 246, 246), trousers=(236, 236, 240), hats=(252, 252, 252)),
                     graded=False),
    "mining": Trade(("队长", "采煤机司机", "支架工", "输送机司机", "电钳工", "支架工", "综采维修工"), 0.0,
                    "掌握液压支架操作和“手指口述”安全确认，取得采煤机司机操作资格",
                    Scene("", "factory", clothes=(36, 52, 96), hats=(245, 200, 30), vest=(238, 120, 34))),
    "assembly": Trade(("班长", "装配钳工", "装配钳工", "电工", "装配钳工", "质检员"), 0.08,
                      "掌握断路器和GIS母线筒装配工艺，能够独立完成一个间隔的装配",
                      Scene("", "factory", clothes=(40, 82, 150), hats=None)),
    "testing": Trade(("班长", "高压试验工", "试验员", "高压试验工", "技术员"), 0.2,
                     "掌握工频耐压、局部放电等出厂试验项目，取得高压试验上岗证",
                     Scene("", "factory", clothes=(40, 82, 150), hats=(250, 250, 250))),
    "metro": Trade(("司机长", "电客车司机", "电客车司机", "电客车司机", "学员司机"), 0.18,
                   "熟练掌握电客车驾驶、折返作业和故障应急处置，独立值乘",
                   Scene("", "building", clothes=(32, 42, 74), hats=None)),
    "signal": Trade(("工班长", "信号工", "信号工", "通信工", "信号工"), 0.12,
                    "掌握道岔、计轴设备检修和故障处理流程，独立承担天窗点作业",
                    Scene("", "building", clothes=(228, 112, 42), hats=(245, 200, 30))),
    "welding": Trade(("班长", "点焊工", "二保焊工", "点焊工", "质检员"), 0.1,
                     "掌握电阻点焊参数设定和电极修磨，焊点质量达到一次交检合格",
                     Scene("", "factory", clothes=(74, 92, 112), hats=None)),
    "painting": Trade(("班长", "喷漆工", "打磨工", "喷漆工", "质检员"), 0.15,
                      "掌握面漆喷涂和漆膜缺陷修复，漆膜厚度控制达到工艺要求",
                      Scene("", "factory", clothes=(230, 230, 226), hats=None)),
    "machining": Trade(("班长", "数控车工", "数控铣工", "磨工", "检验员"), 0.2,
                       "掌握数控编程和薄壁零件装夹，能独立完成精密零件加工",
                       Scene("", "factory", clothes=(40, 82, 150), hats=None)),
    "refinery": Trade(("班长", "内操", "外操", "外操", "副班长", "外操"), 0.15,
                      "熟练掌握常减压装置开停工和DCS操作，能独立处理常见异常工况",
                      Scene("", "tower", clothes=(196, 56, 44), hats=(250, 250, 250))),
    "construction": Trade(("队长", "焊工", "焊工", "管工", "起重工", "焊工"), 0.02,
                          "掌握大口径管道自动焊和氩电联焊，焊口一次合格率达到98%以上",
                          Scene("", "tower", clothes=(40, 82, 150), hats=(222, 40, 40), vest=(245, 132, 30))),
    "power": Trade(("班长", "变电运维工", "变电运维工", "变电运维工", "安全员"), 0.2,
                   "熟练掌握倒闸操作、设备巡视和事故处理，独立担任正值",
                   Scene("", "tower", clothes=(34, 84, 146), hats=(250, 250, 250))),
    "bank": Trade(("营业室主任", "综合柜员", "综合柜员", "大堂经理", "客户经理", "综合柜员"), 0.75,
                  "熟练掌握柜面业务操作、反假币和反洗钱要求，独立临柜",
                  Scene("", "building", clothes=(44, 48, 66), hats=None), graded=False),
    "tax": Trade(("科长", "一级主办", "二级主办", "三级主办", "四级主办", "一级行政执法员"), 0.6,
                 "熟练掌握办税服务厅各类业务和数电发票政策，独立承担窗口工作",
                 Scene("", "building", clothes=(40, 46, 72), hats=None), graded=False),
    "courier": Trade(("营业部经理", "揽投员", "揽投员", "营业员", "揽投员", "分拣员"), 0.3,
                     "熟悉段道和揽投作业规范，掌握电动三轮车安全驾驶和客户服务要求",
                     Scene("", "building", clothes=(28, 112, 72), hats=None)),
    "pharma": Trade(("班长", "中药提取工", "中药提取工", "浓缩工", "QA质监员", "设备维护工"), 0.5,
                    "掌握渗漉、浓缩和乙醇回收岗位标准操作规程，独立完成批生产记录",
                    Scene("", "factory", clothes=(244, 244, 244), hats=(250, 250, 250))),
    # The trades of the 2025 campaign's teams (EARLIER_TEAMS) that the teams above do not have.
    "weaving": Trade(("班长", "挡车工", "挡车工", "修机工", "挡车工", "质检员"), 0.85,
                     "熟练掌握喷气织机挡车操作和常见停台处理，看台能力达到车间平均水平",
                     Scene("", "factory", clothes=(118, 168, 214), hats=(250, 250, 250))),
    "batching": Trade(("班长", "配料工", "称量工", "混合机操作工", "化验员", "配料工"), 0.15,
                      "掌握原料称量、混合和配合料均匀度检测，能够独立顶岗配料",
                      Scene("", "factory", clothes=(44, 72, 128), hats=(245, 200, 30))),
    "processing": Trade(("班长", "切割工", "钢化工", "镀膜工", "质检员"), 0.3,
                        "掌握钢化炉加热曲线和风栅参数调整，能够独立操作钢化炉",
                        Scene("", "factory", clothes=(44, 72, 128), hats=None)),
    "tableting": Trade(("班长", "制粒工", "压片工", "包衣工", "QA质监员", "胶囊填充工"), 0.55,
                       "掌握制粒、压片岗位标准操作规程和设备清场要求，独立完成批生产记录",
                       Scene("", "factory", clothes=(244, 244, 244), hats=(250, 250, 250))),
    "telecom": Trade(("工班长", "通信工", "通信工", "视频监控维护员", "通信工"), 0.15,
                     "掌握专用通信、视频监控和广播系统的维护和故障处理，独立承担天窗点作业",
                     Scene("", "building", clothes=(228, 112, 42), hats=(245, 200, 30))),
    "tunnelling": Trade(("队长", "掘锚机司机", "锚杆支护工", "掘锚机司机", "电钳工", "锚杆支护工", "运输工"), 0.0,
                        "掌握掘锚机操作和锚杆支护工艺，熟练执行“敲帮问顶”，取得掘进机司机操作资格",
                        Scene("", "factory", clothes=(36, 52, 96), hats=(245, 200, 30), vest=(238, 120, 34))),
    "catalytic": Trade(("班长", "内操", "外操", "外操", "副班长", "外操"), 0.15,
                       "熟练掌握催化裂化装置反应再生系统操作和DCS控制，能独立处理常见异常工况",
                       Scene("", "tower", clothes=(196, 56, 44), hats=(250, 250, 250))),
    "tank_welding": Trade(("班长", "焊工", "焊工", "铆工", "起重工", "焊工"), 0.02,
                          "掌握球罐立焊、横焊和焊后热处理工艺，焊缝一次合格率达到98%以上",
                          Scene("", "tower", clothes=(40, 82, 150), hats=(222, 40, 40), vest=(245, 132, 30))),
    "drilling": Trade(("分队长", "钻探工", "机长", "钻探工", "钻探技术员", "钻探工"), 0.0,
                      "掌握钻机操作、泥浆配制和孔内事故预防，独立担任机长",
                      Scene("", "rig", clothes=(196, 56, 44), hats=(245, 200, 30))),
}


@dataclass(frozen=True)
class DemoTeam:
    union: str  # the grassroots union's code
    name: str
    department: str  # appended to the enterprise's name
    industry: str
    trade: str
    leader: str  # the leader's personal name
    members: int
    pairs: int  # mentor-apprentice pairs
    founded: date
    about: str
    status: str = "approved"


TEAMS = [
    DemoTeam("SX-XY-001", "赵梦桃小组", "细纱车间", "C", "textile", "何小梅", 12, 4, date(1952, 5, 1),
             "以全国劳动模范赵梦桃同志名字命名的细纱值车工小组，1963年被命名为“赵梦桃小组”，先后被授予全国“三八红旗集体”、全国“工人先锋号”。"),
    DemoTeam("SX-XY-001", "细纱二车间甲班", "细纱车间", "C", "textile", "刘彩霞", 10, 3, date(2009, 3, 1),
             "承担细纱二车间甲班生产任务，与赵梦桃小组结成“手拉手”共建对子。"),
    DemoTeam("SX-XY-001", "织布车间乙班", "织布车间", "C", "textile", "张小燕", 9, 1, date(2012, 7, 1),
             "喷气织机挡车班组，看台数和下机一等品率位居车间前列。", "pending"),
    DemoTeam("SX-XY-002", "熔制班", "熔制车间", "C", "glass", "马建军", 9, 2, date(2006, 10, 1),
             "负责电子玻璃窑炉熔制和看火作业，四班三运转，24小时连续生产。"),
    DemoTeam("SX-XY-002", "成型班", "成型车间", "C", "forming", "韩立新", 8, 2, date(2006, 10, 1),
             "负责玻壳压制成型工序，承担新产品试制。"),
    DemoTeam("SX-XY-003", "心内科护理班组", "心血管内科", "Q", "nursing", "杨丽君", 12, 3, date(2010, 5, 12),
             "心血管内科病区护理团队，开放床位46张，承担急性心梗、心衰患者的护理和心脏介入围术期护理。"),
    DemoTeam("SX-XY-004", "综采一队", "综采工区", "B", "mining", "高建平", 12, 3, date(2008, 1, 1),
             "承担矿井主采工作面回采任务，年产原煤300万吨以上。"),
    DemoTeam("SX-XY-004", "机电班", "机电工区", "B", "mining", "薛宏伟", 7, 1, date(2011, 4, 1),
             "负责井下供电和排水设备维护。", "rejected"),
    DemoTeam("SX-XA-001", "装配一班", "总装车间", "C", "assembly", "田志刚", 9, 3, date(2004, 6, 1),
             "负责126千伏GIS和高压断路器总装，曾获省“工人先锋号”称号。"),
    DemoTeam("SX-XA-001", "电气试验班", "试验站", "C", "testing", "雷鹏", 7, 2, date(2007, 3, 1),
             "负责高压开关设备出厂试验，出具试验报告。"),
    DemoTeam("SX-XA-002", "2号线乘务一班", "乘务中心", "G", "metro", "任凯", 12, 3, date(2011, 9, 16),
             "承担地铁2号线电客车驾驶任务，累计安全行车超过100万公里。"),
    DemoTeam("SX-XA-002", "信号维护班", "通号中心", "G", "signal", "屈博", 8, 2, date(2011, 9, 16),
             "负责地铁2号线正线信号设备维护。"),
    DemoTeam("SX-XA-003", "急诊护理班组", "急诊科", "Q", "nursing", "王晓丽", 11, 3, date(2009, 8, 1),
             "承担急危重症患者接诊、抢救和院内转运护理，年接诊急诊患者6万余人次。"),
    DemoTeam("SX-XA-WY-001", "焊装班", "焊装车间", "C", "welding", "段永强", 10, 2, date(2013, 4, 1),
             "负责车门、侧围总成焊接，连续两年获公司“优秀班组”称号。"),
    DemoTeam("SX-XA-WY-001", "涂装班", "涂装车间", "C", "painting", "卫东亮", 8, 1, date(2013, 4, 1),
             "负责车身中涂和面漆喷涂。", "pending"),
    DemoTeam("SX-XA-WY-002", "精密加工班", "机加车间", "C", "machining", "宋文斌", 8, 2, date(2010, 11, 1),
             "负责精密仪器薄壁零件和光学结构件数控加工。"),
    DemoTeam("SX-NH-001", "综采二队", "综采工区", "B", "mining", "党小龙", 12, 3, date(2005, 7, 1),
             "承担智能化综采工作面回采任务，被授予省“工人先锋号”称号。"),
    DemoTeam("SX-NH-002", "常减压装置一班", "常减压车间", "C", "refinery", "惠军", 9, 2, date(2003, 5, 1),
             "负责500万吨/年常减压装置内外操作。"),
    DemoTeam("SX-NH-003", "青年焊接突击队", "安装分公司", "E", "construction", "拓海涛", 11, 3, date(2012, 5, 4),
             "常年奋战在石化、煤化工工程建设一线，承担大口径、高压管道焊接任务。"),
    DemoTeam("SX-NH-003", "管道安装班", "安装分公司", "E", "construction", "贺振华", 9, 2, date(2014, 3, 1),
             "负责工艺管道预制和安装。"),
    DemoTeam("SX-XA-004", "城南变电运维班", "变电运维中心", "D", "power", "吕晨阳", 9, 2, date(2016, 1, 1),
             "负责城南片区23座110千伏及以上变电站的运行维护和倒闸操作。"),
    DemoTeam("SX-XA-005", "南大街支行营业室", "南大街支行", "J", "bank", "白静", 8, 2, date(2008, 6, 1),
             "位于钟楼商圈的支行营业室，日均办理柜面业务500余笔。"),
    DemoTeam("SX-XA-WY-003", "纳税服务科", "", "S", "tax", "袁媛", 8, 2, date(2018, 7, 20),
             "负责办税服务厅管理、纳税咨询和纳税人权益保护，服务辖区纳税人3.2万户。"),
    DemoTeam("SX-XY-005", "秦都营业部", "", "G", "courier", "侯帅", 10, 2, date(2015, 3, 1),
             "承担咸阳市秦都区14条段道的揽收和投递，日均处理邮件1.1万件。"),
    DemoTeam("SX-XY-006", "提取班", "中药提取车间", "C", "pharma", "姚淑芳", 9, 2, date(2011, 9, 1),
             "负责丹参、黄芪等中药材的提取、浓缩和乙醇回收。"),
    DemoTeam("SX-NH-004", "钻探一分队", "钻探工程公司", "M", "drilling", "冯宝林", 10, 2, date(1998, 4, 1),
             "承担煤田地质勘查钻探施工，常年在陕北、渭北野外作业。"),
]

# The teams that applied to the 2025年度“梦桃式班组” campaign, each at a grassroots union whose staff
# decide in the recommendation chain; registered in March 2025 (EARLIER_REGISTRATION).
EARLIER_TEAMS = [
    DemoTeam("SX-XY-001", "细纱一车间乙班", "细纱一车间", "C", "textile", "邵红梅", 8, 2, date(1998, 3, 1),
             "细纱一车间乙班承担车间26台细纱机的看台任务，是赵梦桃小组输送骨干最多的班组之一。"),
    DemoTeam("SX-XY-001", "织布车间丙班", "织布车间", "C", "weaving", "贾春燕", 8, 2, date(2003, 9, 1),
             "喷气织机挡车班组，主要生产高支高密府绸和功能性面料。"),
    DemoTeam("SX-XY-002", "原料配料班", "原料车间", "C", "batching", "孟国强", 7, 2, date(2006, 10, 1),
             "负责电子玻璃窑炉的原料称量、混合和投料，配合料均匀度直接决定玻璃液质量。"),
    DemoTeam("SX-XY-002", "深加工一班", "深加工车间", "C", "processing", "陶建新", 7, 2, date(2014, 6, 1),
             "负责盖板玻璃的切割、磨边、钢化和镀膜，产品供应国内多家显示器件企业。"),
    DemoTeam("SX-XY-003", "重症医学科护理班组", "重症医学科", "Q", "nursing", "崔雅琴", 9, 2, date(2008, 3, 1),
             "重症医学科护理团队，开放床位24张，承担全市危重症患者的监护和救治护理。"),
    DemoTeam("SX-XY-006", "固体制剂班", "固体制剂车间", "C", "tableting", "庞丽娜", 8, 2, date(2012, 4, 1),
             "负责片剂、胶囊剂的制粒、压片、包衣和胶囊填充，年产固体制剂12亿片（粒）。"),
    DemoTeam("SX-XA-001", "断路器装配班", "断路器车间", "C", "assembly", "耿卫民", 8, 2, date(2005, 3, 1),
             "负责40.5千伏至252千伏高压断路器的总装和机械特性调试。"),
    DemoTeam("SX-XA-001", "数控加工班", "机加车间", "C", "machining", "鲁海峰", 7, 2, date(2009, 7, 1),
             "负责高压开关壳体、导电杆等关键零件的数控加工。"),
    DemoTeam("SX-XA-001", "互感器试验班", "试验站", "C", "testing", "何志远", 7, 2, date(2010, 5, 1),
             "负责电流、电压互感器的出厂试验和型式试验配合。"),
    DemoTeam("SX-XA-002", "1号线乘务二班", "乘务中心", "G", "metro", "秦浩", 9, 2, date(2013, 9, 15),
             "承担地铁1号线电客车驾驶任务，班组司机平均驾龄七年。"),
    DemoTeam("SX-XA-002", "通信维护班", "通号中心", "G", "telecom", "龚磊", 7, 2, date(2013, 9, 15),
             "负责地铁1号线专用通信、视频监控和广播系统的维护。"),
    DemoTeam("SX-XA-003", "手术室护理班组", "手术麻醉科", "Q", "nursing", "詹秀兰", 9, 2, date(2006, 1, 1),
             "承担全院22间手术室的器械护理和巡回护理，年配合手术3.1万台次。"),
    DemoTeam("SX-XA-004", "城西变电运维班", "变电运维中心", "D", "power", "蔺刚", 8, 2, date(2016, 1, 1),
             "负责城西片区19座110千伏及以上变电站的运行维护和倒闸操作。"),
    DemoTeam("SX-XA-005", "钟楼支行营业室", "钟楼支行", "J", "bank", "汪婷", 7, 2, date(2009, 4, 1),
             "位于钟楼商圈的支行营业室，接待游客和老年客户多，日均办理柜面业务420余笔。"),
    DemoTeam("SX-NH-001", "综掘一队", "综掘工区", "B", "tunnelling", "郝建军", 9, 2, date(2007, 8, 1),
             "承担矿井主要巷道的综合机械化掘进，年进尺4000米以上。"),
    DemoTeam("SX-NH-001", "综采三队", "综采工区", "B", "mining", "白宝山", 9, 2, date(2010, 3, 1),
             "承担矿井二盘区综采工作面的回采任务，年产原煤260万吨。"),
    DemoTeam("SX-NH-002", "催化裂化装置二班", "催化裂化车间", "C", "catalytic", "慕振东", 8, 2, date(2004, 6, 1),
             "负责200万吨/年重油催化裂化装置的内外操作。"),
    DemoTeam("SX-NH-003", "球罐焊接班", "安装分公司", "E", "tank_welding", "强国栋", 8, 2, date(2011, 5, 1),
             "承担大型球罐和储罐的组对焊接，持证焊工全部具备压力容器焊接资格。"),
]
EARLIER_REGISTRATION = datetime(2025, 3, 10, 9, 0, tzinfo=SHANGHAI)  # a Monday

SURNAMES = ("王李张刘杨赵陈马高郭孙吴周徐何胡朱冯田雷薛任党惠贺白曹魏史梁郑宋韩唐许邓彭吕苏蔡罗武程侯姚段"
            "杜车屈拓强巩卫袁樊蒙折")
GIVEN_WOMEN = ["秀英", "丽娟", "海燕", "春梅", "艳", "静", "婷", "娜", "倩", "丹", "蕾", "佳", "雪", "雨萱", "欣怡", "晓燕", "红霞", "玉兰", "桂芳", "慧敏", "丽", "敏", "萍", "琳", "颖", "莉", "梦瑶", "思雨", "亚楠", "晓雪", "文静", "淑芬", "金凤", "美玲", "芳芳", "瑞雪", "婉清", "梓涵", "若曦", "楠", "洁", "欢", "蓉", "媛媛", "晓敏", "小娟", "凤霞", "艳萍"]
GIVEN_MEN = ["建华", "志强", "伟", "勇", "军", "磊", "涛", "斌", "超", "强", "鹏", "杰", "浩", "宇", "博", "峰", "刚", "明", "亮", "辉", "波", "宁", "凯", "龙", "海军", "卫国", "红军", "永利", "小军", "宏亮", "文博", "子豪", "浩然", "俊杰", "一鸣", "少华", "新民", "振江", "国栋", "晨", "旭", "宝平", "双喜", "建军", "建平", "小龙", "延峰", "拴柱", "保成"]
# fmt: on

# Who approves a team: the staff account nearest above its grassroots union.
APPROVERS = [
    ("SX-XY-001", "jiceng_staff"),
    ("SX-XY", "xianyang_staff"),
    ("SX-XA", "xian_staff"),
    ("SX-NH", "nenghua_staff"),
]


def _approver(union: UnionUnit) -> User:
    username = next(name for prefix, name in APPROVERS if union.code.startswith(prefix))
    return User.objects.get(username=username)


def _username(name: str) -> str:
    """A leader's user name is the pinyin of their name, as many units give them."""
    return "".join(lazy_pinyin(name))


def _leader(spec: DemoTeam, union: UnionUnit) -> User:
    if spec.name == "赵梦桃小组":
        return User.objects.get(username="leader")
    username = _username(spec.leader)
    existing = User.objects.filter(username=username).first()
    return existing or user_create(
        actor=None, username=username, name=spec.leader, email=f"{username}@example.org.cn", unit=union
    )


def _people(spec: DemoTeam, trade: Trade) -> list[str]:
    """The members' names after the leader's: common surnames of the province, given names as men
    and women of the trade are called; the same every time for the same team."""
    rng = random.Random(spec.name)
    names = [spec.leader]
    while len(names) < spec.members:
        given = GIVEN_WOMEN if rng.random() < trade.women else GIVEN_MEN
        name = rng.choice(SURNAMES) + rng.choice(given)
        if name not in names:
            names.append(name)
    return names


def _grades(trade: Trade, count: int) -> list[str]:
    """Skill grades by seniority: a senior technician or two at the top, juniors at the bottom."""
    if not trade.graded:
        return [G.NONE] * count
    ladder = [G.SENIOR_TECHNICIAN, G.TECHNICIAN, G.TECHNICIAN, G.SENIOR, G.SENIOR, G.SENIOR, G.INTERMEDIATE]
    return [ladder[n] if n < len(ladder) else G.INTERMEDIATE if n < count - 2 else G.JUNIOR for n in range(count)]


def _joined(spec: DemoTeam, count: int, rng: random.Random) -> list[date]:
    """When the members joined, the most senior first: over the last thirty years, never before the team."""
    today = timezone.localdate()
    earliest = max(spec.founded, today - timedelta(days=30 * 365))
    span = (today - timedelta(days=200) - earliest).days
    return [earliest + timedelta(days=int(span * n / count) + rng.randint(0, 90)) for n in range(count)]


def demo_teams(specs: list[DemoTeam] = TEAMS) -> dict[str, Team]:
    """The demo's teams that exist, by name (the demo's team names are unique); EARLIER_TEAMS for those
    of the 2025 campaign."""
    wanted = {(spec.union, spec.name) for spec in specs}
    return {
        team.name: team
        for team in Team.objects.filter(name__in=[name for _code, name in wanted]).select_related("grassroots_union")
        if (team.grassroots_union.code, team.name) in wanted
    }


def spec_of(team: Team) -> DemoTeam:
    return next(spec for spec in (*TEAMS, *EARLIER_TEAMS) if spec.name == team.name)


def trade_of(team: Team) -> Trade:
    return TRADES[spec_of(team).trade]


def scene_of(team: Team, banner: str, taken_on: date) -> Scene:
    """A photo of the team: its trade's place and clothes, its people, and the banner's words."""
    spec = spec_of(team)
    return replace(TRADES[spec.trade].scene, banner=banner, taken_on=taken_on, people=min(13, spec.members))


def approved_at(team: Team) -> datetime | None:
    index = next(n for n, spec in enumerate(TEAMS) if spec.name == team.name)
    return _registration(index, TEAMS[index])[1]


def _registration(index: int, spec: DemoTeam) -> tuple[datetime, datetime | None]:
    """When the team registered and when its union decided: the approved teams over the half year
    since the system began, a few working hours or days apart; the pending ones this week."""
    if spec.status == "pending":
        return (days_ago(3, 20, 15) if index < len(TEAMS) // 2 else days_ago(1, 11, 40)), None
    if spec.status == "rejected":
        return days_ago(15, 10, 20), days_ago(13, 15, 5)
    registered = 178 - 5 * index
    return days_ago(registered, 9 + index % 8, (index * 17) % 60), days_ago(registered - 1 - index % 3, 10, 30)


def _earlier_registration(index: int) -> tuple[datetime, datetime]:
    """The 2025 campaign's teams: two a working day over a fortnight of March 2025, each approved by
    its union the next working day."""
    day = index // 2
    registered = EARLIER_REGISTRATION + timedelta(days=day + 2 * (day // 5), hours=index % 7, minutes=index * 13 % 60)
    decided = registered + timedelta(days=3 if registered.weekday() == 4 else 1)
    return registered, decided.replace(hour=10, minute=30)


def seed_teams() -> None:
    plays = [(spec, _earlier_registration(index)) for index, spec in enumerate(EARLIER_TEAMS)]
    plays += [(spec, _registration(index, spec)) for index, spec in enumerate(TEAMS)]
    for spec, (registered, decided) in plays:
        union = UnionUnit.objects.get(code=spec.union)
        if Team.objects.filter(grassroots_union=union, name=spec.name).exists():
            continue
        trade = TRADES[spec.trade]
        with clock_at(registered):
            leader = _leader(spec, union)
            team = _register(spec, union, trade, leader)
        if decided is None:
            continue
        with clock_at(decided):
            if spec.status == "approved":
                team_approve(actor=_approver(union), team=team)
            else:
                team_reject(
                    actor=_approver(union),
                    team=team,
                    reason="所在单位请填写车间（工区）全称，班组简介请补充主要职责和人员构成后重新提交。",
                )


def _register(spec: DemoTeam, union: UnionUnit, trade: Trade, leader: User) -> Team:
    team = team_register(
        actor=leader,
        grassroots_union=union,
        name=spec.name,
        enterprise=f"{union.enterprise}{spec.department}",
        industry=spec.industry,
        region=union.region,
        category="mengtao",
        founded_on=spec.founded,
        description=spec.about,
    )
    rng = random.Random(spec.name)
    names = _people(spec, trade)
    grades = _grades(trade, spec.members)
    joined = _joined(spec, spec.members, rng)
    roles = [Member.Role.LEADER, Member.Role.DEPUTY, Member.Role.SAFETY, Member.Role.QUALITY]
    members = [
        member_save(
            actor=leader,
            team=team,
            name=name,
            position=trade.positions[n % len(trade.positions)] if n else trade.positions[0],
            skill_grade=grades[n],
            role=roles[n] if n < len(roles) else Member.Role.MEMBER,
            joined_on=joined[n],
        )
        for n, name in enumerate(names)
    ]
    # The most senior teach the most junior. Where a team has three pairs or more, the oldest has
    # finished and its apprentice, promoted, now stands a grade above the current apprentices.
    today = timezone.localdate()
    for k in range(spec.pairs):
        started = today - timedelta(days=560 - 120 * k)
        finished = k == 0 and spec.pairs >= 3
        mentor_pair_save(
            actor=leader,
            team=team,
            mentor=members[k],
            apprentice=members[-1 - spec.pairs] if finished else members[-1 - k],
            started_on=started,
            ended_on=started + timedelta(days=365) if finished else None,
            outcome="带徒期满考核合格，徒弟晋升一级技能等级" if finished else "",
        )
    return team
