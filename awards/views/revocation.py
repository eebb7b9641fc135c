"""The organiser's pages of revocation (摘牌): revoking one title or a batch with one reason, the list
of revocations, and a revocation's page where the hand-back of the plaque and the certificate is
recorded and a revocation made in error is reversed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import into_form
from core.rows import ValueRows

from .. import revocation as services
from ..errors import AwardsError
from ..forms import HandbackForm, ReversalForm, RevocationForm
from ..models import Revocation, Title
from ..selectors import revocations_visible_to

MAX_BATCH = 500


def _title_ids(request) -> list[int]:
    """The titles named by the query string (`?titles=1,2` or `?titles=1&titles=2`) or the form."""
    source = request.POST if request.method == "POST" else request.GET
    ids = []
    for value in source.getlist("titles"):
        for part in value.split(","):
            part = part.strip()
            if part.isdigit():
                ids.append(int(part))
    return sorted(set(ids))[: MAX_BATCH + 1]


@login_required
def revoke(request):
    """摘牌: the titles chosen on the naming page or a re-assessment's page, with the form. A title
    the user may not revoke (another organiser's, a forged id) is not found."""
    ids = _title_ids(request)
    if len(ids) > MAX_BATCH:
        raise Http404
    titles = list(
        Title.objects.filter(pk__in=ids).select_related("decision__campaign__organiser").order_by("certificate_number")
    )
    if not titles or len(titles) != len(ids):
        raise Http404
    if not all(request.user.has_perm("awards.view_objections", title.decision.campaign) for title in titles):
        raise Http404  # a title of a union outside the user's oversight: as if it did not exist
    if not all(services.may_revoke(request.user, title) for title in titles):
        raise PermissionDenied
    reason = request.GET.get("reason", "")
    form = RevocationForm(
        request.POST or None,
        initial={
            "revoked_on": timezone.localdate(),
            "reason": reason if reason in Revocation.Reason.values else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        result = []
        if into_form(
            form,
            lambda: result.extend(services.revoke(actor=request.user, titles=titles, **form.cleaned_data)),
            refusals=(AwardsError,),
        ):
            messages.success(
                request,
                _("%(n)s titles revoked.") % {"n": len(result)} if len(result) > 1 else _("The title is revoked."),
            )
            return redirect("awards:revocation", pk=result[0].pk)
    return render(
        request,
        "awards/revoke.html",
        {"titles": titles, "form": form, "revoked": [t for t in titles if t.state != Title.State.NAMED]},
    )


# What a row of the list shows, read as plain values (core.rows): the campaign's notice, the title's
# search text and the rest stay in the database.
REVOCATION_ROWS = ValueRows(
    Revocation,
    (
        "pk", "reason", "document_number", "revoked_on", "plaque_returned", "certificate_returned", "reversed_at",
        "title__team_name", "title__certificate_number", "title__decision__campaign__title",
    ),
    labelled=("reason",),
)  # fmt: skip


@login_required
def revocation_list(request):
    """Every revocation of the titles the user's units conferred, newest first; the reversed ones
    marked. For the staff and auditors of those units."""
    if not (request.user.is_superuser or request.user.scope_paths(services.STAFF_ROLE, services.AUDITOR_ROLE)):
        raise PermissionDenied
    revocations = revocations_visible_to(request.user).order_by("-revoked_at", "-id")
    state = request.GET.get("state", "")
    if state == "standing":
        revocations = revocations.filter(reversed_at__isnull=True)
    elif state == "reversed":
        revocations = revocations.filter(reversed_at__isnull=False)
    page = REVOCATION_ROWS.page(revocations, request.GET.get("page"))
    return render(request, "awards/revocations.html", {"page_obj": page, "state": state})


@login_required
def revocation_detail(request, pk):
    """One revocation with its batch; for the organiser's staff the hand-back and the reversal."""
    revocation = get_object_or_404(
        revocations_visible_to(request.user).select_related(
            "title__decision__campaign__organiser", "title__team", "revoked_by", "reversed_by"
        ),
        pk=pk,
    )
    may_manage = services.may_revoke(request.user, revocation.title)
    handback = HandbackForm(
        request.POST if request.POST.get("action") == "handback" else None,
        initial={
            "plaque_returned": revocation.plaque_returned,
            "certificate_returned": revocation.certificate_returned,
        },
    )
    reversal = ReversalForm(request.POST if request.POST.get("action") == "reverse" else None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        calls = {
            "handback": (
                handback,
                lambda: services.handback_record(actor=request.user, revocation=revocation, **handback.cleaned_data),
                _("Saved."),
            ),
            "reverse": (
                reversal,
                lambda: services.revocation_reverse(
                    actor=request.user, revocation=revocation, reason=reversal.cleaned_data["reason"]
                ),
                _("The revocation is reversed: the title stands again."),
            ),
        }
        if action in calls:
            form, call, done = calls[action]
            if form.is_valid() and into_form(form, call, refusals=(AwardsError,)):
                messages.success(request, done)
                return redirect("awards:revocation", pk=revocation.pk)
    return render(
        request,
        "awards/revocation.html",
        {
            "revocation": revocation,
            "batch": services.batch_of(revocation) if revocation.batch_size > 1 else [],
            "history": list(
                Revocation.objects.filter(title_id=revocation.title_id)
                .select_related("revoked_by", "reversed_by")
                .order_by("revoked_at", "id")
            ),
            "may_manage": may_manage,
            "handback": handback,
            "reversal": reversal,
        },
    )
