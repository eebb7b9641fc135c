"""`manage.py seed_scale --size tiny|small|province`: load the generated province the benchmark measures."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string

from core.bulk import Phases
from core.scale import SIZES, ScaleContext, marker_code, seeders_mark


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
        roots = dict(UnionUnit.objects.filter(code__startswith="SCALE-", depth=1).values_list("code", "enterprise"))
        loaded = set(roots)
        if marker_code(chosen) in loaded:
            if roots[marker_code(chosen)] != seeders_mark():
                raise CommandError(
                    f"The {size} province in this database was loaded by other seeders ({roots[marker_code(chosen)]}; "
                    f"now {seeders_mark()}): it lacks what the newer stages add. Load it into a fresh database "
                    f"(drop this one: dropdb {connection.settings_dict['NAME']})."
                )
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
