"""Shared fixtures: a small union tree, one user per role, and guards on the test environment."""

import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from accounts.models import RoleAssignment, UnionUnit, User
from accounts.services import role_assign, unit_create
from campaigns.criteria_sets import ensure_default_templates
from mengtao.celery import app as celery_app

from .celery_tools import redis_broker, start_worker  # noqa: F401 (fixtures for every test module)
from .factories import UserFactory

# Playwright runs an event loop in the test thread; live-server tests still use the ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    if os.environ.get("CI") and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise pytest.UsageError("CI runs on PostgreSQL: set DATABASE_URL (make test does).")
    _own_redis_database_per_worker()


def _own_redis_database_per_worker():
    """Under `pytest -n` (make test), each worker process gets its own test database from pytest-django
    (test_mengtao_gw0, …) and here its own Redis database: the broker tests empty theirs and count
    the messages in it, which another worker's tests must not see."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, …
    if not worker or not settings.CELERY_BROKER_URL.startswith("redis://"):
        return
    url = urlsplit(settings.CELERY_BROKER_URL)
    database = int(url.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    if database > 15:
        raise pytest.UsageError(f"Redis has databases 0-15; {worker} would need database {database}.")
    own = urlunsplit(url._replace(path=f"/{database}"))
    settings.CELERY_BROKER_URL = settings.REDIS_URL = os.environ["REDIS_URL"] = own
    celery_app.conf.broker_url = own


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached public pages must not leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The tests' in-memory cache is the one process's, so the signed-in user may be kept in it (as in
    # production, where the cache is Redis); a test of the embedded run's default turns it off.
    settings.CACHE_SIGNED_IN_USER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class Tree:
    """省 → 市A → 基层A1, 省 → 市B → 基层B1, 省 → 产业 → 基层I1."""

    province: UnionUnit
    city_a: UnionUnit
    grassroots_a1: UnionUnit
    city_b: UnionUnit
    grassroots_b1: UnionUnit
    industry: UnionUnit
    grassroots_i1: UnionUnit


def build_tree() -> Tree:
    ensure_default_templates()  # reference data a transactional test before this one may have flushed
    K = UnionUnit.Kind
    province = unit_create(actor=None, parent=None, name="测试省总工会", kind=K.PROVINCIAL, code="T")
    city_a = unit_create(actor=None, parent=province, name="甲市总工会", kind=K.CITY, code="T-A")
    city_b = unit_create(actor=None, parent=province, name="乙市总工会", kind=K.CITY, code="T-B")
    industry = unit_create(actor=None, parent=province, name="测试产业工会", kind=K.INDUSTRY, code="T-I")
    return Tree(
        province=province,
        city_a=city_a,
        grassroots_a1=unit_create(
            actor=None, parent=city_a, name="甲市机械厂工会", kind=K.GRASSROOTS, code="T-A-1", enterprise="甲市机械厂"
        ),
        city_b=city_b,
        grassroots_b1=unit_create(
            actor=None, parent=city_b, name="乙市纺织厂工会", kind=K.GRASSROOTS, code="T-B-1", enterprise="乙市纺织厂"
        ),
        industry=industry,
        grassroots_i1=unit_create(
            actor=None, parent=industry, name="测试矿业公司工会", kind=K.GRASSROOTS, code="T-I-1"
        ),
    )


@pytest.fixture
def tree(db) -> Tree:
    return build_tree()


ROLES = [
    "anonymous",
    "leader",
    "staff_unit",
    "staff_sibling",
    "staff_ancestor",
    "expert",
    "auditor",
    "superuser",
]


def build_role_users(tree: Tree) -> dict[str, User | None]:
    """The cast of the permission matrix. "The unit" is city A; its sibling is city B."""
    R = RoleAssignment.Role

    def with_role(username, role, unit):
        user = UserFactory(username=username, unit=unit)
        role_assign(actor=None, user=user, role=role, unit=unit)
        return user

    return {
        "anonymous": None,
        "leader": UserFactory(username="leader", unit=tree.grassroots_a1),
        "staff_unit": with_role("staff_unit", R.STAFF, tree.city_a),
        "staff_sibling": with_role("staff_sibling", R.STAFF, tree.city_b),
        "staff_ancestor": with_role("staff_ancestor", R.STAFF, tree.province),
        "expert": with_role("expert", R.EXPERT, tree.province),
        "auditor": with_role("auditor", R.AUDITOR, tree.province),
        "superuser": UserFactory(username="root", unit=tree.province, is_superuser=True, is_staff=True),
    }


@pytest.fixture
def role_users(tree) -> dict[str, User | None]:
    return build_role_users(tree)
