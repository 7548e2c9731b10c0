"""Sign-up for updates (double opt-in) and the messages staff send to subscribers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aioffice.portal.choices import BulletinStatus, DeliveryStatus, SubscriberStatus, Topic

USER = settings.AUTH_USER_MODEL


class ConsentText(models.Model):
    """A version of the consent text people agree to when they subscribe: stored once, and
    each subscriber points at the version they saw."""

    version = models.CharField(max_length=20, unique=True)
    text = models.TextField()
    valid_from = models.DateTimeField()

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.version


class Subscriber(models.Model):
    """A person who asked for the Office's updates by e-mail: pending until they confirm
    through the link sent to the address (double opt-in), then active until they
    unsubscribe. The address is never written to the audit trail, and it is erased when
    they unsubscribe: the row stays (the deliveries of sent messages count it) with the
    address's keyed digest, the record that this address withdrew its consent and when."""

    # empty once they unsubscribed (or a former subscriber's new sign-up lapsed)
    email = models.EmailField(_("e-mail"), blank=True)
    # HMAC-SHA-256 of the address under the site's secret (`services_updates.email_digest`):
    # one row per address, found again when the same address signs up anew
    email_digest = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=2, default="en")
    status = models.CharField(
        max_length=20, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    # the confirmation link: only its SHA-256, with its expiry; emptied once used
    confirm_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    confirm_expires_at = models.DateTimeField(null=True, blank=True)
    consent = models.ForeignKey(ConsentText, on_delete=models.PROTECT)
    consent_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="portal_subscriber_email_once"
            )
        ]

    def __str__(self) -> str:  # never the address (logs, error pages, the shell)
        return f"subscriber #{self.pk}"


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(max_length=30, choices=Topic.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "topic"], name="portal_subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} {self.topic}"


class Bulletin(models.Model):
    """A message staff write and send to the subscribers of its topics."""

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    topics = models.JSONField(_("topics"), default=list)
    # the site's address when the message was queued (the sender, a worker, has no request):
    # each subscriber's unsubscribe link is built on it
    site_url = models.URLField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    queued_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One bulletin to one subscriber: the unit that is sent at most once."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "subscriber"], name="portal_delivery_once")
        ]
        indexes = [models.Index(fields=["bulletin", "status"], name="portal_delivery_status")]

    def __str__(self) -> str:
        return f"{self.bulletin_id} → {self.subscriber_id}"
