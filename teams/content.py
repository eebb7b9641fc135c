"""What an application says, as one plain dict: what a submitted version freezes, what every page
and the printed form show, and what the completeness checklist is computed from; and the one rule
of which content a reader sees, for the pages and the export alike."""

import difflib
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from campaigns.indicators import Indicator

from .models import Application, ApplicationVersion
from .rules import may_write_application
from .transitions import EDITABLE


def application_content(application: Application) -> dict:
    """The application as it stands now (three queries: criteria, answers, evidence)."""
    answers = {answer.criterion_id: answer for answer in application.answers.all()}
    evidence: dict[int, list] = {}
    for item in application.evidence.select_related("ledger_entry"):
        entry = item.as_snapshot()
        if item.ledger_entry is not None:
            entry["ledger_entry"] = str(item.ledger_entry)
        evidence.setdefault(item.criterion_id, []).append(entry)
    criteria = []
    for criterion in application.campaign.criteria.all():
        answer = answers.get(criterion.pk)
        criteria.append(
            criterion_content(
                criterion,
                statement=answer.statement if answer else "",
                values=answer.indicators if answer else {},
                evidence=evidence.get(criterion.pk, []),
            )
        )
    return {"summary": application.summary, "account": application.account, "criteria": criteria}


def criterion_content(criterion, *, statement: str, values: dict, evidence: list[dict]) -> dict:
    """One criterion of the content: the criterion as the campaign set it, and the answer to it."""
    return {
        "id": criterion.pk,
        "code": criterion.code,
        "title": criterion.title,
        "description": criterion.description,
        "max_score": str(criterion.max_score),
        "is_veto": criterion.is_veto,
        "statement_required": criterion.statement_required,
        "min_evidence": criterion.min_evidence,
        "statement": statement,
        "indicators": [{"code": code, "value": values.get(code)} for code in criterion.indicators],
        "evidence": evidence,
    }


def reads_as_it_stands(status: str, *, writer: bool, submitted_before: bool) -> bool:
    """The rule of what a reader sees: the leader, while they may change the application, sees it as
    it stands; everyone else, and the leader once it is submitted, the latest submitted version. An
    application never submitted is read as it stands (only its leaders may read it at all)."""
    return not submitted_before or (writer and status in EDITABLE)


def content_for(user, application: Application) -> tuple[dict, ApplicationVersion | None]:
    """The content `user` sees, and the version it comes from (None: the application as it stands)."""
    version = application.versions.order_by("-number").first()
    writer = may_write_application(user, application)
    if reads_as_it_stands(application.status, writer=writer, submitted_before=version is not None):
        return application_content(application), None
    return version.content, version


def summary_for_reader(row) -> str:
    """The summary the reader sees, by the same rule, for a row of `selectors.with_reader_view`
    (values: status, version, summary, submitted_summary, reader_writes)."""
    if reads_as_it_stands(row["status"], writer=row["reader_writes"], submitted_before=row["version"] > 0):
        return row["summary"]
    return row["submitted_summary"]


def indicator_label(code: str) -> str:
    return str(Indicator(code).label) if code in Indicator.values else code


def for_display(content: dict) -> dict:
    """The content with the labels a reader needs (kept out of the frozen data, which holds codes)."""
    for criterion in content["criteria"]:
        for indicator in criterion["indicators"]:
            indicator["label"] = indicator_label(indicator["code"])
    return content


@dataclass(frozen=True)
class ChecklistItem:
    label: Promise | str
    done: bool
    anchor: str


def checklist(content: dict) -> list[ChecklistItem]:
    items = [
        ChecklistItem(_("Summary"), bool(content["summary"].strip()), "id_summary"),
        ChecklistItem(_("Full account"), bool(content["account"].strip()), "id_account"),
    ]
    for criterion in content["criteria"]:
        anchor = f"criterion-{criterion['id']}"
        if criterion["statement_required"]:
            items.append(
                ChecklistItem(
                    _("%(code)s statement") % {"code": criterion["code"]},
                    bool(criterion["statement"].strip()),
                    anchor,
                )
            )
        if criterion["indicators"]:
            items.append(
                ChecklistItem(
                    _("%(code)s indicators") % {"code": criterion["code"]},
                    all(i["value"] is not None for i in criterion["indicators"]),
                    anchor,
                )
            )
        if criterion["min_evidence"]:
            items.append(
                ChecklistItem(
                    _("%(code)s evidence (at least %(count)s)")
                    % {"code": criterion["code"], "count": criterion["min_evidence"]},
                    len(criterion["evidence"]) >= criterion["min_evidence"],
                    anchor,
                )
            )
    return items


def is_complete(content: dict) -> bool:
    return all(item.done for item in checklist(content))


@dataclass(frozen=True)
class MissingGroup:
    """What is still missing in one part of the application (the texts, or one criterion)."""

    title: str
    anchor: str
    items: list[str]


def missing_by_criterion(content: dict) -> list[MissingGroup]:
    """What keeps the application from being submitted, criterion by criterion, in words a leader
    can act on; empty when it is complete."""
    groups = []
    texts = []
    if not content["summary"].strip():
        texts.append(str(_("The summary is empty.")))
    if not content["account"].strip():
        texts.append(str(_("The full account is empty.")))
    if texts:
        groups.append(MissingGroup(str(_("Summary and full account")), "id_summary", texts))
    for criterion in content["criteria"]:
        items = []
        if criterion["statement_required"] and not criterion["statement"].strip():
            items.append(str(_("The statement is empty.")))
        empty = [indicator_label(i["code"]) for i in criterion["indicators"] if i["value"] is None]
        if empty:
            items.append(str(_("Indicators not filled in: %(names)s.") % {"names": "、".join(empty)}))
        have, need = len(criterion["evidence"]), criterion["min_evidence"]
        if have < need:
            items.append(
                str(_("At least %(need)s evidence files are needed; %(have)s attached.") % {"need": need, "have": have})
            )
        if items:
            groups.append(
                MissingGroup(f"{criterion['code']} {criterion['title']}", f"criterion-{criterion['id']}", items)
            )
    return groups


@dataclass(frozen=True)
class CriterionChange:
    code: str
    title: str
    statement_diff: list[tuple[str, str]]  # (kind, text): kind is "same", "added" or "removed"
    indicators: list[tuple[str, object, object]]  # (label, before, after) where they differ
    evidence_added: list[dict]
    evidence_removed: list[dict]

    @property
    def changed(self) -> bool:
        return bool(
            any(kind != "same" for kind, _text in self.statement_diff)
            or self.indicators
            or self.evidence_added
            or self.evidence_removed
        )


def text_diff(before: str, after: str) -> list[tuple[str, str]]:
    """A character-level diff (Chinese has no spaces to split words at), merged into runs."""
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", before[a1:a2]))
            continue
        if a2 > a1:
            runs.append(("removed", before[a1:a2]))
        if b2 > b1:
            runs.append(("added", after[b1:b2]))
    return runs


def compare(before: dict, after: dict) -> dict:
    """What changed from one version's content to another's: texts, indicators and evidence (by hash)."""
    old_criteria = {c["code"]: c for c in before["criteria"]}
    changes = []
    for criterion in after["criteria"]:
        old = old_criteria.get(criterion["code"], {"statement": "", "indicators": [], "evidence": []})
        old_values = {i["code"]: i["value"] for i in old["indicators"]}
        old_hashes = {e["sha256"] for e in old["evidence"]}
        new_hashes = {e["sha256"] for e in criterion["evidence"]}
        changes.append(
            CriterionChange(
                code=criterion["code"],
                title=criterion["title"],
                statement_diff=text_diff(old["statement"], criterion["statement"]),
                indicators=[
                    (indicator_label(i["code"]), old_values.get(i["code"]), i["value"])
                    for i in criterion["indicators"]
                    if old_values.get(i["code"]) != i["value"]
                ],
                evidence_added=[e for e in criterion["evidence"] if e["sha256"] not in old_hashes],
                evidence_removed=[e for e in old["evidence"] if e["sha256"] not in new_hashes],
            )
        )
    return {
        "summary": text_diff(before["summary"], after["summary"]),
        "account": text_diff(before["account"], after["account"]),
        "criteria": changes,
    }
