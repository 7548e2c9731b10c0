"""Reading a CSV of compute estimates: dialect, header, column mapping and cell values.

Pure functions over text; the service stores what they return. A cell that cannot be
parsed gives a message for its field, never an exception: the row is kept with it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from aioffice.registry.watchlist.choices import REQUIRED_FIELDS, Field

# Cells that say "no figure" rather than a wrong one.
MISSING = frozenset(
    {"", "unknown", "n/a", "na", "-", "\u2013", "\u2014", "?", "none", "null", "nan", "tbd"}
)

# The header names each field goes by in public datasets (compared case-insensitively,
# spaces and punctuation ignored); the first that the file has is the default column.
ALIASES: dict[str, tuple[str, ...]] = {
    Field.MODEL: ("model", "model name", "system", "name"),
    Field.ORGANISATION: ("organization", "organisation", "developer", "provider", "lab"),
    Field.PUBLICATION_DATE: ("publication date", "release date", "date", "published"),
    Field.PARAMETERS: ("parameters", "parameter count", "params"),
    Field.TRAINING_COMPUTE_FLOP: (
        "training compute (flop)",
        "training compute flop",
        "training compute",
        "compute (flop)",
        "flop",
    ),
    Field.DATASET_SIZE: (
        "training dataset size (datapoints)",
        "training dataset size",
        "dataset size",
        "training tokens",
    ),
    Field.ESTIMATION_METHOD: (
        "training compute estimation method",
        "compute estimation method",
        "estimation method",
        "method",
    ),
    Field.CONFIDENCE: ("confidence", "compute confidence"),
}
NUMBER_FIELDS = (Field.PARAMETERS, Field.TRAINING_COMPUTE_FLOP, Field.DATASET_SIZE)
TEXT_LIMITS: dict[str, int] = {
    Field.MODEL: 300,
    Field.ORGANISATION: 300,
    Field.CONFIDENCE: 100,
    Field.ESTIMATION_METHOD: 5000,
}

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_POWER_OF_TEN = re.compile(
    r"^(?P<m>[^x\u00d7*]+?)\s*[x\u00d7*]\s*10\s*\^?\s*(?P<e>[+-]?\d+)$", re.I
)
_LARGEST = Decimal("1e300")  # far past any training run; keeps every figure a finite float
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3}){2,}(,\d+)?$")


class CsvError(ValueError):
    """The file as a whole cannot be read (not the fault of one cell)."""


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z()]+", " ", name.casefold()).strip()


def default_mapping(header: Sequence[str]) -> dict[str, str]:
    """Our field -> the file's column, for the columns whose names we recognise."""
    by_key = {_key(column): column for column in header}
    mapping: dict[str, str] = {}
    for name, aliases in ALIASES.items():
        for alias in aliases:
            column = by_key.get(_key(alias))
            if column is not None and column not in mapping.values():
                mapping[str(name)] = column
                break
    return mapping


def check_mapping(mapping: Mapping[str, str], header: Sequence[str]) -> dict[str, str]:
    """Errors by field (`mapping.<field>`): unknown fields, columns the file lacks, a column
    mapped twice, a required field not mapped. Empty when the mapping is usable."""
    errors: dict[str, str] = {}
    columns = set(header)
    seen: dict[str, str] = {}
    for name, column in mapping.items():
        if name not in Field.values:
            errors[f"mapping.{name}"] = f"Unknown field; use one of {', '.join(Field.values)}."
        elif column not in columns:
            errors[f"mapping.{name}"] = f"The file has no column {column!r}."
        elif column in seen:
            errors[f"mapping.{name}"] = f"Column {column!r} is already mapped to {seen[column]}."
        else:
            seen[column] = name
    for name in REQUIRED_FIELDS:
        if name not in mapping and f"mapping.{name}" not in errors:
            errors[f"mapping.{name}"] = "Map this field to a column of the file."
    return errors


def parse_number(text: str) -> Decimal | None:
    """A positive figure from a cell: "3.8e25", "3,8E+25", "3.8 x 10^25", "1,000,000";
    None for an empty or "unknown" cell. Raises ValueError with a message otherwise.

    >>> parse_number("3,8E+25"), parse_number(" unknown "), parse_number("1,500,000")
    (Decimal('3.8E+25'), None, Decimal('1500000'))
    """
    cell = text.strip().translate(_SUPERSCRIPT).replace("\u2212", "-")
    cell = re.sub(r"[\s\u00a0\u202f_']", "", cell) if len(cell) < 60 else cell
    if cell.casefold() in MISSING:
        return None
    power = _POWER_OF_TEN.match(cell)
    exponent = 0
    if power:
        cell, exponent = power.group("m"), int(power.group("e"))
    if _THOUSANDS_COMMA.match(cell):
        cell = cell.replace(",", "")
    elif _THOUSANDS_DOT.match(cell):
        cell = cell.replace(".", "").replace(",", ".")
    elif "," in cell and "." not in cell:
        cell = cell.replace(",", ".")
    try:
        number = Decimal(cell).scaleb(exponent)
    except (InvalidOperation, ValueError):
        raise ValueError(f"{text.strip()[:40]!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{text.strip()[:40]!r} is not a finite number")
    if number < 0:
        raise ValueError("must not be negative")
    if number > _LARGEST:
        raise ValueError(f"{text.strip()[:40]!r} is too large")
    return number


def parse_date(text: str) -> date | None:
    """A day from "YYYY-MM-DD" (a time after it is ignored); None for an empty cell."""
    cell = text.strip()
    if cell.casefold() in MISSING:
        return None
    try:
        return date.fromisoformat(cell[:10])
    except ValueError:
        raise ValueError(f"{cell[:40]!r} is not a date (YYYY-MM-DD)") from None


@dataclass
class ParsedRow:
    number: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def parse_row(number: int, raw: dict[str, str], mapping: Mapping[str, str]) -> ParsedRow:
    """Our fields from one row's cells; a message per field that could not be parsed."""
    row = ParsedRow(number, raw)
    for name, column in mapping.items():
        cell = raw.get(column, "")
        if name in NUMBER_FIELDS:
            try:
                number_value = parse_number(cell)
            except ValueError as exc:
                row.errors[name] = str(exc)
                number_value = None
            row.values[name] = None if number_value is None else float(number_value)
        elif name == Field.PUBLICATION_DATE:
            try:
                row.values[name] = parse_date(cell)
            except ValueError as exc:
                row.errors[name] = str(exc)
                row.values[name] = None
        else:
            value = cell.strip()
            limit = TEXT_LIMITS[name]
            if len(value) > limit:
                row.errors[name] = f"longer than {limit} characters; cut"
                value = value[:limit]
            row.values[name] = value
    if not row.values.get(Field.MODEL) and Field.MODEL not in row.errors:
        row.errors[Field.MODEL] = "no model name"
    return row


@dataclass(frozen=True)
class CsvFile:
    delimiter: str
    header: list[str]
    rows: list[list[str]]  # the cells of each non-empty line after the header


def read_csv(text: str) -> CsvFile:
    """Sniff the dialect (comma, semicolon, tab or bar), read the header and the rows."""
    if "\x00" in text:
        raise CsvError("This is not a text file (it holds NUL bytes).")
    sample = text[: 64 * 1024]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        lines = list(_reader(text, delimiter))
    except csv.Error as exc:
        raise CsvError(f"The file is not valid CSV: {exc}.") from None
    if not lines:
        raise CsvError("The file is empty.")
    header = [cell.strip() for cell in lines[0]]
    if any(not column for column in header):
        raise CsvError(f"Column {header.index('') + 1} of the header has no name.")
    duplicates = sorted({c for c in header if header.count(c) > 1})
    if duplicates:
        raise CsvError(f"The header names column {duplicates[0]!r} more than once.")
    return CsvFile(delimiter, header, lines[1:])


def _reader(text: str, delimiter: str) -> Iterator[list[str]]:
    for cells in csv.reader(text.splitlines(), delimiter=delimiter, strict=True):
        if any(cell.strip() for cell in cells):
            yield cells
