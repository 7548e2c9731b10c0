"""Demo data: organisations and a user for every role, for a local DEBUG-mode platform,
and the GPAI registry demo (`demo_data/gpai.yaml`: real providers and models with public
figures and their sources; invented procedures, all marked "demo data").

Passwords and second-factor keys are random, printed on first load and kept in
`var/demo-logins.json` (readable by the owner only) so `make run` can show them again.
"""

from __future__ import annotations

import json
import secrets
import string
from base64 import b32encode
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from aioffice.accounts import services
from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.accounts.models import Organisation, User
from aioffice.demo_data import gpai

AI_OFFICE_NAME = "European AI Office"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    organisation: str
    totp_key: str | None


@dataclass(frozen=True)
class DemoResult:
    created: bool
    logins: list[DemoLogin]


ORGANISATIONS: list[dict[str, Any]] = [
    {"name": AI_OFFICE_NAME, "kind": OrganisationKind.AI_OFFICE, "country": "BE", "eu": True},
    {
        "name": "Aurora Models SE",
        "kind": OrganisationKind.GPAI_PROVIDER,
        "country": "DE",
        "eu": True,
    },
    {
        "name": "Northwind Intelligence Inc.",
        "kind": OrganisationKind.GPAI_PROVIDER,
        "country": "US",
        "eu": False,
    },
    {
        "name": "Lumen Representation GmbH",
        "kind": OrganisationKind.AUTHORISED_REPRESENTATIVE,
        "country": "AT",
        "eu": True,
    },
    {
        "name": "Brightline Apps SAS",
        "kind": OrganisationKind.DOWNSTREAM_PROVIDER,
        "country": "FR",
        "eu": True,
    },
    {
        "name": "Autorité de surveillance du marché (démo)",
        "kind": OrganisationKind.NATIONAL_AUTHORITY,
        "country": "FR",
        "eu": True,
    },
    {
        "name": "Scientific panel of independent experts",
        "kind": OrganisationKind.SCIENTIFIC_PANEL,
        "country": "BE",
        "eu": True,
    },
    {"name": "Civic AI Watch", "kind": OrganisationKind.OTHER, "country": "NL", "eu": True},
    {
        "name": "Agencia de protección de datos (demo)",
        "kind": OrganisationKind.NATIONAL_AUTHORITY,
        "country": "ES",
        "eu": True,
    },
    {
        "name": "Stadt Beispielhausen (demo)",
        "kind": OrganisationKind.PUBLIC_BODY,
        "country": "DE",
        "eu": True,
    },
]

USERS: list[tuple[str, str, str, str]] = [
    # username, first name, role, organisation
    ("policy", "Paula", Role.POLICY_OFFICER, AI_OFFICE_NAME),
    ("technical", "Tomas", Role.TECHNICAL_OFFICER, AI_OFFICE_NAME),
    ("legal", "Lena", Role.LEGAL_OFFICER, AI_OFFICE_NAME),
    ("head", "Hugo", Role.HEAD_OF_UNIT, AI_OFFICE_NAME),
    ("admin", "Ada", Role.ADMINISTRATOR, AI_OFFICE_NAME),
    ("provider", "Priya", Role.ORGANISATION_MEMBER, "Aurora Models SE"),
    ("foreign-provider", "Frank", Role.ORGANISATION_MEMBER, "Northwind Intelligence Inc."),
    ("representative", "Rosa", Role.ORGANISATION_MEMBER, "Lumen Representation GmbH"),
    ("downstream", "Dario", Role.ORGANISATION_MEMBER, "Brightline Apps SAS"),
    (
        "authority",
        "Amélie",
        Role.NATIONAL_AUTHORITY_MEMBER,
        "Autorité de surveillance du marché (démo)",
    ),
    ("panel", "Sven", Role.SCIENTIFIC_PANEL_MEMBER, "Scientific panel of independent experts"),
    ("citizen", "Chloé", Role.ORGANISATION_MEMBER, "Civic AI Watch"),
    # a market surveillance authority of Art. 74(8): sees the EU database's secure section
    ("dpa", "Dolores", Role.NATIONAL_AUTHORITY_MEMBER, "Agencia de protección de datos (demo)"),
    # a public-authority deployer registering its use of a system (Art. 49(3))
    ("city", "Carla", Role.ORGANISATION_MEMBER, "Stadt Beispielhausen (demo)"),
]


def _credentials_path() -> Any:
    return settings.VAR_DIR / "demo-logins.json"


def _random_password() -> str:
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(14))
    return f"{core}-{secrets.choice(string.digits)}{secrets.choice(string.ascii_uppercase)}"


def _office() -> Organisation:
    office, _ = Organisation.objects.get_or_create(
        name=AI_OFFICE_NAME,
        defaults={
            "kind": OrganisationKind.AI_OFFICE,
            "country": "BE",
            "established_in_union": True,
        },
    )
    return office


def create_staff(
    *,
    username: str,
    email: str,
    role: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """An AI Office staff member, in the AI Office organisation (made if missing)."""
    if role not in OFFICE_ROLES:
        raise ValueError(f"not an AI Office role: {role}")
    with transaction.atomic():
        if not Organisation.objects.filter(name=AI_OFFICE_NAME).exists():
            services.organisation_create(
                actor=None,
                name=AI_OFFICE_NAME,
                kind=OrganisationKind.AI_OFFICE,
                country="BE",
                established_in_union=True,
            )
        user = services.user_create(
            actor=None,
            username=username,
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
        services.membership_add(actor=None, user=user, organisation=_office(), role=role)
    return user


def load_once() -> DemoResult:
    """Load the demo the first time; later calls only read back the stored logins."""
    path = _credentials_path()
    if User.objects.filter(username="policy").exists() and path.exists():
        stored = json.loads(path.read_text())
        _load_registry()  # a demo database from before the registry demo gets it now
        _load_fictional_work()
        _load_evaluations()
        _load_supervision()
        _load_portal()
        _load_cooperation()
        _load_drafting()
        return DemoResult(created=False, logins=[DemoLogin(**item) for item in stored])
    logins = _load()
    _load_evaluations()
    _load_supervision()
    _load_portal()
    _load_cooperation()
    _load_drafting()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(login) for login in logins], indent=2))
    path.chmod(0o600)
    return DemoResult(created=True, logins=logins)


@transaction.atomic
def _load() -> list[DemoLogin]:
    organisations = {}
    for spec in ORGANISATIONS:
        existing = Organisation.objects.filter(name=spec["name"]).first()
        organisations[spec["name"]] = existing or services.organisation_create(
            actor=None,
            name=spec["name"],
            kind=spec["kind"],
            country=spec["country"],
            established_in_union=spec["eu"],
        )
    logins = []
    for username, first_name, role, org_name in USERS:
        password = _random_password()
        email = f"{username}@demo.aioffice.example"
        if role in OFFICE_ROLES:
            user = create_staff(
                username=username, email=email, role=role, password=password, first_name=first_name
            )
            device = TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
            key: str | None = b32encode(device.bin_key).decode().rstrip("=")
        else:
            user = services.user_create(
                actor=None, username=username, email=email, password=password, first_name=first_name
            )
            services.membership_add(
                actor=None, user=user, organisation=organisations[org_name], role=role
            )
            key = None
        logins.append(DemoLogin(username, password, str(role), org_name, key))
    _load_registry()
    _load_fictional_work()
    return logins


# The demo's own provider logins work for fictional organisations; these invented records
# give them something to do: Aurora (in the Union) has a notified model with a question from
# the Office waiting for an answer, Northwind (outside the Union) a representative's mandate.
FICTIONAL_NOTE = "Fictional model, invented figures: demo data."


def _load_fictional_work() -> None:
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from aioffice.registry import services as registry
    from aioffice.registry.models import Provider

    aurora = Organisation.objects.get(name="Aurora Models SE")
    if Provider.objects.filter(organisation=aurora).exists():
        return
    today = timezone.now().date()
    officer = User.objects.get(username="technical")
    provider = registry.provider_register(actor=None, organisation=aurora)
    model = registry.model_create(
        actor=None, provider=provider, name="Aurora Polaris", public_description=FICTIONAL_NOTE
    )
    version = registry.version_create(
        actor=None,
        model=model,
        label="1.0",
        placed_on_market=today - timedelta(days=20),
        compute_method="reported",
        training_compute_flop=1.6e25,
    )
    notification = registry.notification_submit(
        actor=None,
        version=version,
        on=today - timedelta(days=25),
        data={
            "trigger": "compute_threshold",
            "compute_flop": 1.6e25,
            "estimation_method": "Accelerator-hours of the final run times measured throughput.",
            "assumptions": "Dense model; evaluation runs excluded. " + FICTIONAL_NOTE,
            "uncertainty": "±15 %",
            "trigger_date": (today - timedelta(days=30)).isoformat(),
            "arguments_text": "Benchmarks below the most advanced models. " + FICTIONAL_NOTE,
            "arguments_grounds": ["capabilities"],
        },
    )
    registry.notification_assign(actor=officer, notification=notification, officer=officer)
    registry.notification_request_information(
        actor=officer,
        notification=notification,
        questions="Send the benchmark results behind your Art. 52(2) arguments. " + FICTIONAL_NOTE,
        due_on=today + timedelta(days=10),
    )
    northwind = registry.provider_register(
        actor=None, organisation=Organisation.objects.get(name="Northwind Intelligence Inc.")
    )
    registry.representative_appoint(
        actor=None,
        provider=northwind,
        representative=Organisation.objects.get(name="Lumen Representation GmbH"),
        document=ContentFile(b"%PDF-1.4\n% demo mandate, fictional\n", name="mandate.pdf"),
        union_country="DE",
        tasks=["art54_3_a", "art54_3_b", "art54_3_c", "art54_3_d"],
        start=today - timedelta(days=90),
    )
    nimbus = registry.model_create(
        actor=None, provider=northwind, name="Northwind Nimbus", public_description=FICTIONAL_NOTE
    )
    nimbus_2 = registry.version_create(
        actor=None,
        model=nimbus,
        label="2",
        placed_on_market=today - timedelta(days=60),
        compute_method="reported",
        training_compute_flop=4.2e24,
    )
    registry.version_assess(actor=None, version=nimbus_2)


def _load_evaluations() -> None:
    """A mock evaluation target on the fictional Aurora Polaris 1.0 and a smoke run queued for
    the worker (aioffice.evaluations.demo), once."""
    from aioffice.evaluations import demo as evaluations
    from aioffice.registry.models import ModelVersion

    version = ModelVersion.objects.filter(
        model__name="Aurora Polaris", model__provider__organisation__name="Aurora Models SE"
    ).first()
    if version is not None:
        evaluations.load(version=version, officer=User.objects.get(username="technical"))


def _load_supervision() -> None:
    """Reports of each kind, a case with its team, a request for information and the
    deadlines they start (aioffice.demo_data.supervision), once."""
    from aioffice.demo_data import supervision

    if supervision.is_loaded():
        return
    staff = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in USERS])}
    supervision.load(users=staff)


def _load_portal() -> None:
    """Guidance, news, literacy practices, support structures, subscribers and calls for
    expression of interest (aioffice.demo_data.portal_*); each part loads once."""
    from aioffice.demo_data import portal_calls, portal_content, portal_help, portal_updates

    staff = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in USERS])}
    for part in (portal_content, portal_help, portal_updates, portal_calls):
        part.load(users=staff)


def _load_registry() -> gpai.LoadReport:
    """The GPAI registry demo, once; the procedures are taken by the demo's staff."""
    data = gpai.read()
    if gpai.is_loaded(data):
        return gpai.LoadReport()
    staff = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in USERS])}
    return gpai.load(users=staff, data=data)


def current_totp(username: str) -> str | None:
    """The code a demo user's authenticator would show now."""
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _load_cooperation() -> None:
    """The authorities directory, the Board and advisory bodies, information exchange,
    sandboxes and real-world tests, EU database registrations and international partners
    (aioffice.demo_data.cooperation_*); each part loads once."""
    from aioffice.demo_data import (
        cooperation_authorities,
        cooperation_bodies,
        cooperation_database,
        cooperation_exchange,
        cooperation_international,
        cooperation_rwt,
        cooperation_sandboxes,
    )

    staff = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in USERS])}
    # the directory first: the other parts refer to its authorities
    for part in (
        cooperation_authorities,
        cooperation_bodies,
        cooperation_exchange,
        cooperation_sandboxes,
        cooperation_rwt,
        cooperation_database,
        cooperation_international,
    ):
        part.load(users=staff)


def _load_drafting() -> None:
    """Codes of practice and guidance in preparation: projects with working groups, drafts,
    consultations with feedback, an analysis, an adopted code with signatures
    (aioffice.demo_data.drafting_*); each part loads once, in this order."""
    from aioffice.demo_data import drafting

    staff = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in USERS])}
    drafting.load(users=staff)
