"""The demo's recommendation chain: the teams' applications are played (teams.demo.applications),
with each return decided where it happens in the chain — the grassroots union recommends first when
a city federation returns — and a few decisions after them, so that the queue and the path show work
at several levels: waiting at grassroots unions, returned by 西安市总工会 and resubmitted (waiting there
again), recommended up to the province and waiting there, accepted at the province, rejected, and the energy union's single place
used. Idempotent as the applications' demo is: a played application is left as it is."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import RoleAssignment, User
from core.demo import clock_at, days_ago
from teams.demo.applications import MENGTAO_DOCUMENT_NUMBER, seed_applications
from teams.demo.teams import demo_teams
from teams.models import Application

from .models import Decision, Recommendation
from .services import decision_record

RECOMMENDATION = "经审核，该班组申报材料真实完整，事迹突出，同意推荐。"


def _staff_of(unit) -> User:
    assignment = (
        RoleAssignment.objects.filter(unit=unit, role=RoleAssignment.Role.STAFF).select_related("user").order_by("pk")
    ).first()
    if assignment is None:
        raise LookupError(f"the demo has no staff member of {unit}")
    return assignment.user


def return_through_chain(application: Application, returner: User, reason: str) -> None:
    """Recommend the application up to the returner's unit (an hour apart, each by that unit's demo
    staff), then return it there with the reasons."""
    now = timezone.now()
    place = Recommendation.objects.select_related("unit").get(application=application)
    climbs = []
    while place.unit_id != returner.unit_id:
        climbs.append(place.unit)
        with clock_at(now - timedelta(hours=3) + timedelta(hours=len(climbs))):
            decision_record(
                actor=_staff_of(place.unit), application=application, kind="recommend", opinion=RECOMMENDATION
            )
        place.refresh_from_db()
    decision_record(actor=returner, application=application, kind="return", opinion=reason)


# (team, [(days ago, hour, minute, user name, decision, opinion)]): decisions after the applications'
# own story, each by the staff of the unit where the application waits at that moment.
# fmt: off
DECISIONS = [
    ("综采二队", [
        (24, 9, 30, "huangling_staff", "recommend", "该班组连续安全生产五年，综采工作面单产创矿井纪录，经工会委员会研究，同意推荐。"),
        (19, 15, 0, "nenghua_staff", "recommend", "经审核，申报材料真实完整，在全省能源化学地质系统具有示范作用，同意推荐（本单位推荐名额1名）。"),
        (6, 10, 40, "sheng_staff", "recommend", "经省总工会审核，同意进入专家评审。"),
    ]),
    ("装配一班", [
        (16, 10, 20, "dianji_staff", "recommend", "该班组质量创新成果显著，师带徒成效突出，经公司工会研究，同意推荐。"),
        (9, 15, 35, "xian_staff", "recommend", "经西安市总工会审核，该班组在全市装备制造行业具有示范作用，同意推荐。"),
    ]),
    ("熔制班", [
        (25, 11, 20, "boli_staff", "reject",
         "经公司工会审核，该班组本年度发生一起一般生产安全事故（已通报），按通知要求实行一票否决，不予推荐。"),
    ]),
]
# fmt: on


def _decide_story(team_name: str, steps: list) -> None:
    application = Application.objects.filter(
        team__name=team_name, campaign__document_number=MENGTAO_DOCUMENT_NUMBER
    ).first()
    if application is None or application.status != Application.Status.SUBMITTED:
        return
    if Decision.objects.filter(application=application).exists():
        return  # played before
    for days, hour, minute, username, kind, opinion in steps:
        with clock_at(days_ago(days, hour, minute)):
            decision_record(
                actor=User.objects.get(username=username), application=application, kind=kind, opinion=opinion
            )


def seed() -> None:
    seed_applications(demo_teams(), returner=return_through_chain)
    for team_name, steps in DECISIONS:
        _decide_story(team_name, steps)
