"""Project-level views: the front page, the health check, the site icon and the friendly error pages."""

from django.db import connection
from django.http import HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache

from campaigns.selectors import public_notices
from reviews import selectors as reviews_selectors
from teams import selectors as teams_selectors


def home(request):
    """The public front page with the latest notices. Signed in: what waits for the staff member,
    the team leader's teams and applications (returned ones first), the expert's next reviews with
    their deadlines, and the workbench of the roles."""
    context = {"latest_notices": public_notices().defer("body")[:5]}
    user = request.user
    if user.is_authenticated:
        assignments = user.role_assignment_list()
        context["assignments"] = assignments
        context["waiting"] = (
            reviews_selectors.staff_waiting(user)
            + reviews_selectors.expert_waiting(user)
            + teams_selectors.staff_waiting(user)
        )
        if user.has_role("expert"):
            context["reviews_to_do"] = reviews_selectors.reviews_to_do(user)
        if not assignments or user.led_teams.exists():
            context["leader_home"] = teams_selectors.leader_home(user)
    return render(request, "home.html", context)


@never_cache
def healthz(request):
    """For load balancers and docker health checks: the process answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@cache_control(public=True, max_age=24 * 60 * 60)
def favicon(request):
    """Browsers ask for /favicon.ico of their own accord: send them to the icon among the static files,
    whose name changes with its content (so the redirect itself is only kept for a day)."""
    return HttpResponseRedirect(static("img/favicon.ico"))


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: whatever failed must not fail again while the error page renders.
    return HttpResponseServerError(loader.get_template("500.html").render())
