"""Domain errors of applications; views turn them into a message in Chinese, never a 500."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    default_message = _("This change to the application is not allowed.")

    def __init__(self, message=None):
        super().__init__(str(message or self.default_message))


class TransitionNotAllowed(ApplicationError):
    default_message = _(
        "The application is no longer in a state that allows this; the page may be out of date. Please reload it."
    )


class DeadlinePassed(ApplicationError):
    default_message = _("The deadline has passed; the application can no longer be changed or submitted.")


class NotOpenToTeam(ApplicationError):
    default_message = _("This campaign is not open to your team: it is closed, or your team is outside its scope.")


class ApplicationExists(ApplicationError):
    default_message = _("Your team has already started an application to this campaign.")

    def __init__(self, application, message=None):
        super().__init__(message)
        self.application = application


class ApplicationIncomplete(ApplicationError):
    default_message = _("The application is not complete yet; see the checklist.")

    def __init__(self, message=None, *, missing=()):
        super().__init__(message)
        self.missing = list(missing)  # teams.content.MissingGroup, criterion by criterion


class EvidenceLimitExceeded(ApplicationError):
    default_message = _("The evidence files of an application may not exceed the total size allowed.")
