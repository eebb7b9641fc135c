"""The generated province's recommendation chain (`seed_scale`): every submitted application has its
place in the chain and the decisions that brought it there — waiting at its grassroots union or
further up, returned by some level (and resubmitted), accepted at the organiser, or rejected — with
opinions at realistic lengths. The campaigns whose window has closed hold mostly finished chains and
a share still waiting below the organiser after the deadlines (逾期未推荐).

Rows are loaded with COPY (core.bulk) from what the teams' seeder left in `context.shared`. The expert
review of the accepted applications follows (reviews/scale_experts.py).
"""

from datetime import timedelta

from django.db.models import OuterRef, Subquery

from accounts.models import UnionUnit
from core.bulk import load_rows, next_id, reset_sequences
from core.scale import ScaleContext
from teams.models import Application

from . import scale_experts
from .chain import chain_paths
from .models import Decision, Recommendation
from .services.tallies import chain_tallies_recount

# The stages this seeder loads (core.scale.seeders_mark): a province loaded before the expert review
# was added holds no review rows and is not reused as if complete.
SCALE_STAGES = ("chain", "experts")

S = Recommendation.State
K = Decision.Kind

# What became of a submitted application (not returned and resubmitted), by the campaign's state.
OUTCOMES = {
    "open": [("waiting", 0.8), ("accepted", 0.1), ("rejected", 0.1)],
    "closed": [("waiting", 0.35), ("accepted", 0.4), ("rejected", 0.25)],
    "concluded": [("waiting", 0.05), ("accepted", 0.6), ("rejected", 0.35)],
}

RECOMMENDATIONS = [
    "经审核，该班组申报材料真实完整，事迹突出，同意推荐。",
    "该班组积极践行“梦桃精神”，班组管理规范，创新成果显著，经工会委员会研究，同意推荐。",
    "经本单位审核并在单位内部公示五个工作日无异议，同意推荐。",
    "该班组连续多年安全生产无事故，师带徒成效明显，在本系统具有示范作用，同意推荐。",
]
ACCEPTANCES = ["经省总工会审核，同意进入专家评审。", "材料齐全，符合申报条件，同意进入评审。"]
RETURNS = [
    "请补充近三年安全生产台帐及车间安全科出具的证明材料后重新提交。",
    "第3项填报的师带徒对数与班组台帐登记不符，请核对后据实填写。",
    "第4项请补充QC成果发布的证明材料（发布证书或通报），照片不能作为成果证明。",
]
REJECTIONS = [
    "经审核，该班组本年度发生一起一般生产安全事故，按通知要求实行一票否决，不予推荐。",
    "经研究，本单位推荐名额已满，该班组综合排名靠后，不予推荐。",
    "申报材料与班组台帐记录多处不一致，经核实不符合申报条件，不予推荐。",
]


def seed(context: ScaleContext) -> None:
    context.phases.run("recommendation chain", lambda: _chain(context))
    context.phases.run("first decisions on applications", lambda: _first_decisions())
    context.phases.run("recommendation chain tallies", lambda: chain_tallies_recount())
    reset_sequences(Recommendation, Decision)
    scale_experts.seed(context)


class _Decisions:
    """The decision rows, each one some hours to days after the one before on the same application."""

    def __init__(self, context: ScaleContext, rng):
        users = context.shared["bench_users"]
        self.organiser_staff, self.unit_staff = users["organiser"].pk, users["city"].pk
        self.rng, self.now = rng, context.now
        self.rows: list[tuple] = []
        self.next_id = next_id(Decision)

    def add(self, application: dict, chain: list[int], level: int, kind: str, version: int, when, accepted=False):
        rng = self.rng
        when = min(when + timedelta(hours=rng.uniform(2, 120)), self.now - timedelta(minutes=5))
        opinions = {K.RETURN: RETURNS, K.REJECT: REJECTIONS}.get(kind, ACCEPTANCES if accepted else RECOMMENDATIONS)
        at_organiser = level == len(chain) - 1
        self.rows.append(
            (
                self.next_id,
                application["id"],
                application["campaign"].pk,
                chain[level],
                level + 1,
                kind,
                accepted,
                rng.choice(opinions),
                version,
                self.organiser_staff if at_organiser else self.unit_staff,
                when,
            )
        )
        self.next_id += 1
        return when


PLACE_FIELDS = ["id", "application", "campaign", "unit", "state", "version", "team_sort",
                "evidence_complete", "arrived_at"]  # fmt: skip
DECISION_FIELDS = ["id", "application", "campaign", "unit", "level", "kind", "accepted", "opinion", "version",
                   "decided_by", "decided_at"]  # fmt: skip


def _chain(context: ScaleContext) -> int:
    rng = context.rng("recommendation chain")
    root = context.shared["root"]
    ids = dict(UnionUnit.objects.filter(path__startswith=root.path).values_list("path", "id"))
    organiser_paths = {c.pk: c.organiser.path for _plan, c in context.shared["campaigns"]}
    # A campaign whose review is over has the chains of a concluded one.
    plan_states = {c.pk: "concluded" if plan.review_over else plan.state for plan, c in context.shared["campaigns"]}
    decisions = _Decisions(context, rng)
    places = []
    for application in context.shared["applications"]:
        if not application["versions"]:
            continue
        campaign = application["campaign"]
        chain = [ids[path] for path in chain_paths(application["team"]["union"]["path"], organiser_paths[campaign.pk])]
        when = application["submitted"]
        state, level, version = _story(application, plan_states[campaign.pk], len(chain), rng)
        resubmitted = application["versions"] == 2  # returned at `level` on version 1, then resubmitted
        for below in range(level):
            when = decisions.add(application, chain, below, K.RECOMMEND, 1 if resubmitted else version, when)
        if resubmitted:
            when = decisions.add(application, chain, level, K.RETURN, 1, when)
        final = {S.RETURNED: K.RETURN, S.REJECTED: K.REJECT, S.ACCEPTED: K.RECOMMEND}.get(state)
        if final:
            when = decisions.add(application, chain, level, final, version, when, accepted=state == S.ACCEPTED)
        places.append(
            (
                application["id"],
                campaign.pk,
                chain[level],
                state,
                version,
                application["team"]["sort"],
                rng.random() < 0.85,
                when,
            )
        )
    first_place = next_id(Recommendation)
    load_rows(Recommendation, PLACE_FIELDS, ((first_place + n, *row) for n, row in enumerate(places)))
    load_rows(Decision, DECISION_FIELDS, decisions.rows)
    return len(places) + len(decisions.rows)


def _story(application: dict, campaign_state: str, levels: int, rng) -> tuple[str, int, int]:
    """Where the application ends: (chain state, the level it is at, the version it waits with)."""
    version = application["versions"]
    low = rng.choice([0, 0, 0, 1, 1, 2])  # returns and rejections happen mostly near the ground
    if application["state"] == "withdrawn":
        return S.WITHDRAWN, 0, version
    if application["state"] == "returned":
        return S.RETURNED, min(low, levels - 1), version
    if version == 2:
        return S.WAITING, min(low, levels - 1), version
    outcomes, weights = zip(*OUTCOMES.get(campaign_state, OUTCOMES["open"]), strict=True)
    outcome = rng.choices(outcomes, weights)[0]
    if outcome == "accepted":
        return S.ACCEPTED, levels - 1, version
    if outcome == "rejected":
        return S.REJECTED, min(low, levels - 1), version
    return S.WAITING, rng.randrange(levels), version


def _first_decisions() -> int:
    """The teams' side of the decisions: no withdrawing after the first, and a returned application
    may be submitted again until the recommendation deadline."""
    first = Decision.objects.filter(application=OuterRef("pk")).order_by("decided_at").values("decided_at")[:1]
    decided = Application.objects.filter(pk__in=Decision.objects.values("application_id"))
    count = decided.update(first_decision_at=Subquery(first))
    Application.objects.filter(status=Application.Status.RETURNED).update(
        resubmit_by=Subquery(
            Application.objects.filter(pk=OuterRef("pk")).values("campaign__recommendation_deadline")[:1]
        )
    )
    return count
