"""Access to the case pages, per route and per principal (Art. 78): a provider never sees
another provider's case; staff not on a case's team cannot open it; a national authority
reads only what is shared with it; unknown ids are 404s; each opening is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    ANONYMOUS,
    make_user,
    principal,
    signed_in_client,
)
from aioffice.supervision.permissions import CASE_OPENERS

from .test_case_api import RFI, World, build_world, media_root, provider_member  # noqa: F401

pytestmark = pytest.mark.django_db

STAFF = {
    Role.POLICY_OFFICER,
    Role.TECHNICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.HEAD_OF_UNIT,
    Role.ADMINISTRATOR,
}
PROVIDER = Role.ORGANISATION_MEMBER
AUTHORITY = Role.NATIONAL_AUTHORITY_MEMBER

Ids = dict[str, int]
# name -> (method, the URL from the world's ids, the POST data)
PAGES: dict[str, tuple[str, Callable[[Ids], str], Callable[[Ids], dict[str, Any]]]] = {
    "case_list": ("GET", lambda i: reverse("supervision:case_list"), lambda i: {}),
    "case_list_csv": ("GET", lambda i: reverse("supervision:case_list_csv"), lambda i: {}),
    "case_new": ("GET", lambda i: reverse("supervision:case_new"), lambda i: {}),
    "case_detail": (
        "GET",
        lambda i: reverse("supervision:case_detail", args=[i["case"]]),
        lambda i: {},
    ),
    "case_step": (
        "POST",
        lambda i: reverse("supervision:case_step", args=[i["case"], "rfi"]),
        lambda i: {f"rfi-{k}": v for k, v in RFI.items()},
    ),
    "document_download": (
        "GET",
        lambda i: reverse("supervision:document_download", args=[i["visible"]]),
        lambda i: {},
    ),
    "decision_pdf": (
        "GET",
        lambda i: reverse("supervision:decision_pdf", args=[i["decision"]]),
        lambda i: {},
    ),
    "shared_cases": ("GET", lambda i: reverse("supervision:shared_cases"), lambda i: {}),
    "my_cases": ("GET", lambda i: reverse("supervision:my_cases"), lambda i: {}),
    "my_case": ("GET", lambda i: reverse("supervision:my_case", args=[i["case"]]), lambda i: {}),
    "my_rfi_answer": (
        "POST",
        lambda i: reverse("supervision:my_rfi_answer", args=[i["rfi"]]),
        lambda i: {f"rfi-{i['rfi']}-answer": "Here."},
    ),
    "my_findings_observe": (
        "POST",
        lambda i: reverse("supervision:my_findings_observe", args=[i["findings"]]),
        lambda i: {f"findings-{i['findings']}-observations": "Heard."},
    ),
    "my_document_download": (
        "GET",
        lambda i: reverse("supervision:my_document_download", args=[i["visible"]]),
        lambda i: {},
    ),
    "my_decision_pdf": (
        "GET",
        lambda i: reverse("supervision:my_decision_pdf", args=[i["decision"]]),
        lambda i: {},
    ),
}
FILES = {"document_download", "decision_pdf", "my_document_download", "my_decision_pdf"}


def expected(name: str, page: str) -> int:
    """The access rules of the pages, written out; no principal is on a team."""
    if name == ANONYMOUS:
        return 302  # to the sign-in page
    if name in STAFF:
        if page in {"case_list", "case_list_csv"}:
            return 200
        if page == "case_new":
            return 200 if name in CASE_OPENERS else 403
        return 403
    if name == PROVIDER:
        if page in FILES | {"my_cases", "my_case"}:
            return 200
        if page in {"my_rfi_answer", "my_findings_observe"}:
            return 302  # done: back to the case
        return 403
    if name == AUTHORITY:
        if page in FILES | {"case_detail", "shared_cases"}:
            return 200
        return 403
    return 403


def request(client: Client, page: str, ids: Ids) -> Any:
    method, url, data = PAGES[page]
    if method == "GET":
        return client.get(url(ids))
    return client.post(url(ids), data(ids))


def ids_of(world: World) -> Ids:
    return world.ids()


def other_ids(world: World) -> Ids:
    ids = world.ids()
    return {
        **ids,
        "case": ids["other"],
        "rfi": ids["other_rfi"],
        "findings": ids["other_findings"],
        "visible": ids["other_document"],
        "decision": ids["other_decision"],
    }


def test_every_case_page_is_in_the_matrix() -> None:
    from aioffice.supervision import urls_cases

    assert {p.name for p in urls_cases.urlpatterns} == set(PAGES)


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_page_for_every_principal(name: str) -> None:
    who = principal(name)
    world = build_world()
    for page in PAGES:
        response = request(who.client, page, ids_of(world))
        assert response.status_code == expected(name, page), (name, page)
        if response.status_code == 200 and page in FILES:
            assert response["X-Content-SHA256"]


@pytest.mark.parametrize("name", [PROVIDER, AUTHORITY, *sorted(STAFF)])
def test_the_other_providers_case_is_refused_on_every_page(name: str) -> None:
    """Nobody here may see the other provider's case (not shared, no team member)."""
    who = principal(name)
    world = build_world()
    for page in PAGES:
        if page in {"case_list", "case_list_csv", "case_new", "shared_cases", "my_cases"}:
            continue
        response = request(who.client, page, other_ids(world))
        assert response.status_code == 403, (name, page)


def test_a_provider_sees_only_its_own_cases_in_its_list() -> None:
    world = build_world()
    client = signed_in_client(provider_member("Other Labs", "other-provider"))
    listed = client.get(reverse("supervision:my_cases"))
    assert world.other.reference in listed.content.decode()
    assert world.case.reference not in listed.content.decode()
    for page in ("my_case", "my_rfi_answer", "my_findings_observe", "my_document_download"):
        assert request(client, page, ids_of(world)).status_code == 403, page


def test_the_team_opens_every_page_of_its_case() -> None:
    world = build_world()
    client = signed_in_client(world.member)  # a policy officer on the team
    ids = ids_of(world)
    for page in ("case_detail", "document_download", "decision_pdf"):
        assert request(client, page, ids).status_code == 200, page
    hidden = client.get(reverse("supervision:document_download", args=[world.hidden.pk]))
    assert hidden.status_code == 200
    # but not the other case, which has its own team
    for page in ("case_detail", "document_download", "decision_pdf", "case_step"):
        assert request(client, page, other_ids(world)).status_code == 403, page


def test_the_provider_never_gets_a_hidden_document_and_the_authority_only_reads() -> None:
    world = build_world()
    own = signed_in_client(provider_member(world.case.provider.organisation.name, "own-user"))
    url = reverse("supervision:my_document_download", args=[world.hidden.pk])
    assert own.get(url).status_code == 403
    page = own.get(reverse("supervision:my_case", args=[world.case.pk])).content.decode()
    assert "Internal note" not in page and "Market surveillance" not in page
    assert world.lead.username not in page
    authority = principal(AUTHORITY)
    page = authority.client.get(reverse("supervision:case_detail", args=[world.case.pk]))
    assert page.status_code == 200
    assert 'data-testid="read-only"' in page.content.decode()
    assert 'data-testid="step-rfi"' not in page.content.decode()


def test_unknown_ids_are_404s_for_those_who_could_open_them() -> None:
    world = build_world()
    team = signed_in_client(world.lead)
    provider = signed_in_client(provider_member(world.case.provider.organisation.name, "own"))
    missing = 10**15
    assert team.get(reverse("supervision:case_detail", args=[missing])).status_code == 404
    assert team.post(reverse("supervision:case_step", args=[missing, "rfi"])).status_code == 404
    assert (
        team.post(reverse("supervision:case_step", args=[world.case.pk, "nonsense"])).status_code
        == 404
    )
    assert team.get(reverse("supervision:document_download", args=[missing])).status_code == 404
    assert team.get(reverse("supervision:decision_pdf", args=[missing])).status_code == 404
    assert provider.get(reverse("supervision:my_case", args=[missing])).status_code == 404
    assert provider.post(reverse("supervision:my_rfi_answer", args=[missing])).status_code == 404
    assert (
        provider.post(reverse("supervision:my_findings_observe", args=[missing])).status_code == 404
    )
    assert team.get("/office/supervision/cases/99999999999999999999/").status_code == 404


def test_staff_without_their_second_factor_are_sent_to_it() -> None:
    world = build_world()
    client = signed_in_client(world.lead, second_factor=False)
    response = client.get(reverse("supervision:case_detail", args=[world.case.pk]))
    assert response.status_code == 302 and "second" in response["Location"]


def test_each_opening_of_a_case_file_or_document_is_audited() -> None:
    world = build_world()
    team = signed_in_client(world.member)
    authority = principal(AUTHORITY)
    provider = signed_in_client(provider_member(world.case.provider.organisation.name, "own"))
    opened = AuditEvent.objects.filter(action="supervision.case.opened")
    documents = AuditEvent.objects.filter(action="supervision.document.opened")
    before, before_docs = opened.count(), documents.count()
    team.get(reverse("supervision:case_detail", args=[world.case.pk]))
    authority.client.get(reverse("supervision:case_detail", args=[world.case.pk]))
    provider.get(reverse("supervision:my_case", args=[world.case.pk]))
    assert opened.count() == before + 3
    actors = list(opened.order_by("-seq").values_list("actor_id", flat=True)[:3])
    assert set(actors) == {
        world.member.pk,
        authority.user.pk,
        provider_member(  # type: ignore[union-attr]
            world.case.provider.organisation.name, "own"
        ).pk,
    }
    team.get(reverse("supervision:document_download", args=[world.hidden.pk]))
    provider.get(reverse("supervision:my_document_download", args=[world.visible.pk]))
    provider.get(reverse("supervision:my_decision_pdf", args=[world.decision.pk]))
    assert documents.count() == before_docs + 3
    # a refused opening writes nothing
    outsider = signed_in_client(make_user(Role.LEGAL_OFFICER, "outsider"))
    outsider.get(reverse("supervision:case_detail", args=[world.case.pk]))
    assert opened.count() == before + 3
