"""Authentication by user name and password, without Django's per-model permission tables, and the
signed-in user read from the cache (`user_cache`) rather than the database on every request.

Permissions in this product are rules (`*/rules.py`) over roles and the union tree; superusers
pass every check without a query. Not consulting the permission tables keeps a failed rule from
costing two queries per page.
"""

from django.contrib.auth.backends import ModelBackend

from . import user_cache


class PasswordBackend(ModelBackend):
    def get_user(self, user_id):
        """The session's user, with their roles, from the cache (checked as ModelBackend checks it)."""
        user = user_cache.load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()
