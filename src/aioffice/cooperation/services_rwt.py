"""Real-world testing outside sandboxes (Art. 60, 61; Annex IX; Art. 71(4)): each step one
function, one transaction.

Who acts is checked here (`permissions_rwt`; refused with `PermissionDenied`); aiact says
when approval is due and when it is deemed given ("rwt-approval"), when the test ends
("rwt-end"), whether the Art. 60(4) conditions are met ("rwt-conditions"), whether a batch of
consents is valid ("consent") and who sees the record ("database-visibility", section IX).
Every step writes a `RwtStep` with aiact's rules version, reasons and citations, the audit
event (ids, kinds, statuses only) and opens or closes the deadlines of the one clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from aiact import InputError, evaluate, load_law
from aioffice.accounts.models import Organisation
from aioffice.cooperation import permissions_rwt as rules
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_rwt import (
    CONSENT_ITEMS,
    DECLARED_CONDITIONS,
    ConsentBatch,
    RealWorldTest,
    RwtApproval,
    RwtScope,
    RwtStatus,
    RwtStep,
    RwtStepKind,
    TacitApprovalRule,
)
from aioffice.core import audit
from aioffice.core.dates import step_date
from aioffice.core.files import DOCX, ODT, PDF, check_upload, removed_on_failure
from aioffice.registry.choices import MEMBER_STATE_NAMES
from aioffice.supervision import clock
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus

__all__ = [
    "apply_tacit",
    "conditions_check",
    "conditions_declare",
    "consent_record",
    "national_rule_set",
    "outcome_notify",
    "publication_set",
    "tacit_allowed_in",
    "tacit_due",
    "test_decide",
    "test_end",
    "test_extend",
    "test_register",
    "test_resume",
    "test_start",
    "test_suspend",
    "test_terminate",
    "valid_participants",
]

ANNEX_III_POINTS = ("1", "2", "3", "4", "5", "6", "7", "8")
# a testing plan: PDF, or an OpenDocument / Office Open XML text (a ZIP container)
PLAN_TYPES = (PDF, ODT, DOCX)
MAX_TEXT = 20_000
ACTIVE = (RwtStatus.APPROVED, RwtStatus.RUNNING, RwtStatus.SUSPENDED)


# --- shared ------------------------------------------------------------------------------


def _today() -> date:
    """The Office's current day (UTC): the one place these services read the clock."""
    return timezone.now().date()


def _ask(kind: str, facts: Mapping[str, Any]) -> dict[str, Any]:
    """One question to aiact; its input errors name the field."""
    try:
        answer = evaluate(kind, dict(facts), law=load_law())
    except InputError as exc:
        raise ValidationError({exc.field: exc.message}) from exc
    return dict(answer)


def _result(answer: Mapping[str, Any]) -> dict[str, Any]:
    found = answer.get("result")
    return dict(found) if isinstance(found, Mapping) else {}


def _citations(answer: Mapping[str, Any]) -> list[str]:
    return [
        str(c.get("label", "")) if isinstance(c, Mapping) else str(c)
        for c in answer.get("citations") or ()
    ]


def _reasons(answer: Mapping[str, Any]) -> list[str]:
    return [str(r) for r in answer.get("reasons") or ()]


def _text(value: Any, field: str, what: str, *, required: bool = True) -> str:
    if value is not None and not isinstance(value, str):
        raise ValidationError({field: f"{what} must be text."})
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: "The text contains a NUL character."})
    if required and not text:
        raise ValidationError({field: f"{what} is required."})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: f"{what} is longer than {MAX_TEXT} characters."})
    return text


def _step(
    test: RealWorldTest,
    kind: str,
    *,
    actor: Any,
    on: date,
    text: str = "",
    answer: Mapping[str, Any] | None = None,
) -> RwtStep:
    answer = answer or {}
    return RwtStep.objects.create(
        test=test,
        kind=kind,
        on=on,
        text=text,
        actor=actor if getattr(actor, "pk", None) else None,
        rules_version=str(answer.get("rules_version", ""))[:100],
        reasons=_reasons(answer),
        citations=_citations(answer),
    )


def _audit(actor: Any, action: str, test: RealWorldTest, **after: Any) -> None:
    audit.record(
        actor=actor if getattr(actor, "pk", None) else None,
        action=f"cooperation.rwt.{action}",
        obj=test,
        after={"status": test.status, **after},
    )


def _url(test: RealWorldTest) -> str:
    return reverse("cooperation:rwt_detail", args=[test.pk])


def _locked(test: RealWorldTest | int) -> RealWorldTest:
    pk = test if isinstance(test, int) else test.pk
    return RealWorldTest.objects.select_for_update().select_related("provider").get(pk=pk)


def _wrong_state(test: RealWorldTest, field: str, what: str) -> ValidationError:
    return ValidationError({field: f"{what} (the test is {test.get_status_display()})."})


def _provider_only(actor: Any, test: RealWorldTest) -> None:
    if not rules.acts_for_provider(actor, test):
        raise PermissionDenied("Only the provider's people may do this.")


def _visibility(test: RealWorldTest) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "section": "IX",
        "sensitive_context": test.sensitive_context,
        "publication_consent": test.publication_consent,
    }
    if test.annex_iii_point:
        facts["annex_iii_point"] = test.annex_iii_point
    answer = _ask("cooperation", {"check": "database-visibility", **facts})
    found = _result(answer)
    test.visibility = str(found.get("visibility", "authorities"))
    test.fields_shown = [str(f) for f in found.get("fields") or ()]
    test.visibility_rules_version = str(answer.get("rules_version", ""))[:100]
    return answer


# --- national law on tacit approval --------------------------------------------------------


def tacit_allowed_in(member_state: str) -> bool:
    """Whether the Member State's law lets a plan be deemed approved (Art. 60(4)(b)); the
    Act's default where nothing is recorded."""
    found = TacitApprovalRule.objects.filter(member_state=member_state).first()
    return True if found is None else found.tacit_allowed


def national_rule_set(
    *, actor: Any, member_state: str, tacit_allowed: bool, source: str = ""
) -> TacitApprovalRule:
    if not rules.may_act_as_staff(actor) and actor is not None:
        raise PermissionDenied("Only the Office records national rules.")
    if member_state not in MEMBER_STATE_NAMES:
        raise ValidationError({"member_state": "Not a Member State."})
    source = _text(source, "source", "The source", required=False)[:300]
    with transaction.atomic():
        row, _ = TacitApprovalRule.objects.select_for_update().update_or_create(
            member_state=member_state,
            defaults={"tacit_allowed": tacit_allowed, "source": source},
        )
        audit.record(
            actor=actor,
            action="cooperation.rwt.national_rule",
            obj=row,
            after={"member_state": member_state, "tacit_allowed": tacit_allowed},
        )
    return row


# --- registration and submission -----------------------------------------------------------


def _member_states(value: Iterable[str] | None) -> list[str]:
    codes = sorted({str(c).strip().upper() for c in value or ()})
    if not codes:
        raise ValidationError({"member_states": "Name the Member State(s) of testing."})
    unknown = [c for c in codes if c not in MEMBER_STATE_NAMES]
    if unknown:
        raise ValidationError({"member_states": f"Not a Member State: {', '.join(unknown)}."})
    return codes


def _conditions(values: Mapping[str, Any] | None) -> dict[str, bool]:
    values = values or {}
    unknown = sorted(set(values) - set(DECLARED_CONDITIONS))
    if unknown:
        raise ValidationError({"conditions": f"Unknown condition: {', '.join(unknown)}."})
    out: dict[str, bool] = {}
    for name in DECLARED_CONDITIONS:
        value = values.get(name, False)
        if not isinstance(value, bool):
            raise ValidationError({name: "Yes or no."})
        out[name] = value
    return out


def test_register(
    *,
    actor: Any,
    provider: Organisation,
    authority: Authority,
    system_name: str,
    description: str,
    plan_summary: str,
    provider_contact: str,
    scope: str,
    member_states: Iterable[str],
    plan: File,  # type: ignore[type-arg]  # any content
    annex_iii_point: str = "",
    sensitive_context: bool = False,
    deployers: str = "",
    legal_representative: Organisation | None = None,
    publication_consent: bool = False,
    conditions: Mapping[str, Any] | None = None,
) -> RealWorldTest:
    """A provider registers a test and submits its plan to the market surveillance authority
    of a Member State of testing (Art. 60(4)(a)-(c)); the number is allocated here, and the
    approval deadline opened (aiact "rwt-approval")."""
    if not rules.provider_organisations(actor).filter(pk=provider.pk).exists():
        raise PermissionDenied("You do not act for this provider.")
    system_name = _text(system_name, "system_name", "The AI system's name")[:200]
    description = _text(description, "description", "The description")
    plan_summary = _text(plan_summary, "plan_summary", "The summary of the testing plan")
    provider_contact = _text(provider_contact, "provider_contact", "The contact details")
    deployers = _text(deployers, "deployers", "The deployers", required=False)
    if scope not in RwtScope.values:
        raise ValidationError({"scope": "Choose the scope of the test."})
    annex_iii_point = (annex_iii_point or "").strip()
    if scope == RwtScope.ANNEX_III and annex_iii_point not in ANNEX_III_POINTS:
        raise ValidationError({"annex_iii_point": "Choose the Annex III point (1 to 8)."})
    if scope != RwtScope.ANNEX_III and annex_iii_point:
        raise ValidationError({"annex_iii_point": "Only an Annex III system has a point."})
    if annex_iii_point == "2":
        raise ValidationError(
            {
                "annex_iii_point": "Testing of an Annex III point 2 system (critical "
                "infrastructure) is registered at national level, not in the EU database "
                "(Art. 49(5), 60(4)(c)): register it with the Member State."
            }
        )
    if sensitive_context and scope != RwtScope.ANNEX_III:
        raise ValidationError(
            {"sensitive_context": "Only an Annex III system is registered in the secure section."}
        )
    states = _member_states(member_states)
    if authority.kind != "market_surveillance" or not authority.active:
        raise ValidationError({"authority": "Choose a designated market surveillance authority."})
    if authority.member_state not in states:
        raise ValidationError(
            {"authority": "The authority must be of a Member State where the test takes place."}
        )
    if sensitive_context and not authority.is_art74_8:
        raise ValidationError(
            {
                "authority": "A test in law enforcement, migration, asylum or border control "
                "is submitted to the market surveillance authority of Art. 74(8)."
            }
        )
    if legal_representative is not None and not legal_representative.established_in_union:
        raise ValidationError(
            {"legal_representative": "The legal representative must be established in the Union."}
        )
    if not provider.established_in_union and legal_representative is None:
        raise ValidationError(
            {
                "legal_representative": "A provider not established in the Union names its "
                "legal representative in the Union (Art. 60(4)(d))."
            }
        )
    declared = _conditions(conditions)
    found = check_upload(
        plan,
        field="plan",
        allowed=PLAN_TYPES,
        max_bytes=int(getattr(settings, "SUPERVISION_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)),
        default_name="plan",
    )
    today = _today()
    tacit = tacit_allowed_in(authority.member_state)
    approval = _ask(
        "clock",
        {"clock": "rwt-approval", "from": today.isoformat(), "tacit_allowed": tacit},
    )
    due = _result(approval)
    tacit_on = due.get("tacit_on")
    with removed_on_failure() as stored, transaction.atomic():
        test = RealWorldTest(
            # a placeholder until the row has its id (below, same transaction)
            identification_number=f"pending-{uuid.uuid4().hex[:22]}",
            provider=provider,
            legal_representative=legal_representative,
            provider_contact=provider_contact,
            deployers=deployers,
            system_name=system_name,
            description=description,
            scope=scope,
            annex_iii_point=annex_iii_point,
            sensitive_context=sensitive_context,
            plan_summary=plan_summary,
            member_states=states,
            authority=authority,
            plan_filename=found.filename,
            plan_content_type=found.content_type,
            plan_sha256=found.sha256,
            plan_size=found.size,
            submitted_on=today,
            tacit_allowed=tacit,
            approval_due=date.fromisoformat(str(due["due"])),
            tacit_on=date.fromisoformat(str(tacit_on)) if tacit_on else None,
            conditions=declared,
            publication_consent=publication_consent,
            created_by=actor,
        )
        _visibility(test)
        found.store(test.plan, stored)
        test.save()
        test.identification_number = f"EU-RWT-{today.year}-{test.pk:06d}"
        test.save(update_fields=["identification_number"])
        _step(test, RwtStepKind.SUBMITTED, actor=actor, on=today, answer=approval)
        clock.open_deadline(
            kind=DeadlineKind.RWT_APPROVAL,
            source=test,
            due_on=test.approval_due,
            title=f"Real-world test {test.identification_number}: approval of the plan",
            url=_url(test),
            answer=approval,
        )
        _audit(
            actor,
            "registered",
            test,
            authority=authority.pk,
            provider=provider.pk,
            visibility=test.visibility,
            sha256=test.plan_sha256,
        )
    return test


# --- approval -------------------------------------------------------------------------------


def _deem_approved(test: RealWorldTest, *, actor: Any) -> None:
    """In the caller's transaction, on a locked row whose tacit day has come."""
    assert test.tacit_on is not None
    answer = _ask(
        "clock",
        {
            "clock": "rwt-approval",
            "from": test.submitted_on.isoformat(),
            "tacit_allowed": test.tacit_allowed,
        },
    )
    test.status = RwtStatus.APPROVED
    test.approval = RwtApproval.TACIT
    test.decided_on = test.tacit_on
    test.save(update_fields=["status", "approval", "decided_on", "updated_at"])
    _step(test, RwtStepKind.TACIT, actor=actor, on=test.tacit_on, answer=answer)
    clock.close_deadlines(source=test, kinds=[DeadlineKind.RWT_APPROVAL])
    _audit(actor, "tacit", test)


def tacit_due(today: date | None = None) -> QuerySet[RealWorldTest]:
    """Plans deemed approved by `today` and not yet recorded so."""
    day = today or _today()
    return RealWorldTest.objects.filter(status=RwtStatus.SUBMITTED, tacit_on__lte=day)


def apply_tacit(
    *,
    actor: Any = None,
    today: date | None = None,
    progress: Callable[[], None] | None = None,
    only: int | None = None,
) -> int:
    """Record the tacit approvals that have come due (idempotent: one transaction per test,
    each checked again under its lock); `only` limits it to one test."""
    day = today or _today()
    done = 0
    due = tacit_due(day) if only is None else tacit_due(day).filter(pk=only)
    for pk in list(due.order_by("id").values_list("pk", flat=True)):
        with transaction.atomic():
            test = _locked(pk)
            if test.status == RwtStatus.SUBMITTED and test.tacit_on and test.tacit_on <= day:
                _deem_approved(test, actor=actor)
                done += 1
        if progress is not None:
            progress()
    return done


def test_decide(*, actor: Any, test: RealWorldTest, approve: bool, reasons: str = "") -> None:
    """The authority the plan was submitted to approves or refuses it (Art. 60(4)(b))."""
    if not rules.decides(actor, test):
        raise PermissionDenied("Only the authority the plan was submitted to decides.")
    if not isinstance(approve, bool):
        raise ValidationError({"approve": "Yes or no."})
    reasons = _text(reasons, "reasons", "The reasons", required=not approve)
    today = _today()
    # a plan already deemed approved stays so (recorded in its own transaction)
    apply_tacit(today=today, only=test.pk)
    with transaction.atomic():
        test = _locked(test)
        if test.status != RwtStatus.SUBMITTED:
            raise _wrong_state(test, "approve", "The plan is no longer awaiting a decision")
        test.status = RwtStatus.APPROVED if approve else RwtStatus.REFUSED
        test.approval = RwtApproval.EXPLICIT if approve else RwtApproval.REFUSED
        test.decided_on = today
        test.decision_reasons = reasons
        test.save(
            update_fields=["status", "approval", "decided_on", "decision_reasons", "updated_at"]
        )
        kind = RwtStepKind.APPROVED if approve else RwtStepKind.REFUSED
        _step(test, kind, actor=actor, on=today, text=reasons)
        clock.close_deadlines(source=test, kinds=[DeadlineKind.RWT_APPROVAL])
        _audit(actor, "decided", test, approval=test.approval)


# --- conditions and start ------------------------------------------------------------------


def conditions_check(test: RealWorldTest, today: date | None = None) -> dict[str, Any]:
    """aiact's check of the Art. 60(4) conditions, from the record and the provider's
    declarations: {"allowed", "missing", "rules_version", "reasons", "citations"}."""
    day = today or _today()
    declared = _conditions(
        {k: v for k, v in (test.conditions or {}).items() if k in DECLARED_CONDITIONS}
    )
    facts: dict[str, Any] = {
        "check": "rwt-conditions",
        "plan_submitted": True,
        "approved": test.status in ACTIVE,
        "registered": bool(test.identification_number),
        "established_in_union": bool(
            test.provider.established_in_union or test.legal_representative_id is not None
        ),
        "within_duration": test.ends_on is None or day <= test.ends_on,
        **declared,
    }
    answer = _ask("cooperation", facts)
    found = _result(answer)
    return {
        "allowed": bool(found.get("allowed")),
        "missing": [str(m) for m in found.get("missing") or ()],
        "rules_version": str(answer.get("rules_version", "")),
        "reasons": _reasons(answer),
        "citations": _citations(answer),
    }


def conditions_declare(
    *, actor: Any, test: RealWorldTest, conditions: Mapping[str, Any]
) -> RealWorldTest:
    """The provider declares which Art. 60(4) conditions it meets (those the record does not
    show by itself)."""
    _provider_only(actor, test)
    declared = _conditions(conditions)
    with transaction.atomic():
        test = _locked(test)
        if test.status in (RwtStatus.REFUSED, RwtStatus.TERMINATED, RwtStatus.ENDED):
            raise _wrong_state(test, "conditions", "The test is over")
        test.conditions = declared
        test.save(update_fields=["conditions", "updated_at"])
        met = ", ".join(k for k, v in declared.items() if v)
        _step(test, RwtStepKind.CONDITIONS, actor=actor, on=_today(), text=met)
        _audit(actor, "conditions", test)
    return test


def _open_end(test: RealWorldTest, answer: Mapping[str, Any]) -> None:
    assert test.ends_on is not None
    clock.open_deadline(
        kind=DeadlineKind.RWT_END,
        source=test,
        due_on=test.ends_on,
        title=f"Real-world test {test.identification_number}: end of testing",
        provider_to_act=True,
        url=_url(test),
        answer=answer,
    )


def test_start(*, actor: Any, test: RealWorldTest, started_on: date | None = None) -> None:
    """The provider starts an approved test whose conditions are all met; it ends by the
    day aiact gives ("rwt-end")."""
    _provider_only(actor, test)
    today = _today()
    day = step_date(started_on, "started_on", today=today)
    with transaction.atomic():
        test = _locked(test)
        if test.status != RwtStatus.APPROVED:
            raise _wrong_state(test, "started_on", "Only an approved test starts")
        if test.decided_on is not None and day < test.decided_on:
            raise ValidationError({"started_on": "A test starts after its approval."})
        check = conditions_check(test, today)
        if not check["allowed"]:
            raise ValidationError(
                {"conditions": f"Conditions not met: {', '.join(check['missing'])}."}
            )
        answer = _ask("clock", {"clock": "rwt-end", "from": day.isoformat(), "extended": False})
        test.status = RwtStatus.RUNNING
        test.started_on = day
        test.ends_on = date.fromisoformat(str(_result(answer)["end"]))
        test.save(update_fields=["status", "started_on", "ends_on", "updated_at"])
        _step(test, RwtStepKind.STARTED, actor=actor, on=day, answer=answer)
        _open_end(test, answer)
        _audit(actor, "started", test)


def test_extend(*, actor: Any, test: RealWorldTest, justification: str) -> None:
    """One extension of the period, notified to the authority before the end with a
    justification (Art. 60(4)(f)); a second is refused."""
    _provider_only(actor, test)
    justification = _text(justification, "justification", "The justification")
    today = _today()
    with transaction.atomic():
        test = _locked(test)
        if test.extended:
            raise ValidationError(
                {
                    "justification": "The test was extended already: one extension only "
                    "(Art. 60(4)(f))."
                }
            )
        if test.status not in (RwtStatus.RUNNING, RwtStatus.SUSPENDED) or test.started_on is None:
            raise _wrong_state(test, "justification", "Only a running test is extended")
        first = _ask(
            "clock", {"clock": "rwt-end", "from": test.started_on.isoformat(), "extended": False}
        )
        notice_by = _result(first).get("extension_notice_by")
        if notice_by and today > date.fromisoformat(str(notice_by)):
            raise ValidationError(
                {"justification": f"An extension is notified before the end ({notice_by})."}
            )
        answer = _ask(
            "clock", {"clock": "rwt-end", "from": test.started_on.isoformat(), "extended": True}
        )
        test.extended = True
        test.extension_justification = justification
        test.ends_on = date.fromisoformat(str(_result(answer)["end"]))
        test.save(update_fields=["extended", "extension_justification", "ends_on", "updated_at"])
        _step(test, RwtStepKind.EXTENDED, actor=actor, on=today, text=justification, answer=answer)
        _open_end(test, answer)
        _audit(actor, "extended", test)


# --- suspension, termination, end, outcome ---------------------------------------------------


def _provider_or_authority(actor: Any, test: RealWorldTest) -> bool:
    """True when the authority acts, False for the provider; anyone else is refused."""
    if rules.decides(actor, test):
        return True
    if rules.acts_for_provider(actor, test):
        return False
    raise PermissionDenied("Only the provider or the authority the plan was submitted to.")


def _note(test: RealWorldTest, line: str) -> None:
    test.suspension_information = "\n".join(
        part for part in (test.suspension_information, line) if part
    )


def test_suspend(*, actor: Any, test: RealWorldTest, reasons: str) -> None:
    """Suspension by the provider (Art. 60(7)-(8)) or by the authority."""
    by_authority = _provider_or_authority(actor, test)
    reasons = _text(reasons, "reasons", "The reasons")
    today = _today()
    with transaction.atomic():
        test = _locked(test)
        if test.status != RwtStatus.RUNNING:
            raise _wrong_state(test, "reasons", "Only a running test is suspended")
        who = "the authority" if by_authority else "the provider"
        test.status = RwtStatus.SUSPENDED
        test.stopped_on = today
        _note(test, f"{today.isoformat()}: suspended by {who}: {reasons}")
        test.save(update_fields=["status", "stopped_on", "suspension_information", "updated_at"])
        _step(test, RwtStepKind.SUSPENDED, actor=actor, on=today, text=reasons)
        _audit(actor, "suspended", test, by_authority=by_authority)


def test_resume(*, actor: Any, test: RealWorldTest) -> None:
    """A suspended test resumes: a suspension by the authority is lifted by the authority."""
    by_authority = _provider_or_authority(actor, test)
    today = _today()
    with transaction.atomic():
        test = _locked(test)
        if test.status != RwtStatus.SUSPENDED:
            raise _wrong_state(test, "status", "Only a suspended test resumes")
        last = test.steps.filter(kind=RwtStepKind.SUSPENDED).order_by("-id").first()
        if (
            not by_authority
            and last is not None
            and last.actor is not None
            and rules.decides(last.actor, test)
        ):
            raise PermissionDenied("The authority suspended this test: it lifts the suspension.")
        if test.ends_on is not None and today > test.ends_on:
            raise ValidationError({"status": f"The testing period ended on {test.ends_on}."})
        test.status = RwtStatus.RUNNING
        test.stopped_on = None
        _note(test, f"{today.isoformat()}: resumed")
        test.save(update_fields=["status", "stopped_on", "suspension_information", "updated_at"])
        _step(test, RwtStepKind.RESUMED, actor=actor, on=today)
        _audit(actor, "resumed", test, by_authority=by_authority)


def test_terminate(*, actor: Any, test: RealWorldTest, reasons: str) -> None:
    """Termination by the provider (Art. 60(7)-(8)) or by the authority."""
    by_authority = _provider_or_authority(actor, test)
    reasons = _text(reasons, "reasons", "The reasons")
    today = _today()
    with transaction.atomic():
        test = _locked(test)
        if test.status not in ACTIVE:
            raise _wrong_state(test, "reasons", "Only an approved, running or suspended test")
        who = "the authority" if by_authority else "the provider"
        test.status = RwtStatus.TERMINATED
        test.stopped_on = today
        _note(test, f"{today.isoformat()}: terminated by {who}: {reasons}")
        test.save(update_fields=["status", "stopped_on", "suspension_information", "updated_at"])
        _step(test, RwtStepKind.TERMINATED, actor=actor, on=today, text=reasons)
        clock.close_deadlines(
            source=test, kinds=[DeadlineKind.RWT_END], status=DeadlineStatus.CANCELLED
        )
        _audit(actor, "terminated", test, by_authority=by_authority)


def test_end(*, actor: Any, test: RealWorldTest) -> None:
    """The provider records that testing has ended (on or before its end date)."""
    _provider_only(actor, test)
    today = _today()
    with transaction.atomic():
        test = _locked(test)
        if test.status not in (RwtStatus.RUNNING, RwtStatus.SUSPENDED):
            raise _wrong_state(test, "status", "Only a running or suspended test ends")
        test.status = RwtStatus.ENDED
        test.stopped_on = min(today, test.ends_on) if test.ends_on else today
        test.save(update_fields=["status", "stopped_on", "updated_at"])
        _step(test, RwtStepKind.ENDED, actor=actor, on=test.stopped_on)
        clock.close_deadlines(source=test, kinds=[DeadlineKind.RWT_END])
        _audit(actor, "ended", test)


def outcome_notify(*, actor: Any, test: RealWorldTest, outcome: str) -> None:
    """The provider notifies the final outcome (Art. 60(8)), once."""
    _provider_only(actor, test)
    outcome = _text(outcome, "outcome", "The outcome")
    today = _today()
    with transaction.atomic():
        test = _locked(test)
        if test.status not in (RwtStatus.TERMINATED, RwtStatus.ENDED):
            raise _wrong_state(test, "outcome", "The outcome follows the end or termination")
        if test.outcome_notified_on is not None:
            raise ValidationError({"outcome": "The final outcome was notified already."})
        test.outcome = outcome
        test.outcome_notified_on = today
        test.save(update_fields=["outcome", "outcome_notified_on", "updated_at"])
        _step(test, RwtStepKind.OUTCOME, actor=actor, on=today, text=outcome)
        _audit(actor, "outcome", test)


# --- consent and publication ---------------------------------------------------------------


def consent_record(
    *,
    actor: Any,
    test: RealWorldTest,
    participants: int,
    checklist: Mapping[str, Any],
    recorded_on: date | None = None,
) -> ConsentBatch:
    """A batch of informed consents (Art. 61): the checklist and the count, no names."""
    _provider_only(actor, test)
    if isinstance(participants, bool) or not isinstance(participants, int) or participants < 1:
        raise ValidationError({"participants": "A whole number of participants, at least 1."})
    if participants > 10_000_000:
        raise ValidationError({"participants": "Too many participants for one batch."})
    unknown = sorted(set(checklist) - set(CONSENT_ITEMS))
    if unknown:
        raise ValidationError({"checklist": f"Unknown item: {', '.join(unknown)}."})
    items: dict[str, bool] = {}
    for name in CONSENT_ITEMS:
        value = checklist.get(name, False)
        if not isinstance(value, bool):
            raise ValidationError({name: "Yes or no."})
        items[name] = value
    day = step_date(recorded_on, "recorded_on", today=_today())
    answer = _ask("cooperation", {"check": "consent", **items})
    found = _result(answer)
    with transaction.atomic():
        test = _locked(test)
        if test.status not in ACTIVE:
            raise _wrong_state(test, "participants", "Consents are recorded for an active test")
        batch = ConsentBatch.objects.create(
            test=test,
            recorded_on=day,
            participants=participants,
            checklist=items,
            valid=bool(found.get("valid")),
            missing=[str(m) for m in found.get("missing") or ()],
            rules_version=str(answer.get("rules_version", ""))[:100],
            reasons=_reasons(answer),
            citations=_citations(answer),
        )
        _step(test, RwtStepKind.CONSENT, actor=actor, on=day, answer=answer)
        _audit(actor, "consent", test, batch=batch.pk, valid=batch.valid, count=participants)
    return batch


def valid_participants(test: RealWorldTest) -> int:
    total = test.consents.filter(valid=True).aggregate(n=Sum("participants"))["n"]
    return int(total or 0)


def publication_set(*, actor: Any, test: RealWorldTest, consent: bool) -> RealWorldTest:
    """The provider consents to publication of the Art. 60 data, or withdraws it (Art. 71(4));
    aiact decides the visibility again."""
    _provider_only(actor, test)
    if not isinstance(consent, bool):
        raise ValidationError({"consent": "Yes or no."})
    with transaction.atomic():
        test = _locked(test)
        test.publication_consent = consent
        answer = _visibility(test)
        test.save(
            update_fields=[
                "publication_consent",
                "visibility",
                "fields_shown",
                "visibility_rules_version",
                "updated_at",
            ]
        )
        _step(test, RwtStepKind.PUBLICATION, actor=actor, on=_today(), answer=answer)
        _audit(actor, "publication", test, consent=consent, visibility=test.visibility)
    return test
