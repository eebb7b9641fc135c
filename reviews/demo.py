"""The demo's recommendation chain: the teams' applications are played (teams.demo.applications),
with each return decided where it happens in the chain — the grassroots union recommends first when
a city federation returns — and a few decisions after them, so that the queue and the path show work
at several levels. Idempotent as the applications' demo is: a played application is left as it is."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import RoleAssignment, User
from core.demo import clock_at
from teams.demo.applications import seed_applications
from teams.demo.teams import demo_teams
from teams.models import Application

from .models import Recommendation
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


def seed() -> None:
    seed_applications(demo_teams(), returner=return_through_chain)
