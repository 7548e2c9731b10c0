"""One entry point per command of the JSON interface, shared by the CLI, the scenario tests
and the benchmark: ``evaluate(kind, data, law=...)`` returns the output JSON as a dict."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from datetime import date
from types import ModuleType
from typing import Final

from aiact._answer import InputError, Trace, json_value
from aiact._code import (
    check_types,
    framework_deadlines,
    gpai_code_incident_due,
    incident_followups,
    model_report_deadlines,
)
from aiact._compute import estimate_compute
from aiact._cooperation import (
    cooperation_check,
    msa_assessment_due,
    resource_report_due,
    rwt_approval_due,
    rwt_end,
    sandbox_decision_due,
    sandbox_report_due,
    term_end,
)
from aiact._dates import parse_date
from aiact._drafting import code_report_due, drafting_check
from aiact._enforcement import hearing_earliest_decision, msa_reply_due, rfi_due
from aiact._facts import Decision, DecisionType, ModelFacts
from aiact._fines_gpai import gpai_fine_ceiling, parse_turnover
from aiact._gpai import notification_due, reassessment_earliest
from aiact._notification import check_notification
from aiact._obligations import assess_model, gpai_compliance_due
from aiact._params import Law
from aiact._procedure import procedure_check
from aiact._timeline import (
    art50_2_legacy_due,
    large_scale_it_due,
    legacy_high_risk,
    timeline,
    top_domains_cutoff,
)

__all__ = ["CLOCKS", "KINDS", "REFERENCE_DATE", "evaluate", "systems_module"]

REFERENCE_DATE: Final = date(2026, 11, 25)
"""The date the law reference (AI-ACT.md) states the law on: the default of :func:`evaluate`
when a command that needs a date is given none and the caller passes no ``default_date``.
The rules never read the clock; the command line passes today's date (see ``_cli``)."""

KINDS: Final = (
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
)
"""The commands the public rules API offers (``aioffice.portal.api`` asserts its list equals
this one). ``drafting`` is answered by :func:`evaluate` but not listed here until the portal's
list names it too (see docs/aiact/drafting.md)."""


def systems_module() -> ModuleType:
    """The AI-system rules (``aiact._systems``), imported when first needed."""
    try:
        return importlib.import_module("aiact._systems")
    except ModuleNotFoundError as exc:  # pragma: no cover  # only while _systems is missing
        if exc.name != "aiact._systems":
            raise
        raise InputError("system", "the AI-system rules are not available in this build") from None


def _date_or(data: Mapping[str, object], field: str, default: date | None) -> date:
    value = data.get(field)
    if value is None:
        if default is None:
            raise InputError(field, "is required")
        return default
    return parse_date(value, field)


def _bool(data: Mapping[str, object], field: str) -> bool:
    value = data.get(field, False)
    if not isinstance(value, bool):
        raise InputError(field, "must be true or false")
    return value


def _envelope(law: Law, on: date, **rest: object) -> dict[str, object]:
    out: dict[str, object] = {
        "rules_version": law.rules_version,
        "law": law.selection.value,
        "as_of": on.isoformat(),
    }
    out.update(rest)
    return out


def _model(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    facts = ModelFacts.from_json(data)
    return assess_model(facts, law=law, as_of=as_of).to_json()


def _system(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    mod = systems_module()
    if as_of is not None:
        data = {**data, "as_of": as_of.isoformat()}
    facts = mod.SystemFacts.from_json(data)
    result: dict[str, object] = mod.assess_system(facts, law=law).to_json()
    return result


def _compute(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    on = as_of or default
    estimate = estimate_compute(
        params=data.get("params"),
        tokens=data.get("tokens"),
        gpus=data.get("gpus"),
        hours=data.get("hours"),
        gpu_hours=data.get("gpu_hours"),
        peak_flops=data.get("peak_flops"),
        utilisation=data.get("utilisation"),
        on=on,
        law=law,
    )
    return estimate.to_json()


def _fine(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    regime = data.get("regime")
    on = _date_or(data, "on", as_of or default)
    if regime == "gpai":
        ceiling = gpai_fine_ceiling(
            turnover_eur=parse_turnover(data.get("turnover")), on=on, law=law
        )
    elif regime == "operator":
        size = data.get("size") or "large"
        ceiling = systems_module().operator_fine_ceiling(
            tier=str(data.get("tier")),
            turnover_eur=parse_turnover(data.get("turnover")),
            size=str(size),
            on=on,
            law=law,
        )
    elif regime == "union-body":
        ceiling = systems_module().union_body_fine_ceiling(
            tier=str(data.get("tier")), on=on, law=law
        )
    else:
        raise InputError("regime", "must be gpai, operator or union-body")
    return _envelope(law, on, **ceiling.to_json())


def _incident(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    aware_on = _date_or(data, "aware_on", None)
    raw_types = data.get("types")
    if not isinstance(raw_types, list) or not all(isinstance(t, str) for t in raw_types):
        raise InputError("type", "give one or more incident types")
    types = check_types(raw_types)
    regime = data.get("regime")
    if regime == "gpai-code":
        result = gpai_code_incident_due(types=types, aware_on=aware_on, law=law)
    elif regime == "art73":
        result = systems_module().art73_initial_report_due(types=types, aware_on=aware_on, law=law)
    else:
        raise InputError("regime", "must be gpai-code or art73")
    return _envelope(law, as_of or aware_on, **result.to_json())


def _timeline(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    on = as_of or _date_or(data, "as_of", default)
    return timeline(as_of=on, law=law).to_json()


def _notification(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    check = check_notification(data, law=law)
    on = as_of or check.received_or(default)
    return _envelope(law, on, **check.to_json())


# --- clocks --------------------------------------------------------------------------------

ClockFn = Callable[[Mapping[str, object], date, Law, Trace], dict[str, object]]


def _c_notification(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    return {"due": notification_due(True, start, on=start, law=law, trace=t)}


def _c_reassessment(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    facts = ModelFacts(
        as_of=start, decisions=(Decision(DecisionType.DESIGNATED_ANNEX_XIII, start),)
    )
    return {"earliest": reassessment_earliest(facts, on=start, law=law, trace=t)}


def _c_hearing(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    return {"period_ends": hearing_earliest_decision(heard_from=start, law=law, trace=t)}


def _c_msa(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    return {"due": msa_reply_due(received_on=start, law=law, trace=t)}


def _c_rfi(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    days = d.get("days")
    if isinstance(days, bool) or not isinstance(days, int):
        raise InputError("days", "the time limit set in the request, in days, is required")
    return {"due": rfi_due(sent_on=start, time_limit_days=days, law=law, trace=t)}


def _c_framework(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    placing = d.get("placing")
    return framework_deadlines(
        notified_on=start,
        placing_on=None if placing is None else parse_date(placing, "placing"),
        law=law,
        trace=t,
    )


def _c_model_report(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    last = d.get("last_report")
    return model_report_deadlines(
        placing_on=start,
        last_report_on=None if last is None else parse_date(last, "last_report"),
        most_capable=_bool(d, "most_capable"),
        law=law,
        trace=t,
    )


def _c_followups(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    resolved, incident = d.get("resolved"), d.get("incident")
    return incident_followups(
        initial_on=start,
        resolved_on=None if resolved is None else parse_date(resolved, "resolved_on"),
        incident_on=None if incident is None else parse_date(incident, "incident"),
        law=law,
        trace=t,
    )


def _c_gpai_compliance(
    d: Mapping[str, object], start: date, law: Law, t: Trace
) -> dict[str, object]:
    begins = max(start, law.date("chapter_v_from", start))
    return {"comply_by": gpai_compliance_due(start, begins, on=start, law=law, trace=t)}


def _c_hr_legacy(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    on = _date_or(d, "on", start)
    return legacy_high_risk(
        route=str(d.get("route")),
        placed_on=start,
        significant_change=_bool(d, "significant_change"),
        public_authority=_bool(d, "public_authority"),
        on=on,
        law=law,
        trace=t,
    )


def _c_large_it(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    return large_scale_it_due(placed_on=start, on=_date_or(d, "on", start), law=law, trace=t)


def _c_art50_2(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    return art50_2_legacy_due(placed_on=start, on=_date_or(d, "on", start), law=law, trace=t)


def _c_domains(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    domains = d.get("domains")
    if isinstance(domains, bool) or not isinstance(domains, int):
        raise InputError("domains", "must be a non-negative integer")
    return {
        "top_domains": top_domains_cutoff(
            domains=domains, sme=_bool(d, "sme"), on=start, law=law, trace=t
        )
    }


def _c_msa_assessment(
    d: Mapping[str, object], start: date, law: Law, t: Trace
) -> dict[str, object]:
    return {"due": msa_assessment_due(received_on=start, law=law, trace=t)}


def _c_resource_report(
    d: Mapping[str, object], start: date, law: Law, t: Trace
) -> dict[str, object]:
    return dict(resource_report_due(on=start, law=law, trace=t))


def _c_sandbox_decision(
    d: Mapping[str, object], start: date, law: Law, t: Trace
) -> dict[str, object]:
    return {"due": sandbox_decision_due(applied_on=start, law=law, trace=t)}


def _c_sandbox_report(
    d: Mapping[str, object], start: date, law: Law, t: Trace
) -> dict[str, object]:
    on = _date_or(d, "on", start)
    return {"due": sandbox_report_due(established_on=start, on=on, law=law, trace=t)}


def _c_rwt_approval(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    tacit = _bool(d, "tacit_allowed")
    return dict(rwt_approval_due(submitted_on=start, tacit_allowed=tacit, law=law, trace=t))


def _c_rwt_end(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    return dict(rwt_end(start=start, extended=_bool(d, "extended"), law=law, trace=t))


def _c_term_end(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    renewals = d.get("renewals")
    if renewals is None:
        renewals = 0
    if isinstance(renewals, bool) or not isinstance(renewals, int):
        raise InputError("renewals", "must be a whole number of renewals already made")
    return term_end(start=start, body=str(d.get("body")), renewals=renewals, law=law, trace=t)


def _whole_or(d: Mapping[str, object], field: str, default: int | None) -> int:
    value = d.get(field)
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(field, "must be a whole number")
    return value


def _c_code_report(d: Mapping[str, object], start: date, law: Law, t: Trace) -> dict[str, object]:
    return dict(
        code_report_due(
            first_due=start,
            every_months=_whole_or(d, "every_months", None),
            period=_whole_or(d, "period", 0),
            trace=t,
        )
    )


CLOCKS: Final[Mapping[str, ClockFn]] = {
    "notification": _c_notification,
    "reassessment": _c_reassessment,
    "hearing": _c_hearing,
    "msa-reply": _c_msa,
    "rfi": _c_rfi,
    "cop-framework": _c_framework,
    "cop-model-report": _c_model_report,
    "cop-followups": _c_followups,
    "gpai-compliance": _c_gpai_compliance,
    "hr-legacy": _c_hr_legacy,
    "large-scale-it": _c_large_it,
    "art50-2-legacy": _c_art50_2,
    "top-domains": _c_domains,
    "msa-assessment": _c_msa_assessment,
    "resource-report": _c_resource_report,
    "sandbox-decision": _c_sandbox_decision,
    "sandbox-report": _c_sandbox_report,
    "rwt-approval": _c_rwt_approval,
    "rwt-end": _c_rwt_end,
    "term-end": _c_term_end,
    "code-report": _c_code_report,
}


def _clock(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    name = data.get("clock")
    if not isinstance(name, str) or name not in CLOCKS:
        raise InputError("clock", f"must be one of {', '.join(CLOCKS)}")
    start = _date_or(data, "from", as_of or default)
    trace = Trace()
    result = CLOCKS[name](data, start, law, trace)
    return _envelope(
        law,
        as_of or start,
        clock=name,
        **{"from": start.isoformat()},
        result={k: json_value(v) for k, v in result.items()},
        reasons=list(trace.reasons),
        citations=[c.to_json() for c in trace.citations],
        rules=list(trace.rules),
    )


def _procedure(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    facts = data.get("facts")
    if not isinstance(facts, Mapping):
        raise InputError("facts", "must be a JSON object")
    on = as_of or _date_or(data, "on", default)
    check = procedure_check(str(data.get("step")), facts, on=on, law=law)
    out = check.to_json()
    del out["rules_version"], out["on"]
    return _envelope(law, on, **out)


def _cooperation(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    check = data.get("check")
    on = as_of or _date_or(data, "on", default)
    trace = Trace()
    result = cooperation_check(check, data, on=on, law=law, trace=trace)
    return _envelope(
        law,
        on,
        check=check,
        result={k: json_value(v) for k, v in result.items()},
        reasons=list(trace.reasons),
        citations=[c.to_json() for c in trace.citations],
        rules=list(trace.rules),
    )


def _drafting(
    data: Mapping[str, object], law: Law, as_of: date | None, default: date
) -> dict[str, object]:
    check = data.get("check")
    on = as_of or _date_or(data, "on", default)
    trace = Trace()
    result = drafting_check(check, data, on=on, law=law, trace=trace)
    return _envelope(
        law,
        on,
        check=check,
        result={k: json_value(v) for k, v in result.items()},
        reasons=list(trace.reasons),
        citations=[c.to_json() for c in trace.citations],
        rules=list(trace.rules),
    )


_HANDLERS: Final[
    Mapping[str, Callable[[Mapping[str, object], Law, date | None, date], dict[str, object]]]
] = {
    "model": _model,
    "system": _system,
    "notification": _notification,
    "compute": _compute,
    "fine": _fine,
    "incident": _incident,
    "timeline": _timeline,
    "clock": _clock,
    "procedure": _procedure,
    "cooperation": _cooperation,
    "drafting": _drafting,
}


def evaluate(
    kind: str,
    data: Mapping[str, object],
    *,
    law: Law,
    as_of: date | None = None,
    default_date: date | None = None,
) -> dict[str, object]:
    """Run one command of the JSON interface and return its output JSON.

    ``as_of`` overrides the date in the input (``--as-of``). ``default_date`` is the date
    used by ``compute``, ``fine``, ``timeline`` and ``clock`` when neither the input nor
    ``as_of`` gives one (the command line passes today's date); without it,
    :data:`REFERENCE_DATE`.

    >>> from aiact import load_law
    >>> evaluate("compute", {"params": 2.5e9, "tokens": 12e12}, law=load_law())["flop_2sf"]
    '1.8e23'
    """
    try:
        handler = _HANDLERS[kind]
    except KeyError:
        raise InputError("kind", f"must be one of {', '.join(KINDS)}") from None
    if not isinstance(data, Mapping):
        raise InputError("input", "must be a JSON object")
    return handler(data, law, as_of, default_date or REFERENCE_DATE)
