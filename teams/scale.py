"""The generated province's teams and applications (`seed_scale`): each team's leader account,
members, mentor pairs and ledger; applications to the campaigns in every state with their answers,
evidence and submitted versions at realistic text lengths; and the audit events all of it left.

Texts are put together from the demo teams' own sentences (teams/demo/texts.py), so that they read
like 申报材料 and are as long as real ones; evidence points at a small shared set of real files.
Rows are loaded with COPY (core.bulk), their ids assigned here so that rows link without reading back.
"""

import hashlib
import io
import re
from collections import defaultdict
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from PIL import Image, ImageDraw

from accounts.models import User
from audit.models import AuditEvent
from core.bulk import load_rows, next_id, reset_sequences
from core.scale import ScaleContext

from .content import criterion_content
from .demo.texts import TEXTS
from .models import (
    Application,
    ApplicationVersion,
    CriterionAnswer,
    Evidence,
    LedgerEntry,
    Member,
    MentorPair,
    Team,
    pinyin_key,
)
from .services import tallies_recount

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = [
    "建华",
    "秀英",
    "志强",
    "芳",
    "静",
    "帆",
    "磊",
    "丽",
    "勇",
    "敏",
    "涛",
    "燕",
    "超",
    "红",
    "军",
    "婷",
    "伟",
    "娟",
    "峰",
    "霞",
    "斌",
    "洁",
    "凯",
    "琳",
    "冰",
    "亮",
    "雪",
    "洋",
    "梅",
    "然",
    "晓东",
    "海燕",
    "国庆",
    "春梅",
    "文博",
    "思远",
    "佳怡",
    "子涵",
    "浩然",
    "雨轩",
    "立新",
    "卫东",
    "秀兰",
    "桂英",
    "建国",
    "红梅",
    "小龙",
    "晨阳",
    "少华",
    "永刚",
]
DEPARTMENTS = [
    "细纱车间",
    "织布车间",
    "总装车间",
    "机加车间",
    "检修车间",
    "运行部",
    "综采工区",
    "机电工区",
    "常减压车间",
    "营业部",
    "纳税服务科",
    "护理部",
    "调度中心",
    "乘务中心",
    "变电运维中心",
    "客服中心",
    "质检中心",
    "提取车间",
    "配送站",
    "营业室",
]
CREWS = ["甲班", "乙班", "丙班", "丁班", "一班", "二班", "三班", "运维班", "QC小组", "突击队", "检修班", "服务班组"]
POSITIONS = ["值车工", "操作工", "维修工", "质检员", "技术员", "调度员", "护士", "乘务员", "营业员", "电工"]
GRADES = ["senior_technician", "technician", "senior", "senior", "intermediate", "intermediate", "junior", ""]
LEDGER_TITLES = {
    LedgerEntry.Kind.ACTIVITY: ["“学梦桃、做梦桃”主题学习", "班组安全活动日", "劳动竞赛启动会", "技术比武"],
    LedgerEntry.Kind.INNOVATION: ["合理化建议被采纳", "“五小”成果登记", "QC成果发布", "实用新型专利授权"],
    LedgerEntry.Kind.TRAINING: ["岗位练兵", "新员工岗前培训", "师带徒月度考核"],
    LedgerEntry.Kind.AWARD: ["获集团“先进班组”称号", "获市级“工人先锋号”"],
    LedgerEntry.Kind.SAFETY: ["安全生产月应急演练", "隐患排查整改"],
}
VETO_STATEMENT = "申报期内班组未发生安全生产责任事故，申报材料真实准确，无弄虚作假情况。"
RETURN_REASONS = [
    "请补充近两年“五小”成果的证明材料，并与台帐记录逐项核对。",
    "主要事迹中师带徒成效请写明徒弟晋升技能等级的具体人数。",
    "第4项请补充QC成果在集团发布的通报或证书。",
]
EVIDENCE_NAMES = [
    "班组活动记录.pdf",
    "QC成果证书.pdf",
    "师带徒结对协议书.pdf",
    "安全生产证明.pdf",
    "班组活动照片.jpg",
    "绩效考核办法.pdf",
    "合理化建议采纳通知.pdf",
    "技能等级证书.png",
]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Writer:
    """Texts of realistic length made of the demo teams' own sentences, numbers drawn anew."""

    def __init__(self):
        texts = [t for t in TEXTS.values() if "statements" in t]  # complete ones (one demo draft is not)
        self.summaries = [t["summary"] for t in texts]
        self.openings = [t["opening"] for t in texts]
        self.closings = [t["closing"] for t in texts]
        self.headings = [h for t in texts for h in t["headings"]]
        self.sentences: dict[str, list[str]] = defaultdict(list)
        for text in texts:
            for code, statement in text["statements"].items():
                self.sentences[code].extend(s + "。" for s in statement.split("。") if s.strip())
        self.codes = sorted(self.sentences)

    @staticmethod
    def fill(text: str, values: dict) -> str:
        return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), 12)), text)

    def _sentences(self, rng, pool: list[str], length: int, values: dict) -> str:
        parts, total = [], 0
        while total < length:
            sentence = self.fill(rng.choice(pool), values)
            parts.append(sentence)
            total += len(sentence)
        return "".join(parts)

    def summary(self, rng, values: dict) -> str:
        return self.fill(rng.choice(self.summaries), values)[:480]

    def statement(self, rng, order: int, values: dict) -> str:
        pool = self.sentences[self.codes[(order - 1) % len(self.codes)]]
        return self._sentences(rng, pool, rng.randint(200, 900), values)[:1500]

    def account(self, rng, values: dict) -> str:
        target = rng.randint(800, 1950)
        parts = [self.fill(rng.choice(self.openings), values)]
        all_sentences = [s for pool in self.sentences.values() for s in pool]
        heading = 0
        while sum(len(p) for p in parts) < target - 100:
            heading += 1
            parts.append(f"\n{'一二三四五六七八九十'[min(heading, 10) - 1]}、{rng.choice(self.headings)}\n")
            parts.append(self._sentences(rng, all_sentences, rng.randint(150, 350), values))
        parts.append("\n" + self.fill(rng.choice(self.closings), values))
        return "".join(parts)[:2000]


def _indicator_values(rng) -> dict:
    return {
        "adopted_proposals": rng.randint(0, 30),
        "training_hours": rng.randint(40, 400),
        "promoted_members": rng.randint(0, 6),
        "mentor_pairs": rng.randint(0, 8),
        "small_inventions": rng.randint(0, 3),
        "small_creations": rng.randint(0, 4),
        "small_innovations": rng.randint(0, 6),
        "small_designs": rng.randint(0, 2),
        "small_suggestions": rng.randint(0, 20),
        "qc_results": rng.randint(0, 4),
        "patents": rng.randint(0, 2),
        "safe_days": rng.randint(300, 3000),
        "members": rng.randint(5, 30),
        "seniors": rng.randint(1, 5),
        "five_small": rng.randint(2, 20),
    }


def _shared_files() -> list[dict]:
    """A few real files, stored once, that every evidence row of the generated province points at."""
    files = []
    for index, name in enumerate(EVIDENCE_NAMES):
        if name.endswith(".pdf"):
            text = f"BT /F1 24 Tf 72 720 Td ({index} scale evidence) Tj ET".encode()
            content = (
                b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
                b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
                b"4 0 obj<</Length " + str(len(text)).encode() + b">>stream\n" + text + b"\nendstream endobj\n"
                b"trailer<</Root 1 0 R>>\n%%EOF\n"
            )
            content_type = "application/pdf"
        else:
            image = Image.new("RGB", (320, 200), (200 - index * 10, 170, 120 + index * 10))
            ImageDraw.Draw(image).rectangle((40, 60, 280, 180), fill=(150, 40, 30))
            buffer = io.BytesIO()
            kind = "JPEG" if name.endswith(".jpg") else "PNG"
            image.save(buffer, kind)
            content, content_type = buffer.getvalue(), f"image/{kind.lower()}"
        sha256 = hashlib.sha256(content).hexdigest()
        stored = f"scale/{sha256}"
        if not default_storage.exists(stored):
            default_storage.save(stored, ContentFile(content))
        files.append(
            {"name": name, "sha256": sha256, "size": len(content), "content_type": content_type, "stored": stored}
        )
    return files


class Names:
    """Personal names and their pinyin keys, computed once per distinct name."""

    def __init__(self):
        self._keys: dict[str, str] = {}

    def draw(self, rng) -> str:
        return rng.choice(SURNAMES) + rng.choice(GIVEN)

    def key(self, name: str) -> str:
        if name not in self._keys:
            self._keys[name] = pinyin_key(name)
        return self._keys[name]


def seed(context: ScaleContext) -> None:
    phases = context.phases
    names = Names()
    phases.run("teams and their leaders", lambda: _teams(context, names))
    phases.run("members", lambda: _members(context, names))
    phases.run("mentor-apprentice pairs", lambda: _pairs(context))
    phases.run("ledger entries", lambda: _ledger(context))
    phases.run("applications", lambda: _applications(context))
    phases.run("answers", lambda: _answers(context))
    phases.run("evidence", lambda: _evidence(context))
    phases.run("submitted versions", lambda: _versions(context))
    phases.run("audit events", lambda: _audit(context))
    phases.run("application tallies", lambda: tallies_recount())
    reset_sequences(
        User,
        Team,
        Member,
        MentorPair,
        LedgerEntry,
        Application,
        CriterionAnswer,
        Evidence,
        ApplicationVersion,
        AuditEvent,
    )


def _teams(context: ScaleContext, names: Names) -> int:
    size, now = context.size, context.now
    rng = context.rng("teams")
    grassroots = context.shared["grassroots"]
    first_user, first_team = next_id(User), next_id(Team)
    teams, users, links = [], [], []
    used: set[tuple[int, str]] = set()
    bench_leader = context.shared["bench_users"]["leader"]
    for n in range(size.teams):
        union = grassroots[n % len(grassroots)] if n < len(grassroots) else rng.choice(grassroots)
        name = f"{rng.choice(DEPARTMENTS)}{rng.choice(CREWS)}"
        suffix = 2
        while (union["id"], name) in used:
            name = f"{name.rstrip('0123456789')}{suffix}"
            suffix += 1
        used.add((union["id"], name))
        roll = rng.random()
        status = Team.Status.APPROVED if roll < 0.9 else Team.Status.PENDING if roll < 0.97 else Team.Status.REJECTED
        if n < 4:  # the benchmark leader's teams are registered
            status = Team.Status.APPROVED
        created = now - timedelta(days=rng.uniform(20, 3 * 365))
        team_id, user_id = first_team + n, first_user + n
        leader_name = names.draw(rng)
        username = f"leader{team_id:07d}"
        users.append(
            (
                user_id,
                "!",
                None,
                False,
                username,
                f"{username}@example.org.cn",
                False,
                True,
                created,
                leader_name,
                "",
                union["id"],
            )
        )
        teams.append(
            {
                "id": team_id,
                "name": name,
                "union": union,
                "status": status,
                "created": created,
                "leader": user_id,
                "leader_name": leader_name,
                "sort": names.key(name),
            }
        )
        links.append((team_id, user_id))
        if n < 4:  # the benchmark's leader leads the first four teams too
            links.append((team_id, bench_leader.pk))
    user_fields = [
        "id",
        "password",
        "last_login",
        "is_superuser",
        "username",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
        "name",
        "phone",
        "unit",
    ]
    load_rows(User, user_fields, users)
    team_fields = [
        "id",
        "name",
        "name_pinyin",
        "enterprise",
        "grassroots_union",
        "industry",
        "region",
        "category",
        "founded_on",
        "description",
        "status",
        "reject_reason",
        "created_by",
        "created_at",
        "updated_at",
        "union_path",
        "member_count",  # counted once the members are in
    ]
    load_rows(
        Team,
        team_fields,
        (
            (
                t["id"],
                t["name"],
                t["sort"],
                t["union"]["enterprise"],
                t["union"]["id"],
                t["union"]["industry"],
                t["union"]["region"],
                "mengtao",
                (t["created"] - timedelta(days=3650)).date(),
                "",
                t["status"],
                "请补充班组成员名单和班组长任命文件。" if t["status"] == Team.Status.REJECTED else "",
                t["leader"],
                t["created"],
                t["created"] + timedelta(days=2),
                t["union"]["path"],
                0,
            )
            for t in teams
        ),
    )
    load_rows(Team.leaders.through, ["team", "user"], links)
    context.shared["teams"] = teams
    return len(teams)


def _members(context: ScaleContext, names: Names) -> int:
    rng = context.rng("members")
    low, high = context.size.members_per_team
    first = next_id(Member)
    members_of: dict[int, list[int]] = {}
    rows = []
    pk = first
    for team in context.shared["teams"]:
        count = rng.randint(low, high)
        ids = []
        for index in range(count):
            name = team["leader_name"] if index == 0 else names.draw(rng)
            left = rng.random() < 0.08 and index > 0
            joined = (team["created"] - timedelta(days=rng.randint(0, 3000))).date()
            rows.append(
                (
                    pk,
                    team["id"],
                    name,
                    names.key(name),
                    rng.choice(POSITIONS),
                    rng.choice(GRADES),
                    Member.Role.LEADER if index == 0 else Member.Role.MEMBER,
                    joined,
                    joined + timedelta(days=rng.randint(30, 900)) if left else None,
                    "",
                )
            )
            if not left:
                ids.append(pk)
            pk += 1
        members_of[team["id"]] = ids
    context.shared["members_of"] = members_of
    fields = ["id", "team", "name", "name_pinyin", "position", "skill_grade", "role", "joined_on", "left_on", "phone"]
    loaded = load_rows(Member, fields, rows)
    # The stored count of current members, as the member services keep it.
    current = (
        Member.objects.filter(team=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    first_team = context.shared["teams"][0]["id"]
    Team.objects.filter(pk__gte=first_team).update(member_count=Coalesce(Subquery(current[:1]), 0))
    return loaded


def _pairs(context: ScaleContext) -> int:
    rng = context.rng("pairs")

    def rows():
        pk = next_id(MentorPair)
        for team in context.shared["teams"]:
            current = context.shared["members_of"][team["id"]]
            for index in range(min(rng.randint(0, 3), len(current) // 2)):
                started = (team["created"] + timedelta(days=rng.randint(0, 300))).date()
                yield (pk, team["id"], current[index], current[-1 - index], started, None, "")
                pk += 1

    return load_rows(MentorPair, ["id", "team", "mentor", "apprentice", "started_on", "ended_on", "outcome"], rows())


def _ledger(context: ScaleContext) -> int:
    rng = context.rng("ledger")
    kinds = list(LEDGER_TITLES)
    now = context.now

    def rows():
        pk = next_id(LedgerEntry)
        for team in context.shared["teams"]:
            for _n in range(rng.randint(0, 2 * context.size.ledger_entries_per_team)):
                kind = rng.choice(kinds)
                day = now - timedelta(days=rng.uniform(1, 700))
                yield (
                    pk,
                    team["id"],
                    day.date(),
                    kind,
                    rng.choice(LEDGER_TITLES[kind]),
                    "班组全体成员参加，记录人：班组长。",
                    team["leader"],
                    day,
                    day,
                )
                pk += 1

    fields = ["id", "team", "occurred_on", "kind", "title", "description", "created_by", "created_at", "updated_at"]
    return load_rows(LedgerEntry, fields, rows())


# --- Applications -------------------------------------------------------------------------------

# The states an application is in, by the campaign's state: (state, share).
STATE_MIX = {
    "open": [("draft", 0.22), ("withdrawn", 0.03), ("submitted", 0.62), ("returned", 0.13)],
    "closed": [("draft", 0.12), ("submitted", 0.85), ("returned", 0.03)],
    "concluded": [("draft", 0.12), ("submitted", 0.85), ("returned", 0.03)],
}


def _applications(context: ScaleContext) -> int:
    """Choose which teams applied to which campaign and in which state; write the application rows."""
    rng = context.rng("applications")
    writer = Writer()
    approved = [t for t in context.shared["teams"] if t["status"] == Team.Status.APPROVED]
    planned = [(plan, campaign) for plan, campaign in context.shared["campaigns"] if plan.share > 0]
    total_share = sum(plan.share for plan, _c in planned)
    first = next_id(Application)
    applications = []
    for plan, campaign in planned:
        scope = campaign.scope_unit.path
        eligible = [t for t in approved if t["union"]["path"].startswith(scope)]
        wanted = min(len(eligible), round(context.size.applications * plan.share / total_share))
        chosen = rng.sample(eligible, wanted)
        if plan.key == "mengtao-2026":
            # The benchmark's leader: a returned, a submitted and a draft application; the fourth team may apply.
            bench = [t for t in approved if t["id"] in {team["id"] for team in context.shared["teams"][:3]}]
            chosen = bench + [t for t in chosen if t not in bench and t["id"] != context.shared["teams"][3]["id"]]
        states, weights = zip(*STATE_MIX[plan.state], strict=True)
        criteria = list(campaign.criteria.all())
        opens = campaign.application_opens_at
        window = (min(context.now, campaign.application_deadline) - opens).total_seconds()
        for index, team in enumerate(chosen):
            if plan.key == "mengtao-2026" and index < 3:
                state = ("returned", "submitted", "draft")[index]
            else:
                state = rng.choices(states, weights)[0]
            started = opens + timedelta(seconds=rng.uniform(0, window * 0.8))
            submitted = started + timedelta(seconds=rng.uniform(3600, max(7200, window * 0.2)))
            values = _indicator_values(rng)
            filled = state != "draft" or rng.random() < 0.5
            applications.append(
                {
                    "id": first + len(applications),
                    "team": team,
                    "campaign": campaign,
                    "criteria": criteria,
                    "state": state,
                    "started": started,
                    "submitted": submitted,
                    "values": values,
                    "summary": writer.summary(rng, values) if filled else "",
                    "account": writer.account(rng, values) if filled else "",
                    "statements": [
                        writer.statement(rng, c.order, values) if not c.is_veto else VETO_STATEMENT for c in criteria
                    ]
                    if filled
                    else [],
                    "versions": 0 if state == "draft" else 2 if rng.random() < 0.1 else 1,
                    "return_reason": rng.choice(RETURN_REASONS) if state == "returned" else "",
                }
            )
    for application in applications:
        if application["state"] == "withdrawn":
            application["versions"] = 1
    context.shared["applications"] = applications
    fields = [
        "id",
        "team",
        "campaign",
        "status",
        "summary",
        "account",
        "version",
        "return_reason",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "union_path",
        "team_sort",
        "submitted_summary",
    ]
    return load_rows(
        Application,
        fields,
        (
            (
                a["id"],
                a["team"]["id"],
                a["campaign"].pk,
                "draft" if a["state"] == "withdrawn" else a["state"],
                a["summary"],
                a["account"],
                a["versions"],
                a["return_reason"],
                a["team"]["leader"],
                a["started"],
                a["submitted"] if a["versions"] else a["started"],
                a["submitted"] if a["versions"] else None,
                a["team"]["union"]["path"],
                a["team"]["sort"],
                a["summary"] if a["versions"] else "",
            )
            for a in applications
        ),
    )


def _answers(context: ScaleContext) -> int:
    def rows():
        pk = next_id(CriterionAnswer)
        for application in context.shared["applications"]:
            for criterion, statement in zip(application["criteria"], application["statements"], strict=False):
                indicators = {code: application["values"].get(code) for code in criterion.indicators}
                yield (pk, application["id"], criterion.pk, statement, indicators)
                pk += 1

    return load_rows(CriterionAnswer, ["id", "application", "criterion", "statement", "indicators"], rows())


def _evidence_for(application: dict, files: list[dict], rng) -> list[tuple]:
    """(criterion, file) pairs: at least the minimum each criterion asks, a few more besides."""
    if not application["statements"]:
        return []
    pairs = []
    scored = [c for c in application["criteria"] if not c.is_veto]
    for criterion in scored:
        for _n in range(criterion.min_evidence):
            pairs.append((criterion, rng.choice(files)))
    while len(pairs) < application["evidence_wanted"]:
        pairs.append((rng.choice(scored), rng.choice(files)))
    seen, unique = set(), []
    for criterion, file in pairs:
        if (criterion.pk, file["sha256"]) not in seen:  # a file once per criterion
            seen.add((criterion.pk, file["sha256"]))
            unique.append((criterion, file))
    return unique


def _evidence(context: ScaleContext) -> int:
    rng = context.rng("evidence")
    files = _shared_files()
    per_application = context.size.evidence_per_application

    def rows():
        pk = next_id(Evidence)
        for application in context.shared["applications"]:
            application["evidence_wanted"] = rng.randint(per_application - 2, per_application + 2)
            application["evidence"] = _evidence_for(application, files, rng)
            for criterion, file in application["evidence"]:
                yield (
                    pk,
                    file["stored"],
                    file["name"],
                    file["content_type"],
                    file["size"],
                    file["sha256"],
                    application["team"]["leader"],
                    application["started"] + timedelta(minutes=30),
                    application["id"],
                    criterion.pk,
                    None,
                )
                pk += 1

    fields = [
        "id",
        "file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "application",
        "criterion",
        "ledger_entry",
    ]
    return load_rows(Evidence, fields, rows())


def _content(application: dict) -> dict:
    """What a submitted version freezes, shaped as teams.content.application_content() shapes it."""
    evidence = defaultdict(list)
    for criterion, file in application["evidence"]:
        evidence[criterion.pk].append(dict(file))
    criteria = [
        criterion_content(
            criterion, statement=statement, values=application["values"], evidence=evidence.get(criterion.pk, [])
        )
        for criterion, statement in zip(application["criteria"], application["statements"], strict=False)
    ]
    return {"summary": application["summary"], "account": application["account"], "criteria": criteria}


def _versions(context: ScaleContext) -> int:
    def rows():
        pk = next_id(ApplicationVersion)
        for application in context.shared["applications"]:
            if not application["versions"]:
                continue
            content = _content(application)
            for number in range(1, application["versions"] + 1):
                when = application["submitted"] - timedelta(days=7 * (application["versions"] - number))
                yield (pk, application["id"], number, content, application["team"]["leader"], when)
                pk += 1

    fields = ["id", "application", "number", "content", "submitted_by", "submitted_at"]
    return load_rows(ApplicationVersion, fields, rows())


def _audit(context: ScaleContext) -> int:
    """What the trail would hold had all this happened through the services: registrations and
    approvals, applications started, evidence attached, submissions and returns."""
    staff = context.shared["bench_users"]["organiser"]

    def events():
        pk = next_id(AuditEvent)

        def event(when, actor, actor_name, action, target_type, target_id, target_repr, unit_id, details):
            nonlocal pk
            pk += 1
            return (
                pk - 1,
                when,
                actor,
                actor_name,
                action,
                target_type,
                str(target_id),
                target_repr[:255],
                unit_id,
                details,
                None,
            )

        for team in context.shared["teams"]:
            union_id = team["union"]["id"]
            yield event(
                team["created"],
                team["leader"],
                team["leader_name"],
                "teams.register",
                "teams.team",
                team["id"],
                team["name"],
                union_id,
                {"name": team["name"]},
            )
            if team["status"] != Team.Status.PENDING:
                action = "teams.approve" if team["status"] == Team.Status.APPROVED else "teams.reject"
                yield event(
                    team["created"] + timedelta(days=2),
                    staff.pk,
                    staff.name,
                    action,
                    "teams.team",
                    team["id"],
                    team["name"],
                    union_id,
                    {},
                )
        for application in context.shared["applications"]:
            team, campaign = application["team"], application["campaign"]
            target = f"{team['name']} · {campaign.title}"
            base = {"team": team["name"], "campaign": campaign.title}
            union_id = team["union"]["id"]
            yield event(
                application["started"],
                team["leader"],
                team["leader_name"],
                "teams.application_start",
                "teams.application",
                application["id"],
                target,
                union_id,
                base,
            )
            if application["evidence"]:
                yield event(
                    application["started"] + timedelta(minutes=30),
                    team["leader"],
                    team["leader_name"],
                    "teams.application_evidence_add",
                    "teams.application",
                    application["id"],
                    target,
                    union_id,
                    {
                        **base,
                        "files": [{"name": f["name"], "sha256": f["sha256"]} for _c, f in application["evidence"][:3]],
                    },
                )
            for number in range(1, application["versions"] + 1):
                yield event(
                    application["submitted"],
                    team["leader"],
                    team["leader_name"],
                    "teams.application_submit",
                    "teams.application",
                    application["id"],
                    target,
                    union_id,
                    {**base, "version": number},
                )
            if application["state"] == "returned":
                yield event(
                    application["submitted"] + timedelta(days=3),
                    staff.pk,
                    staff.name,
                    "teams.application_return",
                    "teams.application",
                    application["id"],
                    target,
                    union_id,
                    {**base, "reason": application["return_reason"]},
                )

    fields = [
        "id",
        "occurred_at",
        "actor",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "unit",
        "details",
        "ip_address",
    ]
    return load_rows(AuditEvent, fields, events())
