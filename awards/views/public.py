"""The public's pages of the public notice (公示): the notices, one notice with its teams, the
real-name objection form, and the look-up of an objection's outcome by its reference.

Nothing here shows who objected: an objector's name, unit and phone are for the handling staff and
the auditors only. The list and the notice are cached for anonymous visitors (core.cache) under a
version that changes when a notice is published or an objection settled (which may take a team
off); the key also holds the minute, so a notice opens and closes on time.
"""

import contextlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from audit.context import client_ip
from core.cache import cache_public_page, version_from_sql
from core.pagination import BoundedPaginator

from .. import services
from ..errors import AwardsError
from ..forms_public import LookupForm, ObjectionForm
from ..models import NoticeEntry, Objection, PublicNotice

E = NoticeEntry.State
OB = Objection.State


def publicity_version() -> str:
    """Changes whenever a public page of the notices could: a notice published, an objection settled
    (an upheld one takes a team off). One query on two small tables."""
    notices, objections = PublicNotice._meta.db_table, Objection._meta.db_table
    # The table names come from the models; nothing else is put into the statement.
    return version_from_sql(
        f"SELECT (SELECT COUNT(*) FROM {notices}), (SELECT MAX(published_at) FROM {notices}), "
        f"(SELECT MAX(decided_at) FROM {objections})"
    )


def _entries_count(**filters):
    rows = NoticeEntry.objects.filter(notice=OuterRef("pk"), **filters).order_by().values("notice")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def _notice_state(notice: PublicNotice, today) -> str:
    if today < notice.starts_on:
        return "upcoming"
    return "running" if today <= notice.ends_on else "ended"


@cache_public_page(publicity_version)
def notice_list(request):
    notices = (
        PublicNotice.objects.select_related("campaign", "unit")
        .only(
            "starts_on",
            "ends_on",
            "working_days",
            "campaign__id",
            "campaign__title",
            "campaign__document_number",
            "unit__id",
            "unit__name",
        )
        .annotate(listed=_entries_count(state=E.LISTED), withdrawn=_entries_count(state=E.WITHDRAWN))
        .order_by("-starts_on", "-id")
    )
    page = BoundedPaginator(notices).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for notice in page:
        notice.state = _notice_state(notice, today)
    return render(request, "publicity/list.html", {"page_obj": page})


def _notice(pk) -> PublicNotice:
    return get_object_or_404(PublicNotice.objects.select_related("campaign", "unit").defer("campaign__body"), pk=pk)


# A notice of a big campaign can list a thousand teams: a page shows this many of them.
NOTICE_PAGE_SIZE = 100


class _CountedRows:
    """A queryset whose number of rows is already known (counted with the notice), for a Paginator
    that then needs no query of its own to count them."""

    def __init__(self, rows, count: int):
        self.rows, self._count = rows, count

    def count(self) -> int:
        return self._count

    def __getitem__(self, index):
        return list(self.rows[index])


@cache_public_page(publicity_version)
def notice_detail(request, pk):
    notice = get_object_or_404(
        PublicNotice.objects.select_related("campaign", "unit")
        .defer("campaign__body")
        .annotate(listed=_entries_count(state=E.LISTED), withdrawn=_entries_count(state=E.WITHDRAWN)),
        pk=pk,
    )
    entries = (
        NoticeEntry.objects.filter(notice=notice)
        .only(
            "notice_id",
            "order",
            "team_name",
            "enterprise",
            "union_name",
            "region",
            "summary",
            "leader_names",
            "state",
        )
        .order_by("order")
    )
    total = notice.listed + notice.withdrawn
    page = Paginator(_CountedRows(entries, total), NOTICE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/detail.html",
        {
            "notice": notice,
            "entries": page.object_list,
            "page_obj": page,
            "total": total,
            "state": _notice_state(notice, timezone.localdate()),
            "withdrawn": notice.withdrawn,
        },
    )


# --- Objections --------------------------------------------------------------------------------


def _limits() -> tuple[tuple[str, int, int], ...]:
    return (
        ("ip", settings.OBJECTION_LIMIT_PER_IP_PER_HOUR, 60 * 60),
        ("phone", settings.OBJECTION_LIMIT_PER_PHONE_PER_DAY, 24 * 60 * 60),
    )


def _limit_key(kind: str, value: str) -> str:
    return f"objection-limit:{kind}:{value}"


def _take(kind: str, value: str | None, limit: int, seconds: int) -> bool:
    """Count one objection against `value` within `seconds` of its first; False (and nothing counted)
    once `limit` is reached. The count is taken before filing, so that two requests at once cannot
    both pass the last place; a refused filing gives its place back."""
    if not value:
        return True
    key = _limit_key(kind, value)
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        count = 1
    if count > limit:
        _give_back(kind, value)
        return False
    return True


def _give_back(kind: str, value: str | None) -> None:
    if value:
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
            cache.decr(_limit_key(kind, value))


def _phone_key(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


def _file(request, form, entry) -> Objection | None:
    """The objection, or None with the refusal written into the form."""
    ip = client_ip(request)
    phone = _phone_key(form.cleaned_data["phone"])
    (_ip, ip_limit, ip_seconds), (_phone, phone_limit, phone_seconds) = _limits()
    if not _take("ip", ip, ip_limit, ip_seconds):
        form.add_error(
            None,
            _(
                "Too many objections were sent from your network in the last hour. "
                "Please try again later, or send it by post or phone."
            ),
        )
        return None
    if not _take("phone", phone, phone_limit, phone_seconds):
        _give_back("ip", ip)
        form.add_error(
            "phone",
            _(
                "This phone number has reached today's limit of %(n)s objections. "
                "Please try again tomorrow, or call the number on the notice."
            )
            % {"n": phone_limit},
        )
        return None
    if not form.use_challenge():
        _give_back("ip", ip)
        _give_back("phone", phone)
        form._renew_challenge()
        form.add_error("answer", _("The check has expired: answer the new question."))
        return None
    try:
        return services.objection_file(
            entry=entry,
            name=form.cleaned_data["name"],
            unit=form.cleaned_data["unit"],
            phone=form.cleaned_data["phone"],
            facts=form.cleaned_data["facts"],
            attachment=form.cleaned_data.get("attachment") or None,
            ip_address=ip,
        )
    except (ValidationError, AwardsError) as error:
        _give_back("ip", ip)
        _give_back("phone", phone)
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        return None


@never_cache
def objection_new(request, pk, entry_pk):
    notice = _notice(pk)
    entry = get_object_or_404(NoticeEntry.objects.filter(notice=notice), pk=entry_pk)
    context = {"notice": notice, "entry": entry, "state": _notice_state(notice, timezone.localdate())}
    if context["state"] != "running" or entry.state != E.LISTED:
        return render(request, "publicity/object.html", context)
    form = ObjectionForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        objection = _file(request, form, entry) if form.is_valid() else None
        if objection is not None:
            form.uploads_saved()
            return render(request, "publicity/filed.html", {**context, "objection": objection})
        form.keep_uploads()
    return render(request, "publicity/object.html", {**context, "form": form})


@never_cache
def lookup(request):
    form = LookupForm(request.GET or None)
    objection = None
    if form.is_valid() and not _take(
        "lookup", client_ip(request), settings.OBJECTION_LOOKUP_LIMIT_PER_IP_PER_HOUR, 60 * 60
    ):
        form.add_error(
            None, _("Too many look-ups were made from your network in the last hour. Please try again later.")
        )
    if form.is_valid():
        objection = (
            Objection.objects.filter(reference=form.cleaned_data["reference"])
            .select_related("entry", "notice__campaign")
            .only(
                "reference",
                "state",
                "findings",
                "filed_at",
                "decided_at",
                "entry__id",
                "entry__team_name",
                "notice__id",
                "notice__campaign__id",
                "notice__campaign__title",
            )
            .first()
        )
    return render(
        request,
        "publicity/lookup.html",
        {"form": form, "objection": objection, "searched": form.is_bound and form.is_valid()},
    )
