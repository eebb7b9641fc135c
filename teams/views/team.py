"""Team pages: the leader's own teams and registration, the team's page with its members and
mentor pairs, and the staff's list, export, review and move."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import perm_required
from core.pagination import BoundedPaginator
from core.search import reads_every_match

from .. import selectors, services
from ..export import teams_export
from ..forms import MemberForm, MentorPairForm, MoveForm, ReviewForm, StaffTeamForm, TeamFilterForm, TeamForm


def team_page(perm: str):
    """Load the team from what the user may see (404 outside it), then require `perm` on it (403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, pk, *args, **kwargs):
            team = get_object_or_404(selectors.teams_visible_to(request.user), pk=pk)
            if not request.user.has_perm(perm, team):
                raise PermissionDenied
            return view(request, team, *args, **kwargs)

        return wrapped

    return decorator


@login_required
def my_teams(request):
    """The team leader's home: their teams, the campaigns open to each, their applications and what
    each expects of them next, returned applications first."""
    return render(request, "teams/mine.html", {"leader_home": selectors.leader_home(request.user)})


@perm_required("teams.register_team")
def team_register(request):
    form = TeamForm(request.POST or None, with_union=True, initial={"grassroots_union": request.user.unit})
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_register(
                actor=request.user, grassroots_union=form.cleaned_data["grassroots_union"], **form.team_values()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The team is registered. Its grassroots union will now review it."))
            return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/form.html", {"form": form, "team": None, "heading": _("Register a team")})


@perm_required("teams.create_team")
def team_create(request):
    form = StaffTeamForm(request.POST or None, with_union=True)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=request.user,
                grassroots_union=form.cleaned_data["grassroots_union"],
                leader_name=form.cleaned_data["leader_name"],
                leader_email=form.cleaned_data["leader_email"],
                request_host=request.build_absolute_uri("/").rstrip("/"),
                **form.team_values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The team is registered and its leader has been invited by e-mail."))
            return redirect("teams:detail", pk=team.pk)
    return render(
        request, "teams/form.html", {"form": form, "team": None, "heading": _("Register a team for its leader")}
    )


@team_page("teams.view_team")
def team_detail(request, team):
    members = list(team.members.all())
    return render(
        request,
        "teams/detail.html",
        {
            "team": team,
            "current_members": [m for m in members if m.is_current],
            "former_members": [m for m in members if not m.is_current],
            "pairs": team.mentor_pairs.select_related("mentor", "apprentice"),
            "leaders": team.leaders.all(),
            "ledger": selectors.ledger_entries(team)[:5],
            "can_edit": request.user.has_perm("teams.edit_team", team),
            "can_review": request.user.has_perm("teams.review_team", team),
        },
    )


@team_page("teams.edit_team")
def team_edit(request, team):
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(actor=request.user, team=team, **form.team_values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/form.html", {"form": form, "team": team, "heading": _("Edit the team")})


@team_page("teams.review_team")
def team_review(request, team):
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("decision") == "approve":
                services.team_approve(actor=request.user, team=team)
                messages.success(request, _("The team is approved."))
            else:
                services.team_reject(actor=request.user, team=team, reason=form.cleaned_data["reason"])
                messages.success(request, _("The team leader is told why the team was not approved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/review.html", {"team": team, "form": form})


@team_page("teams.review_team")
def team_move(request, team):
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_move(actor=request.user, team=team, new_union=form.cleaned_data["grassroots_union"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The team now belongs to %(union)s.") % {"union": team.grassroots_union})
            return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/move.html", {"team": team, "form": form})


@team_page("teams.edit_team")
def member_edit(request, team, member_pk=None):
    member = get_object_or_404(team.members, pk=member_pk) if member_pk else None
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_save(actor=request.user, team=team, member=member, **form.member_values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The member is saved."))
            return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/member_form.html", {"team": team, "form": form, "member": member})


@team_page("teams.edit_team")
def pair_add(request, team):
    form = MentorPairForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_pair_save(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The mentor-apprentice pair is saved."))
            return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/pair_form.html", {"team": team, "form": form})


def _filtered_teams(request):
    form = TeamFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    teams = selectors.team_list(
        user=request.user,
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        industry=filters.get("industry", ""),
        draft_due=filters.get("applications") == "draft_due",
    )
    return form, teams


@perm_required("teams.list_teams")
def team_list(request):
    form, teams = _filtered_teams(request)
    # A search of the trigram indexes sorts all its matches: the page's query counts them as well.
    search = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    page = BoundedPaginator(selectors.for_team_list(teams), count_in_rows=reads_every_match(search)).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.team_rows(page.object_list, user=request.user)
    return render(
        request,
        "teams/list.html",
        {"form": form, "page_obj": page, "can_create": request.user.has_perm("teams.create_team")},
    )


@perm_required("teams.list_teams")
def team_export(request):
    _form, teams = _filtered_teams(request)
    return teams_export(teams)


@require_POST
@team_page("teams.edit_team")
def team_resubmit(request, team):
    try:
        services.team_resubmit(actor=request.user, team=team)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The team is submitted for approval again."))
    return redirect("teams:detail", pk=team.pk)
