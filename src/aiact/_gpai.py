"""GPAI models: classification, modifiers, systemic risk and the Art. 52 procedure.

Articles 3(3), 3(63), 51 and 52 AI Act; Guidelines §2, §3 (AI-ACT.md §2, §3, §8).
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from typing import Final, NamedTuple, TypeVar

from aiact._answer import (
    HOLES,
    NOT_IN_FORCE,
    AnyTrace,
    ConflictError,
    Finding,
    InputError,
    LawSelection,
    LazyTrace,
    Template,
    Trace,
    cite,
    rule,
)
from aiact._compute import (
    cumulative_compute,
    estimate_6pd,
    is_near,
    threshold_proximity,
    two_significant_figures,
)
from aiact._dates import add_calendar_days, add_months
from aiact._facts import Decision, DecisionType, ModelFacts
from aiact._params import Law

__all__ = [
    "Classification",
    "ComputeFinding",
    "act_version",
    "classify_model",
    "remember",
]

MEMO_LIMIT: Final = 65_536
"""At most this many entries per memo of findings; a full memo starts again empty."""

K = TypeVar("K")
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V) -> V:
    """Store ``value`` under ``key`` in a bounded memo and return it."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


_DESIGNATIONS = frozenset(
    {
        DecisionType.DESIGNATED_ANNEX_XIII,
        DecisionType.DESIGNATED_FAILURE_TO_NOTIFY,
        DecisionType.DESIGNATION_MAINTAINED,
    }
)
_ANNEX_XIII_CHAIN = frozenset(
    {
        DecisionType.DESIGNATED_ANNEX_XIII,
        DecisionType.DESIGNATION_MAINTAINED,
        DecisionType.DESIGNATION_LIFTED,
    }
)
"""An Art. 52(4) designation and the Art. 52(5) reassessment outcomes that maintain or lift it."""
_LIFT_CITATIONS = (cite("AIA", "51", "1", "a"), cite("AIA", "51", "1", "b"), cite("AIA", "52", "5"))
_ART113_3_B = cite("AIA", "113", "3", "b")
_PROVIDERS = frozenset({"provider", "modifier_is_provider"})
_SYSTEMIC_RISK = frozenset({"presumed", "confirmed", "designated"})
_STATUS_OF_DECISION = {
    DecisionType.ARGUMENTS_ACCEPTED: "not_sr_by_acceptance",
    DecisionType.ARGUMENTS_REJECTED: "confirmed",
    DecisionType.DESIGNATED_ANNEX_XIII: "designated",
    DecisionType.DESIGNATED_FAILURE_TO_NOTIFY: "designated",
    DecisionType.DESIGNATION_MAINTAINED: "designated",
    DecisionType.DESIGNATION_LIFTED: "lifted",
}
"""The status each decision sets; a lift sets none of its own (see :func:`_status_after_lift`),
"lifted" only tells it apart from a same-day decision pointing another way."""


class ComputeFinding(NamedTuple):
    """The training compute the engine used, and how it was obtained (``basis``: the reasons,
    citations and rules; its value is None). Immutable."""

    flop: Decimal | None
    method: str | None
    near_threshold: bool | None
    basis: Finding
    flop_2sf: str | None

    def to_json(self) -> dict[str, object]:
        basis = self.basis.json_view()  # shared parts: read-only (see ModelAssessment)
        return {
            "flop": None if self.flop is None else float(self.flop),
            "method": self.method,
            "flop_2sf": self.flop_2sf,
            "near_threshold": self.near_threshold,
            "reasons": basis["reasons"],
            "citations": basis["citations"],
            "rules": basis["rules"],
        }


class Classification(NamedTuple):
    """Everything decided about the model before obligations are listed (immutable)."""

    on: date
    act_version: Finding
    compute: ComputeFinding
    gpai: Finding
    provider: Finding
    presumption_met: bool
    systemic_risk: Finding
    sr_status: str
    sr_since: date | None
    sr_until: date | None
    notification: Finding
    notification_required: bool
    notification_due: date | None
    reassessment: Finding
    reassessment_earliest: date | None
    designation_review: Finding | None

    @property
    def is_gpai(self) -> bool:
        return self.gpai.value is True

    @property
    def is_provider(self) -> bool:
        return self.provider.value in _PROVIDERS

    @property
    def has_systemic_risk(self) -> bool:
        return self.sr_status in _SYSTEMIC_RISK


# --- versions of the text -------------------------------------------------------------------


@rule("DATE-06", cite("AIA", "113"), cite("OMNIBUS", "4"))
def act_version(on: date, law: Law) -> Finding:
    """Which text of the AI Act an answer on ``on`` rests on: the original, or the text as
    amended by Regulation (EU) 2026/1744 from its entry into force (27 July 2026)."""
    return _act_version(on, law)


@functools.lru_cache(maxsize=4096)
def _act_version(on: date, law: Law) -> Finding:
    """:func:`act_version`, once per date and law (a finding depends on nothing else)."""
    trace = Trace()
    if law.selection is LawSelection.AS_PUBLISHED:
        trace.fire("DATE-06", "law selection as-published: the 2024 text only")
        return trace.finding("2024/1689 original", "selection")
    in_force = (
        law.date("omnibus_in_force", on, trace) if _has(law, "omnibus_in_force", on) else None
    )
    if in_force is not None and on >= in_force:
        trace.fire("DATE-06", f"on {on} Regulation (EU) 2026/1744 is in force (since {in_force})")
        return trace.finding("2024/1689 as amended by 2026/1744", "in_force")
    trace.fire("DATE-06", f"on {on} Regulation (EU) 2026/1744 is not yet in force")
    return trace.finding("2024/1689 original", "in_force")


def _has(law: Law, key: str, on: date) -> bool:
    return any(v.covers(on) for v in law.history(key))


# --- compute --------------------------------------------------------------------------------


_COMPUTE: dict[tuple[object, ...], Template] = {}
"""Compute findings by (law, stretch of days, method, near the threshold): the reasons differ
only in the figures shown."""


def _compute(facts: ModelFacts, on: date, law: Law, epoch: int) -> ComputeFinding:
    """The compute finding, from the memo where the same rules and parameters apply."""
    flop: Decimal | None
    shown: tuple[str, ...]
    if facts.training_compute_flop is not None:
        flop, method = facts.training_compute_flop, "reported"
        shown = (two_significant_figures(flop),)
    elif facts.compute_components:  # rare: recorded in full every time
        return _compute_traced(facts, on, law)
    elif facts.parameters is not None and facts.training_tokens is not None:
        parameters, tokens = facts.parameters, facts.training_tokens
        flop, method = estimate_6pd(parameters, tokens, on=on, law=law).flop, "architecture_6pd"
        shown = (f"{parameters:g}", f"{tokens:g}", two_significant_figures(flop))
    elif (
        facts.modifies is not None
        and facts.modifies.original_compute_flop is not None
        and facts.modification_compute_flop is not None
    ):
        flop = facts.modifies.original_compute_flop + facts.modification_compute_flop
        method, shown = "original_plus_modification", (two_significant_figures(flop),)
    else:
        flop, method, shown = None, None, ()
    near = None
    if flop is not None:
        _, threshold, margin = _limits(law, on, epoch)
        near = is_near(flop, threshold, margin)
    key = (law, epoch, method, near)
    template = _COMPUTE.get(key) or remember(
        _COMPUTE, key, Template(_compute_traced(facts, on, law, HOLES).basis)
    )
    return ComputeFinding(flop, method, near, template.fill(*shown), shown[-1] if shown else None)


_LIMITS: dict[tuple[Law, int], tuple[Decimal, Decimal, Decimal]] = {}


def _limits(law: Law, on: date, epoch: int) -> tuple[Decimal, Decimal, Decimal]:
    """The GPAI and systemic-risk compute thresholds and the error margin (per stretch)."""
    key = (law, epoch)
    return _LIMITS.get(key) or remember(
        _LIMITS,
        key,
        (
            law.decimal("gpai_indicative_flop", on),
            law.decimal("sr_presumption_flop", on),
            law.decimal("compute_error_margin", on),
        ),
    )


def _compute_traced(
    facts: ModelFacts, on: date, law: Law, shown: tuple[str, ...] | None = None
) -> ComputeFinding:
    """The compute finding, every rule recorded; ``shown``: the texts of the figures."""
    trace = LazyTrace()
    flop: Decimal | None
    method: str | None
    if facts.training_compute_flop is not None:
        reported = facts.training_compute_flop
        flop, method = reported, "reported"
        trace.note_lazy(
            lambda: (
                "training compute reported by the provider: "
                f"{shown[0] if shown else two_significant_figures(reported)} FLOP"
            )
        )
    elif facts.compute_components:
        flop, method = cumulative_compute(facts.compute_components, trace), "components"
    elif facts.parameters is not None and facts.training_tokens is not None:
        estimate = estimate_6pd(
            facts.parameters,
            facts.training_tokens,
            on=on,
            law=law,
            shown=None if shown is None else (shown[0], shown[1], shown[2]),
        )
        trace.merge(estimate.trace)
        flop, method = estimate.flop, "architecture_6pd"
    elif (
        facts.modifies is not None
        and facts.modifies.original_compute_flop is not None
        and facts.modification_compute_flop is not None
    ):
        total = facts.modifies.original_compute_flop + facts.modification_compute_flop
        flop, method = total, "original_plus_modification"
        trace.note_lazy(
            lambda: (
                "cumulative compute of the modified model = original + modification = "
                f"{shown[0] if shown else two_significant_figures(total)} FLOP (open question "
                "5: a modification is counted like further training of the same model)"
            )
        )

    else:
        flop, method = None, None
        trace.note("no training compute given and none can be estimated")
    near = None
    if flop is not None:
        near = threshold_proximity(
            flop, law.decimal("sr_presumption_flop", on), on=on, law=law, trace=trace
        )
    return ComputeFinding(
        flop,
        method,
        near,
        trace.finding(None),
        None if flop is None else two_significant_figures(flop),
    )


# --- is it a GPAI model? --------------------------------------------------------------------


@rule("GL-01", cite("GL", "§2.1", "17"), cite("GL", "§2.1", "20"), cite("AIA", "3", "63"))
def gpai_status(
    facts: ModelFacts, flop: Decimal | None, *, on: date, law: Law, shown: str | None = None
) -> Finding:
    """A model is a GPAI model when it shows significant generality. A human assessment
    decides; without one, the Guidelines' indicative criterion is used: more than 10^23
    FLOP and the model generates text (incl. code), audio, images or video. ``shown``: the
    text of the compute figure (by default formatted from ``flop``)."""
    trace = LazyTrace()
    value: bool
    if facts.generality is not None:
        value = facts.generality == "significant"
        trace.fire(
            "GL-01",
            f"human assessment: generality is {facts.generality}; it takes precedence over "
            "the indicative criterion",
        )
        basis = "human_assessment"
    elif facts.decisions and any(d.type in _DESIGNATIONS and d.date <= on for d in facts.decisions):
        value, basis = True, "commission_designation"
        trace.fire(
            "GL-01", "the Commission designated the model as a GPAI model with systemic risk"
        )
        if any(d.type is DecisionType.DESIGNATION_LIFTED and d.date <= on for d in facts.decisions):
            trace.note(
                "lifting a designation (Art. 52(5)) ends the systemic-risk classification, not "
                "the finding that the model is a general-purpose AI model (an interpretation)"
            )
    elif facts.modifies is not None:
        value, basis = True, "modification_of_gpai_model"
        trace.fire("GL-01", "the model is a modification of a general-purpose AI model")
    elif flop is not None:
        threshold = law.decimal("gpai_indicative_flop", on, trace)
        above = flop > threshold
        generative = bool(facts.generates)
        value, basis = above and generative, "indicative_criterion"
        trace.fire_lazy(
            "GL-01", functools.partial(_gl01_reason, flop, shown, above, threshold, facts, value)
        )
    else:
        value, basis = False, "no_evidence"
        trace.fire("GL-01", "no compute and no generality assessment: not shown to be a GPAI model")
    start = law.date("chapters_i_ii_from", on)
    if on < start:
        trace.note_lazy(
            lambda: f"the definitions of Chapter I apply from {start}", cite("AIA", "113", "3", "a")
        )
        return trace.finding(NOT_IN_FORCE, basis)

    return trace.finding(value, basis)


def _gl01_reason(
    flop: Decimal,
    shown: str | None,
    above: bool,
    threshold: Decimal,
    facts: ModelFacts,
    value: bool,
) -> str:
    generates = facts.generates
    return (
        f"training compute {shown or two_significant_figures(flop)} FLOP is "
        f"{'above' if above else 'not above'} {threshold:g}; the model "
        + (
            f"generates {', '.join(sorted(generates))}"
            if generates
            else "generates no language, image or video"
        )
        + f": indicatively {'a' if value else 'not a'} GPAI model"
        " (a human check may decide otherwise)"
    )


# --- who is the provider? -------------------------------------------------------------------


@rule("DEF-01", cite("AIA", "3", "3"))
def provider_role(facts: ModelFacts, *, on: date, law: Law) -> Finding:
    """The provider develops the model or has it developed and places it on the market under
    its own name; a downstream modifier is provider only past the Guidelines' criterion."""
    if facts.modifies is not None:
        return modifier_role(facts, on=on, law=law)
    return _own_model()


@functools.cache
def _own_model() -> Finding:
    """The provider of its own model: the same finding for every model (built once)."""
    trace = Trace()
    trace.fire(
        "DEF-01",
        "the facts describe a model developed by or for the person who places it on the market "
        "under its own name: that person is its provider (payment irrelevant)",
    )
    return trace.finding("provider", "own_model")


@rule("GL-02", cite("GL", "§3.2", "62-64"), cite("GL", "§3.2", "68-70"), cite("AIA", "Recital 109"))
def modifier_role(facts: ModelFacts, *, on: date, law: Law) -> Finding:
    """A downstream modifier becomes the provider of the modified model when the compute used
    for the modification exceeds one third of the original model's training compute (or, if
    that is unknown, one third of 10^25 for an original with systemic risk, else of 10^23)."""
    assert facts.modifies is not None
    trace = LazyTrace()
    divisor = law.integer("modifier_compute_divisor", on, trace)
    original = facts.modifies.original_compute_flop
    if original is None:
        key = (
            "modifier_assumed_original_flop_sr"
            if facts.modifies.original_systemic_risk
            else "modifier_assumed_original_flop_gpai"
        )
        original = law.decimal(key, on, trace)
        assumed = original
        trace.note_lazy(lambda: f"original compute unknown: {assumed:g} FLOP assumed")
    threshold = original / divisor
    mod = facts.modification_compute_flop
    if mod is None:
        raise InputError("modification_compute_flop", "is required when modifies is given")
    becomes = mod > threshold
    trace.fire_lazy(
        "GL-02",
        lambda: (
            f"modification compute {two_significant_figures(mod)} FLOP is "
            f"{'more' if becomes else 'not more'} than 1/{divisor} of the original compute "
            f"({two_significant_figures(threshold)} FLOP)"
        ),
    )
    if becomes:
        trace.note(
            "the modifier's obligations are limited to the modification (documentation, "
            "copyright policy and training summary for the data used) unless the model has "
            "systemic risk",
            cite("GL", "§3.2", "68"),
        )
        return trace.finding("modifier_is_provider", "modification_compute")
    trace.note("the original provider keeps the obligations; the modifier has none for the model")
    return trace.finding("modifier_not_provider", "modification_compute")


# --- systemic risk --------------------------------------------------------------------------


@rule("GPAI-CLS-01", cite("AIA", "51", "2"), cite("AIA", "51", "3"))
def presumed_high_impact(
    flop: Decimal | None, *, on: date, law: Law, trace: AnyTrace, shown: str | None = None
) -> bool:
    """High-impact capabilities are presumed when cumulative training compute is greater
    than 10^25 FLOP (strictly; the threshold can change by delegated act). ``shown``: the
    text of the compute figure (by default formatted from ``flop``)."""
    threshold = law.decimal("sr_presumption_flop", on, trace)
    if flop is None:
        trace.fire(
            "GPAI-CLS-01", "no training compute known: the presumption is not shown to be met"
        )
        return False
    met = flop > threshold
    trace.fire_lazy(
        "GPAI-CLS-01",
        lambda: (
            f"cumulative compute {shown or two_significant_figures(flop)} FLOP is "
            f"{'greater' if met else 'not greater'} than {threshold:g}: presumption "
            f"{'met' if met else 'not met'}"
        ),
    )
    return met


def _check_decisions(decisions: tuple[Decision, ...], on: date, law: Law) -> list[Decision]:
    start = law.date("chapter_v_from", on)
    ordered = sorted(decisions, key=lambda d: d.date)
    for index, d in enumerate(decisions):
        if d.date < start:
            raise InputError(
                f"decisions[{index}].date", f"Art. 52 decisions can be taken from {start}"
            )
        if (
            d.type is DecisionType.DESIGNATION_MAINTAINED
            or d.type is DecisionType.DESIGNATION_LIFTED
        ):
            _check_reassessment_outcome(decisions, index, d)
    return ordered


def _check_reassessment_outcome(decisions: tuple[Decision, ...], index: int, d: Decision) -> None:
    """A decision maintaining or lifting a designation answers a reassessment of an Art. 52(4)
    designation still in force: one taken on or before it and not lifted since."""
    designated = [
        e.date
        for e in decisions
        if e.type is DecisionType.DESIGNATED_ANNEX_XIII and e.date <= d.date
    ]
    if not designated:
        raise InputError(
            f"decisions[{index}].type",
            f"{d.type.value} needs an earlier designated_annex_xiii decision",
        )
    start = max(designated)
    lifted = [
        e.date
        for e in decisions
        if e is not d and e.type is DecisionType.DESIGNATION_LIFTED and start <= e.date < d.date
    ]
    if lifted:
        raise InputError(
            f"decisions[{index}].type",
            f"the designation of {start} was lifted on {min(lifted)}: {d.type.value} needs a "
            "new designated_annex_xiii decision",
        )


@rule(
    "GPAI-CLS-02",
    cite("AIA", "51", "1"),
    cite("AIA", "52", "3"),
    cite("AIA", "52", "4"),
    cite("GL", "§2.3.4", "41-45"),
)
def systemic_risk_status(
    facts: ModelFacts,
    presumption_met: bool,
    is_gpai: bool,
    *,
    on: date,
    law: Law,
    trace: AnyTrace,
) -> tuple[str, DecisionType | None, date | None]:
    """The latest Commission decision taken by the date asked wins over the presumption;
    without one, the presumption decides. Two decisions on one day that point different
    ways are a conflict."""
    if not facts.decisions:
        return _status_without_decision(presumption_met, is_gpai, trace)
    taken = [d for d in _check_decisions(facts.decisions, on, law) if d.date <= on]
    later = len(facts.decisions) - len(taken)
    if later:
        trace.note_lazy(
            lambda: f"{later} decision(s) dated after {on} are not taken yet on that date"
        )
    if taken:
        last_day = taken[-1].date
        same_day = {_STATUS_OF_DECISION[d.type] for d in taken if d.date == last_day}
        if len(same_day) > 1:
            raise ConflictError(
                ["GPAI-CLS-02", "GPAI-PROC-04"],
                f"decisions of {last_day} point different ways: {', '.join(sorted(same_day))}",
            )
        last = taken[-1]
        if last.type is DecisionType.DESIGNATION_LIFTED:
            return _status_after_lift(taken, last, presumption_met, is_gpai, trace)
        status = _STATUS_OF_DECISION[last.type]
        trace.fire_lazy(
            "GPAI-CLS-02",
            lambda: (
                f"latest Commission decision: {last.type.value} of {last.date}; it prevails "
                f"over the presumption: status {status}"
            ),
        )
        return status, last.type, last.date
    return _status_without_decision(presumption_met, is_gpai, trace)


def _status_after_lift(
    taken: list[Decision],
    lift: Decision,
    presumption_met: bool,
    is_gpai: bool,
    trace: AnyTrace,
) -> tuple[str, DecisionType | None, date | None]:
    """After a lift the Annex XIII designation no longer counts; what else decides the status
    (an earlier Art. 52(2)-(3) decision, a designation after a failure to notify, or the
    compute presumption) decides it again. An interpretation: see docs/aiact/open-questions.md
    ("designation lifted")."""
    others = [d for d in taken if d.type not in _ANNEX_XIII_CHAIN]
    trace.note_lazy(
        lambda: (
            f"designation lifted on {lift.date} after a reassessment: the Art. 51(1)(b) basis "
            "ends from the date the provider is informed (taken as the decision's date); the "
            "Art. 51(1)(a) basis is an alternative one and still applies if its facts hold, "
            "with any earlier notification and Art. 52(2)-(3) decision (an interpretation: "
            "the law says what follows a maintained designation, not a lifted one; open "
            "question 'designation lifted')"
        ),
        *_LIFT_CITATIONS,
    )
    if not others:
        status = "presumed" if presumption_met and is_gpai else "not_sr"
        trace.fire(
            "GPAI-CLS-02",
            "no other Commission decision: "
            + (
                "the Art. 51(2) presumption applies (rebuttable under Art. 52(2))"
                if status == "presumed"
                else "no presumption, so no systemic risk"
            ),
        )
        return status, DecisionType.DESIGNATION_LIFTED, lift.date
    last = others[-1]
    status = _STATUS_OF_DECISION[last.type]
    trace.fire_lazy(
        "GPAI-CLS-02",
        lambda: (
            f"after the lift the latest other Commission decision decides: {last.type.value} "
            f"of {last.date}: status {status}"
        ),
    )
    return status, DecisionType.DESIGNATION_LIFTED, lift.date


def _status_without_decision(
    presumption_met: bool, is_gpai: bool, trace: AnyTrace
) -> tuple[str, DecisionType | None, date | None]:
    if not is_gpai:
        trace.fire("GPAI-CLS-02", "not a GPAI model, so no systemic-risk classification")
        return "not_sr", None, None
    status = "presumed" if presumption_met else "not_sr"
    trace.fire(
        "GPAI-CLS-02",
        "no Commission decision: "
        + (
            "the presumption applies (rebuttable under Art. 52(2))"
            if presumption_met
            else "no presumption and no designation"
        ),
    )
    return status, None, None


@rule("GPAI-PROC-04", cite("GL", "§2.3.4", "41-45"))
def sr_obligations_period(
    facts: ModelFacts,
    status: str,
    decision: DecisionType | None,
    decided_on: date | None,
    *,
    trace: AnyTrace,
) -> tuple[date | None, date | None]:
    """When systemic-risk obligations start or end depends on the path: from the date the
    condition was met (presumption, rejected arguments, designation after failure to
    notify), from the designation (Annex XIII), and they end when an acceptance is notified."""
    met = facts.threshold_known_on
    if decision is DecisionType.ARGUMENTS_ACCEPTED:
        trace.fire_lazy(
            "GPAI-PROC-04", lambda: f"acceptance: systemic-risk obligations end on {decided_on}"
        )
        return None, decided_on
    if decision is DecisionType.DESIGNATED_ANNEX_XIII:
        trace.fire_lazy(
            "GPAI-PROC-04",
            lambda: f"Annex XIII designation: obligations from the decision ({decided_on})",
        )
        return decided_on, None
    if decision is DecisionType.DESIGNATION_LIFTED:
        return _period_after_lift(facts, status, decided_on, trace)
    if decision is DecisionType.DESIGNATION_MAINTAINED:
        first = _designation_start(facts, decided_on)
        trace.fire_lazy(
            "GPAI-PROC-04",
            lambda: f"designation maintained: obligations run since the designation ({first})",
        )
        return first, None
    if decision is DecisionType.DESIGNATED_FAILURE_TO_NOTIFY:
        since = met or decided_on
        trace.fire_lazy(
            "GPAI-PROC-04",
            lambda: (
                "designation after a failure to notify: obligations from when the condition "
                f"was met ({since})"
            ),
        )
        return since, None
    if status == "presumed" or status == "confirmed":
        trace.fire_lazy(
            "GPAI-PROC-04",
            lambda: (
                "obligations run from when the condition was met"
                + (f" ({met})" if met else " (date not given: threshold_known_on)")
                + "; filing arguments does not suspend them"
            ),
        )
        return met, None
    return None, None


def _designation_start(facts: ModelFacts, decided_on: date | None) -> date:
    """The first Annex XIII designation since the last lift before ``decided_on``."""
    assert decided_on is not None
    lifts = [
        d.date
        for d in facts.decisions
        if d.type is DecisionType.DESIGNATION_LIFTED and d.date <= decided_on
    ]
    after = max(lifts) if lifts else date.min
    return min(
        d.date
        for d in facts.decisions
        if d.type is DecisionType.DESIGNATED_ANNEX_XIII and after <= d.date <= decided_on
    )


def _period_after_lift(
    facts: ModelFacts, status: str, lifted_on: date | None, trace: AnyTrace
) -> tuple[date | None, date | None]:
    """A lift ends the obligations on its date unless the model keeps systemic risk on the
    Art. 51(1)(a) basis; then they run as on that path, from when the condition was met."""
    if status != "presumed" and status != "confirmed" and status != "designated":
        trace.fire_lazy(
            "GPAI-PROC-04",
            lambda: (
                f"designation lifted: systemic-risk obligations end on {lifted_on}, when the "
                "provider is informed (as for an acceptance; an interpretation)"
            ),
        )
        return None, lifted_on
    met = facts.threshold_known_on
    since = met
    if status == "designated":
        assert lifted_on is not None
        since = met or max(
            d.date
            for d in facts.decisions
            if d.type is DecisionType.DESIGNATED_FAILURE_TO_NOTIFY and d.date <= lifted_on
        )
    trace.fire_lazy(
        "GPAI-PROC-04",
        lambda: (
            f"designation lifted on {lifted_on}, but the model keeps systemic risk on the "
            "Art. 51(1)(a) basis: obligations run from when the condition was met"
            + (f" ({since})" if since else " (date not given: threshold_known_on)")
        ),
    )
    return since, None


@rule("GPAI-PROC-01", cite("AIA", "52", "1"), cite("GL", "§2.3.2", "30-31"))
def notification_due(
    required: bool, trigger: date | None, *, on: date, law: Law, trace: AnyTrace
) -> date | None:
    """Notify the Commission without delay and at the latest two weeks after the compute
    condition is met or it becomes known that it will be met. Where that happened before
    Chapter V applied, the Guidelines expected notification two weeks after 2 August 2025."""
    if not required:
        trace.fire("GPAI-PROC-01", "the notification condition is not met: nothing to notify")
        return None
    if trigger is None:
        trace.fire(
            "GPAI-PROC-01",
            "notification required; the due date needs the date the condition was met or "
            "known (threshold_known_on)",
        )
        return None
    days = law.integer("notification_period", on, trace)
    start = law.date("chapter_v_from", on)
    if trigger < start:
        early = law.date("gpai_transitional_notification_by", on, trace)
        trace.fire_lazy(
            "GPAI-PROC-01",
            lambda: f"condition met on {trigger}, before Chapter V applied ({start}): due {early}",
        )
        return early
    due = add_calendar_days(trigger, days)
    trace.fire_lazy(
        "GPAI-PROC-01",
        lambda: (
            f"condition met or known on {trigger}: notify without delay and by {due} "
            f"({days} calendar days)"
        ),
    )
    return due


@rule("GPAI-PROC-05", cite("AIA", "52", "5"), cite("GL", "§2.3.5", "47"))
def reassessment_earliest(facts: ModelFacts, *, on: date, law: Law, trace: AnyTrace) -> date | None:
    """A provider of a model designated under Art. 52(4) may ask for reassessment at the
    earliest six months after the designation or after the latest decision maintaining it.
    No such route exists after rejected arguments (open question 6)."""
    chain = sorted(
        (d for d in facts.decisions if d.date <= on and d.type in _ANNEX_XIII_CHAIN),
        key=lambda d: d.date,
    )
    if chain and chain[-1].type is DecisionType.DESIGNATION_LIFTED:
        lifted = chain[-1].date
        trace.fire_lazy(
            "GPAI-PROC-05",
            lambda: (
                f"the designation was lifted on {lifted}: no designation is left to reassess "
                "(a new Art. 52(4) designation would start the clock again)"
            ),
        )
        return None
    relevant = [d for d in chain if d.type is not DecisionType.DESIGNATION_LIFTED]
    if not relevant:
        trace.fire(
            "GPAI-PROC-05",
            "no Art. 52(4) designation: no reassessment request under Art. 52(5) (after rejected "
            "arguments the text gives no route; see open question 6)",
        )
        return None
    last = max(d.date for d in relevant)
    months = law.integer("reassessment_interval", on, trace)
    earliest = add_months(last, months)
    trace.fire_lazy(
        "GPAI-PROC-05",
        lambda: (
            f"latest designation decision {last}: a reasoned request with new reasons is "
            f"possible from {earliest}"
        ),
    )
    return earliest


@rule("GPAI-PROC-07", cite("GL", "§2.3.4", "42"))
def renotification_note(trace: AnyTrace) -> None:
    """After an acceptance the provider must notify again if the facts change substantially
    or the decision rested on incomplete, incorrect or misleading information; the
    Commission may then turn the acceptance into a rejection."""
    trace.fire(
        "GPAI-PROC-07",
        "the acceptance holds only while the facts stay as notified: a substantial change, or "
        "incomplete or misleading information, requires a new notification",
    )


@rule("GPAI-CLS-03", cite("AIA", "Annex XIII", None, "f"))
def reach_presumed(users: int, *, on: date, law: Law, trace: AnyTrace) -> bool:
    """High impact on the internal market through reach is presumed from 10 000 registered
    business users in the Union; this is one criterion of a designation, not a classification."""
    floor = law.integer("annex_xiii_business_users", on, trace)
    met = users >= floor
    trace.fire_lazy(
        "GPAI-CLS-03",
        lambda: (
            f"{users} registered EU business users: reach criterion (f) "
            f"{'presumed' if met else 'not presumed'} (threshold {floor})"
        ),
    )
    return met


@rule("GPAI-CLS-04", cite("AIA", "51", "1", "b"), cite("AIA", "52", "4"), cite("AIA", "90", "2"))
def designation_review(reach: bool, has_sr: bool, trace: AnyTrace) -> bool:
    """The engine never designates: where an Annex XIII criterion points to high impact and
    the model is not yet classified, it recommends that staff consider a designation."""
    recommend = reach and not has_sr
    trace.fire(
        "GPAI-CLS-04",
        "recommend a human designation assessment under Annex XIII"
        if recommend
        else "no designation review recommended",
    )
    return recommend


# --- putting it together --------------------------------------------------------------------


_GPAI: dict[tuple[object, ...], Template] = {}
_SR: dict[tuple[object, ...], tuple[Template, bool, str, date | None, date | None]] = {}
_NOTIFICATION: dict[tuple[object, ...], tuple[Finding, date | None]] = {}
_REASSESSMENT: dict[tuple[object, ...], tuple[Finding, date | None]] = {}
"""Findings by everything their rules read: the law, the stretch of days (``Law.epoch``: the
parameters and how the date compares with them) and the facts that matter. The rules run on
the first occurrence of a key; later ones reuse the finding, with per-input figures put back
(:class:`~aiact._answer.Template`)."""


def classify_model(facts: ModelFacts, *, on: date, law: Law) -> Classification:
    """Classify a model on a date: compute, GPAI status, provider role, systemic risk, the
    notification and the reassessment clock."""
    epoch = law.epoch(on)
    version = _act_version(on, law)
    compute = _compute(facts, on, law, epoch)
    flop, shown = compute.flop, compute.flop_2sf or ""
    decisions = facts.decisions
    taken = tuple([d.date <= on for d in decisions]) if decisions else ()
    above = met = None
    if flop is not None:
        gpai_threshold, sr_threshold, _ = _limits(law, on, epoch)
        above, met = flop > gpai_threshold, flop > sr_threshold
    key: tuple[object, ...] = (
        law,
        epoch,
        facts.generality,
        decisions,
        taken,
        facts.modifies is None,
        above,
        facts.generates,
    )
    template = _GPAI.get(key) or remember(
        _GPAI, key, Template(gpai_status(facts, flop, on=on, law=law, shown=HOLES[0]))
    )
    gpai = template.fill(shown)
    is_gpai = gpai.value is not False
    provider = provider_role(facts, on=on, law=law)

    modifies = facts.modifies
    key = (
        law,
        epoch,
        met,
        modifies is not None
        and modifies.original_systemic_risk
        and provider.value == "modifier_is_provider",
        is_gpai,
        decisions,
        taken,
        None if all(taken) else on,
        facts.threshold_known_on,
    )
    sr = _SR.get(key) or remember(_SR, key, _systemic_risk(facts, flop, provider, is_gpai, on, law))
    template, presumption, status, since, until = sr
    systemic_risk = template.fill(shown)
    has_sr = status == "presumed" or status == "confirmed" or status == "designated"

    review: Finding | None = None
    if facts.eu_registered_business_users is not None:
        review_trace = LazyTrace()
        reach = reach_presumed(
            facts.eu_registered_business_users, on=on, law=law, trace=review_trace
        )
        review = review_trace.finding(designation_review(reach, has_sr, review_trace), "annex_xiii")

    required = presumption and is_gpai and provider.value != "modifier_not_provider"
    key = (law, epoch, required, facts.threshold_known_on)
    notification, due = _NOTIFICATION.get(key) or remember(
        _NOTIFICATION, key, _notification(required, facts.threshold_known_on, on, law)
    )

    key = (law, epoch, decisions, taken)
    reassessment, earliest = _REASSESSMENT.get(key) or remember(
        _REASSESSMENT, key, _reassessment(facts, on, law)
    )
    return Classification(  # positional: in the order of the fields (faster on the hot path)
        on,
        version,
        compute,
        gpai,
        provider,
        presumption,
        systemic_risk,
        status,
        since,
        until,
        notification,
        required,
        due,
        reassessment,
        earliest,
        review,
    )


def _systemic_risk(
    facts: ModelFacts, flop: Decimal | None, provider: Finding, is_gpai: bool, on: date, law: Law
) -> tuple[Template, bool, str, date | None, date | None]:
    """The systemic-risk finding (the compute figure left as a hole), the presumption, the
    status and the period of the systemic-risk obligations."""
    sr_trace = LazyTrace()
    presumption = presumed_high_impact(flop, on=on, law=law, trace=sr_trace, shown=HOLES[0])
    if (
        facts.modifies is not None
        and facts.modifies.original_systemic_risk
        and provider.value == "modifier_is_provider"
    ):
        presumption = True
        sr_trace.note(
            "the modified model derives from a model with systemic risk and its modifier became "
            "provider: high-impact capabilities are presumed",
            cite("GL", "§3.2", "70"),
        )
    status, decision, decided_on = systemic_risk_status(
        facts, presumption, is_gpai, on=on, law=law, trace=sr_trace
    )
    since, until = sr_obligations_period(facts, status, decision, decided_on, trace=sr_trace)
    if status == "not_sr_by_acceptance":
        renotification_note(sr_trace)
    has_sr = status == "presumed" or status == "confirmed" or status == "designated"
    sr_value: object = has_sr
    chapter_v = law.date("chapter_v_from", on)
    if on < chapter_v:
        sr_trace.note_lazy(lambda: f"Chapter V applies from {chapter_v}", _ART113_3_B)
        sr_value = NOT_IN_FORCE
    return Template(sr_trace.finding(sr_value, status)), presumption, status, since, until


def _notification(
    required: bool, trigger: date | None, on: date, law: Law
) -> tuple[Finding, date | None]:
    n_trace = LazyTrace()
    due = notification_due(required, trigger, on=on, law=law, trace=n_trace)
    return Template(n_trace.finding(required, "art52_1")).finding, due


def _reassessment(facts: ModelFacts, on: date, law: Law) -> tuple[Finding, date | None]:
    r_trace = LazyTrace()
    earliest = reassessment_earliest(facts, on=on, law=law, trace=r_trace)
    return Template(r_trace.finding(earliest, "art52_5")).finding, earliest
