"""The (campaign, union path) index carries the state too, so that lists count from it alone."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_notice_revised_at"),
        ("teams", "0006_application_team_sort"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="application",
            name="application_campaign_path",
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["campaign", "union_path"],
                include=("status",),
                name="application_campaign_path",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ),
    ]
