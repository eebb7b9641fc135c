"""Applications keep the summary as last submitted: lists and exports read it without the versions."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KT


def copy_submitted_summaries(apps, schema_editor):
    Application = apps.get_model("teams", "Application")
    ApplicationVersion = apps.get_model("teams", "ApplicationVersion")
    latest = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
    Application.objects.filter(version__gt=0).update(
        submitted_summary=Subquery(latest.values(text=KT("content__summary"))[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0007_application_campaign_path_covers_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="submitted_summary",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(copy_submitted_summaries, migrations.RunPython.noop),
    ]
