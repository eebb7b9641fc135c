"""The project package: settings, URLs, the Celery app and WSGI/ASGI entry points. Wiring only."""

from .celery import app as celery_app

__all__ = ["celery_app"]
