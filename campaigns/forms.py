"""Forms of the campaign pages. They collect and check input; the services do the writing."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import UnionUnit, User
from core.text import CountedTextField
from core.uploads import ACCEPT_ATTRIBUTE

from .indicators import Indicator
from .industries import Industry
from .models import Campaign, Category, CriteriaTemplate, Criterion, LevelDeadline
from .selectors import scope_choices
from .services import (
    CAMPAIGN_FIELDS,
    CRITERION_FIELDS,
    FROZEN_ON_PUBLISH,
    REVIEW_FIELDS,
    CriterionChange,
    level_deadline_field,
    validate_campaign,
    validate_criteria_set,
    validate_level_deadlines,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RichTextWidget(forms.Textarea):
    """A textarea that the Trix editor takes over (templates/includes/rich_text.html)."""

    template_name = "widgets/rich_text.html"


class ReminderDaysField(forms.CharField):
    def prepare_value(self, value):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else value

    def to_python(self, value):
        text = (value or "").replace("，", ",").replace("、", ",")
        try:
            days = sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True)
        except ValueError as error:
            raise ValidationError(_("Enter whole numbers of days separated by commas, e.g. 7, 3, 1.")) from error
        if any(day < 1 for day in days):
            raise ValidationError(_("Reminder thresholds are whole numbers of days, 1 or more."))
        return days


class CampaignForm(forms.Form):
    """Create (with organiser and criteria template) or edit a campaign."""

    def __init__(self, *args, user: User, instance: Campaign | None = None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {name: getattr(instance, name) for name in CAMPAIGN_FIELDS})
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(
            Campaign,
            fields=CAMPAIGN_FIELDS,
            widgets={
                "body": RichTextWidget,
                "application_opens_at": DATETIME,
                "application_deadline": DATETIME,
                "recommendation_deadline": DATETIME,
                "review_starts_on": DATE,
                "review_ends_on": DATE,
                "naming_planned_on": DATE,
            },
        )
        model_fields["industries"] = forms.MultipleChoiceField(
            label=_("Industries"),
            choices=Industry.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Leave all unticked to admit every industry."),
        )
        model_fields["reminder_days"] = ReminderDaysField(
            label=_("Reminder thresholds (days before a deadline)"),
            initial=[7, 3, 1],
            help_text=_("Everyone who still owes an action is reminded this many days before each deadline."),
        )
        if instance is None:
            organisers = self._organiser_choices()
            self.fields["organiser"] = forms.ModelChoiceField(
                label=_("Organising unit"), queryset=organisers, initial=organisers.first()
            )
            self.fields["template"] = forms.ModelChoiceField(
                label=_("Criteria"),
                queryset=CriteriaTemplate.objects.filter(is_active=True),
                initial=CriteriaTemplate.objects.filter(category=Category.MENGTAO, is_default=True).first(),
                help_text=_("The campaign starts with a copy of this set; you can adjust it until publishing."),
            )
        self.fields.update(model_fields)
        current = {d.unit_kind: d.deadline for d in instance.level_deadlines.all()} if instance else {}
        for kind in LevelDeadline.LEVELS:
            self.fields[level_deadline_field(kind)] = forms.DateTimeField(
                label=_("Recommendation deadline: %(level)s") % {"level": UnionUnit.Kind(kind).label},
                required=False,
                widget=DATETIME,
                initial=current.get(kind),
            )
        organiser = instance.organiser if instance else self._chosen_organiser()
        self.fields["scope_unit"].queryset = (
            scope_choices(organiser) if organiser else UnionUnit.objects.none()
        ).order_by("path")
        # The review's settings keep their current values (or the defaults) when a form leaves them out.
        for name in REVIEW_FIELDS:
            self.fields[name].required = False
        self.fields["scope_unit"].required = False
        self.fields["scope_unit"].empty_label = _("The organising unit and every unit below it")
        self.fields["scope_unit"].help_text = _("Teams of this unit and every unit below it may apply.")
        if instance is not None and instance.status != Campaign.Status.DRAFT:
            self.fields["confirm_effects"] = forms.BooleanField(
                label=_("I have read the above and want to go ahead."), required=False
            )
        if instance is not None and instance.criteria_frozen:
            for name in FROZEN_ON_PUBLISH:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed when the notice was published.")

    def _organiser_choices(self):
        if self.user.is_superuser:
            return UnionUnit.objects.exclude(kind=UnionUnit.Kind.GRASSROOTS).order_by("path")
        staffed = [a.unit_id for a in self.user.role_assignment_list() if a.role == "staff"]
        return UnionUnit.objects.filter(pk__in=staffed).order_by("path")

    def _chosen_organiser(self) -> UnionUnit | None:
        field = self.fields["organiser"]
        raw = self.data.get(self.add_prefix("organiser")) if self.is_bound else None
        try:
            return field.clean(raw) if raw else field.initial
        except ValidationError:
            return None

    def clean(self):
        cleaned = super().clean()
        for name in REVIEW_FIELDS:
            if cleaned.get(name) in (None, ""):
                cleaned[name] = getattr(self.instance or Campaign(), name)
        if self.errors:
            return cleaned
        organiser = cleaned.get("organiser") or self.instance.organiser
        candidate = Campaign(
            pk=self.instance.pk if self.instance else None,
            organiser=organiser,
            created_by=self.user,
            **{name: cleaned.get(name) for name in CAMPAIGN_FIELDS if name != "scope_unit"},
        )
        candidate.scope_unit = cleaned.get("scope_unit") or organiser
        try:
            validate_campaign(candidate)
            validate_level_deadlines(candidate, self.level_deadlines())
        except ValidationError as error:
            self.add_error(None, error)
        cleaned["scope_unit"] = candidate.scope_unit
        cleaned["document_number"] = candidate.document_number
        return cleaned

    def campaign_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in CAMPAIGN_FIELDS}

    def level_deadlines(self) -> dict:
        return {kind: self.cleaned_data.get(level_deadline_field(kind)) for kind in LevelDeadline.LEVELS}


class CriterionForm(forms.ModelForm):
    indicators = forms.MultipleChoiceField(
        label=_("Indicators asked for"), choices=Indicator.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Criterion
        fields = CRITERION_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        # The set is validated as a whole by the service; no per-row model validation here.
        pass


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue  # the empty row for a new criterion
            rows.append(data)
        validate_criteria_set(rows)

    def changes(self) -> list[CriterionChange]:
        result = []
        for form in self.forms:
            data = form.cleaned_data
            existing = form.instance if form.instance.pk else None
            if not data or (existing is None and not form.has_changed()):
                continue
            values = {name: data[name] for name in CRITERION_FIELDS}
            result.append(CriterionChange(criterion=existing, values=values, delete=bool(data.get("DELETE"))))
        return result


CriterionFormSet = forms.inlineformset_factory(
    Campaign, Criterion, form=CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True
)


class CopyTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Criteria template"), queryset=CriteriaTemplate.objects.filter(is_active=True)
    )


class QuotaForm(forms.Form):
    """One number per recommending unit; empty means no quota set."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for unit, quota in rows:
            self.fields[f"unit_{unit.pk}"] = forms.IntegerField(
                label=unit.name,
                min_value=0,
                required=False,
                initial=quota.max_recommendations if quota else None,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "style": "max-width: 8em"}),
            )

    def quotas(self) -> dict[UnionUnit, int | None]:
        return {unit: self.cleaned_data[f"unit_{unit.pk}"] for unit, _quota in self.rows}

    def bound_rows(self):
        return [(unit, self[f"unit_{unit.pk}"]) for unit, _quota in self.rows]


class AttachmentForm(forms.Form):
    # An empty file passes here and is refused by name with the other checks (core.uploads).
    file = forms.FileField(
        label=_("File"), allow_empty_file=True, widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext("PDF, Word, Excel, PowerPoint, JPEG or PNG, at most %(limit)s.") % {
            "limit": filesizeformat(settings.CAMPAIGN_ATTACHMENT_MAX_BYTES)
        }


class ConfirmForm(forms.Form):
    """A box to tick when the action has consequences the user should have read."""

    confirmed = forms.BooleanField(
        label=_("I have read the above and want to go ahead."),
        error_messages={"required": _("Tick the box to confirm that you want to go ahead.")},
    )


class CancelForm(forms.Form):
    reason = CountedTextField(label=_("Reason"), max_length=1000, rows=3, required=True)


class StaffCampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Campaign.Status.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]
