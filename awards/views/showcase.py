"""The showcase of typical examples (典型选树): the public's list, a feature's page and its photos
(cached for anonymous visitors under awards.showcase.showcase_version); and the organiser's page of a
campaign's named teams, where staff feature a team, edit its feature or take it down."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.decorators import organiser_campaign
from campaigns.downloads import private_file_response
from campaigns.industries import Industry
from core.cache import cache_public_page
from core.forms import into_form
from core.pagination import BoundedPaginator
from core.urls import reverse_fast

from .. import showcase
from ..errors import AwardsError
from ..forms_showcase import FeatureForm, ShowcaseFilterForm
from ..models import Feature, NamingDecision, Title

# A showcase page holds a dozen cards: three rows of four, or of two on a phone.
SHOWCASE_PAGE_SIZE = 12


def _industry_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Industry.choices}


def _cover_url(feature: Feature) -> str:
    photos = feature.feature_photos.all()
    return reverse_fast("showcase:photo", feature.pk, photos[0].attachment_id) if photos else ""


@cache_public_page(showcase.showcase_version)
def showcase_list(request):
    """典型选树: the standing features of named teams, newest first, by region and by industry."""
    form = ShowcaseFilterForm(request.GET or None, regions=showcase.showcase_regions())
    page = BoundedPaginator(showcase.showcase_features(form.filters()), SHOWCASE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    industries = _industry_labels()
    for feature in page.object_list:
        feature.url = reverse_fast("showcase:detail", feature.pk)
        feature.cover_url = _cover_url(feature)
        feature.industry_label = industries.get(feature.title.industry, "")
    return render(request, "showcase/list.html", {"form": form, "page_obj": page})


@cache_public_page(showcase.showcase_version)
def showcase_detail(request, pk):
    """A typical example: its headline, story and photos, and the honour the team holds."""
    feature = showcase.showcase_feature(pk)
    if feature is None:
        raise Http404
    title = feature.title
    photos = [reverse_fast("showcase:photo", feature.pk, photo.attachment_id) for photo in feature.feature_photos.all()]
    return render(
        request,
        "showcase/detail.html",
        {
            "feature": feature,
            "title": title,
            # Cleaned when saved; cleaned again here, so that nothing but the story's tags ever reaches the page.
            "story": mark_safe(showcase.sanitise_story(feature.story)),
            "photos": photos,
            "industry_label": _industry_labels().get(title.industry, ""),
        },
    )


def showcase_photo(request, pk, photo):
    """A photo of a typical example, for anyone while the feature stands and the title is named."""
    attachment = showcase.showcase_photo(pk, photo)
    if attachment is None:
        raise Http404
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type, inline=True
    )


# --- The organiser's pages ---------------------------------------------------------------------


@organiser_campaign("awards.view_objections")
def features(request, campaign):
    """The campaign's named teams, each with its standing feature: feature a team, edit, take down."""
    decision = NamingDecision.objects.filter(campaign=campaign).only("pk", "campaign_id").first()
    page = None
    if decision is not None:
        page = BoundedPaginator(showcase.campaign_titles_with_features(decision)).get_page(request.GET.get("page"))
        for title in page.object_list:
            title.feature = title.standing_features[0] if title.standing_features else None
    return render(
        request,
        "awards/feature_list.html",
        {
            "campaign": campaign,
            "decision": decision,
            "page_obj": page,
            "may_manage": request.user.has_perm("awards.manage_awards", campaign),
        },
    )


def _photo_choices(title: Title, feature: Feature | None):
    """The team's ledger photos, the feature's own first in their order (the first ticked is the cover)."""
    photos = showcase.team_photos(title)
    if feature is None:
        return photos
    order = {photo.attachment_id: photo.order for photo in feature.feature_photos.all()}
    return sorted(photos, key=lambda photo: (photo.pk not in order, order.get(photo.pk, 0)))


@organiser_campaign("awards.manage_awards")
def feature_edit(request, campaign, title):
    """Feature a named team, or edit its standing feature."""
    title = get_object_or_404(
        Title.objects.select_related("decision").defer("search_text", "decision__text"),
        pk=title,
        decision__campaign=campaign,
    )
    feature = showcase.standing_feature_of(title)
    initial = {}
    if feature is not None:
        initial = {
            "headline": feature.headline,
            "story": feature.story,
            "photos": [photo.attachment_id for photo in feature.feature_photos.all()],
        }
    photos = _photo_choices(title, feature)
    form = FeatureForm(request.POST or None, photos=photos, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if into_form(
            form,
            lambda: showcase.feature_save(
                actor=request.user,
                title=title,
                headline=data["headline"],
                story=data["story"],
                photos=data["photos"],
            ),
            refusals=(AwardsError,),
        ):
            messages.success(request, _("%(team)s is in the showcase of typical examples.") % {"team": title.team_name})
            return redirect("awards:features", pk=campaign.pk)
    return render(
        request,
        "awards/feature_form.html",
        {
            "campaign": campaign,
            "title": title,
            "feature": feature,
            "form": form,
            "photos": photos,
            "chosen": form.chosen(),
            "revoked": title.state != Title.State.NAMED,
        },
    )


@require_POST
@organiser_campaign("awards.manage_awards")
def feature_withdraw(request, campaign, feature):
    feature = get_object_or_404(
        Feature.objects.select_related("title"),
        pk=feature,
        title__decision__campaign=campaign,
    )
    try:
        showcase.feature_withdraw(actor=request.user, feature=feature)
    except AwardsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(team)s is taken down from the showcase.") % {"team": feature.title.team_name})
    return redirect("awards:features", pk=campaign.pk)
