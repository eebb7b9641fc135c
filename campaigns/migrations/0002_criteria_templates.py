"""The criteria sets every installation starts with (data in campaigns/criteria_sets.py)."""

from django.db import migrations

from campaigns.criteria_sets import ensure_default_templates


def create_templates(apps, schema_editor):
    ensure_default_templates(
        apps.get_model("campaigns", "CriteriaTemplate"), apps.get_model("campaigns", "CriterionTemplate")
    )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(create_templates, migrations.RunPython.noop)]
