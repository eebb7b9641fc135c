"""Application pages: start, the form that saves as the leader types, submit, withdraw,
the versions and what changed between them, the printable form and its PDF, the evidence files,
and the staff's list with its export."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import perm_required
from campaigns.downloads import private_file_response
from campaigns.models import Campaign
from core.pdf import render_pdf

from .. import extensions, selectors, services
from ..content import application_content, checklist, compare, content_for, for_display, is_complete
from ..errors import ApplicationError, ApplicationExists, ApplicationIncomplete
from ..export import applications_export
from ..forms.application import ApplicationFilterForm, ApplicationForm, ledger_entries_with_files
from ..models import Application, ApplicationVersion, Evidence, LedgerEntry
from ..rules import may_write_application
from ..transitions import EDITABLE, leader_next_step, leader_transitions


def application_page(perm: str):
    """Load the application from what the user may see (404 outside it), then require `perm` (403).
    Writing ("teams.edit_application") is for the team's leaders only, superusers included."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, pk, *args, **kwargs):
            application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
            if perm == "teams.edit_application":
                allowed = may_write_application(request.user, application)
            else:
                allowed = request.user.has_perm(perm, application)
            if not allowed:
                raise PermissionDenied
            return view(request, application, *args, **kwargs)

        return wrapped

    return decorator


@require_POST
@login_required
def application_start(request):
    team = get_object_or_404(selectors.teams_led_by(request.user), pk=request.POST.get("team"))
    campaign = get_object_or_404(Campaign.objects.select_related("scope_unit"), pk=request.POST.get("campaign"))
    try:
        application = services.application_start(actor=request.user, team=team, campaign=campaign)
    except ApplicationExists as error:
        messages.info(request, str(error))
        return redirect("applications:edit", pk=error.application.pk)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("teams:mine")
    messages.success(request, _("The application is started. It saves as you type."))
    return redirect("applications:edit", pk=application.pk)


@application_page("teams.view_application")
def application_detail(request, application):
    is_leader = may_write_application(request.user, application)
    content, version = content_for(request.user, application)
    can_edit = is_leader and application.status in EDITABLE and services.window_is_open(application)
    # The leader's own moves; the unions' decisions are the recommendation chain's, in its panel.
    transitions = leader_transitions(application) if is_leader else []
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "content": for_display(content),
            "version": version,
            "versions": application.versions.select_related("submitted_by").order_by("number"),
            "checklist": checklist(content),
            "complete": is_complete(content),
            "is_leader": is_leader,
            "can_edit": can_edit,
            # The deadline concerns the leader while they may still change the application.
            "deadline": services.editing_deadline(application) if can_edit else None,
            "next_step": leader_next_step(application) if is_leader else "",
            "transitions": transitions,
            "panels": extensions.panels_for(request, application, is_leader=is_leader),
        },
    )


def _edit_context(application: Application, form: ApplicationForm, **extra) -> dict:
    evidence = list(application.evidence.select_related("ledger_entry"))
    content = application_content(application)
    return {
        "application": application,
        "form": form,
        "blocks": form.blocks(evidence),
        "checklist": checklist(content),
        "complete": is_complete(content),
        "deadline": services.editing_deadline(application),
        "evidence_total": services.evidence_total(application),
        "evidence_limit": settings.APPLICATION_EVIDENCE_MAX_BYTES,
        "file_limit": settings.TEAM_FILE_MAX_BYTES,
        **extra,
    }


def _application_form(request, application: Application, *, with_files: bool) -> ApplicationForm:
    criteria = list(application.campaign.criteria.all())
    return ApplicationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if with_files and request.method == "POST" else None,
        application=application,
        criteria=criteria,
        ledger_entries=ledger_entries_with_files(application.team),
    )


def _save_text(request, application: Application, form: ApplicationForm) -> bool:
    """Save the summary, the account and the answers if they are valid; False when they are not."""
    if not form.text_is_valid():
        return False
    services.application_save(
        actor=request.user,
        application=application,
        summary=form.cleaned_data["summary"],
        account=form.cleaned_data["account"],
        answers=form.answers(),
    )
    return True


def _apply_action(request, application: Application, form: ApplicationForm) -> bool:
    """Save what the form holds, then do the button's action. Returns True when all went well; the
    text is saved even when a file fails, and each failure is put next to its criterion."""
    ok = _save_text(request, application, form)
    criteria = {c.pk: c for c in form.criteria}
    for criterion_pk, uploads in form.uploads().items():
        if uploads:
            added, errors = services.evidence_add(
                actor=request.user, application=application, criterion=criteria[criterion_pk], uploads=uploads
            )
            form.attached.extend(added)
            for error in errors:
                form.add_error(f"files_{criterion_pk}", error)
            ok = ok and not errors
    action = request.POST.get("action", "save")
    if action.startswith("remove:"):
        evidence = get_object_or_404(Evidence, pk=action.removeprefix("remove:"), application=application)
        services.evidence_remove(actor=request.user, evidence=evidence)
    elif action.startswith("ledger:"):
        pk = action.removeprefix("ledger:")
        criterion = criteria.get(int(pk)) if pk.isdigit() else None
        entry_pk = form.cleaned_data.get(f"ledger_{criterion.pk}") if criterion else None
        if entry_pk is None:
            form.add_error(None, _("Choose the ledger entry whose files to attach."))
            return False
        entry = get_object_or_404(LedgerEntry, pk=entry_pk, team=application.team)
        try:
            services.evidence_from_ledger(actor=request.user, application=application, criterion=criterion, entry=entry)
        except ValidationError as error:
            form.add_error(f"ledger_{criterion.pk}", error)
            return False
    return ok


@application_page("teams.edit_application")
def application_edit(request, application):
    form = _application_form(request, application, with_files=True)
    if request.method == "POST":
        try:
            ok = _apply_action(request, application, form)
            if ok and request.POST.get("action") == "submit":
                services.application_submit(actor=request.user, application=application)
                messages.success(
                    request,
                    _("The application is submitted. It is frozen as version %(n)s.")
                    % {"n": application.versions.count()},
                )
                return redirect("applications:detail", pk=application.pk)
        except ApplicationIncomplete as error:
            application.refresh_from_db()
            return render(request, "applications/edit.html", _edit_context(application, form, missing=error.missing))
        except ApplicationError as error:
            application.refresh_from_db()
            if application.status not in EDITABLE:  # submitted a moment ago: a double click
                messages.info(request, str(error))
                return redirect("applications:detail", pk=application.pk)
            form.add_error(None, str(error))
            ok = False
        if ok:
            messages.success(request, _("Saved."))
            return redirect(request.path + request.POST.get("anchor", ""))
        application.refresh_from_db()
    elif application.status not in EDITABLE:
        messages.info(request, _("A submitted application can be changed only when it is returned for revision."))
        return redirect("applications:detail", pk=application.pk)
    elif not services.window_is_open(application):
        messages.error(request, _("The deadline has passed; the application can no longer be changed or submitted."))
        return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/edit.html", _edit_context(application, form))


@require_POST
@application_page("teams.edit_application")
def application_autosave(request, application):
    """The htmx draft save: the text only; answers with the time saved and the checklist."""
    form = _application_form(request, application, with_files=False)
    error = ""
    try:
        if not _save_text(request, application, form):
            error = _("Not saved: please correct the marked fields.")
    except ApplicationError as failure:
        error = str(failure)
    content = application_content(application)
    return render(
        request,
        "applications/_autosave.html",
        {
            "error": error,
            "saved_at": timezone.now(),
            "checklist": checklist(content),
            "complete": is_complete(content),
            "application": application,
        },
    )


@require_POST
@application_page("teams.edit_application")
def application_withdraw(request, application):
    try:
        services.application_withdraw(actor=request.user, application=application)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The application is withdrawn and is a draft again."))
    return redirect("applications:detail", pk=application.pk)


@application_page("teams.view_application")
def application_versions(request, application):
    versions = list(application.versions.order_by("number"))
    if not versions:
        raise Http404
    numbers = [v.number for v in versions]

    def pick(name: str, default: int) -> ApplicationVersion:
        value = request.GET.get(name, "")
        number = int(value) if value.isdigit() and int(value) in numbers else default
        return versions[numbers.index(number)]

    after = pick("to", numbers[-1])
    before = pick("from", numbers[-2] if len(numbers) > 1 else numbers[-1])
    return render(
        request,
        "applications/versions.html",
        {
            "application": application,
            "versions": versions,
            "before": before,
            "after": after,
            "changes": compare(before.content, after.content),
        },
    )


def _form_context(request, application) -> dict:
    content, version = content_for(request.user, application)
    return {
        "application": application,
        "team": application.team,
        "campaign": application.campaign,
        "leaders": application.team.leaders.all(),
        "members": application.team.members.filter(left_on__isnull=True),
        "content": for_display(content),
        "version": version,
        "printed_at": timezone.now(),
        "opinion_boxes": extensions.opinion_boxes_for(application),
    }


@application_page("teams.view_application")
def application_print(request, application):
    return render(request, "applications/print.html", _form_context(request, application))


@application_page("teams.view_application")
def application_pdf(request, application):
    return render_pdf(
        request,
        "applications/print.html",
        _form_context(request, application),
        filename=_("Application form %(team)s.pdf") % {"team": application.team.name},
        print_url=reverse("applications:print", args=[application.pk]),
    )


@application_page("teams.view_application")
def application_file(request, application, sha256):
    """An evidence file by its hash: one attached now, or one a submitted version names."""
    evidence = application.evidence.filter(sha256=sha256).first()
    if evidence is not None:
        return private_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)
    for version in application.versions.order_by("-number"):
        for criterion in version.content["criteria"]:
            for item in criterion["evidence"]:
                if item["sha256"] == sha256:
                    field_file = Evidence(file=item["stored"]).file
                    return private_file_response(field_file, filename=item["name"], content_type=item["content_type"])
    raise Http404


def _filters(request) -> tuple[ApplicationFilterForm, dict]:
    form = ApplicationFilterForm(request.GET or None, campaigns=selectors.application_campaign_choices(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {
        "user": request.user,
        "campaign": filters.get("campaign"),
        "status": filters.get("status", ""),
        "search": filters.get("q", ""),
    }


@perm_required("teams.list_applications")
def application_list(request):
    form, filters = _filters(request)
    page = selectors.application_page(
        selectors.application_list(**filters),
        request.GET.get("page"),
        user=request.user,
        known_count=selectors.stored_count(**filters),
    )
    return render(request, "applications/list.html", {"form": form, "page_obj": page})


@perm_required("teams.list_applications")
def application_export(request):
    _form, filters = _filters(request)
    return applications_export(selectors.application_list(**filters), reader=request.user)
