"""Decisions at the same moment, with real threads on PostgreSQL: the quota is exact, and one
application is decided once."""

import threading

import pytest
from django.db import close_old_connections, connection

from accounts.services import role_assign
from campaigns.models import Quota
from reviews.errors import NotWaitingHere, QuotaExceeded
from reviews.models import Decision
from reviews.services import decision_record
from tests.factories import UserFactory, make_campaign, submitted_application

from .tallies import assert_the_tallies_match_the_chain

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def run_at_once(calls) -> list[str]:
    """Run each call in its own thread, all released together; what each one came to."""
    outcomes, barrier = [], threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            call()
            outcomes.append("done")
        except QuotaExceeded:
            outcomes.append("quota")
        except NotWaitingHere:
            outcomes.append("decided")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def staff_of(unit, n):
    users = []
    for i in range(n):
        user = UserFactory(username=f"staff{i}", unit=unit)
        role_assign(actor=None, user=user, role="staff", unit=unit)
        users.append(user)
    return users


def test_parallel_recommendations_stop_exactly_at_the_quota(tree):
    quota = 3
    campaign = make_campaign(organiser=tree.province, publish=True)
    Quota.objects.create(campaign=campaign, unit=tree.grassroots_a1, max_recommendations=quota)
    leader = UserFactory(username="leader", unit=tree.grassroots_a1)
    applications = [
        submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name=f"第{i}班")
        for i in range(2 * quota + 1)
    ]
    staff = staff_of(tree.grassroots_a1, 2)

    def recommend(application, actor):
        return lambda: decision_record(actor=actor, application=application, kind="recommend", opinion="同意推荐。")

    outcomes = run_at_once([recommend(a, staff[i % 2]) for i, a in enumerate(applications)])
    assert outcomes.count("done") == quota
    assert outcomes.count("quota") == quota + 1
    assert Decision.objects.filter(unit=tree.grassroots_a1, kind="recommend").count() == quota
    assert_the_tallies_match_the_chain()  # kept by transactions that ran side by side


def test_two_staff_deciding_one_application_at_once_decide_once(tree):
    campaign = make_campaign(organiser=tree.province, publish=True)
    leader = UserFactory(username="leader", unit=tree.grassroots_a1)
    application = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign)
    first, second = staff_of(tree.grassroots_a1, 2)
    outcomes = run_at_once(
        [
            lambda: decision_record(actor=first, application=application, kind="recommend", opinion="同意推荐。"),
            lambda: decision_record(actor=second, application=application, kind="return", opinion="请补充材料。"),
        ]
    )
    assert sorted(outcomes) == ["decided", "done"]
    assert Decision.objects.filter(application=application).count() == 1
    assert_the_tallies_match_the_chain()
