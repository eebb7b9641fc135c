"""Substring search on teams' names and enterprises reads a trigram index (PostgreSQL)."""

from django.db import migrations

from core.migration_operations import TrigramSearchIndex, trigram_extension


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0008_application_submitted_summary"),
    ]

    operations = [
        trigram_extension(),
        TrigramSearchIndex("teams_team", "name", "team_name_trgm"),
        TrigramSearchIndex("teams_team", "enterprise", "team_enterprise_trgm"),
    ]
