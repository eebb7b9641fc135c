"""factory_boy factories for the models tests create directly."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import RoleAssignment, User
from accounts.services import role_assign
from campaigns.models import Category, CriteriaTemplate
from campaigns.services import campaign_create, campaign_publish

TEST_PASSWORD = "Ceshi-mima-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org.cn")
    password = factory.django.Password(TEST_PASSWORD)


def campaign_values(**overrides) -> dict:
    """A valid campaign timeline around now: open for applications for another 30 days."""
    now = timezone.now()
    today = timezone.localdate()
    values = {
        "title": "关于创建“梦桃式班组”的通知",
        "category": "mengtao",
        "document_number": "测工发〔2026〕1号",
        "body": "<div>各基层工会：现将有关事项通知如下。</div>",
        "titles_to_award": 10,
        "application_opens_at": now - timedelta(days=1),
        "application_deadline": now + timedelta(days=30),
        "recommendation_deadline": now + timedelta(days=40),
        "review_starts_on": today + timedelta(days=41),
        "review_ends_on": today + timedelta(days=50),
        "naming_planned_on": today + timedelta(days=70),
    }
    values.update(overrides)
    return values


def make_campaign(*, organiser, actor=None, publish=False, template=True, **overrides):
    if actor is None:
        actor = UserFactory(username=f"organiser-{organiser.code}".lower(), unit=organiser)
        role_assign(actor=None, user=actor, role=RoleAssignment.Role.STAFF, unit=organiser)
    chosen = CriteriaTemplate.objects.get(category=Category.MENGTAO, is_default=True) if template else None
    campaign = campaign_create(actor=actor, organiser=organiser, template=chosen, **campaign_values(**overrides))
    if publish:
        campaign = campaign_publish(actor=actor, campaign=campaign)
    return campaign


# --- Teams and applications -------------------------------------------------------------------

# The smallest PDF a reader opens; filetype recognises it by its "%PDF" signature.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\x0bIDATx\x9cc\xf8\x0f\x04\x00\t\xfb\x03\xfd\xfb^k+\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def make_team(*, leader, union, name="甲班", approve=True):
    from teams.models import Team
    from teams.services import team_register

    team = team_register(actor=leader, grassroots_union=union, name=name, enterprise="甲市机械厂", industry="C")
    if approve:
        Team.objects.filter(pk=team.pk).update(status=Team.Status.APPROVED)
        team.refresh_from_db()
    return team


def fill_application(application, *, actor, evidence=True):
    """Everything the default 梦桃式班组 criteria ask for: statements, indicators, one file each."""
    from teams.services import application_save, evidence_add

    criteria = list(application.campaign.criteria.all())
    application_save(
        actor=actor,
        application=application,
        summary="班组坚持“梦桃精神”，安全生产两千天。",
        account="班组现有职工十二人，近三年开展技术攻关二十项。",
        answers={
            c.pk: {"statement": f"{c.title}：具体做法与成效。", "indicators": dict.fromkeys(c.indicators, 3)}
            for c in criteria
        },
    )
    if evidence:
        for c in criteria:
            if c.min_evidence:
                pdf = PDF_BYTES + f"%{c.code}\n".encode()
                evidence_add(actor=actor, application=application, criterion=c, uploads=[upload(f"{c.code}.pdf", pdf)])
    application.refresh_from_db()
    return application


# --- The recommendation chain -------------------------------------------------------------------


def unit_staff(unit):
    """A staff member of `unit` (the same one each time)."""
    user = UserFactory(username=f"staff-{unit.code}".lower(), unit=unit)
    if not user.role_assignments.filter(role=RoleAssignment.Role.STAFF, unit=unit).exists():
        role_assign(actor=None, user=user, role=RoleAssignment.Role.STAFF, unit=unit)
        user.forget_roles()
    return user


def submitted_application(*, leader, union, campaign, name="乙班"):
    """A team of `union` led by `leader` with a complete application to `campaign`, submitted."""
    from teams.services import application_start, application_submit

    team = make_team(leader=leader, union=union, name=name)
    application = application_start(actor=leader, team=team, campaign=campaign)
    fill_application(application, actor=leader)
    return application_submit(actor=leader, application=application)


def decide(application, kind="recommend", opinion="同意推荐。", actor=None):
    """Decide at the unit where the application waits, as that unit's staff unless `actor` is given."""
    from reviews.models import Recommendation
    from reviews.services import decision_record

    place = Recommendation.objects.select_related("unit").get(application=application)
    return decision_record(actor=actor or unit_staff(place.unit), application=application, kind=kind, opinion=opinion)


# --- The expert review -----------------------------------------------------------------------------


def open_review(campaign):
    """Move the campaign's review window to include today (after the organiser accepted: its deadline
    to accept is the day the review starts)."""
    from campaigns.models import Campaign

    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        review_starts_on=today - timedelta(days=1), review_ends_on=today + timedelta(days=5)
    )


def accept(application):
    """Decide up the chain until the organiser accepts the application; its review result."""
    from reviews.models import Recommendation, ReviewResult

    while Recommendation.objects.get(application=application).state == Recommendation.State.WAITING:
        decide(application)
    return ReviewResult.objects.get(application=application)


def make_expert(username, unit, name):
    user = UserFactory(username=username, unit=unit, name=name)
    role_assign(actor=None, user=user, role=RoleAssignment.Role.EXPERT, unit=unit)
    user.forget_roles()
    return user


def score_all(assignment, expert, points):
    """Score every criterion of the assignment with `points` (no veto) and submit the review."""
    from reviews.services import review_submit, scores_save

    criteria = list(assignment.campaign.criteria.all())
    scores_save(
        actor=expert,
        assignment=assignment,
        scores={
            c.pk: ({"vetoed": False} if c.is_veto else {"points": str(points), "comment": "材料翔实。"})
            for c in criteria
        },
        overall_comment="总体较好。",
    )
    return review_submit(actor=expert, assignment=assignment)


# --- The registry of named teams ---------------------------------------------------------------------


def make_title(
    *,
    campaign,
    team,
    staff=None,
    decided_on=None,
    level="provincial",
    title="陕西省梦桃式班组",
    document_number=None,
    certificate_number=None,
    state="named",
):
    """A title of `team` by the naming decision of `campaign` (made on first use), with the registry's
    columns as `naming_issue` writes them — made directly, for pages that need titles, not the review
    and the public notice that lead to them. The team's application to the campaign is made too
    (submitted) when it has none."""
    from awards.models import NamingDecision, Title
    from awards.search import search_text
    from teams.models import Application, pinyin_key

    decided_on = decided_on or timezone.localdate()
    decision = NamingDecision.objects.filter(campaign=campaign).first()
    if decision is None:
        decision = NamingDecision.objects.create(
            campaign=campaign,
            document_number=document_number or f"{campaign.document_number}命名",
            decided_on=decided_on,
            level=level,
            title=title,
            text="经研究，决定命名。",
            issued_by=staff or campaign.created_by,
            issued_at=timezone.now(),
        )
    application = Application.objects.filter(team=team, campaign=campaign).first()
    if application is None:
        application = Application.objects.create(
            team=team,
            campaign=campaign,
            status=Application.Status.SUBMITTED,
            version=1,
            submitted_at=timezone.now(),
            created_by=staff or campaign.created_by,
        )
    number = certificate_number or f"MT-{decision.decided_on.year}-{Title.objects.count() + 1:04d}"
    return Title.objects.create(
        decision=decision,
        application=application,
        team=team,
        certificate_number=number,
        state=state,
        team_name=team.name,
        team_sort=pinyin_key(team.name),
        enterprise=team.enterprise,
        region=team.region,
        industry=team.industry,
        year=decision.decided_on.year,
        level=decision.level,
        search_text=search_text(team.name, team.enterprise),
    )
