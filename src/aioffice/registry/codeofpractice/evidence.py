"""The Code of Practice's evidence for compliance monitoring (`registry.evidence`).

For a model version with systemic risk whose provider signed the safety and security
chapter, the Safety and Security Framework (S&S Commitment 1) and the Model Report
(Commitment 7) are what the Code offers towards Art. 55(1)(a) (model evaluation,
adversarial testing: the Model Report documents them, M7.3) and Art. 55(1)(b)
(assessing and mitigating systemic risks: the Framework and the Model Report). Their
status is met, incomplete (an interim report only), overdue (aiact's COP-04 or COP-05
date has passed) or pending (not submitted, not yet due, or no date yet).

A signature is not offered as evidence: signing is a route to compliance, and adherence is
not conclusive evidence of it (AI-ACT.md §6.2); `selectors.statuses_of` gives COP-01 to
whoever shows the route. A provider outside the chapter gets nothing from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.urls import reverse

from aioffice.registry.codeofpractice.selectors import Standing, deadlines_of
from aioffice.registry.evidence import Evidence
from aioffice.registry.models import ModelVersion

# The obligations (aiact's ids) each document goes towards.
FRAMEWORK_OBLIGATIONS: tuple[str, ...] = ("art55_1_a", "art55_1_b")
MODEL_REPORT_OBLIGATIONS: tuple[str, ...] = ("art55_1_a", "art55_1_b")


def _evidence(
    version_id: int, obligation: str, kind: str, label: str, standing: Standing, url: str
) -> Evidence:
    return Evidence(
        version_id=version_id,
        obligation=obligation,
        kind=kind,
        label=label,
        status=standing.status,  # type: ignore[arg-type]  # one of EvidenceStatus
        due=standing.due,
        detail=standing.detail,
        url=url,
    )


def evidence_for(versions: Sequence[ModelVersion], on: date) -> Iterable[Evidence]:
    """The Framework and Model Report of each version on `on`; five queries whatever the
    number of versions (`selectors.deadlines_of`)."""
    url = reverse("codeofpractice:deadlines")
    out: list[Evidence] = []
    for entry in deadlines_of(list(versions), on):
        pk = entry.version.pk
        if entry.framework is not None:
            for obligation in FRAMEWORK_OBLIGATIONS:
                out.append(
                    _evidence(
                        pk,
                        obligation,
                        "cop:framework",
                        "Safety and Security Framework",
                        entry.framework,
                        url,
                    )
                )
        if entry.model_report is not None:
            for obligation in MODEL_REPORT_OBLIGATIONS:
                out.append(
                    _evidence(
                        pk, obligation, "cop:model_report", "Model Report", entry.model_report, url
                    )
                )
    return out
