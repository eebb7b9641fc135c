"""The organiser's page of a re-assessment lists its items in team order, a page at a time."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0007_reassessment"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reassessmentitem",
            index=models.Index(fields=["reassessment", "team_sort", "id"], name="reassessment_item_order"),
        ),
    ]
