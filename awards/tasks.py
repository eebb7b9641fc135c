"""Building the ZIP of a naming decision's certificates in the background."""

import logging

from celery import shared_task

from .certificates import certificate_bundle_build

logger = logging.getLogger(__name__)


@shared_task(name="awards.build_certificate_bundle")
def build_certificate_bundle(bundle_id: int) -> None:
    bundle = certificate_bundle_build(bundle_id=bundle_id)
    if bundle is not None:
        logger.info("certificate bundle %s: %s, %s of %s", bundle.pk, bundle.state, bundle.done, bundle.total)
