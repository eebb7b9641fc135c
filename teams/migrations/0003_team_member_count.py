"""Each team's number of current members, stored: a list of teams shows it without counting."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_members(apps, schema_editor):
    Team = apps.get_model("teams", "Team")
    Member = apps.get_model("teams", "Member")
    current = (
        Member.objects.filter(team=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Team.objects.update(member_count=Coalesce(Subquery(current[:1]), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0002_ledger_and_applications"),
    ]

    operations = [
        migrations.AddField(
            model_name="team",
            name="member_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="current members"),
        ),
        migrations.RunPython(count_members, migrations.RunPython.noop),
    ]
