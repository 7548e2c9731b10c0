"""The sandboxes part asks aiact (the one source of the law's values): a bad input is a
`ValidationError` naming the field; each answer keeps its rules version, reasons and
citations so that what is stored can say why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from aiact import InputError, evaluate, load_law


@dataclass(frozen=True, slots=True)
class LawAnswer:
    result: Mapping[str, Any]
    rules_version: str
    reasons: list[str]
    citations: list[str]

    def as_answer(self) -> dict[str, Any]:
        """What `supervision.clock.open_deadline(answer=...)` takes."""
        return {
            "rules_version": self.rules_version,
            "reasons": self.reasons,
            "citations": self.citations,
        }


def _label(citation: Any) -> str:
    if isinstance(citation, Mapping):
        return str(citation.get("label", ""))
    return str(citation)


def law_answer(kind: str, data: Mapping[str, object], *, field: str = "") -> LawAnswer:
    """aiact's answer to one question; an input it refuses names `field` (or its own)."""
    try:
        answer: Mapping[str, Any] = evaluate(kind, data, law=load_law())
    except InputError as exc:
        raise ValidationError({field or exc.field: exc.message}) from None
    result = answer.get("result")
    return LawAnswer(
        result=result if isinstance(result, Mapping) else {},
        rules_version=str(answer.get("rules_version", ""))[:100],
        reasons=[str(r) for r in answer.get("reasons") or ()],
        citations=[_label(c) for c in answer.get("citations") or ()],
    )
