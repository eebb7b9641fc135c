from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaign notices")

    def ready(self) -> None:
        from accounts.models import UnionUnit
        from audit.registry import (
            register_actions,
            register_detail_choices,
            register_detail_labels,
            register_keyed_changes,
        )

        from .industries import Industry
        from .models import LevelDeadline

        register_actions(
            {
                "campaigns.create": _("Campaign created"),
                "campaigns.update": _("Campaign edited"),
                "campaigns.criteria_copy": _("Criteria copied from a template"),
                "campaigns.criteria_save": _("Criteria edited"),
                "campaigns.quotas_save": _("Quotas set"),
                "campaigns.attachment_add": _("Attachment added"),
                "campaigns.attachment_remove": _("Attachment removed"),
                "campaigns.publish": _("Notice published"),
                "campaigns.close": _("Applications closed"),
                "campaigns.conclude": _("Campaign concluded"),
                "campaigns.cancel": _("Campaign cancelled"),
            }
        )
        # Keys that are no field of the campaign; "from" and "to" of a transition are its status.
        register_detail_labels(
            {
                "template": _("criteria template"),
                "criteria": _("number of criteria"),
                "level_deadlines": LevelDeadline._meta.verbose_name,
                "file": _("file"),
                "sha256": _("SHA-256"),
                "size": _("size"),
                "reason": _("reason"),
            }
        )
        register_detail_choices({"industries": Industry.choices, "level_deadlines": UnionUnit.Kind.choices})
        register_keyed_changes({"campaigns.quotas_save": _("quota of %(key)s")})

        from django.db.models.signals import post_delete, post_save

        from . import generation
        from .models import Campaign

        # The campaigns' generation, read with the user; a campaign saved or deleted moves it on.
        generation.register()
        post_save.connect(_campaign_written, sender=Campaign, dispatch_uid="campaigns.generation.save")
        post_delete.connect(_campaign_written, sender=Campaign, dispatch_uid="campaigns.generation.delete")


def _campaign_written(sender, **kwargs) -> None:
    from . import generation

    generation.moved_on()
