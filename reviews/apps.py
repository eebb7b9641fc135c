from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Recommendation and expert review")

    def ready(self) -> None:
        from audit.registry import register_actions, register_detail_labels
        from teams import extensions
        from teams.signals import application_submitted, application_withdrawn

        from .panels import path_panel, printed_opinions
        from .services import chain_enter, chain_leave

        application_submitted.connect(chain_enter, dispatch_uid="reviews.chain_enter")
        application_withdrawn.connect(chain_leave, dispatch_uid="reviews.chain_leave")
        if path_panel not in extensions.detail_panels:
            extensions.detail_panels.append(path_panel)
        if printed_opinions not in extensions.printed_opinions:
            extensions.printed_opinions.append(printed_opinions)

        register_actions(
            {
                "reviews.recommend": _("Application recommended"),
                "reviews.accept": _("Application accepted for expert review"),
                "reviews.return": _("Application returned for revision"),
                "reviews.reject": _("Application not recommended"),
                "reviews.deadline_extend": _("Recommendation deadline extended"),
            }
        )
        register_detail_labels(
            {
                "decided_by_unit": _("decided by the unit"),
                "to_unit": _("sent up to"),
                "opinion": _("opinion"),
                "for": _("for"),
                "old_deadline": _("previous deadline"),
                "new_deadline": _("new deadline"),
            }
        )
