"""Public pages from the cache, for visitors who are not signed in.

A public page (the notices, a notice) is the same for every anonymous visitor, so it is rendered once
and then served from the cache. Its key holds:
- a version that changes whenever what the page shows changes (the view passes a function that
  reads it from the database in one cheap query: a bump that one worker makes is seen by all, whatever
  the cache backend — the embedded run's in-memory cache is per process);
- the minute, because pages count down to deadlines ("还剩 3 天", "今天截止申报");
- the language, and the path with the query string (as a digest: the percent-encoded Chinese of a
  search and its filters runs past the 250 characters a cache key may have).

The page carries a CSRF token (the language switcher posts): it is stored with a placeholder and each
visitor gets their own token in its place. Signed-in users, requests with pending messages and
anything but a successful GET are never cached.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

TOKEN_PLACEHOLDER = "__csrf_token_of_the_visitor__"


def version_key(*values) -> str:
    """A version read from the database as part of a cache key: its values joined, with no spaces
    (a timestamp from raw SQL prints with one, which a cache key may not hold)."""
    return "-".join("".join(str(value).split()) for value in values)


def version_from_sql(sql: str, params: list | tuple = ()) -> str:
    """The version of a page from one statement returning one row. Written out in SQL: it runs on
    every visit to a cached page, where building it with the ORM cost as much as the rest of the hit."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return version_key(*cursor.fetchone())


def _cacheable(request) -> bool:
    # A page with a message to show ("您已退出") is that visitor's own: messages live in a cookie.
    return request.method == "GET" and not request.user.is_authenticated and "messages" not in request.COOKIES


def cache_public_page(version: Callable[[], object], *, seconds: int = 300):
    """Serve the decorated view's page to anonymous visitors from the cache (see the module)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            minute = timezone.now().strftime("%Y%m%d%H%M")
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = f"public-page:{get_language()}:{version()}:{minute}:{path}"
            token = get_token(request)
            cached = cache.get(key)
            if cached is not None:
                content_type, body = cached
                response = HttpResponse(body.replace(TOKEN_PLACEHOLDER, token), content_type=content_type)
                response["X-Public-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                body = response.content.decode(response.charset).replace(token, TOKEN_PLACEHOLDER)
                cache.set(key, (response["Content-Type"], body), seconds)
            return response

        return wrapped

    return decorator
