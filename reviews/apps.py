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
                "reviews.panel_add": _("Expert added to the panel"),
                "reviews.panel_remove": _("Expert taken off the panel"),
                "reviews.conflict_record": _("Conflict of interest recorded"),
                "reviews.assign_auto": _("Experts assigned automatically"),
                "reviews.assign": _("Expert assigned by hand"),
                "reviews.decline": _("Review declined for a conflict of interest"),
                "reviews.review_submit": _("Review submitted"),
                "reviews.review_reopen": _("Review reopened"),
                "reviews.exclude": _("Application excluded from the review"),
                "reviews.shortlist": _("Shortlist recorded"),
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
                "expert": _("expert"),
                "own_unit": _("own unit"),
                "enterprise": _("enterprise"),
                "cancelled": _("reviews cancelled"),
                "with": _("conflict with"),
                "reason": _("reason"),
                "assigned": _("reviews assigned"),
                "short": _("applications without enough experts"),
                "per_application": _("experts per application"),
                "code": _("application code"),
                "replaced_by": _("replaced by"),
                "total": _("total"),
                "veto": _("veto"),
                "shortlisted": _("shortlisted"),
                "titles": _("number of titles"),
                "departures": _("departures from rank"),
            }
        )
