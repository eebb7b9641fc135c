"""Every write to a team's ledger (台帐): its entries and their attached files."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from core.text import clean_text
from core.uploads import RefusedUpload

from ..models import LedgerAttachment, LedgerEntry, Team
from .files import inspect_team_files, stored_file_fields
from .team import _locked, _require

LEDGER_FIELDS = ("occurred_on", "kind", "title", "description")


@dataclass
class LedgerSaved:
    """What `ledger_entry_save` did. The entry's text is saved even when some files were refused:
    the form shows `refused` next to the file input and the reader uploads those files again."""

    entry: LedgerEntry
    attached: list[LedgerAttachment] = field(default_factory=list)
    already_attached: list[str] = field(default_factory=list)
    refused: list[RefusedUpload] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.refused


def _current(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise ValidationError(_("It no longer exists; the page may be out of date.")) from None


def _check_text(entry: LedgerEntry) -> None:
    entry.full_clean(exclude=["team", "created_by"])
    errors = {}
    if entry.occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date cannot be in the future: the ledger records what has happened.")
    try:
        # A TextField's max_length is not a model validator; the ledger promises it all the same.
        field = LedgerEntry._meta.get_field("description")
        entry.description = clean_text(entry.description, limit=field.max_length, label=capfirst(field.verbose_name))
    except ValidationError as error:
        errors["description"] = error.messages
    if errors:
        raise ValidationError(errors)


def _attach(*, actor: User, team: Team, entry: LedgerEntry, uploads: Iterable, result: LedgerSaved) -> None:
    """Attach each upload that passes the checks; a refused file does not stop the others."""
    uploads = list(uploads)
    if not uploads:
        return
    known = set(entry.attachments.values_list("sha256", flat=True))
    good, result.refused = inspect_team_files(uploads)
    for upload, inspected in good:
        if inspected.sha256 in known:  # the team row is locked, so no other request can attach it meanwhile
            result.already_attached.append(upload.name)
            continue
        values = stored_file_fields(team=team, upload=upload, actor=actor, inspected=inspected)
        attachment = LedgerAttachment(entry=entry, **values)
        attachment.save()
        known.add(attachment.sha256)
        result.attached.append(attachment)


@transaction.atomic
def ledger_entry_save(
    *, actor: User, team: Team, entry: LedgerEntry | None = None, uploads: Iterable = (), **fields
) -> LedgerSaved:
    """Record a ledger entry, or edit one, and attach the uploaded files.

    Raises ValidationError (nothing saved) when the text is invalid. A file of the wrong type or
    too large does not stop the rest: the entry and the other files are saved, and the refused
    files are listed in the result."""
    team = _locked(team)
    _require(actor, "teams.edit_team", team)
    if entry is not None and entry.team_id != team.pk:
        raise PermissionDenied(_("That ledger entry belongs to another team."))
    created = entry is None
    if created:
        entry = LedgerEntry(team=team, created_by=actor)
    else:
        # Re-read under the team's lock, so that the changes recorded are against what is stored.
        entry = _current(LedgerEntry.objects.filter(team=team), entry.pk)
    changes = {}
    for name, value in fields.items():
        if name not in LEDGER_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(entry, name) != value:
            changes[name] = [getattr(entry, name), value]
            setattr(entry, name, value)
    _check_text(entry)
    if created or changes:
        entry.save()
    result = LedgerSaved(entry=entry)
    _attach(actor=actor, team=team, entry=entry, uploads=uploads, result=result)
    files = [a.original_name for a in result.attached]
    if created:
        action = "teams.ledger_add"
        details = {"entry": entry.pk, "title": entry.title, "kind": entry.kind, "occurred_on": entry.occurred_on}
    elif changes:
        action, details = "teams.ledger_update", {"entry": entry.pk, "title": entry.title, "changes": changes}
    elif files:
        action, details = "teams.ledger_file_add", {"entry": entry.pk, "title": entry.title}
    else:
        return result
    if files:
        details["files"] = files
    record(actor=actor, action=action, target=team, unit=team.grassroots_union, details=details)
    return result


@transaction.atomic
def ledger_attachment_remove(*, actor: User, attachment: LedgerAttachment) -> None:
    """Detach a file from its entry. The stored file stays: it is shared by content and may be named
    by a submitted application's snapshot."""
    team = _locked(attachment.entry.team)
    _require(actor, "teams.edit_team", team)
    attachment = _current(LedgerAttachment.objects.filter(entry__team=team).select_related("entry"), attachment.pk)
    attachment.delete()
    record(
        actor=actor,
        action="teams.ledger_file_remove",
        target=team,
        unit=team.grassroots_union,
        details={
            "entry": attachment.entry_id,
            "title": attachment.entry.title,
            "file": attachment.original_name,
            "sha256": attachment.sha256,
        },
    )


@transaction.atomic
def ledger_entry_delete(*, actor: User, entry: LedgerEntry) -> None:
    """Delete an entry and its attachment rows; the stored files stay (see above)."""
    team = _locked(entry.team)
    _require(actor, "teams.edit_team", team)
    entry = _current(LedgerEntry.objects.filter(team=team), entry.pk)
    files = list(entry.attachments.values_list("original_name", flat=True))
    details = {"entry": entry.pk, "title": entry.title, "occurred_on": entry.occurred_on, "files": files}
    entry.delete()
    record(actor=actor, action="teams.ledger_delete", target=team, unit=team.grassroots_union, details=details)
