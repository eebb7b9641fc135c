"""The papers and photos a demo team uploads, written from its own data: who its members and pairs
are, what its ledger entry says, what its application claims. Each comes back as the upload a
browser would send, named as people name such files."""

import re
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from core.text import chinese_date

from ..models import Member, MentorPair, Team
from .photos import photo_jpeg
from .scans import Document, Handwritten, scanned_pdf
from .teams import scene_of, spec_of, trade_of

GRADE_NAMES = dict(Member.SkillGrade.choices)
NUMBERS = "一二三四五六七八九十"


def pdf_upload(name: str, document: Document, day: date) -> SimpleUploadedFile:
    # Papers are scanned a day or two after they are signed.
    return SimpleUploadedFile(name, scanned_pdf(document, scanned_on=day + timedelta(days=1)), "application/pdf")


def photo_upload(team: Team, name: str, banner: str, day: date) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_jpeg(scene_of(team, banner, day)), "image/jpeg")


def _company(team: Team) -> str:
    return team.grassroots_union.enterprise


def _members(team: Team) -> list[Member]:
    return list(team.members.filter(left_on__isnull=True).order_by("pk"))


def _grade(member: Member) -> str:
    return f"，{GRADE_NAMES[member.skill_grade]}" if member.skill_grade else ""


def activity_record(team: Team, title: str, description: str, day: date) -> Document:
    members = _members(team)
    return Document(
        title=f"{team.name}活动记录",
        body=[
            f"活动时间：{chinese_date(day)}　　活动地点：{_room(team)}",
            f"主持人：{members[0].name}　　记录人：{members[1].name}　　参加人数：{len(members) - 1}人",
            f"活动主题：{title}",
            "活动内容：",
            description,
            _afterwards(title),
        ],
        signature=[team.enterprise, chinese_date(day)],
    )


def _room(team: Team) -> str:
    rooms = {"nursing": "科室示教室", "bank": "营业室会议室", "tax": "三楼会议室", "courier": "营业部分拣场地"}
    return rooms.get(spec_of(team).trade, "班组学习室")


def _afterwards(title: str) -> str:
    if "学习" in title or "座谈" in title:
        return "会后，班组将学习体会和意见建议整理成册，明确专人跟踪落实，下月班组会通报落实情况。"
    if "演练" in title:
        return "演练结束后进行了讲评，针对发现的问题修订了应急处置卡，下季度组织复演。"
    return "活动结束后，班组对照计划进行了小结，相关资料已归入班组台帐。"


def sign_in_sheet(team: Team, title: str, day: date) -> Document:
    members = _members(team)
    rows = [["序号", "姓名", "岗位", "签到"]]
    rows += [[str(n), m.name, m.position, Handwritten(m.name)] for n, m in enumerate(members, start=1)]
    return Document(
        title=f"{title.removesuffix('签到表')}签到表",
        body=[f"时间：{chinese_date(day)}　　地点：{_room(team)}　　应到：{len(members)}人", rows],
        signature=[team.name, chinese_date(day)],
    )


def results_sheet(team: Team, title: str, day: date) -> Document:
    members = _members(team)[1:7]
    scores = [98.5, 97.0, 96.5, 95.0, 93.5, 92.0]
    rows = [["名次", "姓名", "岗位", "成绩", "等级"]]
    rows += [
        [str(n), m.name, m.position, f"{scores[n - 1]:.1f}", "优一级" if n <= 3 else "优二级"]
        for n, m in enumerate(members, start=1)
    ]
    return Document(
        title=f"{title}成绩汇总表",
        body=[
            f"比赛时间：{chinese_date(day)}　　裁判组：{_members(team)[0].name}等三人",
            rows,
            "以上成绩已经裁判组复核，予以公布。",
        ],
        signature=[team.enterprise, chinese_date(day)],
        seal=_company(team),
    )


def qc_certificate(team: Team, subject: str, level: str, day: date) -> Document:
    company = _company(team)
    return Document(
        title="荣 誉 证 书",
        subtitle=f"证书编号：QC{day.year}-{sum(map(ord, subject)) % 90 + 10:02d}",
        body=[
            "",
            f"{team.name}QC小组：",
            f"你小组完成的《{subject}》课题，在{company}{day.year}年度QC小组活动成果发布会上荣获{level}。",
            "特发此证，以资鼓励。",
        ],
        signature=[company, chinese_date(day)],
        seal=company,
        border=True,
    )


def achievement_form(team: Team, title: str, description: str, day: date) -> Document:
    members = _members(team)
    name = re.search(r"“(.+?)”", title)
    patent = "专利" in title
    return Document(
        title=f"{_company(team)}职工技术创新成果登记表",
        body=[
            [
                ["成果名称", name.group(1) if name else title],
                ["成果类别", "实用新型专利" if patent else "“五小”成果"],
                ["完成单位", f"{team.enterprise}{team.name}"],
                ["主要完成人", "、".join(m.name for m in members[:3])],
                ["完成时间", chinese_date(day)],
                [
                    "专利号" if patent else "推广应用",
                    f"ZL {day.year - 1} 2 {day.toordinal() % 10**7:07d}.{day.day % 10}"
                    if patent
                    else "已在本单位推广使用",
                ],
            ],
            "成果简介：",
            description,
        ],
        signature=[f"{_company(team)}工会", chinese_date(day)],
        seal=team.grassroots_union.name,
    )


def mentor_agreement(team: Team, day: date | None = None) -> Document:
    pair = MentorPair.objects.filter(team=team).select_related("mentor", "apprentice").order_by("-started_on").first()
    mentor, apprentice = pair.mentor, pair.apprentice
    start = day or pair.started_on
    trade = trade_of(team)
    allowance, reward = (200, 1000) if spec_of(team).trade == "textile" else (300, 1500)
    return Document(
        title="师带徒结对协议书",
        body=[
            f"甲方（师傅）：{mentor.name}，{mentor.position}{_grade(mentor)}",
            f"乙方（徒弟）：{apprentice.name}，{apprentice.position}{_grade(apprentice)}",
            f"为传承“梦桃精神”，“不让一个伙伴掉队”，经{team.name}研究、{team.enterprise}同意，甲乙双方自愿结成师徒对子，签订本协议。",
            f"一、带徒期限：{chinese_date(start)}至{chinese_date(start + timedelta(days=364))}，共十二个月。",
            f"二、培养目标：乙方{trade.goal}，带徒期满通过相应的技能考核。",
            "三、甲方责任：按月制定带教计划，每周跟班指导不少于三次，如实填写《师带徒记录本》。",
            "四、乙方责任：尊敬师傅，虚心学习，遵守工艺纪律和安全操作规程，按时完成练习任务。",
            f"五、考核与激励：每月考核一次，徒弟考核合格的，按月发放师傅带徒津贴{allowance}元；带徒期满徒弟晋升技能等级的，给予师傅一次性奖励{reward}元。",
            ("甲方（签字）：", Handwritten(mentor.name), "　　　　乙方（签字）：", Handwritten(apprentice.name)),
        ],
        signature=[team.enterprise, chinese_date(start)],
        seal=_company(team),
    )


def pair_assessment(team: Team, title: str, day: date) -> Document:
    pairs = MentorPair.objects.filter(team=team).select_related("mentor", "apprentice").order_by("started_on")
    rows = [["师傅", "徒弟", "考核项目", "得分", "考核人"]]
    leader = _members(team)[0].name
    rows += [
        [p.mentor.name, p.apprentice.name, "实操考核", str(88 + 3 * n), Handwritten(leader)]
        for n, p in enumerate(pairs)
    ]
    return Document(
        title=title.removesuffix("记录") + "记录",
        body=[
            f"考核时间：{chinese_date(day)}　　考核地点：{_room(team)}",
            rows,
            "考核结果已在班组公示，带徒津贴按考核结果发放。",
        ],
        signature=[team.name, chinese_date(day)],
    )


# What "safe" means in a trade, and which office certifies it.
SAFETY = {
    "nursing": ("二级及以上护理不良事件和医疗安全责任事故", "护理部"),
    "bank": ("案件、重大差错和安全责任事故", "安全保卫部"),
    "tax": ("安全责任事故和有效服务投诉", "办公室"),
    "courier": ("交通责任事故和邮件安全事故", "安全管理部"),
    "metro": ("行车责任事故和人身伤害事故", "安全监察部"),
}
INDUSTRIAL_SAFETY = ("轻伤及以上人身伤害事故和一般及以上设备、火灾事故", "安全环保部")


def safety_certificate(team: Team, safe_days: int, day: date, issuer: str = "") -> Document:
    since = day - timedelta(days=safe_days)
    company = _company(team)
    incidents, office = SAFETY.get(spec_of(team).trade, INDUSTRIAL_SAFETY)
    issuer = issuer or f"{company}{office}"
    return Document(
        title="证　明",
        body=[
            f"兹证明{team.enterprise}{team.name}自{chinese_date(since)}至{chinese_date(day)}，严格落实安全生产责任制，"
            f"未发生{incidents}，连续安全{safe_days}天。",
            "特此证明。",
        ],
        signature=[issuer, chinese_date(day)],
        seal=issuer.removesuffix("安全科") if issuer.endswith("安全科") else company,
    )


def assessment_rules(team: Team, rules: list[tuple[str, str, str]], day: date, *, draft: bool = False) -> Document:
    return Document(
        title=f"{team.name}绩效考核办法",
        subtitle="（讨论稿）" if draft else f"（{day.year}年{day.month}月修订）",
        body=[
            f"第一条　为加强班组管理，调动职工积极性，根据{_company(team)}班组建设有关规定，结合本班组实际，制定本办法。",
            "第二条　本办法适用于班组全体成员。考核实行月度考核、季度讲评、年度评先，满分100分。",
            "第三条　考核内容、分值和标准如下：",
            [["考核项目", "分值", "考核标准"], *[[item, points, standard] for item, points, standard in rules]],
            "第四条　考核得分90分以上为优秀，与月度绩效工资挂钩；连续三个月优秀的，优先推荐评先选优。",
            "第五条　职工合理化建议被采纳、取得“五小”或QC成果的，每项加2至5分，年度累计计入创新创效奖。",
            "第六条　本办法经班组民主讨论通过，报车间（科室）备案后执行，由班组长负责解释。",
        ],
        signature=[team.name, chinese_date(day)],
    )


def ledger_file(team: Team, title: str, description: str, day: date, name: str) -> SimpleUploadedFile:
    """The file of a ledger entry: a photo of the event, or the paper its name announces."""
    if name.endswith(".jpg"):
        return photo_upload(team, name, f"{team.name}{title}", day)
    if "协议" in name:
        document = mentor_agreement(team)
    elif "QC" in name:
        subject = re.search(r"“(.+?)”", title)
        level = re.search(r"[一二三]等奖", description)
        document = qc_certificate(team, subject.group(1) if subject else title, level[0] if level else "一等奖", day)
    elif "登记表" in name:
        document = achievement_form(team, title, description, day)
    elif "签到表" in name or "名单" in name:
        document = sign_in_sheet(team, title, day)
    elif "成绩" in name:
        document = results_sheet(team, title, day)
    elif "考核记录" in name:
        document = pair_assessment(team, title, day)
    elif "证明" in name:
        document = safety_certificate(team, int(re.search(r"(\d+)天", title).group(1)), day)
    else:
        document = activity_record(team, title, description, day)
    return pdf_upload(name, document, day)
