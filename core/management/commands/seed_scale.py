"""`manage.py seed_scale --size tiny|small|province`: load the generated province the benchmark measures."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string

from core.bulk import Phases
from core.scale import SIZES, ScaleContext, marker_code


class Command(BaseCommand):
    help = "Load a generated province for measuring speed (deterministic; into a database of its own)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when the database already holds the generated province of this size.",
        )

    def handle(self, *args, size, if_missing, **options):
        from accounts.models import UnionUnit

        chosen = SIZES[size]
        loaded = set(UnionUnit.objects.filter(code__startswith="SCALE-", depth=1).values_list("code", flat=True))
        if marker_code(chosen) in loaded:
            if if_missing:
                self.stdout.write(f"The {size} province is already loaded; nothing to do.")
                return
            raise CommandError(f"The {size} province is already loaded in this database.")
        if loaded:
            raise CommandError(f"This database holds another generated province ({', '.join(sorted(loaded))}).")
        phases = Phases(self.stdout.write)
        context = ScaleContext(size=chosen, phases=phases)
        with transaction.atomic():
            for dotted in settings.SCALE_SEEDERS:
                import_string(dotted)(context)
        if connection.vendor == "postgresql":
            began = phases.total()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # statistics for the planner, visibility for index-only scans
            self.stdout.write(f"{'vacuum analyze':<34} {'':>16} {phases.total() - began:8.1f} s")
        self.stdout.write(self.style.SUCCESS(f"The generated province ({size}) is loaded in {phases.total():.0f} s."))
