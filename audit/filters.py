"""Filters of the audit-trail page."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent
from .registry import action_choices


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(label=_("Actor"), method="filter_actor")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=action_choices)
    occurred = django_filters.DateFromToRangeFilter(
        field_name="occurred_at",
        label=_("Date range"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date", "class": "form-control"}),
    )
    unit = django_filters.CharFilter(label=_("Union unit"), field_name="unit__name", lookup_expr="icontains")

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "occurred", "unit"]

    def filter_actor(self, queryset, name, value):
        return queryset.filter(Q(actor_name__icontains=value) | Q(actor__username__iexact=value))

    @property
    def form(self) -> forms.Form:
        form = super().form
        for field in ("actor", "unit"):
            form.fields[field].widget.attrs.setdefault("class", "form-control")
        form.fields["action"].widget.attrs.setdefault("class", "form-select")
        return form
