"""The bell in the navigation bar: the signed-in user's unread count, asked at most once per request.

Kept apart from `mengtao.navigation`, whose entries are computed once per kind of user: the count is
each user's own. It is lazy, so a page that does not show the bar costs no query.
"""

from django.utils.functional import cached_property

from .selectors import unread_count


class Bell:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(user=self.user)


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    found = getattr(request, "_notification_bell", None)
    if found is None:
        found = request._notification_bell = Bell(user)
    return {"notification_bell": found}
