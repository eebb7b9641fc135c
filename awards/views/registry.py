"""The public registry of named teams (命名班组名录): every named team, searched (characters, pinyin or
pinyin initials) and filtered; the same list as an Excel or CSV download; and a team's honours over
the years. Signed-in readers who may open a title's application find a link to it on each row.

The pages are cached for anonymous visitors (core.cache) under a version that changes when teams are
named or a title changes state (awards.selectors.registry_version)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from campaigns.industries import Industry
from core.cache import cache_public_page
from core.pagination import BoundedPaginator
from core.urls import reverse_fast

from .. import selectors
from ..export import registry_csv, registry_xlsx
from ..forms_public import RegistryFilterForm
from ..models import NamingDecision, Title


def _industry_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Industry.choices}


def _with_links(titles, user) -> None:
    """Each title with its labels, its team's page and, for a reader who may open it, its application."""
    readable = selectors.readable_applications(user, [title.application_id for title in titles])
    industries = _industry_labels()
    for title in titles:
        title.industry_label = industries.get(title.industry, title.industry)
        title.state_label = selectors.STATE_LABELS.get(title.state, title.state)
        title.team_url = reverse_fast("registry:team", title.team_id)
        title.decision_url = reverse_fast("registry:decision", title.decision_id)
        title.dossier_url = (
            reverse_fast("applications:detail", title.application_id) if title.application_id in readable else ""
        )


def _filtered(request):
    facets = selectors.registry_facets()
    form = RegistryFilterForm(request.GET or None, years=facets.years, regions=facets.regions)
    return form, selectors.registry_titles(form.filters()), facets.figures


@cache_public_page(selectors.registry_version)
def registry_list(request):
    form, titles, figures = _filtered(request)
    page = BoundedPaginator(titles).get_page(request.GET.get("page"))
    _with_links(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/list.html",
        {"form": form, "page_obj": page, "query": query.urlencode(), "figures": figures},
    )


def registry_export_xlsx(request):
    _form, titles, _figures = _filtered(request)
    return registry_xlsx(titles)


def registry_export_csv(request):
    _form, titles, _figures = _filtered(request)
    return registry_csv(titles)


@cache_public_page(selectors.registry_version)
def registry_team(request, pk):
    titles = selectors.team_titles(pk)
    if not titles:
        raise Http404
    _with_links(titles, request.user)
    return render(request, "registry/team.html", {"latest": titles[0], "titles": titles})


@cache_public_page(selectors.registry_version)
def registry_decision(request, pk):
    """命名决定: a naming decision as published — its number, date, level, the title conferred and its
    text — with every team it named and their certificate numbers (a revoked title marked)."""
    decision = get_object_or_404(
        NamingDecision.objects.select_related("campaign__organiser").defer("campaign__body"), pk=pk
    )
    titles = list(
        Title.objects.filter(decision=decision)
        .only("decision_id", *(f for f in selectors.REGISTRY_FIELDS if not f.startswith("decision__")))
        .order_by("certificate_number")
    )
    for title in titles:
        title.decision = decision
    _with_links(titles, request.user)
    return render(request, "registry/decision.html", {"decision": decision, "titles": titles})
