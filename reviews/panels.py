"""What the reviews app adds to the application's pages (teams.extensions): the path up the chain
with the expert review's outcome on the application's page, and each level's opinion box on the
printed form."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.models import UnionUnit
from teams.extensions import OpinionBox

from .models import Decision, Recommendation, ReviewResult
from .rules import may_decide
from .selectors import opinions_for_leader, path_of

K = Decision.Kind


def path_panel(request, application, *, is_leader: bool, place=None, on_decision_page: bool = False) -> str:
    """The chain from the grassroots union to the organiser with dates and opinions. The team's
    leaders read the reasons of a return or rejection, and the recommendations' opinions only where
    the campaign shows them; staff and auditors read every opinion."""
    if application.version == 0:
        return ""
    place, steps = path_of(application, place)
    if place is None:
        return ""
    for step in steps:
        step.shown = [d for d in step.decisions if not is_leader or opinions_for_leader(d, application.campaign)]
    review = (
        ReviewResult.objects.filter(application=application)
        .only("state", "reviews_done", "reviews_assigned", "rank", "total")
        .first()
        if place.state in (Recommendation.State.ACCEPTED, Recommendation.State.REJECTED)
        else None
    )
    return render_to_string(
        "reviews/_path.html",
        {
            "place": place,
            "steps": steps,
            "application": application,
            "is_leader": is_leader,
            "review": review,
            "may_decide": not on_decision_page and may_decide(request.user, place),
        },
        request=request,
    )


def _box_label(unit: UnionUnit, is_organiser: bool) -> str:
    if is_organiser:
        return _("Approval opinion")
    if unit.kind == UnionUnit.Kind.GRASSROOTS:
        return _("Opinion of the grassroots union")
    return _("Opinion of the recommending unit")


def printed_opinions(application) -> list[OpinionBox] | None:
    """One box per level of the chain, from the grassroots union up, filled with that level's latest
    decision on the application (opinion, unit and date); empty where no decision was made yet."""
    if application.version == 0:
        return None
    place, steps = path_of(application)
    if place is None:
        return None
    boxes = []
    for step in steps:
        latest = step.decisions[-1] if step.decisions else None
        boxes.append(
            OpinionBox(
                label=_box_label(step.unit, step.is_organiser),
                unit=step.unit.name,
                opinion=f"{latest.get_kind_display()}。{latest.opinion}" if latest else "",
                decided_at=latest.decided_at if latest else None,
            )
        )
    return boxes
