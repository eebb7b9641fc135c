"""How many applications each unit holds and decided in a campaign's recommendation chain, kept by the
chain's services; counted here from the places and decisions already recorded."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count

HELD = {"waiting": "waiting", "returned": "returned", "accepted": "accepted"}
DECIDED = {"recommend": "recommended", "reject": "rejected"}


def count_the_chain(apps, schema_editor):
    Recommendation = apps.get_model("reviews", "Recommendation")
    Decision = apps.get_model("reviews", "Decision")
    ChainTally = apps.get_model("reviews", "ChainTally")
    places = (
        Recommendation.objects.filter(state__in=list(HELD))
        .order_by()
        .values_list("campaign_id", "unit_id", "state")
        .annotate(n=Count("*"))
    )
    decisions = (
        Decision.objects.filter(kind__in=list(DECIDED))
        .order_by()
        .values_list("campaign_id", "unit_id", "kind")
        .annotate(n=Count("*"))
    )
    rows = [ChainTally(campaign_id=c, unit_id=u, counter=HELD[state], count=n) for c, u, state, n in places]
    rows += [ChainTally(campaign_id=c, unit_id=u, counter=DECIDED[kind], count=n) for c, u, kind, n in decisions]
    ChainTally.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_unit_children"),
        ("campaigns", "0006_two_level_notice_registry_bundles"),
        ("reviews", "0003_expert_list_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChainTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "counter",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting for a decision"),
                            ("returned", "Returned for revision"),
                            ("accepted", "Accepted for expert review"),
                            ("recommended", "Recommended"),
                            ("rejected", "Not recommended"),
                        ],
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
                        related_name="+",
                        to="campaigns.campaign",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.unionunit",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("campaign", "unit", "counter"), name="one_chain_tally_per_unit_counter"
                    )
                ],
            },
        ),
        migrations.RunPython(count_the_chain, migrations.RunPython.noop),
    ]
