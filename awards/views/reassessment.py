"""The pages of the re-assessment (复核): the organiser's list, start form, re-assessment page and
conclusions; the team leader's report; the staff's queue and decision page; the evidence files."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import perm_required
from accounts.models import UnionUnit
from campaigns.downloads import private_file_response
from campaigns.models import Campaign
from core.forms import errors_to_form, into_form
from core.pagination import BoundedPaginator
from teams.models import LedgerAttachment

from .. import reassessment as services
from .. import reassessment_selectors as selectors
from ..forms_reassessment import ConcludeForm, DecideForm, ReportForm, StartForm
from ..models import NamingDecision, Reassessment, ReassessmentEvidence, ReassessmentItem
from ..rules import may_conclude, may_decide_report, may_write_report

S = ReassessmentItem.State


# --- The organiser ---------------------------------------------------------------------------------


@perm_required("awards.list_reassessments")
def reassessment_list(request):
    """The re-assessments of the units in the user's scope, newest first."""
    rows = services.reassessments_visible_to(request.user).defer("scope").order_by("-created_at", "-id")
    page = BoundedPaginator(rows).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/reassessment_list.html",
        {"page_obj": page, "may_start": bool(_organisers(request.user))},
    )


def _organisers(user) -> list[UnionUnit]:
    """The units `user` may start a re-assessment for: those they are staff of (a superuser: the
    province and the units directly below it)."""
    if user.is_superuser:
        return list(UnionUnit.objects.filter(depth__lte=2).order_by("path"))
    ids = [a.unit_id for a in user.role_assignment_list() if a.role == "staff"]
    return list(UnionUnit.objects.filter(pk__in=ids).order_by("path"))


def _subtrees(units) -> Q:
    query = Q(pk__in=[])
    for unit in units:
        query |= Q(organiser__path__startswith=unit.path)
    return query


def _start_choices(organisers):
    subtree = _subtrees(organisers)
    decisions = list(
        NamingDecision.objects.filter(
            campaign__in=Campaign.objects.filter(subtree).exclude(status=Campaign.Status.DRAFT)
        ).order_by("-decided_on", "-id")[:200]
    )
    campaigns = list(
        Campaign.objects.filter(subtree).exclude(status=Campaign.Status.DRAFT).order_by("-application_opens_at")[:200]
    )
    return decisions, campaigns


@login_required
def reassessment_start(request):
    """Start a re-assessment: the organiser, the document, the deadlines, and the titles by year, by
    naming decision, by region or hand-picked; "count" shows how many titles the scope concerns."""
    organisers = _organisers(request.user)
    if not organisers:
        raise PermissionDenied
    decisions, campaigns = _start_choices(organisers)
    form = StartForm(
        request.POST or None,
        organisers=organisers,
        decisions=decisions,
        campaigns=campaigns,
        initial={"organiser": organisers[0].pk, **default_deadlines()},
    )
    count = None
    if request.method == "POST" and form.is_valid():
        organiser = next(u for u in organisers if u.pk == form.cleaned_data["organiser"])
        titles = services.scope_titles(organiser, form.cleaned_data["scope_kind"], form.scope_value())
        count = titles.count()
        if request.POST.get("action") != "count":
            data = form.cleaned_data
            criteria_campaign = next((c for c in campaigns if c.pk == data["criteria_campaign"]), None)
            done = {}

            def call():
                done["reassessment"] = services.reassessment_start(
                    actor=request.user,
                    organiser=organiser,
                    title=data["title"],
                    document_number=data["document_number"],
                    scope=data["scope"],
                    titles=titles,
                    report_deadline=data["report_deadline"],
                    review_deadline=data["review_deadline"],
                    criteria_campaign=criteria_campaign,
                )

            if into_form(form, call, refusals=(services.ReassessmentRefused,)):
                messages.success(request, _("The re-assessment is started; the teams are told."))
                return redirect("awards:reassessment", pk=done["reassessment"].pk)
    return render(request, "awards/reassessment_start.html", {"form": form, "count": count})


def _reassessment(request, pk) -> Reassessment:
    reassessment = get_object_or_404(services.reassessments_visible_to(request.user), pk=pk)
    if not request.user.has_perm("awards.view_reassessment", reassessment):
        raise Http404
    return reassessment


def default_deadlines() -> dict:
    """What the start form offers: the reports due in thirty days, the levels' review thirty days
    later, both at 17:30 Beijing time (the close of an office day)."""
    today = timezone.localdate()
    close = time(17, 30)
    return {
        "report_deadline": timezone.make_aware(datetime.combine(today + timedelta(days=30), close)),
        "review_deadline": timezone.make_aware(datetime.combine(today + timedelta(days=60), close)),
    }


def revoke_url(reassessment: Reassessment) -> str | None:
    """The revocation page for the failed and not reported titles still named (None: none)."""
    ids = services.failed_title_ids(reassessment)
    if not ids:
        return None
    url = reverse("awards:revoke")
    return f"{url}?titles={','.join(map(str, ids))}&reason=failed_reassessment"


@login_required
def reassessment_detail(request, pk):
    """The organiser's page of one re-assessment: every title with its state, where it waits, each
    level's opinion, the overdue ones, the conclusions to give, and the failed titles to revoke."""
    reassessment = _reassessment(request, pk)
    page = BoundedPaginator(selectors.item_rows(reassessment)).get_page(request.GET.get("page"))
    rows = selectors.item_page_rows(reassessment, list(page.object_list), request.user)
    counts = selectors.state_counts(reassessment)
    return render(
        request,
        "awards/reassessment_detail.html",
        {
            "reassessment": reassessment,
            "page_obj": page,
            "rows": rows,
            "counts": counts,
            "revoke_url": revoke_url(reassessment),
            "may_close": reassessment.state == Reassessment.State.RUNNING
            and request.user.has_perm("awards.run_reassessment", reassessment)
            and counts.get(S.CONCLUDED, 0) == reassessment.item_count,
        },
    )


def _item(request, pk) -> ReassessmentItem:
    """The item, if the user may read it; 404 otherwise (a forged URL learns nothing)."""
    item = get_object_or_404(
        ReassessmentItem.objects.select_related(
            "reassessment__organiser", "team__grassroots_union", "title", "unit", "criteria_campaign"
        ),
        pk=pk,
    )
    if not request.user.has_perm("awards.view_reassessment_item", item):
        raise Http404
    return item


@login_required
def item_conclude(request, pk):
    """The organiser's conclusion of one title: passed or failed when it waits at the organiser (or
    after the review deadline), not reported once the deadline has passed without a report."""
    item = _item(request, pk)
    if not may_conclude(request.user, item):
        raise PermissionDenied
    allowed = [o for o in ReassessmentItem.Outcome.values if services.conclusion_allowed(item, o)]
    if not allowed:
        messages.info(request, _("This title cannot be concluded now."))
        return redirect("awards:reassessment", pk=item.reassessment_id)
    initial = {"version": item.version or None, "outcome": request.GET.get("outcome") or allowed[0]}
    form = ConcludeForm(request.POST or None, initial=initial)
    form.fields["outcome"].choices = [c for c in form.fields["outcome"].choices if c[0] in allowed]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if into_form(
            form,
            lambda: services.reassessment_conclude(
                actor=request.user,
                item=item,
                outcome=data["outcome"],
                opinion=data["opinion"],
                version=data.get("version"),
            ),
            refusals=(services.ReassessmentRefused,),
        ):
            messages.success(request, _("The title's re-assessment is concluded."))
            return redirect("awards:reassessment", pk=item.reassessment_id)
    content, version = selectors.content_for_reader(item, writing=False)
    return render(
        request,
        "awards/reassessment_conclude.html",
        {
            "item": item,
            "form": form,
            "content": content if version else None,
            "version": version,
            "opinions": list(item.decisions.select_related("unit", "decided_by")),
        },
    )


@require_POST
@login_required
def reassessment_close(request, pk):
    reassessment = _reassessment(request, pk)
    try:
        services.reassessment_close(actor=request.user, reassessment=reassessment)
    except services.ReassessmentRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The re-assessment is concluded."))
    return redirect("awards:reassessment", pk=reassessment.pk)


# --- The team's report -------------------------------------------------------------------------


def _ledger_files(item: ReassessmentItem) -> list[LedgerAttachment]:
    return list(
        LedgerAttachment.objects.filter(entry__team=item.team)
        .select_related("entry")
        .order_by("-entry__occurred_on", "-entry_id", "id")[:200]
    )


def _attach(request, item, form, criteria) -> bool:
    """Store the files and the ledger choices of the form; False when one was refused (each
    refusal beside its criterion)."""
    ok = True
    for criterion in criteria:
        uploads = form.cleaned_data.get(f"files_{criterion.pk}") or []
        if uploads:
            _added, errors = services.report_evidence_add(
                actor=request.user, item=item, criterion=criterion, uploads=uploads
            )
            for error in errors:
                form.add_error(f"files_{criterion.pk}", error)
                ok = False
        chosen = form.cleaned_data.get(f"ledger_{criterion.pk}")
        if chosen:
            attachment = LedgerAttachment.objects.filter(pk=chosen, entry__team=item.team).first()
            if attachment is None:
                form.add_error(f"ledger_{criterion.pk}", _("That ledger entry belongs to another team."))
                ok = False
                continue
            try:
                services.report_evidence_from_ledger(
                    actor=request.user, item=item, criterion=criterion, attachment=attachment
                )
            except ValidationError as error:
                form.add_error(f"ledger_{criterion.pk}", error.messages)
                ok = False
    return ok


def _report_post(request, item, form, criteria):
    """Save (and attach, remove, submit); the redirect when it all went through, else None with the
    errors on the form — what was typed stays on the page."""
    action = request.POST.get("action", "save")
    if not form.is_valid() and any(not name.startswith(("files_", "ledger_")) for name in form.errors):
        return None
    try:
        services.report_save(actor=request.user, item=item, statements=form.statements())
        if action.startswith("remove:"):
            evidence = ReassessmentEvidence.objects.filter(pk=action[7:] or 0, item=item).first()
            if evidence is not None:
                services.report_evidence_remove(actor=request.user, evidence=evidence)
            return redirect("awards:reassessment_report", pk=item.pk)
        if not _attach(request, item, form, criteria) or form.errors:
            return None  # the statements are saved; the refused files or choices are marked
        if action == "submit":
            services.report_submit(actor=request.user, item=item)
            messages.success(request, _("The re-assessment report is submitted to your grassroots union."))
        else:
            messages.success(request, _("The report is saved."))
    except services.ReportIncomplete as error:
        form.add_error(None, str(error))
        form.missing = error.missing
        return None
    except ValidationError as error:
        errors_to_form(form, error)
        return None
    except services.ReassessmentRefused as error:
        form.add_error(None, str(error))
        return None
    return redirect("awards:reassessment_report", pk=item.pk)


@login_required
def report(request, pk):
    """The team's re-assessment report: its leaders write it per criterion (statement, evidence
    uploaded or chosen from the ledger), save and submit it before the deadline; afterwards — and for
    everyone else who may read it — the submitted version, with the levels' opinions once concluded."""
    item = _item(request, pk)
    writer = may_write_report(request.user, item)
    editable = writer and services.report_open(item)
    if request.method == "POST" and not writer:
        raise PermissionDenied
    criteria = list(item.criteria_campaign.criteria.all())
    form = None
    if writer and (editable or request.method == "POST"):
        answers = dict(item.answers.values_list("criterion_id", "statement"))
        form = ReportForm(
            request.POST or None,
            request.FILES or None,
            criteria=criteria,
            answers=answers,
            ledger_files=_ledger_files(item),
        )
        if request.method == "POST":
            done = _report_post(request, item, form, criteria)
            if done is not None:
                return done
            item.refresh_from_db()
            editable = True  # the page keeps the form and what was typed, with the refusal
    content, version = selectors.content_for_reader(item, writing=writer)
    opinions = []
    if not writer or item.state == S.CONCLUDED or item.state == S.RETURNED:
        opinions = list(item.decisions.select_related("unit"))
        if writer and item.state == S.RETURNED:
            opinions = [d for d in opinions if d.kind == "return"][-1:]
    blocks = []
    if form is not None:
        evidence = {c["id"]: c["evidence"] for c in services.report_content(item)["criteria"]}
        blocks = [
            {
                "criterion": c,
                "statement": form[f"statement_{c.pk}"],
                "files": form[f"files_{c.pk}"],
                "ledger": form[f"ledger_{c.pk}"],
                "evidence": evidence.get(c.pk, []),
            }
            for c in criteria
        ]
    return render(
        request,
        "awards/reassessment_report.html",
        {
            "item": item,
            "form": form,
            "blocks": blocks,
            "editable": editable and form is not None,
            "deadline": services.report_deadline_of(item),
            "content": content,
            "version": version,
            "opinions": opinions,
            "writer": writer,
            "may_decide": may_decide_report(request.user, item),
        },
    )


@login_required
def report_file(request, pk, sha256):
    item = _item(request, pk)
    found = selectors.stored_file(item, sha256)
    if found is None:
        raise Http404
    field_file = ReassessmentEvidence(file=found["stored"]).file
    return private_file_response(field_file, filename=found["name"], content_type=found["content_type"])


# --- The staff of every level ------------------------------------------------------------------


@perm_required("awards.view_reassessment_queue")
def queue(request):
    """The re-assessment reports waiting at the user's units."""
    page = selectors.queue_page(request.user, request.GET.get("page"))
    return render(request, "awards/reassessment_queue.html", {"page_obj": page})


@login_required
def decide(request, pk):
    """A level's decision on a report waiting at the user's unit: the submitted version and the
    opinions of the levels below; pass, fail or return, with an opinion."""
    item = _item(request, pk)
    if not may_decide_report(request.user, item) or item.state != S.WAITING:
        messages.info(request, _("The report is not waiting for a decision of your unit."))
        return redirect("awards:reassessment_report", pk=item.pk)
    form = DecideForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if into_form(
            form,
            lambda: services.report_decide(
                actor=request.user, item=item, kind=data["kind"], opinion=data["opinion"], version=data["version"]
            ),
            refusals=(services.ReassessmentRefused,),
        ):
            messages.success(request, _("Your unit's opinion is recorded."))
            return redirect("awards:reassessment_queue")
    version = selectors.latest_version(item)
    return render(
        request,
        "awards/reassessment_decide.html",
        {
            "item": item,
            "form": form,
            "content": version.content,
            "version": version,
            "opinions": list(item.decisions.select_related("unit")),
            "at_organiser": item.unit_id == item.reassessment.organiser_id,
        },
    )
