from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaign notices")

    def ready(self) -> None:
        from audit.registry import register_actions

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
