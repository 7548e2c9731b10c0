"""The pages of the Board and the advisory bodies for every principal: the public pages
show published things only; the Office's pages are for staff (editors change things); a
member with an account updates their own declaration; query counts pinned."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.cooperation import services_bodies as services
from aioffice.cooperation.choices import BodyDocumentKind, BodyKind
from aioffice.cooperation.models_bodies import Body, Membership
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, make_user, principal, signed_in_client

from .test_bodies_services import (
    body,
    editor,
    expert,
    held_meeting,
    media,
    opinion,
    representative,
    upload,
)

pytestmark = pytest.mark.django_db

EDITORS = {Role.POLICY_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR}


def _world() -> dict[str, Any]:
    board = body()
    representative(board)
    meeting = held_meeting(board)
    draft = held_meeting(board, published=False, title="Closed session")
    opinion(board, subject="Published opinion")
    opinion(board, published=False, subject="Draft opinion")
    return {"board": board, "meeting": meeting, "draft": draft}


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_public_pages_for_everyone_show_published_things_only(name: str) -> None:
    w = _world()
    client = principal(name).client
    listing = client.get(reverse("cooperation:bodies_public"))
    assert listing.status_code == 200 and w["board"].name in listing.content.decode()
    page = client.get(reverse("cooperation:body_public", args=[w["board"].pk])).content.decode()
    assert "Published opinion" in page and "Draft opinion" not in page
    assert "Plenary" in page and "Closed session" not in page
    assert (
        client.get(reverse("cooperation:meeting_public", args=[w["meeting"].pk])).status_code == 200
    )
    assert (
        client.get(reverse("cooperation:meeting_public", args=[w["draft"].pk])).status_code == 404
    )


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_office_pages_for_staff_only(name: str) -> None:
    w = _world()
    client = principal(name).client
    urls = [
        reverse("cooperation:bodies_admin"),
        reverse("cooperation:body_admin", args=[w["board"].pk]),
        reverse("cooperation:meeting_admin", args=[w["draft"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        if name in OFFICE_ROLES:
            assert response.status_code == 200, url
            if url == urls[1]:
                assert ("Add a member" in response.content.decode()) == (name in EDITORS)
        elif name == ANONYMOUS:
            assert response.status_code == 302
        else:
            assert response.status_code == 403
    posted = client.post(reverse("cooperation:bodies_admin"), {"kind": "board", "name": "B2"})
    if name in EDITORS:
        assert posted.status_code == 302 and Body.objects.filter(name="B2").exists()
    elif name == ANONYMOUS:
        assert posted.status_code == 302 and not Body.objects.filter(name="B2").exists()
    else:
        assert posted.status_code == 403


def test_an_editor_adds_a_member_and_sees_the_error_on_the_field() -> None:
    board = body()
    representative(board, "FR")
    client = signed_in_client(editor())
    url = reverse("cooperation:body_admin", args=[board.pk])
    data = {
        "action": "member",
        "member-role": "representative",
        "member-person_name": "Second French",
        "member-member_state": "FR",
        "member-term_start": "2025-09-01",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "already has a representative" in response.content.decode()
    data["member-member_state"] = "DE"
    assert client.post(url, data).status_code == 302
    seat = Membership.objects.get(member_state="DE")
    assert seat.term_end is not None
    renew = client.post(
        reverse("cooperation:body_member_action", args=[seat.pk]), {"action": "renew"}
    )
    assert renew.status_code == 302
    assert Membership.objects.get(pk=seat.pk).renewals == 1


def test_the_meeting_page_saves_minutes_and_documents(settings: Any, tmp_path: Any) -> None:
    media(settings, tmp_path)
    board = body()
    meeting = held_meeting(board)
    client = signed_in_client(editor())
    url = reverse("cooperation:meeting_admin", args=[meeting.pk])
    assert client.post(url, {"action": "item", "item-title": "Opening"}).status_code == 302
    assert (
        client.post(
            url,
            {
                "action": "minutes",
                "minutes-minutes": "We met.",
                "minutes-status": "approved",
                "minutes-published": "on",
            },
        ).status_code
        == 302
    )
    response = client.post(
        url,
        {
            "action": "document",
            "document-kind": "meeting",
            "document-public": "on",
            "document-file": upload(),
        },
    )
    assert response.status_code == 302
    public = Client().get(reverse("cooperation:meeting_public", args=[meeting.pk])).content.decode()
    assert "We met." in public and "Opening" in public and "agenda.txt" in public
    document = meeting.documents.get()
    download = Client().get(reverse("cooperation:body_document_download", args=[document.pk]))
    assert download.status_code == 200 and download["X-Content-SHA256"] == document.sha256


def test_documents_not_public_are_refused_to_the_public(settings: Any, tmp_path: Any) -> None:
    media(settings, tmp_path)
    board = body()
    draft = held_meeting(board, published=False)
    hidden = services.document_add(
        actor=editor(),
        body=board,
        kind=BodyDocumentKind.MEETING,
        upload=upload(),
        public=True,
        meeting=draft,
    )
    private = services.document_add(
        actor=editor(), body=board, kind=BodyDocumentKind.MEETING, upload=upload()
    )
    for document in (hidden, private):
        url = reverse("cooperation:body_document_download", args=[document.pk])
        assert Client().get(url).status_code == 404
        assert (
            signed_in_client(make_user(Role.NATIONAL_AUTHORITY_MEMBER, f"n{document.pk}"))
            .get(url)
            .status_code
            == 404
        )
        assert signed_in_client(editor()).get(url).status_code == 200
    assert (
        Client().get(reverse("cooperation:body_document_download", args=[10**12])).status_code
        == 404
    )


def test_a_panel_member_updates_their_own_declaration() -> None:
    panel = body(BodyKind.SCIENTIFIC_PANEL)
    user = make_user(Role.SCIENTIFIC_PANEL_MEMBER, "panel-expert")
    seat = expert(panel, user=user, declaration="Old")
    client = signed_in_client(user)
    url = reverse("cooperation:bodies_my_declaration")
    assert "Old" in client.get(url).content.decode()
    assert client.post(url, {"membership": seat.pk, "declaration": "\x00"}).status_code == 422
    assert client.post(url, {"membership": seat.pk, "declaration": "New"}).status_code == 302
    assert Membership.objects.get(pk=seat.pk).declaration == "New"
    public = Client().get(reverse("cooperation:body_public", args=[panel.pk])).content.decode()
    assert "New" in public
    other = expert(panel, 2)
    assert client.post(url, {"membership": other.pk, "declaration": "Mine"}).status_code == 404
    assert (
        signed_in_client(make_user(Role.SCIENTIFIC_PANEL_MEMBER, "x")).get(url).status_code == 403
    )
    assert Client().get(url).status_code == 302


def test_public_page_query_count_is_pinned(django_assert_max_num_queries: Any) -> None:
    board = body()
    for n, state in enumerate(["FR", "DE", "ES", "IT", "PL"]):
        representative(board, state)
        held_meeting(board, title=f"Plenary {n}")
        opinion(board, subject=f"Opinion {n}")
    client = Client()
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cooperation:body_public", args=[board.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("cooperation:bodies_public")).status_code == 200


def test_the_forums_pages_flag_a_year_below_the_minimum_and_count_this_year_so_far() -> None:
    forum = body(BodyKind.ADVISORY_FORUM)
    this_year = timezone.localdate().year
    held_meeting(forum, on=date(this_year, 1, 15))
    held_meeting(forum, on=date(this_year - 1, 6, 1))
    public = Client().get(reverse("cooperation:body_public", args=[forum.pk])).content.decode()
    staff = signed_in_client(editor()).get(reverse("cooperation:body_admin", args=[forum.pk]))
    for page in (public, staff.content.decode()):
        assert f"{this_year}: 1 meeting held so far (at least 2 a year, AI Act, Art. 67)" in page
        assert (
            f"{this_year - 1}: 1 meeting held — <strong>below the minimum of 2 a year "
            "(AI Act, Art. 67)</strong>"
        ) in page
        assert page.count('data-below="1"') == 1
    board = body()
    held_meeting(board)
    page = Client().get(reverse("cooperation:body_public", args=[board.pk])).content.decode()
    assert 'data-testid="per-year"' not in page
