"""The bell in the navigation bar: the signed-in user's unread count, asked at most once per request.

Kept apart from `mengtao.navigation`, whose entries are computed once per kind of user: the count is
each user's own. It is lazy, so a page that does not show the bar costs no query.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext

from .selectors import unread_count


class Bell:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(user=self.user)

    def label(self) -> str:
        """What the bell says to a screen reader."""
        if not self.unread:
            return gettext("Notifications")
        message = ngettext("Notifications: %(counter)s unread", "Notifications: %(counter)s unread", self.unread)
        return message % {"counter": self.unread}


def bell_of(request) -> Bell:
    """The bell of this request's signed-in user: one per request, whoever asks first."""
    found = getattr(request, "_notification_bell", None)
    if found is None:
        found = request._notification_bell = Bell(request.user)
    return found


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": bell_of(request)}
