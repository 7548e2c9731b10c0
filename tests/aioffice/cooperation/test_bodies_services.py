"""The services of the Board and the advisory bodies on the real database: one
representative per Member State, the forum's two co-chairs, the panel's cap from aiact,
terms and renewals from aiact's term-end clock with their deadline, minutes, documents and
opinions with their votes. Also the helpers the page and API tests share."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aiact import evaluate, load_law
from aioffice.accounts.choices import Role
from aioffice.cooperation import selectors_bodies as selectors
from aioffice.cooperation import services_bodies as services
from aioffice.cooperation.choices import (
    Adoption,
    BodyDocumentKind,
    BodyKind,
    MeetingStatus,
    MinutesStatus,
    OpinionKind,
    SeatRole,
)
from aioffice.cooperation.models_bodies import Body, Meeting, Membership, Opinion
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.clock import source_of
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db

START = date(2025, 9, 1)


def editor() -> Any:
    from aioffice.accounts.models import User

    return User.objects.filter(username="bodies-editor").first() or make_user(
        Role.POLICY_OFFICER, "bodies-editor"
    )


def body(kind: str = BodyKind.BOARD, name: str = "", **values: Any) -> Body:
    return services.body_create(actor=editor(), kind=kind, name=name or f"Test {kind}", **values)


def representative(board: Body, state: str = "FR", **values: Any) -> Membership:
    return services.member_add(
        actor=editor(),
        body=board,
        role=SeatRole.REPRESENTATIVE,
        person_name=values.pop("person_name", f"Representative {state}"),
        member_state=state,
        term_start=values.pop("term_start", START),
        **values,
    )


def expert(panel: Body, n: int = 1, **values: Any) -> Membership:
    return services.member_add(
        actor=editor(),
        body=panel,
        role=SeatRole.EXPERT,
        person_name=f"Expert {n}",
        expertise="evaluation of general-purpose AI models",
        nationality="DE",
        **values,
    )


def upload(name: str = "agenda.txt", content: bytes = b"agenda\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def held_meeting(
    of: Body, *, published: bool = True, title: str = "Plenary", on: date = date(2026, 3, 4)
) -> Meeting:
    meeting = services.meeting_create(
        actor=editor(), body=of, title=title, date=on, published=published
    )
    return services.meeting_update(actor=editor(), meeting=meeting, status=MeetingStatus.HELD)


def opinion(of: Body, *, published: bool = True, subject: str = "On guidelines") -> Opinion:
    return services.opinion_create(
        actor=editor(),
        body=of,
        kind=OpinionKind.OPINION,
        subject=subject,
        adopted_on=date(2026, 3, 4),
        adoption=Adoption.CONSENSUS,
        published=published,
    )


# --- members and terms ---------------------------------------------------------------------


def test_a_representative_gets_aiact_term_and_a_deadline() -> None:
    board = body()
    seat = representative(board)
    answer: Any = evaluate(
        "clock",
        {"clock": "term-end", "from": START.isoformat(), "body": "board", "renewals": 0},
        law=load_law(),
    )
    assert seat.term_end == date.fromisoformat(answer["result"]["end"])
    assert seat.renewable is True and seat.rules_version == answer["rules_version"]
    assert seat.citations and seat.reasons
    deadline = Deadline.objects.get(source=source_of(seat), kind=DeadlineKind.TERM_END)
    assert deadline.due_on == seat.term_end and deadline.status == DeadlineStatus.OPEN
    assert deadline.rules_version == answer["rules_version"]
    event = AuditEvent.objects.get(action="cooperation.membership.added")
    assert "Representative" not in str(event.after) and "Representative" not in event.object_repr


def test_one_representative_per_member_state_at_a_time() -> None:
    board = body()
    first = representative(board, "FR")
    with pytest.raises(ValidationError) as refused:
        representative(board, "FR", person_name="Another")
    assert "member_state" in refused.value.message_dict
    representative(board, "DE")  # another Member State is fine
    services.member_end(actor=editor(), membership=first, on=date(2026, 1, 1))
    assert representative(board, "FR", person_name="Successor").active
    assert (
        Deadline.objects.get(source=source_of(first), kind=DeadlineKind.TERM_END).status
        == DeadlineStatus.CANCELLED
    )


def test_renewal_limit_from_aiact() -> None:
    board = body()
    seat = representative(board)
    renewed = services.member_renew(actor=editor(), membership=seat)
    assert renewed.renewals == 1 and renewed.term_start == seat.term_end
    assert renewed.renewable is False
    assert Deadline.objects.get(source=source_of(seat), status="open").due_on == renewed.term_end
    with pytest.raises(ValidationError) as refused:
        services.member_renew(actor=editor(), membership=renewed)
    assert "renewals" in refused.value.message_dict


def test_forum_members_extend_up_to_what_aiact_allows() -> None:
    forum = body(BodyKind.ADVISORY_FORUM)
    seat = services.member_add(
        actor=editor(),
        body=forum,
        role=SeatRole.MEMBER,
        person_name="Forum member",
        category="academia",
        commercial=False,
        term_start=START,
    )
    renewals = 0
    while seat.renewable:
        seat = services.member_renew(actor=editor(), membership=seat)
        renewals += 1
    answer: Any = evaluate(
        "clock",
        {"clock": "term-end", "from": START.isoformat(), "body": "forum", "renewals": 0},
        law=load_law(),
    )
    assert renewals == answer["result"]["max_renewals"]
    with pytest.raises(ValidationError):
        services.member_renew(actor=editor(), membership=seat)


def test_the_forum_needs_category_and_flag_and_has_two_co_chairs() -> None:
    forum = body(BodyKind.ADVISORY_FORUM)
    with pytest.raises(ValidationError) as refused:
        services.member_add(
            actor=editor(), body=forum, role=SeatRole.MEMBER, person_name="X", term_start=START
        )
    assert "category" in refused.value.message_dict
    for n in (1, 2):
        services.member_add(
            actor=editor(),
            body=forum,
            role=SeatRole.CO_CHAIR,
            person_name=f"Co-chair {n}",
            term_start=START,
        )
    with pytest.raises(ValidationError) as refused:
        services.member_add(
            actor=editor(),
            body=forum,
            role=SeatRole.CO_CHAIR,
            person_name="Third",
            term_start=START,
        )
    assert "role" in refused.value.message_dict


def test_roles_belong_to_their_body() -> None:
    panel = body(BodyKind.SCIENTIFIC_PANEL)
    with pytest.raises(ValidationError) as refused:
        services.member_add(
            actor=editor(), body=panel, role=SeatRole.REPRESENTATIVE, person_name="X"
        )
    assert "role" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.member_add(
            actor=editor(),
            body=panel,
            role=SeatRole.EXPERT,
            person_name="X",
            expertise="ML",
            nationality="1x",
        )
    assert "nationality" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.member_add(actor=editor(), body=panel, role=SeatRole.EXPERT, person_name="\x00")
    assert "person_name" in refused.value.message_dict


def test_the_panel_refuses_the_member_above_aiact_cap() -> None:
    panel = body(BodyKind.SCIENTIFIC_PANEL)
    cap: Any = evaluate("cooperation", {"check": "panel-size", "members": 1}, law=load_law())
    limit = cap["result"]["cap"]
    for n in range(limit):
        expert(panel, n)
    with pytest.raises(ValidationError) as refused:
        expert(panel, limit + 1)
    assert "body" in refused.value.message_dict
    # a member who leaves frees a seat
    services.member_end(actor=editor(), membership=panel.memberships.earliest("id"))
    assert expert(panel, limit + 2).active


def test_sub_groups_and_their_parents() -> None:
    board = body()
    adco = body(BodyKind.BOARD_SUBGROUP, "Market surveillance (ADCO)", parent=board, standing=True)
    assert adco.parent == board
    with pytest.raises(ValidationError) as refused:
        body(BodyKind.BOARD_SUBGROUP, "Orphan")
    assert "parent" in refused.value.message_dict
    forum = body(BodyKind.ADVISORY_FORUM)
    with pytest.raises(ValidationError):
        body(BodyKind.BOARD_SUBGROUP, "Wrong parent", parent=forum)


def test_a_member_updates_their_declaration() -> None:
    panel = body(BodyKind.SCIENTIFIC_PANEL)
    seat = expert(panel)
    updated = services.declaration_update(
        actor=editor(), membership=seat, declaration="No interests."
    )
    assert updated.declaration == "No interests." and updated.declaration_updated_at
    event = AuditEvent.objects.get(action="cooperation.membership.declaration_updated")
    assert "interests" not in str(event.after)
    with pytest.raises(ValidationError):
        services.declaration_update(actor=editor(), membership=seat, declaration="  ")


# --- meetings, minutes, documents ----------------------------------------------------------


def test_minutes_only_for_held_meetings_and_published_when_approved() -> None:
    board = body()
    meeting = services.meeting_create(
        actor=editor(), body=board, title="Plenary", date=date(2026, 3, 4)
    )
    with pytest.raises(ValidationError) as refused:
        services.minutes_save(actor=editor(), meeting=meeting, minutes="Notes")
    assert "minutes" in refused.value.message_dict
    services.meeting_update(actor=editor(), meeting=meeting, status=MeetingStatus.HELD)
    with pytest.raises(ValidationError) as refused:
        services.minutes_save(actor=editor(), meeting=meeting, minutes="Notes", published=True)
    assert "published" in refused.value.message_dict
    saved = services.minutes_save(
        actor=editor(),
        meeting=meeting,
        minutes="Notes",
        status=MinutesStatus.APPROVED,
        published=True,
    )
    assert saved.minutes_published
    item = services.agenda_item_add(actor=editor(), meeting=meeting, title="Opening")
    second = services.agenda_item_add(actor=editor(), meeting=meeting, title="Guidelines")
    assert (item.position, second.position) == (1, 2)
    cancelled = services.meeting_update(
        actor=editor(), meeting=meeting, status=MeetingStatus.CANCELLED
    )
    with pytest.raises(ValidationError):
        services.meeting_update(actor=editor(), meeting=cancelled, status=MeetingStatus.HELD)


def test_documents_keep_their_sha256_and_are_checked(settings: Any, tmp_path: Path) -> None:
    media(settings, tmp_path)
    board = body()
    document = services.document_add(
        actor=editor(),
        body=board,
        kind=BodyDocumentKind.RULES_OF_PROCEDURE,
        upload=upload("rules.txt", b"Rules of procedure\n"),
        public=True,
    )
    import hashlib

    assert document.sha256 == hashlib.sha256(b"Rules of procedure\n").hexdigest()
    assert document.title == "rules.txt"
    with pytest.raises(ValidationError) as refused:
        services.document_add(
            actor=editor(),
            body=board,
            kind=BodyDocumentKind.MEETING,
            upload=SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload"),
        )
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.document_add(
            actor=editor(),
            body=board,
            kind=BodyDocumentKind.MEETING,
            upload=SimpleUploadedFile("fake.pdf", b"not a pdf", content_type="application/pdf"),
        )
    with pytest.raises(ValidationError):
        services.document_add(
            actor=editor(), body=board, kind=BodyDocumentKind.MEETING, upload=upload("e.txt", b"")
        )


# --- opinions and votes --------------------------------------------------------------------


def test_the_boards_rules_of_procedure_take_the_majority_from_aiact() -> None:
    board = body()
    votes = {"FR": "for", "DE": "for", "ES": "against"}
    recorded = services.opinion_create(
        actor=editor(),
        body=board,
        kind=OpinionKind.RULES_OF_PROCEDURE,
        subject="Rules of procedure",
        adopted_on=date(2025, 9, 10),
        adoption=Adoption.VOTE,
        state_votes=votes,
        entitled_to_vote=3,
    )
    assert (recorded.votes_for, recorded.votes_against, recorded.abstentions) == (2, 1, 0)
    answer = evaluate(
        "cooperation",
        {
            "check": "board-vote",
            "in_favour": 2,
            "entitled": 3,
            "subject": "rules_of_procedure",
            "on": "2025-09-10",
        },
        law=load_law(),
    )
    assert answer["result"] == {"required": "2/3", "met": True}
    recorded.refresh_from_db()
    assert recorded.majority_met is True
    assert (recorded.majority_numerator, recorded.majority_denominator) == (2, 3)
    assert recorded.majority_citation == "AI Act, Art. 65(4)"
    assert recorded.rules_version == answer["rules_version"]
    assert recorded.reasons == answer["reasons"]
    assert "AI Act, Art. 65(4)" in recorded.citations
    assert recorded.state_votes.count() == 3
    short = services.opinion_create(
        actor=editor(),
        body=board,
        kind=OpinionKind.RULES_OF_PROCEDURE,
        subject="Amended rules",
        adopted_on=date(2025, 9, 10),
        adoption=Adoption.VOTE,
        votes_for=17,
        votes_against=10,
        abstentions=0,
        entitled_to_vote=27,
    )
    assert short.majority_met is False
    event = AuditEvent.objects.filter(action="cooperation.opinion.adopted").last()
    assert event is not None and event.after["majority_met"] is False


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"majority_numerator": 2, "majority_denominator": 3}, "majority_numerator"),
        ({"majority_citation": "AI Act, Art. 65(4)"}, "majority_numerator"),
        ({"entitled_to_vote": None}, "entitled_to_vote"),
        ({"entitled_to_vote": 0, "votes_for": 0}, "entitled_to_vote"),
        ({"entitled_to_vote": 26}, "votes_for"),
    ],
)
def test_staff_do_not_enter_the_boards_majority(values: dict[str, Any], field: str) -> None:
    data: dict[str, Any] = {
        "kind": OpinionKind.RULES_OF_PROCEDURE,
        "subject": "Rules",
        "adopted_on": date(2025, 9, 10),
        "adoption": Adoption.VOTE,
        "votes_for": 27,
        "votes_against": 0,
        "abstentions": 0,
        "entitled_to_vote": 27,
        **values,
    }
    with pytest.raises(ValidationError) as refused:
        services.opinion_create(actor=editor(), body=body(), **data)
    assert field in refused.value.message_dict


def test_another_vote_keeps_the_majority_staff_recorded() -> None:
    recorded = services.opinion_create(
        actor=editor(),
        body=body(),
        kind=OpinionKind.OPINION,
        subject="On guidelines",
        adopted_on=date(2026, 3, 4),
        adoption=Adoption.VOTE,
        votes_for=14,
        votes_against=13,
        abstentions=0,
        majority_numerator=1,
        majority_denominator=2,
        majority_citation="Rules of procedure, Art. 10",
        entitled_to_vote=27,
    )
    assert recorded.majority_met is True
    assert (recorded.majority_numerator, recorded.majority_denominator) == (1, 2)
    assert recorded.majority_citation == "Rules of procedure, Art. 10"
    assert recorded.rules_version == "" and recorded.reasons == []
    without = services.opinion_create(
        actor=editor(),
        body=recorded.body,
        kind=OpinionKind.OPINION,
        subject="On codes",
        adopted_on=date(2026, 3, 4),
        adoption=Adoption.VOTE,
        votes_for=10,
        votes_against=17,
        abstentions=0,
    )
    assert without.majority_met is None


def test_the_forums_rules_of_procedure_need_no_majority_from_the_law() -> None:
    recorded = services.opinion_create(
        actor=editor(),
        body=body(BodyKind.ADVISORY_FORUM),
        kind=OpinionKind.RULES_OF_PROCEDURE,
        subject="The forum's rules",
        adopted_on=date(2026, 3, 4),
        adoption=Adoption.VOTE,
        votes_for=30,
        votes_against=2,
        abstentions=1,
    )
    assert recorded.majority_met is None and recorded.majority_numerator is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"adoption": "vote"}, "votes_for"),
        ({"adoption": "consensus", "votes_for": 3}, "adoption"),
        ({"adoption": "vote", "state_votes": {"XX": "for"}}, "state_votes"),
        ({"adoption": "vote", "state_votes": {"FR": "maybe"}}, "state_votes"),
        (
            {"adoption": "vote", "state_votes": {"FR": "for"}, "votes_for": 4},
            "votes_for",
        ),
        (
            {
                "adoption": "vote",
                "votes_for": 1,
                "votes_against": 0,
                "abstentions": 0,
                "majority_numerator": 4,
                "majority_denominator": 3,
                "majority_citation": "x",
                "entitled_to_vote": 1,
            },
            "majority_denominator",
        ),
        (
            {
                "adoption": "vote",
                "votes_for": 1,
                "votes_against": 0,
                "abstentions": 0,
                "majority_numerator": 2,
                "majority_denominator": 3,
                "entitled_to_vote": 1,
            },
            "majority_citation",
        ),
        ({"kind": "alert_opinion", "adoption": "consensus"}, "alert"),
        ({"subject": "", "adoption": "consensus"}, "subject"),
    ],
)
def test_bad_opinions_are_refused_naming_the_field(values: dict[str, Any], field: str) -> None:
    board = body()
    data: dict[str, Any] = {
        "kind": OpinionKind.OPINION,
        "subject": "On a thing",
        "adopted_on": date(2026, 1, 1),
        **values,
    }
    with pytest.raises(ValidationError) as refused:
        services.opinion_create(actor=editor(), body=board, **data)
    assert field in refused.value.message_dict


def test_the_boards_rules_of_procedure_by_consensus_need_no_majority() -> None:
    recorded = services.opinion_create(
        actor=editor(),
        body=body(),
        kind=OpinionKind.RULES_OF_PROCEDURE,
        subject="Rules",
        adopted_on=date(2025, 9, 10),
        adoption=Adoption.CONSENSUS,
    )
    assert recorded.majority_met is None and recorded.rules_version == ""


def test_only_the_board_gives_opinions_on_qualified_alerts() -> None:
    forum = body(BodyKind.ADVISORY_FORUM)
    with pytest.raises(ValidationError) as refused:
        services.opinion_create(
            actor=editor(),
            body=forum,
            kind=OpinionKind.ALERT_OPINION,
            subject="Alert",
            adopted_on=date(2026, 1, 1),
            adoption=Adoption.CONSENSUS,
        )
    assert "kind" in refused.value.message_dict


def test_publishing_an_opinion_is_audited() -> None:
    recorded = opinion(body(), published=False)
    services.opinion_publish(actor=editor(), opinion=recorded, published=True)
    assert Opinion.objects.get(pk=recorded.pk).published
    assert AuditEvent.objects.filter(action="cooperation.opinion.published").count() == 1


# --- the forum's meetings per year (aiact's "forum-meetings", Art. 67) ------------------------


def test_the_forums_years_are_checked_against_the_minimum_from_aiact() -> None:
    forum = body(BodyKind.ADVISORY_FORUM)
    for on in (date(2024, 6, 1), date(2025, 10, 1), date(2027, 3, 1), date(2027, 9, 1)):
        held_meeting(forum, on=on)
    cancelled = services.meeting_create(
        actor=editor(), body=forum, title="Cancelled", date=date(2026, 5, 1)
    )
    services.meeting_update(actor=editor(), meeting=cancelled, status=MeetingStatus.CANCELLED)
    rows = selectors.meetings_held_per_year(forum, today=date(2028, 5, 1))
    assert [(r.year, r.held, r.minimum, r.met, r.so_far, r.below) for r in rows] == [
        (2028, 0, 2, False, True, False),
        (2027, 2, 2, True, False, False),
        (2026, 0, 2, False, False, True),
        (2025, 1, 2, False, False, True),
        (2024, 1, None, None, False, False),
    ]
    assert rows[0].citation == "AI Act, Art. 67"


def test_meetings_per_year_of_another_body_are_counts_only() -> None:
    board = body()
    assert selectors.meetings_held_per_year(board) == []
    held_meeting(board, on=date(2025, 10, 1))
    rows = selectors.meetings_held_per_year(board, today=date(2028, 5, 1))
    assert [(r.year, r.held, r.minimum) for r in rows] == [(2025, 1, None)]
