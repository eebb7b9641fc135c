"""The ceiling of `make bench`: a view that does nothing, behind the project's whole middleware stack,
served by the same gunicorn command as the pages. A page's share of its req/s is what the page's
own work costs."""

from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("hello, world\n", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]
