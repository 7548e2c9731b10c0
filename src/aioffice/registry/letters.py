"""Decision letters: every Art. 52 decision is notified by a letter generated from a
template in the decision's transaction and stored with its SHA-256.

The letter is one self-contained HTML document (styles inline, print rules for A4, no
script, no external resource): any browser shows and prints it, it needs no new
dependency, and its bytes, hence its checksum, depend only on what is stored. The reasons
and citations come from aiact's answer for the version as of the decision's date, so the
letter names the rules and the rules version that the decision rests on.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from aioffice.registry.choices import ANNEX_XIII_CRITERIA, DecisionKind
from aioffice.registry.models import AuthorisedRepresentative, Decision, DecisionLetter
from aioffice.registry.models import current_mandates as _current_mandates

CONTENT_TYPE = "text/html; charset=utf-8"
TEMPLATE = "registry/letters/decision.html"

# The parts of aiact's answer that bear on each kind of decision.
_ANSWER_PARTS: dict[str, tuple[str, ...]] = {
    DecisionKind.DESIGNATION_MAINTAINED: ("systemic_risk", "reassessment"),
    DecisionKind.DESIGNATION_LIFTED: ("systemic_risk", "reassessment"),
}


def reference_of(decision: Decision) -> str:
    """The tracking number the letter carries: the notification's, or the decision's own
    (`D-<year>-<id>`) for a decision taken without one."""
    if decision.notification is not None:
        return str(decision.notification.tracking_number)
    return f"D-{decision.decided_on:%Y}-{decision.pk:06d}"


def _citations(answer: dict[str, Any], parts: tuple[str, ...]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    citations = []
    for part in parts:
        finding = answer.get(part)
        if not isinstance(finding, dict):
            continue
        for citation in finding.get("citations") or ():
            label = str(citation.get("label", ""))
            if label and label not in seen:
                seen.add(label)
                citations.append(citation)
    return citations


def _rule_reasons(answer: dict[str, Any], parts: tuple[str, ...]) -> list[str]:
    reasons: list[str] = []
    for part in parts:
        finding = answer.get(part)
        if isinstance(finding, dict):
            reasons.extend(str(r) for r in finding.get("reasons") or ())
    return reasons


def letter_context(decision: Decision, answer: dict[str, Any]) -> dict[str, Any]:
    version = decision.version
    provider = version.model.provider
    representative = (
        AuthorisedRepresentative.objects.filter(
            _current_mandates(decision.decided_on), provider=provider
        )
        .select_related("representative")
        .order_by("start", "id")
        .first()
    )
    parts = _ANSWER_PARTS.get(decision.kind, ("systemic_risk",))
    criteria = [
        {"key": key, "reasons": decision.annex_xiii[key]}
        for key in ANNEX_XIII_CRITERIA
        if key in decision.annex_xiii
    ]
    return {
        "decision": decision,
        "reference": reference_of(decision),
        "provider": provider,
        "organisation": provider.organisation,
        "representative": representative,
        "model": version.model,
        "version": version,
        "notification": decision.notification,
        "hearing": decision.hearing,
        "reassessment_request": decision.reassessment_request,
        "criteria": criteria,
        "rule_reasons": _rule_reasons(answer, parts),
        "citations": _citations(answer, parts),
        "status": (answer.get("systemic_risk") or {}).get("basis", ""),
        "lifted": decision.kind == DecisionKind.DESIGNATION_LIFTED,
        "rules_version": str(answer.get("rules_version", "")),
        "law": str(answer.get("law", "")),
    }


def letter_render(decision: Decision, answer: dict[str, Any]) -> bytes:
    return render_to_string(TEMPLATE, letter_context(decision, answer)).encode("utf-8")


def letter_generate(*, decision: Decision, answer: dict[str, Any]) -> DecisionLetter:
    """Render the letter for a decision just taken and store it (call inside the
    decision's transaction). `answer` is aiact's `to_json()` for the version as of the
    decision's date."""
    content = letter_render(decision, answer)
    letter = DecisionLetter(
        decision=decision,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content_type=CONTENT_TYPE,
        generated_at=timezone.now(),
        rules_version=str(answer.get("rules_version", "")),
    )
    letter.document.save(
        f"decision-{reference_of(decision)}-{decision.pk}.html", ContentFile(content), save=False
    )
    letter.full_clean()
    letter.save()
    return letter
