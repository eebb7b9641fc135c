"""The generated province's dynamic management (动态管理), after the titles (`seed_scale`, awards stage
"dynamic"): re-assessments (复核) of named titles, revocations (摘牌) and the showcase of typical
examples (典型).

- A concluded re-assessment by the province, months ago, of the titles of one district: most passed,
  the failed and the unreported revoked since (reason: failed the re-assessment).
- The big one, running now: every title named in the year with the most titles, its report deadline
  passed a week ago, its review running; its items in every state — not started and drafts (overdue),
  waiting at each level from the grassroots union up to the province (the cities, with the most
  reports, hold the most), returned, some resubmitted after a return, concluded passed, failed (some
  of those revoked already) or not reported. Each submitted report has its statements, evidence and
  frozen versions (statements and evidence hashes), and each level its opinion.
- The next year's titles, started a little later, its report deadline just passed: most reports
  waiting at some level, the cities deciding (a city federation's queue holds a few hundred).
- A smaller one, also by the province, of one naming decision of another year, its reports still
  being written. (The cities name no titles in the generated province, so they re-assess none: a
  city federation's staff meet the province's re-assessments in their queue, as the chain passes
  through them.)
- About 1.5 % of the titles revoked in all: those above, and batches of titles not under re-assessment
  for the other reasons; a few revocations reversed. The titles' state, revoked_on and
  revocation_reason are updated to match the standing revocations.
- About 300 features of named titles spread over the regions and industries, each with one to three
  photos: image files of a ledger entry of the team's own (a small shared set of real images, stored
  once, with their hashes); about 20 taken down, and a few of titles revoked since.

Everything is drawn from generators seeded per phase and loaded with COPY (core.bulk).
"""

import hashlib
import io
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from campaigns.models import Criterion
from core.bulk import load_rows, next_id, reset_sequences
from core.demo import SHANGHAI
from core.scale import ScaleContext
from reviews.chain import chain_paths
from teams.models import LedgerAttachment, LedgerEntry
from teams.scale import _shared_files

from .models import (
    Feature,
    FeaturePhoto,
    Reassessment,
    ReassessmentAnswer,
    ReassessmentDecision,
    ReassessmentEvidence,
    ReassessmentItem,
    ReassessmentVersion,
    Revocation,
    Title,
)

S = ReassessmentItem.State
OUT = ReassessmentItem.Outcome
K = ReassessmentDecision.Kind
Reason = Revocation.Reason

REVOKED_SHARE = 0.015  # of all titles, revoked in the end (the reversed ones not counted)
REVERSED_SHARE = 0.1  # of the revocations for other reasons than a re-assessment, reversed (made in error)
FEATURES = 300
FEATURES_WITHDRAWN = 20
FEATURES_PER_TITLES = 30  # at the smaller sizes: one feature per this many titles

# The big re-assessment's items: (what, share). "waiting" is spread over the levels (WAIT_WEIGHTS).
BIG_MIX = [
    ("not_started", 0.03),
    ("draft", 0.03),
    ("waiting", 0.66),
    ("returned", 0.05),
    ("passed", 0.17),
    ("failed", 0.03),
    ("not_reported", 0.03),
]
# The next year's, started later: its report deadline just passed, nothing concluded yet.
NEXT_MIX = [("not_started", 0.05), ("draft", 0.05), ("waiting", 0.82), ("returned", 0.08)]
# The smaller running one, its reports still being written.
SMALL_MIX = [
    ("not_started", 0.30),
    ("draft", 0.30),
    ("waiting", 0.33),
    ("returned", 0.07),
]
# The concluded one.
CONCLUDED_MIX = [("passed", 0.85), ("failed", 0.08), ("not_reported", 0.07)]
# Every kind the big one holds at least once (the first items take them in turn): waiting at the
# grassroots union, at the level above it, and at the organiser.
BIG_FORCED = ["not_started", "draft", "waiting:0", "waiting:1", "waiting:-1", "returned", "passed", "failed",
              "not_reported", "resubmitted"]  # fmt: skip

STATEMENTS = [
    "命名以来，班组坚持“学梦桃、做梦桃”主题实践活动，每月开展一次岗位练兵，全员技能等级较命名时提升一级以上。",
    "班组持续开展“五小”创新活动，命名以来累计完成“五小”成果{n}项，其中{m}项在企业推广应用，年创效益{k}万元。",
    "严格落实安全生产责任制，班前会安全讲话、岗位隐患排查形成常态，命名以来连续安全生产{d}天，无违章、无事故。",
    "师带徒结对{n}对，徒弟全部按期出徒，{m}名徒弟取得高级工以上职业资格，1名徒弟在企业技能大赛中获奖。",
    "班组民主管理规范，班务公开栏按月更新，绩效考核结果在班组内公示，职工满意度测评达到{p}%。",
    "主要经济技术指标持续保持企业先进水平，产品一次交检合格率达到{p}%，较命名当年提高{m}个百分点。",
    "积极参与企业劳动竞赛，命名以来在集团劳动竞赛中获得{n}次班组第一名，班组长被评为企业优秀班组长。",
    "注重发挥示范引领作用，先后接待兄弟单位交流学习{n}批次，帮助{m}个后进班组提升管理水平。",
]
OPINIONS = {
    K.PASS: [
        "经核查，该班组复核材料真实完整，命名以来保持了先进水平，同意通过复核。",
        "复核材料齐全，经现场查看和职工座谈，班组各项指标保持良好，同意通过。",
        "经审核，该班组继续发挥示范引领作用，符合命名条件，同意报送上一级。",
    ],
    K.FAIL: [
        "经核查，该班组命名以来发生一般安全生产事故一起，不再符合命名条件，复核不通过。",
        "班组已于今年撤并，原成员分入其他班组，建议复核不通过。",
        "复核材料与实际情况不符，班组主要指标明显下滑，复核不通过。",
    ],
    K.RETURN: [
        "请补充命名以来安全生产情况的企业证明材料。",
        "“五小”成果数量与企业登记不一致，请核实后重新报送。",
        "请补充师带徒结对协议和出徒考核记录。",
    ],
}
REVOCATION_DETAILS = {
    Reason.FAILED_REASSESSMENT: "复核不通过，依据复核结论撤销其命名。",
    Reason.FRAUD: "经查实，该集体申报材料中主要事迹存在弄虚作假情形。",
    Reason.ACCIDENT: "该集体所在岗位发生较大安全生产责任事故，负有主要责任。",
    Reason.NO_RESULTS: "命名后连续三年未开展创建活动，无新的工作成果。",
    Reason.DISSOLVED: "因企业改制重组，该班组已撤销建制。",
    Reason.OTHER: "该集体主要负责人因严重违纪被给予处分，经研究撤销其命名。",
}
REVERSAL_REASONS = [
    "经复查，原认定的事故责任不在该班组，撤销决定有误，予以恢复。",
    "证书编号录入错误，误撤销了该集体的命名，予以恢复。",
]
HEADLINES = [
    "以“梦桃精神”锻造一流班组",
    "小改小革里的大匠心",
    "安全生产{d}天的坚守",
    "师带徒，一茬接一茬",
    "把质量写在每一道工序里",
    "创新工作室里的“金点子”",
    "从后进到先进的三年",
    "扎根一线的“技术尖兵”",
]
STORY_PARAGRAPHS = [
    "这是一个平均年龄不到三十岁的年轻班组。命名以来，班组坚持“一月一练兵、一季一比武”，人人争当技术能手，"
    "先后有{m}人在企业技能大赛中获奖。",
    "班组长常说：“赵梦桃的‘不让一个伙伴掉队’，在我们这儿就是不让一道工序出问题。”班组推行工序互检、"
    "班后复盘，产品一次交检合格率连续保持在{p}%以上。",
    "他们把合理化建议写在班组的“金点子”墙上，{n}项“五小”成果在车间推广，仅节能降耗一项每年就为企业节约成本{k}万元。",
    "老师傅带新徒弟，新徒弟成骨干。命名以来，班组与{n}名新员工签订师带徒协议，徒弟全部按期出徒。",
]
SNAPSHOT_KEYS = ("name", "sha256", "size", "content_type", "stored")  # StoredFile.as_snapshot()
PHOTO_NAMES = ["班组合影.jpg", "岗位练兵.jpg", "技术比武现场.jpg", "五小成果展示.png", "班前会.jpg", "师带徒.png"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _fill(text: str, rng) -> str:
    return text.format(
        n=rng.randint(3, 30),
        m=rng.randint(1, 9),
        k=rng.randint(5, 120),
        d=rng.randint(400, 3000),
        p=rng.randint(95, 99),
    )


def _choose(rng, mix):
    return rng.choices([kind for kind, _share in mix], [share for _kind, share in mix])[0]


def _photo_files() -> list[dict]:
    """A few real photos, stored once, that every feature's ledger entry points at."""
    files = []
    for index, name in enumerate(PHOTO_NAMES):
        image = Image.new("RGB", (640, 400), (60 + index * 25, 120, 180 - index * 20))
        draw = ImageDraw.Draw(image)
        draw.rectangle((60, 90, 580, 340), fill=(220, 200 - index * 15, 150))
        draw.ellipse((260, 140, 380, 260), fill=(150, 40, 30))
        buffer = io.BytesIO()
        kind = "PNG" if name.endswith(".png") else "JPEG"
        image.save(buffer, kind)
        content = buffer.getvalue()
        sha256 = hashlib.sha256(content).hexdigest()
        stored = f"scale/{sha256}"
        if not default_storage.exists(stored):
            default_storage.save(stored, ContentFile(content))
        files.append(
            {"name": name, "sha256": sha256, "size": len(content), "content_type": f"image/{kind.lower()}",
             "stored": stored}
        )  # fmt: skip
    return files


class Dynamic:
    """The re-assessments', revocations' and features' rows, built phase by phase and loaded with COPY."""

    def __init__(self, context: ScaleContext):
        self.context = context
        self.now = context.now
        self.today = timezone.localtime(self.now, SHANGHAI).date()
        users = context.shared["bench_users"]
        self.staff = users["organiser"].pk
        self.city_staff = users["city"].pk
        self.root = context.shared["root"]
        self.teams = {t["id"]: t for t in context.shared["teams"]}
        self.unit_ids = dict(type(self.root).objects.filter(path__startswith=self.root.path).values_list("path", "id"))
        self.titles = list(
            Title.objects.filter(state=Title.State.NAMED)
            .order_by("id")
            .values(
                "id", "team_id", "team_sort", "team_name", "year", "region", "industry", "certificate_number",
                "decision_id", "decision__decided_on", "decision__campaign_id", "decision__campaign__organiser__path",
            )
        )  # fmt: skip
        self.total_titles = Title.objects.count()
        campaigns = {t["decision__campaign_id"] for t in self.titles}
        self.criteria = defaultdict(list)
        for c in Criterion.objects.filter(campaign_id__in=campaigns).order_by("order", "id"):
            self.criteria[c.campaign_id].append(c)
        self.evidence_files = [f for f in _shared_files() if f["content_type"] == "application/pdf"]
        self.reassessments: list[tuple] = []
        self.items: list[list] = []
        self.answers: list[tuple] = []
        self.evidence: list[tuple] = []
        self.versions: list[tuple] = []
        self.decisions: list[tuple] = []
        self.failed: list[tuple[int, date]] = []  # (title, concluded on) of failed or unreported titles
        self.in_running: set[int] = set()
        self.revoked: dict[int, tuple[date, str]] = {}  # title → (revoked on, reason) of its standing revocation
        self.ids = {
            model: next_id(model)
            for model in (Reassessment, ReassessmentItem, ReassessmentAnswer, ReassessmentEvidence,
                          ReassessmentVersion, ReassessmentDecision, Revocation, LedgerEntry, LedgerAttachment,
                          Feature, FeaturePhoto)
        }  # fmt: skip

    def _id(self, model) -> int:
        pk = self.ids[model]
        self.ids[model] += 1
        return pk

    # --- The re-assessments -------------------------------------------------------------------

    def reassessments_and_items(self) -> int:
        rng = self.context.rng("re-assessments")
        by_year = defaultdict(list)
        for title in self.titles:
            by_year[title["year"]].append(title)
        years = sorted(by_year, key=lambda year: (-len(by_year[year]), year))
        big_year = years[0]

        # Months ago: the titles of one district, concluded; the failed revoked since.
        started = self.today - timedelta(days=200)
        older = [t for t in self.titles if t["decision__decided_on"] < started - timedelta(days=90)]
        regions = defaultdict(list)
        for title in older:
            if title["region"].endswith("区"):
                regions[title["region"]].append(title)
        region = max(sorted(regions), key=lambda r: len(regions[r])) if regions else None
        if region:
            self._reassessment(
                rng, regions[region], CONCLUDED_MIX, started=started, report_days=45, review_days=90,
                title=f"关于对{region.removeprefix('陕西省')}命名集体开展复核的通知",
                document_number=f"陕工发〔{started.year}〕31号", scope=f"{region}的全部命名集体",
                concluded=True,
            )  # fmt: skip

        # Now: every title of the year with the most, its reports in and climbing the tree (not those
        # the concluded one failed: they were revoked before this one started).
        gone = {title for title, _day in self.failed}
        started = self.today - timedelta(days=40)
        self._reassessment(
            rng, [t for t in by_year[big_year] if t["id"] not in gone], BIG_MIX, started=started,
            report_days=32, review_days=65, title=f"关于对{big_year}年度命名集体开展复核的通知",
            document_number=f"陕工发〔{started.year}〕36号", scope=f"{big_year}年度命名的全部集体",
            forced=BIG_FORCED,
        )  # fmt: skip

        # The next year's titles, started a little later: most reports in, the cities deciding.
        started = self.today - timedelta(days=35)
        if len(years) > 1:
            self._reassessment(
                rng, [t for t in by_year[years[1]] if t["id"] not in gone], NEXT_MIX, started=started,
                report_days=30, review_days=70, title=f"关于对{years[1]}年度命名集体开展复核的通知",
                document_number=f"陕工发〔{started.year}〕37号", scope=f"{years[1]}年度命名的全部集体",
            )  # fmt: skip

        # And the titles of one decision of another year, its reports being written.
        other = [t for t in self.titles if t["year"] not in years[:2] and t["id"] not in gone]
        decisions = defaultdict(list)
        for title in other:
            decisions[title["decision_id"]].append(title)
        if decisions:
            decision = min(sorted(decisions), key=lambda d: len(decisions[d]))
            started = self.today - timedelta(days=12)
            titles = decisions[decision]
            self._reassessment(
                rng, titles, SMALL_MIX, started=started, report_days=30, review_days=60,
                title=f"关于对{titles[0]['year']}年度命名的{len(titles)}个集体开展复核的通知",
                document_number=f"陕工发〔{started.year}〕41号", scope=f"命名决定 {decision} 命名的全部集体",
            )  # fmt: skip

        load_rows(Reassessment, REASSESSMENT_FIELDS, self.reassessments)
        load_rows(ReassessmentItem, ITEM_FIELDS, (tuple(row) for row in self.items))
        return len(self.reassessments) + len(self.items)

    def _reassessment(self, rng, titles, mix, *, started, report_days, review_days, title, document_number, scope,
                      concluded=False, forced=()):  # fmt: skip
        pk = self._id(Reassessment)
        created = _at(started, 10, rng.randint(0, 59))
        report_deadline = _at(started + timedelta(days=report_days), 17, 30)
        review_deadline = _at(started + timedelta(days=review_days), 17, 30)
        concluded_at = review_deadline - timedelta(days=rng.randint(1, 5)) if concluded else None
        titles = sorted(titles, key=lambda t: (t["team_sort"], t["id"]))
        self.reassessments.append(
            (pk, self.root.pk, title, document_number, scope, None, report_deadline, review_deadline,
             "concluded" if concluded else "running", len(titles), self.staff, created, concluded_at)
        )  # fmt: skip
        context = {
            "created": created,
            "report_deadline": report_deadline,
            "review_deadline": review_deadline,
            "end": concluded_at or self.now - timedelta(minutes=30),
        }
        for n, t in enumerate(titles):
            kind = forced[n] if n < len(forced) else _choose(rng, mix)
            self._item(rng, pk, t, kind, context)
            if not concluded:
                self.in_running.add(t["id"])

    def _item(self, rng, reassessment: int, title: dict, kind: str, when: dict) -> None:
        team = self.teams[title["team_id"]]
        campaign = title["decision__campaign_id"]
        paths = chain_paths(team["union"]["path"], self.root.path)
        chain = [self.unit_ids[path] for path in paths]
        top = len(chain) - 1
        pk = self._id(ReassessmentItem)
        state, unit, version, outcome, position = S.NOT_STARTED, None, 0, "", None
        resubmitted = kind == "resubmitted" or (kind == "waiting" and rng.random() < 0.1)
        if kind == "resubmitted":
            kind = "waiting"
        if kind.startswith("waiting"):
            state = S.WAITING
            if ":" in kind:
                position = int(kind.split(":")[1]) % len(chain)
            else:  # the cities hold the most: most chains run grassroots, (district,) city, province
                weights = [0.1] + [0.7 / (len(chain) - 2)] * (len(chain) - 2) + [0.2]
                if len(chain) == 4:
                    weights = [0.1, 0.1, 0.6, 0.2]
                position = rng.choices(range(len(chain)), weights)[0]
        elif kind == "returned":
            state, position = S.RETURNED, rng.randint(0, top)
        elif kind in ("passed", "failed"):
            state, outcome, position = S.CONCLUDED, kind, top
        elif kind == "not_reported":
            state, outcome = S.CONCLUDED, OUT.NOT_REPORTED
        elif kind == "draft":
            state = S.DRAFT
        # The report: written from a few days after the start, submitted before the deadline.
        written = state != S.NOT_STARTED and outcome != OUT.NOT_REPORTED
        started = when["created"] + timedelta(days=rng.uniform(1, 12))
        submitted = arrived = decided = None
        if written:
            criteria = self.criteria[campaign]
            complete = state != S.DRAFT
            statements = {}
            for order, criterion in enumerate(criteria):
                if complete or order < len(criteria) // 2:
                    text = "".join(_fill(s, rng) for s in rng.sample(STATEMENTS, rng.randint(2, 4)))
                    statements[criterion.pk] = text
                    self.answers.append((self._id(ReassessmentAnswer), pk, criterion.pk, text))
            evidence = defaultdict(list)
            scored = [c for c in criteria if not c.is_veto] or criteria
            for _n in range(rng.randint(1, 3) if complete else rng.randint(0, 1)):
                criterion, file = rng.choice(scored), rng.choice(self.evidence_files)
                if any(e["sha256"] == file["sha256"] for e in evidence[criterion.pk]):
                    continue
                evidence[criterion.pk].append({k: file[k] for k in SNAPSHOT_KEYS})
                self.evidence.append(
                    (self._id(ReassessmentEvidence), file["stored"], file["name"], file["content_type"],
                     file["size"], file["sha256"], team["leader"], started, pk, criterion.pk, None)
                )  # fmt: skip
            if complete:
                content = {
                    "certificate_number": title["certificate_number"],
                    "team": team["name"],
                    "criteria": [
                        {"id": c.pk, "code": c.code, "title": c.title, "description": c.description,
                         "statement_required": c.statement_required, "statement": statements.get(c.pk, ""),
                         "evidence": evidence.get(c.pk, [])}
                        for c in criteria
                    ],
                }  # fmt: skip
                last_day = when["report_deadline"] - timedelta(hours=2)
                submitted = min(started + timedelta(days=rng.uniform(1, 15)), last_day)
                version = 2 if resubmitted else 1
                moment = submitted
                # Each level below `position` passed it on (on version 1 when it was returned since).
                for level in range(position):
                    moment = self._decide(rng, pk, chain[level], level, K.PASS, 1, moment, when)
                if resubmitted:  # returned at `position`, then submitted again, and waiting there again
                    moment = self._decide(rng, pk, chain[position], position, K.RETURN, 1, moment, when)
                    first = submitted
                    submitted = min(moment + timedelta(days=rng.uniform(1, 4)), when["end"])
                    self.versions.append((self._id(ReassessmentVersion), pk, 1, content, team["leader"], first))
                    moment = submitted
                arrived = moment  # at the unit where it waits, or which decided on it last
                if kind == "returned":
                    moment = self._decide(rng, pk, chain[position], position, K.RETURN, version, moment, when)
                elif state == S.CONCLUDED:
                    final = K.PASS if outcome == OUT.PASSED else K.FAIL
                    moment = self._decide(rng, pk, chain[top], top, final, version, moment, when)
                    decided = moment
                self.versions.append((self._id(ReassessmentVersion), pk, version, content, team["leader"], submitted))
                unit = chain[position]
        conclusion = ""
        if state == S.CONCLUDED:
            if outcome == OUT.NOT_REPORTED:
                decided = min(when["report_deadline"] + timedelta(days=rng.uniform(1, 5)), when["end"])
                conclusion = "逾期未报送复核材料，经催报仍未报送。"
            else:
                conclusion = self.decisions[-1][5]
            if outcome in (OUT.FAILED, OUT.NOT_REPORTED):
                self.failed.append((title["id"], timezone.localtime(decided, SHANGHAI).date()))
        if decided:
            updated = decided
        elif submitted:
            updated = moment
        else:
            updated = started if written else when["created"]
        self.items.append(
            [pk, reassessment, title["id"], title["team_id"], campaign, title["team_sort"], state, unit, version,
             submitted, arrived, outcome, conclusion, self.staff if decided else None, decided, updated]
        )  # fmt: skip

    def _decide(self, rng, item: int, unit: int, level: int, kind: str, version: int, after, when) -> datetime:
        moment = min(after + timedelta(hours=rng.uniform(4, 96)), when["end"])
        by = self.staff if unit == self.root.pk else self.city_staff
        self.decisions.append(
            (self._id(ReassessmentDecision), item, unit, level + 1, kind, rng.choice(OPINIONS[kind]), version, by,
             moment)
        )  # fmt: skip
        return moment

    def reports(self) -> int:
        return (
            load_rows(ReassessmentAnswer, ["id", "item", "criterion", "statement"], self.answers)
            + load_rows(ReassessmentEvidence, EVIDENCE_FIELDS, self.evidence)
            + load_rows(ReassessmentVersion, ["id", "item", "number", "content", "submitted_by", "submitted_at"],
                        self.versions)
        )  # fmt: skip

    def opinions(self) -> int:
        return load_rows(ReassessmentDecision, DECISION_FIELDS, self.decisions)

    # --- The revocations ----------------------------------------------------------------------

    def revocations(self) -> int:
        rng = self.context.rng("revocations")
        wanted = round(REVOKED_SHARE * self.total_titles)
        rows = []
        # The failed and unreported of the re-assessments: revoked a few weeks after the conclusion,
        # the concluded re-assessment's all, the running one's about half.
        batches = defaultdict(list)
        for title, concluded_on in self.failed:
            if title in self.in_running and rng.random() < 0.5:
                continue
            revoked_on = min(concluded_on + timedelta(days=rng.randint(3, 20)), self.today - timedelta(days=1))
            batches[(revoked_on, Reason.FAILED_REASSESSMENT)].append(title)
        # The others: batches of one to four titles not under re-assessment, for the other reasons.
        failed = {title for title, _day in self.failed}
        free = [t for t in self.titles if t["id"] not in self.in_running and t["id"] not in failed]
        rng.shuffle(free)
        reasons = [Reason.FRAUD, Reason.ACCIDENT, Reason.NO_RESULTS, Reason.DISSOLVED, Reason.OTHER]
        left = max(wanted - sum(len(ids) for ids in batches.values()), len(reasons))
        n = 0
        while left > 0 and free:
            size = min(rng.choice([1, 1, 1, 2, 3, 4]), left, len(free))
            chosen, free = free[:size], free[size:]
            earliest = max(t["decision__decided_on"] for t in chosen) + timedelta(days=90)
            if earliest >= self.today:
                continue
            revoked_on = earliest + timedelta(days=rng.randint(0, max((self.today - earliest).days - 1, 0)))
            batches[(revoked_on, reasons[n % len(reasons)], n)].extend(t["id"] for t in chosen)
            left -= size
            n += 1
        # A few revocations made in error and reversed since (none of a failed re-assessment's).
        others = sorted(t for key, ids in batches.items() if key[1] != Reason.FAILED_REASSESSMENT for t in ids)
        reversed_titles = set(rng.sample(others, min(len(others), max(1, round(REVERSED_SHARE * len(others))))))
        number = defaultdict(int)
        for key in sorted(batches, key=lambda k: (k[0], k[1], k[2] if len(k) > 2 else -1)):
            revoked_on, reason = key[0], key[1]
            ids = sorted(batches[key])
            number[revoked_on.year] += 1
            document = f"陕工发〔{revoked_on.year}〕{60 + number[revoked_on.year]}号"
            revoked_at = min(_at(revoked_on, 15, rng.randint(0, 59)), self.now - timedelta(minutes=10))
            for title in ids:
                reversed_at = reversal = None
                if title in reversed_titles:
                    reversed_at = min(revoked_at + timedelta(days=rng.uniform(3, 30)), self.now - timedelta(minutes=5))
                    reversal = rng.choice(REVERSAL_REASONS)
                else:
                    self.revoked[title] = (revoked_on, reason)
                rows.append(
                    (self._id(Revocation), title, reason, REVOCATION_DETAILS[reason] if rng.random() < 0.8 or
                     reason == Reason.OTHER else "", document, revoked_on, rng.random() < 0.7, rng.random() < 0.6,
                     self.staff, revoked_at, len(ids), reversed_at, self.staff if reversed_at else None,
                     reversal or "")
                )  # fmt: skip
        count = load_rows(Revocation, REVOCATION_FIELDS, rows)
        # The titles as the standing revocations leave them: one UPDATE per date and reason.
        groups = defaultdict(list)
        for title, (revoked_on, reason) in self.revoked.items():
            groups[(revoked_on, reason)].append(title)
        for (revoked_on, reason), ids in sorted(groups.items()):
            Title.objects.filter(pk__in=ids).update(
                state=Title.State.REVOKED, revoked_on=revoked_on, revocation_reason=reason
            )
        return count

    # --- The showcase -------------------------------------------------------------------------

    def showcase(self) -> int:
        rng = self.context.rng("showcase")
        photos = _photo_files()
        wanted = min(FEATURES, max(6, len(self.titles) // FEATURES_PER_TITLES))
        withdrawn = max(1, round(wanted * FEATURES_WITHDRAWN / FEATURES))
        gone = max(1, wanted // 60)  # featured, then revoked
        # Spread over the regions and industries: one from each group in turn.
        groups = defaultdict(list)
        for title in self.titles:
            if title["id"] not in self.revoked:
                groups[(title["region"], title["industry"])].append(title)
        for titles in groups.values():
            rng.shuffle(titles)
        order = sorted(groups)
        rng.shuffle(order)
        chosen = []
        while len(chosen) < wanted - gone and any(groups.values()):
            for key in order:
                if groups[key] and len(chosen) < wanted - gone:
                    chosen.append(groups[key].pop())
        revoked = [t for t in self.titles if t["id"] in self.revoked]
        chosen += rng.sample(revoked, min(gone, len(revoked)))
        entries, attachments, features, feature_photos = [], [], [], []
        for n, title in enumerate(chosen):
            team = self.teams[title["team_id"]]
            decided = title["decision__decided_on"]
            featured = _at(decided + timedelta(days=rng.randint(20, max(21, (self.today - decided).days - 2))), 11)
            featured = min(featured + timedelta(minutes=rng.randint(0, 300)), self.now - timedelta(hours=1))
            if title["id"] in self.revoked:
                featured = min(featured, _at(self.revoked[title["id"]][0], 9))
            day = min(featured - timedelta(days=rng.randint(3, 60)), self.now - timedelta(days=1))
            entry = self._id(LedgerEntry)
            entries.append(
                (entry, team["id"], timezone.localtime(day, SHANGHAI).date(), LedgerEntry.Kind.ACTIVITY,
                 "班组活动照片", "班组活动现场照片，记录人：班组长。", team["leader"], day, day)
            )  # fmt: skip
            feature = self._id(Feature)
            for order, file in enumerate(rng.sample(photos, rng.randint(1, 3)), start=1):
                attachment = self._id(LedgerAttachment)
                attachments.append(
                    (attachment, file["stored"], file["name"], file["content_type"], file["size"], file["sha256"],
                     team["leader"], day, entry)
                )  # fmt: skip
                feature_photos.append((self._id(FeaturePhoto), feature, attachment, order))
            taken_down = None
            if n < withdrawn:
                taken_down = min(featured + timedelta(days=rng.uniform(5, 200)), self.now - timedelta(minutes=30))
            headline = _fill(rng.choice(HEADLINES), rng)
            story = "".join(f"<p>{_fill(p, rng)}</p>" for p in rng.sample(STORY_PARAGRAPHS, rng.randint(2, 4)))
            features.append(
                (feature, title["id"], headline, story, self.staff, featured, taken_down or featured, taken_down,
                 self.staff if taken_down else None)
            )  # fmt: skip
        fields = ["id", "team", "occurred_on", "kind", "title", "description", "created_by", "created_at", "updated_at"]
        return (
            load_rows(LedgerEntry, fields, entries)
            + load_rows(LedgerAttachment, ATTACHMENT_FIELDS, attachments)
            + load_rows(Feature, FEATURE_FIELDS, features)
            + load_rows(FeaturePhoto, ["id", "feature", "attachment", "order"], feature_photos)
        )


REASSESSMENT_FIELDS = ["id", "organiser", "title", "document_number", "scope", "criteria_campaign",
                       "report_deadline", "review_deadline", "state", "item_count", "created_by", "created_at",
                       "concluded_at"]  # fmt: skip
ITEM_FIELDS = ["id", "reassessment", "title", "team", "criteria_campaign", "team_sort", "state", "unit", "version",
               "submitted_at", "arrived_at", "outcome", "conclusion", "concluded_by", "concluded_at",
               "updated_at"]  # fmt: skip
EVIDENCE_FIELDS = ["id", "file", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at",
                   "item", "criterion", "ledger_entry"]  # fmt: skip
DECISION_FIELDS = ["id", "item", "unit", "level", "kind", "opinion", "version", "decided_by", "decided_at"]
REVOCATION_FIELDS = ["id", "title", "reason", "details", "document_number", "revoked_on", "plaque_returned",
                     "certificate_returned", "revoked_by", "revoked_at", "batch_size", "reversed_at", "reversed_by",
                     "reversal_reason"]  # fmt: skip
ATTACHMENT_FIELDS = ["id", "file", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at",
                     "entry"]  # fmt: skip
FEATURE_FIELDS = ["id", "title", "headline", "story", "featured_by", "featured_at", "updated_at", "withdrawn_at",
                  "withdrawn_by"]  # fmt: skip


def seed(context: ScaleContext) -> None:
    dynamic = Dynamic(context)
    if not dynamic.titles:
        return  # nothing named to manage
    phases = context.phases
    phases.run("re-assessments and their titles", dynamic.reassessments_and_items)
    phases.run("re-assessment reports", dynamic.reports)
    phases.run("re-assessment opinions", dynamic.opinions)
    phases.run("revocations (titles updated)", dynamic.revocations)
    phases.run("showcase: photos and features", dynamic.showcase)
    reset_sequences(
        Reassessment,
        ReassessmentItem,
        ReassessmentAnswer,
        ReassessmentEvidence,
        ReassessmentVersion,
        ReassessmentDecision,
        Revocation,
        LedgerEntry,
        LedgerAttachment,
        Feature,
        FeaturePhoto,
    )
