"""AI regulatory sandboxes: every change goes through one function here (Arts 57-59).

Each function is keyword-only with `actor` first, checks who acts (`PermissionDenied`),
refuses bad input with a `ValidationError` naming the field, changes its rows in one
transaction (the row whose state changes locked first), writes one audit event (ids, kinds
and statuses only: never a person's data) and opens or closes the deadlines of the one clock
(`supervision.clock`): the decision on an application (aiact clock "sandbox-decision",
SBX-03) and a sandbox's next annual report (aiact clock "sandbox-report", SBX-02).

Dates of steps are today by default, may be entered late, never a day still to come.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aioffice.accounts.models import Organisation
from aioffice.cooperation import permissions_sandboxes as rules
from aioffice.cooperation.law_sandboxes import law_answer
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_sandboxes import (
    PARTICIPATING,
    ApplicationStatus,
    ExitReport,
    ReportKind,
    Sandbox,
    SandboxApplication,
    SandboxLevel,
    SandboxPlan,
    SandboxReport,
    SandboxStatus,
)
from aioffice.core import audit
from aioffice.core.dates import step_date
from aioffice.core.files import DOCX, ODT, PDF, TEXT, check_upload, removed_on_failure
from aioffice.registry.choices import MEMBER_STATE_NAMES
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.clock import close_deadlines, open_deadline

__all__ = [
    "application_decide",
    "application_submit",
    "application_withdraw",
    "exit_report_add",
    "exit_report_consent",
    "immunity_record",
    "participation_resume",
    "participation_suspend",
    "plan_agree",
    "plan_propose",
    "report_add",
    "sandbox_create",
    "sandbox_update",
]

SANDBOX_FIELDS = (
    "level",
    "member_state",
    "joint_member_states",
    "operating_authority",
    "name",
    "status",
    "established_on",
    "closed_on",
    "capacity",
    "focus_sectors",
    "website",
    "description",
    "published",
)


def _today() -> date:
    return timezone.now().date()


def _clean_text(value: str, field: str, *, required: bool = True, max_length: int = 0) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: "The text contains a NUL character."})
    if required and not text:
        raise ValidationError({field: "This field is required."})
    if max_length and len(text) > max_length:
        raise ValidationError({field: f"At most {max_length} characters."})
    return text


def _full_clean(row: Any, exclude: list[str] | None = None) -> None:
    """The model's own checks (constraints included) as a ValidationError naming fields."""
    row.full_clean(exclude=exclude)


# --- the sandboxes (Art. 57(1)-(3a), (15)) -------------------------------------------------


def _sandbox_values(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for name in ("name", "focus_sectors", "website", "description"):
        if name in out:
            limit = 20000 if name == "description" else 300
            out[name] = _clean_text(out[name], name, required=name == "name", max_length=limit)
    if "joint_member_states" in out:
        joint = out["joint_member_states"] or []
        if not isinstance(joint, list) or not all(isinstance(c, str) for c in joint):
            raise ValidationError({"joint_member_states": "A list of Member State codes."})
        unknown = [c for c in joint if c not in MEMBER_STATE_NAMES]
        if unknown:
            raise ValidationError(
                {"joint_member_states": f"Not a Member State: {', '.join(unknown)[:100]}."}
            )
        out["joint_member_states"] = sorted(set(joint))
    return out


def _check_sandbox(sandbox: Sandbox) -> None:
    if sandbox.level == SandboxLevel.UNION:
        if sandbox.operating_authority_id is not None or sandbox.member_state:
            raise ValidationError(
                {
                    "operating_authority": "The AI Office runs the Union-level sandbox: no "
                    "Member State and no national authority."
                }
            )
        if sandbox.joint_member_states:
            raise ValidationError({"joint_member_states": "Only a national sandbox is joint."})
    else:
        if not sandbox.member_state:
            raise ValidationError({"member_state": "A national sandbox has its Member State."})
        authority = sandbox.operating_authority
        if authority is None:
            raise ValidationError({"operating_authority": "Name the operating authority."})
        states = {sandbox.member_state, *sandbox.joint_member_states}
        if authority.member_state not in states:
            raise ValidationError(
                {"operating_authority": "The authority is not of the sandbox's Member States."}
            )
        if sandbox.member_state in sandbox.joint_member_states:
            raise ValidationError(
                {"joint_member_states": "List only the other Member States of a joint sandbox."}
            )
    if sandbox.status != SandboxStatus.PLANNED and sandbox.established_on is None:
        raise ValidationError({"established_on": "An operational sandbox has its date."})
    if sandbox.established_on is not None and sandbox.established_on > _today():
        raise ValidationError({"established_on": "A sandbox is established on a past day."})
    if sandbox.status == SandboxStatus.CLOSED and sandbox.closed_on is None:
        sandbox.closed_on = _today()
    if sandbox.closed_on is not None and sandbox.status != SandboxStatus.CLOSED:
        raise ValidationError({"closed_on": "Only a closed sandbox has a closing date."})
    if (
        sandbox.closed_on is not None
        and sandbox.established_on is not None
        and sandbox.closed_on < sandbox.established_on
    ):
        raise ValidationError({"closed_on": "A sandbox closes after it was established."})
    _full_clean(sandbox, exclude=["operating_authority"])


def _follow_reports(sandbox: Sandbox, *, on: date | None = None) -> None:
    """The next annual report while the sandbox is operational (SBX-02); none otherwise
    (a closed sandbox owes its final report, which has no period)."""
    if sandbox.status != SandboxStatus.OPERATIONAL or sandbox.established_on is None:
        close_deadlines(
            source=sandbox, kinds=[DeadlineKind.SANDBOX_REPORT], status=DeadlineStatus.CANCELLED
        )
        sandbox.report_due_on = None
        return
    day = on or sandbox.established_on
    answer = law_answer(
        "clock",
        {
            "clock": "sandbox-report",
            "from": sandbox.established_on.isoformat(),
            "on": day.isoformat(),
        },
        field="established_on",
    )
    due = date.fromisoformat(str(answer.result["due"]))
    sandbox.report_due_on = due
    sandbox.rules_version = answer.rules_version
    sandbox.reasons = answer.reasons
    sandbox.citations = answer.citations
    open_deadline(
        kind=DeadlineKind.SANDBOX_REPORT,
        source=sandbox,
        due_on=due,
        title=f"Annual report of the sandbox {sandbox.name} (Art. 57(16))",
        url=reverse("cooperation:sandbox_detail", args=[sandbox.pk]),
        answer=answer.as_answer(),
    )


def _snapshot(sandbox: Sandbox) -> dict[str, Any]:
    return {
        "level": sandbox.level,
        "member_state": sandbox.member_state,
        "joint_member_states": list(sandbox.joint_member_states),
        "operating_authority": sandbox.operating_authority_id,
        "status": sandbox.status,
        "established_on": sandbox.established_on,
        "closed_on": sandbox.closed_on,
        "capacity": sandbox.capacity,
        "published": sandbox.published,
    }


@transaction.atomic
def sandbox_create(
    *,
    actor: Any,
    name: str,
    level: str = SandboxLevel.NATIONAL,
    member_state: str = "",
    joint_member_states: list[str] | None = None,
    operating_authority: Authority | None = None,
    status: str = SandboxStatus.PLANNED,
    established_on: date | None = None,
    closed_on: date | None = None,
    capacity: int = 1,
    focus_sectors: str = "",
    website: str = "",
    description: str = "",
    published: bool = False,
) -> Sandbox:
    """Register a sandbox: the list's keepers any, an authority's members their own (the
    national competent authorities inform the AI Office of each sandbox, Art. 57(15));
    only the list's keepers publish it."""
    authority_id = None if operating_authority is None else operating_authority.pk
    if not rules.may_register_sandbox(actor, authority_id):
        raise PermissionDenied("The AI Office and the operating authority register a sandbox.")
    if published and not rules.may_keep_sandbox_list(actor):
        raise ValidationError({"published": "The AI Office publishes the list of sandboxes."})
    values = _sandbox_values(
        {
            "name": name,
            "joint_member_states": joint_member_states or [],
            "focus_sectors": focus_sectors,
            "website": website,
            "description": description,
        }
    )
    sandbox = Sandbox(
        level=level,
        member_state=member_state,
        operating_authority=operating_authority,
        status=status,
        established_on=established_on,
        closed_on=closed_on,
        capacity=capacity,
        published=published,
        **values,
    )
    _check_sandbox(sandbox)
    sandbox.save()
    _follow_reports(sandbox)
    sandbox.save(update_fields=["report_due_on", "rules_version", "reasons", "citations"])
    audit.record(
        actor=actor, action="cooperation.sandbox.created", obj=sandbox, after=_snapshot(sandbox)
    )
    return sandbox


def _moved(changes: dict[str, Any], name: str, current_id: int | None) -> bool:
    if name not in changes:
        return False
    value = changes[name]
    return (None if value is None else value.pk) != current_id


def sandbox_update(*, actor: Any, sandbox: Sandbox, **changes: Any) -> Sandbox:
    """Change a sandbox's record (its operators, or the list's keepers); becoming
    operational opens its annual reports, closing cancels them."""
    unknown = set(changes) - set(SANDBOX_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Not a field of a sandbox."})
    with transaction.atomic():
        locked = Sandbox.objects.select_for_update().get(pk=sandbox.pk)
        if not (rules.may_operate(actor, locked) or rules.may_keep_sandbox_list(actor)):
            raise PermissionDenied("The sandbox's operators change its record.")
        keeper = rules.may_keep_sandbox_list(actor)
        publishing = "published" in changes and bool(changes["published"]) != locked.published
        if publishing and not keeper:
            raise ValidationError({"published": "The AI Office publishes the list of sandboxes."})
        moving = _moved(changes, "operating_authority", locked.operating_authority_id) or (
            "level" in changes and changes["level"] != locked.level
        )
        if moving and not keeper:
            raise ValidationError(
                {"operating_authority": "The AI Office changes who operates a sandbox."}
            )
        before = _snapshot(locked)
        for name, value in _sandbox_values(changes).items():
            setattr(locked, name, value)
        if locked.status != SandboxStatus.CLOSED and "closed_on" not in changes:
            locked.closed_on = None
        _check_sandbox(locked)
        moved = (locked.status, locked.established_on) != (
            before["status"],
            before["established_on"],
        )
        if moved:
            _follow_reports(locked)
        locked.save()
        audit.record(
            actor=actor,
            action="cooperation.sandbox.updated",
            obj=locked,
            before=before,
            after=_snapshot(locked),
        )
    return locked


# --- applications (Art. 58(2)(a), SBX-03) ----------------------------------------------------


def _decision_url(application: SandboxApplication) -> str:
    return reverse("cooperation:sandbox_application", args=[application.pk])


def application_submit(
    *,
    actor: Any,
    sandbox: Sandbox,
    applicant: Organisation,
    project: str,
    system_description: str,
    sme: bool = False,
    real_world_testing_planned: bool = False,
    applied_on: date | None = None,
) -> SandboxApplication:
    """A provider applies to a published sandbox that is not closed; the decision is due
    three months later (aiact clock "sandbox-decision"), a deadline of the operating
    authority (no aioffice owner) until decided."""
    if not rules.applicant_organisations(actor).filter(pk=applicant.pk).exists():
        raise PermissionDenied("Members of the applicant organisation apply.")
    project = _clean_text(project, "project", max_length=200)
    system_description = _clean_text(system_description, "system_description", max_length=20000)
    day = step_date(applied_on, "applied_on", today=_today())
    with transaction.atomic():
        locked = Sandbox.objects.select_for_update().get(pk=sandbox.pk)
        if not locked.published:
            raise ValidationError({"sandbox": "This sandbox is not on the published list."})
        if locked.status == SandboxStatus.CLOSED:
            raise ValidationError({"sandbox": "This sandbox is closed."})
        open_already = SandboxApplication.objects.filter(
            sandbox=locked,
            applicant=applicant,
            status__in=(ApplicationStatus.PENDING, *PARTICIPATING),
        ).exists()
        if open_already:
            raise ValidationError(
                {"sandbox": "Your organisation already has an application or a place here."}
            )
        answer = law_answer(
            "clock",
            {"clock": "sandbox-decision", "from": day.isoformat()},
            field="applied_on",
        )
        application = SandboxApplication.objects.create(
            sandbox=locked,
            applicant=applicant,
            submitted_by=actor,
            project=project,
            system_description=system_description,
            sme=bool(sme),
            real_world_testing_planned=bool(real_world_testing_planned),
            applied_on=day,
            decision_due_on=date.fromisoformat(str(answer.result["due"])),
            rules_version=answer.rules_version,
            reasons=answer.reasons,
            citations=answer.citations,
        )
        open_deadline(
            kind=DeadlineKind.SANDBOX_DECISION,
            source=application,
            due_on=application.decision_due_on,
            title=f"Decision on sandbox application #{application.pk} ({locked.name})",
            url=_decision_url(application),
            answer=answer.as_answer(),
        )
        audit.record(
            actor=actor,
            action="cooperation.sandbox_application.submitted",
            obj=application,
            after={
                "sandbox": locked.pk,
                "applicant": applicant.pk,
                "sme": application.sme,
                "real_world_testing_planned": application.real_world_testing_planned,
                "decision_due_on": application.decision_due_on,
            },
        )
    return application


def _lock_application(application: SandboxApplication) -> SandboxApplication:
    return (
        SandboxApplication.objects.select_for_update(of=("self",))
        .select_related("sandbox")
        .get(pk=application.pk)
    )


def _operator(actor: Any, application: SandboxApplication) -> None:
    if not rules.may_operate(actor, application.sandbox):
        raise PermissionDenied("The sandbox's operating authority does this.")


def _status_event(
    actor: Any, application: SandboxApplication, action: str, before: str, **after: Any
) -> None:
    audit.record(
        actor=actor,
        action=f"cooperation.sandbox_application.{action}",
        obj=application,
        before={"status": before},
        after={"status": application.status, **after},
    )


def application_withdraw(*, actor: Any, application: SandboxApplication) -> SandboxApplication:
    """The applicant withdraws a pending application: its decision is no longer due."""
    with transaction.atomic():
        locked = _lock_application(application)
        if not rules.acts_for_applicant(actor, locked):
            raise PermissionDenied("The applicant withdraws its application.")
        if locked.status != ApplicationStatus.PENDING:
            raise ValidationError({"status": "Only a pending application is withdrawn."})
        before = locked.status
        locked.status = ApplicationStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        close_deadlines(
            source=locked, kinds=[DeadlineKind.SANDBOX_DECISION], status=DeadlineStatus.CANCELLED
        )
        _status_event(actor, locked, "withdrawn", before)
    return locked


def application_decide(
    *,
    actor: Any,
    application: SandboxApplication,
    accept: bool,
    reasons: str,
    decided_on: date | None = None,
) -> SandboxApplication:
    """The operating authority accepts or refuses, with reasons; an acceptance needs a free
    place (the sandbox's capacity) in an operational sandbox. Meets the decision's
    deadline."""
    reasons = _clean_text(reasons, "reasons", max_length=20000)
    day = step_date(decided_on, "decided_on", today=_today())
    with transaction.atomic():
        # the sandbox first: two acceptances at once count the places one after the other
        sandbox = Sandbox.objects.select_for_update().get(pk=application.sandbox_id)
        locked = _lock_application(application)
        _operator(actor, locked)
        if locked.status != ApplicationStatus.PENDING:
            raise ValidationError({"status": "This application was already decided."})
        if day < locked.applied_on:
            raise ValidationError({"decided_on": "A decision comes after the application."})
        if accept:
            if sandbox.status != SandboxStatus.OPERATIONAL:
                raise ValidationError(
                    {"accept": "The sandbox is not operational: it takes no participant yet."}
                )
            taken = SandboxApplication.objects.filter(
                sandbox=sandbox, status__in=PARTICIPATING
            ).count()
            if taken >= sandbox.capacity:
                raise ValidationError(
                    {
                        "accept": f"The sandbox is full: {taken} of {sandbox.capacity} places "
                        "are taken."
                    }
                )
        before = locked.status
        locked.status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.REFUSED
        locked.decided_on = day
        locked.decided_by = actor
        locked.decision_reasons = reasons
        locked.save(update_fields=["status", "decided_on", "decided_by", "decision_reasons"])
        close_deadlines(source=locked, kinds=[DeadlineKind.SANDBOX_DECISION])
        _status_event(
            actor,
            locked,
            "accepted" if accept else "refused",
            before,
            decided_on=day,
            late=day > locked.decision_due_on,
        )
    return locked


# --- participation: suspension and immunity (Art. 57(11)-(12), SBX-04) ---------------------


def participation_suspend(
    *,
    actor: Any,
    application: SandboxApplication,
    reasons: str,
    permanent: bool = False,
    suspended_on: date | None = None,
) -> SandboxApplication:
    """The authority suspends a participant's testing temporarily, or ends its
    participation, and informs the AI Office (Art. 57(11)): the record is the information,
    shown to the Office's staff on the same day."""
    reasons = _clean_text(reasons, "reasons", max_length=20000)
    day = step_date(suspended_on, "suspended_on", today=_today())
    with transaction.atomic():
        locked = _lock_application(application)
        _operator(actor, locked)
        if locked.status not in PARTICIPATING:
            raise ValidationError({"status": "Only a participant is suspended."})
        if locked.status == ApplicationStatus.SUSPENDED and not permanent:
            raise ValidationError({"status": "This participation is already suspended."})
        before = locked.status
        locked.status = ApplicationStatus.TERMINATED if permanent else ApplicationStatus.SUSPENDED
        locked.suspended_on = day
        locked.suspension_reasons = reasons
        locked.office_informed_on = _today()
        locked.save(
            update_fields=["status", "suspended_on", "suspension_reasons", "office_informed_on"]
        )
        _status_event(
            actor, locked, "terminated" if permanent else "suspended", before, suspended_on=day
        )
    return locked


def participation_resume(*, actor: Any, application: SandboxApplication) -> SandboxApplication:
    """A temporary suspension ends: the participant goes on (the record of it stays)."""
    with transaction.atomic():
        locked = _lock_application(application)
        _operator(actor, locked)
        if locked.status != ApplicationStatus.SUSPENDED:
            raise ValidationError({"status": "Only a suspended participation resumes."})
        before = locked.status
        locked.status = ApplicationStatus.ACCEPTED
        locked.save(update_fields=["status"])
        _status_event(actor, locked, "resumed", before)
    return locked


def immunity_record(
    *, actor: Any, application: SandboxApplication, followed_plan: bool, good_faith: bool
) -> SandboxApplication:
    """The authority records whether the participant observed the plan and terms and
    followed its guidance in good faith; aiact says whether administrative fines are
    excluded (Art. 57(12), SBX-04)."""
    with transaction.atomic():
        locked = _lock_application(application)
        _operator(actor, locked)
        if locked.status in (
            ApplicationStatus.PENDING,
            ApplicationStatus.REFUSED,
            ApplicationStatus.WITHDRAWN,
        ):
            raise ValidationError({"status": "Only a participant's conduct is recorded."})
        answer = law_answer(
            "cooperation",
            {
                "check": "sandbox-immunity",
                "followed_plan": bool(followed_plan),
                "good_faith": bool(good_faith),
            },
        )
        locked.followed_plan = bool(followed_plan)
        locked.good_faith = bool(good_faith)
        locked.immune = bool(answer.result.get("immune"))
        locked.immunity_recorded_on = _today()
        locked.immunity_rules_version = answer.rules_version
        locked.immunity_reasons = answer.reasons
        locked.immunity_citations = answer.citations
        locked.save(
            update_fields=[
                "followed_plan",
                "good_faith",
                "immune",
                "immunity_recorded_on",
                "immunity_rules_version",
                "immunity_reasons",
                "immunity_citations",
            ]
        )
        audit.record(
            actor=actor,
            action="cooperation.sandbox_application.immunity_recorded",
            obj=locked,
            after={
                "followed_plan": locked.followed_plan,
                "good_faith": locked.good_faith,
                "immune": locked.immune,
                "rules_version": locked.immunity_rules_version,
            },
        )
    return locked


# --- sandbox plans (Art. 57(5) as amended) ------------------------------------------------


def plan_propose(
    *,
    actor: Any,
    application: SandboxApplication,
    objectives: str,
    starts_on: date,
    ends_on: date,
    terms: str,
    safeguards: str,
    real_world_testing_included: bool = False,
    real_world_testing_plan: str = "",
) -> SandboxPlan:
    """A new version of an accepted participant's plan, by the provider or the authority;
    the one who proposes it agrees to it. A participant planning real-world testing has it
    in the plan (Art. 57(5) as amended, Art. 58(4))."""
    objectives = _clean_text(objectives, "objectives", max_length=20000)
    terms = _clean_text(terms, "terms", max_length=20000)
    safeguards = _clean_text(safeguards, "safeguards", max_length=20000)
    rwt_plan = _clean_text(
        real_world_testing_plan,
        "real_world_testing_plan",
        required=bool(real_world_testing_included),
        max_length=20000,
    )
    if not isinstance(starts_on, date) or not isinstance(ends_on, date):
        raise ValidationError({"starts_on": "Give the plan's dates."})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The plan ends after it starts."})
    with transaction.atomic():
        locked = _lock_application(application)
        provider = rules.acts_for_applicant(actor, locked)
        authority = rules.may_operate(actor, locked.sandbox)
        if not (provider or authority):
            raise PermissionDenied("The participant and the operating authority draw up the plan.")
        if locked.status not in PARTICIPATING:
            raise ValidationError({"status": "A plan is for an accepted participant."})
        if locked.real_world_testing_planned and not real_world_testing_included:
            raise ValidationError(
                {
                    "real_world_testing_included": "The application plans real-world testing: "
                    "the sandbox plan includes its testing plan (Art. 57(5))."
                }
            )
        last = locked.plans.order_by("-version").values_list("version", flat=True).first()
        now = timezone.now()
        plan = SandboxPlan.objects.create(
            application=locked,
            version=(last or 0) + 1,
            objectives=objectives,
            starts_on=starts_on,
            ends_on=ends_on,
            terms=terms,
            safeguards=safeguards,
            real_world_testing_included=bool(real_world_testing_included),
            real_world_testing_plan=rwt_plan,
            proposed_by=actor,
            provider_agreed_at=now if provider else None,
            authority_agreed_at=now if authority else None,
        )
        audit.record(
            actor=actor,
            action="cooperation.sandbox_plan.proposed",
            obj=plan,
            after={
                "application": locked.pk,
                "version": plan.version,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "real_world_testing_included": plan.real_world_testing_included,
            },
        )
    return plan


def plan_agree(*, actor: Any, plan: SandboxPlan) -> SandboxPlan:
    """The other side agrees to the latest version of the plan."""
    with transaction.atomic():
        locked = SandboxPlan.objects.select_for_update().get(pk=plan.pk)
        application = SandboxApplication.objects.select_related("sandbox").get(
            pk=locked.application_id
        )
        provider = rules.acts_for_applicant(actor, application)
        authority = rules.may_operate(actor, application.sandbox)
        if not (provider or authority):
            raise PermissionDenied("The participant and the operating authority agree the plan.")
        latest = application.plans.order_by("-version").values_list("version", flat=True).first()
        if locked.version != latest:
            raise ValidationError({"plan": "A newer version of this plan was proposed."})
        if locked.agreed:
            raise ValidationError({"plan": "This plan is already agreed by both."})
        now = timezone.now()
        if provider and locked.provider_agreed_at is None:
            locked.provider_agreed_at = now
        if authority and locked.authority_agreed_at is None:
            locked.authority_agreed_at = now
        locked.save(update_fields=["provider_agreed_at", "authority_agreed_at"])
        audit.record(
            actor=actor,
            action="cooperation.sandbox_plan.agreed",
            obj=locked,
            after={
                "side": "provider" if provider else "authority",
                "agreed_by_both": locked.agreed,
            },
        )
    return locked


# --- files: exit reports and sandbox reports -----------------------------------------------


def _store(row: Any, upload: File, stored: list[Any], field: str) -> None:  # type: ignore[type-arg]
    """The upload into `row.file`, with its name, type, SHA-256 and size (the size limit and
    the stored bytes' checksum as for supervision's documents)."""
    max_bytes = int(getattr(settings, "SUPERVISION_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
    found = check_upload(upload, field=field, allowed=ALLOWED_TYPES, max_bytes=max_bytes)
    row.filename = found.filename
    row.content_type = found.content_type
    row.sha256 = found.sha256
    row.size = found.size
    found.store(row.file, stored)


# an exit report or a sandbox report: PDF, an OpenDocument or Word text, or plain text
ALLOWED_TYPES = (PDF, ODT, DOCX, TEXT)


def exit_report_add(
    *,
    actor: Any,
    application: SandboxApplication,
    upload: File,  # type: ignore[type-arg]
    summary: str,
    authority_agrees_publication: bool = False,
) -> ExitReport:
    """The authority gives the participant its exit report (Art. 57(7)); the participation
    ends. Publication waits for both sides' agreement (Art. 57(8))."""
    summary = _clean_text(summary, "summary", max_length=20000)
    with removed_on_failure() as stored, transaction.atomic():
        locked = _lock_application(application)
        _operator(actor, locked)
        if locked.status not in (*PARTICIPATING, ApplicationStatus.TERMINATED):
            raise ValidationError({"status": "An exit report is for a participant."})
        if ExitReport.objects.filter(application=locked).exists():
            raise ValidationError({"file": "This participant already has its exit report."})
        report = ExitReport(
            application=locked,
            summary=summary,
            uploaded_by=actor,
            authority_agrees_publication=bool(authority_agrees_publication),
        )
        _store(report, upload, stored, "file")
        report.save()
        before = locked.status
        if locked.status != ApplicationStatus.TERMINATED:
            locked.status = ApplicationStatus.EXITED
            locked.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="cooperation.exit_report.added",
            obj=report,
            before={"status": before},
            after={
                "application": locked.pk,
                "status": locked.status,
                "sha256": report.sha256,
                "size": report.size,
            },
        )
    return report


def exit_report_consent(
    *,
    actor: Any,
    report: ExitReport,
    publication: bool | None = None,
    access: bool | None = None,
) -> ExitReport:
    """Each side's agreement (Art. 57(8)): the provider to publication and to the
    Commission's and the Board's access, the authority to publication. Either may withdraw
    its agreement to publish."""
    with transaction.atomic():
        locked = ExitReport.objects.select_for_update().get(pk=report.pk)
        application = SandboxApplication.objects.select_related("sandbox").get(
            pk=locked.application_id
        )
        provider = rules.acts_for_applicant(actor, application)
        authority = rules.may_operate(actor, application.sandbox)
        if not (provider or authority):
            raise PermissionDenied("The participant and the operating authority agree.")
        if access is not None and not provider:
            raise ValidationError({"access": "The provider agrees to the Commission's access."})
        before = {
            "provider_publication": locked.provider_agrees_publication,
            "authority_publication": locked.authority_agrees_publication,
            "access": locked.provider_agrees_access,
        }
        if publication is not None:
            if provider:
                locked.provider_agrees_publication = bool(publication)
            if authority:
                locked.authority_agrees_publication = bool(publication)
        if access is not None:
            locked.provider_agrees_access = bool(access)
        locked.save(
            update_fields=[
                "provider_agrees_publication",
                "authority_agrees_publication",
                "provider_agrees_access",
            ]
        )
        audit.record(
            actor=actor,
            action="cooperation.exit_report.consent",
            obj=locked,
            before=before,
            after={
                "provider_publication": locked.provider_agrees_publication,
                "authority_publication": locked.authority_agrees_publication,
                "access": locked.provider_agrees_access,
                "published": locked.published,
            },
        )
    return locked


def report_add(
    *,
    actor: Any,
    sandbox: Sandbox,
    kind: str,
    upload: File,  # type: ignore[type-arg]
    abstract: str,
    submitted_on: date | None = None,
) -> SandboxReport:
    """The operating authority's annual report (meets the open one; the next opens, a year
    on) or its final report, once the sandbox is closed (Art. 57(16))."""
    if kind not in ReportKind.values:
        raise ValidationError({"kind": "An annual or a final report."})
    abstract = _clean_text(abstract, "abstract", max_length=20000)
    day = step_date(submitted_on, "submitted_on", today=_today())
    with removed_on_failure() as stored, transaction.atomic():
        locked = Sandbox.objects.select_for_update().get(pk=sandbox.pk)
        if not rules.may_operate(actor, locked):
            raise PermissionDenied("The sandbox's operating authority reports.")
        due = None
        if kind == ReportKind.ANNUAL:
            if locked.status != SandboxStatus.OPERATIONAL or locked.report_due_on is None:
                raise ValidationError({"kind": "Annual reports are for an operational sandbox."})
            due = locked.report_due_on
        else:
            if locked.status != SandboxStatus.CLOSED:
                raise ValidationError({"kind": "The final report follows the sandbox's closure."})
            if locked.reports.filter(kind=ReportKind.FINAL).exists():
                raise ValidationError({"kind": "This sandbox has its final report."})
        report = SandboxReport(
            sandbox=locked,
            kind=kind,
            due_on=due,
            submitted_on=day,
            abstract=abstract,
            uploaded_by=actor,
        )
        _store(report, upload, stored, "file")
        report.save()
        if due is not None:
            close_deadlines(source=locked, kinds=[DeadlineKind.SANDBOX_REPORT])
            _follow_reports(locked, on=due + timedelta(days=1))
            locked.save(update_fields=["report_due_on", "rules_version", "reasons", "citations"])
        audit.record(
            actor=actor,
            action="cooperation.sandbox_report.added",
            obj=report,
            after={
                "sandbox": locked.pk,
                "kind": kind,
                "due_on": due,
                "submitted_on": day,
                "sha256": report.sha256,
                "next_due_on": locked.report_due_on,
            },
        )
    return report
