"""Domain errors of the recommendation chain; views turn them into a message in Chinese, never a 500."""

from django.utils.translation import gettext_lazy as _


class ReviewError(Exception):
    default_message = _("This decision is not allowed.")

    def __init__(self, message=None):
        super().__init__(str(message or self.default_message))


class NotWaitingHere(ReviewError):
    default_message = _(
        "The application is no longer waiting for a decision of your unit: someone decided on it a moment "
        "ago, or the team withdrew it. Please reload the page."
    )


class StaleVersion(ReviewError):
    default_message = _(
        "The team submitted a new version after you opened the page. Please read the new version and decide again."
    )


class QuotaExceeded(ReviewError):
    default_message = _("Your unit has used its whole quota of recommendations for this campaign.")


class DeadlinePassed(ReviewError):
    default_message = _("Your level's recommendation deadline has passed; the unit can no longer decide.")


class CampaignNotDeciding(ReviewError):
    default_message = _("The campaign is not taking recommendations (it is cancelled or concluded).")


class NotAssigned(ReviewError):
    default_message = _("This application is not assigned to you for review.")


class ReviewClosed(ReviewError):
    default_message = _("The review is closed.")


class ConflictOfInterest(ReviewError):
    default_message = _("The expert has a conflict of interest with this application.")


class ShortlistRefused(ReviewError):
    default_message = _("The shortlist cannot be recorded.")
