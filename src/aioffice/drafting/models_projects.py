"""Drafting projects: who drafts (chairs, vice-chairs, the Office's drafters), the working
groups and their members by category with declarations of interest, and the plenaries,
workshops and working-group meetings with agendas and minutes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.models import Organisation
from aioffice.drafting.choices import (
    MEMBER_CATEGORIES,
    LegalBasis,
    ProjectKind,
    ProjectStatus,
    Visibility,
)

USER = settings.AUTH_USER_MODEL


class Project(models.Model):
    """A code of practice, guideline, template, implementing or delegated act being drawn
    up. `gpai_code` marks the project whose chapters the registry's Code of Practice
    signatures follow (registry.codeofpractice)."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=ProjectKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    citation = models.CharField(_("provision"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PREPARING
    )
    public = models.BooleanField(_("shown on the public pages"), default=False)
    gpai_code = models.BooleanField(_("the GPAI Code of Practice"), default=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class RoleKind(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    DRAFTER = "drafter", _("Drafter (Office)")


class ProjectRole(models.Model):
    """A chair, vice-chair or drafter of a project (of one working group for a vice-chair
    where `working_group` is set), from `appointed_on` to `ended_on`."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="drafting_roles")
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    working_group = models.ForeignKey(
        "WorkingGroup",
        on_delete=models.PROTECT,
        related_name="roles",
        null=True,
        blank=True,
        verbose_name=_("working group"),
    )
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    independence_statement = models.TextField(_("statement of independence"), blank=True)
    appointed_on = models.DateField(_("appointed on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.user}"


class WorkingGroup(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="working_groups")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    mandate = models.TextField(_("mandate"), blank=True)

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="drafting_group_number")
        ]

    def __str__(self) -> str:
        return f"WG{self.number} {self.name}"


class Member(models.Model):
    """A participant in a working group, by category; `user` is their sign-in where they
    have one (members without an account take part through the Office). Left on
    `left_on`."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="drafting_memberships", null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=MEMBER_CATEGORIES)
    admitted_on = models.DateField(_("admitted on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["working_group", "category", "name", "id"]
        indexes = [models.Index(fields=["user", "working_group"])]

    def __str__(self) -> str:
        return self.name


class DeclarationOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet reviewed")
    NO_CONFLICT = "no_conflict", _("No conflict of interest")
    MANAGED = "managed", _("Conflict managed")
    EXCLUDED = "excluded", _("Excluded from the item concerned")


class Declaration(models.Model):
    """A member's or chair's declaration of interests, with its review by the Office."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="declarations", null=True, blank=True
    )
    role = models.ForeignKey(
        ProjectRole, on_delete=models.CASCADE, related_name="declarations", null=True, blank=True
    )
    declared_on = models.DateField(_("declared on"))
    interests = models.TextField(_("interests declared"))
    file = models.FileField(
        _("signed declaration"), upload_to="drafting/declarations/%Y/", blank=True
    )
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(
        _("review"),
        max_length=20,
        choices=DeclarationOutcome.choices,
        default=DeclarationOutcome.PENDING,
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-declared_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, role__isnull=True)
                | models.Q(member__isnull=True, role__isnull=False),
                name="drafting_declaration_of_one",
            )
        ]

    def __str__(self) -> str:
        return f"declaration of {self.declared_on}"


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    WORKSHOP = "workshop", _("Workshop")
    WORKING_GROUP = "working_group", _("Working-group meeting")


class Meeting(models.Model):
    """A plenary, workshop or working-group meeting; its agenda and minutes are text (and
    files in `MeetingDocument`); the minutes are shown to whom `visibility` names once
    `minutes_published_on` is set."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="meetings", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published_on = models.DateField(_("minutes published on"), null=True, blank=True)
    visibility = models.CharField(
        _("visible to"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.WORKING_GROUPS,
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=2, default="en")
    file = models.FileField(_("file"), upload_to="drafting/meetings/%Y/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["meeting", "title", "id"]

    def __str__(self) -> str:
        return self.title
