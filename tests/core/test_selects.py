"""`{% select_field %}` writes what the per-option template wrote, for the filters' kinds of field."""

import pytest
from django import forms
from django.template import engines
from django.utils import translation

from accounts.models import UnionUnit
from audit.filters import AuditEventFilter
from teams.forms import TeamFilterForm

pytestmark = pytest.mark.django_db

# includes/select.html as it was: one loop over the field's subwidgets.
PER_OPTION = (
    "{% load i18n %}"
    '<select name="{{ field.html_name }}" id="{{ field.auto_id }}" class="form-select" aria-label="{{ field.label }}">'
    "{% for option in field.subwidgets %}{% with data=option.data %}"
    "<option value=\"{{ data.value|stringformat:'s' }}\"{% if data.selected %} selected{% endif %}>"
    '{% if data.label == "---------" %}{% translate "Choose…" %}{% else %}{{ data.label }}{% endif %}</option>'
    "{% endwith %}{% endfor %}</select>"
)


class Grouped(forms.Form):
    kind = forms.ChoiceField(choices=[("", "---------"), ("甲组", [("a", "甲<一>"), ("b", "甲二")]), ("c", "丙")])
    unit = forms.ModelChoiceField(queryset=UnionUnit.objects.all(), required=False)


def both(field):
    engine = engines["django"]
    return (
        engine.from_string(PER_OPTION).render({"field": field}),
        engine.from_string('{% include "includes/select.html" %}').render({"field": field}).strip(),
    )


@pytest.mark.parametrize("data", [{}, {"status": "approved", "industry": "manufacturing"}, {"status": "nonsense"}])
def test_a_filter_form_renders_as_before(data):
    form = TeamFilterForm(data)
    form.is_valid()
    for name in ("status", "industry", "applications"):
        before, after = both(form[name])
        assert after == before


def test_grouped_and_model_choices_render_as_before(tree):
    for data in ({}, {"kind": "b", "unit": str(tree.city_a.pk)}):
        form = Grouped(data)
        for name in ("kind", "unit"):
            before, after = both(form[name])
            assert after == before
    assert "甲&lt;一&gt;" in both(Grouped({})["kind"])[1]


def test_the_audit_trails_actions_render_as_before(rf, role_users):
    request = rf.get("/audit/", {"action": "accounts.login"})
    request.user = role_users["staff_unit"]
    field = AuditEventFilter(request.GET, request=request).form["action"]
    before, after = both(field)
    assert after == before and " selected>" in after


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_declared_choices_written_once_still_render_as_before(language):
    """The second form's options come from what the first wrote: still the per-option markup, in
    the language of the request, with the second form's own selection."""
    with translation.override(language):
        for data in ({}, {"industry": "C"}, {"industry": "D", "status": "approved"}, {}):
            form = TeamFilterForm(data)
            form.is_valid()
            for name in ("status", "industry", "applications"):
                before, after = both(form[name])
                assert after == before
        manufacturing = ">C 制造业<" if language == "zh-hans" else ">C Manufacturing<"
        assert manufacturing in both(TeamFilterForm({})["industry"])[1]


class ChoicesOfItsOwn(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "甲")])

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = choices


def test_choices_set_for_one_form_are_its_own():
    first = both(ChoicesOfItsOwn({}, choices=[("x", "一"), ("y", "二")])["kind"])
    second = both(ChoicesOfItsOwn({"kind": "z"}, choices=[("z", "三")])["kind"])
    assert first[1] == first[0] and second[1] == second[0]
    assert "三" in second[1] and "一" not in second[1] and '"z" selected' in second[1]
    # The declared choices, once the others were written under the same name, are the declared ones.
    declared = ChoicesOfItsOwn.base_fields["kind"].choices
    form = ChoicesOfItsOwn({}, choices=declared)
    assert both(form["kind"])[1] == both(form["kind"])[0] and "甲" in both(form["kind"])[1]
