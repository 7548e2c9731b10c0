"""The audit trail: an append-only, hash-chained record of every change and decision."""

from __future__ import annotations

import json
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("audit events are never updated")

    def delete(self) -> NoReturn:
        raise TypeError("audit events are never deleted")


class AuditEvent(models.Model):
    """One thing that happened: who did what to which object, before and after.

    Each event stores the SHA-256 of its canonical content (`hash`) and the hash of the
    event before it (`prev_hash`); `seq` numbers the chain without gaps. The application
    only ever inserts: `aioffice audit verify` finds any event that was altered, removed
    or moved.
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        editable=False,
    )
    actor_label = models.CharField(max_length=200, editable=False)
    action = models.CharField(max_length=120, db_index=True, editable=False)
    object_type = models.CharField(max_length=120, blank=True, editable=False)
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    object_repr = models.CharField(max_length=300, blank=True, editable=False)
    # Canonical JSON text (sorted keys, no spaces), not a JSON column: the hash covers these
    # exact characters, and a JSON column would rewrite them (PostgreSQL's jsonb turns
    # 3.8e+25 into 38000000000000000000000000).
    # NULL means "no such side" (nothing before a creation), unlike the JSON text "null".
    before_json = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001
    after_json = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001
    request_id = models.CharField(max_length=64, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]  # a manager from the queryset

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("audit events are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("audit events are never deleted")

    @property
    def before(self) -> Any:
        """The object before the change, as JSON values (None when it was created)."""
        return None if self.before_json is None else json.loads(self.before_json)

    @property
    def after(self) -> Any:
        """The object after the change, as JSON values (None when it was removed)."""
        return None if self.after_json is None else json.loads(self.after_json)


class AuditChainHead(models.Model):
    """The single row that holds the end of the audit chain.

    Appending locks this row first, so concurrent writers queue up and the chain stays
    linear; it also lets `audit verify` notice events cut from the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="core_auditchainhead_single_row")
        ]

    def __str__(self) -> str:
        return f"audit chain head at #{self.seq}"


class RateCounter(models.Model):
    """How many requests one key made in one window, for `aioffice.core.ratelimit`.

    In the database rather than in a per-process cache, so that every worker of the site
    counts the same requests. The key is a SHA-256, never an address in clear."""

    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="core_ratecounter_one_per_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="core_ratecounter_window")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]} {self.count}"


class SemanticVector(models.Model):
    """The embedding of one object's text (`corpus` names the kind of object: "drafting.
    feedback", "portal.guidance", "supervision.complaint"...) by one model, with the
    SHA-256 of the text it was made from, so that changed text is embedded again. The
    vector is float32, L2-normalised, stored as bytes (see `aioffice.core.semantic`)."""

    corpus = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    model = models.CharField(max_length=80)
    text_sha256 = models.CharField(max_length=64)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["corpus", "model", "object_id"], name="core_semantic_vector_once"
            )
        ]
        # the index's freshness check (the latest updated_at of a corpus) reads only this
        indexes = [models.Index(fields=["corpus", "model", "updated_at"], name="core_semvec_fresh")]

    def __str__(self) -> str:
        return f"{self.corpus}:{self.object_id} ({self.model})"
