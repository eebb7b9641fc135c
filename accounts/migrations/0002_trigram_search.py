"""Substring search on unions' names, enterprises and codes reads a trigram index (PostgreSQL)."""

from django.db import migrations

from core.migration_operations import TrigramSearchIndex, trigram_extension


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        trigram_extension(),
        TrigramSearchIndex("accounts_unionunit", "name", "unionunit_name_trgm"),
        TrigramSearchIndex("accounts_unionunit", "enterprise", "unionunit_enterprise_trgm"),
        TrigramSearchIndex("accounts_unionunit", "code", "unionunit_code_trgm"),
    ]
