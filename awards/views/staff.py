"""The organiser's pages of the public notice and the naming: publishing the shortlist, settling the
objections, issuing the naming decision, and each named team's certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import UnionUnit
from campaigns.decorators import organiser_campaign
from campaigns.downloads import private_file_response
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


def _notice_url(notice: PublicNotice) -> str:
    if notice.stage == PublicNotice.Stage.ORGANISER:
        return reverse("awards:objections", args=[notice.campaign_id])
    return reverse("awards:notice", args=[notice.pk])


def _publish_form(request, campaign, *, unit=None):
    """The notice's form, bound on POST; after a successful publish, the redirect to the notice."""
    form = NoticeForm(request.POST or None, initial={"first_day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if into_form(
            form,
            lambda: services.notice_publish(actor=request.user, campaign=campaign, unit=unit, **data),
            refusals=(AwardsError,),
        ):
            messages.success(request, _("The shortlist is on public notice."))
            notice = PublicNotice.objects.get(campaign=campaign, unit=unit or campaign.organiser)
            return form, redirect(_notice_url(notice))
    return form, None


def _first_level_notices(campaign) -> list[dict]:
    """On a two-level notice, each recommending union's notice (or its absence) for the organiser."""
    if not campaign.two_level_notice:
        return []
    notices = {
        n.unit_id: n
        for n in PublicNotice.objects.filter(campaign=campaign, stage=PublicNotice.Stage.RECOMMENDING)
        .select_related("unit")
        .annotate(open=Count("objections", filter=Q(objections__state=Objection.State.INVESTIGATING)))
    }
    teams = dict(
        ReviewResult.objects.filter(campaign=campaign, state__in=(R.SHORTLISTED, R.NOT_SELECTED))
        .exclude(recommended_by=campaign.organiser_id)
        .filter(Q(state=R.SHORTLISTED) | Q(recommended_by__in=notices))
        .values("recommended_by")
        .annotate(n=Count("pk", filter=Q(state=R.SHORTLISTED)))
        .values_list("recommended_by", "n")
    )
    units = UnionUnit.objects.filter(pk__in=set(teams) | set(notices)).order_by("path")
    today = timezone.localdate()
    return [
        {
            "unit": unit,
            "teams": teams.get(unit.pk, 0),
            "notice": notices.get(unit.pk),
            "over": unit.pk in notices and today > notices[unit.pk].ends_on and not notices[unit.pk].open,
        }
        for unit in units
    ]


@organiser_campaign("awards.view_objections")
def publish(request, campaign):
    """公示: the shortlist as it will be published, and the form that publishes it. Once published,
    the notice and its objections. On a two-level notice, the recommending unions' notices first."""
    if services.organiser_notice(campaign) is not None:
        return redirect("awards:objections", pk=campaign.pk)
    if request.method == "POST" and not request.user.has_perm("awards.manage_awards", campaign):
        raise PermissionDenied
    form, done = _publish_form(request, campaign)
    if done:
        return done
    return render(
        request,
        "awards/publish.html",
        {
            "campaign": campaign,
            "form": form,
            "shortlist": _shortlist(campaign),
            "first_level": _first_level_notices(campaign),
            "may_manage": request.user.has_perm("awards.manage_awards", campaign),
        },
    )


@organiser_campaign("campaigns.view_campaign")
def unit_publish(request, campaign, unit):
    """两级公示, first level: a recommending union publishes the shortlisted teams it recommended."""
    unit = get_object_or_404(UnionUnit, pk=unit)
    if not request.user.has_perm("awards.publish_unit_notice", unit) or not campaign.two_level_notice:
        raise Http404
    notice = PublicNotice.objects.filter(campaign=campaign, unit=unit).first()
    if notice is not None:
        return redirect(_notice_url(notice))
    form, done = _publish_form(request, campaign, unit=unit)
    if done:
        return done
    return render(
        request,
        "awards/publish.html",
        {
            "campaign": campaign,
            "unit": unit,
            "form": form,
            "shortlist": [r for r in _shortlist(campaign) if r.recommended_by_id == unit.pk],
            "may_manage": True,
        },
    )


def _notice_page(request, notice):
    """The notice's period and teams, and the objections with who filed them (handling staff and
    auditors only), each settled with findings."""
    campaign = notice.campaign
    filed = list(
        Objection.objects.filter(notice=notice).select_related("entry", "decided_by").order_by("state", "filed_at")
    )
    organiser_stage = notice.stage == PublicNotice.Stage.ORGANISER
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
            "may_manage": request.user.has_perm("awards.manage_notice", notice),
            "may_name": organiser_stage and request.user.has_perm("awards.manage_awards", campaign),
            "named": organiser_stage and NamingDecision.objects.filter(campaign=campaign).exists(),
        },
    )


@organiser_campaign("awards.view_objections")
def objections(request, campaign):
    """The organiser's notice and its objections."""
    notice = services.organiser_notice(campaign)
    if notice is None:
        raise Http404
    notice.campaign = campaign
    return _notice_page(request, notice)


@login_required
def notice(request, pk):
    """Any notice of the two levels, for the staff and auditors of the union that published it and
    of those above."""
    notice = get_object_or_404(PublicNotice.objects.select_related("campaign", "unit"), pk=pk)
    if not request.user.has_perm("awards.view_notice", notice):
        raise Http404
    return _notice_page(request, notice)


@login_required
def objection_attachment(request, pk):
    """An objection's attachment, for those who read the objector's identity: the staff and auditors
    of the union that published the notice, and of those above."""
    objection = get_object_or_404(Objection.objects.select_related("notice__unit"), pk=pk)
    if not request.user.has_perm("awards.view_notice", objection.notice) or not objection.attachment:
        raise Http404
    return private_file_response(
        objection.attachment, filename=objection.attachment_name, content_type=objection.attachment_type
    )


@require_POST
@organiser_campaign("campaigns.view_campaign")
def objection_decide(request, campaign, objection):
    objection = get_object_or_404(
        Objection.objects.select_related("notice__unit"), pk=objection, notice__campaign=campaign
    )
    back = _notice_url(objection.notice)
    if not request.user.has_perm("awards.manage_notice", objection.notice):
        raise PermissionDenied
    form = ObjectionDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{objection.reference}：{error}")
        return redirect(back)
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
    return redirect(back)


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
            "notice": services.organiser_notice(campaign),
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
