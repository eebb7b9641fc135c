"""Applications carry their team's pinyin sort key: a list sorted by team reads an index."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_sort_keys(apps, schema_editor):
    Team = apps.get_model("teams", "Team")
    Application = apps.get_model("teams", "Application")
    Application.objects.update(team_sort=Subquery(Team.objects.filter(pk=OuterRef("team")).values("name_pinyin")))


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_notice_revised_at"),
        ("teams", "0005_application_tallies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="team_sort",
            field=models.CharField(default="", editable=False, max_length=300),
        ),
        migrations.RunPython(copy_sort_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["campaign", "team_sort", "team"], name="application_campaign_sort"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["team_sort", "team"], name="application_team_sort"),
        ),
    ]
