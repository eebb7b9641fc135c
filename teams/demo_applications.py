"""Demo applications to the published 梦桃式班组 campaign, one in every state, and the demo files.

Idempotent: a team that already has an application to the campaign is left as it is. Everything
goes through teams.services, so a domain error stops the seed instead of leaving half a story.
"""

import logging
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from campaigns.models import Campaign

from .models import Application, LedgerEntry, Team
from .services import (
    application_return,
    application_save,
    application_start,
    application_submit,
    application_withdraw,
    evidence_add,
    evidence_from_ledger,
    evidence_remove,
)

logger = logging.getLogger(__name__)

MENGTAO_DOCUMENT_NUMBER = "陕工发〔2026〕12号"  # the published campaign of campaigns/demo.py

# The smallest PDF a reader opens (as in tests/factories.py); a comment line makes each file unique.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(label: str, width: int = 48, height: int = 32) -> bytes:
    # Built here rather than copied from tests/factories.py, whose PNG_BYTES lacks the IDAT checksum
    # (image libraries refuse it). A union-red picture; the iTXt comment makes each file unique.
    rows = b"".join(b"\x00" + b"\xc8\x10\x2e" * width for _ in range(height))
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _png_chunk(b"iTXt", b"Comment\x00\x00\x00\x00\x00" + label.encode()),
            _png_chunk(b"IDAT", zlib.compress(rows)),
            _png_chunk(b"IEND", b""),
        ]
    )


def demo_file(name: str, label: str) -> SimpleUploadedFile:
    """A small valid PDF or PNG called `name`, whose content (and hash) depends on `label`."""
    if name.endswith(".png"):
        return SimpleUploadedFile(name, _png(label), content_type="image/png")
    content = PDF_BYTES.replace(b"\n", f"\n% {label}\n".encode(), 1)
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# fmt: off
# What each applying team says: the summary, and a phrase per aspect that the statements build on.
TEXTS = {
    "赵梦桃小组": {
        "summary": "赵梦桃小组是以全国劳动模范赵梦桃同志名字命名的先进班组。小组牢记习近平总书记亲切勉励，以赵梦桃同志为榜样，一代代传承“高标准、严要求、行动快、工作实、抢困难、送方便”和“不让一个伙伴掉队”的“梦桃精神”，坚持师带徒、“五小”和QC小组活动，细纱断头率、产品质量等主要指标在集团保持领先。",
        "practice": "组内每一位新进值车工都由老师傅“一对一”带教，练好接头、巡回、清洁三项基本功，做到“不让一个伙伴掉队”",
        "management": "推行“小组长+值车工”两级自主管理，把质量、产量、消耗、安全分解到每台车、每个人，每月评比公示",
        "skill": "组员自制粗纱防缠绕导纱装置等“五小”成果，在集团细纱值车工技术比武中获团体第一名",
        "quality": "QC小组“降低细纱断头率”课题使断头率由每千锭时28根降至19根，成果在集团QC成果发布会上发布",
        "duty": "在订单集中、用工紧张时主动承担急难险重生产任务，先后为兄弟班组培养输送骨干6名",
        "safe_days": 2100,
    },
    "细纱二车间甲班": {
        "summary": "细纱二车间甲班对标赵梦桃小组，以“学梦桃、赶梦桃、超梦桃”为目标开展“比学赶帮超”劳动竞赛，坚持师带徒和合理化建议活动，班组产量、质量指标连续两年位居车间前列。",
        "practice": "班组与赵梦桃小组结成“手拉手”共建对子，定期到赵梦桃小组跟班学习操作法",
        "management": "制定班组绩效考核办法，对吸棉、接头、清洁等操作实行积分制考核",
        "skill": "组织细纱值车工操作技术比武，三名青年值车工操作测定达到优一级",
        "quality": "QC小组开展“降低细纱条干不匀率”攻关，条干不匀率下降0.8个百分点",
        "duty": "在设备改造期间主动加班加点，按期完成调试试纺任务",
        "safe_days": 1460,
    },
    "熔制班": {
        "summary": "熔制班负责电子玻璃窑炉熔制和看火作业，24小时连续生产。班组发扬“抢困难、送方便”精神，在窑炉冷修、热修中攻坚克难，开展节能降耗技术攻关，取得专利和“五小”成果多项，窑炉热效率和玻璃液质量稳步提高。",
        "practice": "把“行动快、工作实”落实到每一班次的看火和巡检中，关键操作实行“双人确认”",
        "management": "建立窑炉运行参数考核台帐，把燃耗、液面波动、结石气泡等指标纳入班组考核",
        "skill": "老看火工与青年职工结对传授窑炉操作经验，编写《熔制岗位操作要点》",
        "quality": "研制的“玻璃窑炉池壁冷却风量调节装置”获国家实用新型专利，年节约电耗约12万千瓦时",
        "duty": "在窑炉冷修期间连续奋战20天，提前3天完成点火烤窑",
        "safe_days": 1820,
        "patents": 1,
    },
    "成型班": {
        "summary": "成型班负责玻壳成型工序，近年来围绕提高成型合格率开展QC小组攻关，推行师带徒和岗位练兵。",
        "practice": "班组坚持班前会学习“梦桃精神”，结合成型岗位特点制定班组公约",
        "management": "实行班组成本核算，对模具消耗和成型合格率实行日统计、周分析",
        "skill": "开展成型工岗位练兵，新进职工三个月内独立顶岗",
        "quality": "QC小组开展“提高玻壳成型合格率”攻关，合格率提高2.3个百分点",
        "duty": "承担新产品试制任务，配合技术部门完成工艺验证",
        "safe_days": 900,
    },
    "心内科护理班组": {
        "summary": "心内科护理班组现有护士18名，以“梦桃精神”引领优质护理服务，坚持“高标准、严要求”落实护理核心制度，开展护理QC小组活动和“护士长带新人”带教，患者满意度持续保持在98%以上。",
        "practice": "把“送方便”体现在每一次护理服务中，推行责任制整体护理和出院患者电话随访",
        "management": "实行护理质量分层考核，每月召开护理质量分析会，考核结果与绩效分配挂钩",
        "skill": "开展心电监护、急救技能“护士长带新人”带教，低年资护士考核合格率100%",
        "quality": "护理QC小组开展“降低PICC导管相关感染率”攻关，感染率由1.2‰降至0.4‰",
        "duty": "在急危重症抢救和对口帮扶工作中主动请缨，选派骨干赴县级医院帮扶",
        "safe_days": 1200,
    },
    "综采一队": {
        "summary": "综采一队承担矿井主采工作面回采任务，坚持“安全第一、预防为主”，推行“手指口述”安全确认，开展“五小”攻关和合理化建议活动，连续安全生产超过1000天，年产原煤稳定在300万吨以上。",
        "practice": "坚持“抢困难、送方便”，在过断层、初采初放等关键时期干部骨干跟班盯守",
        "management": "推行工作面精细化管理和班组“安全积分”考核，把安全、质量、产量分解到人",
        "skill": "组织综采工“手指口述”安全确认培训和技能比武，青工岗位达标率100%",
        "quality": "研制“液压支架快速拆装工具”，支架检修时间缩短三分之一",
        "duty": "在工作面搬家倒面中连续奋战，提前完成安装调试任务",
        "safe_days": 1050,
    },
    "装配一班": {
        "summary": "装配一班负责高压开关设备总装，班组以“精益求精”为准则，开展“五小”活动和名师带徒，研制GIS母线筒装配定位工装等成果，一次装配合格率达到99.6%，曾获省“工人先锋号”称号。",
        "practice": "推行“我的工序我负责”，每台产品实行装配质量“三自一控”",
        "management": "实行班组目视化管理和工序质量积分考核，每周公布考核结果",
        "skill": "由全国技术能手带领开展师带徒，徒弟在市级装配钳工比赛中获奖",
        "quality": "研制“GIS母线筒装配定位工装”，装配效率提高30%，一次装配合格率提升至99.6%",
        "duty": "承担重点电网工程紧急供货任务，连续三个月保质保量按期交付",
        "safe_days": 1600,
    },
    "电气试验班": {
        "summary": "电气试验班负责高压开关设备出厂试验，坚持“严要求、工作实”，以试验数据零差错为目标，取得专利一项，培养持证试验员多名。",
        "practice": "坚持试验数据“双人复核、签字确认”，做到每一份报告经得起检验",
        "management": "建立试验质量追溯台帐，对试验记录实行月度抽查和考核",
        "skill": "组织试验员持证上岗培训和师带徒，新进员工全部取得高压试验上岗证",
        "quality": "研制的“高压开关柜局部放电检测辅助夹具”获国家实用新型专利，检测效率提高40%",
        "duty": "在重点工程交货期主动承担夜间试验任务",
        "safe_days": 1750,
        "patents": 1,
    },
    "2号线乘务一班": {
        "summary": "2号线乘务一班承担地铁2号线电客车驾驶任务，班组以“行动快、送方便”服务乘客，在春运和重大活动客流高峰中圆满完成运输保障，累计安全行车超过100万公里，正点率保持在99.9%以上。",
        "practice": "把“送方便”落实到每一次进站停车和广播服务中，为乘客提供安全、准点、舒适的出行服务",
        "management": "实行司机“安全积分”和标准化作业考核，推行出退勤“一人一档”管理",
        "skill": "开展电客车司机应急故障处置演练和师带徒，青年司机全部通过年度技能鉴定",
        "quality": "提出的“折返站换端作业卡控优化”合理化建议被采纳，折返作业时间缩短15秒",
        "duty": "在春运和重大活动期间主动加开列车，连续多日坚守岗位",
        "safe_days": 2300,
    },
    "信号维护班": {
        "summary": "信号维护班负责地铁2号线信号设备维护，开展QC小组活动，缩短道岔故障处理时间，保障列车运行安全。",
    },
    "急诊护理班组": {
        "summary": "急诊护理班组承担全院急危重症患者的接诊、抢救和转运护理，班组发扬“抢困难、送方便”精神，开展急救技能培训和“五小”创新，急危重症抢救成功率不断提高。",
        "practice": "坚持“患者在哪里，护理就跟到哪里”，开通急危重症绿色通道",
        "management": "实行急诊护理分区负责和质量考核，抢救病例每周复盘",
        "skill": "开展急危重症抢救技能培训，全员通过心肺复苏考核",
        "quality": "研制“急诊转运监护固定架”，转运途中监护设备脱落事件降为零",
        "duty": "在突发事件批量伤员救治中连续奋战，圆满完成救治任务",
        "safe_days": 980,
    },
    "焊装班": {
        "summary": "焊装班负责车门、侧围总成焊接，班组坚持“高标准、严要求”，开展QC小组攻关和焊工技能比武，车门总成焊点虚焊率大幅下降，连续两年获公司“优秀班组”称号。",
        "practice": "每天班前重温“梦桃精神”，班后开展“一日一结”",
        "management": "推行班组5S和看板管理，对焊点质量实行日检、周评",
        "skill": "组织焊工技能比武暨师带徒成果展示，两名徒弟晋升高级工",
        "quality": "QC小组“降低车门总成焊点虚焊率”课题使虚焊率由0.9%降至0.2%",
        "duty": "在新车型投产爬坡期主动承担加班任务",
        "safe_days": 1300,
    },
    "综采二队": {
        "summary": "综采二队承担智能化综采工作面回采任务，坚持“安全第一”，开展技术攻关和师带徒，取得专利一项，实现连续安全生产1500天，被授予省“工人先锋号”称号。",
        "practice": "坚持班前“安全讲评”和“不让一个伙伴掉队”的结对帮扶，新工人由老师傅带班三个月",
        "management": "推行智能化工作面“一岗一标准”和班组安全质量积分考核",
        "skill": "组织智能化综采工作面操作培训，十名青工取得智能化采煤操作资格",
        "quality": "研制的“刮板输送机链条张紧检测装置”获国家实用新型专利，断链事故大幅减少",
        "duty": "在工作面过陷落柱期间攻坚克难，保证了矿井接续",
        "safe_days": 1520,
        "patents": 1,
    },
    "常减压装置一班": {
        "summary": "常减压装置一班负责常减压装置内外操作，班组围绕节能降耗开展合理化建议和技术攻关，常压炉热效率提高，装置平稳率保持在99%以上。",
        "practice": "坚持交接班“五交五不接”，把“工作实”落实到每一次巡检",
        "management": "推行装置平稳率、能耗指标班组竞赛，每月排名公示",
        "skill": "开展内操DCS仿真培训和师带徒，外操人员全部具备独立操作能力",
        "quality": "提出的“常压炉烟气余热回收优化”建议被采纳，年节约燃料气约80万立方米",
        "duty": "在装置停工检修中连续奋战，实现检修“零事故”",
        "safe_days": 1680,
    },
    "焊接突击队": {
        "summary": "焊接突击队常年奋战在石化、煤化工工程建设一线，发扬“抢困难”精神，承担大口径、高压管道焊接等急难险重任务，焊接一次合格率保持在98.5%以上，先后培养高级焊工20余名。",
        "practice": "哪里任务急、哪里难度大，突击队就出现在哪里，坚持“不让一个伙伴掉队”",
        "management": "实行焊工“焊口身份证”质量追溯和焊接合格率考核",
        "skill": "举办高级焊工“名师带徒”培训班，徒弟在省焊工技能大赛中获奖",
        "quality": "研制“大口径管道自动焊轨道快速安装卡具”，轨道安装时间缩短一半",
        "duty": "在重点项目中交期间连续奋战，提前完成管道焊接任务",
        "safe_days": 1400,
    },
}

# (team, what happens to its application, who returns it, the reasons)
PLANS = [
    ("赵梦桃小组", "returned", "jiceng_staff", "请修改后重新提交：1. 第3项“营造技能创新氛围”填报的“五小”成果数量与班组台帐记录不一致，请逐项核对；2. 第4项请补充QC成果在集团发布的证明材料（发布证书或通报）；3. 事迹材料中师带徒成效请写明徒弟晋升技能等级的具体人数。"),
    ("细纱二车间甲班", "resubmitted", "jiceng_staff", "第3项填报的师带徒对数（5对）与班组台帐登记不符，请核对后修改；第5项安全生产证明材料为现场照片，请更换为车间安全科盖章的证明。"),
    ("熔制班", "submitted", None, ""),
    ("成型班", "half", None, ""),
    ("心内科护理班组", "submitted", None, ""),
    ("综采一队", "withdrawn", None, ""),
    ("装配一班", "submitted", None, ""),
    ("电气试验班", "complete", None, ""),
    ("2号线乘务一班", "submitted", None, ""),
    ("信号维护班", "started", None, ""),
    ("急诊护理班组", "returned", "xian_staff", "请补充完善：1. 第2项“提升管理创新水平”上传的考核办法为科室草稿，请更换为医院护理部正式印发的文件；2. 第4项证明材料图片不清晰，请更换为清晰的扫描件；3. 事迹概述请突出急诊护理的特点。"),
    ("焊装班", "submitted", None, ""),
    ("综采二队", "submitted", None, ""),
    ("常减压装置一班", "half", None, ""),
    ("焊接突击队", "submitted", None, ""),
]
# fmt: on

HEADINGS = ["一", "二", "三", "四", "五"]
FIVE_SMALL = ["small_inventions", "small_creations", "small_innovations", "small_designs", "small_suggestions"]
# The ledger kind whose files best prove each aspect (aspect 2 gets its own document).
LEDGER_KIND = {
    "1": LedgerEntry.Kind.AWARD,
    "3": LedgerEntry.Kind.TRAINING,
    "4": LedgerEntry.Kind.INNOVATION,
    "5": LedgerEntry.Kind.SAFETY,
}
EVIDENCE_NAME = {
    "2": "班组绩效考核办法.pdf",
    "3": "师带徒协议及考核记录.pdf",
    "4": "QC成果报告.pdf",
    "5": "安全生产记录.pdf",
}


def _indicators(index: int, text: dict) -> dict[str, int]:
    return {
        "adopted_proposals": 6 + 3 * (index % 5),
        "mentor_pairs": 2 + index % 3,
        "training_hours": 160 + 40 * (index % 5),
        "promoted_members": 1 + index % 4,
        "small_inventions": index % 2,
        "small_creations": 1 + index % 3,
        "small_innovations": 2 + index % 4,
        "small_designs": (index + 1) % 2,
        "small_suggestions": 10 + 3 * (index % 4),
        "qc_results": 1 + index % 3,
        "patents": text.get("patents", 0),
        "safe_days": text["safe_days"],
    }


def _statements(team: Team, text: dict, values: dict) -> dict[str, str]:
    five_small = sum(values[code] for code in FIVE_SMALL)
    return {
        "1": f"{team.name}以赵梦桃同志为榜样，传承“高标准、严要求、行动快、工作实、抢困难、送方便”和“不让一个伙伴掉队”的“梦桃精神”。{text['practice']}。班组每月开展一次“学梦桃、做梦桃”主题学习，引导职工爱岗敬业、甘于奉献、勇于创新、精益求精。",
        "2": f"以提升班组管理水平为核心，{text['management']}。以制度措施为杠杆调动职工创新创效活力，近两年职工提出合理化建议被采纳{values['adopted_proposals']}条。",
        "3": f"广泛开展名师带徒活动，签订师带徒协议{values['mentor_pairs']}对，建立“师带徒”考核和激励机制，{values['promoted_members']}名职工晋升技能等级；{text['skill']}。经常开展技术攻关、小改小革等群众性创新活动，近两年取得“五小”成果{five_small}项。",
        "4": f"开展QC小组攻关活动，围绕产品(服务)质量持续改进：{text['quality']}。近两年取得QC成果{values['qc_results']}项、专利{values['patents']}项，推广运用节能降耗的新技术、新工艺。",
        "5": f"加强安全管理，改善劳动保护用品和防护设施，坚持班前安全讲话和隐患排查治理，实现连续{values['safe_days']}天无安全事故；{text['duty']}。",
    }


def _account(team: Team, criteria: dict, statements: dict[str, str]) -> str:
    members = team.members.filter(left_on__isnull=True).count()
    parts = [f"{team.name}隶属于{team.enterprise}，现有成员{members}人。"]
    for heading, code in zip(HEADINGS, sorted(statements), strict=True):
        parts.append(f"{heading}、{criteria[code].title}\n{statements[code]}")
    return "\n\n".join(parts)


def _answers(criteria: dict, statements: dict[str, str], values: dict, codes=None) -> dict:
    return {
        criteria[code].pk: {
            "statement": statements[code],
            "indicators": {name: values[name] for name in criteria[code].indicators},
        }
        for code in codes or statements
    }


def _upload(actor: User, application: Application, criterion, name: str) -> None:
    _added, errors = evidence_add(
        actor=actor,
        application=application,
        criterion=criterion,
        uploads=[demo_file(name, f"{application.team.name} {criterion.code} {name}")],
    )
    if errors:
        raise RuntimeError(f"demo evidence of {application.team.name} refused: {errors}")


def _evidence(actor: User, application: Application, criteria: dict) -> None:
    """Files from the team's ledger where it has some, a document of its own otherwise."""
    for code in ("1", "2", "3", "4", "5"):
        kind = LEDGER_KIND.get(code)
        entry = (
            application.team.ledger_entries.filter(kind=kind, attachments__isnull=False)
            .order_by("occurred_on", "pk")
            .first()
            if kind
            else None
        )
        if entry is not None:
            evidence_from_ledger(actor=actor, application=application, criterion=criteria[code], entry=entry)
        elif code in EVIDENCE_NAME:
            _upload(actor, application, criteria[code], EVIDENCE_NAME[code])


def _revise(actor: User, application: Application, criteria: dict, text: dict, values: dict) -> Application:
    """What the leader corrects after a return: a number, its sentence, and one replaced document."""
    values = {**values, "mentor_pairs": values["mentor_pairs"] - 2}
    statements = _statements(application.team, text, values)
    statements["3"] += "每对师徒每月考核一次，考核结果与师傅带徒津贴挂钩。"
    application = application_save(
        actor=actor,
        application=application,
        summary=application.summary,
        account=_account(application.team, criteria, statements),
        answers=_answers(criteria, statements, values, codes=["3"]),
    )
    for evidence in application.evidence.filter(criterion=criteria["5"]):
        evidence_remove(actor=actor, evidence=evidence)
    _upload(actor, application, criteria["5"], "安全生产证明（车间安全科盖章）.pdf")
    return application


def _play(plan: tuple, index: int, team: Team, campaign: Campaign, criteria: dict) -> None:
    name, state, returner, reason = plan
    leader = team.leaders.order_by("pk").first()
    text = TEXTS[name]
    application = application_start(actor=leader, team=team, campaign=campaign)
    if state == "started":
        application_save(actor=leader, application=application, summary=text["summary"], account="", answers={})
        return
    values = _indicators(index, text)
    statements = _statements(team, text, values)
    if state == "half":
        # Three aspects written, one number and one document so far; the account not yet.
        answers = _answers(criteria, statements, values, codes=["1", "2", "3"])
        answers[criteria["3"].pk]["indicators"] = {"mentor_pairs": values["mentor_pairs"]}
        application_save(actor=leader, application=application, summary=text["summary"], account="", answers=answers)
        _upload(leader, application, criteria["2"], EVIDENCE_NAME["2"])
        return
    if state == "resubmitted":
        values["mentor_pairs"] += 2  # the number the grassroots union will question
        statements = _statements(team, text, values)
    application = application_save(
        actor=leader,
        application=application,
        summary=text["summary"],
        account=_account(team, criteria, statements),
        answers=_answers(criteria, statements, values),
    )
    _evidence(leader, application, criteria)
    if state == "complete":
        return
    application = application_submit(actor=leader, application=application)
    if state == "withdrawn":
        application_withdraw(actor=leader, application=application)
    elif state in ("returned", "resubmitted"):
        staff = User.objects.get(username=returner)
        application = application_return(actor=staff, application=application, reason=reason)
        if state == "resubmitted":
            application = _revise(leader, application, criteria, text, values)
            application_submit(actor=leader, application=application)


def seed_applications(teams: dict[str, Team]) -> None:
    """Play each plan for the demo teams (by name) that have no application to the campaign yet."""
    campaign = Campaign.objects.filter(organiser__code="SX", document_number=MENGTAO_DOCUMENT_NUMBER).first()
    if campaign is None:
        return
    started = set(campaign.applications.values_list("team_id", flat=True))
    pending = [(index, plan) for index, plan in enumerate(PLANS) if teams[plan[0]].pk not in started]
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
    for index, plan in pending:
        _play(plan, index, teams[plan[0]], campaign, criteria)
