"""The `{% url %}` builtin gives what Django's tag gives, in every case its fast path leaves alone too."""

import pytest
from django.template import Context, Engine, Template, engines
from django.urls import NoReverseMatch, reverse

from core.templatetags.fast_url import FastURLNode

CASES = [
    ("{% url 'teams:detail' pk %}", {"pk": 42}),
    ("{% url 'awards:reassessment_conclude' pk %}?outcome=passed", {"pk": 7}),
    ("{% url 'home' %}", {}),
    ("{% url 'teams:detail' pk=pk %}", {"pk": 42}),  # keyword arguments: Django's tag
    ("{% url 'teams:detail' pk %}", {"pk": "42"}),  # a string: Django's tag
    ("{% url name pk %}", {"name": "teams:detail", "pk": 5}),  # the name from a variable
    ("{% url 'admin:teams_team_change' pk %}", {"pk": 3}),  # the admin's namespace: Django's tag
    ("{% url 'teams:detail' pk as link %}[{{ link }}]", {"pk": 9}),
    ("{% url 'no:such' pk as link %}[{{ link }}]", {"pk": 9}),  # `as` swallows a name that does not reverse
]


@pytest.mark.parametrize(("source", "values"), CASES)
def test_the_builtin_renders_as_djangos_tag(source, values):
    ours = engines["django"].from_string(source).render(values)
    django_only = Engine(libraries={}).from_string(source).render(Context(values))
    assert ours == django_only


def test_the_builtin_replaces_djangos_tag_everywhere():
    template = engines["django"].from_string("{% url 'teams:detail' 1 %}")
    assert isinstance(template.template.nodelist[0], FastURLNode)
    assert template.render({}) == reverse("teams:detail", args=[1])


def test_a_name_that_does_not_reverse_raises_as_django_does():
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'no:such' 1 %}").render({})


def test_the_url_is_escaped_when_the_context_escapes():
    node_output = Template("{% url 'home' %}").render(Context({}))
    assert node_output == reverse("home")
