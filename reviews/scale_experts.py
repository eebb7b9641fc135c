"""The generated province's expert review (`seed_scale`, after the recommendation chain): a pool of
expert reviewers; for every campaign with applications accepted at the organiser, a panel of 30 to 60
of them with a few declared conflicts; each accepted application's review result (its code for blind
review, the unit that recommended it, the reviewed version); three experts per application chosen as
the automatic assignment chooses them (loads balanced, never a conflict of interest), a few declined
for a conflict (回避) and replaced; their scores criterion by criterion with comments of realistic
lengths; and the aggregates and ranks the services keep (reviews.scoring and the rank rule of
`ranks_recompute`).

How far the review has got follows the campaign: in the open campaigns the experts are assigned and
nothing is scored yet (the review window has not opened); in the closed one under review most
reviews are in and some are being scored or not started; in the concluded ones, and the closed one
whose review is over (`Plan.reviewed`, on public notice now), every review is in and the organiser's
shortlist (拟命名) is made within the campaign's titles, with a written reason where it departs from
the ranking.

Everything is computed here and loaded with COPY (core.bulk), as the chain is: no service runs per row.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from accounts.models import RoleAssignment, UnionUnit, User
from campaigns.models import Campaign
from core.bulk import load_rows, next_id, reset_sequences
from core.demo import SHANGHAI
from core.scale import BENCH_USERS, ScaleContext
from teams.scale import GIVEN, SURNAMES

from .assignment import Candidate, Expert, conflict_of
from .models import Assignment, Conflict, Decision, PanelMember, Recommendation, ReviewResult, Score
from .scoring import ReviewScores, aggregate_reviews, expert_total
from .services.experts import departures

A = Assignment.State
R = ReviewResult.State

EXPERTS_PER_APPLICATION = 3  # the generated campaigns' setting: about three reviews per application
POOL = 240  # expert reviewers in the province's pool, the same for every size
PANEL = (30, 60)  # experts on a campaign's panel: about one for every ten reviews, within these bounds
DECLINE_SHARE = 0.02  # assignments the expert declines for a conflict (where the review has begun)
BY_HAND_SHARE = 0.04  # assignments made by staff rather than by the automatic run
FLAWED_SHARE = 0.02  # applications an expert finds a veto item in (一票否决)

# The states of the assignments of a campaign whose review is under way (closed) or over (concluded).
ASSIGNMENT_MIX = {
    "closed": [(A.SUBMITTED, 0.85), (A.STARTED, 0.09), (A.ASSIGNED, 0.06)],
    "concluded": [(A.SUBMITTED, 1.0)],
}

# Where experts who are not at an enterprise of the province's grassroots unions work.
INSTITUTIONS = [
    "西安交通大学",
    "西北工业大学",
    "长安大学",
    "西安科技大学",
    "陕西工业职业技术学院",
    "陕西省机械研究院",
    "陕西省安全生产科学技术中心",
    "陕西省质量技术监督研究院",
    "陕西省职工技术协会",
    "陕西省劳动模范协会",
]

# What experts write beside a criterion's points, by how well it scored (high, middle, low).
CRITERION_COMMENTS = {
    "high": [
        "该项工作扎实，成效显著，佐证材料充分。",
        "师带徒机制健全，徒弟技能等级提升明显，示范带动作用突出。",
        "创新成果丰富，QC成果和合理化建议均有发布或采纳证明。",
        "班组管理制度健全，台帐记录规范完整，可追溯。",
        "安全生产记录良好，连续无事故天数长，做法值得推广。",
        "“梦桃精神”学习教育常态化，班组文化特色鲜明。",
        "指标数据与台帐一致，证明材料齐全。",
        "岗位练兵和技能比武成绩突出，多人获得技术能手称号。",
    ],
    "middle": [
        "该项工作有一定成效，但佐证材料略显单薄。",
        "事迹描述较为笼统，建议补充具体数据。",
        "创新成果数量一般，转化应用情况未充分说明。",
        "台帐记录基本完整，个别月份记录缺失。",
        "师带徒结对有记录，但成效描述不够具体。",
        "安全管理有制度，但隐患排查整改的闭环记录不够完整。",
        "与上年度相比提升不明显。",
    ],
    "low": [
        "该项佐证材料不足，难以支撑申报内容。",
        "事迹材料与台帐记录存在出入，按标准扣分。",
        "未提供成果证明材料，仅有活动照片，按评分标准扣分。",
        "该项内容与评分标准对应性不强，亮点不突出。",
        "所报数据缺少出处，无法核实。",
    ],
}
OVERALL_OPENINGS = [
    "经认真审阅申报书及佐证材料，",
    "该班组扎根生产一线，",
    "综合来看，",
    "该班组申报材料完整、条理清晰，",
    "对照评分标准逐项审阅，",
]
OVERALL_MIDDLES = [
    "班组建设基础扎实，在学习践行“梦桃精神”方面成效明显。",
    "技术创新和岗位练兵成果突出，具有较强的示范引领作用。",
    "安全管理规范，民主管理制度健全，班组凝聚力强。",
    "师带徒工作有计划、有考核、有成效，青年职工成长较快。",
    "部分指标数据与台帐不完全一致，建议推荐单位进一步核实。",
    "事迹材料总结提炼不够，亮点不够突出。",
    "“五小”成果较多，但成果转化和推广应用的说明较少。",
    "班组长带头作用明显，班组成员技能结构合理。",
]
# Longer notes on the evidence, for the detailed comments some experts write.
DETAILED_NOTES = [
    "申报书所列“五小”成果共十二项，附件中仅见七项的采纳通知，其余五项未见证明材料，本项酌情扣分。",
    "台帐显示班组每月开展一次“学梦桃、做梦桃”主题活动，活动记录完整、照片清晰，学习内容与岗位实际结合紧密。",
    "师带徒结对协议、月度考核表和徒弟技能等级证书相互印证，近两年有三名徒弟晋升高级工，成效真实可信。",
    "安全生产证明由企业安全管理部门出具并加盖公章，连续安全生产天数与申报书所填一致。",
    "QC成果获集团公司一等奖，但成果在本班组以外的推广应用情况未作说明，建议推荐单位补充。",
    "班组绩效考核办法规定了考核指标和分配方式，但未见考核结果公开的记录，民主管理一项据此扣分。",
    "合理化建议采纳通知的日期均在申报期内，年度创效金额有财务部门的核算说明，数据可信。",
    "技能比武获奖证书为集团公司颁发，获奖人员均在班组成员名单内，与台帐记录一致。",
]
OVERALL_CLOSINGS = {
    "high": ["建议列入拟命名名单。", "综合评价优秀。", "在同类班组中处于领先水平，予以推荐。"],
    "middle": ["综合评价良好。", "整体较好，仍有提升空间。"],
    "low": ["综合评价一般，建议继续培育。", "与命名标准尚有差距。"],
}
VETO_REASONS = [
    "申报材料显示该班组在申报期内发生一起一般生产安全责任事故（见附件安全生产证明），按通知要求一票否决。",
    "经核查，申报的QC成果证书与发布单位的通报记录不符，存在弄虚作假情况，一票否决。",
    "班组成员名单中有三人不在该企业劳动合同名册内，申报材料不实，一票否决。",
]
DECLINE_REASONS = [
    "本人曾在该班组所在企业工作，与班组长系多年同事，申请回避。",
    "本人近亲属在该班组工作，申请回避。",
    "本人曾参与指导该班组的QC课题，申请回避。",
]
ENTERPRISE_CONFLICT_REASONS = [
    "该专家配偶在该企业工作，按规定回避。",
    "该专家曾任该企业技术顾问，本人申请回避。",
]
# The organiser's reasons for a departure from rank order: for one taken from below the cut, for one left out.
TAKEN_REASONS = [
    "该班组在今年汛期抢险保供中表现突出（已获省级通报表扬），经评审委员会研究，列入拟命名名单。",
    "该班组所在行业本次无其他班组进入命名范围，为兼顾行业代表性，经评审委员会研究列入拟命名名单。",
]
LEFT_OUT_REASONS = [
    "该班组所在企业已有另一班组列入拟命名名单，综合考虑名额分布，经评审委员会研究暂不列入。",
    "综合考虑各推荐单位的名额分布，经评审委员会研究，该班组本次暂不列入拟命名名单。",
]


@dataclass
class _Expert:
    id: int
    unit: int
    path: str
    enterprise: str
    leniency: float  # how strictly the expert scores: added to an application's quality


@dataclass
class _Assignment:
    id: int
    expert: int
    state: str
    assigned_by: int | None
    assigned_at: datetime
    submitted_at: datetime | None = None
    total: Decimal | None = None
    vetoed: bool = False
    overall_comment: str = ""
    decline_reason: str = ""
    points: dict[int, Decimal] = field(default_factory=dict)  # the scored criteria's points


@dataclass
class _Result:
    id: int
    application: int
    campaign: Campaign
    recommended_by: int
    version: int
    team_sort: str
    accepted_at: datetime
    candidate: Candidate
    quality: float  # what the experts' points centre on, as a share of each criterion's maximum
    flawed: bool  # an expert may find a veto item applies
    code: str = ""
    assignments: list[_Assignment] = field(default_factory=list)
    state: str = R.REVIEWING
    total: Decimal | None = None
    rank: int | None = None
    shortlist_reason: str = ""
    decided_at: datetime | None = None

    @property
    def pk(self) -> int:  # as the services' departures() reads it
        return self.id


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _band(share: float) -> str:
    return "high" if share >= 0.85 else "middle" if share >= 0.7 else "low"


class ExpertReview:
    """The expert review's rows, built phase by phase and loaded with COPY."""

    def __init__(self, context: ScaleContext):
        self.context = context
        self.now = context.now
        self.root = context.shared["root"]
        users = context.shared["bench_users"]
        self.organiser_staff, self.city_staff = users["organiser"].pk, users["city"].pk
        self.plans = {campaign.pk: plan for plan, campaign in context.shared["campaigns"]}
        self.campaigns = {campaign.pk: campaign for _plan, campaign in context.shared["campaigns"]}
        self.experts: list[_Expert] = []
        self.results: list[_Result] = []
        self.panels: dict[int, list[_Expert]] = {}
        self.declared: dict[tuple[int, int], list[str]] = defaultdict(list)  # (campaign, expert) -> enterprises
        self.score_rows: list[tuple] = []

    def _staff(self, campaign: Campaign) -> int:
        """Who acts for the organiser: the benchmark's staff of the province, or of the first city."""
        return self.city_staff if campaign.organiser.code == "SC-01" else self.organiser_staff

    # --- The pool of experts ------------------------------------------------------------------

    def pool(self) -> int:
        rng = self.context.rng("expert reviewers")
        federations = list(
            UnionUnit.objects.filter(path__startswith=self.root.path)
            .exclude(kind=UnionUnit.Kind.GRASSROOTS)
            .order_by("path")
            .values_list("id", "path")
        )
        grassroots = self.context.shared["grassroots"]
        first_user, first_role = next_id(User), next_id(RoleAssignment)
        users, roles = [], []
        for n in range(POOL):
            pk = first_user + n
            if rng.random() < 0.4:  # an engineer or model worker at one of the province's enterprises
                union = rng.choice(grassroots)
                unit, path, enterprise = union["id"], union["path"], union["enterprise"]
            else:  # a federation's or industry union's own expert, or one from a university or institute
                unit, path = rng.choice(federations)
                enterprise = rng.choice(INSTITUTIONS)
            joined = self.now - timedelta(days=rng.uniform(400, 5 * 365))
            # The first is the benchmark's expert (core.scale.BENCH_USERS), on every panel.
            username = BENCH_USERS["expert"] if n == 0 else f"expert{pk:07d}"
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            users.append(
                (pk, "!", None, False, username, f"{username}@example.org.cn", False, True, joined, name, "", unit)
            )
            roles.append((first_role + n, pk, RoleAssignment.Role.EXPERT, self.root.pk, joined, self.organiser_staff))
            self.experts.append(_Expert(pk, unit, path, enterprise, rng.gauss(0, 0.04)))
        user_fields = ["id", "password", "last_login", "is_superuser", "username", "email", "is_staff", "is_active",
                       "date_joined", "name", "phone", "unit"]  # fmt: skip
        load_rows(User, user_fields, users)
        load_rows(RoleAssignment, ["id", "user", "role", "unit", "granted_at", "granted_by"], roles)
        return len(users) + len(roles)

    # --- The accepted applications and the panels ---------------------------------------------

    def _read_accepted(self) -> None:
        """Each application accepted at the organiser, with what result_open gives its result: the
        time of the accepting decision, the unit that recommended it last below the organiser, the
        version its place holds; numbered per campaign in the order they were accepted."""
        rng = self.context.rng("review results")
        ids = list(self.campaigns)
        organisers = {pk: campaign.organiser_id for pk, campaign in self.campaigns.items()}
        applications = {a["id"]: a for a in self.context.shared["applications"]}
        accepted = Recommendation.objects.filter(campaign_id__in=ids, state=Recommendation.State.ACCEPTED)
        places = list(accepted.order_by("pk").values_list("application_id", "campaign_id", "version", "team_sort"))
        accepted_at, recommended_by = {}, {}
        decisions = (
            Decision.objects.filter(application_id__in=accepted.values("application_id"))
            .order_by("decided_at", "pk")
            .values_list("application_id", "campaign_id", "unit_id", "kind", "accepted", "decided_at")
        )
        for application, campaign, unit, kind, is_acceptance, when in decisions.iterator(chunk_size=5000):
            if is_acceptance:
                accepted_at[application] = when
            elif kind == Decision.Kind.RECOMMEND and unit != organisers[campaign]:
                recommended_by[application] = unit  # the latest one wins
        places.sort(key=lambda place: (accepted_at[place[0]], place[0]))
        first = next_id(ReviewResult)
        numbers: Counter = Counter()
        for n, (application_id, campaign_id, version, team_sort) in enumerate(places):
            team = applications[application_id]["team"]
            union = team["union"]
            numbers[campaign_id] += 1
            result = _Result(
                id=first + n,
                application=application_id,
                campaign=self.campaigns[campaign_id],
                recommended_by=recommended_by.get(application_id, union["id"]),
                version=version,
                team_sort=team_sort,
                accepted_at=accepted_at[application_id],
                candidate=Candidate(
                    id=first + n,
                    team_id=team["id"],
                    union_path=union["path"],
                    enterprises=(union["enterprise"],),  # the team's enterprise is its grassroots union's
                ),
                quality=min(0.97, max(0.5, rng.gauss(0.78, 0.08))),
                flawed=rng.random() < FLAWED_SHARE,
                code=f"PS{campaign_id:03d}-{numbers[campaign_id]:04d}",
            )
            self.results.append(result)

    def _panel_time(self, campaign: Campaign, rng) -> datetime:
        if self.plans[campaign.pk].state == "open":
            return self.now - timedelta(days=rng.uniform(6, 12))
        return _at(campaign.review_starts_on, 9) - timedelta(days=rng.uniform(3, 10))

    def panels_and_conflicts(self) -> int:
        rng = self.context.rng("review panels")
        self._read_accepted()
        Campaign.objects.filter(pk__in=list(self.campaigns)).update(experts_per_application=EXPERTS_PER_APPLICATION)
        for campaign in self.campaigns.values():
            campaign.experts_per_application = EXPERTS_PER_APPLICATION
        by_campaign: dict[int, list[_Result]] = defaultdict(list)
        for result in self.results:
            by_campaign[result.campaign.pk].append(result)
        self.by_campaign = by_campaign
        self.added_at: dict[int, datetime] = {}
        members, conflicts = [], []
        member_pk, conflict_pk = next_id(PanelMember), next_id(Conflict)
        for campaign_id, results in by_campaign.items():
            campaign = self.campaigns[campaign_id]
            size = max(PANEL[0], min(PANEL[1], round(len(results) * EXPERTS_PER_APPLICATION / 10)))
            panel = [self.experts[0], *rng.sample(self.experts[1:], size - 1)]
            self.panels[campaign_id] = panel
            added = self._panel_time(campaign, rng)
            self.added_at[campaign_id] = added
            for index, expert in enumerate(panel):
                when = added + timedelta(minutes=2 * index)
                members.append(
                    (member_pk, campaign_id, expert.id, expert.unit, expert.enterprise, self._staff(campaign), when)
                )
                member_pk += 1
            # A few experts declared a conflict with an enterprise whose team applied (a relative works there).
            for _n in range(rng.randint(1, 3)):
                expert, result = rng.choice(panel), rng.choice(results)
                enterprise = result.candidate.enterprises[0]
                if enterprise in self.declared[(campaign_id, expert.id)]:
                    continue
                self.declared[(campaign_id, expert.id)].append(enterprise)
                when = added + timedelta(hours=rng.uniform(2, 48))
                reason = rng.choice(ENTERPRISE_CONFLICT_REASONS)
                conflicts.append(
                    (conflict_pk, campaign_id, expert.id, None, enterprise, reason, self._staff(campaign), when)
                )
                conflict_pk += 1
        self.next_conflict = conflict_pk
        load_rows(PanelMember, ["id", "campaign", "expert", "unit", "enterprise", "added_by", "added_at"], members)
        load_rows(Conflict, CONFLICT_FIELDS, conflicts)
        return len(members) + len(conflicts)

    # --- Assignments and scores ---------------------------------------------------------------

    def assignments(self) -> int:
        rng = self.context.rng("review assignments")
        scores_rng = self.context.rng("review scores")
        first = next_id(Assignment)
        self.next_assignment = first
        self.next_score = next_id(Score)
        rows, conflicts = [], []
        for campaign_id, results in self.by_campaign.items():
            campaign = self.campaigns[campaign_id]
            plan = self.plans[campaign_id]
            state = "concluded" if plan.review_over else plan.state
            criteria = list(campaign.criteria.order_by("order", "pk"))
            panel = self.panels[campaign_id]
            experts = {
                e.id: Expert(
                    id=e.id,
                    unit_path=e.path,
                    enterprise=e.enterprise,
                    conflict_enterprises=tuple(self.declared[(campaign_id, e.id)]),
                )
                for e in panel
            }
            order = {e.id: index for index, e in enumerate(panel)}
            by_id = {e.id: e for e in panel}
            load: Counter = Counter()
            if state == "open":  # the organiser ran the automatic assignment a few days ago
                run = max(self.added_at[campaign_id] + timedelta(hours=3), self.now - timedelta(days=rng.uniform(1, 4)))
            else:
                run = _at(campaign.review_starts_on, 9)
            review_ends = _at(campaign.review_ends_on, 18)

            for result in results:
                if result.accepted_at > run:
                    if state == "open":
                        continue  # accepted since the run: waits for the next
                    assigned_at = result.accepted_at + timedelta(hours=rng.uniform(1, 24))
                else:
                    assigned_at = run
                taken: set[int] = set()  # every expert ever put on this application
                queue = [
                    (e, assigned_at)
                    for e in _pick(experts, load, order, result.candidate, taken, EXPERTS_PER_APPLICATION)
                ]
                while queue:
                    expert_id, assigned_at = queue.pop(0)
                    by_hand = rng.random() < BY_HAND_SHARE
                    assignment = _Assignment(
                        id=self.next_assignment,
                        expert=expert_id,
                        state=A.ASSIGNED,
                        assigned_by=self._staff(campaign) if by_hand else None,
                        assigned_at=assigned_at + timedelta(minutes=rng.uniform(0, 30)) if by_hand else assigned_at,
                    )
                    self.next_assignment += 1
                    result.assignments.append(assignment)
                    if state == "open":
                        continue
                    if rng.random() < DECLINE_SHARE:
                        # Declined for a conflict: recorded against the team, another expert takes the place.
                        declined_at = assignment.assigned_at + timedelta(hours=rng.uniform(1, 48))
                        assignment.state, assignment.decline_reason = A.DECLINED, rng.choice(DECLINE_REASONS)
                        load[expert_id] -= 1  # a declined review is not part of the expert's load
                        conflicts.append(
                            (
                                self.next_conflict,
                                campaign_id,
                                expert_id,
                                result.candidate.team_id,
                                "",
                                assignment.decline_reason,
                                expert_id,
                                declined_at,
                            )
                        )
                        self.next_conflict += 1
                        queue.extend((e, declined_at) for e in _pick(experts, load, order, result.candidate, taken, 1))
                        continue
                    outcomes, weights = zip(*ASSIGNMENT_MIX[state], strict=True)
                    assignment.state = rng.choices(outcomes, weights)[0]
                    self._score(scores_rng, result, assignment, by_id[expert_id], criteria, review_ends)
            for result in results:
                for a in result.assignments:
                    rows.append(
                        (
                            a.id,
                            result.id,
                            campaign_id,
                            a.expert,
                            a.state,
                            a.assigned_by,
                            a.assigned_at,
                            a.submitted_at,
                            a.total,
                            a.vetoed,
                            a.overall_comment,
                            a.decline_reason,
                        )
                    )
        load_rows(Assignment, ASSIGNMENT_FIELDS, rows)
        load_rows(Conflict, CONFLICT_FIELDS, conflicts)
        return len(rows) + len(conflicts)

    def _score(self, rng, result: _Result, assignment: _Assignment, expert: _Expert, criteria, review_ends) -> None:
        """The expert's scores: every criterion of a submitted review; a review being scored has its
        first criteria filled and the rest not yet."""
        if assignment.state == A.ASSIGNED:
            return
        campaign = result.campaign
        step = Decimal("0.5") if campaign.half_points else Decimal("1")
        earliest = assignment.assigned_at + timedelta(hours=2)
        finished = earliest + (max(review_ends, earliest) - earliest) * rng.random()
        filled = len(criteria) if assignment.state == A.SUBMITTED else rng.randint(1, len(criteria) - 1)
        weights = {c.pk: c.weight for c in criteria if not c.is_veto}
        for index, criterion in enumerate(criteria):
            points, vetoed, comment = None, None, ""
            if index < filled:
                if criterion.is_veto:
                    vetoed = result.flawed and rng.random() < 0.75
                    assignment.vetoed = assignment.vetoed or vetoed
                    comment = rng.choice(VETO_REASONS) if vetoed else ""
                else:
                    share = min(1.0, max(0.3, result.quality + expert.leniency + rng.gauss(0, 0.06)))
                    points = min(criterion.max_score, (criterion.max_score * Decimal(share) / step).quantize(0) * step)
                    assignment.points[criterion.pk] = points
                    if rng.random() < 0.55:
                        comment = self._comment(rng, _band(share))
            updated = finished - timedelta(minutes=rng.uniform(1, 90) * (len(criteria) - index))
            self.score_rows.append(
                (
                    self.next_score,
                    assignment.id,
                    criterion.pk,
                    points,
                    vetoed,
                    comment,
                    max(updated, assignment.assigned_at + timedelta(minutes=5)),
                )
            )
            self.next_score += 1
        if assignment.state == A.SUBMITTED:
            assignment.submitted_at = finished
            assignment.total = expert_total(assignment.points, weights)
            top = sum((c.max_score * c.weight for c in criteria if not c.is_veto), Decimal(0)) or Decimal(1)
            if rng.random() < 0.92:
                assignment.overall_comment = self._overall(rng, _band(float(assignment.total / top)))
        else:
            assignment.vetoed = False  # kept at submission only
            if rng.random() < 0.2:
                assignment.overall_comment = rng.choice(OVERALL_OPENINGS) + rng.choice(OVERALL_MIDDLES)

    @staticmethod
    def _comment(rng, band: str) -> str:
        """Mostly a sentence or two; now and then a detailed note on the evidence, some hundreds long."""
        pool = CRITERION_COMMENTS[band]
        text = "".join(rng.sample(pool, min(rng.choice([1, 1, 1, 2, 2, 3]), len(pool))))
        if rng.random() < 0.15:
            text = "".join(rng.sample(DETAILED_NOTES, rng.randint(2, 5))) + text
        return text[:500]

    @staticmethod
    def _overall(rng, band: str) -> str:
        middles = rng.sample(OVERALL_MIDDLES, rng.choice([1, 1, 2, 3, 4, 6]))
        if rng.random() < 0.25:
            middles += rng.sample(DETAILED_NOTES, rng.randint(1, 4))
        return (rng.choice(OVERALL_OPENINGS) + "".join(middles) + rng.choice(OVERALL_CLOSINGS[band]))[:1000]

    def scores(self) -> int:
        return load_rows(
            Score, ["id", "assignment", "criterion", "points", "vetoed", "comment", "updated_at"], self.score_rows
        )

    # --- Aggregates, ranks and the shortlist ----------------------------------------------------

    def results_and_ranks(self) -> int:
        rng = self.context.rng("review shortlist")
        rows = []
        for campaign_id, results in self.by_campaign.items():
            campaign = self.campaigns[campaign_id]
            weights = {c.pk: c.weight for c in campaign.criteria.all() if not c.is_veto}
            aggregates = {}
            for result in results:
                submitted = [a for a in result.assignments if a.state == A.SUBMITTED]
                outcome = aggregate_reviews(
                    [ReviewScores(points=dict(a.points), vetoed=a.vetoed) for a in submitted],
                    weights,
                    campaign.aggregation,
                )
                result.total = outcome.total
                aggregates[result.id] = (outcome, len(submitted))
            _rank(results, aggregates)
            if self.plans[campaign_id].review_over:
                self._shortlist(rng, campaign, results)
            for result in results:
                outcome, done = aggregates[result.id]
                rows.append(
                    (
                        result.id,
                        result.application,
                        campaign_id,
                        result.code,
                        result.recommended_by,
                        result.version,
                        result.team_sort,
                        result.state,
                        sum(a.state in (A.ASSIGNED, A.STARTED, A.SUBMITTED) for a in result.assignments),
                        done,
                        outcome.total,
                        {str(c): str(v) for c, v in outcome.by_criterion.items()},
                        outcome.spread,
                        outcome.vetoes,
                        result.rank,
                        result.shortlist_reason,
                        "",
                        result.accepted_at,
                        result.decided_at,
                    )
                )
        return load_rows(ReviewResult, RESULT_FIELDS, rows)

    def _shortlist(self, rng, campaign: Campaign, results: list[_Result]) -> None:
        """The organiser's shortlist within the titles, in rank order but for a departure now and then
        (one ranked a little below the cut chosen instead of the last one in), with its written reason."""
        ranked = sorted((r for r in results if r.rank is not None), key=lambda r: (r.rank, r.team_sort, r.id))
        titles = min(campaign.titles_to_award, len(ranked))
        selected = {r.id for r in ranked[:titles]}
        below = [r for r in ranked[titles:] if r.rank > ranked[titles - 1].rank][:5] if titles else []
        if below and rng.random() < 0.7:
            selected.discard(ranked[titles - 1].id)
            selected.add(rng.choice(below).id)
        reasons = {
            pk: rng.choice(TAKEN_REASONS if pk in selected else LEFT_OUT_REASONS)
            for pk in sorted(departures(ranked, selected))
        }
        decided = _at(campaign.review_ends_on + timedelta(days=rng.randint(3, 12)), 10)
        for result in results:
            result.state = R.SHORTLISTED if result.id in selected else R.NOT_SELECTED
            result.shortlist_reason = reasons.get(result.id, "")
            result.decided_at = decided


def _pick(
    experts: dict[int, Expert], load: Counter, order: dict[int, int], candidate: Candidate, taken: set[int], k: int
) -> list[int]:
    """As the automatic assignment picks: the least loaded experts of the panel (in the panel's order
    among equals) not yet on the application and without a conflict of interest with it."""
    chosen = []
    for expert_id in sorted(experts, key=lambda e: (load[e], order[e])):
        if expert_id not in taken and conflict_of(experts[expert_id], candidate) is None:
            chosen.append(expert_id)
            taken.add(expert_id)
            load[expert_id] += 1
            if len(chosen) == k:
                break
    return chosen


def _rank(results: list[_Result], aggregates: dict) -> None:
    """The rank rule of ranks_recompute: by total, equal totals sharing a rank (1, 2, 2, 4); none for
    an application without a submitted review, vetoed or excluded."""
    ordered = sorted(results, key=lambda r: (r.total is None, -(r.total or 0), r.team_sort, r.id))
    position, previous_total, current_rank = 0, None, None
    for result in ordered:
        outcome, _done = aggregates[result.id]
        if result.total is None or outcome.vetoes or result.state == R.EXCLUDED:
            result.rank = None
            continue
        position += 1
        if result.total != previous_total:
            current_rank, previous_total = position, result.total
        result.rank = current_rank


CONFLICT_FIELDS = ["id", "campaign", "expert", "team", "enterprise", "reason", "recorded_by", "recorded_at"]
ASSIGNMENT_FIELDS = ["id", "result", "campaign", "expert", "state", "assigned_by", "assigned_at", "submitted_at",
                     "total", "vetoed", "overall_comment", "decline_reason"]  # fmt: skip
RESULT_FIELDS = ["id", "application", "campaign", "code", "recommended_by", "version", "team_sort", "state",
                 "reviews_assigned", "reviews_done", "total", "criterion_scores", "spread", "vetoes", "rank",
                 "shortlist_reason", "excluded_reason", "accepted_at", "decided_at"]  # fmt: skip


def seed(context: ScaleContext) -> None:
    review = ExpertReview(context)
    phases = context.phases
    phases.run("expert reviewers and their roles", review.pool)
    phases.run("review panels, declared conflicts", review.panels_and_conflicts)
    phases.run("review assignments", review.assignments)
    phases.run("review scores", review.scores)
    phases.run("review results, ranks, shortlists", review.results_and_ranks)
    reset_sequences(User, RoleAssignment, PanelMember, Conflict, Assignment, Score, ReviewResult)
