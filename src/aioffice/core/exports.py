"""CSV export of lists: one way for every list of the API and the pages.

The convention (docs/architecture.md): every list route `GET /…/things` has a sibling
`GET /…/things.csv` with the same filters and the same access rule, not paginated, streamed
row by row from an iterator so that a long list costs memory for one row at a time. Pages
link to the same export. Cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value: Any) -> str:
    """One value as CSV text: ISO dates, plain decimals, empty for None, no formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float | Decimal | int):
        return str(value)  # numbers may start with "-": they are data, not formulas
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_rows(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download; `rows` should be lazy (a generator over `.iterator()`)."""
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
