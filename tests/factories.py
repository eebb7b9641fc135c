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
