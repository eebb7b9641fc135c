"""The showcase of typical examples (典型选树): "发现典型、培育典型、推广典型". The organiser's staff feature a
named team — a headline, a short story, photos from its ledger (台帐) — and take a feature down; the
public reads the standing features of titles still named. Writes (`feature_save`, `feature_withdraw`)
and the reads the pages share live here together, apart from the naming's own services.

Locks are taken in one order: the title, then its feature."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from core.cache import version_from_sql
from core.richtext import count_text_characters, sanitise_html
from core.text import clean_text
from teams.models import LedgerAttachment, pinyin_key

from .errors import AwardsError
from .models import (
    FEATURE_PHOTOS_MAX,
    HEADLINE_MAX_LENGTH,
    STORY_MAX_LENGTH,
    Feature,
    FeaturePhoto,
    Title,
)
from .selectors import registry_version_columns

NAMED = Title.State.NAMED

# What a story may hold: paragraphs, line breaks, emphasis, lists and quotations. No link, no
# image (photos come from the ledger), no attribute at all.
STORY_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote"}
# The types of ledger files that a feature may show as photos (core.uploads detects them by content).
PHOTO_TYPES = {"image/jpeg", "image/png"}


def sanitise_story(value: str) -> str:
    """A story as the editor sent it, with only STORY_TAGS left (the editor's <div> paragraphs as <p>)."""
    return sanitise_html(value, tags=STORY_TAGS, divs_as_paragraphs=True)


# --- Reads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowcaseFilters:
    region: str = ""
    industry: str = ""


def standing_features() -> QuerySet[Feature]:
    """What the public may read: standing features of titles that are still named."""
    return Feature.objects.filter(withdrawn_at__isnull=True, title__state=NAMED)


def showcase_features(filters: ShowcaseFilters | None = None) -> QuerySet[Feature]:
    """The showcase, newest feature first, each with its title and decision and its photos in order
    (the story stays in the database: the list shows the headline and the cover)."""
    filters = filters or ShowcaseFilters()
    features = standing_features()
    if filters.region:
        features = features.filter(title__region=filters.region)
    if filters.industry:
        features = features.filter(title__industry=filters.industry)
    return (
        features.select_related("title__decision")
        .defer("story", "title__search_text", "title__decision__text")
        .prefetch_related(Prefetch("feature_photos", queryset=FeaturePhoto.objects.order_by("order", "id")))
        .order_by("-featured_at", "-id")
    )


def showcase_regions() -> list[str]:
    """The regions (in pinyin order) of the titles in the showcase: the choices of its filter, from
    the registry's own column."""
    regions = (
        standing_features().exclude(title__region="").order_by().values_list("title__region", flat=True).distinct()
    )
    return sorted(set(regions), key=pinyin_key)


def showcase_feature(pk: int) -> Feature | None:
    return (
        standing_features()
        .select_related("title__decision__campaign")
        .defer("title__search_text", "title__decision__text", "title__decision__campaign__body")
        .prefetch_related(Prefetch("feature_photos", queryset=FeaturePhoto.objects.order_by("order", "id")))
        .filter(pk=pk)
        .first()
    )


def showcase_photo(feature_pk: int, attachment_pk: int) -> LedgerAttachment | None:
    """A photo the public may see: one of a standing feature of a title still named."""
    return (
        LedgerAttachment.objects.filter(
            pk=attachment_pk,
            content_type__in=PHOTO_TYPES,
            pk__in=FeaturePhoto.objects.filter(
                feature_id=feature_pk, feature__withdrawn_at__isnull=True, feature__title__state=NAMED
            ).values("attachment_id"),
        )
        .only("file", "original_name", "content_type")
        .first()
    )


def showcase_version() -> str:
    """Changes whenever a showcase page could: a feature saved or taken down (each stamps
    `updated_at`), a title revoked or restored (the registry's version). One query for both."""
    registry_columns, params = registry_version_columns()
    features = Feature._meta.db_table
    return version_from_sql(
        f"SELECT {registry_columns}, (SELECT COUNT(*) FROM {features}), (SELECT MAX(updated_at) FROM {features})",
        params,
    )


def team_photos(title: Title) -> list[LedgerAttachment]:
    """The photos a feature of `title` may show: the image files of its team's ledger, newest first."""
    return list(
        LedgerAttachment.objects.filter(entry__team_id=title.team_id, content_type__in=PHOTO_TYPES)
        .select_related("entry")
        .only("original_name", "content_type", "entry__title", "entry__occurred_on", "entry__team_id")
        .order_by("-entry__occurred_on", "-entry_id", "id")
    )


def campaign_titles_with_features(decision) -> QuerySet[Title]:
    """The decision's titles, each with its standing feature (if any) and that feature's number of photos."""
    return (
        Title.objects.filter(decision=decision)
        .only("team_id", "certificate_number", "state", "team_name", "enterprise", "region", "decision_id")
        .prefetch_related(
            Prefetch(
                "features",
                queryset=Feature.objects.filter(withdrawn_at__isnull=True)
                .defer("story")
                .annotate(photo_count=Count("feature_photos")),
                to_attr="standing_features",
            )
        )
        .order_by("certificate_number")
    )


# --- Writes ------------------------------------------------------------------------------------


def _locked_title(pk: int) -> Title:
    """The title, locked (its row only: the campaign and the union are read, not locked)."""
    return Title.objects.select_for_update(of=("self",)).select_related("decision__campaign__organiser").get(pk=pk)


def _require_manager(actor: User, title: Title) -> None:
    if not actor.has_perm("awards.manage_awards", title.decision.campaign):
        raise PermissionDenied(_("Only the staff of the organising unit feature the named teams."))


def _photos(title: Title, photos: Sequence[LedgerAttachment | int]) -> list[LedgerAttachment]:
    """The chosen photos in the order given, each checked: a file of this team's ledger, an image."""
    ids = list(dict.fromkeys(p.pk if isinstance(p, LedgerAttachment) else int(p) for p in photos))
    if len(ids) > FEATURE_PHOTOS_MAX:
        raise ValidationError({"photos": _("Choose at most %(n)s photos.") % {"n": FEATURE_PHOTOS_MAX}})
    found = {a.pk: a for a in LedgerAttachment.objects.filter(pk__in=ids).select_related("entry")}
    errors = []
    for pk in ids:
        attachment = found.get(pk)
        if attachment is None or attachment.entry.team_id != title.team_id:
            errors.append(_("Photos come from this team's own ledger only."))
        elif attachment.content_type not in PHOTO_TYPES:
            message = _("%(name)s is not a photo: choose JPEG or PNG images of the ledger.")
            errors.append(message % {"name": attachment.original_name})
    if errors:
        raise ValidationError({"photos": list(dict.fromkeys(errors))})
    return [found[pk] for pk in ids]


def _story(story: str) -> str:
    cleaned = sanitise_story(story)
    count = count_text_characters(cleaned)
    if not count:
        raise ValidationError({"story": _("Write the team's story.")})
    if count > STORY_MAX_LENGTH:
        raise ValidationError(
            {
                "story": _("The story may be at most %(limit)s characters (it is %(count)s now).")
                % {"limit": STORY_MAX_LENGTH, "count": count}
            }
        )
    return cleaned


@transaction.atomic
def feature_save(
    *,
    actor: User,
    title: Title,
    story: str,
    headline: str = "",
    photos: Sequence[LedgerAttachment | int] = (),
) -> Feature:
    """Feature `title`'s team in the showcase, or edit its standing feature: the story cleaned to the
    few tags a story may hold, the photos from the team's ledger (images only) in the order given.
    A second submit of the same form edits the feature the first made."""
    title = _locked_title(title.pk)
    _require_manager(actor, title)
    if title.state != NAMED:
        raise AwardsError(_("This title has been revoked: a revoked team is not featured."))
    errors = {}
    values = {}
    for name, check in (
        ("headline", lambda: clean_text(headline, limit=HEADLINE_MAX_LENGTH, label=_("Headline"))),
        ("story", lambda: _story(story)),
        ("photos", lambda: _photos(title, photos)),
    ):
        try:
            values[name] = check()
        except ValidationError as error:
            errors.update(error.message_dict if hasattr(error, "error_dict") else {name: error.messages})
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    feature = Feature.objects.select_for_update().filter(title=title, withdrawn_at__isnull=True).first()
    created = feature is None
    if created:
        feature = Feature(title=title, featured_by=actor, featured_at=now)
    feature.headline, feature.story, feature.updated_at = values["headline"], values["story"], now
    feature.save()
    chosen = values["photos"]
    FeaturePhoto.objects.filter(feature=feature).delete()
    FeaturePhoto.objects.bulk_create(
        FeaturePhoto(feature=feature, attachment=attachment, order=order) for order, attachment in enumerate(chosen)
    )
    record(
        actor=actor,
        action="awards.feature_save",
        target=feature,
        unit=title.decision.campaign.organiser,
        details={
            "team": title.team_name,
            "certificate_number": title.certificate_number,
            "headline": feature.headline,
            "photos": len(chosen),
            "new": created,
        },
    )
    feature.title = title
    return feature


@transaction.atomic
def feature_withdraw(*, actor: User, feature: Feature) -> Feature:
    """Take a feature down from the showcase. It is kept, with who took it down and when; the team
    may be featured again later."""
    title = _locked_title(feature.title_id)
    _require_manager(actor, title)
    feature = Feature.objects.select_for_update().get(pk=feature.pk)
    if feature.withdrawn_at is not None:
        raise AwardsError(_("This typical example has already been taken down."))
    now = timezone.now()
    feature.withdrawn_at, feature.withdrawn_by, feature.updated_at = now, actor, now
    feature.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
    record(
        actor=actor,
        action="awards.feature_withdraw",
        target=feature,
        unit=title.decision.campaign.organiser,
        details={"team": title.team_name, "certificate_number": title.certificate_number},
    )
    feature.title = title
    return feature


def standing_feature_of(title: Title) -> Feature | None:
    return (
        Feature.objects.filter(title=title, withdrawn_at__isnull=True)
        .prefetch_related(Prefetch("feature_photos", queryset=FeaturePhoto.objects.order_by("order", "id")))
        .first()
    )
