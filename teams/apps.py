from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Teams and applications")

    def ready(self) -> None:
        from accounts.signals import unit_moved
        from audit.registry import register_actions, register_detail_choices, register_detail_labels

        from .services.team import follow_unit_move

        unit_moved.connect(follow_unit_move, dispatch_uid="teams.follow_unit_move")

        from .models import LedgerEntry

        register_actions(
            {
                "teams.register": _("Team registered"),
                "teams.create": _("Team registered by staff"),
                "teams.update": _("Team edited"),
                "teams.approve": _("Team approved"),
                "teams.reject": _("Team not approved"),
                "teams.resubmit": _("Team resubmitted for approval"),
                "teams.move": _("Team moved to another grassroots union"),
                "teams.member_add": _("Member added"),
                "teams.member_update": _("Member edited"),
                "teams.pair_add": _("Mentor-apprentice pair added"),
                "teams.pair_update": _("Mentor-apprentice pair edited"),
                "teams.ledger_add": _("Ledger entry added"),
                "teams.ledger_update": _("Ledger entry edited"),
                "teams.ledger_delete": _("Ledger entry deleted"),
                "teams.ledger_file_add": _("Ledger file attached"),
                "teams.ledger_file_remove": _("Ledger file removed"),
                "teams.application_start": _("Application started"),
                "teams.application_evidence_add": _("Evidence added"),
                "teams.application_evidence_remove": _("Evidence removed"),
                "teams.application_submit": _("Application submitted"),
                "teams.application_withdraw": _("Application withdrawn"),
                "teams.application_return": _("Application returned for revision"),
            }
        )
        # Keys that are no field of the event's target (a team, or an application). The ledger's
        # events are the team's: their title, kind, date and changes are the entry's.
        register_detail_labels(
            {
                "team": _("team"),
                "campaign": _("campaign"),
                "leader": _("team leader"),
                "reason": _("reason"),
                "from": _("moved from"),
                "to": _("moved to"),
                "member": _("member"),
                "mentor": _("mentor"),
                "apprentice": _("apprentice"),
                "entry": _("ledger entry"),
                "title": _("title"),
                "kind": _("kind"),
                "occurred_on": _("date"),
                "files": _("files"),
                "file": _("file"),
                "sha256": _("SHA-256"),
                "criterion": _("criterion"),
                "ledger_entry": _("from the ledger entry"),
                "evidence": _("number of evidence files"),
            }
        )
        register_detail_choices({"kind": LedgerEntry.Kind.choices})
