"""`{% url %}` at the price of a string replacement for the common case.

Django's `url` tag calls reverse(), which matches the pattern's regular expression on every call
(tens of microseconds): a list of fifty rows with a link or two each spent more on its links than on
the rest of its rows. This library is a template builtin (settings.TEMPLATES), so it replaces the
tag everywhere: with positional integer arguments only (ids) it reverses the name once per script
prefix (core.urls.reverse_fast) and fills in the ids; anything else — keyword arguments, strings, the
admin's namespaced instances, a name that does not reverse — goes to Django's own tag.
"""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from core.urls import reverse_fast

register = template.Library()


class FastURLNode(URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        ids_only = all(type(arg) is int for arg in args)
        if not ids_only or not isinstance(view_name, str) or view_name.startswith("admin:"):
            return super().render(context)
        try:
            url = reverse_fast(view_name, *args)
        except NoReverseMatch:
            return super().render(context)  # Django's message, or "" for `as var`
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
