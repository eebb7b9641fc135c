from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Public notice, naming and registry")

    def ready(self) -> None:
        from audit.registry import register_actions, register_detail_labels
        from reviews.signals import shortlist_changing

        from . import reassessment
        from .services import shortlist_guard

        shortlist_changing.connect(shortlist_guard, dispatch_uid="awards.shortlist_guard")
        register_actions(
            {
                "awards.notice_publish": _("Shortlist published for public notice"),
                "awards.objection_file": _("Objection filed"),
                "awards.objection_uphold": _("Objection upheld"),
                "awards.objection_dismiss": _("Objection dismissed"),
                "awards.naming_issue": _("Naming decision issued"),
                "awards.certificate_bundle_request": _("ZIP of the certificates requested"),
                "awards.revoke": _("Title revoked (摘牌)"),
                "awards.handback_record": _("Hand-back of the plaque and certificate recorded"),
                "awards.revocation_reverse": _("Revocation reversed"),
                "awards.feature_save": _("Typical example featured or edited"),
                "awards.feature_withdraw": _("Typical example taken down"),
            }
        )
        reassessment.register()
        register_detail_labels(
            {
                "notice_from": _("notice from"),
                "notice_until": _("notice until"),
                "teams": _("teams"),
                "phone": _("phone"),
                "reference": _("reference number"),
                "team": _("team"),
                "findings": _("findings"),
                "document_number": _("document number"),
                "first": _("first certificate number"),
                "last": _("last certificate number"),
                "certificates": _("certificates"),
                "certificate_numbers": _("certificate numbers"),
                "reason_details": _("details"),
                "revoked_on": _("revoked on"),
                "plaque_returned": _("plaque handed back"),
                "certificate_returned": _("certificate handed back"),
                "reversal_reason": _("reason for the reversal"),
                "certificate_number": _("certificate number"),
                "photos": _("photos"),
                "new": _("newly featured"),
            }
        )
