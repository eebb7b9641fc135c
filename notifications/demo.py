"""The demo, after the other demos: the reminder sweep runs once, as the hourly beat entry would at
its next run, so that whoever owes an action before a coming deadline of the demo's campaigns finds
the reminder in the inbox from the first sign-in. Loaded twice, nothing more is sent."""

from .reminders import sweep


def seed() -> None:
    sweep()
