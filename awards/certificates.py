"""Each named team's certificate (荣誉证书) as a PDF, and all of a decision's certificates in one ZIP:
requested by the organiser's staff, built by a Celery task (awards.tasks) that counts its progress on
the CertificateBundle row for the page to show while it runs."""

import logging
import re
import tempfile
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from core.pdf import SYSTEM_PACKAGES, PdfUnavailable, pdf_bytes
from core.text import chinese_date

from .errors import AwardsError
from .models import CertificateBundle, NamingDecision, Title
from .selectors import named_titles

logger = logging.getLogger(__name__)

B = CertificateBundle.State

# A bundle still queued or running this long after it was asked for is taken to be lost (its worker
# died): asking again builds a new one instead of waiting for it for ever.
BUNDLE_STALE_AFTER = timedelta(hours=1)

# Characters that cannot stand in a file name on Windows, macOS or Linux (nor in a ZIP entry's name,
# where a slash would make a folder).
UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
ZIP_UTF8_NAMES = 0x800  # general purpose bit 11: the entry's name is UTF-8


def safe_file_name(name: str) -> str:
    return UNSAFE_IN_FILE_NAME.sub("_", name).strip() or "_"


def certificate_filename(title: Title) -> str:
    return safe_file_name(f"荣誉证书-{title.certificate_number}-{title.team_name}.pdf")


def bundle_filename(bundle: CertificateBundle) -> str:
    return safe_file_name(f"荣誉证书-{bundle.decision.document_number}.zip")


def certificate_pdf(title: Title) -> bytes:
    """The certificate of a title as PDF bytes, A4 landscape with its CJK font embedded: the same for
    the single download and the ZIP. It is an official document in Chinese whatever language the
    reader browses in. Raises PdfUnavailable when the server cannot make PDFs."""
    decision = title.decision
    with translation.override(settings.LANGUAGE_CODE):
        return pdf_bytes(
            "awards/certificate.html",
            {
                "title": title,
                "decision": decision,
                "campaign": decision.campaign,
                "decided_on_text": chinese_date(decision.decided_on),
            },
        )


# --- The ZIP -----------------------------------------------------------------------------------


def bundle_is_active(bundle: CertificateBundle, now=None) -> bool:
    now = now or timezone.now()
    return bundle.state in (B.QUEUED, B.RUNNING) and bundle.requested_at > now - BUNDLE_STALE_AFTER


@transaction.atomic
def certificate_bundle_request(*, actor: User, decision: NamingDecision) -> tuple[CertificateBundle, bool]:
    """Ask for the ZIP of the decision's certificates; the task is queued when the request commits.
    While one is queued or running, asking again (a double click, a second manager) returns that one
    (and False) instead of building another."""
    decision = NamingDecision.objects.select_for_update().select_related("campaign").get(pk=decision.pk)
    campaign = decision.campaign
    if not actor.has_perm("awards.manage_awards", campaign):
        raise PermissionDenied(_("Only the staff of the organising unit publish the notice and name the teams."))
    now = timezone.now()
    unfinished = list(CertificateBundle.objects.filter(decision=decision, state__in=[B.QUEUED, B.RUNNING]))
    active = [bundle for bundle in unfinished if bundle_is_active(bundle, now)]
    if active:
        return max(active, key=lambda bundle: (bundle.requested_at, bundle.pk)), False
    if unfinished:
        CertificateBundle.objects.filter(pk__in=[bundle.pk for bundle in unfinished]).update(
            state=B.FAILED,
            finished_at=now,
            error=_("Not finished within %(hours)s hour(s): asked for again.")
            % {"hours": int(BUNDLE_STALE_AFTER.total_seconds() // 3600)},
        )
    total = named_titles(decision).count()
    if not total:
        raise AwardsError(_("No team holds a title of this decision: there is no certificate to put in a ZIP."))
    bundle = CertificateBundle.objects.create(decision=decision, requested_by=actor, requested_at=now, total=total)
    record(
        actor=actor,
        action="awards.certificate_bundle_request",
        target=campaign,
        unit=campaign.organiser,
        details={"document_number": decision.document_number, "certificates": total},
    )
    transaction.on_commit(lambda: _enqueue_build(bundle.pk))
    return bundle, True


def _enqueue_build(bundle_id: int) -> None:
    from .tasks import build_certificate_bundle  # the task module imports this one

    build_certificate_bundle.delay(bundle_id)


def _running(bundle_id: int, **values) -> bool:
    """Write `values` on the bundle if it is still running (not given up as lost meanwhile)."""
    return bool(CertificateBundle.objects.filter(pk=bundle_id, state=B.RUNNING).update(**values))


def _zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.flag_bits |= ZIP_UTF8_NAMES
    entry.external_attr = 0o644 << 16
    return entry


def certificate_bundle_build(*, bundle_id: int) -> CertificateBundle | None:
    """The task's work: every named (not revoked) title's certificate into one ZIP in the default
    storage, `done` counted up after each certificate, then done — or failed with the reason in
    Chinese. Not one transaction: each count is committed as it happens, for the page to show.
    Only a queued bundle is built, so that running the task twice builds it once."""
    if not CertificateBundle.objects.filter(pk=bundle_id, state=B.QUEUED).update(state=B.RUNNING, done=0):
        logger.info("certificate bundle %s is not queued (gone, or built already): skipped", bundle_id)
        return None
    bundle = CertificateBundle.objects.select_related("decision__campaign").get(pk=bundle_id)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _build(bundle)
        except PdfUnavailable as error:
            logger.error("certificate bundle %s: PDFs cannot be made: %s", bundle_id, error)
            reason = _("The server cannot make PDFs: it lacks %(packages)s.") % {"packages": ", ".join(SYSTEM_PACKAGES)}
            _failed(bundle, reason)
        except AwardsError as error:
            _failed(bundle, str(error))
        except Exception:
            logger.exception("certificate bundle %s could not be built", bundle_id)
            _failed(bundle, _("The ZIP could not be built because of an error on the server. Try again later."))
    bundle.refresh_from_db()
    return bundle


def _failed(bundle: CertificateBundle, reason: str) -> None:
    _running(bundle.pk, state=B.FAILED, error=reason, finished_at=timezone.now())


def _build(bundle: CertificateBundle) -> None:
    titles = list(named_titles(bundle.decision))
    if not titles:
        raise AwardsError(_("No team holds a title of this decision any more: there is no certificate to put in it."))
    _running(bundle.pk, total=len(titles))
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w") as archive:
            for count, title in enumerate(titles, start=1):
                archive.writestr(_zip_entry(certificate_filename(title)), certificate_pdf(title))
                if not _running(bundle.pk, done=count):
                    logger.info("certificate bundle %s was given up while it ran: stopped", bundle.pk)
                    return
        spool.seek(0)
        bundle.file.save(f"{bundle.decision_id}-{bundle.pk}.zip", File(spool), save=False)
    if not _running(bundle.pk, state=B.DONE, file=bundle.file.name, finished_at=timezone.now()):
        bundle.file.delete(save=False)
