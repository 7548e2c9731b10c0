"""The Code of Practice's clocks, asked of aiact (COP-04, COP-05); nothing is counted here.

Both go through aiact's public JSON interface (`aiact.evaluate("clock", ...)`), which gives
the dates with the rules version, the reasons and the citations to store with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from aiact import InputError, evaluate, load_law


@dataclass(frozen=True, slots=True)
class Clock:
    """aiact's answer: the dates by name, and what to store with them."""

    dates: dict[str, date | None]
    rules_version: str
    reasons: tuple[str, ...]
    citations: tuple[str, ...]

    def __getitem__(self, name: str) -> date | None:
        return self.dates[name]


def _ask(data: dict[str, Any], field: str) -> Clock:
    """aiact's answer; a date it cannot count from is refused naming `field`."""
    try:
        answer = evaluate("clock", data, law=load_law())
    except (InputError, OverflowError) as exc:
        raise ValidationError({field: f"The rules cannot count from this date ({exc})."}) from exc
    result: Any = answer["result"]
    reasons: Any = answer.get("reasons") or []
    citations: Any = answer.get("citations") or []
    return Clock(
        dates={k: None if v is None else date.fromisoformat(str(v)) for k, v in result.items()},
        rules_version=str(answer["rules_version"]),
        reasons=tuple(str(r) for r in reasons),
        citations=tuple(dict.fromkeys(str(c["label"]) for c in citations)),
    )


def framework_clock(notified_on: date, placing_on: date | None) -> Clock:
    """COP-04: `confirm_by` and `ai_office_access_by` for a Safety and Security Framework."""
    return _ask(
        {
            "clock": "cop-framework",
            "from": notified_on.isoformat(),
            "placing": None if placing_on is None else placing_on.isoformat(),
        },
        "placing_on",
    )


def model_report_clock(placing_on: date, last_report_on: date | None, most_capable: bool) -> Clock:
    """COP-05: `report_by`, `report_by_with_interim` and `refresh_by` for a Model Report."""
    return _ask(
        {
            "clock": "cop-model-report",
            "from": placing_on.isoformat(),
            "last_report": None if last_report_on is None else last_report_on.isoformat(),
            "most_capable": most_capable,
        },
        "version",
    )
