"""The showcase's forms: the public list's filters, and the staff's form of a typical example (典型)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.forms import RichTextWidget
from campaigns.industries import Industry

from .models import FEATURE_PHOTOS_MAX, HEADLINE_MAX_LENGTH, STORY_MAX_LENGTH
from .showcase import ShowcaseFilters


class ShowcaseFilterForm(forms.Form):
    """The region and the industry, from the query string, with the registry's values. A value that
    is not a choice is left out (the other filter still applies)."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", _("All industries")), *Industry.choices]
    )

    def __init__(self, data=None, *, regions: list[str]):
        super().__init__(data)
        self.fields["region"].choices = [("", _("All regions")), *((region, region) for region in regions)]

    def filters(self) -> ShowcaseFilters:
        if not self.is_bound:
            return ShowcaseFilters()
        self.is_valid()
        data = self.cleaned_data
        return ShowcaseFilters(region=data.get("region") or "", industry=data.get("industry") or "")


class StoryWidget(RichTextWidget):
    """The Trix editor with only the buttons whose formatting a story keeps (see static/css/rich-text.css)."""

    template_name = "awards/feature_story_widget.html"


class FeatureForm(forms.Form):
    """A typical example's headline, story and photos. The photos offered are the image files of the
    team's ledger; the service checks them again (and the story, once cleaned of markup)."""

    headline = forms.CharField(
        label=_("Headline"),
        max_length=HEADLINE_MAX_LENGTH,
        required=False,
        help_text=_("A line that says what the team is known for, e.g. “三十年传帮带，一个都不掉队”."),
    )
    story = forms.CharField(label=_("Story"), widget=StoryWidget)
    photos = forms.TypedMultipleChoiceField(
        label=_("Photos"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, photos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].choices = [(photo.pk, photo.original_name) for photo in photos]
        # The limits are put in the texts here, in the language of the request.
        self.fields["story"].help_text = gettext(
            "What the team did and what others can learn from it, at most %(limit)s characters. Paragraphs, "
            "bold, italics, lists and quotations are kept; other formatting is removed."
        ) % {"limit": STORY_MAX_LENGTH}
        self.fields["photos"].help_text = gettext(
            "At most %(n)s photos from the team's ledger; the first ticked in the list is the cover."
        ) % {"n": FEATURE_PHOTOS_MAX}

    def chosen(self) -> set[int]:
        """The photos ticked: those sent (a failed submit keeps them), or the feature's own."""
        value = self["photos"].value() or []
        return {int(v) for v in value if str(v).isdigit()}
