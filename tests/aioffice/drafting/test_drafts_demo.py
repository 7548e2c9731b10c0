"""The drafts' demo data: two published versions of the demo code with about a third of the
sections changed and explained, KPIs under measures, one guidelines draft; loads once."""

from __future__ import annotations

import pytest

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import make_user
from aioffice.demo_data import drafting_drafts, drafting_projects
from aioffice.drafting.compare import compare
from aioffice.drafting.models_drafts import Draft, Section

pytestmark = pytest.mark.django_db


class _Users(dict[str, User]):
    """The demo's people by username, made on first use (a person with no role)."""

    def __missing__(self, name: str) -> User:
        self[name] = make_user(None, f"demo-{name}")
        return self[name]


def test_demo_drafts(drafting_runner: User) -> None:
    users = _Users(policy=drafting_runner, legal=make_user(Role.LEGAL_OFFICER, "demo-legal"))
    drafting_projects.load(users=users)
    drafting_drafts.load(users=users)
    drafting_drafts.load(users=users)  # idempotent
    code = Draft.objects.filter(project__slug=drafting_projects.CODE_SLUG)
    assert list(code.values_list("number", "status")) == [(2, "published"), (1, "published")]
    first, second = code.get(number=1), code.get(number=2)
    result = compare(
        list(first.sections.order_by("position")), list(second.sections.order_by("position"))
    )
    touched = len(result.changed_only())
    assert 0.25 <= touched / len(result.rows) <= 0.45
    for row in result.rows:
        if row.status in {"changed", "added"}:
            assert row.explanation, row.key
    kpis = Section.objects.filter(draft=second, kind="kpi").select_related("parent")
    assert kpis.count() >= 3
    assert all(k.parent is not None and k.parent.kind == "measure" for k in kpis)
    assert Draft.objects.filter(project__slug=drafting_projects.GUIDELINES_SLUG).count() == 1
