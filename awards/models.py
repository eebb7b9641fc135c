"""Public notice (公示) of a campaign's shortlist with the objections (异议) filed against it, and the
naming decision (命名) with the titles it confers and their certificate numbers. The registry,
certificates' files and revocation (动态管理) build on these."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import CachedChoiceLabels
from teams.models.files import StoredFile

PHONE_MAX_LENGTH = 20
FACTS_MAX_LENGTH = 2000
FINDINGS_MAX_LENGTH = 2000
REVOCATION_TEXT_MAX_LENGTH = 1000


class PublicNotice(CachedChoiceLabels, models.Model):
    """The shortlist published for N working days, with where objections go. One per campaign by its
    organiser; where the campaign has a two-level notice (两级公示), one before it by each recommending
    union for the teams it recommended."""

    class Stage(models.TextChoices):
        RECOMMENDING = "recommending", _("Recommending union's notice")
        ORGANISER = "organiser", _("Organiser's notice")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="public_notices", editable=False
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.ORGANISER, editable=False)
    unit = models.ForeignKey(
        "accounts.UnionUnit", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    starts_on = models.DateField(_("notice from"), editable=False)
    ends_on = models.DateField(_("notice until"), editable=False)
    working_days = models.PositiveSmallIntegerField(_("working days"), editable=False)
    contact_phone = models.CharField(_("phone for objections"), max_length=PHONE_MAX_LENGTH)
    contact_address = models.CharField(_("address for objections"), max_length=200)
    show_leader_names = models.BooleanField(_("show the team leaders' names"), default=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), editable=False)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="notice_period_in_order"),
            models.UniqueConstraint(fields=["campaign", "unit"], name="one_notice_per_campaign_unit"),
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(stage="organiser"), name="one_organiser_notice_per_campaign"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.starts_on}–{self.ends_on}"


class NoticeEntry(CachedChoiceLabels, models.Model):
    """One shortlisted team as the public notice shows it: what it said when the notice was published
    (no personal data beyond the leader's name, and that only where the organiser chose it)."""

    class State(models.TextChoices):
        LISTED = "listed", _("On the notice")
        WITHDRAWN = "withdrawn", _("Taken off after an objection")

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="entries", editable=False)
    application = models.ForeignKey(
        "teams.Application", on_delete=models.PROTECT, related_name="notice_entries", editable=False
    )
    order = models.PositiveIntegerField(_("order"), editable=False)
    team_name = models.CharField(_("team"), max_length=100, editable=False)
    enterprise = models.CharField(_("enterprise"), max_length=100, editable=False)
    union_name = models.CharField(_("grassroots union"), max_length=100, editable=False)
    region = models.CharField(_("region"), max_length=50, blank=True, editable=False)
    summary = models.TextField(_("summary"), blank=True, editable=False)
    leader_names = models.CharField(_("team leaders"), max_length=200, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.LISTED)

    class Meta:
        verbose_name = _("team on a public notice")
        verbose_name_plural = _("teams on a public notice")
        ordering = ["notice", "order"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "application"], name="one_entry_per_notice_application"),
        ]

    def __str__(self) -> str:
        return self.team_name


class Objection(CachedChoiceLabels, models.Model):
    """A real-name objection (异议) to a team on the notice, and how the organiser's staff settled it.
    The objector's identity is for the handling staff and auditors only."""

    class State(models.TextChoices):
        INVESTIGATING = "investigating", _("Being investigated")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections", editable=False)
    entry = models.ForeignKey(NoticeEntry, on_delete=models.PROTECT, related_name="objections", editable=False)
    reference = models.CharField(_("reference number"), max_length=30, unique=True, editable=False)
    name = models.CharField(_("real name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=100)
    phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH)
    facts = models.TextField(_("facts"), max_length=FACTS_MAX_LENGTH)
    attachment = models.FileField(_("attachment"), upload_to="objections/%Y/%m/", blank=True, editable=False)
    attachment_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    attachment_type = models.CharField(max_length=100, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.INVESTIGATING, editable=False
    )
    findings = models.TextField(_("findings"), max_length=FINDINGS_MAX_LENGTH, blank=True, editable=False)
    filed_at = models.DateTimeField(_("filed at"), editable=False)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["filed_at", "id"]
        indexes = [models.Index(fields=["notice", "state"], name="objection_notice_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="investigating") | (~Q(findings="") & Q(decided_at__isnull=False)),
                name="objection_decided_with_findings",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class NamingDecision(CachedChoiceLabels, models.Model):
    """The organiser's naming decision (命名决定) of a campaign: one per campaign."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City")
        INDUSTRY = "industry", _("Industry")
        ENTERPRISE = "enterprise", _("Enterprise")

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="naming_decision", editable=False
    )
    document_number = models.CharField(_("document number"), max_length=50)
    decided_on = models.DateField(_("date of the decision"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    title = models.CharField(_("title conferred"), max_length=100)
    text = models.TextField(_("text of the decision"), max_length=5000)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), editable=False)

    class Meta:
        verbose_name = _("naming decision")
        verbose_name_plural = _("naming decisions")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.document_number


class Title(CachedChoiceLabels, models.Model):
    """A title a team holds by a naming decision, with its certificate number."""

    class State(models.TextChoices):
        NAMED = "named", _("Named")
        REVOKED = "revoked", _("Revoked")

    decision = models.ForeignKey(NamingDecision, on_delete=models.PROTECT, related_name="titles", editable=False)
    application = models.OneToOneField(
        "teams.Application", on_delete=models.PROTECT, related_name="title", editable=False
    )
    team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="titles", editable=False)
    certificate_number = models.CharField(_("certificate number"), max_length=30, unique=True, editable=False)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NAMED, editable=False)
    # The standing revocation's date and reason (kept by awards.services.revoke / revocation_reverse
    # from the Revocation rows, which are the history): the registry shows them without a join.
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True, editable=False)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=30, blank=True, editable=False)
    # The registry's (名录) columns as they stood on the day of the decision: the honour was conferred
    # on the team by that name, of that enterprise, whatever it is called later.
    team_name = models.CharField(_("team"), max_length=100, editable=False)
    team_sort = models.CharField(max_length=300, editable=False)
    enterprise = models.CharField(_("enterprise"), max_length=100, editable=False)
    region = models.CharField(_("region"), max_length=50, blank=True, editable=False)
    industry = models.CharField(_("industry"), max_length=1, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    level = models.CharField(_("level"), max_length=20, choices=NamingDecision.Level.choices, editable=False)
    # Lower-case text the registry's search matches by substring: the names, their pinyin and its
    # initials (so that "zmt" finds 赵梦桃小组).
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("named title")
        verbose_name_plural = _("named titles")
        ordering = ["certificate_number"]
        indexes = [
            models.Index(fields=["year", "team_sort"], name="title_year_team"),
            models.Index(fields=["team_sort", "id"], name="title_team_sort"),
            # The registry's cache version reads the few revoked titles without scanning the others.
            models.Index(fields=["id"], condition=Q(state="revoked"), name="title_revoked"),
            # The registry's order (awards.selectors.registry_titles).
            models.Index(fields=["-year", "team_sort", "id"], name="title_registry_order"),
        ]

    def __str__(self) -> str:
        return self.certificate_number

    @property
    def is_revoked(self) -> bool:
        return self.state == self.State.REVOKED

    def get_revocation_reason_display(self) -> str:
        return Revocation.Reason(self.revocation_reason).label if self.revocation_reason else ""


class Revocation(CachedChoiceLabels, models.Model):
    """A title revoked (摘牌) by the organiser: the reason from the list, the document, whether the
    plaque and the certificate were handed back. Never deleted: a revocation made in error is reversed
    with a reason, and both stay in the title's history."""

    class Reason(models.TextChoices):
        FAILED_REASSESSMENT = "failed_reassessment", _("Failed the re-assessment")
        FRAUD = "fraud", _("Fraud in the application")
        ACCIDENT = "accident", _("Serious safety or quality accident")
        NO_RESULTS = "no_results", _("No results for years")
        DISSOLVED = "dissolved", _("The team was dissolved")
        OTHER = "other", _("Other")

    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="revocations", editable=False)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices, editable=False)
    details = models.TextField(_("details"), max_length=REVOCATION_TEXT_MAX_LENGTH, blank=True, editable=False)
    document_number = models.CharField(_("document number"), max_length=50, editable=False)
    revoked_on = models.DateField(_("revoked on"), editable=False)
    plaque_returned = models.BooleanField(_("plaque handed back"), default=False, editable=False)
    certificate_returned = models.BooleanField(_("certificate handed back"), default=False, editable=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("recorded at"), editable=False)
    # How many titles were revoked in the same step, with this one (a batch shares its reason).
    batch_size = models.PositiveIntegerField(_("titles in the same step"), default=1, editable=False)
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True, editable=False)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    reversal_reason = models.TextField(
        _("reason for the reversal"), max_length=REVOCATION_TEXT_MAX_LENGTH, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")
        ordering = ["-revoked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["title"], condition=Q(reversed_at__isnull=True), name="one_standing_revocation_per_title"
            ),
            models.CheckConstraint(condition=~Q(reason="other") | ~Q(details=""), name="revocation_other_has_details"),
            models.CheckConstraint(
                condition=Q(reversed_at__isnull=True, reversal_reason="")
                | (Q(reversed_at__isnull=False) & ~Q(reversal_reason="")),
                name="revocation_reversed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_id} {self.reason} {self.revoked_on}"

    @property
    def is_standing(self) -> bool:
        return self.reversed_at is None


class CertificateBundle(CachedChoiceLabels, models.Model):
    """All of a decision's certificates in one ZIP, built by a Celery task (awards.tasks) that counts
    its progress here, for the page to show while it runs."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    decision = models.ForeignKey(NamingDecision, on_delete=models.CASCADE, related_name="bundles", editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), editable=False)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED, editable=False)
    total = models.PositiveIntegerField(_("certificates"), default=0, editable=False)
    done = models.PositiveIntegerField(_("certificates built"), default=0, editable=False)
    file = models.FileField(upload_to="certificates/", blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, editable=False)
    error = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("certificate bundle")
        verbose_name_plural = _("certificate bundles")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.requested_at:%Y-%m-%d %H:%M}"


class CertificateCounter(models.Model):
    """The last certificate number given for one prefix and year: locked while a decision numbers its
    titles, so that numbers never repeat and a decision's are consecutive."""

    prefix = models.CharField(max_length=10, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    last = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


# --- Re-assessment (复核): no title is for life ----------------------------------------------------

REASSESSMENT_OPINION_MAX_LENGTH = 1000
REASSESSMENT_STATEMENT_MAX_LENGTH = 1500


class Reassessment(CachedChoiceLabels, models.Model):
    """A re-assessment (复核) of named titles by an organiser: the teams report against the criteria
    by one deadline, each level of the union tree gives its view, and the organiser concludes each
    title passed, failed or not reported. The failed go on to revocation (摘牌), by hand."""

    class State(models.TextChoices):
        RUNNING = "running", _("Re-assessment running")
        CONCLUDED = "concluded", _("Concluded")

    organiser = models.ForeignKey(
        "accounts.UnionUnit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=50)
    scope = models.TextField(_("scope"), max_length=500, help_text=_("Which titles, in words, for the record."))
    # None: each title reports against the criteria of the campaign that named it.
    criteria_campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("criteria of the campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    report_deadline = models.DateTimeField(_("report deadline"))
    # Until when the levels decide and the organiser concludes; a report returned for revision may
    # be submitted again until then too.
    review_deadline = models.DateTimeField(_("review deadline"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RUNNING, editable=False)
    item_count = models.PositiveIntegerField(_("titles"), default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started at"), editable=False)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("re-assessment")
        verbose_name_plural = _("re-assessments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_deadline__gte=models.F("report_deadline")), name="reassessment_deadlines_in_order"
            ),
            models.UniqueConstraint(
                fields=["organiser", "document_number"], name="one_reassessment_per_organiser_document"
            ),
        ]
        indexes = [models.Index(fields=["organiser", "state"], name="reassessment_organiser")]

    def __str__(self) -> str:
        return self.title


class ReassessmentItem(CachedChoiceLabels, models.Model):
    """One title in a re-assessment: the team's report (statements and evidence per criterion, frozen
    as a version at each submission), where it waits in the union tree, and the organiser's conclusion."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFT = "draft", _("Being written")
        WAITING = "waiting", _("Waiting for a decision")
        RETURNED = "returned", _("Returned for revision")
        CONCLUDED = "concluded", _("Concluded")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed the re-assessment")
        FAILED = "failed", _("Failed the re-assessment")
        NOT_REPORTED = "not_reported", _("Not reported by the deadline")

    reassessment = models.ForeignKey(Reassessment, on_delete=models.CASCADE, related_name="items", editable=False)
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="reassessment_items", editable=False)
    team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="+", editable=False)
    # The criteria the team reports against: the re-assessment's campaign's, else the naming campaign's.
    criteria_campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    team_sort = models.CharField(max_length=300, editable=False, default="")
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NOT_STARTED, editable=False
    )
    # Where it waits (or which unit returned it, or decided on it last).
    unit = models.ForeignKey(
        "accounts.UnionUnit",
        verbose_name=_("at unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveSmallIntegerField(_("version"), default=0, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("result of the re-assessment"), max_length=20, choices=Outcome.choices, blank=True, editable=False
    )
    conclusion = models.TextField(
        _("conclusion"), max_length=REASSESSMENT_OPINION_MAX_LENGTH, blank=True, editable=False
    )
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("title under re-assessment")
        verbose_name_plural = _("titles under re-assessment")
        ordering = ["reassessment", "team_sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reassessment", "title"], name="one_item_per_reassessment_title"),
            models.CheckConstraint(
                condition=(Q(state="concluded") & ~Q(outcome="") & ~Q(conclusion=""))
                | (~Q(state="concluded") & Q(outcome="")),
                name="reassessment_item_concluded_with_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(state="waiting") | (Q(unit__isnull=False) & Q(version__gte=1)),
                name="reassessment_item_waits_somewhere",
            ),
        ]
        indexes = [
            # The staff's queue: what waits at a unit, in team order.
            models.Index(fields=["unit", "state", "team_sort", "id"], name="reassessment_queue"),
            models.Index(fields=["team", "state"], name="reassessment_item_team"),
            # The organiser's page of a re-assessment: its items in team order, a page at a time (without
            # it PostgreSQL joins every team to sort the thousands of items of a province's).
            models.Index(fields=["reassessment", "team_sort", "id"], name="reassessment_item_order"),
        ]

    def __str__(self) -> str:
        return f"{self.reassessment_id} {self.title_id}"


class ReassessmentAnswer(models.Model):
    """What the team says against one criterion in its re-assessment report."""

    item = models.ForeignKey(ReassessmentItem, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey("campaigns.Criterion", on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(_("statement"), max_length=REASSESSMENT_STATEMENT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("statement of a re-assessment report")
        verbose_name_plural = _("statements of re-assessment reports")
        constraints = [
            models.UniqueConstraint(fields=["item", "criterion"], name="one_reassessment_answer_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.criterion_id}"


class ReassessmentEvidence(StoredFile):
    """An evidence file of a re-assessment report, stored like an application's (teams.files: under the
    team, by its hash)."""

    item = models.ForeignKey(ReassessmentItem, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey("campaigns.Criterion", on_delete=models.PROTECT, related_name="+")
    ledger_entry = models.ForeignKey(
        "teams.LedgerEntry",
        verbose_name=_("from the ledger entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence of a re-assessment report")
        verbose_name_plural = _("evidence of re-assessment reports")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "criterion", "sha256"], name="reassessment_file_once_per_criterion"
            ),
        ]


class ReassessmentVersion(models.Model):
    """A re-assessment report as submitted: the statements and the evidence with hashes. Never changed."""

    item = models.ForeignKey(ReassessmentItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("submitted re-assessment report")
        verbose_name_plural = _("submitted re-assessment reports")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="one_reassessment_version_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"

    def evidence_hashes(self) -> set[str]:
        return {e["sha256"] for criterion in self.content["criteria"] for e in criterion["evidence"]}


class ReassessmentDecision(CachedChoiceLabels, models.Model):
    """One level's opinion on a submitted report: pass or fail (it goes up with the opinion; at the
    organiser, the conclusion), or return for revision. Never changed."""

    class Kind(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        RETURN = "return", _("Return for revision")

    item = models.ForeignKey(ReassessmentItem, on_delete=models.CASCADE, related_name="decisions", editable=False)
    unit = models.ForeignKey(
        "accounts.UnionUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    level = models.PositiveSmallIntegerField(_("level"), editable=False)
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices, editable=False)
    opinion = models.TextField(_("opinion"), max_length=REASSESSMENT_OPINION_MAX_LENGTH, editable=False)
    version = models.PositiveSmallIntegerField(_("on version"), editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), editable=False)

    class Meta:
        verbose_name = _("re-assessment opinion")
        verbose_name_plural = _("re-assessment opinions")
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(opinion=""), name="reassessment_decision_has_opinion"),
            models.CheckConstraint(condition=Q(level__gte=1), name="reassessment_decision_level_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} @ {self.unit_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A re-assessment opinion is a record: it is never changed.")
        super().save(*args, **kwargs)


HEADLINE_MAX_LENGTH = 60
STORY_MAX_LENGTH = 3000
FEATURE_PHOTOS_MAX = 6


class Feature(models.Model):
    """A named team held up as a typical example (典型) in the public showcase: a headline, a short
    story (rich text, cleaned by awards.showcase on save) and photos from the team's ledger. The
    organiser's staff feature a team and take a feature down; a feature is never deleted. The
    showcase shows only standing features of titles still named: a revoked title leaves it at once."""

    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="features", editable=False)
    headline = models.CharField(_("headline"), max_length=HEADLINE_MAX_LENGTH, blank=True)
    story = models.TextField(_("story"))
    photos = models.ManyToManyField(
        "teams.LedgerAttachment", through="FeaturePhoto", related_name="+", verbose_name=_("photos")
    )
    featured_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    featured_at = models.DateTimeField(_("featured at"), editable=False)
    # Every save and the withdrawal stamp it: the showcase's cache version reads it.
    updated_at = models.DateTimeField(_("updated at"), editable=False)
    withdrawn_at = models.DateTimeField(_("taken down at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("typical example")
        verbose_name_plural = _("typical examples")
        ordering = ["-featured_at", "-id"]
        indexes = [
            # The showcase's order, over the standing features only.
            models.Index(
                fields=["-featured_at", "-id"], condition=Q(withdrawn_at__isnull=True), name="feature_standing_order"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["title"], condition=Q(withdrawn_at__isnull=True), name="one_standing_feature_per_title"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="feature_withdrawn_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.headline or self.title.team_name

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None


class FeaturePhoto(models.Model):
    """A photo of a feature: an image attachment of the team's ledger, in the feature's order. A
    photo the team deletes from its ledger leaves the feature with it."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="feature_photos")
    attachment = models.ForeignKey("teams.LedgerAttachment", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("photo of a typical example")
        verbose_name_plural = _("photos of typical examples")
        ordering = ["feature", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "attachment"], name="feature_photo_once"),
        ]

    def __str__(self) -> str:
        return f"{self.feature_id} {self.order}"
