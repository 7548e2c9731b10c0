"""The API's page numbers, and lists serialised page by page.

`Pagination` is ninja's page-number pagination with an upper bound on the page (a larger
number is a 422 naming `page`, not a database error); `MappedRows` hands the paginator a
queryset that it counts and slices, turning only the page's rows into dicts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class Pagination(PageNumberPagination):
    """Page numbers as everywhere in the API, with an upper bound (422 above it)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


class MappedRows:
    """A queryset seen through a serialiser `out`: the paginator counts and slices it."""

    def __init__(self, rows: Any, out: Callable[[Any], dict[str, Any]]) -> None:
        self.rows = rows
        self.out = out

    def count(self) -> int:
        return int(self.rows.count())

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self.out(row) for row in self.rows[index]]
        return self.out(self.rows[index])
