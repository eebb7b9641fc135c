"""Project-wide middleware: what every response carries whatever view produced it."""

from django.utils.cache import patch_cache_control


class PrivateCacheControlMiddleware:
    """A page served to a signed-in user shows that user's data: no browser or proxy may keep it
    (`Cache-Control: private, no-store`), so that the back button after signing out, or the next
    person at a shared computer, finds nothing. A view that decides its own caching keeps it; pages
    for anonymous visitors and the static files (served before this runs) are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
