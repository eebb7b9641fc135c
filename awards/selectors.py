"""Reads of the naming shared by the pages and the certificates' ZIP."""

from django.db.models import QuerySet

from .models import CertificateBundle, NamingDecision, Title


def named_titles(decision: NamingDecision) -> QuerySet[Title]:
    """The decision's titles that still stand (not revoked), in certificate-number order, with what a
    certificate prints."""
    return (
        Title.objects.filter(decision=decision, state=Title.State.NAMED)
        .select_related("team", "decision__campaign__organiser")
        .order_by("certificate_number")
    )


def latest_bundle(decision: NamingDecision) -> CertificateBundle | None:
    return (
        CertificateBundle.objects.filter(decision=decision)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")
        .first()
    )
