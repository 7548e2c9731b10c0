"""The decision document: a reasoned Commission decision in a case, as PDF (WeasyPrint).

Built from what the decision service is about to store (`DecisionText`): the reference,
the provider, the operative part, the reasons, the fine with its ceiling and the factors
weighed, the hearing record, the remedies, and aiact's rules version and citations. The
document refers to no external resource (WeasyPrint is not let fetch any).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

__all__ = ["TEMPLATE", "DecisionText", "FineText", "HearingText", "render_html", "render_pdf"]

TEMPLATE = "supervision/decisions/decision.html"


@dataclass(frozen=True)
class FineText:
    ground: str  # its label
    culpability: str  # its label
    amount_eur: Decimal
    ceiling_eur: Decimal
    ceiling_basis: str
    turnover_eur: Decimal
    turnover_year: int
    factors: list[tuple[str, str]]  # (factor, how it was weighed)


@dataclass(frozen=True)
class HearingText:
    sent_on: date
    answer_by: date
    minimum_period_ends: date
    urgent: bool
    urgency_grounds: str
    observed_on: date | None
    observations: str


@dataclass(frozen=True)
class DecisionText:
    reference: str
    case_reference: str
    case_title: str
    provider: str
    versions: list[str]
    kind: str  # its label
    adopted_on: date
    adopted_by: str
    operative: list[str]
    reasons: str
    remedies: str
    legal_reasons: list[str]
    citations: list[str]
    rules_version: str
    hearing: HearingText | None = None
    fine: FineText | None = None
    measures: list[dict[str, Any]] = field(default_factory=list)
    commitments: str = ""


def render_html(text: DecisionText) -> str:
    return render_to_string(TEMPLATE, {"d": text})


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"the decision fetches nothing ({url})")


def render_pdf(text: DecisionText) -> bytes:
    """The decision as PDF/UA-1: a tagged PDF (headings, lists, tables in its structure
    tree), with its title and language, that screen readers can read (EN 301 549 clause
    10)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = HTML(string=render_html(text), url_fetcher=_refuse_fetch)
    pdf: bytes = html.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
