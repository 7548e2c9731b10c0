"""The document types as data: one YAML schema per type in `doctypes/`, loaded once.

A schema names its type, version, title, legal basis and status, the aiact obligation whose
evidence it is (`obligation`), the obligations that must all apply for a version to need it
(`required_when`, by default the one obligation), and its fields. Each field has a key, a
label, help, a type (text, number, date, choice, file, list), whether it is required, the
legal item it answers (e.g. "Annex XI 1(2)(d)") and its audiences. File fields list the
content types they accept; choice fields their choices. `load_doctypes()` refuses a schema
that breaks any of this, naming the file and the field; the app checks them at start-up.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from aioffice.registry.documentation.choices import Audience, DocumentType, FieldType

SCHEMA_DIR = Path(__file__).parent / "doctypes"

_TYPE_KEYS = {
    "type",
    "version",
    "title",
    "basis",
    "status",
    "obligation",
    "required_when",
    "fields",
}
_FIELD_KEYS = {
    "key",
    "label",
    "help",
    "type",
    "required",
    "answers",
    "audiences",
    "content_types",
    "choices",
    "min",
}
_STATUSES = {"LAW", "CODE", "TEMPLATE", "GUIDELINES"}


class SchemaError(ValueError):
    """A document-type schema that cannot be used; the message names the file and field."""


@dataclass(frozen=True)
class DocField:
    key: str
    label: str
    help: str
    type: str
    required: bool
    answers: str
    audiences: tuple[str, ...]
    content_types: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    min: Decimal | None = None

    def for_audience(self, audience: str) -> bool:
        return audience in self.audiences

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "help": self.help,
            "type": self.type,
            "required": self.required,
            "answers": self.answers,
            "audiences": list(self.audiences),
            "content_types": list(self.content_types),
            "choices": list(self.choices),
        }


@dataclass(frozen=True)
class MissingItem:
    """A required field without an answer, named by the legal item it answers."""

    key: str
    label: str
    answers: str

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "label": self.label, "answers": self.answers}


@dataclass(frozen=True)
class DocType:
    type: str
    version: int
    title: str
    basis: str
    status: str
    obligation: str
    required_when: tuple[str, ...]
    fields: tuple[DocField, ...]

    @property
    def by_key(self) -> dict[str, DocField]:
        return {f.key: f for f in self.fields}

    @property
    def file_fields(self) -> tuple[DocField, ...]:
        return tuple(f for f in self.fields if f.type == FieldType.FILE)

    def fields_for(self, audience: str | None) -> tuple[DocField, ...]:
        """The fields an audience sees; all of them when `audience` is None."""
        if audience is None:
            return self.fields
        return tuple(f for f in self.fields if f.for_audience(audience))

    def missing(self, content: Mapping[str, Any], attached: set[str]) -> list[MissingItem]:
        """The required fields with no answer (a file field is answered by an attachment)."""
        out = []
        for f in self.fields:
            if not f.required:
                continue
            answered = (
                f.key in attached if f.type == FieldType.FILE else _filled(content.get(f.key))
            )
            if not answered:
                out.append(MissingItem(f.key, f.label, f.answers))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "version": self.version,
            "title": self.title,
            "basis": self.basis,
            "status": self.status,
            "obligation": self.obligation,
            "required_when": list(self.required_when),
            "fields": [f.to_json() for f in self.fields],
        }


def _filled(value: Any) -> bool:
    return value not in (None, "", [])


# --- loading ---------------------------------------------------------------------------------


def _need(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise SchemaError(f"{where}: {message}")


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    _need(isinstance(value, str) and value.strip() != "", where, f"{key} must be non-empty text")
    return str(value).strip()


def _field(raw: Any, where: str) -> DocField:
    _need(isinstance(raw, dict), where, "a field is a mapping")
    unknown = sorted(set(raw) - _FIELD_KEYS)
    _need(not unknown, where, f"unknown keys {unknown}")
    key = _text(raw, "key", where)
    where = f"{where} {key}"
    kind = _text(raw, "type", where)
    _need(kind in FieldType.values, where, f"type must be one of {FieldType.values}")
    _need(isinstance(raw.get("required"), bool), where, "required must be true or false")
    audiences = raw.get("audiences")
    _need(
        isinstance(audiences, list) and bool(audiences) and set(audiences) <= set(Audience.values),
        where,
        f"audiences must be a non-empty list of {Audience.values}",
    )
    content_types = raw.get("content_types", [])
    _need(
        (kind == FieldType.FILE) == bool(content_types),
        where,
        "file fields, and only they, list their content_types",
    )
    choices = raw.get("choices", [])
    _need(
        (kind == FieldType.CHOICE) == bool(choices),
        where,
        "choice fields, and only they, list choices",
    )
    minimum = raw.get("min")
    _need(minimum is None or kind == FieldType.NUMBER, where, "only numbers have a min")
    return DocField(
        key=key,
        label=_text(raw, "label", where),
        help=_text(raw, "help", where),
        type=kind,
        required=raw["required"],
        answers=_text(raw, "answers", where),
        audiences=tuple(audiences),
        content_types=tuple(str(c) for c in content_types),
        choices=tuple(str(c) for c in choices),
        min=None if minimum is None else Decimal(str(minimum)),
    )


def _doctype(path: Path) -> DocType:
    where = path.name
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    _need(isinstance(raw, dict), where, "a schema is a mapping")
    unknown = sorted(set(raw) - _TYPE_KEYS)
    _need(not unknown, where, f"unknown keys {unknown}")
    kind = _text(raw, "type", where)
    _need(path.stem == kind, where, "the file is named after its type")
    _need(isinstance(raw.get("version"), int) and raw["version"] >= 1, where, "version >= 1")
    status = _text(raw, "status", where)
    _need(status in _STATUSES, where, f"status must be one of {sorted(_STATUSES)}")
    obligation = _text(raw, "obligation", where)
    required_when = raw.get("required_when", [obligation])
    _need(
        isinstance(required_when, list) and obligation in required_when,
        where,
        "required_when is a list that includes the obligation",
    )
    fields_raw = raw.get("fields")
    _need(isinstance(fields_raw, list) and bool(fields_raw), where, "fields must be a list")
    fields = tuple(_field(f, where) for f in fields_raw)
    keys = [f.key for f in fields]
    _need(len(keys) == len(set(keys)), where, "field keys are unique")
    return DocType(
        type=kind,
        version=raw["version"],
        title=_text(raw, "title", where),
        basis=_text(raw, "basis", where),
        status=status,
        obligation=obligation,
        required_when=tuple(str(o) for o in required_when),
        fields=fields,
    )


def load_from(directory: Path) -> dict[str, DocType]:
    """Every schema in `directory`, by type; raises `SchemaError`."""
    found = {d.type: d for d in map(_doctype, sorted(directory.glob("*.yaml")))}
    _need(
        set(found) == set(DocumentType.values),
        str(directory),
        f"schemas {sorted(found)} differ from the document types {sorted(DocumentType.values)}",
    )
    return found


@functools.cache
def load_doctypes() -> dict[str, DocType]:
    """The package's schemas, in the order of `DocumentType` (loaded once)."""
    found = load_from(SCHEMA_DIR)
    return {t: found[t] for t in DocumentType.values}


def doctype(kind: str) -> DocType:
    """The schema of a type; KeyError when there is none."""
    return load_doctypes()[kind]


# --- content ---------------------------------------------------------------------------------


def _number(value: Any, f: DocField) -> int | float:
    if isinstance(value, bool):
        raise ValueError("Enter a number.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("Enter a number.") from None
    if not number.is_finite():
        raise ValueError("Enter a number.")
    if f.min is not None and number < f.min:
        raise ValueError(f"Enter a number of at least {f.min}.")
    if number == number.to_integral_value() and abs(number) < 10**18:
        return int(number)
    stored = float(number)
    if not math.isfinite(stored):  # e.g. "1e400": no JSON number holds it
        raise ValueError("The number is too large.")
    return stored


def check_text(*values: str) -> None:
    """Text the databases can store: PostgreSQL refuses NUL characters in text and JSON."""
    if any("\x00" in v for v in values):
        raise ValueError("Text cannot contain NUL characters.")
    for v in values:
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, e.g. "\ud800" in JSON
            raise ValueError("The text is not valid Unicode.") from None


def _clean_value(f: DocField, value: Any) -> Any:
    """The value as stored (text, int/float, ISO date, list of text), or ValueError."""
    if f.type == FieldType.FILE:
        raise ValueError("Attach the file; a file field takes no text.")
    if f.type == FieldType.NUMBER:
        return _number(value, f)
    if f.type == FieldType.DATE:
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError("Enter a date as YYYY-MM-DD.") from None
    if f.type == FieldType.LIST:
        if isinstance(value, str):
            value = value.splitlines()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("Enter a list of texts.")
        check_text(*value)
        return [v.strip() for v in value if v.strip()]
    if not isinstance(value, str):
        raise ValueError("Enter text.")
    check_text(value)
    if f.type == FieldType.CHOICE and value.strip() not in f.choices:
        raise ValueError(f"Choose one of {', '.join(f.choices)}.")
    return value.strip()


def clean_content(kind: DocType, content: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The content as stored, and an error per field key (unknown keys included)."""
    if not isinstance(content, dict):
        return {}, {"content": "Give the content as an object of field keys and values."}
    fields = kind.by_key
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in content.items():
        f = fields.get(key)
        if f is None:
            errors[str(key)] = f"No such field in {kind.title}."
            continue
        if not _filled(value):
            continue
        try:
            stored = _clean_value(f, value)
        except ValueError as exc:
            errors[key] = str(exc)
            continue
        if _filled(stored):
            clean[key] = stored
    return clean, errors
