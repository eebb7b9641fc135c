"""The pages' Previous and Next links keep the list's search and filters, every value of each."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_the_links_keep_every_filter_and_change_only_the_page():
    request = RequestFactory().get("/teams/", {"q": "班组 甲", "status": ["approved", "pending"], "page": "2"})
    page = Paginator(range(200), 50).get_page(2)
    html = render_to_string("includes/pagination.html", {"page_obj": page}, request=request)
    kept = "q=%E7%8F%AD%E7%BB%84+%E7%94%B2&amp;status=approved&amp;status=pending"
    assert f'href="?{kept}&amp;page=1"' in html
    assert f'href="?{kept}&amp;page=3"' in html
