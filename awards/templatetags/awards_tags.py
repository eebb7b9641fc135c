"""The campaign page's way to a recommending union's own notice (两级公示), for its staff."""

from django import template

from accounts.models import RoleAssignment, UnionUnit

from ..models import PublicNotice
from ..services import first_level_units

register = template.Library()


@register.inclusion_tag("awards/_unit_notice_links.html", takes_context=True)
def unit_notice_links(context, campaign):
    """The unions the reader staffs that recommended a shortlisted team of a two-level campaign (or
    already published their notice): one link each to publish it or read it."""
    user = context["request"].user
    if not campaign.two_level_notice or not user.is_authenticated:
        return {"links": []}
    staffed = [a.unit for a in user.role_assignment_list() if a.role == RoleAssignment.Role.STAFF]
    if not staffed:
        return {"links": []}
    recommending = first_level_units(campaign)
    notices = dict(
        PublicNotice.objects.filter(campaign=campaign, stage=PublicNotice.Stage.RECOMMENDING).values_list("unit", "pk")
    )
    units = UnionUnit.objects.filter(pk__in=recommending | set(notices)).order_by("path")
    links = [
        {"unit": unit, "notice": notices.get(unit.pk)}
        for unit in units
        if any(unit.path.startswith(s.path) for s in staffed)
    ]
    return {"links": links, "campaign": campaign}
