from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class AuditEventOut(Schema):
    seq: int
    occurred_at: datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any
    after: Any
    request_id: str
    hash: str
    prev_hash: str
