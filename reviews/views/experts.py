"""The pages of the expert review: the expert's list of reviews, the scoring page with the evidence
opening in place, declining for a conflict; the organiser's panel, assignments (automatic and by
hand), reopening and excluding, the ranking with its export, and the shortlist (拟命名)."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.decorators import perm_required
from campaigns.decorators import organiser_campaign
from campaigns.downloads import private_file_response
from core.forms import errors_to_form, into_form
from core.pagination import BoundedPaginator
from teams.content import for_display
from teams.models import ApplicationVersion, Evidence

from .. import selectors, services
from ..blind import blind_content, blind_file_name, names_of
from ..errors import ReviewError
from ..export import ranking_workbook
from ..forms_experts import (
    AssignForm,
    ConflictForm,
    PanelAddForm,
    RankingFilterForm,
    ReasonForm,
    ScoreForm,
)
from ..models import Assignment, Conflict, PanelMember, ReviewResult
from ..rules import may_score

A = Assignment.State
R = ReviewResult.State

# How many rows past the number of titles the shortlist form offers (departures reach that far).
SHORTLIST_MARGIN = 30


# --- The expert's pages ------------------------------------------------------------------------


@perm_required("reviews.view_my_reviews")
def my_reviews(request):
    """我的评审: the expert's assignments, those still to do first, with each campaign's review window."""
    page = selectors.MY_ROWS.page(selectors.my_assignments(request.user), request.GET.get("page"))
    return render(request, "reviews/my_reviews.html", {"page_obj": page, "today": timezone.localdate()})


def _own_assignment(request, pk) -> Assignment:
    """The assignment of the signed-in expert; anyone else's (a forged URL) is no such page."""
    assignment = (
        Assignment.objects.select_related("campaign", "result__application__team__grassroots_union")
        .filter(pk=pk)
        .first()
    )
    if assignment is None or not may_score(request.user, assignment):
        raise Http404
    if assignment.state == A.CANCELLED:
        raise Http404
    return assignment


def _closed(request, assignment: Assignment):
    return render(request, "reviews/review_closed.html", {"assignment": assignment}, status=403)


def _reviewed_content(assignment: Assignment) -> dict:
    result = assignment.result
    version = ApplicationVersion.objects.only("content").get(
        application_id=result.application_id, number=result.version
    )
    content = for_display(version.content)
    if assignment.campaign.blind_review:
        content = blind_content(content, result=result, names=names_of(result.application))
    return content


def _initial_scores(assignment: Assignment) -> dict:
    initial = {"overall_comment": assignment.overall_comment}
    for score in assignment.scores.all():
        if score.points is not None:
            initial[f"points_{score.criterion_id}"] = f"{score.points.normalize():f}"
        if score.vetoed is not None:
            initial[f"vetoed_{score.criterion_id}"] = "yes" if score.vetoed else "no"
        initial[f"comment_{score.criterion_id}"] = score.comment
    return initial


@login_required
def score(request, pk):
    """The scoring page: the application criterion by criterion beside the score fields, the evidence
    opening in place; saving as the expert types, submitting when complete."""
    assignment = _own_assignment(request, pk)
    campaign = assignment.campaign
    if not services.review_window_open(campaign) or assignment.state == A.DECLINED:
        return _closed(request, assignment)
    criteria = selectors.criteria_of(campaign)
    editable = assignment.state in (A.ASSIGNED, A.STARTED) and assignment.result.state == R.REVIEWING
    form = ScoreForm(
        request.POST if request.method == "POST" and editable else None,
        criteria=criteria,
        half_points=campaign.half_points,
        initial=_initial_scores(assignment),
    )
    if request.method == "POST" and editable:
        submitting = request.POST.get("action") == "submit"
        try:
            services.scores_save(
                actor=request.user,
                assignment=assignment,
                scores=form.scores(),
                overall_comment=request.POST.get("overall_comment"),
            )
            if submitting:
                services.review_submit(actor=request.user, assignment=assignment)
        except ValidationError as error:
            errors_to_form(form, error)
        except ReviewError as error:
            form.add_error(None, str(error))
        else:
            if submitting:
                messages.success(request, _("Your review of %(code)s is submitted.") % {"code": assignment.result.code})
                return redirect("reviews:my_reviews")
            messages.success(request, _("Scores saved."))
            return redirect("reviews:score", pk=assignment.pk)
    content = _reviewed_content(assignment)
    return render(
        request,
        "reviews/score.html",
        {
            "assignment": assignment,
            "campaign": campaign,
            "result": assignment.result,
            "content": content,
            "rows": list(zip(content["criteria"], form.bound_rows(), strict=True)),
            "form": form,
            "editable": editable,
            "missing": services.missing_for_submit(assignment) if editable else [],
        },
    )


@require_POST
@login_required
def score_autosave(request, pk):
    """The htmx save as the expert types: the time saved, or what was not saved and why."""
    assignment = _own_assignment(request, pk)
    form = ScoreForm(request.POST, criteria=selectors.criteria_of(assignment.campaign), half_points=False)
    errors: list[str] = []
    try:
        services.scores_save(
            actor=request.user,
            assignment=assignment,
            scores=form.scores(),
            overall_comment=request.POST.get("overall_comment"),
        )
    except ValidationError as error:
        errors = [m for messages_ in error.message_dict.values() for m in messages_]
    except ReviewError as error:
        errors = [str(error)]
    return render(request, "reviews/_score_autosave.html", {"errors": errors, "saved_at": timezone.now()})


@login_required
def decline(request, pk):
    """回避: the expert declines an assigned application for a conflict of interest, with the reason."""
    assignment = _own_assignment(request, pk)
    if assignment.state not in (A.ASSIGNED, A.STARTED) or assignment.result.state != R.REVIEWING:
        return _closed(request, assignment)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if into_form(
            form,
            lambda: services.assignment_decline(actor=request.user, assignment=assignment, reason=reason),
            refusals=(ReviewError,),
        ):
            messages.success(
                request, _("You declined %(code)s; it goes to another expert.") % {"code": assignment.result.code}
            )
            return redirect("reviews:my_reviews")
    return render(request, "reviews/decline.html", {"assignment": assignment, "form": form})


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
@login_required
def review_file(request, pk, sha256):
    """An evidence file of the reviewed version, shown in the browser (images and PDFs preview in the
    scoring page); in blind review named by the application code only."""
    assignment = _own_assignment(request, pk)
    if not services.review_window_open(assignment.campaign) or assignment.state == A.DECLINED:
        return _closed(request, assignment)
    result = assignment.result
    version = ApplicationVersion.objects.only("content").get(
        application_id=result.application_id, number=result.version
    )
    for criterion in version.content["criteria"]:
        for index, item in enumerate(criterion["evidence"], start=1):
            if item["sha256"] == sha256:
                name = item["name"]
                if assignment.campaign.blind_review:
                    name = blind_file_name(result, criterion["code"], index, name)
                return private_file_response(
                    Evidence(file=item["stored"]).file, filename=name, content_type=item["content_type"], inline=True
                )
    raise Http404


# --- The organiser's pages ----------------------------------------------------------------------


@organiser_campaign("reviews.manage_review")
def panel(request, campaign):
    """评审专家库: the campaign's panel, adding experts (granting the role to a user of the subtree),
    and the conflicts they declared."""
    members = selectors.panel(campaign)
    experts = [m.expert for m in members]
    which = request.POST.get("form") if request.method == "POST" else None
    add_form = PanelAddForm(request.POST if which == "add" else None, prefix="add")
    conflict_form = ConflictForm(request.POST if which == "conflict" else None, experts=experts, prefix="conflict")
    if which == "add" and add_form.is_valid():
        data = add_form.cleaned_data
        added = into_form(
            add_form,
            lambda: services.panel_add(
                actor=request.user,
                campaign=campaign,
                expert=data["username"],
                unit=data["unit_code"],
                enterprise=data["enterprise"],
                grant=data["grant"],
            ),
            refusals=(ReviewError,),
            renamed={"expert": "username", "unit": "unit_code"},
        )
        if added:
            messages.success(request, _("%(name)s is on the panel.") % {"name": data["username"]})
            return redirect("reviews:panel", pk=campaign.pk)
    if which == "conflict" and conflict_form.is_valid():
        data = conflict_form.cleaned_data
        recorded = into_form(
            conflict_form,
            lambda: services.conflict_record(
                actor=request.user,
                campaign=campaign,
                expert=data["expert"],
                enterprise=data["enterprise"],
                reason=data["reason"],
            ),
            refusals=(ReviewError,),
        )
        if recorded:
            messages.success(request, _("The conflict of interest is recorded."))
            return redirect("reviews:panel", pk=campaign.pk)
    conflicts = list(
        Conflict.objects.filter(campaign=campaign).select_related("expert", "team").order_by("recorded_at", "pk")
    )
    return render(
        request,
        "reviews/panel.html",
        {
            "campaign": campaign,
            "progress": selectors.expert_progress(campaign, members),
            "conflicts": conflicts,
            "add_form": add_form,
            "conflict_form": conflict_form,
        },
    )


@require_POST
@organiser_campaign("reviews.manage_review")
def panel_remove(request, campaign, member):
    member = get_object_or_404(PanelMember.objects.select_related("expert"), pk=member, campaign=campaign)
    try:
        cancelled = services.panel_remove(actor=request.user, campaign=campaign, member=member)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s left the panel; %(n)s unsubmitted reviews were cancelled.")
            % {"name": member.expert, "n": cancelled},
        )
    return redirect("reviews:panel", pk=campaign.pk)


@organiser_campaign("reviews.view_ranking")
def assignments(request, campaign):
    """评审分配: each application with its experts and reviews done; the automatic run (staff of the
    organiser); the experts' progress."""
    may_manage = request.user.has_perm("reviews.manage_review", campaign)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        try:
            report = services.assignments_auto(actor=request.user, campaign=campaign)
        except ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(n)s reviews assigned among the %(panel)s experts of the panel.")
                % {"n": report.assigned, "panel": report.panel},
            )
            for result, why in report.short[:20]:
                messages.warning(request, f"{result.code}：{why}")
            if len(report.short) > 20:
                messages.warning(
                    request, _("And %(n)s more applications without enough experts.") % {"n": len(report.short) - 20}
                )
        return redirect("reviews:assignments", pk=campaign.pk)
    page = BoundedPaginator(selectors.overview(campaign)).get_page(request.GET.get("page"))
    by_result = selectors.assignments_of(list(page.object_list))
    for result in page:
        result.assignment_list = by_result[result.pk]
    members = selectors.panel(campaign)
    return render(
        request,
        "reviews/assignments.html",
        {
            "campaign": campaign,
            "page_obj": page,
            "totals": selectors.review_totals(campaign),
            "progress": selectors.expert_progress(campaign, members),
            "may_manage": may_manage,
        },
    )


@organiser_campaign("reviews.manage_review")
def assign(request, campaign, result):
    """One application's review: its experts, an expert added by hand, a submitted review reopened,
    or the application excluded from the review."""
    result = get_object_or_404(
        ReviewResult.objects.select_related("application__team__grassroots_union", "recommended_by"),
        pk=result,
        campaign=campaign,
    )
    members = selectors.panel(campaign)
    action = request.POST.get("action") if request.method == "POST" else None
    assign_form = AssignForm(request.POST if action == "assign" else None, experts=[m.expert for m in members])
    exclude_form = ReasonForm(request.POST if action == "exclude" else None, prefix="exclude")
    if action == "assign" and assign_form.is_valid():
        expert = assign_form.cleaned_data["expert"]
        if into_form(
            assign_form,
            lambda: services.assignment_add(actor=request.user, result=result, expert=expert),
            refusals=(ReviewError,),
            refusal_field="expert",
        ):
            messages.success(request, _("The expert is assigned."))
            return redirect("reviews:assign", pk=campaign.pk, result=result.pk)
    if action == "exclude" and exclude_form.is_valid():
        reason = exclude_form.cleaned_data["reason"]
        if into_form(
            exclude_form,
            lambda: services.review_exclude(actor=request.user, result=result, reason=reason),
            refusals=(ReviewError,),
        ):
            messages.success(request, _("The application is excluded from the review."))
            return redirect("reviews:assignments", pk=campaign.pk)
    return render(
        request,
        "reviews/assign.html",
        {
            "campaign": campaign,
            "result": result,
            "assignment_list": selectors.assignments_of([result])[result.pk],
            "assign_form": assign_form,
            "exclude_form": exclude_form,
            "reopen_form": ReasonForm(prefix="reopen"),
            "criteria": selectors.criteria_of(campaign),
        },
    )


@require_POST
@organiser_campaign("reviews.manage_review")
def reopen(request, campaign, assignment):
    assignment = get_object_or_404(Assignment.objects.select_related("expert"), pk=assignment, campaign=campaign)
    form = ReasonForm(request.POST, prefix="reopen")
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening the review."))
    else:
        try:
            services.review_reopen(actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"])
        except (ValidationError, ReviewError) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The review of %(name)s is reopened.") % {"name": assignment.expert})
    return redirect("reviews:assign", pk=campaign.pk, result=assignment.result_id)


def _ranking_filter(request, campaign):
    form = RankingFilterForm(request.GET or None, units=selectors.recommending_units(campaign))
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    return form, selectors.ranking(campaign, unit=unit)


@organiser_campaign("reviews.view_ranking")
def ranking(request, campaign):
    """评审排名: rank, total, per-criterion scores, reviews done / assigned, spread (flagged above the
    campaign's threshold) and vetoes; filtered by recommending unit."""
    form, results = _ranking_filter(request, campaign)
    page = BoundedPaginator(results).get_page(request.GET.get("page"))
    criteria = selectors.criteria_of(campaign)
    return render(
        request,
        "reviews/ranking.html",
        {
            "campaign": campaign,
            "form": form,
            "page_obj": page,
            "rows": selectors.ranking_rows(campaign, page.object_list, criteria),
            "scored_criteria": [c for c in criteria if not c.is_veto],
            "may_manage": request.user.has_perm("reviews.manage_review", campaign),
        },
    )


@organiser_campaign("reviews.view_ranking")
def ranking_export(request, campaign):
    _form, results = _ranking_filter(request, campaign)
    return ranking_workbook(campaign, results)


@organiser_campaign("reviews.manage_review")
def shortlist(request, campaign):
    """拟命名: the organiser ticks up to the number of titles among the ranked applications; every
    departure from rank order needs its reason. What was typed stays when the form fails."""
    ranked = _shortlist_rows(campaign)
    errors: dict[str, list[str]] = {}
    refused = ""
    if request.method == "POST":
        selected = {int(v) for v in request.POST.getlist("selected") if v.isdigit()}
        reasons = {r.pk: request.POST.get(f"reason_{r.pk}", "") for r in ranked}
        try:
            services.shortlist_record(actor=request.user, campaign=campaign, selected=selected, reasons=reasons)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            refused = _("The shortlist is not recorded: give a reason for every departure from rank order.")
        except ReviewError as error:
            refused = str(error)
        else:
            messages.success(request, _("The shortlist is recorded: %(n)s applications.") % {"n": len(selected)})
            return redirect("reviews:ranking", pk=campaign.pk)
        chosen, typed = selected, reasons
    else:
        chosen = {r.pk for r in ranked if r.state == R.SHORTLISTED}
        typed = {r.pk: r.shortlist_reason for r in ranked}
    rows = [
        {
            "result": r,
            "selected": r.pk in chosen,
            "reason": typed.get(r.pk, ""),
            "errors": errors.get(f"reason_{r.pk}", []),
        }
        for r in ranked
    ]
    return render(
        request,
        "reviews/shortlist.html",
        {"campaign": campaign, "rows": rows, "refused": refused, "selected_count": len(chosen)},
    )


def _shortlist_rows(campaign) -> list[ReviewResult]:
    """The ranked applications down to the number of titles and a margin, and every one shortlisted now."""
    limit = campaign.titles_to_award + SHORTLIST_MARGIN
    ranked = selectors.ranking(campaign).filter(rank__isnull=False).exclude(state=R.EXCLUDED)
    top = list(ranked[:limit])
    shown = {r.pk for r in top}
    return top + [r for r in ranked.filter(state=R.SHORTLISTED) if r.pk not in shown]
