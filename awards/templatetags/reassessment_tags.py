"""The team leader's open re-assessment reports, for the leader's home (teams/_leader_home.html)."""

from django import template

from ..reassessment_selectors import open_reports

register = template.Library()


@register.simple_tag
def open_reassessment_reports(user) -> list:
    return open_reports(user) if user.is_authenticated else []
