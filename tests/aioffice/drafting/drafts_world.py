"""What the drafts' tests build on: a small structured document of a code (two chapters,
commitments, measures, a KPI) and a pair of published versions, the second changed."""

from __future__ import annotations

import json
from typing import Any

from aioffice.accounts.models import User
from aioffice.drafting import services_drafts as services
from aioffice.drafting.models_drafts import Draft
from aioffice.drafting.models_projects import Project

DOCUMENT: dict[str, Any] = {
    "title": "Test code, first draft",
    "explanation": "The first text put to the working groups (test).",
    "sections": [
        {
            "key": "transparency",
            "kind": "chapter",
            "number": "1",
            "title": "Transparency chapter",
            "text": "Providers keep their model documentation current.",
            "registry_chapter": "transparency",
            "children": [
                {
                    "key": "t-commit-1",
                    "kind": "commitment",
                    "number": "1.1",
                    "title": "Documentation",
                    "text": "Signatories draw up and keep up to date a documentation form.",
                    "children": [
                        {
                            "key": "t-measure-1",
                            "kind": "measure",
                            "number": "1.1.1",
                            "title": "Keeping the form",
                            "text": "The form is kept for ten years after the model is placed.",
                            "children": [
                                {
                                    "key": "t-kpi-1",
                                    "kind": "kpi",
                                    "number": "KPI 1",
                                    "title": "Forms complete",
                                    "text": "The share of models with a complete form.",
                                }
                            ],
                        },
                        {
                            "key": "t-measure-2",
                            "kind": "measure",
                            "number": "1.1.2",
                            "title": "Sharing on request",
                            "text": "Downstream providers receive the form within a set time.",
                        },
                    ],
                }
            ],
        },
        {
            "key": "copyright",
            "kind": "chapter",
            "number": "2",
            "title": "Copyright chapter",
            "text": "Providers put in place a policy to comply with Union copyright law.",
            "registry_chapter": "copyright",
            "children": [
                {
                    "key": "c-commit-1",
                    "kind": "commitment",
                    "number": "2.1",
                    "title": "A copyright policy",
                    "text": "Signatories write, keep and apply a copyright policy.",
                    "children": [
                        {
                            "key": "c-measure-1",
                            "kind": "measure",
                            "number": "2.1.1",
                            "title": "Respecting reservations",
                            "text": "Crawlers read and follow machine-readable reservations.",
                        }
                    ],
                }
            ],
        },
    ],
}


def document() -> dict[str, Any]:
    """A fresh copy of DOCUMENT to change."""
    copy: dict[str, Any] = json.loads(json.dumps(DOCUMENT))
    return copy


def keys_in_order(draft: Draft) -> list[str]:
    return list(draft.sections.order_by("position").values_list("key", flat=True))


def published_pair(
    actor: User, project: Project, visibility: str = "public"
) -> tuple[Draft, Draft]:
    """Version 1 (DOCUMENT) and version 2 (one section changed with its explanation, one
    added, one removed, one moved), both published to `visibility`."""
    first = services.draft_import(actor=actor, project=project, document=DOCUMENT)
    services.draft_publish(actor=actor, draft=first, visibility=visibility)
    second = services.draft_next(actor=actor, project=project)
    services.section_update(
        actor=actor,
        section=second.sections.get(key="t-measure-1"),
        number="1.1.1",
        title="Keeping the form",
        text="The form is kept for at least ten years after the model is placed <on the market>.",
        explanation="The drafters set a floor, as many respondents asked.",
    )
    services.section_add(
        actor=actor,
        draft=second,
        key="c-measure-2",
        kind="measure",
        number="2.1.2",
        title="A point of contact",
        text="Rightholders can reach the signatory electronically.",
        explanation="Added after the plenary.",
        parent="c-commit-1",
    )
    services.section_remove(actor=actor, section=second.sections.get(key="t-measure-2"))
    services.section_move(
        actor=actor, section=second.sections.get(key="copyright"), parent=None, index=1
    )
    services.draft_update(
        actor=actor, draft=second, title="Test code, second draft", explanation="Second round."
    )
    services.draft_publish(actor=actor, draft=second, visibility=visibility)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second
