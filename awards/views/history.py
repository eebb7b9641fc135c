"""A team's history (履历) for the staff and auditors above it (awards.history)."""

from django.shortcuts import render

from teams.views.team import team_page

from .. import history

ORDERS = ("newest", "oldest")


@team_page("awards.view_team_history")
def team_history(request, team):
    """Answers outsiders as the team's own page does: 404 to whoever may not see the team, 403 to its
    leaders (the history holds the unions' opinions and the review's results)."""
    order = request.GET.get("order")
    order = order if order in ORDERS else "newest"
    events = history.team_history(team)
    if order == "newest":
        events.reverse()
    return render(
        request,
        "awards/team_history.html",
        {"team": team, "years": history.by_year(events), "count": len(events), "order": order},
    )
