from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    established_in_union: bool


class MembershipOut(Schema):
    organisation: OrganisationOut
    role: str


class MeOut(Schema):
    username: str
    email: str
    is_office_staff: bool
    memberships: list[MembershipOut]


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    status: str


class ApiTokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    expires_at: datetime | None = Field(
        None, description="When the token stops working; at most the configured maximum."
    )


class ApiTokenCreatedOut(ApiTokenOut):
    secret: str = Field(description="Shown once; only its hash is kept.")
