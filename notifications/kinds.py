"""The kinds of notification, with the words the preferences page shows. Deadline reminders, a
return for revision and a revoked title are essential: they cannot be muted, and they are mailed at
once."""

from django.utils.translation import gettext_lazy as _

REMINDER = "reminder"
SUBMITTED = "submitted"
RETURNED = "returned"
REJECTED = "rejected"
RECOMMENDED = "recommended"
ASSIGNED = "assigned"
REOPENED = "reopened"
SHORTLISTED = "shortlisted"
NOT_SELECTED = "not_selected"
OBJECTION = "objection"
NAMED = "named"
REVOKED = "revoked"
REASSESSMENT = "reassessment"

LABELS = {
    REMINDER: _("Deadline reminders"),
    RETURNED: _("An application returned for revision"),
    SUBMITTED: _("An application submitted to your union"),
    REJECTED: _("An application not recommended"),
    RECOMMENDED: _("An application recommended to your union"),
    ASSIGNED: _("A review assigned to you"),
    REOPENED: _("A review of yours reopened"),
    SHORTLISTED: _("A team shortlisted for the public notice"),
    NOT_SELECTED: _("A team not selected"),
    OBJECTION: _("An objection filed to a public notice"),
    NAMED: _("A team named"),
    REVOKED: _("A title revoked, or its revocation reversed"),
    REASSESSMENT: _("A re-assessment of your named team"),
}
ESSENTIAL = frozenset({REMINDER, RETURNED, REVOKED})
MUTABLE = [(kind, label) for kind, label in LABELS.items() if kind not in ESSENTIAL]
