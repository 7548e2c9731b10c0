"""Consultations: the pages (who opens what, the response form with its honeypot, rate
limit and closing moment, the feedback list with its counts and pinned query count, the
exports, the published responses, the e-mail confirmation, the Office's CSV import)."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.aioffice.drafting.consultations_world import build_world, section

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.drafting.models_consultations import Consultation, IdentityCheck, Response
from aioffice.supervision.choices import DeadlineKind
from aioffice.supervision.clock import source_of
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultations_world(
    drafting_project: Any, drafting_group: Any, drafting_runner: Any, drafting_member: Any
) -> Any:
    return build_world(drafting_project, drafting_group, drafting_runner, drafting_member)


def _form(world: Any, **extra: str) -> dict[str, str]:
    transparency = section(world.draft, "transparency").pk
    return {
        "name": "Page Respondent",
        "organisation": "",
        "category": "individual",
        "email": "page@example.org",
        "confidentiality": "public",
        f"s{transparency}-position": "oppose",
        f"s{transparency}-comment": "Too vague (page test).",
        "sgeneral-comment": "A general word.",
        **extra,
    }


def test_the_public_answers_on_the_page(
    consultations_world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("drafting:consultation", args=[consultations_world.public.pk])
    page = Client().get(url)
    assert page.status_code == 200
    assert b'data-testid="respond-form"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        sent = Client().post(url, _form(consultations_world), follow=True)
    assert sent.status_code == 200
    response = Response.objects.filter(name="Page Respondent").get()
    assert response.reference.encode() in sent.content
    assert response.identity_check == IdentityCheck.EMAIL_UNCONFIRMED
    assert [i.position for i in response.items.order_by("id")] == ["oppose", "comment"]
    assert len(mail.outbox) == 1


def test_errors_and_the_closing_moment_on_the_page(consultations_world: Any) -> None:
    found = consultations_world.public
    url = reverse("drafting:consultation", args=[found.pk])
    page = Client().post(url, _form(consultations_world, confidentiality=""))
    assert page.status_code == 422
    assert b'data-testid="error-summary"' in page.content
    with mock.patch("aioffice.drafting.services_consultations._now", return_value=found.closes_at):
        page = Client().post(url, _form(consultations_world))
    assert page.status_code == 422
    assert b"The consultation is closed" in page.content
    assert not Response.objects.filter(name="Page Respondent").exists()


def test_the_honeypot_stores_nothing(consultations_world: Any) -> None:
    url = reverse("drafting:consultation", args=[consultations_world.public.pk])
    sent = Client().post(url, _form(consultations_world, website="http://spam.example"))
    assert sent.status_code == 302
    assert not Response.objects.filter(name="Page Respondent").exists()


def test_the_page_is_rate_limited(consultations_world: Any) -> None:
    url = reverse("drafting:consultation", args=[consultations_world.public.pk])
    codes = [Client().post(url, {"name": "x"}).status_code for _ in range(21)]
    assert codes[:20] == [422] * 20 and codes[20] == 429


def test_working_group_page(consultations_world: Any) -> None:
    url = reverse("drafting:consultation", args=[consultations_world.wg.pk])
    assert Client().get(url).status_code == 302  # to the sign-in
    outsider = signed_in_client(make_user(None, "outsider"))
    assert outsider.get(url).status_code == 404
    member = signed_in_client(consultations_world.member)
    form = _form(consultations_world)
    form = {
        k.replace(
            str(section(consultations_world.draft, "transparency").pk),
            str(section(consultations_world.wg_draft, "transparency").pk),
        ): v
        for k, v in form.items()
    }
    assert member.post(url, form).status_code == 302
    mine = Response.objects.get(user=consultations_world.member)
    assert mine.member is not None and mine.identity_check == IdentityCheck.ACCOUNT
    page = member.get(url)
    assert b"you may change your response" in page.content
    form["sgeneral-comment"] = "Changed my mind."
    assert member.post(url, form).status_code == 302
    mine.refresh_from_db()
    assert mine.items.get(section__isnull=True).comment == "Changed my mind."
    assert Response.objects.filter(user=consultations_world.member).count() == 1


def test_runner_opens_closes_publishes(consultations_world: Any) -> None:
    runner = signed_in_client(consultations_world.runner)
    url = reverse(
        "drafting:consultation_new",
        args=[consultations_world.project.slug, consultations_world.draft.number],
    )
    assert runner.get(url).status_code == 200
    page = runner.post(
        url,
        {
            "title": "From the page",
            "audience": "public",
            "opens_at": "2026-12-01T09:00",
            "closes_at": "2026-11-30T09:00",
        },
    )
    assert page.status_code == 422 and b"close after it opens" in page.content
    done = runner.post(
        url,
        {
            "title": "From the page",
            "audience": "public",
            "opens_at": "2026-12-01T09:00",
            "closes_at": "2027-01-15T17:00",
        },
    )
    found = Consultation.objects.get(title="From the page")
    assert done.status_code == 302
    assert Deadline.objects.filter(
        kind=DeadlineKind.CONSULTATION_CLOSE, source=source_of(found)
    ).exists()
    chair = signed_in_client(make_user(None, "not-runner"))
    assert chair.get(url).status_code == 403
    close = reverse("drafting:consultation_close", args=[consultations_world.to_close.pk])
    assert chair.post(close).status_code == 403
    assert runner.post(close).status_code == 302
    consultations_world.to_close.refresh_from_db()
    assert consultations_world.to_close.closed_early_at is not None
    publish = reverse("drafting:consultation_publish", args=[consultations_world.closed.pk])
    assert runner.post(publish).status_code == 302
    consultations_world.closed.refresh_from_db()
    assert consultations_world.closed.responses_published_at is not None


def test_feedback_page_counts_and_queries(
    consultations_world: Any, django_assert_max_num_queries: Any
) -> None:
    url = reverse("drafting:consultation_feedback", args=[consultations_world.public.pk])
    head = signed_in_client(make_user(Role.TECHNICAL_OFFICER, "reader"))
    with django_assert_max_num_queries(20):
        page = head.get(url)
    assert page.status_code == 200
    assert b'data-testid="section-counts"' in page.content
    assert page.context["page"].paginator.count == 6
    counts = {c.section.key if c.section else None: c for c, *_ in page.context["counts"]}
    assert counts["transparency"].support == 3 and counts[None].comment == 3
    assert head.get(url + "?confidentiality=confidential").context["page"].paginator.count == 2
    assert signed_in_client(consultations_world.member).get(url).status_code == 403


def test_exports(consultations_world: Any) -> None:
    url = reverse("drafting:consultation_export", args=[consultations_world.public.pk])
    staff = signed_in_client(consultations_world.runner)
    text = b"".join(staff.get(url + "?format=csv").streaming_content).decode()
    assert text.splitlines()[0].startswith("response,reference,submitted_at")
    assert "confidential@example.org" in text and len(text.strip().splitlines()) == 7
    rows = json.loads(b"".join(staff.get(url + "?format=json").streaming_content))["feedback"]
    assert len(rows) == 6
    assert staff.get(url + "?format=xml").status_code == 400
    assert Client().get(url).status_code == 302
    assert signed_in_client(consultations_world.member).get(url).status_code == 403


def test_published_responses_page(consultations_world: Any) -> None:
    url = reverse("drafting:consultation_responses", args=[consultations_world.done.pk])
    page = Client().get(url)
    assert page.status_code == 200
    assert b"Name public" in page.content
    assert b"Name anonymous" not in page.content and b"Org anonymous" not in page.content
    assert b"confidential respondent" not in page.content
    assert b"@example.org" not in page.content
    not_yet = reverse("drafting:consultation_responses", args=[consultations_world.public.pk])
    assert Client().get(not_yet).status_code == 404
    csv_url = reverse("drafting:consultation_responses_csv", args=[consultations_world.done.pk])
    text = b"".join(Client().get(csv_url).streaming_content).decode()
    assert "Name public" in text and "Name confidential" not in text


def test_confirm_page_with_a_bad_token() -> None:
    page = Client().get(reverse("drafting:response_confirm", args=["nonsense"]))
    assert page.status_code == 404


def test_import_a_csv(consultations_world: Any) -> None:
    url = reverse("drafting:consultation_import", args=[consultations_world.public.pk])
    staff = signed_in_client(consultations_world.runner)
    body = (
        b"respondent,name,organisation,category,email,confidentiality,section,position,comment\n"
        b"a,Letter A,,rightholder,,public,copyright,oppose,By post.\n"
        b"a,Letter A,,rightholder,,public,,comment,And in general.\n"
        b"b,Letter B,,academia,,anonymous,nope,support,Bad section.\n"
    )
    page = staff.post(url, {"file": SimpleUploadedFile("l.csv", body, "text/csv")})
    assert page.status_code == 422 and b"No section of the draft consulted" in page.content
    good = body.rsplit(b"\n", 2)[0] + b"\n"
    done = staff.post(url, {"file": SimpleUploadedFile("l.csv", good, "text/csv")})
    assert done.status_code == 302
    assert Response.objects.filter(name="Letter A", identity_check="office_import").count() == 1
    assert signed_in_client(consultations_world.member).get(url).status_code == 403
