"""`manage.py seed_demo`: load the demo province. Safe to run again; it adds only what is missing."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo province (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for dotted in settings.DEMO_SEEDERS:
                import_string(dotted)()
                self.stdout.write(f"seeded: {dotted}")
        self.stdout.write(self.style.SUCCESS("demo data ready"))
