"""The demo ledger and applications load idempotently and show every state of an application."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count

from audit.models import AuditEvent
from teams.content import compare
from teams.models import Application, ApplicationVersion, Evidence, LedgerAttachment, LedgerEntry

pytestmark = pytest.mark.django_db

S = Application.Status


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (LedgerEntry, LedgerAttachment, Application, ApplicationVersion, Evidence, AuditEvent)
    )


def test_demo_ledger_and_applications():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first

    per_team = LedgerEntry.objects.values("team").annotate(n=Count("id")).values_list("n", flat=True)
    assert len(per_team) >= 10
    assert all(3 <= n <= 6 for n in per_team)
    assert LedgerAttachment.objects.exists()
    assert Evidence.objects.filter(ledger_entry__isnull=False).exists()

    assert {S.DRAFT, S.SUBMITTED, S.RETURNED} <= set(Application.objects.values_list("status", flat=True))
    assert all(a.return_reason for a in Application.objects.filter(status=S.RETURNED))
    withdrawn = Application.objects.get(status=S.DRAFT, version=1)
    assert withdrawn.versions.count() == 1

    resubmitted = Application.objects.annotate(n=Count("versions")).get(n=2)
    assert resubmitted.status == S.SUBMITTED
    v1, v2 = resubmitted.versions.order_by("number")
    changed = [c for c in compare(v1.content, v2.content)["criteria"] if c.changed]
    assert any(kind != "same" for c in changed for kind, _text in c.statement_diff)
    assert any(c.indicators for c in changed)
    assert any(c.evidence_added and c.evidence_removed for c in changed)

    mine = Application.objects.get(team__leaders__username="leader")
    assert mine.status == S.RETURNED
    assert mine.return_reason

    for version in ApplicationVersion.objects.all():
        for criterion in version.content["criteria"]:
            for item in criterion["evidence"]:
                with default_storage.open(item["stored"]) as stored:
                    assert hashlib.sha256(stored.read()).hexdigest() == item["sha256"], item["name"]
