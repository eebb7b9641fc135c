"""factory_boy factories for the models tests create directly."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import User

TEST_PASSWORD = "Ceshi-mima-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org.cn")
    password = factory.django.Password(TEST_PASSWORD)
