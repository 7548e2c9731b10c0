"""The Code of Practice's work pages: a pinned number of queries, the same for more rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry.codeofpractice import services
from aioffice.registry.codeofpractice.models import Chapter

from .conftest import make_provider, make_version, pdf

pytestmark = pytest.mark.django_db
TODAY = timezone.now().date()
URLS = (
    "/code-of-practice/signatures/",
    "/code-of-practice/deadlines/",
    "/code-of-practice/submissions/",
)


def _providers(start: int, count: int) -> None:
    for n in range(start, start + count):
        provider = make_provider(f"Provider {n}")
        version = make_version(provider, placed_on_market=TODAY)
        for chapter in Chapter.values:
            services.signature_add(actor=None, provider=provider, chapter=chapter, signed_on=TODAY)
        services.framework_submit(
            actor=None, provider=provider, document=pdf(), framework_version="1", confirmed_on=TODAY
        )
        services.model_report_submit(actor=None, version=version, document=pdf())


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_for_more_rows() -> None:
    staff = signed_in_client(make_user(Role.POLICY_OFFICER))
    _providers(0, 1)
    staff.get(URLS[0])  # warm the session and the second factor
    before = [_count(staff, url) for url in URLS]
    _providers(1, 4)
    after = [_count(staff, url) for url in URLS]
    assert before == after
    assert after == PINNED, after


# session, user, OTP device, roles (the navigation), then: signatures (the form's
# providers, count, page); deadlines (count, page, `deadlines_of`'s five); submissions
# (count and page of the Frameworks, of the Model Reports).
PINNED: list[int] = [7, 11, 8]
