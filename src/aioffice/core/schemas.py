from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema

# The largest id a database row can have (a signed 64-bit key): ids in paths, queries, forms
# and commands are bounded by it, so a larger one is a 404 or a field error, not an overflow.
MAX_ID = 2**63 - 1
# A row id in a path or a query: 1 to MAX_ID (a 422 naming it outside).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


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
