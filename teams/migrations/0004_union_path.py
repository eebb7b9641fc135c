"""Teams and applications carry their grassroots union's path: a subtree's teams and applications
are then an index range, not a join per row."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_paths(apps, schema_editor):
    Team = apps.get_model("teams", "Team")
    Application = apps.get_model("teams", "Application")
    UnionUnit = apps.get_model("accounts", "UnionUnit")
    Team.objects.update(union_path=Subquery(UnionUnit.objects.filter(pk=OuterRef("grassroots_union")).values("path")))
    Application.objects.update(union_path=Subquery(Team.objects.filter(pk=OuterRef("team")).values("union_path")))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("campaigns", "0003_notice_revised_at"),
        ("teams", "0003_team_member_count"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="union_path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="team",
            name="union_path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(copy_paths, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["campaign", "union_path"],
                name="application_campaign_path",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["status", "union_path"],
                name="application_status_path",
                opclasses=["text_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="team",
            index=models.Index(fields=["union_path"], name="team_union_path", opclasses=["varchar_pattern_ops"]),
        ),
        migrations.AddIndex(
            model_name="team",
            index=models.Index(
                fields=["status", "union_path"],
                name="team_status_union_path",
                opclasses=["text_ops", "varchar_pattern_ops"],
            ),
        ),
    ]
