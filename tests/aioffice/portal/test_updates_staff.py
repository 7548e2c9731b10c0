"""The staff's side of the updates: who may open each page, writing a message, previewing it
with its recipients, sending it, following its progress; the list's query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, make_user, principal, signed_in_client
from aioffice.portal import services_updates as services
from aioffice.portal import urls_updates
from aioffice.portal.choices import BulletinStatus, DeliveryStatus
from aioffice.portal.models_updates import Bulletin, Delivery

from .test_updates_signup import Commit, active_subscriber

pytestmark = pytest.mark.django_db

SENDERS = {Role.POLICY_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR}
PUBLIC = {
    "updates_signup",
    "updates_sent",
    "updates_confirm",
    "updates_unsubscribe",
    "updates_topics",
}


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Commit:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _pages(draft: Bulletin) -> list[tuple[str, str, str]]:
    """(url name, method, url) of every staff page."""
    return [
        ("bulletin_list", "get", reverse("portal:bulletin_list")),
        ("bulletin_new", "get", reverse("portal:bulletin_new")),
        ("bulletin_detail", "get", reverse("portal:bulletin_detail", args=[draft.pk])),
        ("bulletin_edit", "get", reverse("portal:bulletin_edit", args=[draft.pk])),
        ("bulletin_send", "post", reverse("portal:bulletin_send", args=[draft.pk])),
    ]


def test_the_matrix_covers_every_staff_page() -> None:
    names = {pattern.name for pattern in urls_updates.urlpatterns}
    assert {name for name, _, _ in _pages(Bulletin(pk=1))} == names - PUBLIC


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_staff_page_for_every_principal(name: str, commit: Commit) -> None:
    who = principal(name)
    author = make_user(Role.HEAD_OF_UNIT, "author")
    active_subscriber("ana@example.org")
    draft = services.bulletin_create(actor=author, subject="S", body="B", topics=["gpai"])
    for page, method, url in _pages(draft):
        with commit():
            response = getattr(who.client, method)(url)
        if name == ANONYMOUS:
            assert response.status_code == 302, page
            assert reverse("accounts:login") in response["Location"], page
        elif name in SENDERS:
            assert response.status_code == (302 if method == "post" else 200), page
        else:
            assert response.status_code == 403, (name, page)
    draft.refresh_from_db()
    expected = BulletinStatus.SENT if name in SENDERS else BulletinStatus.DRAFT
    assert draft.status == expected


def test_staff_without_their_second_factor_go_to_it() -> None:
    client = signed_in_client(make_user(Role.POLICY_OFFICER, "pia"), second_factor=False)
    response = client.get(reverse("portal:bulletin_list"))
    assert response.status_code == 302 and "second" in response["Location"]


def test_wrong_methods_are_405() -> None:
    client = signed_in_client(make_user(Role.POLICY_OFFICER, "pia"))
    author = make_user(Role.HEAD_OF_UNIT, "author")
    draft = services.bulletin_create(actor=author, subject="S", body="B", topics=["gpai"])
    assert client.get(reverse("portal:bulletin_send", args=[draft.pk])).status_code == 405
    assert client.post(reverse("portal:bulletin_list")).status_code == 405
    assert client.get(reverse("portal:bulletin_detail", args=[999_999])).status_code == 404


def test_write_preview_send_and_follow_the_progress(commit: Commit, mailoutbox: list[Any]) -> None:
    client = signed_in_client(make_user(Role.POLICY_OFFICER, "pia"))
    for name in ("ana", "bob"):
        active_subscriber(f"{name}@example.org", ("gpai",))
    active_subscriber("cleo@example.org", ("jobs",))

    # bad input is named next to its field
    bad = client.post(reverse("portal:bulletin_new"), {"subject": "", "body": ""})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"subject", "body", "topics"}
    assert 'data-testid="error-summary"' in bad.content.decode()
    assert not Bulletin.objects.exists()

    response = client.post(
        reverse("portal:bulletin_new"),
        {"subject": "The Code of Practice", "body": "Signatories update.", "topics": ["gpai"]},
    )
    bulletin = Bulletin.objects.get()
    detail = reverse("portal:bulletin_detail", args=[bulletin.pk])
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    assert 'data-testid="recipient-count" data-count="2"' in page
    assert "Signatories update." in page and "unsubscribe link" in page

    # the draft can still change
    edit = reverse("portal:bulletin_edit", args=[bulletin.pk])
    assert client.get(edit).status_code == 200
    client.post(
        edit,
        {
            "subject": "The Code of Practice",
            "body": "Signatories update.",
            "topics": ["gpai", "jobs"],
        },
    )
    assert 'data-count="3"' in client.get(detail).content.decode()

    with commit():
        sent = client.post(reverse("portal:bulletin_send", args=[bulletin.pk]))
    assert sent.status_code == 302 and sent["Location"] == detail
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENT and bulletin.site_url == "http://testserver/"
    assert len(mailoutbox) == 3
    page = client.get(detail).content.decode()
    assert 'data-count="sent">3<' in page and 'data-testid="bulletin-send"' not in page
    assert "hx-get" not in page  # no polling once sent
    # a sent message cannot be edited or sent again
    assert client.get(edit)["Location"] == detail
    with commit():
        again = client.post(reverse("portal:bulletin_send", args=[bulletin.pk]), follow=True)
    assert "already sent" in again.content.decode()
    assert len(mailoutbox) == 3


def test_the_progress_polls_while_sending_and_works_without_javascript() -> None:
    client = signed_in_client(make_user(Role.POLICY_OFFICER, "pia"))
    author = make_user(Role.HEAD_OF_UNIT, "author")
    for name in ("ana", "bob", "cleo"):
        active_subscriber(f"{name}@example.org")
    bulletin = services.bulletin_create(actor=author, subject="S", body="B", topics=["gpai"])
    services.bulletin_queue(
        actor=author, bulletin=bulletin, site_url="http://testserver/", enqueue=False
    )
    first = Delivery.objects.order_by("pk").first()
    assert first is not None
    Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.SENT)
    detail = reverse("portal:bulletin_detail", args=[bulletin.pk])
    page = client.get(detail).content.decode()
    assert f'hx-get="{detail}"' in page and 'hx-trigger="every 2s"' in page
    assert 'data-testid="bulletin-refresh"' in page  # the link for no JavaScript
    assert '<progress max="3" value="1"' in page
    assert 'data-count="waiting">2<' in page
    fragment = client.get(detail, HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert text.lstrip().startswith('<div id="bulletin-live"') and "<html" not in text
    assert 'data-count="sent">1<' in text


def test_sending_without_recipients_is_refused_with_a_message() -> None:
    client = signed_in_client(make_user(Role.POLICY_OFFICER, "pia"))
    bulletin = services.bulletin_create(
        actor=make_user(Role.HEAD_OF_UNIT, "author"), subject="S", body="B", topics=["events"]
    )
    response = client.post(reverse("portal:bulletin_send", args=[bulletin.pk]), follow=True)
    assert "Nobody is subscribed to these topics" in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT


def test_the_list_is_paginated_and_its_queries_pinned(
    django_assert_max_num_queries: Any,
) -> None:
    client = signed_in_client(make_user(Role.POLICY_OFFICER, "pia"))
    author = make_user(Role.HEAD_OF_UNIT, "author")
    for name in ("ana", "bob"):
        active_subscriber(f"{name}@example.org")
    for n in range(30):
        bulletin = services.bulletin_create(
            actor=author, subject=f"Message {n}", body="B", topics=["gpai"]
        )
        if n % 2:
            services.bulletin_queue(
                actor=author, bulletin=bulletin, site_url="http://testserver/", enqueue=False
            )
    url = reverse("portal:bulletin_list")
    client.get(url)  # warm the session and the second factor's device
    # session, user, device, roles; the count and the page of bulletins with their counts
    with django_assert_max_num_queries(6):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-bulletin="') == 25
    assert "Message 29" in page and "Page 1 of 2" in page
    with django_assert_max_num_queries(6):
        second = client.get(url, {"page": 2})
    assert second.content.decode().count('data-bulletin="') == 5
