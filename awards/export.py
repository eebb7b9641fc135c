"""The registry of named teams as an Excel or CSV download, through the shared export helper: the
public columns of the registry's page (no one's personal data), filtered as the page is."""

from operator import itemgetter

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from campaigns.industries import Industry
from core.exports import DATE, INT, Column, choice_labels, csv_response, xlsx_response

from .models import Revocation, Title
from .selectors import STATE_LABELS

# Only what the columns show, as plain rows: one query for all of them.
EXPORT_FIELDS = (
    "certificate_number", "team_name", "enterprise", "region", "industry", "year", "level", "state",
    "decision__campaign__title", "decision__title", "decision__document_number", "decision__decided_on",
    "revoked_on", "revocation_reason",
)  # fmt: skip


def registry_columns() -> list[Column]:
    industries = {value: str(label) for value, label in Industry.choices}
    levels = choice_labels(Title, "level")
    states = {value: str(label) for value, label in STATE_LABELS.items()}
    reasons = {value: str(label) for value, label in Revocation.Reason.choices}
    return [
        Column(_("Certificate number"), itemgetter("certificate_number"), width=16),
        Column(_("Team name"), itemgetter("team_name"), width=24),
        Column(_("Enterprise"), itemgetter("enterprise"), width=28),
        Column(_("Region"), itemgetter("region"), width=12),
        Column(_("Industry"), lambda row: industries.get(row["industry"], row["industry"]), width=20),
        Column(_("Year"), itemgetter("year"), kind=INT),
        Column(_("Naming level"), lambda row: levels.get(row["level"], row["level"])),
        Column(_("Campaign"), itemgetter("decision__campaign__title"), width=36),
        Column(_("Title conferred"), itemgetter("decision__title"), width=24),
        Column(_("Naming document number"), itemgetter("decision__document_number"), width=20),
        Column(_("Date of naming"), itemgetter("decision__decided_on"), kind=DATE),
        Column(_("Status"), lambda row: states.get(row["state"], row["state"])),
        Column(_("Revoked on"), itemgetter("revoked_on"), kind=DATE),
        Column(_("Reason for revocation"), lambda row: reasons.get(row["revocation_reason"], ""), width=24),
    ]


def _rows(titles: QuerySet[Title]) -> QuerySet:
    return titles.values(*EXPORT_FIELDS)


def registry_xlsx(titles: QuerySet[Title]) -> StreamingHttpResponse:
    return xlsx_response(name=_("Registry of named teams"), columns=registry_columns(), rows=_rows(titles))


def registry_csv(titles: QuerySet[Title]) -> StreamingHttpResponse:
    return csv_response(name=_("Registry of named teams"), columns=registry_columns(), rows=_rows(titles))
