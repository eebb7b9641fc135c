"""Request context for the audit trail: the client's address, set once per request by middleware.

Services stay free of `request` arguments; `record()` picks the address up from here.
"""

from contextvars import ContextVar

from django.conf import settings

current_ip_address: ContextVar[str | None] = ContextVar("audit_ip_address", default=None)


def client_ip(request) -> str | None:
    """The client's address; behind PROXY_COUNT trusted proxies, read from X-Forwarded-For."""
    proxy_count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxy_count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxy_count:
            return hops[-proxy_count]
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip_address.reset(token)
