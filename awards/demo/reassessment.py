"""The demo's re-assessment (复核) of the teams named in 2025 whose titles stand, in progress on the
day the demo is loaded: 陕西省总工会 started it thirty days ago with the report deadline two days ago and the review
deadline three weeks ahead (both counted from today, so that this holds whenever `make run` runs).
Every team but the last reported against the five criteria, each with a file as evidence (from its
ledger, or the rules it sent with its application); the levels gave their opinions over the following weeks:

- the first team passed every level and the province concluded it passed;
- the second was passed by its grassroots union and its city and waits at the province;
- the third was failed by its grassroots union (the report waits at the city with that opinion);
- the fourth was returned for revision by its grassroots union (it may resubmit until the review
  deadline);
- five more were passed by their grassroots unions and wait at the city or the energy union, and the
  rest wait at their grassroots unions;
- the last team reported nothing: overdue (逾期未报送), for the province to conclude.

Played through the services under the demo clock. Idempotent: a re-assessment with its document number
that exists has had its story played."""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import RoleAssignment, UnionUnit, User
from core.demo import SHANGHAI, clock_at, days_ago
from teams.models import LedgerAttachment

from .. import reassessment as services
from ..models import Reassessment, ReassessmentItem, Title
from .texts import DECISION_DOCUMENT_NUMBER

DOCUMENT_NUMBER = "陕工发〔2026〕31号"
TITLE = "2025年度陕西省“梦桃式班组”复核"
SCOPE = "2025年7月命名（陕工发〔2025〕23号）且称号有效的15个陕西省“梦桃式班组”"
STATEMENT = (
    "{team}命名以来继续坚持“梦桃精神”，对照“{criterion}”逐项自查：班组台帐完整，"
    "师带徒、技术攻关和安全管理等工作持续开展，相关佐证材料附后。"
)


def _staff(unit: UnionUnit) -> User | None:
    assignment = (
        RoleAssignment.objects.filter(role=RoleAssignment.Role.STAFF, unit=unit, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    return assignment.user if assignment else None


def _report(item: ReassessmentItem, moment: datetime) -> ReassessmentItem | None:
    leader = item.team.leaders.order_by("pk").first()
    if leader is None:
        return None
    criteria = list(item.criteria_campaign.criteria.all())
    with clock_at(moment):
        services.report_save(
            actor=leader,
            item=item,
            statements={c.pk: STATEMENT.format(team=item.team.name, criterion=c.title) for c in criteria},
        )
        attachment = LedgerAttachment.objects.filter(entry__team=item.team).order_by("-entry__occurred_on").first()
        if attachment is not None:
            services.report_evidence_from_ledger(actor=leader, item=item, criterion=criteria[0], attachment=attachment)
        else:  # no ledger file: the team sends its rules again, as it sent them with its application
            paper = item.title.application.evidence.order_by("pk").first()
            if paper is not None:
                with paper.file.open("rb") as handle:
                    upload = SimpleUploadedFile(paper.original_name, handle.read(), paper.content_type)
                services.report_evidence_add(actor=leader, item=item, criterion=criteria[0], uploads=[upload])
        return services.report_submit(actor=leader, item=item)


def _decide(item: ReassessmentItem, kind: str, opinion: str, moment: datetime) -> bool:
    item = ReassessmentItem.objects.select_related("unit").get(pk=item.pk)
    actor = _staff(item.unit)
    if actor is None:
        return False
    with clock_at(moment):
        services.report_decide(actor=actor, item=item, kind=kind, opinion=opinion)
    return True


# (kind, opinion) of each level, in order from the grassroots union up, for the teams in report order.
PLANS = [
    [
        ("pass", "经基层工会复核，班组保持创建标准，同意通过。"),
        ("pass", "同意基层工会意见。"),
        ("pass", "经省总工会复核，该班组继续保持陕西省“梦桃式班组”荣誉。"),
    ],
    [("pass", "经基层工会复核，同意通过。"), ("pass", "经市（产业）工会复核，同意上报。")],
    [("fail", "班组近两年台帐记录不全，技术创新成果未见佐证，建议复核不予通过。")],
    [("return", "请补充2025年下半年以来的师带徒考核记录和QC成果证明后重新报送。")],
    *[[("pass", "经基层工会复核，同意通过。")]] * 5,
]


def seed_reassessment() -> None:
    province = UnionUnit.objects.filter(code="SX").first()
    staff = User.objects.filter(username="sheng_staff").first()
    if province is None or staff is None or Reassessment.objects.filter(document_number=DOCUMENT_NUMBER).exists():
        return
    titles = list(
        Title.objects.filter(decision__document_number=DECISION_DOCUMENT_NUMBER, state=Title.State.NAMED).order_by(
            "certificate_number"
        )
    )
    if not titles:
        return
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    report_deadline = days_ago(2, 17, 30)
    review_deadline = datetime.combine(today + timedelta(days=21), time(17, 30), tzinfo=SHANGHAI)
    with clock_at(days_ago(30, 9, 30)):
        reassessment = services.reassessment_start(
            actor=staff,
            organiser=province,
            title=TITLE,
            document_number=DOCUMENT_NUMBER,
            scope=SCOPE,
            titles=titles,
            report_deadline=report_deadline,
            review_deadline=review_deadline,
        )
    items = list(
        reassessment.items.select_related("team", "criteria_campaign", "title__application").order_by(
            "title__certificate_number"
        )
    )
    reported = []
    for index, item in enumerate(items[:-1]):  # the last team reports nothing: overdue
        submitted = _report(item, days_ago(25 - index, 10, index * 3 % 60))
        if submitted is not None:
            reported.append(submitted)
    for index, (item, plan) in enumerate(zip(reported, PLANS, strict=False)):
        for level, (kind, opinion) in enumerate(plan):
            if not _decide(item, kind, opinion, days_ago(8 - 2 * level, 9 + index % 8, 10 + level)):
                break
