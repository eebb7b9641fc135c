"""The awards tests share a province campaign reviewed and shortlisted through the services."""

import pytest

from tests.factories import UserFactory

from .test_services import shortlisted_campaign


@pytest.fixture
def leader(tree):
    return UserFactory(username="gongshi_leader", unit=tree.grassroots_a1, name="何小梅")


@pytest.fixture
def shortlisted(tree, leader):
    """(campaign, its organiser's staff member): three applications reviewed, two shortlisted."""
    return shortlisted_campaign(tree, leader)
