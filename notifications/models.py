"""The notifications' own tables: the in-app inbox, the e-mail outbox, each person's preferences, and
the log of deadline reminders sent (whose unique key makes every reminder go out once)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import CachedChoiceLabels


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # What it is about, as a code ("teams.application_returned"): the preferences and the mail read it.
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    essential = models.BooleanField(_("essential"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The e-mail that carried it: set when it is mailed at once or gathered into a daily digest; a
    # notification of someone who takes the daily digest waits here with none until the digest.
    email = models.ForeignKey(
        "OutboundEmail",
        verbose_name=_("e-mail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The inbox page: a recipient's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The bell: a recipient's unread count walks only the unread rows.
            models.Index(fields=["recipient"], name="notification_unread", condition=models.Q(read_at__isnull=True)),
            # The daily digest: what has not been mailed yet.
            models.Index(fields=["recipient", "created_at"], name="notification_unmailed", condition=Q(email=None)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(CachedChoiceLabels, models.Model):
    """How one person wants to hear: every notification mailed at once, or one e-mail a day; and the
    kinds of non-essential notification they muted. Someone without a row has the defaults."""

    class Mail(models.TextChoices):
        IMMEDIATE = "immediate", _("An e-mail for each notification")
        DAILY = "daily", _("One e-mail a day with everything new")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    mail = models.CharField(_("e-mail"), max_length=20, choices=Mail.choices, default=Mail.IMMEDIATE)
    muted = models.JSONField(_("muted kinds"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id} {self.mail}"


class OutboundEmail(CachedChoiceLabels, models.Model):
    """One e-mail to one address, rendered when it was queued: queued → sending → sent, or failed
    after its last attempt (staff may queue it again)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.EmailField(_("address"))
    kind = models.CharField(_("kind"), max_length=64)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    # When a queued e-mail may be tried next (after a temporary failure, the backoff's moment).
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # When the current attempt began: an e-mail left "sending" long after this lost its worker.
    attempt_started_at = models.DateTimeField(_("attempt started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep: what is due to be (re)tried, or stuck sending.
            models.Index(fields=["next_attempt_at"], name="outbox_due", condition=Q(state__in=["queued", "sending"])),
            models.Index(fields=["state", "-created_at"], name="outbox_state"),
        ]

    def __str__(self) -> str:
        return f"{self.to} {self.subject}"


class ReminderLog(models.Model):
    """One deadline reminder given to one person about one object at one threshold. Its unique key —
    person, what the deadline is, the object, the deadline and the threshold — is what makes a reminder
    go out exactly once, whoever runs the sweep and however often."""

    class Deadline(models.TextChoices):
        APPLICATION = "application", _("Application deadline")
        RESUBMISSION = "resubmission", _("Resubmission deadline")
        RECOMMENDATION = "recommendation", _("Recommendation deadline")
        REVIEW = "review", _("Expert review deadline")
        NOTICE_END = "notice_end", _("End of the public notice")
        REASSESSMENT_REPORT = "reassessment_report", _("Re-assessment report deadline")
        REASSESSMENT_REVIEW = "reassessment_review", _("Re-assessment review deadline")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="+"
    )
    deadline_kind = models.CharField(_("deadline"), max_length=20, choices=Deadline.choices)
    # The object the person owes an action on: an application, a unit's queue, an expert's reviews in
    # the campaign, a public notice, a title's re-assessment (its kind follows from the deadline's).
    object_id = models.PositiveBigIntegerField(_("object"))
    deadline = models.DateTimeField(_("deadline"))
    threshold = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "deadline_kind", "object_id", "deadline", "threshold"],
                name="one_reminder_per_person_object_deadline_threshold",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "-sent_at"], name="reminder_campaign")]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.deadline_kind} {self.object_id} −{self.threshold}d"
