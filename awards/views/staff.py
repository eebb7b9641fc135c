"""The organiser's pages of the public notice and the naming: publishing the shortlist, settling the
objections, issuing the naming decision, and each named team's certificate."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.decorators import organiser_campaign
from core.forms import into_form
from core.pdf import PdfUnavailable, pdf_response, pdf_unavailable_response
from reviews.models import ReviewResult

from .. import services
from ..certificates import certificate_filename, certificate_pdf
from ..errors import AwardsError
from ..forms import NamingForm, NoticeForm, ObjectionDecisionForm
from ..models import NamingDecision, Objection, PublicNotice, Title
from ..selectors import latest_bundle

R = ReviewResult.State


def _shortlist(campaign):
    return list(
        ReviewResult.objects.filter(campaign=campaign, state=R.SHORTLISTED)
        .select_related("application__team__grassroots_union")
        .order_by("rank", "team_sort", "pk")
    )


@organiser_campaign("awards.view_objections")
def publish(request, campaign):
    """公示: the shortlist as it will be published, and the form that publishes it. Once published,
    the notice and its objections."""
    notice = PublicNotice.objects.filter(campaign=campaign).first()
    if notice is not None:
        return redirect("awards:objections", pk=campaign.pk)
    if request.method == "POST" and not request.user.has_perm("awards.manage_awards", campaign):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, initial={"first_day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if into_form(
            form,
            lambda: services.notice_publish(actor=request.user, campaign=campaign, **data),
            refusals=(AwardsError,),
        ):
            messages.success(request, _("The shortlist is on public notice."))
            return redirect("awards:objections", pk=campaign.pk)
    return render(
        request,
        "awards/publish.html",
        {
            "campaign": campaign,
            "form": form,
            "shortlist": _shortlist(campaign),
            "may_manage": request.user.has_perm("awards.manage_awards", campaign),
        },
    )


@organiser_campaign("awards.view_objections")
def objections(request, campaign):
    """The notice's period and teams, and the objections with who filed them (handling staff and
    auditors only), each settled with findings."""
    notice = get_object_or_404(PublicNotice.objects.select_related("campaign"), campaign=campaign)
    filed = list(
        Objection.objects.filter(notice=notice).select_related("entry", "decided_by").order_by("state", "filed_at")
    )
    return render(
        request,
        "awards/objections.html",
        {
            "campaign": campaign,
            "notice": notice,
            "entries": list(notice.entries.order_by("order")),
            "objections": filed,
            "running": services.notice_is_running(notice),
            "ended": timezone.localdate() > notice.ends_on,
            "form": ObjectionDecisionForm(),
            "may_manage": request.user.has_perm("awards.manage_awards", campaign),
            "named": NamingDecision.objects.filter(campaign=campaign).exists(),
        },
    )


@require_POST
@organiser_campaign("awards.manage_awards")
def objection_decide(request, campaign, objection):
    objection = get_object_or_404(Objection, pk=objection, notice__campaign=campaign)
    form = ObjectionDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{objection.reference}：{error}")
        return redirect("awards:objections", pk=campaign.pk)
    try:
        services.objection_decide(
            actor=request.user,
            objection=objection,
            upheld=form.cleaned_data["outcome"] == "upheld",
            findings=form.cleaned_data["findings"],
        )
    except (ValidationError, AwardsError) as error:
        messages.error(request, f"{objection.reference}：{'；'.join(getattr(error, 'messages', [str(error)]))}")
    else:
        messages.success(request, _("Objection %(reference)s is settled.") % {"reference": objection.reference})
    return redirect("awards:objections", pk=campaign.pk)


def _level_of(campaign) -> str:
    """The level a campaign's titles usually have: that of its organising union."""
    kind = campaign.organiser.kind
    return kind if kind in NamingDecision.Level.values else NamingDecision.Level.PROVINCIAL


@organiser_campaign("awards.view_objections")
def naming(request, campaign):
    """命名: the decision's form after the notice; once issued, the decision and its titles."""
    decision = NamingDecision.objects.filter(campaign=campaign).first()
    form = None
    if decision is None:
        if request.method == "POST" and not request.user.has_perm("awards.manage_awards", campaign):
            raise PermissionDenied
        form = NamingForm(
            request.POST or None,
            initial={"decided_on": timezone.localdate(), "level": _level_of(campaign)},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if into_form(
                form,
                lambda: services.naming_issue(actor=request.user, campaign=campaign, **data),
                refusals=(AwardsError,),
            ):
                messages.success(request, _("The naming decision is issued."))
                return redirect("awards:naming", pk=campaign.pk)
    return render(
        request,
        "awards/naming.html",
        {
            "campaign": campaign,
            "decision": decision,
            "titles": list(decision.titles.select_related("team").order_by("certificate_number")) if decision else [],
            "bundle": latest_bundle(decision) if decision else None,
            "form": form,
            "notice": PublicNotice.objects.filter(campaign=campaign).first(),
            "may_manage": request.user.has_perm("awards.manage_awards", campaign),
        },
    )


def certificate(request, pk):
    """荣誉证书: one named team's certificate as a PDF (A4 landscape, the CJK font embedded), for the
    oversight of the organiser and the team's own leaders. None for a revoked title."""
    title = get_object_or_404(Title.objects.select_related("team", "decision__campaign__organiser"), pk=pk)
    campaign = title.decision.campaign
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    may_read = (
        request.user.has_perm("awards.view_objections", campaign)
        or title.team.leaders.filter(pk=request.user.pk).exists()
    )
    if not may_read:
        raise Http404
    if title.state != Title.State.NAMED:
        return render(request, "awards/certificate_refused.html", {"title": title}, status=410)
    try:
        pdf = certificate_pdf(title)
    except PdfUnavailable as error:
        return pdf_unavailable_response(
            request, error, what="certificate", print_url=reverse("awards:naming", args=[campaign.pk])
        )
    return pdf_response(pdf, filename=certificate_filename(title))
