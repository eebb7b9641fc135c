"""Authentication by user name and password, without Django's per-model permission tables.

Permissions in this product are rules (`*/rules.py`) over roles and the union tree; superusers
pass every check without a query. Not consulting the permission tables keeps a failed rule from
costing two queries per page.
"""

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()
