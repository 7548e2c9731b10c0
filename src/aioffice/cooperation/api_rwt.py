"""The API of cooperation, part real-world testing, mounted by `aioffice.cooperation.api` at
/api/v1/cooperation/real-world-tests.

The public part (`/public`, `/public.csv`: auth=None, throttled, in PUBLIC_ROUTES) shows the
tests whose provider consented to publication, outside the secure section, with the Annex
IX points aiact lists. The rest answers the providers' people (their own tests), the market
surveillance authorities and the Office (`permissions_rwt`); a test a person does not see
is a 404, a step they may not take a 403.
"""

# No `from __future__ import annotations`: django-ninja reads the `Query[...]` and `Form[...]`
# parameters from their live annotations.

from datetime import date
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.accounts.models import Organisation
from aioffice.cooperation import permissions_rwt as rules
from aioffice.cooperation import selectors_rwt as selectors
from aioffice.cooperation import services_rwt as services
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_rwt import RealWorldTest
from aioffice.cooperation.permissions import is_staff_user
from aioffice.core.exports import csv_response
from aioffice.core.files import download_row
from aioffice.core.paging import MappedRows, Pagination
from aioffice.core.schemas import Id
from aioffice.registry.choices import MEMBER_STATE_NAMES

router = Router(tags=["cooperation"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

Text = Annotated[str, Field(max_length=20000)]
MEMBER_STATE_CODES = "|".join(sorted(MEMBER_STATE_NAMES))


class PublicFilter(Schema):
    q: str = Field(
        "",
        max_length=200,
        pattern=r"^[^\x00]*$",  # PostgreSQL refuses a NUL in a string
        description="Words in the system's or provider's name, or the number",
    )
    member_state: str | None = Field(None, pattern=f"^({MEMBER_STATE_CODES})$")
    annex_iii_point: str | None = Field(None, pattern=r"^[1-8]$")


class ConditionsIn(Schema):
    transfer_safeguards: bool = False
    vulnerable_protected: bool = False
    deployers_informed: bool = False
    informed_consent: bool = False
    oversight: bool = False
    reversible: bool = False


class DecisionIn(Schema):
    approve: bool
    reasons: Text = ""


class StartIn(Schema):
    started_on: date | None = None


class ExtensionIn(Schema):
    justification: Text


class ReasonsIn(Schema):
    reasons: Text


class OutcomeIn(Schema):
    outcome: Text


class ConsentIn(Schema):
    participants: int = Field(..., ge=1, le=10_000_000)
    recorded_on: date | None = None
    nature: bool = False
    conditions: bool = False
    rights: bool = False
    reversal: bool = False
    identification: bool = False
    dated: bool = False
    documented: bool = False
    copy_given: bool = False
    before_participation: bool = False


class PublicationIn(Schema):
    consent: bool


class ConsentOut(Schema):
    id: int
    recorded_on: date
    participants: int
    valid: bool
    missing: list[str]
    rules_version: str


class ConditionsOut(Schema):
    allowed: bool
    missing: list[str]
    rules_version: str
    reasons: list[str]
    citations: list[str]


class RegisterIn(Schema):
    provider: Id
    authority: Id
    system_name: Annotated[str, Field(max_length=200)]
    description: Text
    plan_summary: Text
    provider_contact: Text
    scope: Literal["annex_iii", "annex_i_a", "annex_i_b"]
    member_states: Annotated[str, Field(max_length=200, description="Codes, comma-separated")]
    annex_iii_point: Annotated[str, Field(max_length=1)] = ""
    sensitive_context: bool = False
    deployers: Text = ""
    legal_representative: Id | None = None
    publication_consent: bool = False


# --- helpers ---------------------------------------------------------------------------------


def _who(request: HttpRequest) -> rules.Viewer:
    user = request.auth  # type: ignore[attr-defined]  # set by ninja
    return rules.viewer(user, staff=is_staff_user(user))


def _test(request: HttpRequest, test_id: int) -> RealWorldTest:
    return selectors.visible_test(_who(request), test_id)


def _out(who: rules.Viewer, test: RealWorldTest, *, full: bool = True) -> dict[str, Any]:
    out = selectors.record(test, selectors.points_for(who, test))
    out["id"] = test.pk
    out["visibility"] = test.visibility
    if rules.sees_everything(who, test) or (who.staff and not test.sensitive_context):
        out.update(
            {
                "authority": test.authority_id,
                "submitted_on": test.submitted_on,
                "tacit_allowed": test.tacit_allowed,
                "approval_due": test.approval_due,
                "tacit_on": test.tacit_on,
                "approval": test.approval,
                "decided_on": test.decided_on,
                "decision_reasons": test.decision_reasons,
                "conditions": test.conditions,
                "publication_consent": test.publication_consent,
                "plan_sha256": test.plan_sha256,
                "plan_size": test.plan_size,
            }
        )
        if full:
            out["valid_participants"] = services.valid_participants(test)
    return out


def _row(model: type[Any], field: str, pk: int | None) -> Any:
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"No such {field.replace('_', ' ')}."})
    return found


# --- public ----------------------------------------------------------------------------------


def _public(filters: PublicFilter) -> Any:
    return selectors.public_tests(
        q=filters.q,
        member_state=filters.member_state or "",
        annex_iii_point=filters.annex_iii_point or "",
    )


@router.get(
    "/public",
    response=list[dict[str, Any]],
    auth=None,
    throttle=_throttle,
    summary="Public real-world tests (provider's consent, Art. 71(4)): Annex IX points aiact lists",
)
@paginate(Pagination)
def public_list(request: HttpRequest, filters: Query[PublicFilter]) -> Any:
    return MappedRows(_public(filters), selectors.public_record)


@router.get(
    "/public.csv",
    auth=None,
    throttle=_throttle,
    summary="Public real-world tests as CSV (same filters, not paginated)",
)
def public_csv(request: HttpRequest, filters: Query[PublicFilter]) -> HttpResponse:
    return csv_response(  # type: ignore[return-value]
        "real-world-tests.csv",
        selectors.PUBLIC_CSV_HEADER,
        selectors.public_csv_rows(_public(filters)),
    )


# --- the tests a person sees ---------------------------------------------------------------


@router.get(
    "",
    response=list[dict[str, Any]],
    summary="The real-world tests you see (providers: their own; authorities; the Office)",
)
@paginate(Pagination)
def test_list(request: HttpRequest) -> Any:
    who = _who(request)
    if not rules.may_use(who):
        raise PermissionDenied
    return MappedRows(selectors.visible_tests(who), lambda t: _out(who, t, full=False))


@router.post(
    "",
    response={201: dict[str, Any]},
    summary="Register a test and submit its plan (multipart: the fields and `plan`, a PDF, "
    "ODT or DOCX)",
)
def test_register(request: HttpRequest, payload: Form[RegisterIn], plan: File[UploadedFile]) -> Any:
    provider = _row(Organisation, "provider", payload.provider)
    authority = _row(Authority, "authority", payload.authority)
    representative = _row(Organisation, "legal_representative", payload.legal_representative)
    made = services.test_register(
        actor=request.auth,  # type: ignore[attr-defined]
        provider=provider,
        authority=authority,
        system_name=payload.system_name,
        description=payload.description,
        plan_summary=payload.plan_summary,
        provider_contact=payload.provider_contact,
        scope=payload.scope,
        member_states=[c for c in payload.member_states.split(",") if c.strip()],
        plan=plan,
        annex_iii_point=payload.annex_iii_point,
        sensitive_context=payload.sensitive_context,
        deployers=payload.deployers,
        legal_representative=representative,
        publication_consent=payload.publication_consent,
    )
    return Status(201, _out(_who(request), made))


@router.get("/{test_id}", response=dict[str, Any], summary="One real-world test")
def test_detail(request: HttpRequest, test_id: Id) -> Any:
    return _then(request, test_id)


@router.get(
    "/{test_id}/plan",
    summary="Download the testing plan, SHA-256 in X-Content-SHA256 (provider, deciding "
    "authority, the Office outside the secure section)",
)
def test_plan(request: HttpRequest, test_id: Id) -> FileResponse:
    who = _who(request)
    test = selectors.visible_test(who, test_id)
    if "4" not in selectors.points_for(who, test):
        raise PermissionDenied("The plan is not in the part of the record you see.")
    return download_row(test, "plan")


@router.get(
    "/{test_id}/conditions",
    response=ConditionsOut,
    summary="aiact's check of the Art. 60(4) conditions",
)
def conditions_get(request: HttpRequest, test_id: Id) -> Any:
    who = _who(request)
    test = selectors.visible_test(who, test_id)
    if not rules.sees_everything(who, test) and not who.staff:
        raise PermissionDenied
    return services.conditions_check(test)


@router.put(
    "/{test_id}/conditions",
    response=ConditionsOut,
    summary="The provider declares the Art. 60(4) conditions it meets",
)
def conditions_put(request: HttpRequest, test_id: Id, payload: ConditionsIn) -> Any:
    test = _test(request, test_id)
    made = services.conditions_declare(
        actor=request.auth,  # type: ignore[attr-defined]
        test=test,
        conditions=payload.dict(),
    )
    return services.conditions_check(made)


def _then(request: HttpRequest, test_id: int) -> dict[str, Any]:
    who = _who(request)
    return _out(who, selectors.visible_test(who, test_id))


@router.post(
    "/{test_id}/decision",
    response=dict[str, Any],
    summary="The authority approves or refuses the plan (reasons required to refuse)",
)
def decision(request: HttpRequest, test_id: Id, payload: DecisionIn) -> Any:
    test = _test(request, test_id)
    services.test_decide(
        actor=request.auth,  # type: ignore[attr-defined]
        test=test,
        approve=payload.approve,
        reasons=payload.reasons,
    )
    return _then(request, test_id)


@router.post("/{test_id}/start", response=dict[str, Any], summary="The provider starts the test")
def start(request: HttpRequest, test_id: Id, payload: StartIn) -> Any:
    test = _test(request, test_id)
    services.test_start(actor=request.auth, test=test, started_on=payload.started_on)  # type: ignore[attr-defined]
    return _then(request, test_id)


@router.post(
    "/{test_id}/extension",
    response=dict[str, Any],
    summary="The provider notifies the one extension, with its justification",
)
def extension(request: HttpRequest, test_id: Id, payload: ExtensionIn) -> Any:
    test = _test(request, test_id)
    services.test_extend(actor=request.auth, test=test, justification=payload.justification)  # type: ignore[attr-defined]
    return _then(request, test_id)


@router.post(
    "/{test_id}/suspension",
    response=dict[str, Any],
    summary="Suspend the test (provider or authority), with reasons",
)
def suspension(request: HttpRequest, test_id: Id, payload: ReasonsIn) -> Any:
    test = _test(request, test_id)
    services.test_suspend(actor=request.auth, test=test, reasons=payload.reasons)  # type: ignore[attr-defined]
    return _then(request, test_id)


@router.post("/{test_id}/resumption", response=dict[str, Any], summary="Resume a suspended test")
def resumption(request: HttpRequest, test_id: Id) -> Any:
    test = _test(request, test_id)
    services.test_resume(actor=request.auth, test=test)  # type: ignore[attr-defined]
    return _then(request, test_id)


@router.post(
    "/{test_id}/termination",
    response=dict[str, Any],
    summary="Terminate the test (provider or authority), with reasons",
)
def termination(request: HttpRequest, test_id: Id, payload: ReasonsIn) -> Any:
    test = _test(request, test_id)
    services.test_terminate(actor=request.auth, test=test, reasons=payload.reasons)  # type: ignore[attr-defined]
    return _then(request, test_id)


@router.post("/{test_id}/end", response=dict[str, Any], summary="The provider ends the test")
def end(request: HttpRequest, test_id: Id) -> Any:
    test = _test(request, test_id)
    services.test_end(actor=request.auth, test=test)  # type: ignore[attr-defined]
    return _then(request, test_id)


@router.post(
    "/{test_id}/outcome",
    response=dict[str, Any],
    summary="The provider notifies the final outcome (Art. 60(8))",
)
def outcome(request: HttpRequest, test_id: Id, payload: OutcomeIn) -> Any:
    test = _test(request, test_id)
    services.outcome_notify(actor=request.auth, test=test, outcome=payload.outcome)  # type: ignore[attr-defined]
    return _then(request, test_id)


@router.post(
    "/{test_id}/consents",
    response={201: ConsentOut},
    summary="Record a batch of informed consents (Art. 61 checklist and count, no names)",
)
def consents(request: HttpRequest, test_id: Id, payload: ConsentIn) -> Any:
    test = _test(request, test_id)
    values = payload.dict()
    participants = values.pop("participants")
    recorded_on = values.pop("recorded_on")
    batch = services.consent_record(
        actor=request.auth,  # type: ignore[attr-defined]
        test=test,
        participants=participants,
        checklist=values,
        recorded_on=recorded_on,
    )
    return Status(201, batch)


@router.put(
    "/{test_id}/publication",
    response=dict[str, Any],
    summary="The provider consents to publication, or withdraws it (Art. 71(4))",
)
def publication(request: HttpRequest, test_id: Id, payload: PublicationIn) -> Any:
    test = _test(request, test_id)
    services.publication_set(actor=request.auth, test=test, consent=payload.consent)  # type: ignore[attr-defined]
    return _then(request, test_id)
