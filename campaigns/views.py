"""Campaign pages: the staff's notices (list, create, edit, criteria, quotas, attachments, preview,
transitions) and the public notices (list, page, PDF, attachments)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import perm_required
from accounts.models import RoleAssignment
from core.cache import cache_public_page
from core.pagination import BoundedPaginator
from core.pdf import render_pdf

from . import selectors, services
from .downloads import private_file_response
from .errors import CampaignError
from .forms import (
    AttachmentForm,
    CampaignForm,
    CancelForm,
    ConfirmForm,
    CopyTemplateForm,
    CriterionFormSet,
    QuotaForm,
    StaffCampaignFilterForm,
)
from .models import Attachment, Campaign
from .timeline import countdown, steps
from .transitions import find_transition, transitions_from


def staff_campaign(perm: str, *, whole_page: bool = False):
    """Load the campaign from the user's scope (404 outside it), then require `perm` on it (403).
    `whole_page` also loads the criteria, attachments and level deadlines a notice page shows."""

    def decorator(view):
        @perm_required("campaigns.list_campaigns")
        @wraps(view)
        def wrapped(request, pk, *args, **kwargs):
            campaigns = selectors.campaigns_visible_to(request.user)
            if whole_page:
                campaigns = selectors.campaign_for_page(campaigns)
            campaign = get_object_or_404(campaigns, pk=pk)
            if not request.user.has_perm(perm, campaign):
                raise PermissionDenied
            try:
                return view(request, campaign, *args, **kwargs)
            except CampaignError as error:
                messages.error(request, str(error))
                return redirect("campaigns:detail", pk=campaign.pk)

        return wrapped

    return decorator


# --- Staff ----------------------------------------------------------------------------------


@perm_required("campaigns.list_campaigns")
def campaign_list(request):
    form = StaffCampaignFilterForm(request.GET or None, years=selectors.campaign_years(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    campaigns = selectors.campaign_list(
        user=request.user,
        status=filters.get("status", ""),
        category=filters.get("category", ""),
        year=filters.get("year"),
        search=filters.get("q", ""),
    )
    page = selectors.CAMPAIGN_ROWS.page(campaigns, request.GET.get("page"), short=True)
    counts = selectors.application_counts(page.object_list, reader=request.user)
    for campaign in page.object_list:
        campaign.application_counts = counts.get(campaign.pk, [])
    return render(
        request,
        "campaigns/list.html",
        {"form": form, "page_obj": page, "can_create": request.user.has_perm("campaigns.create_campaign")},
    )


@perm_required("campaigns.create_campaign")
def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.user,
                organiser=form.cleaned_data["organiser"],
                template=form.cleaned_data["template"],
                level_deadlines=form.level_deadlines(),
                **form.campaign_values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        except IntegrityError:
            form.add_error("document_number", _("The organising unit already has a notice with this document number."))
        else:
            messages.success(
                request, _("The draft is saved. Check the criteria, quotas and attachments, then publish.")
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": None})


@staff_campaign("campaigns.view_campaign", whole_page=True)
def campaign_detail(request, campaign):
    can_manage = request.user.has_perm("campaigns.manage_campaign", campaign)
    organised = request.user.is_superuser or request.user.has_role_over(
        campaign.organiser, RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR
    )
    rows = selectors.quota_rows(campaign) if organised else []
    quota_total = sum(q.max_recommendations for _unit, q in rows if q)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "can_manage": can_manage,
            "organised": organised,
            "participations": [] if organised else selectors.participations(campaign, request.user),
            "transitions": transitions_from(campaign.status) if can_manage else [],
            "problems": services.publish_problems(campaign) if campaign.status == Campaign.Status.DRAFT else [],
            "steps": steps(campaign),
            "quota_rows": rows,
            "quota_total": quota_total,
        },
    )


@staff_campaign("campaigns.manage_campaign")
def campaign_edit(request, campaign):
    form = CampaignForm(request.POST or None, user=request.user, instance=campaign)
    effects = []
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.campaign_values().items() if not form.fields[k].disabled}
        effects = services.deadline_change_effects(campaign, values)
        if effects and not form.cleaned_data.get("confirm_effects"):
            form.add_error("confirm_effects", _("Tick the box to confirm that you want to go ahead."))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                actor=request.user, campaign=campaign, level_deadlines=form.level_deadlines(), **values
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign, "effects": effects})


@staff_campaign("campaigns.manage_campaign")
def campaign_criteria(request, campaign):
    if campaign.criteria_frozen:
        messages.error(
            request, _("The criteria were frozen when the notice was published and can no longer be changed.")
        )
        return redirect("campaigns:detail", pk=campaign.pk)
    copy_form = CopyTemplateForm(request.POST if "copy" in request.POST else None)
    formset = CriterionFormSet(request.POST if "save" in request.POST else None, instance=campaign, prefix="criteria")
    if "copy" in request.POST and copy_form.is_valid():
        services.criteria_copy_from_template(
            actor=request.user, campaign=campaign, template=copy_form.cleaned_data["template"]
        )
        messages.success(request, _("The criteria were replaced by a copy of the template."))
        return redirect("campaigns:criteria", pk=campaign.pk)
    if "save" in request.POST and formset.is_valid():
        try:
            services.criteria_save(actor=request.user, campaign=campaign, changes=formset.changes())
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("The criteria are saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request, "campaigns/criteria.html", {"campaign": campaign, "formset": formset, "copy_form": copy_form}
    )


@staff_campaign("campaigns.manage_campaign")
def campaign_quotas(request, campaign):
    rows = selectors.quota_rows(campaign)
    form = QuotaForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        services.quotas_save(actor=request.user, campaign=campaign, quotas=form.quotas())
        total = sum(v for v in form.quotas().values() if v)
        if total > campaign.titles_to_award:
            messages.warning(
                request,
                _("The quotas add up to %(total)s, more than the %(titles)s titles to award. Saved all the same.")
                % {"total": total, "titles": campaign.titles_to_award},
            )
        else:
            messages.success(request, _("The quotas are saved."))
        return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/quotas.html", {"campaign": campaign, "form": form})


@staff_campaign("campaigns.manage_campaign")
def campaign_attachments(request, campaign):
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(actor=request.user, campaign=campaign, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The attachment is added."))
            return redirect("campaigns:attachments", pk=campaign.pk)
    return render(
        request,
        "campaigns/attachments.html",
        {"campaign": campaign, "form": form, "attachments": campaign.attachments.all()},
    )


@require_POST
@staff_campaign("campaigns.manage_campaign")
def attachment_delete(request, campaign, attachment_pk):
    attachment = get_object_or_404(campaign.attachments, pk=attachment_pk)
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("The attachment is removed."))
    return redirect("campaigns:attachments", pk=campaign.pk)


@staff_campaign("campaigns.view_campaign")
def attachment_download(request, campaign, attachment_pk):
    attachment = get_object_or_404(campaign.attachments, pk=attachment_pk)
    return _send_attachment(attachment)


@staff_campaign("campaigns.view_campaign", whole_page=True)
def campaign_preview(request, campaign):
    return render(request, "notices/detail.html", _notice_context(campaign, preview=True))


@staff_campaign("campaigns.manage_campaign")
def campaign_transition(request, campaign, action):
    transition = find_transition(campaign.status, action)
    if transition is None:
        raise Http404
    # Warnings are asked about only when the notice could be published at all.
    publishable = action == "publish" and not services.publish_problems(campaign)
    warnings = services.publish_warnings(campaign) if publishable else []
    data = request.POST if request.method == "POST" else None
    form = CancelForm(data) if transition.needs_reason else None
    if warnings:
        form = ConfirmForm(data)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if action == "publish":
                services.campaign_publish(actor=request.user, campaign=campaign)
            elif action == "close":
                services.campaign_close(actor=request.user, campaign=campaign)
            elif action == "conclude":
                services.campaign_conclude(actor=request.user, campaign=campaign)
            else:
                services.campaign_cancel(actor=request.user, campaign=campaign, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if form is None:
                raise
            form.add_error(None, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/confirm.html",
        {"campaign": campaign, "transition": transition, "form": form, "warnings": warnings},
    )


# --- Public ---------------------------------------------------------------------------------


@cache_public_page(selectors.public_notices_version)
def notice_list(request):
    search = request.GET.get("q", "").strip()[:100]
    page = BoundedPaginator(selectors.public_notices(search=search).defer("body"), short=True).get_page(
        request.GET.get("page")
    )
    for notice in page:
        notice.countdown = countdown(notice)
    return render(request, "notices/list.html", {"page_obj": page, "q": search})


def _public_notice(pk) -> Campaign:
    return get_object_or_404(selectors.campaign_for_page(selectors.public_notices()), pk=pk)


def _notice_context(campaign: Campaign, *, preview: bool = False) -> dict:
    text, state = countdown(campaign)
    return {
        "campaign": campaign,
        "steps": steps(campaign),
        "countdown": text,
        "countdown_state": state,
        "preview": preview,
        "criteria": list(campaign.criteria.all()),
        "attachments": list(campaign.attachments.all()),
    }


@cache_public_page(selectors.public_notices_version)
def notice_detail(request, pk):
    return render(request, "notices/detail.html", _notice_context(_public_notice(pk)))


def notice_pdf(request, pk):
    campaign = _public_notice(pk)
    return render_pdf(
        request,
        "notices/pdf.html",
        _notice_context(campaign),
        filename=f"{campaign.document_number}{campaign.title}.pdf",
        print_url=reverse("notices:detail", args=[campaign.pk]),
    )


def notice_attachment(request, pk, attachment_pk):
    attachment = get_object_or_404(Attachment.objects.filter(campaign__published_at__isnull=False), pk=attachment_pk)
    if attachment.campaign_id != int(pk):
        raise Http404
    return _send_attachment(attachment)


def _send_attachment(attachment: Attachment) -> HttpResponse:
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
