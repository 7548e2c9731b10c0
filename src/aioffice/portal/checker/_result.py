"""The result of a walk: aiact's answer under the text as amended and as published, put in
the shape the result page shows (statuses with dates, provisions with EUR-Lex links, the
items on which the two texts differ).

The legal answer is aiact's alone: this module calls :func:`aiact.evaluate` and only
arranges what it returns. The answers of aiact for the same facts and date are kept in a
small in-process cache (they are read-only: nothing here changes them).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

import aiact
from aioffice.portal.checker import names
from aioffice.portal.checker._answers import Walk

__all__ = [
    "CELEX",
    "LAWS",
    "Cell",
    "Comparison",
    "Item",
    "Link",
    "Result",
    "When",
    "compute",
    "eurlex_url",
]

LAWS: Final = ("as-amended", "as-published")
KIND_OF_FLOW: Final = {"system": "system", "gpai": "model"}

# CELEX numbers of the instruments aiact cites that EUR-Lex publishes, by their ELI (the
# citations of aiact carry the ELI): AIA, OMNIBUS and MSR. Guidelines, the Code of Practice
# and templates have no ELI: they are shown without a link.
CELEX: Final[Mapping[str, str]] = {
    "http://data.europa.eu/eli/reg/2024/1689/oj": "32024R1689",
    "http://data.europa.eu/eli/reg/2026/1744/oj": "32026R1744",
    "http://data.europa.eu/eli/reg/2019/1020/oj": "32019R1020",
}
_CELEX_OF_KEY: Final = {"AIA": "32024R1689", "OMNIBUS": "32026R1744", "MSR": "32019R1020"}
_FIRST_NUMBER: Final = re.compile(r"\d+")


def _anchor(article: str) -> str:
    """The EUR-Lex fragment of an article (``art_5``), annex (``anx_XI``) or recital
    (``rct_97``); empty for anything else."""
    if article[:1].isdigit():
        return f"#art_{article}"
    word, _space, rest = article.partition(" ")
    if word == "Annex" and rest:
        return f"#anx_{rest}"
    if word == "Recital" and (number := _FIRST_NUMBER.search(rest)):
        return f"#rct_{number.group()}"
    return ""


def eurlex_url(celex: str, article: str, language: str) -> str:
    """The EUR-Lex page of a provision in the reader's language (EN, FR, DE...)."""
    return (
        f"https://eur-lex.europa.eu/legal-content/{language.upper()}/TXT/"
        f"?uri=CELEX:{celex}{_anchor(article)}"
    )


@dataclass(frozen=True, slots=True)
class Link:
    """A provision: its label, and its EUR-Lex address (None where EUR-Lex has none)."""

    label: str
    url: str | None


def _citation_link(citation: Mapping[str, Any], language: str) -> Link:
    celex = CELEX.get(str(citation.get("eli") or ""))
    label = str(citation["label"])
    if celex is None:
        return Link(label, None)
    return Link(label, eurlex_url(celex, str(citation["article"]), language))


def _provision_link(provision: names.Provision, language: str) -> Link:
    celex = _CELEX_OF_KEY[provision.instrument]
    return Link(provision.label, eurlex_url(celex, provision.article, language))


@dataclass(frozen=True, slots=True)
class When:
    """When a duty applies on the date asked: ``now`` (since ``since``), ``from`` a later
    date, or ``no`` (it does not apply); ``comply_by`` when the date to comply is later
    than the date the duty applies from (models already on the market)."""

    state: str
    since: date | None = None
    comply_by: date | None = None

    @property
    def text(self) -> str:
        """The state in words, in the language of the request."""
        if self.state == "now":
            words = (
                gettext("Applies now (since %(date)s)") % {"date": _date_text(self.since)}
                if self.since
                else gettext("Applies now")
            )
        elif self.state == "from":
            words = gettext("Applies from %(date)s") % {"date": _date_text(self.since)}
        else:
            words = gettext("Does not apply")
        if self.comply_by:
            words += "; " + gettext("comply by %(date)s") % {"date": _date_text(self.comply_by)}
        return words

    @property
    def since_iso(self) -> str:
        return self.since.isoformat() if self.since else ""


def _date_text(day: date | None) -> str:
    assert day is not None
    return _date_in(day, get_language() or "en")


@functools.lru_cache(maxsize=1024)
def _date_in(day: date, language: str) -> str:
    return str(date_format(day))


_NO: Final = When("no")


def _day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _dated(since: object, on: date) -> When:
    start = _day(since)
    assert start is not None
    return When("now" if start <= on else "from", start)


@dataclass(frozen=True, slots=True)
class Item:
    """One obligation, prohibited practice or transparency duty, with its state."""

    id: str
    name: Promise | str
    link: Link
    when: When
    scope: str = "full"


@dataclass(frozen=True, slots=True)
class Cell:
    """One side of a comparison: a status text, or a :class:`When`."""

    text: Promise | str | None = None
    when: When | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """An item whose answer differs between the text as amended and as published."""

    key: str
    name: Promise | str
    amended: Cell
    published: Cell


@dataclass(frozen=True)
class Result:
    """Everything the result page shows, computed by aiact under both texts."""

    kind: str
    as_of: date
    amended: Mapping[str, Any]
    published: Mapping[str, Any]
    summary: Mapping[str, Any]
    items: Sequence[tuple[Promise, Sequence[Item]]]
    comparison: Sequence[Comparison]
    reasons: Sequence[str]
    published_reasons: Sequence[str]
    citations: Sequence[Link]

    @property
    def rules_version(self) -> str:
        return str(self.amended["rules_version"])


@functools.lru_cache(maxsize=4096)
def _evaluate(kind: str, facts_json: str, as_of: date) -> tuple[dict[str, Any], dict[str, Any]]:
    facts = json.loads(facts_json)
    amended = aiact.evaluate(kind, facts, law=aiact.load_law("as-amended"), as_of=as_of)
    published = aiact.evaluate(kind, facts, law=aiact.load_law("as-published"), as_of=as_of)
    return amended, published


def evaluate_walk(walk: Walk, as_of: date) -> tuple[dict[str, Any], dict[str, Any]]:
    """aiact's answers (as amended, as published) for the facts of a complete walk; raises
    :class:`aiact.InputError` naming an input field when aiact refuses the facts."""
    facts = walk.facts()
    facts["as_of"] = as_of.isoformat()
    return _evaluate(KIND_OF_FLOW[walk.flow.key], json.dumps(facts, sort_keys=True), as_of)


def _links(citations: Sequence[Mapping[str, Any]], language: str) -> list[Link]:
    seen: dict[str, Link] = {}
    for c in citations:
        label = str(c["label"])
        if label not in seen:
            seen[label] = _citation_link(c, language)
    return list(seen.values())


# --- AI systems ----------------------------------------------------------------------------


def _system_items(answer: Mapping[str, Any], on: date, language: str) -> dict[str, list[Item]]:
    practices = [
        Item(
            p["id"],
            str(names.PRACTICES[p["id"]].name),
            _provision_link(names.PRACTICES[p["id"]].provision, language),
            _dated(p["applicable_from"], on),
        )
        for p in answer["prohibited_practices"]
    ]
    transparency = [
        Item(
            d["id"],
            str(names.TRANSPARENCY[d["id"]].name),
            _provision_link(names.TRANSPARENCY[d["id"]].provision, language),
            _dated(d["applicable_from"], on),
        )
        for d in answer["transparency"]
    ]
    obligations = []
    for o in answer["obligations"]:
        named = names.SYSTEM_OBLIGATIONS[o["id"]]
        applies = o["applies"]
        when = _NO if applies is False else _dated(o["applicable_from"], on)
        obligations.append(
            Item(o["id"], str(named.name), _provision_link(named.provision, language), when)
        )
    return {"practices": practices, "transparency": transparency, "obligations": obligations}


def _high_risk_when(answer: Mapping[str, Any], on: date) -> When:
    hr = answer["high_risk"]
    if hr["value"] is False or hr["applicable_from"] is None:
        return _NO
    return _dated(hr["applicable_from"], on)


def _point_label(point: str) -> str:
    """``4_a`` -> ``4(a)``; ``2`` stays ``2``."""
    area, _sep, letter = point.partition("_")
    return f"{area}({letter})" if letter else area


def _system_summary(answer: Mapping[str, Any], on: date) -> dict[str, Any]:
    hr = answer["high_risk"]
    point = hr.get("annex_iii_point")
    return {
        "tier": answer["tier"],
        "tier_label": names.TIERS.get(answer["tier"], answer["tier"]),
        "high_risk": _high_risk_when(answer, on),
        "route": hr["route"],
        "route_label": names.ROUTES.get(hr["route"]) if hr["route"] else None,
        "annex_iii_point": point,
        "annex_iii_label": _point_label(point) if point else None,
        "derogation": hr["derogation"],
        "legacy": hr["route"] is not None and hr["value"] is False and not hr["derogation"],
    }


def _compare_items(amended: Sequence[Item], published: Sequence[Item]) -> list[Comparison]:
    before = {i.id: i for i in published}
    after = {i.id: i for i in amended}
    rows = []
    for key in [*after, *(k for k in before if k not in after)]:
        a, p = after.get(key), before.get(key)
        when_a, when_p = (a.when if a else _NO), (p.when if p else _NO)
        if when_a != when_p:
            named = a or p
            assert named is not None
            rows.append(Comparison(key, named.name, Cell(when=when_a), Cell(when=when_p)))
    return rows


def _system(
    amended: Mapping[str, Any], published: Mapping[str, Any], on: date, language: str
) -> tuple[dict[str, Any], list[tuple[Promise, Sequence[Item]]], list[Comparison]]:
    items_a = _system_items(amended, on, language)
    items_p = _system_items(published, on, language)
    summary = _system_summary(amended, on)
    comparison: list[Comparison] = []
    if amended["tier"] != published["tier"]:
        comparison.append(
            Comparison(
                "tier",
                _("Tier"),
                Cell(text=names.TIERS.get(amended["tier"], amended["tier"])),
                Cell(text=names.TIERS.get(published["tier"], published["tier"])),
            )
        )
    hr_a, hr_p = _high_risk_when(amended, on), _high_risk_when(published, on)
    if hr_a != hr_p:
        comparison.append(
            Comparison("high_risk", _("High-risk classification"), Cell(when=hr_a), Cell(when=hr_p))
        )
    for group in ("practices", "transparency", "obligations"):
        comparison += _compare_items(items_a[group], items_p[group])
    items: list[tuple[Promise, Sequence[Item]]] = [
        (_("Prohibited practices"), items_a["practices"]),
        (_("Transparency duties (Art. 50)"), items_a["transparency"]),
        (_("Obligations"), items_a["obligations"]),
    ]
    return summary, items, comparison


# --- GPAI models ---------------------------------------------------------------------------

_MODEL_FINDINGS: Final = (
    "act_version",
    "training_compute",
    "gpai",
    "provider",
    "systemic_risk",
    "open_source_exempt",
    "notification",
    "reassessment",
    "obligations_basis",
    "compliance_routes",
)


def _model_items(answer: Mapping[str, Any], on: date, language: str) -> list[Item]:
    out = []
    for o in answer["obligations"]:
        named = names.GPAI_OBLIGATIONS[o["id"]]
        if o["status"] == "not_applicable" or o["applies"] is False:
            when = _NO
        else:
            start = _day(o["applicable_from"])
            comply_by = _day(o.get("comply_by"))
            when = When(
                "now"
                if start is not None and start <= on and o["status"] == "applicable"
                else "from",
                start,
                comply_by if comply_by is not None and comply_by != start else None,
            )
        out.append(
            Item(
                o["id"],
                str(named.name),
                _provision_link(named.provision, language),
                when,
                o["scope"],
            )
        )
    return out


def _model_summary(answer: Mapping[str, Any]) -> dict[str, Any]:
    sr = answer["systemic_risk"]
    provider = answer["provider"]["value"]
    exempt = answer["open_source_exempt"]
    compute = answer["training_compute"]
    return {
        "gpai": answer["gpai"]["value"],
        "provider": provider,
        "provider_label": names.PROVIDER_STATUS.get(provider, provider),
        "systemic_risk": sr["status"],
        "systemic_risk_label": names.SYSTEMIC_RISK_STATUS.get(sr["status"], sr["status"]),
        "notification_required": answer["notification"]["required"],
        "notification_due": _day(answer["notification"]["due"]),
        "open_source_exempt": exempt["value"],
        "failing_conditions": [
            names.FAILING_CONDITIONS.get(c, c) for c in exempt.get("failing_conditions") or ()
        ],
        "compute_flop": compute.get("flop_2sf"),
        "compute_near_threshold": compute.get("near_threshold"),
    }


def _yes_no(value: object) -> Promise:
    return _("Yes") if value is True else _("No")


def _model(
    amended: Mapping[str, Any], published: Mapping[str, Any], on: date, language: str
) -> tuple[dict[str, Any], list[tuple[Promise, Sequence[Item]]], list[Comparison]]:
    items_a = _model_items(amended, on, language)
    items_p = _model_items(published, on, language)
    summary = _model_summary(amended)
    before = _model_summary(published)
    comparison: list[Comparison] = []
    if summary["gpai"] != before["gpai"]:
        comparison.append(
            Comparison(
                "gpai",
                _("General-purpose AI model"),
                Cell(_yes_no(summary["gpai"])),
                Cell(_yes_no(before["gpai"])),
            )
        )
    if summary["systemic_risk"] != before["systemic_risk"]:
        comparison.append(
            Comparison(
                "systemic_risk",
                _("Systemic risk"),
                Cell(summary["systemic_risk_label"]),
                Cell(before["systemic_risk_label"]),
            )
        )
    if summary["notification_required"] != before["notification_required"]:
        comparison.append(
            Comparison(
                "notification",
                _("Notification to the Commission"),
                Cell(_yes_no(summary["notification_required"])),
                Cell(_yes_no(before["notification_required"])),
            )
        )
    if summary["open_source_exempt"] != before["open_source_exempt"]:
        comparison.append(
            Comparison(
                "open_source_exempt",
                _("Open-source exemption"),
                Cell(_yes_no(summary["open_source_exempt"])),
                Cell(_yes_no(before["open_source_exempt"])),
            )
        )
    comparison += _compare_items(items_a, items_p)
    return summary, [(_("Obligations"), items_a)], comparison


def _model_reasons(answer: Mapping[str, Any]) -> tuple[list[str], list[Mapping[str, Any]]]:
    reasons: list[str] = []
    citations: list[Mapping[str, Any]] = []
    for key in _MODEL_FINDINGS:
        finding = answer.get(key)
        if isinstance(finding, Mapping):
            reasons += finding.get("reasons") or ()
            citations += finding.get("citations") or ()
    for o in answer["obligations"]:
        citations += o.get("citations") or ()
    return list(dict.fromkeys(reasons)), citations


def compute(walk: Walk, *, as_of: date, language: str) -> Result:
    """The result of a complete walk on ``as_of``, with EUR-Lex links in ``language``.
    Raises :class:`aiact.InputError` (naming an input field) or
    :class:`aiact.ConflictError` when aiact refuses the facts."""
    amended, published = evaluate_walk(walk, as_of)
    if walk.flow.key == "system":
        summary, items, comparison = _system(amended, published, as_of, language)
        reasons, published_reasons = list(amended["reasons"]), list(published["reasons"])
        cited = [*amended["citations"], *published["citations"]]
    else:
        summary, items, comparison = _model(amended, published, as_of, language)
        reasons, cited_a = _model_reasons(amended)
        published_reasons, cited_p = _model_reasons(published)
        cited = [*cited_a, *cited_p]
    return Result(
        kind=walk.flow.key,
        as_of=as_of,
        amended=amended,
        published=published,
        summary=summary,
        items=items,
        comparison=comparison,
        reasons=reasons,
        published_reasons=published_reasons,
        citations=_links(cited, language),
    )
