"""Periodic housekeeping of accounts data (Celery beat, hourly by default)."""

import logging

from celery import shared_task

from .housekeeping import housekeeping_run

logger = logging.getLogger(__name__)


@shared_task(name="accounts.housekeeping")
def housekeeping() -> dict[str, int]:
    removed = housekeeping_run()
    logger.info("housekeeping removed %s", removed)
    return removed
