"""Who sees a campaign's deadline reminders (the coming ones and those sent): the organiser's staff and
the oversight above it, as the campaign's other organiser pages (its progress, its ranking)."""

import rules

from campaigns.rules import oversees_organiser

rules.add_perm("notifications.view_reminders", rules.is_authenticated & (rules.is_superuser | oversees_organiser))
