"""Ledger pages (台帐): the team's list of entries, the entry form with its files, and the files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.downloads import private_file_response
from core.pagination import BoundedPaginator

from .. import selectors, services
from ..forms.ledger import LedgerEntryForm, LedgerFilterForm
from ..models import LedgerAttachment
from .team import team_page


def _entry(team, entry_pk):
    return get_object_or_404(team.ledger_entries, pk=entry_pk)


def _attachment(team, file_pk):
    return get_object_or_404(LedgerAttachment.objects.filter(entry__team=team).select_related("entry"), pk=file_pk)


@team_page("teams.view_team")
def ledger_list(request, team):
    form = LedgerFilterForm(request.GET or None, years=selectors.ledger_years(team))
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.ledger_entries(team, kind=filters.get("kind", ""), year=filters.get("year"))
    page = BoundedPaginator(entries).get_page(request.GET.get("page"))
    return render(
        request,
        "teams/ledger_list.html",
        {
            "team": team,
            "form": form,
            "page_obj": page,
            "can_edit": request.user.has_perm("teams.edit_team", team),
        },
    )


@team_page("teams.edit_team")
def ledger_edit(request, team, entry_pk=None):
    entry = _entry(team, entry_pk) if entry_pk else None
    form = LedgerEntryForm(request.POST or None, request.FILES or None, instance=entry, user=request.user)
    saved = None
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.ledger_entry_save(
                    actor=request.user,
                    team=team,
                    entry=entry,
                    uploads=form.cleaned_data["files"],
                    **form.entry_values(),
                )
            except ValidationError as error:
                form.add_error(None, error)
        if saved is None:
            # Nothing is saved. A browser cannot refill a file input: keep the good files for the
            # next submit, and name the others next to the file input.
            form.keep_uploads()
        else:
            form.uploads_saved()
            for name in saved.already_attached:
                messages.info(request, _("%(name)s is already attached to this entry.") % {"name": name})
            if saved.complete:
                messages.success(request, _("The ledger entry is saved."))
                return redirect("teams:ledger", pk=team.pk)
            # The text and the files that passed are saved: show the form again (now editing the
            # saved entry, so that sending it again does not record the entry twice) with the
            # refused files next to the file input.
            entry = saved.entry
    return render(
        request,
        "teams/ledger_form.html",
        {
            "team": team,
            "form": form,
            "entry": entry,
            "attachments": list(entry.attachments.all()) if entry else [],
            "saved_partly": saved is not None,
            "refused": saved.refused if saved else form.refused_uploads["files"],
        },
    )


@require_POST
@team_page("teams.edit_team")
def ledger_delete(request, team, entry_pk):
    entry = _entry(team, entry_pk)
    try:
        services.ledger_entry_delete(actor=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The ledger entry “%(title)s” is deleted.") % {"title": entry.title})
    return redirect("teams:ledger", pk=team.pk)


@team_page("teams.view_team")
def ledger_file(request, team, file_pk):
    attachment = _attachment(team, file_pk)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@require_POST
@team_page("teams.edit_team")
def ledger_file_remove(request, team, file_pk):
    attachment = _attachment(team, file_pk)
    try:
        services.ledger_attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is removed from the entry.") % {"name": attachment.original_name})
    return redirect("teams:ledger_edit", pk=team.pk, entry_pk=attachment.entry_id)
