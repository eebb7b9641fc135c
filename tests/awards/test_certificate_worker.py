"""The ZIP of the certificates end to end on Celery: asked for through the page, the task queued when
the request commits, built by a real worker process on the Redis broker (tests/celery_tools.py), its
progress read from the page until the download link appears."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import CertificateBundle, Title
from awards.services import naming_issue
from tests.awards.test_services import DECISION, end_notice, published, shortlisted_campaign

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_builds_the_zip_while_the_page_counts(client, tree, leader, redis_broker, start_worker):
    campaign, organiser = shortlisted_campaign(tree, leader, teams=3, titles=3)
    end_notice(published(campaign, organiser))
    decision = naming_issue(actor=organiser, campaign=campaign, decided_on=timezone.localdate(), **DECISION)
    revoked = decision.titles.order_by("certificate_number").last()
    Title.objects.filter(pk=revoked.pk).update(state=Title.State.REVOKED)
    worker = start_worker(redis_broker)
    client.force_login(organiser)
    response = client.post(reverse("awards:bundle_new", args=[campaign.pk]))  # queued on commit
    bundle = CertificateBundle.objects.get()
    assert response["Location"] == reverse("awards:bundle", args=[campaign.pk, bundle.pk])
    progress = reverse("awards:bundle", args=[campaign.pk, bundle.pk])
    seen = set()

    def finished() -> bool:
        part = client.get(progress, headers={"HX-Request": "true"}).content.decode()
        seen.add(CertificateBundle.objects.get(pk=bundle.pk).state)
        return 'data-testid="bundle-download"' in part

    worker.wait_until(finished, timeout=90)
    bundle.refresh_from_db()
    assert (bundle.state, bundle.done, bundle.total, bundle.error) == ("done", 2, 2, "")
    assert seen & {"queued", "running"}, "the page saw it before it was done"
    download = client.get(reverse("awards:bundle_download", args=[campaign.pk, bundle.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    named = decision.titles.filter(state=Title.State.NAMED).order_by("certificate_number")
    assert archive.namelist() == [f"荣誉证书-{t.certificate_number}-{t.team.name}.pdf" for t in named]
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
