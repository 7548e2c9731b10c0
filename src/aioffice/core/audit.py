"""Writing and verifying the audit trail.

`record()` is the only way an AuditEvent comes into being. Services call it inside their
own transaction, so the event and the change it describes are committed together or not
at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from aioffice.core.middleware import current_request_id
from aioffice.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str | None:
    """The stored and hashed text of a before/after value: dates, decimals and UUIDs as
    Django's JSON encoder writes them, keys sorted, no spaces. None stays None."""
    if value is None:
        return None
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def canonical_content(
    *,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    before_json: str | None,
    after_json: str | None,
    request_id: str,
    prev_hash: str,
) -> bytes:
    """The bytes an event's hash is computed over: sorted keys, no whitespace, UTC time."""
    content = {
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "before": before_json,
        "after": after_json,
        "request_id": request_id,
        "prev_hash": prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(
        canonical_content(
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            object_repr=event.object_repr,
            before_json=event.before_json,
            after_json=event.after_json,
            request_id=event.request_id,
            prev_hash=event.prev_hash,
        )
    ).hexdigest()


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    anonymous: bool = False,
) -> AuditEvent:
    """Append one event to the audit trail, in the caller's transaction.

    `actor` is a user or None (the system). `obj` fills the object fields from a model
    instance; they can also be given directly. `action` names what happened,
    "<app>.<object>.<verb>", e.g. "accounts.token.created".

    `anonymous` is for a step of someone who must stay unidentified (a whistleblower):
    no actor, no request id, and the day only (midnight UTC), so that the trail cannot be
    matched with logs that hold an address or a time.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    if anonymous:
        actor = None
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_label = actor.get_username() if actor is not None and actor_id is not None else "system"
    now = timezone.now()
    if anonymous:
        now = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=now,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:300],
            before_json=canonical_json(before),
            after_json=canonical_json(after),
            request_id="" if anonymous else current_request_id(),
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save()
        AuditChainHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the stored chain differs from what was written."""

    seq: int | None
    event_id: int | None
    kind: str  # "altered", "missing" or "moved"
    message: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None
    head_hash: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=2000)


def verify_chain(progress: Any = None) -> ChainReport:
    """Walk the chain in insertion order and name the first event that does not fit.

    - altered: the event's content no longer matches its own hash;
    - moved: the event is not where its sequence number says it belongs;
    - missing: an event before this one (or at the end of the chain) is gone.
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in _events():
        if event.seq != expected_seq:
            if event.seq > expected_seq and event.prev_hash != prev_hash:
                later = AuditEvent.objects.filter(seq=expected_seq).exists()
                if not later:
                    return ChainReport(
                        checked,
                        ChainProblem(
                            expected_seq,
                            None,
                            "missing",
                            f"event #{expected_seq} is missing: the chain jumps from "
                            f"#{expected_seq - 1} to #{event.seq}",
                        ),
                    )
            return ChainReport(
                checked,
                ChainProblem(
                    event.seq,
                    event.pk,
                    "moved",
                    f"event #{event.seq} (id {event.pk}) is out of place: "
                    f"expected #{expected_seq} at this position",
                ),
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                checked,
                ChainProblem(
                    event.seq,
                    event.pk,
                    "altered",
                    f"event #{event.seq} (id {event.pk}, {event.action}) was altered: "
                    "its content does not match its hash",
                ),
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                checked,
                ChainProblem(
                    event.seq,
                    event.pk,
                    "altered",
                    f"event #{event.seq} (id {event.pk}) does not link to the event before it",
                ),
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
        if progress is not None:
            progress(checked)
    head = AuditChainHead.objects.filter(id=1).first()
    head_seq = head.seq if head else 0
    if head_seq >= expected_seq:
        return ChainReport(
            checked,
            ChainProblem(
                expected_seq,
                None,
                "missing",
                f"event #{expected_seq} is missing: the chain ends at #{expected_seq - 1} "
                f"but #{head_seq} was written",
            ),
        )
    if head is not None and head.hash != prev_hash:
        return ChainReport(
            checked,
            ChainProblem(head_seq, None, "altered", f"the last event #{head_seq} was replaced"),
        )
    return ChainReport(checked, None, prev_hash if checked else "")
