"""The registry's search reads a trigram index of the titles' search text (PostgreSQL), and its order
(newest year first, then the team's pinyin) an index of its own."""

from django.db import migrations, models

from core.migration_operations import TrigramSearchIndex, trigram_extension


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0002_two_level_notice_registry_bundles"),
    ]

    operations = [
        trigram_extension(),
        TrigramSearchIndex("awards_title", "search_text", "title_search_trgm"),
        migrations.AddIndex(
            model_name="title",
            index=models.Index(fields=["-year", "team_sort", "id"], name="title_registry_order"),
        ),
    ]
