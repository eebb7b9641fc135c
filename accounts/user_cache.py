"""The signed-in user, with their roles, kept in the cache between requests.

Every signed-in page needs the user and their role assignments (with the units, whose paths give the
scope): two queries, a sixth of a list page's time, asked again on every request. They are kept in
the cache under the user's id with the generation they were read in, and forgotten:

- when the user is saved or deleted (a changed password, a deactivation, a new name), and when one of
  their role assignments is saved or deleted — at once and again after the commit, so that a page
  read while the change was being written does not keep the old user;
- all together when a union unit changes (a rename, a move that rewrites the paths below it): the
  generation changes, so every user is read afresh.

Writes that bypass the model's signals (`QuerySet.update()` on users or roles) must call `forget`
or `forget_everyone`; and nothing is kept longer than TIMEOUT, whatever happens.

Only where every process shares the cache (settings.CACHE_SIGNED_IN_USER, on with Redis): the embedded
run's in-memory cache is each worker's own, and one worker would not hear of what another forgot. The
cache then holds what the users table holds, the password's hash included (the session's check
needs it): it is as private as the database.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .signals import unit_moved

TIMEOUT = 5 * 60
GENERATION_KEY = "auth-user:generation"

# Other values of the user's own that every signed-in page shows (the bell's count): registered by
# the apps that keep them (`register_companion`) and read with the user and the generation in one
# round trip to the cache — each round trip costs more than reading the value.
_companions: dict[str, Callable[[int], str]] = {}
# Moves on whenever a companion is forgotten in this process: a value read with the user earlier in
# the same request is then no longer used (the request itself may have changed it).
_companion_write = 0


def register_companion(name: str, key: Callable[[int], str]) -> None:
    """Read the cache key `key(user_id)` together with the user; see `companion`."""
    _companions[name] = key


# What `companion` answers for a value not read with the user (or perhaps changed since).
NOT_READ = object()


def companion(user, name: str):
    """The companion value read with this user — None if the cache did not hold it — or NOT_READ when
    it was not read with the user or may have changed since in this process."""
    found = getattr(user, "_cached_companions", None)
    if not found or found[0] != _companion_write or name not in found[1]:
        return NOT_READ
    return found[1][name]


def companion_forgotten() -> None:
    """Called by whoever forgets a companion value (before or after deleting it)."""
    global _companion_write
    _companion_write += 1


def _new_generation() -> int:
    # A value never used before, so that a generation evicted from the cache cannot bring back users
    # stored under it.
    generation = time.time_ns()
    cache.set(GENERATION_KEY, generation, None)
    return generation


def _key(pk) -> str:
    return f"auth-user:{pk}"


def load(pk):
    """The user with this primary key and their role assignments loaded, or None.

    The cache holds (generation, user) under the user's id: a user stored under another generation
    than the current one (a unit changed since) is read afresh."""
    if not settings.CACHE_SIGNED_IN_USER:
        return _read(pk)
    user_key = _key(pk)
    companion_keys = {name: key(pk) for name, key in _companions.items()}
    write = _companion_write
    found = cache.get_many([GENERATION_KEY, user_key, *companion_keys.values()])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = _new_generation()
    entry = found.get(user_key)
    if entry is not None and entry[0] == generation:
        user = entry[1]
    else:
        user = _read(pk)
        if user is None:
            return None
        cache.set(user_key, (generation, user), TIMEOUT)
    user._cached_companions = (write, {name: found.get(key) for name, key in companion_keys.items()})
    user._units_generation = generation
    return user


def units_generation(user) -> int | None:
    """The units' generation read with this user at the start of the request (None where the user
    is not kept in the cache): what was read of the units after it is current until it moves on."""
    return getattr(user, "_units_generation", None)


def _read(pk):
    """From the database: a user with roles comes with them in one query; one without, in a second."""
    from .models import RoleAssignment, User

    assignments = list(RoleAssignment.objects.filter(user_id=pk).select_related("user", "unit"))
    user = assignments[0].user if assignments else User._default_manager.filter(pk=pk).first()
    if user is None:
        return None
    for assignment in assignments:
        assignment.user = user
    user._role_assignment_cache = assignments
    return user


def forget(pk) -> None:
    """Read this user afresh on their next request (now, and once the transaction commits)."""
    key = _key(pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def forget_everyone() -> None:
    _new_generation()
    transaction.on_commit(_new_generation)


@receiver([post_save, post_delete], sender="accounts.User", dispatch_uid="user_cache_user")
def _user_changed(sender, instance, **kwargs):
    forget(instance.pk)


@receiver([post_save, post_delete], sender="accounts.RoleAssignment", dispatch_uid="user_cache_role")
def _role_changed(sender, instance, **kwargs):
    forget(instance.user_id)


@receiver([post_save, post_delete], sender="accounts.UnionUnit", dispatch_uid="user_cache_unit")
def _unit_changed(sender, instance, **kwargs):
    forget_everyone()


@receiver(unit_moved, dispatch_uid="user_cache_unit_moved")
def _unit_moved(sender, **kwargs):
    # A move rewrites the paths below the unit with one UPDATE, which sends no post_save.
    forget_everyone()
