"""The staff's pages of the recommendation chain: the queue of what waits at their unit (with a bulk
decision), the decision page of one application, and the organiser's progress with its export and
the deadline extensions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import perm_required
from accounts.models import UnionUnit
from campaigns.decorators import organiser_campaign
from campaigns.models import Campaign
from core.forms import errors_to_form
from core.pagination import BoundedPaginator
from teams.content import compare, for_display
from teams.models import Application

from .. import selectors, services
from ..chain import Deadlines, chain_paths
from ..errors import ReviewError
from ..export import progress_workbook
from ..forms import BulkDecisionForm, DeadlineExtensionForm, DecisionForm, QueueFilterForm
from ..models import Decision, Recommendation
from ..panels import path_panel
from ..rules import may_decide
from ..transitions import decisions_from

K = Decision.Kind


def _messages_from(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


@perm_required("reviews.view_queue")
def queue(request):
    """待推荐: what waits at the user's units, filterable, with one opinion for a bulk decision."""
    campaigns = list(selectors.queue_campaigns(request.user))
    form = QueueFilterForm(request.GET or None, campaigns=campaigns)
    filters = form.cleaned_data if form.is_valid() else {}
    bulk = BulkDecisionForm(request.POST or None)
    if request.method == "POST":
        if bulk.is_valid():
            return _bulk_decide(request, bulk)
        for errors in bulk.errors.values():
            for error in errors:
                messages.error(request, error)
    places = selectors.queue(
        user=request.user,
        campaign=filters.get("campaign"),
        evidence_complete=form.evidence_complete() if filters else None,
        search=filters.get("q", ""),
        union=filters.get("union", ""),
    )
    page = BoundedPaginator(places.only(*selectors.QUEUE_FIELDS)).get_page(request.GET.get("page"))
    shown = [c for c in campaigns if c.pk == filters.get("campaign")] or campaigns
    quotas = selectors.quota_statuses(request.user, shown)
    titles = {c.pk: c.title for c in campaigns}
    units = {q.unit.pk: q.unit.display_name for q in quotas}
    for place in page:
        place.campaign_title, place.unit_name = titles.get(place.campaign_id, ""), units.get(place.unit_id, "")
    return render(
        request,
        "reviews/queue.html",
        {"form": form, "bulk": bulk, "page_obj": page, "quotas": quotas},
    )


def _bulk_decide(request, bulk: BulkDecisionForm):
    """Each ticked application is decided in its own transaction, in id order, so that one refusal
    (the quota full, a decision a moment ago) leaves the others decided and says which."""
    done, refused = 0, []
    applications = Application.objects.select_related("team").in_bulk([pk for pk, _version in bulk.pairs()])
    for pk, version in bulk.pairs():
        application = applications.get(pk)
        if application is None:
            continue
        try:
            services.decision_record(
                actor=request.user,
                application=application,
                kind=bulk.cleaned_data["kind"],
                opinion=bulk.cleaned_data["opinion"],
                version=version,
            )
            done += 1
        except (ReviewError, PermissionDenied) as error:
            refused.append(f"{application.team.name}：{error}")
        except ValidationError as error:
            refused.append(f"{application.team.name}：{'；'.join(_messages_from(error))}")
    if done:
        messages.success(request, _("%(n)s applications decided with your opinion.") % {"n": done})
    for line in refused:
        messages.error(request, line)
    return redirect(request.get_full_path())


@login_required
def decide(request, pk):
    """The decision page: the submitted version criterion by criterion, the opinions of the levels
    below, the version history with what changed, and the form with the unit's quota and deadline."""
    place = (
        Recommendation.objects.select_related("unit", "application__team__grassroots_union", "application__campaign")
        .only(*selectors.DECIDE_FIELDS)
        .filter(application_id=pk)
        .first()
    )
    if place is None or place.unit_id not in [a.unit_id for a in request.user.role_assignment_list()]:
        # Outside the user's units (a forged or stale URL): the same answer as for no such application.
        if place is not None and request.user.has_perm("teams.view_application", place.application):
            messages.info(
                request,
                _("The application waits at %(unit)s: its staff decide on it.") % {"unit": place.unit.name},
            )
            return redirect("applications:detail", pk=pk)
        raise Http404
    if not may_decide(request.user, place):
        raise PermissionDenied
    application = place.application
    if place.state != Recommendation.State.WAITING:
        messages.info(request, _("The application is not waiting for a decision of your unit."))
        return redirect("applications:detail", pk=pk)
    form = DecisionForm(request.POST or None, initial={"version": place.version})
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(
                actor=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                opinion=form.cleaned_data["opinion"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error("opinion", error.messages)
        except ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _decided_message(decision))
            return redirect("reviews:queue")
    versions = list(application.versions.select_related("submitted_by").order_by("number"))
    current = next(v for v in versions if v.number == place.version)
    previous = next((v for v in reversed(versions) if v.number < place.version), None)
    changes = compare(previous.content, current.content) if previous else None
    return render(
        request,
        "reviews/decide.html",
        {
            "place": place,
            "application": application,
            "form": form,
            "moves": decisions_from(place.state),
            "content": for_display(current.content),
            "version": current,
            "versions": versions,
            "previous": previous,
            "changes": changes,
            "changed_criteria": [c for c in changes["criteria"] if c.changed] if changes else [],
            "path": path_panel(request, application, is_leader=False, place=place, on_decision_page=True),
            "quota": selectors.quota_status(application.campaign, place.unit),
        },
    )


def _decided_message(decision: Decision) -> str:
    if decision.accepted:
        return _("Accepted for expert review.")
    if decision.kind == K.RECOMMEND:
        return _("Recommended: the application goes up to the next unit.")
    if decision.kind == K.RETURN:
        return _("Returned to the team leader with your opinion as the reasons.")
    return _("Not recommended: the application goes no further in this campaign.")


def _parent_unit(request, campaign: Campaign) -> UnionUnit:
    """The unit whose units below the table shows: the organiser, or one of its subtree (?unit=)."""
    value = request.GET.get("unit", "")
    if value.isdigit():
        unit = UnionUnit.objects.filter(pk=value, path__startswith=campaign.organiser.path).first()
        if unit is not None:
            return unit
    return campaign.organiser


@organiser_campaign("reviews.view_progress")
def progress(request, campaign):
    """The organiser's progress: per unit below a unit (the organiser first, then any unit opened),
    what it received, holds, recommended, returned and rejected, its quota, deadline and overdue."""
    parent = _parent_unit(request, campaign)
    deadlines = Deadlines(campaign)
    paginator = BoundedPaginator(selectors.units_below(parent))
    paginator.count = parent.numchild  # the tree keeps each unit's number of children: nothing to count
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/progress.html",
        {
            "campaign": campaign,
            "parent": parent,
            "ancestors": list(
                UnionUnit.objects.filter(path__in=chain_paths(parent.path, campaign.organiser.path)[1:]).order_by(
                    "path"
                )
            ),
            "page_obj": page,
            "rows": selectors.unit_progress(campaign, list(page.object_list), deadlines),
            "totals": selectors.campaign_progress(campaign, deadlines),
            "may_extend": request.user.has_perm("reviews.extend_deadline", campaign),
            "extensions": deadlines.extensions[::-1],
        },
    )


@organiser_campaign("reviews.extend_deadline")
def extend(request, campaign):
    """The organiser moves one unit's or one level's recommendation deadline later, with a reason."""
    form = DeadlineExtensionForm(request.POST or None, initial={"unit_code": request.GET.get("unit", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_extend(
                actor=request.user,
                campaign=campaign,
                deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"],
                unit=form.cleaned_data.get("unit"),
                unit_kind=form.cleaned_data["unit_kind"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        except ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The deadline is extended."))
            return redirect("reviews:progress", pk=campaign.pk)
    return render(request, "reviews/extend.html", {"campaign": campaign, "form": form})


@organiser_campaign("reviews.view_progress")
def progress_export(request, campaign):
    return progress_workbook(campaign)
