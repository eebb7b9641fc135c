"""The recommendation chain's tests share one campaign of the province and one submitted application
of a team of grassroots union A1 (under city A): its chain is A1 → city A → the province."""

import pytest

from tests.factories import UserFactory, make_campaign, submitted_application


@pytest.fixture
def campaign(tree):
    return make_campaign(organiser=tree.province, publish=True)


@pytest.fixture
def leader(tree):
    return UserFactory(username="leader", unit=tree.grassroots_a1)


@pytest.fixture
def application(tree, campaign, leader):
    return submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign)
