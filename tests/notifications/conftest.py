"""Shared by the notifications' tests."""

from importlib import import_module

import pytest
from django.apps import apps


@pytest.fixture
def beat_entries(db):
    """The periodic tasks as the data migration creates them. A transactional test before this one may
    have flushed the tables the migration filled, so its function is run again here (it only adds
    what is missing)."""
    import_module("notifications.migrations.0003_beat_schedule").create(apps, None)
