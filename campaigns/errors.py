"""Domain errors of campaigns; views turn them into a message in Chinese, never a 500."""

from django.utils.translation import gettext_lazy as _


class CampaignError(Exception):
    default_message = _("This change to the campaign is not allowed.")

    def __init__(self, message=None):
        super().__init__(str(message or self.default_message))


class TransitionNotAllowed(CampaignError):
    default_message = _("The campaign cannot make this change in its current state.")


class CriteriaFrozen(CampaignError):
    default_message = _("The criteria were frozen when the notice was published and can no longer be changed.")


class CampaignIncomplete(CampaignError):
    default_message = _("The notice is not complete yet.")
