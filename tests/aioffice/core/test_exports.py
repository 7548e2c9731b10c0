"""CSV exports: values written the same way everywhere, formulas neutralised, streamed."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from aioffice.core.exports import csv_cell, csv_response


def test_cells_are_plain_text_and_never_formulas() -> None:
    assert csv_cell(None) == ""
    assert csv_cell(True) == "true"
    assert csv_cell(date(2026, 8, 2)) == "2026-08-02"
    assert csv_cell(Decimal("-0.30")) == "-0.30"
    assert csv_cell(3e25) == "3e+25"
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("Model, with comma") == "Model, with comma"


def test_the_response_streams_a_header_and_rows() -> None:
    rows = ((n, f"name {n}") for n in range(3))
    response = csv_response("things.csv", ["id", "name"], rows)
    assert response["Content-Disposition"] == 'attachment; filename="things.csv"'
    text = b"".join(response.streaming_content).decode()  # type: ignore[arg-type]
    assert list(csv.reader(io.StringIO(text))) == [
        ["id", "name"],
        ["0", "name 0"],
        ["1", "name 1"],
        ["2", "name 2"],
    ]
