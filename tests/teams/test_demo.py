"""The demo ledger and applications load idempotently, show every state of an application, and read
like a province's: a story over weeks, leaders with names, papers and photos with real content."""

import hashlib
import io
import re
import subprocess
from collections import Counter
from datetime import timedelta

import filetype
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone
from PIL import Image
from pypinyin import lazy_pinyin

from audit.models import AuditEvent
from campaigns.models import Campaign
from teams.content import compare
from teams.demo.teams import EARLIER_TEAMS
from teams.models import (
    Application,
    ApplicationVersion,
    CriterionAnswer,
    Evidence,
    LedgerAttachment,
    LedgerEntry,
    Team,
)

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

    # The teams of this demo; the 2025 campaign's teams keep only the photos the showcase's demo records.
    per_team = (
        LedgerEntry.objects.exclude(team__name__in=[spec.name for spec in EARLIER_TEAMS])
        .values("team")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    assert len(per_team) >= 10
    assert all(3 <= n <= 6 for n in per_team)
    assert LedgerAttachment.objects.exists()
    assert Evidence.objects.filter(ledger_entry__isnull=False).exists()

    assert {S.DRAFT, S.SUBMITTED, S.RETURNED} <= set(Application.objects.values_list("status", flat=True))
    assert all(a.return_reason for a in Application.objects.filter(status=S.RETURNED))
    withdrawn = Application.objects.get(status=S.DRAFT, version=1)
    assert withdrawn.versions.count() == 1

    # Two resubmitted: one returned by its grassroots union, one by 西安市总工会.
    resubmitted = Application.objects.annotate(n=Count("versions")).filter(n=2)
    assert resubmitted.count() == 2
    for application in resubmitted:
        assert application.status == S.SUBMITTED
        v1, v2 = application.versions.order_by("number")
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


# --- The demo reads like a province: a story over weeks, people with names, papers with words ---


def test_the_demo_story_is_spread_over_the_weeks_the_window_has_been_open():
    call_command("seed_demo")
    campaign = Campaign.objects.get(document_number="陕工发〔2026〕12号")
    now = timezone.now()
    versions = list(ApplicationVersion.objects.select_related("application__campaign"))
    assert len(versions) >= 15
    # Every version inside its own campaign's window (the concluded 2025 campaign's in 2025), and the
    # 2026 notice's spread over the weeks since it opened.
    assert all(v.application.campaign.application_opens_at <= v.submitted_at < now for v in versions)
    days = {timezone.localtime(v.submitted_at).date() for v in versions if v.application.campaign == campaign}
    assert len(days) >= 12, sorted(days)
    assert max(days) - min(days) >= timedelta(days=21)
    for application in Application.objects.exclude(version=0):
        latest = application.versions.order_by("number").last()
        assert application.submitted_at == latest.submitted_at
        assert application.created_at < latest.submitted_at
    returned = Application.objects.filter(status=S.RETURNED)
    assert all(a.created_at < a.submitted_at < a.updated_at < now for a in returned)

    teams = Team.objects.all()
    assert len({timezone.localtime(t.created_at).date() for t in teams}) >= 20
    approved = teams.filter(status=Team.Status.APPROVED)
    assert all(t.created_at < t.updated_at < now - timedelta(days=30) for t in approved)
    assert all(t.created_at > now - timedelta(days=7) for t in teams.filter(status=Team.Status.PENDING))

    entries = LedgerEntry.objects.all()
    assert all(timezone.localtime(e.created_at).date() > e.occurred_on for e in entries)
    assert len({timezone.localtime(e.created_at).date() for e in entries}) >= 30
    uploads = Evidence.objects.select_related("application")
    assert all(e.application.created_at <= e.uploaded_at < (e.application.submitted_at or now) for e in uploads)


def test_the_demo_teams_have_leaders_with_names_and_applications_in_their_own_words():
    call_command("seed_demo")
    leaders = {}
    for team in Team.objects.prefetch_related("leaders", "members"):
        (leader,) = team.leaders.all()
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", leader.name), (team.name, leader.name)
        assert leader.username == ("leader" if team.name == "赵梦桃小组" else "".join(lazy_pinyin(leader.name)))
        assert team.members.get(role="leader").name == leader.name
        leaders[team.name] = leader.name
    assert leaders["赵梦桃小组"] == "何小梅"
    assert len(set(leaders.values())) == len(leaders)
    assert {"纳税服务科", "秦都营业部", "南大街支行营业室", "城南变电运维班", "提取班"} <= set(leaders)

    # Statements, summaries and accounts: no sentence of any length is shared by more than two teams.
    texts = []
    for application in Application.objects.exclude(version=0).prefetch_related("answers"):
        texts.append(application.summary + "。" + application.account)
        assert "{" not in texts[-1] and len(application.account) <= 2000
        assert any(char.isdigit() for char in application.summary)
    sentences = Counter(
        sentence
        for text in texts
        for sentence in {s.strip() for s in re.split(r"[。；\n]", text)}
        if len(sentence) >= 12
    )
    assert sentences and max(sentences.values()) <= 2, sentences.most_common(3)
    firsts = [a.statement for a in CriterionAnswer.objects.filter(criterion__code="1").exclude(statement="")]
    assert len(firsts) >= 15 and len(set(firsts)) == len(firsts)


def test_the_demo_files_are_scanned_papers_and_photos_with_real_content(tmp_path):
    call_command("seed_demo")
    files = [(e.application.team, e) for e in Evidence.objects.select_related("application__team")]
    files += [(a.entry.team, a) for a in LedgerAttachment.objects.select_related("entry__team")]
    kinds = Counter()
    for team, stored in files:
        with default_storage.open(stored.file.name) as handle:
            content = handle.read()
        assert 10_000 < len(content) < 100_000, stored.original_name
        kind = filetype.guess(content)
        assert kind is not None and kind.mime == stored.content_type, stored.original_name
        kinds[kind.mime] += 1
        if kind.mime == "image/jpeg":
            image = Image.open(io.BytesIO(content))
            assert image.size == (720, 480)
            assert len(image.convert("RGB").getcolors(1 << 20)) > 5000  # a picture, not a test pattern
        else:
            path = tmp_path / "file.pdf"
            path.write_bytes(content)
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
            assert team.name in text or team.enterprise in text, (stored.original_name, text)
    assert kinds["application/pdf"] >= 40 and kinds["image/jpeg"] >= 15

    zhao = Team.objects.get(name="赵梦桃小组")
    agreement = LedgerAttachment.objects.get(entry__team=zhao, original_name="师带徒结对协议书.pdf")
    text = pdf_text(agreement.file.name, tmp_path)
    pair = zhao.mentor_pairs.order_by("-started_on").first()
    for words in (
        "师带徒结对协议书",
        "不让一个伙伴掉队",
        pair.mentor.name,
        pair.apprentice.name,
        "咸阳纺织集团有限公司",
    ):
        assert words in text
    certificate = LedgerAttachment.objects.get(entry__team=zhao, original_name="细纱车间QC成果发布材料.pdf")
    assert "荣誉证书" in pdf_text(certificate.file.name, tmp_path).replace(" ", "")
    assert "降低细纱断头率" in pdf_text(certificate.file.name, tmp_path)


def pdf_text(name: str, tmp_path) -> str:
    path = tmp_path / "paper.pdf"
    with default_storage.open(name) as handle:
        path.write_bytes(handle.read())
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
