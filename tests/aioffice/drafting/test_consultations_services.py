"""Consultations: the services (opening, the period enforced at its edges, responses with
their identity checks, editing, the e-mail confirmation, the Office's import, closing,
publication), on the real database."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.aioffice.drafting.consultations_world import (
    open_consultation,
    published_draft,
    section,
)

from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user
from aioffice.drafting import services_consultations as services
from aioffice.drafting.choices import StakeholderCategory, Visibility
from aioffice.drafting.models_consultations import (
    Audience,
    Channel,
    Confidentiality,
    Feedback,
    IdentityCheck,
    Position,
    Response,
)
from aioffice.drafting.models_drafts import DraftStatus
from aioffice.drafting.models_projects import Member
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db

PUBLIC = services.Respondent(
    name="Ada Respondent",
    organisation="Test Association",
    category=StakeholderCategory.CIVIL_SOCIETY,
    email="ada@example.org",
    confidentiality=Confidentiality.PUBLIC,
)


def _items(draft: Any) -> list[services.Item]:
    return [
        services.Item(section(draft, "transparency").pk, Position.SUPPORT, "Clear enough."),
        services.Item(None, Position.COMMENT, "A general remark about the whole draft."),
    ]


@pytest.fixture
def consultations_draft(drafting_project: Any, drafting_runner: Any) -> Any:
    return published_draft(drafting_project, drafting_runner)


@pytest.fixture
def consultations_public(consultations_draft: Any, drafting_runner: Any) -> Any:
    return open_consultation(consultations_draft, drafting_runner)


def test_opening_puts_the_close_on_the_clock(consultations_public: Any, drafting_runner: Any):
    deadline = Deadline.objects.get(kind=DeadlineKind.CONSULTATION_CLOSE)
    assert deadline.status == DeadlineStatus.OPEN
    assert deadline.legal is False
    assert deadline.owner_id == drafting_runner.pk
    assert deadline.due_on == timezone.localdate(consultations_public.closes_at)
    event = AuditEvent.objects.get(action="drafting.consultation.opened")
    assert event.object_id == str(consultations_public.pk)


def test_only_runners_open(consultations_draft: Any, drafting_chair: Any):
    with pytest.raises(PermissionDenied):
        open_consultation(consultations_draft, drafting_chair)


def test_a_working_draft_is_not_consulted_on(consultations_draft: Any, drafting_runner: Any):
    consultations_draft.status = DraftStatus.WORKING
    consultations_draft.save()
    with pytest.raises(ValidationError) as caught:
        open_consultation(consultations_draft, drafting_runner)
    assert "draft" in caught.value.message_dict


def test_public_needs_a_public_draft_and_project(
    drafting_project: Any, drafting_runner: Any
) -> None:
    draft = published_draft(drafting_project, drafting_runner, visibility=Visibility.WORKING_GROUPS)
    with pytest.raises(ValidationError) as caught:
        open_consultation(draft, drafting_runner)
    assert "audience" in caught.value.message_dict
    drafting_project.public = False
    drafting_project.save()
    draft.visibility = Visibility.PUBLIC
    draft.save()
    with pytest.raises(ValidationError) as caught:
        open_consultation(draft, drafting_runner)
    assert "project" in caught.value.message_dict["audience"][0]


def test_working_groups_must_be_chosen_and_able_to_read(
    drafting_project: Any, drafting_runner: Any, drafting_group: Any
) -> None:
    draft = published_draft(drafting_project, drafting_runner, visibility=Visibility.OFFICE)
    with pytest.raises(ValidationError) as caught:
        open_consultation(draft, drafting_runner, audience=Audience.WORKING_GROUPS)
    assert "working_groups" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        open_consultation(
            draft, drafting_runner, audience=Audience.WORKING_GROUPS, groups=[drafting_group]
        )
    assert "could not read" in caught.value.message_dict["working_groups"][0]


def test_the_period_must_be_forward(consultations_draft: Any, drafting_runner: Any):
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        services.consultation_open(
            actor=drafting_runner,
            draft=consultations_draft,
            title="Backwards",
            audience=Audience.PUBLIC,
            opens_at=now + datetime.timedelta(days=2),
            closes_at=now + datetime.timedelta(days=1),
        )
    assert "closes_at" in caught.value.message_dict
    naive = datetime.datetime(2027, 1, 1, 12, 0)
    found = services.consultation_open(
        actor=drafting_runner,
        draft=consultations_draft,
        title="Naive times",
        audience=Audience.PUBLIC,
        opens_at=naive,
        closes_at=naive + datetime.timedelta(days=10),
    )
    found.refresh_from_db()
    assert timezone.is_aware(found.opens_at)


def test_public_response_with_email_to_confirm(consultations_public: Any):
    submitted = services.response_submit(
        actor=None,
        consultation=consultations_public,
        respondent=PUBLIC,
        items=_items(consultations_public.draft),
    )
    response = submitted.response
    assert response.reference == f"C{consultations_public.pk}-000001"
    assert response.identity_check == IdentityCheck.EMAIL_UNCONFIRMED
    assert submitted.token and submitted.token not in response.confirm_token_hash
    assert response.confirm_token_hash == services.token_sha256(submitted.token)
    assert response.items.count() == 2
    event = AuditEvent.objects.get(action="drafting.response.submitted")
    assert "ada" not in (event.after_json or "").lower()
    assert services.response_confirm(token="not-the-token") is None
    confirmed = services.response_confirm(token=submitted.token)
    assert confirmed is not None and confirmed.identity_check == IdentityCheck.EMAIL_CONFIRMED
    assert confirmed.email_confirmed_at is not None


def test_the_public_must_give_an_email(consultations_public: Any):
    with pytest.raises(ValidationError) as caught:
        services.response_submit(
            actor=None,
            consultation=consultations_public,
            respondent=services.Respondent(
                name="No Mail",
                category=StakeholderCategory.INDIVIDUAL,
                confidentiality=Confidentiality.ANONYMOUS,
            ),
            items=_items(consultations_public.draft),
        )
    assert "email" in caught.value.message_dict


def test_confidentiality_is_required(consultations_public: Any):
    with pytest.raises(ValidationError) as caught:
        services.response_submit(
            actor=None,
            consultation=consultations_public,
            respondent=services.Respondent(
                name="X", category=StakeholderCategory.INDIVIDUAL, email="x@example.org"
            ),
            items=_items(consultations_public.draft),
        )
    assert "confidentiality" in caught.value.message_dict


def test_items_are_checked(consultations_public: Any, drafting_project: Any, drafting_runner: Any):
    other = published_draft(drafting_project, drafting_runner, number=2)
    for items, field in [
        ([], "items"),
        ([services.Item(section(other, "copyright").pk, Position.SUPPORT)], "items[0].section"),
        ([services.Item(None, "maybe")], "items[0].position"),
        ([services.Item(None, Position.COMMENT)], "items[0].comment"),
        (
            [services.Item(None, Position.SUPPORT), services.Item(None, Position.OPPOSE)],
            "items[1].section",
        ),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.response_submit(
                actor=None, consultation=consultations_public, respondent=PUBLIC, items=items
            )
        assert field in caught.value.message_dict, field


def test_the_closing_moment_is_enforced_at_its_edge(consultations_public: Any):
    closes = consultations_public.closes_at
    items = _items(consultations_public.draft)
    just_before = closes - datetime.timedelta(microseconds=1)
    with mock.patch("aioffice.drafting.services_consultations._now", return_value=just_before):
        services.response_submit(
            actor=None, consultation=consultations_public, respondent=PUBLIC, items=items
        )
    with mock.patch("aioffice.drafting.services_consultations._now", return_value=closes):
        with pytest.raises(ValidationError) as caught:
            services.response_submit(
                actor=None, consultation=consultations_public, respondent=PUBLIC, items=items
            )
        assert "closed" in caught.value.message_dict["consultation"][0]
        with pytest.raises(ValidationError) as caught:
            services.import_feedback(
                actor=consultations_public.created_by,
                consultation=consultations_public,
                rows=[
                    {
                        "name": "Late",
                        "category": "other",
                        "confidentiality": "public",
                        "position": "support",
                    }
                ],
            )
        assert "consultation" in caught.value.message_dict
    assert Response.objects.filter(consultation=consultations_public).count() == 1


def test_nothing_before_it_opens(consultations_public: Any):
    before = consultations_public.opens_at - datetime.timedelta(microseconds=1)
    with (
        mock.patch("aioffice.drafting.services_consultations._now", return_value=before),
        pytest.raises(ValidationError) as caught,
    ):
        services.response_submit(
            actor=None,
            consultation=consultations_public,
            respondent=PUBLIC,
            items=_items(consultations_public.draft),
        )
    assert "not open yet" in caught.value.message_dict["consultation"][0]


def test_closing_early_closes_the_deadline_and_refuses(
    consultations_public: Any, drafting_runner: Any, drafting_chair: Any
):
    with pytest.raises(PermissionDenied):
        services.consultation_close(actor=drafting_chair, consultation=consultations_public)
    closed = services.consultation_close(actor=drafting_runner, consultation=consultations_public)
    assert closed.closed_early_at is not None
    assert Deadline.objects.get(kind=DeadlineKind.CONSULTATION_CLOSE).status == DeadlineStatus.MET
    with pytest.raises(ValidationError):
        services.response_submit(
            actor=None,
            consultation=closed,
            respondent=PUBLIC,
            items=_items(closed.draft),
        )
    with pytest.raises(ValidationError):
        services.consultation_close(actor=drafting_runner, consultation=closed)


def test_working_group_members_only_once_then_edit(
    drafting_project: Any, drafting_runner: Any, drafting_group: Any, drafting_member: Any
) -> None:
    draft = published_draft(drafting_project, drafting_runner, visibility=Visibility.WORKING_GROUPS)
    found = open_consultation(
        draft, drafting_runner, audience=Audience.WORKING_GROUPS, groups=[drafting_group]
    )
    me = services.Respondent(
        name="Test Member",
        category=StakeholderCategory.ACADEMIA,
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    with pytest.raises(PermissionDenied):
        services.response_submit(actor=None, consultation=found, respondent=me, items=_items(draft))
    outsider = make_user(None, "outsider")
    with pytest.raises(PermissionDenied):
        services.response_submit(
            actor=outsider, consultation=found, respondent=me, items=_items(draft)
        )
    submitted = services.response_submit(
        actor=drafting_member,
        consultation=found,
        respondent=me,
        items=_items(draft),
        second_factor=True,
    )
    response = submitted.response
    assert submitted.token == ""
    assert response.identity_check == IdentityCheck.ACCOUNT_SECOND_FACTOR
    assert response.member == Member.objects.get(user=drafting_member)
    with pytest.raises(ValidationError) as caught:
        services.response_submit(
            actor=drafting_member, consultation=found, respondent=me, items=_items(draft)
        )
    assert "already answered" in caught.value.message_dict["consultation"][0]
    services.response_update(
        actor=drafting_member,
        response=response,
        respondent=me,
        items=[services.Item(section(draft, "copyright").pk, Position.OPPOSE, "Too broad.")],
    )
    assert list(response.items.values_list("position", flat=True)) == [Position.OPPOSE]
    with pytest.raises(PermissionDenied):
        services.response_update(actor=outsider, response=response, respondent=me, items=[])
    # a member who left no longer answers
    Member.objects.filter(user=drafting_member).update(left_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.response_update(
            actor=drafting_member, response=response, respondent=me, items=_items(draft)
        )


def test_import_in_bulk(
    consultations_public: Any, drafting_runner: Any, django_assert_max_num_queries: Any
):
    rows = [
        {
            "respondent": f"letter-{i // 2}",
            "name": f"Writer {i // 2}",
            "organisation": "",
            "category": StakeholderCategory.RIGHTHOLDER,
            "email": "",
            "confidentiality": Confidentiality.ANONYMOUS,
            "section": "copyright" if i % 2 else "",
            "position": Position.OPPOSE if i % 2 else Position.COMMENT,
            "comment": f"Letter text number {i}.",
            "proposed_wording": "",
        }
        for i in range(300)
    ]
    with django_assert_max_num_queries(20):
        made = services.import_feedback(
            actor=drafting_runner, consultation=consultations_public, rows=rows
        )
    assert len(made) == 150
    assert Response.objects.filter(channel=Channel.IMPORT).count() == 150
    assert Feedback.objects.filter(response__consultation=consultations_public).count() == 300
    assert {r.identity_check for r in Response.objects.all()} == {IdentityCheck.OFFICE_IMPORT}
    assert made[-1].reference == f"C{consultations_public.pk}-000150"
    assert Feedback.objects.filter(section__key="copyright").count() == 150
    event = AuditEvent.objects.get(action="drafting.response.imported")
    assert "Writer" not in (event.after_json or "")


def test_import_names_the_bad_row(
    consultations_public: Any, drafting_runner: Any, drafting_member: Any
):
    good = {"name": "A", "category": "other", "confidentiality": "public", "position": "support"}
    with pytest.raises(ValidationError) as caught:
        services.import_feedback(
            actor=drafting_runner,
            consultation=consultations_public,
            rows=[good, {**good, "section": "no-such-key"}],
        )
    assert "rows[1].section" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.import_feedback(
            actor=drafting_runner,
            consultation=consultations_public,
            rows=[{**good, "category": "x"}],
        )
    assert "rows[0].category" in caught.value.message_dict
    assert Response.objects.count() == 0
    with pytest.raises(PermissionDenied):
        services.import_feedback(
            actor=drafting_member, consultation=consultations_public, rows=[good]
        )


def test_publication_only_after_the_close(consultations_public: Any, drafting_runner: Any):
    with pytest.raises(ValidationError):
        services.responses_publish(actor=drafting_runner, consultation=consultations_public)
    services.consultation_close(actor=drafting_runner, consultation=consultations_public)
    published = services.responses_publish(actor=drafting_runner, consultation=consultations_public)
    assert published.responses_published_at is not None
    with pytest.raises(ValidationError):
        services.responses_publish(actor=drafting_runner, consultation=consultations_public)
    head = make_user(Role.HEAD_OF_UNIT, "consultations-head")
    with pytest.raises(ValidationError):
        services.consultation_close(actor=head, consultation=published)
