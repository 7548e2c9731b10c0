"""JSON Schema of the ``model`` input (published as docs/aiact/schema/model.json)."""

from __future__ import annotations

from aiact._facts import COMPONENT_KINDS, MODALITIES, RESTRICTIONS, RIGHTS, DecisionType

__all__ = ["model_input_schema"]

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_NULLABLE_DATE = {"oneOf": [_DATE, {"type": "null"}]}
_NUMBER_OR_NULL = {"type": ["number", "null"], "minimum": 0}


def model_input_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of the input of ``aioffice rules model``.

    >>> sorted(model_input_schema()["properties"])[:3]
    ['as_of', 'compute_components', 'decisions']
    """
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://aioffice.eu/schema/aiact/model.json",
        "title": "GPAI model facts (aioffice rules model)",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "as_of": {**_DATE, "description": "Date the law is applied on; --as-of overrides."},
            "training_compute_flop": {
                **_NUMBER_OR_NULL,
                "description": "Cumulative training compute in FLOP; if null, estimated.",
            },
            "parameters": {**_NUMBER_OR_NULL, "description": "Parameter count (P in 6·P·D)."},
            "training_tokens": {**_NUMBER_OR_NULL, "description": "Training tokens (D)."},
            "compute_components": {
                "type": ["array", "null"],
                "description": "Compute by activity; the engine counts what the Guidelines count.",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind", "flop"],
                    "properties": {
                        "kind": {"enum": list(COMPONENT_KINDS)},
                        "flop": {"type": "number", "minimum": 0},
                    },
                },
            },
            "generates": {
                "type": ["array", "null"],
                "items": {"enum": list(MODALITIES)},
                "uniqueItems": True,
            },
            "generality": {
                "enum": ["significant", "lacking", None],
                "description": "A human assessment; overrides the indicative criterion.",
            },
            "placed_on_market": _NULLABLE_DATE,
            "provider_established_in_eu": {"type": "boolean", "default": True},
            "open_source": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "rights": {"type": "array", "items": {"enum": list(RIGHTS)}},
                            "restrictions": {
                                "type": "array",
                                "items": {"enum": list(RESTRICTIONS)},
                            },
                            "monetised": {"type": "boolean"},
                            "weights_public": {"type": "boolean"},
                            "architecture_public": {"type": "boolean"},
                            "usage_info_public": {"type": "boolean"},
                        },
                    },
                ]
            },
            "modifies": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "training_compute_flop": _NUMBER_OR_NULL,
                            "systemic_risk": {"type": "boolean"},
                        },
                    },
                ]
            },
            "modification_compute_flop": _NUMBER_OR_NULL,
            "threshold_known_on": _NULLABLE_DATE,
            "decisions": {
                "type": ["array", "null"],
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["type", "date"],
                    "properties": {
                        "type": {"enum": [t.value for t in DecisionType]},
                        "date": _DATE,
                    },
                },
            },
            "eu_registered_business_users": {"type": ["integer", "null"], "minimum": 0},
        },
    }
