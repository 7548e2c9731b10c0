"""The facts about a GPAI model, read from the public JSON interface (``aioffice rules model``).

Parsing is hand-written (no pydantic on the hot path) and every refusal names the field.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from aiact._answer import InputError
from aiact._dates import parse_date

__all__ = ["Decision", "DecisionType", "ModelFacts", "Modification", "OpenSource"]

MODALITIES = ("text", "code", "audio", "image", "video")
RIGHTS = ("access", "use", "modify", "distribute")
RESTRICTIONS = (
    "non_commercial",
    "research_only",
    "no_distribution",
    "user_scale_threshold",
    "separate_commercial_licence",
    "safety_restriction_proportionate",
)
COMPONENT_KINDS = (
    "pre_training",
    "fine_tuning",
    "reinforcement_learning",
    "post_training",
    "synthetic_data_non_public",
    "merged_or_initialising_weights",
    "synthetic_data_public",
    "evaluation_red_teaming",
    "exploratory_research",
    "distillation_parent_training",
    "auxiliary_model_training",
    "activation_recomputation",
)
_KEYS = frozenset(
    {
        "as_of",
        "training_compute_flop",
        "parameters",
        "training_tokens",
        "compute_components",
        "generates",
        "generality",
        "placed_on_market",
        "provider_established_in_eu",
        "open_source",
        "modifies",
        "modification_compute_flop",
        "threshold_known_on",
        "decisions",
        "eu_registered_business_users",
    }
)


class DecisionType(enum.StrEnum):
    """Commission decisions under Art. 52 that settle a model's systemic-risk status."""

    ARGUMENTS_ACCEPTED = "arguments_accepted"
    ARGUMENTS_REJECTED = "arguments_rejected"
    DESIGNATED_ANNEX_XIII = "designated_annex_xiii"
    DESIGNATED_FAILURE_TO_NOTIFY = "designated_failure_to_notify"
    DESIGNATION_MAINTAINED = "designation_maintained"
    DESIGNATION_LIFTED = "designation_lifted"
    """After a reassessment (Art. 52(5)) the Commission does not maintain the designation."""


@dataclass(frozen=True, slots=True)
class Decision:
    type: DecisionType
    date: date


@dataclass(frozen=True, slots=True)
class OpenSource:
    rights: frozenset[str]
    restrictions: frozenset[str]
    monetised: bool
    weights_public: bool
    architecture_public: bool
    usage_info_public: bool


@dataclass(frozen=True, slots=True)
class Modification:
    """The model is a modification of another GPAI model."""

    original_compute_flop: Decimal | None
    original_systemic_risk: bool


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """What the engine needs to know about a GPAI model (see docs/aiact/interface.md)."""

    as_of: date | None
    training_compute_flop: Decimal | None = None
    parameters: Decimal | None = None
    training_tokens: Decimal | None = None
    compute_components: tuple[tuple[str, Decimal], ...] = ()
    generates: frozenset[str] = frozenset()
    generality: str | None = None
    placed_on_market: date | None = None
    provider_established_in_eu: bool = True
    open_source: OpenSource | None = None
    modifies: Modification | None = None
    modification_compute_flop: Decimal | None = None
    threshold_known_on: date | None = None
    decisions: tuple[Decision, ...] = ()
    eu_registered_business_users: int | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ModelFacts:
        """Read the JSON input; raises :class:`InputError` naming the first bad field.

        >>> ModelFacts.from_json({"as_of": "2026-01-01", "training_compute_flop": 3.8e25}).as_of
        datetime.date(2026, 1, 1)
        >>> ModelFacts.from_json({"training_compute_flop": "lots"})
        Traceback (most recent call last):
        ...
        aiact._answer.InputError: training_compute_flop: must be a number or null
        """
        if not isinstance(data, Mapping):
            raise InputError("input", "must be a JSON object")
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise InputError(unknown[0], "unknown field")
        return cls(
            as_of=_opt_date(data, "as_of"),
            training_compute_flop=_opt_number(
                data.get("training_compute_flop"), "training_compute_flop"
            ),
            parameters=_opt_number(data.get("parameters"), "parameters"),
            training_tokens=_opt_number(data.get("training_tokens"), "training_tokens"),
            compute_components=_components(data.get("compute_components")),
            generates=_subset(data.get("generates"), "generates", MODALITIES),
            generality=_choice(data.get("generality"), "generality", ("significant", "lacking")),
            placed_on_market=_opt_date(data, "placed_on_market"),
            provider_established_in_eu=_bool(
                data.get("provider_established_in_eu", True), "provider_established_in_eu"
            ),
            open_source=_open_source(data.get("open_source")),
            modifies=_modifies(data.get("modifies")),
            modification_compute_flop=_opt_number(
                data.get("modification_compute_flop"), "modification_compute_flop"
            ),
            threshold_known_on=_opt_date(data, "threshold_known_on"),
            decisions=_decisions(data.get("decisions")),
            eu_registered_business_users=_opt_int(
                data.get("eu_registered_business_users"), "eu_registered_business_users"
            ),
        )


def _opt_date(data: Mapping[str, object], field: str) -> date | None:
    value = data.get(field)
    return None if value is None else parse_date(value, field)


def _opt_number(value: object, field: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, "must be a number or null")
    number = Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise InputError(field, "must be a non-negative number or null")
    return number


def _opt_int(value: object, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(field, "must be a non-negative integer or null")
    return value


def _bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(field, "must be true or false")
    return value


def _choice(value: object, field: str, allowed: Sequence[str]) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        raise InputError(field, f"must be one of {', '.join(allowed)} or null")
    assert isinstance(value, str)
    return value


def _subset(value: object, field: str, allowed: Sequence[str]) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise InputError(field, f"must be a list of {', '.join(allowed)}")
    for index, item in enumerate(value):
        if item not in allowed:
            raise InputError(f"{field}[{index}]", f"must be one of {', '.join(allowed)}")
    return frozenset(value)


def _open_source(value: object) -> OpenSource | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InputError("open_source", "must be an object or null")
    known = {
        "rights",
        "restrictions",
        "monetised",
        "weights_public",
        "architecture_public",
        "usage_info_public",
    }
    unknown = sorted(set(value) - known)
    if unknown:
        raise InputError(f"open_source.{unknown[0]}", "unknown field")
    return OpenSource(
        rights=_subset(value.get("rights"), "open_source.rights", RIGHTS),
        restrictions=_subset(value.get("restrictions"), "open_source.restrictions", RESTRICTIONS),
        monetised=_bool(value.get("monetised", False), "open_source.monetised"),
        weights_public=_bool(value.get("weights_public", False), "open_source.weights_public"),
        architecture_public=_bool(
            value.get("architecture_public", False), "open_source.architecture_public"
        ),
        usage_info_public=_bool(
            value.get("usage_info_public", False), "open_source.usage_info_public"
        ),
    )


def _modifies(value: object) -> Modification | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InputError("modifies", "must be an object or null")
    unknown = sorted(set(value) - {"training_compute_flop", "systemic_risk"})
    if unknown:
        raise InputError(f"modifies.{unknown[0]}", "unknown field")
    return Modification(
        original_compute_flop=_opt_number(
            value.get("training_compute_flop"), "modifies.training_compute_flop"
        ),
        original_systemic_risk=_bool(value.get("systemic_risk", False), "modifies.systemic_risk"),
    )


def _components(value: object) -> tuple[tuple[str, Decimal], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError("compute_components", "must be a list of {kind, flop}")
    out: list[tuple[str, Decimal]] = []
    for index, item in enumerate(value):
        where = f"compute_components[{index}]"
        if not isinstance(item, Mapping):
            raise InputError(where, "must be an object {kind, flop}")
        kind = item.get("kind")
        if kind not in COMPONENT_KINDS:
            raise InputError(f"{where}.kind", f"must be one of {', '.join(COMPONENT_KINDS)}")
        flop = _opt_number(item.get("flop"), f"{where}.flop")
        if flop is None:
            raise InputError(f"{where}.flop", "must be a number")
        assert isinstance(kind, str)
        out.append((kind, flop))
    return tuple(out)


def _decisions(value: object) -> tuple[Decision, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError("decisions", "must be a list of {type, date}")
    out: list[Decision] = []
    for index, item in enumerate(value):
        where = f"decisions[{index}]"
        if not isinstance(item, Mapping):
            raise InputError(where, "must be an object {type, date}")
        try:
            kind = DecisionType(str(item.get("type")))
        except ValueError:
            allowed = ", ".join(t.value for t in DecisionType)
            raise InputError(f"{where}.type", f"must be one of {allowed}") from None
        out.append(Decision(kind, parse_date(item.get("date"), f"{where}.date")))
    return tuple(out)
