"""The watch-list's API shapes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from aioffice.registry.watchlist import selectors
from aioffice.registry.watchlist.models import Match


class WatchlistImportOut(Schema):
    id: int
    original_name: str
    sha256: str
    size: int
    delimiter: str
    header: list[str]
    source_name: str
    source_url: str
    retrieved_on: date | None
    mapping: dict[str, str]
    status: str
    imported_by: str | None
    created_at: datetime
    imported_at: datetime | None
    as_of: date | None
    threshold_flop: float | None
    margin: Decimal | None
    basis: list[str]
    rules_version: str
    row_count: int
    error_row_count: int
    suggested_count: int

    @staticmethod
    def resolve_imported_by(obj: Any) -> str | None:
        return obj.imported_by.get_username() if obj.imported_by_id else None


class MatchOut(Schema):
    id: int
    row_id: int
    model_id: int | None
    version_id: int | None
    target: str
    provider: str
    score: Decimal
    why: str
    status: str
    decided_by: str | None
    decided_at: datetime | None

    @staticmethod
    def resolve_target(obj: Match) -> str:
        return selectors.target_label(obj)

    @staticmethod
    def resolve_provider(obj: Match) -> str:
        return selectors.target_provider(obj)

    @staticmethod
    def resolve_decided_by(obj: Match) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by is not None else None


class WatchlistRowOut(Schema):
    id: int
    number: int
    raw: dict[str, str]
    model_name: str
    organisation: str
    publication_date: date | None
    parameters: float | None
    training_compute_flop: float | None
    dataset_size: float | None
    estimation_method: str
    confidence: str
    errors: dict[str, str]
    band: str
    near: bool | None
    matches: list[MatchOut]

    @staticmethod
    def resolve_matches(obj: Any) -> list[Match]:
        return list(obj.matches.all())


class ImportRowsIn(Schema):
    """The column mapping of a staged import: our field -> the file's column."""

    mapping: dict[str, str]


class MatchIn(Schema):
    """A model or a version (one of the two) to match a row with by hand."""

    model_id: int | None = Field(None, ge=1, le=2**63 - 1)
    version_id: int | None = Field(None, ge=1, le=2**63 - 1)


class EntryOut(Schema):
    row_id: int
    import_id: int
    number: int
    model_name: str
    organisation: str
    training_compute_flop: float
    confidence: str
    band_on_import: str
    near_on_import: bool | None
    band_today: str
    near_today: bool | None
    reason: str
    matched: str
    provider: str
    pending_suggestions: int
