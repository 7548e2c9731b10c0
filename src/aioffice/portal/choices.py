"""Choices of the public portal. Labels are translated; the stored values are not."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The official languages of the Union (ISO 639-1), for documents published in them.
EU_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("bg", "български"), ("cs", "čeština"), ("da", "dansk"), ("de", "Deutsch"),
    ("el", "ελληνικά"), ("en", "English"), ("es", "español"), ("et", "eesti"),
    ("fi", "suomi"), ("fr", "français"), ("ga", "Gaeilge"), ("hr", "hrvatski"),
    ("hu", "magyar"), ("it", "italiano"), ("lt", "lietuvių"), ("lv", "latviešu"),
    ("mt", "Malti"), ("nl", "Nederlands"), ("pl", "polski"), ("pt", "português"),
    ("ro", "română"), ("sk", "slovenčina"), ("sl", "slovenščina"), ("sv", "svenska"),
)  # fmt: skip


class GuidanceKind(models.TextChoices):
    GUIDELINES = "guidelines", _("Guidelines")
    TEMPLATE = "template", _("Template")
    CODE_OF_PRACTICE = "code_of_practice", _("Code of practice")
    FAQ = "faq", _("Questions and answers")
    FACTSHEET = "factsheet", _("Factsheet")
    OTHER = "other", _("Other document")


class Topic(models.TextChoices):
    """What people can subscribe to, and what guidance and news are filed under."""

    GPAI = "gpai", _("General-purpose AI models")
    CODE_OF_PRACTICE = "code_of_practice", _("Codes of practice")
    GUIDANCE = "guidance", _("Guidance and templates")
    ENFORCEMENT = "enforcement", _("Supervision and enforcement")
    AI_LITERACY = "ai_literacy", _("AI literacy")
    SANDBOXES = "sandboxes", _("Sandboxes and innovation support")
    JOBS = "jobs", _("Jobs at the AI Office")
    EVENTS = "events", _("Events and consultations")


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    ACTIVE = "active", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Stopped with failures")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CLAIMED = "claimed", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Refused by the mail server")
    UNKNOWN = "unknown", _("Unknown: the sender stopped while sending")
    SKIPPED = "skipped", _("Not sent: unsubscribed before sending")


class ContractType(models.TextChoices):
    TEMPORARY_AGENT = "temporary_agent", _("Temporary agent")
    CONTRACT_AGENT = "contract_agent", _("Contract agent")
    SECONDED_NATIONAL_EXPERT = "seconded_national_expert", _("Seconded national expert")
    TRAINEE = "trainee", _("Traineeship")
    OFFICIAL = "official", _("Permanent official")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    RESERVE_LIST = "reserve_list", _("On the reserve list")
    NOT_RETAINED = "not_retained", _("Not retained")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnquiryStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed without answer")


class Sector(models.TextChoices):
    PUBLIC_ADMINISTRATION = "public_administration", _("Public administration")
    HEALTH = "health", _("Health and care")
    EDUCATION = "education", _("Education and training")
    FINANCE = "finance", _("Finance and insurance")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    ICT = "ict", _("Information and communication")
    RETAIL = "retail", _("Retail and consumer services")
    TRANSPORT = "transport", _("Transport and logistics")
    ENERGY = "energy", _("Energy and utilities")
    MEDIA = "media", _("Media and culture")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    RESEARCH = "research", _("Research")
    OTHER = "other", _("Other sector")


class OrganisationSize(models.TextChoices):
    """The Commission Recommendation 2003/361/EC size classes, plus public bodies."""

    MICRO = "micro", _("Micro enterprise (fewer than 10 people)")
    SMALL = "small", _("Small enterprise (fewer than 50 people)")
    MEDIUM = "medium", _("Medium-sized enterprise (fewer than 250 people)")
    LARGE = "large", _("Large enterprise")
    PUBLIC_BODY = "public_body", _("Public body")
    NON_PROFIT = "non_profit", _("Non-profit organisation")


class SupportKind(models.TextChoices):
    SANDBOX = "sandbox", _("AI regulatory sandbox")
    TEF = "tef", _("Testing and experimentation facility")
    EDIH = "edih", _("European digital innovation hub")
    AI_FACTORY = "ai_factory", _("AI factory")
    OTHER = "other", _("Other support structure")
