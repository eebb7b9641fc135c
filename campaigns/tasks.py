"""Periodic closing of campaigns whose application deadline has passed."""

import logging

from celery import shared_task

from .services import campaigns_close_due

logger = logging.getLogger(__name__)


@shared_task(name="campaigns.close_due")
def close_due() -> int:
    closed = campaigns_close_due()
    if closed:
        logger.info("closed %s campaign(s) past their application deadline", closed)
    return closed
