"""How many applications each campaign has in each state, kept by the services."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count


def count_applications(apps, schema_editor):
    Application = apps.get_model("teams", "Application")
    ApplicationTally = apps.get_model("teams", "ApplicationTally")
    counted = Application.objects.order_by().values_list("campaign_id", "status").annotate(n=Count("*"))
    ApplicationTally.objects.bulk_create(
        ApplicationTally(campaign_id=campaign_id, status=status, count=n) for campaign_id, status, n in counted
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_notice_revised_at"),
        ("teams", "0004_union_path"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicationTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("submitted", "Submitted"), ("returned", "Returned for revision")],
                        editable=False,
                        max_length=20,
                    ),
                ),
                ("count", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "campaign",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="application_tallies",
                        to="campaigns.campaign",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("campaign", "status"), name="one_tally_per_campaign_status")
                ],
            },
        ),
        migrations.RunPython(count_applications, migrations.RunPython.noop),
    ]
