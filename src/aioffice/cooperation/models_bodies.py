"""The AI Board and the advisory bodies (Arts 65-68): the bodies and their sub-groups,
their members and terms, meetings with agendas, documents and minutes, and what the bodies
adopt (opinions, recommendations, rules of procedure) with their votes.

What a person's term lasts, how often it may be renewed and how many experts the panel may
have are the law's (aiact); each membership keeps the answer it was computed with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.cooperation.choices import (
    Adoption,
    BodyDocumentKind,
    BodyKind,
    ForumCategory,
    MeetingStatus,
    MinutesStatus,
    OpinionKind,
    SeatRole,
    VoteCast,
)
from aioffice.registry.choices import MEMBER_STATE_CHOICES
from aioffice.supervision.models import QualifiedAlert

USER = settings.AUTH_USER_MODEL


class Body(models.Model):
    """The Board, the advisory forum, the scientific panel, or a sub-group of the Board or
    the forum (`parent`)."""

    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="subgroups",
        null=True,
        blank=True,
        verbose_name=_("sub-group of"),
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    standing = models.BooleanField(
        _("standing sub-group"),
        default=False,
        help_text=_("The Board's two standing sub-groups (Art. 65(6))."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["kind", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["board_subgroup", "forum_subgroup"], parent__isnull=False)
                    | (~Q(kind__in=["board_subgroup", "forum_subgroup"]) & Q(parent__isnull=True))
                ),
                name="cooperation_body_subgroup_parent",
                violation_error_message=_("A sub-group has a parent body; a body has none."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One person's seat in a body: role, Member State, the forum's category, the panel's
    expertise and public declaration of interests, and the current term (end computed by
    aiact). `ended_on` set: no longer a member."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    person_name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        related_name="body_memberships",
        null=True,
        blank=True,
        verbose_name=_("aioffice account"),
    )
    role = models.CharField(_("role"), max_length=20, choices=SeatRole.choices)
    member_state = models.CharField(
        _("Member State"), max_length=2, choices=MEMBER_STATE_CHOICES, blank=True
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=ForumCategory.choices, blank=True
    )
    commercial = models.BooleanField(_("commercial interest"), null=True, blank=True)
    expertise = models.CharField(_("expertise"), max_length=300, blank=True)
    nationality = models.CharField(
        _("nationality"), max_length=2, blank=True, help_text=_("ISO 3166 country code.")
    )
    gender = models.CharField(
        _("gender"),
        max_length=20,
        blank=True,
        help_text=_("Optional; shown only as totals, for the panel's balance."),
    )
    declaration = models.TextField(_("declaration of interests"), blank=True)
    declaration_updated_at = models.DateTimeField(null=True, blank=True)
    term_start = models.DateField(_("term starts on"), null=True, blank=True)
    term_end = models.DateField(_("term ends on"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    renewable = models.BooleanField(_("renewable"), null=True, blank=True)
    rules_version = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "role", "member_state", "person_name", "id"]
        constraints = [
            # one representative per Member State in the Board at a time (Art. 65(2))
            models.UniqueConstraint(
                fields=["body", "member_state"],
                condition=Q(role="representative", ended_on__isnull=True),
                name="cooperation_membership_one_representative",
                violation_error_message=_(
                    "This Member State already has a representative in this body."
                ),
            ),
        ]
        indexes = [models.Index(fields=["body", "ended_on"])]

    def __str__(self) -> str:
        return f"membership {self.pk}"

    @property
    def active(self) -> bool:
        return self.ended_on is None


class Meeting(models.Model):
    """A meeting of a body, its agenda (`items`), its documents and its minutes."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    published = models.BooleanField(_("published"), default=False)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_status = models.CharField(
        _("minutes"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.NONE
    )
    minutes_published = models.BooleanField(_("minutes published"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["body", "published", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_published=False) | Q(minutes_status="approved"),
                name="cooperation_meeting_published_minutes_approved",
                violation_error_message=_("Only approved minutes are published."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("item"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Opinion(models.Model):
    """What a body adopted, how (consensus or vote, with the counts and, for the Board,
    each Member State's vote where recorded), and the majority the vote needed where one is
    required: for the Board's rules of procedure the law's (aiact's "board-vote" check,
    stored with `rules_version`, `reasons` and `citations`), otherwise as staff recorded it
    with its citation (see docs/design/cooperation.md)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="opinions")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="opinions",
        null=True,
        blank=True,
        verbose_name=_("meeting"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OpinionKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    alert = models.ForeignKey(
        QualifiedAlert,
        on_delete=models.PROTECT,
        related_name="board_opinions",
        null=True,
        blank=True,
        verbose_name=_("qualified alert"),
    )
    adopted_on = models.DateField(_("adopted on"))
    adoption = models.CharField(_("adopted"), max_length=10, choices=Adoption.choices)
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    # the majority a vote needed and how many could vote: aiact's for the Board's rules of
    # procedure (Art. 65(4)), else as staff recorded it; whether it was met (None: no majority)
    majority_numerator = models.PositiveSmallIntegerField(null=True, blank=True)
    majority_denominator = models.PositiveSmallIntegerField(null=True, blank=True)
    majority_citation = models.CharField(max_length=200, blank=True)
    entitled_to_vote = models.PositiveSmallIntegerField(null=True, blank=True)
    majority_met = models.BooleanField(_("majority reached"), null=True, blank=True)
    # aiact's answer where the law set the majority
    rules_version = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opinion or recommendation")
        verbose_name_plural = _("opinions and recommendations")
        ordering = ["-adopted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(alert__isnull=True) | Q(kind="alert_opinion"),
                name="cooperation_opinion_alert_kind",
                violation_error_message=_("Only an opinion on a qualified alert names one."),
            )
        ]

    def __str__(self) -> str:
        return self.subject


class StateVote(models.Model):
    """A Member State's vote on a Board opinion, where recorded."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="state_votes")
    member_state = models.CharField(_("Member State"), max_length=2, choices=MEMBER_STATE_CHOICES)
    vote = models.CharField(_("vote"), max_length=10, choices=VoteCast.choices)

    class Meta:
        ordering = ["opinion", "member_state"]
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "member_state"], name="cooperation_statevote_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_state}: {self.vote}"


def _document_path(instance: BodyDocument, filename: str) -> str:
    return f"cooperation/bodies/{timezone.now():%Y/%m}/{filename}"


class BodyDocument(models.Model):
    """A file of a body (rules of procedure), a meeting, a member's declaration of
    interests or an opinion, stored with its SHA-256; public or not."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=BodyDocumentKind.choices)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    opinion = models.ForeignKey(
        Opinion, on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=_document_path)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    public = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, related_name="+", null=True)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title
