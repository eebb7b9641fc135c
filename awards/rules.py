"""Who runs the public notice and the naming: the staff of the organising unit (or above it); who
reads an objector's identity: they and the auditors above the organiser."""

import rules

from campaigns.rules import oversees_organiser, staffs_organiser

rules.add_perm("awards.manage_awards", rules.is_authenticated & (rules.is_superuser | staffs_organiser))
rules.add_perm("awards.view_objections", rules.is_authenticated & (rules.is_superuser | oversees_organiser))
