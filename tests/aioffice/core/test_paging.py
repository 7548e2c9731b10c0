"""core.paging: bounded page numbers, and a list serialised page by page."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from aioffice.core.paging import MAX_PAGE, MappedRows, Pagination


class Rows:
    """A stand-in for a queryset: counted and sliced, each call noted."""

    def __init__(self, items: list[int]) -> None:
        self.items = items
        self.calls: list[str] = []

    def count(self) -> int:
        self.calls.append("count")
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        self.calls.append(f"slice {index}")
        return self.items[index]


def test_only_the_page_is_serialised() -> None:
    rows = Rows(list(range(10)))
    mapped = MappedRows(rows, lambda n: {"n": n})
    assert len(mapped) == 10 and mapped.count() == 10
    assert mapped[2:4] == [{"n": 2}, {"n": 3}]
    assert mapped[5] == {"n": 5}
    assert rows.calls == ["count", "count", "slice slice(2, 4, None)", "slice 5"]


def test_a_page_number_is_bounded() -> None:
    assert Pagination.Input(page=MAX_PAGE, page_size=None).page == MAX_PAGE
    for page in (0, MAX_PAGE + 1):
        with pytest.raises(ValidationError):
            Pagination.Input(page=page, page_size=None)
