"""Structured indicators a criterion may ask for: numbers, so that they can be summed and compared."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    QC_RESULTS = "qc_results", _("QC circle results")
    SMALL_INVENTIONS = "small_inventions", _("Small inventions")
    SMALL_CREATIONS = "small_creations", _("Small creations")
    SMALL_INNOVATIONS = "small_innovations", _("Small innovations")
    SMALL_DESIGNS = "small_designs", _("Small designs")
    SMALL_SUGGESTIONS = "small_suggestions", _("Small suggestions")
    PATENTS = "patents", _("Patents")
    ADOPTED_PROPOSALS = "adopted_proposals", _("Adopted rationalisation proposals")
    MENTOR_PAIRS = "mentor_pairs", _("Mentor-apprentice pairs")
    TRAINING_HOURS = "training_hours", _("Training hours")
    PROMOTED_MEMBERS = "promoted_members", _("Members promoted in skill grade")
    SAFE_DAYS = "safe_days", _("Days without a safety accident")
