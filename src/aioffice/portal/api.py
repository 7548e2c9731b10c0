"""The AI Act engine over HTTP: the same JSON interface as `aioffice rules`, for everyone.

Public by design (the compliance checker and other tools build on it) and rate-limited.
Nothing a visitor sends is stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Body, Router
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aiact import ConflictError, InputError, evaluate, load_law, model_input_schema
from aiact._dispatch import KINDS, systems_module

router = Router(tags=["rules"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

LawName = Literal["as-amended", "as-published"]
Kind = Literal[
    "model",
    "system",
    "notification",
    "compute",
    "fine",
    "incident",
    "timeline",
    "clock",
    "procedure",
    "cooperation",
    "drafting",
]
assert set(Kind.__args__) == set(KINDS)  # type: ignore[attr-defined]  # the engine's commands


class RulesInputError(Exception):
    """Bad facts for the engine; answered as 422 naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@router.post(
    "/{kind}",
    auth=None,
    throttle=_throttle,
    summary="Apply the AI Act to the facts given",
    description=(
        "The JSON interface of `aioffice rules KIND`: send the input object documented in "
        "docs/aiact/interface.md, receive the answer with its reasons, citations, law "
        "selection and rules version. `law` and `as_of` override the input; a command "
        "that needs a date and is given none answers for today (UTC)."
    ),
)
def rules_evaluate(
    request: HttpRequest,
    kind: Kind,
    facts: Body[dict[str, Any]],
    law: LawName = "as-amended",
    as_of: date | None = None,
) -> dict[str, object]:
    try:
        return evaluate(
            kind, facts, law=load_law(law), as_of=as_of, default_date=timezone.now().date()
        )
    except InputError as exc:
        raise RulesInputError(exc.field, exc.message) from exc
    except ConflictError as exc:
        raise HttpError(409, str(exc)) from exc


@router.get("/schema/{kind}", auth=None, throttle=_throttle, summary="JSON Schema of an input")
def rules_schema(request: HttpRequest, kind: Literal["model", "system"]) -> dict[str, object]:
    if kind == "model":
        return model_input_schema()
    schema: dict[str, object] = systems_module().system_input_schema()
    return schema
