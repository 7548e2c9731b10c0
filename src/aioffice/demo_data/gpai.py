"""The GPAI demo data (`gpai.yaml`): its schema check and its loader.

`read()` parses the file and checks it: every figure is `{value, source}` with a source
listed under `sources`, every compute figure states Epoch's confidence (or that the
provider reported it), every procedure names a model and version of the file and is
dated no later than the file's retrieval day. `load()` enters it through the registry's
services only (providers, models, versions, assessments, notifications, hearings,
decisions, Code of Practice signatures), so aiact judges every
fact as it would a real filing. It is idempotent: a provider already in the registry is
taken as loaded. On a machine whose clock is behind the file, the signatures and
procedures dated after today are left out (the services refuse future dates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind
from aioffice.accounts.models import User
from aioffice.registry import services as registry
from aioffice.registry.choices import ComputeMethod, DistributionChannel, PublicField
from aioffice.registry.codeofpractice.services import signature_add
from aioffice.registry.models import ModelVersion, Provider

DATA_FILE = Path(__file__).with_name("gpai.yaml")

# The version facts the file may give, each as {value, source}; the names are the
# registry's version fields.
FIGURES: tuple[str, ...] = (
    "placed_on_market",
    "generates",
    "parameters",
    "training_tokens",
    "training_compute_flop",
    "open_source",
    "distribution_channels",
)
CHAPTERS: tuple[str, ...] = ("transparency", "copyright", "safety_and_security")
CONFIDENCE: tuple[str, ...] = ("confident", "likely", "speculative")
PROCEDURE_KINDS: tuple[str, ...] = ("notification", "designation")


class DemoDataError(ValueError):
    """The data file breaks its schema; the message lists every problem with its path."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class _Check:
    sources: set[str]
    problems: list[str] = field(default_factory=list)

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def mapping(self, value: Any, path: str, required: tuple[str, ...]) -> bool:
        if not isinstance(value, dict):
            self.fail(path, "must be a mapping")
            return False
        for key in required:
            if key not in value:
                self.fail(f"{path}.{key}", "is missing")
        return True

    def source(self, value: Any, path: str) -> None:
        if value not in self.sources:
            self.fail(f"{path}.source", f"{value!r} is not a key of `sources`")

    def figure(self, value: Any, path: str) -> None:
        if self.mapping(value, path, ("value", "source")):
            self.source(value.get("source"), path)

    def day(self, value: Any, path: str, latest: date | None) -> None:
        if not isinstance(value, date):
            self.fail(path, "must be a date (YYYY-MM-DD)")
        elif latest is not None and value > latest:
            self.fail(path, f"is after the file's retrieval day ({latest})")


def validate(data: Any) -> None:
    """Raise `DemoDataError` listing every problem of the parsed file."""
    check = _Check(sources=set())
    if not check.mapping(data, "file", ("retrieved", "sources", "providers", "procedures")):
        raise DemoDataError(check.problems)
    retrieved = data.get("retrieved")
    check.day(retrieved, "retrieved", None)
    latest = retrieved if isinstance(retrieved, date) else None
    sources = data.get("sources") or {}
    if check.mapping(sources, "sources", ()):
        check.sources = set(sources)
        for key, spec in sources.items():
            path = f"sources.{key}"
            required = ("title", "url", "dated", "retrieved")
            if check.mapping(spec, path, required) and not str(spec["url"]).startswith("https://"):
                check.fail(f"{path}.url", "must be an https:// address")
    versions: dict[tuple[str, str], dict[str, Any]] = {}
    for p, provider in enumerate(data.get("providers") or []):
        path = f"providers[{p}]"
        if not check.mapping(
            provider,
            path,
            ("key", "name", "country", "established_in_union", "code_of_practice", "models"),
        ):
            continue
        check.figure(provider.get("country"), f"{path}.country")
        check.figure(provider.get("established_in_union"), f"{path}.established_in_union")
        for s, signature in enumerate(provider.get("code_of_practice") or []):
            spath = f"{path}.code_of_practice[{s}]"
            if check.mapping(signature, spath, ("chapter", "signed_on", "source")):
                if signature.get("chapter") not in CHAPTERS:
                    check.fail(f"{spath}.chapter", f"must be one of {', '.join(CHAPTERS)}")
                check.day(signature.get("signed_on"), f"{spath}.signed_on", latest)
                check.source(signature.get("source"), spath)
        for m, model in enumerate(provider.get("models") or []):
            mpath = f"{path}.models[{m}]"
            if not check.mapping(model, mpath, ("name", "description", "versions")):
                continue
            if "demo data" not in str(model.get("description", "")).lower():
                check.fail(f"{mpath}.description", 'must say "demo data"')
            for v, version in enumerate(model.get("versions") or []):
                vpath = f"{mpath}.versions[{v}]"
                if not check.mapping(version, vpath, ("label",)):
                    continue
                versions[(str(model.get("name")), str(version.get("label")))] = version
                unknown = sorted(set(version) - {"label", *FIGURES})
                for name in unknown:
                    check.fail(f"{vpath}.{name}", "is not a version fact of the demo file")
                for name in FIGURES:
                    if name in version:
                        check.figure(version[name], f"{vpath}.{name}")
                compute = version.get("training_compute_flop")
                if isinstance(compute, dict) and not compute.get("reported"):
                    if compute.get("confidence") not in CONFIDENCE:
                        check.fail(
                            f"{vpath}.training_compute_flop.confidence",
                            f"an estimate states its confidence ({', '.join(CONFIDENCE)})",
                        )
                    if not compute.get("method"):
                        check.fail(f"{vpath}.training_compute_flop.method", "is missing")
    for r, procedure in enumerate(data.get("procedures") or []):
        path = f"procedures[{r}]"
        if not check.mapping(procedure, path, ("kind", "model", "version")):
            continue
        if procedure.get("kind") not in PROCEDURE_KINDS:
            check.fail(f"{path}.kind", f"must be one of {', '.join(PROCEDURE_KINDS)}")
        if (str(procedure.get("model")), str(procedure.get("version"))) not in versions:
            check.fail(path, "names no model version of the file")
        for name in ("submitted_on", "trigger_date"):
            if name in procedure:
                check.day(procedure[name], f"{path}.{name}", latest)
        if "hearing" in procedure:
            check.day(procedure["hearing"].get("opened_on"), f"{path}.hearing.opened_on", latest)
        if "decision" in procedure:
            decision = procedure["decision"]
            check.day(decision.get("decided_on"), f"{path}.decision.decided_on", latest)
            if "demo data" not in str(decision.get("reasons", "")).lower():
                check.fail(f"{path}.decision.reasons", 'must say "demo data"')
    if check.problems:
        raise DemoDataError(check.problems)


def read(path: Path = DATA_FILE) -> dict[str, Any]:
    """The parsed, checked data file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    validate(data)
    return data  # type: ignore[no-any-return]  # checked by validate()


# --- from the file to the services -------------------------------------------------------------


def _assumptions(compute: dict[str, Any], sources: dict[str, Any]) -> str:
    source = sources[compute["source"]]
    who = "Reported by the provider" if compute.get("reported") else "Epoch AI estimate"
    details = [f"confidence: {compute['confidence']}"] if compute.get("confidence") else []
    if compute.get("method"):
        details.append(f"method: {compute['method']}")
    return (
        f"Demo data. {who} ({'; '.join(details)}). "
        f"Source: {source['title']}, {source['url']}, dated {source['dated']}."
    )


def public_description(model: dict[str, Any], sources: dict[str, Any]) -> str:
    """The file's description, plus where each version's compute figure comes from: the
    public list shows the figure, and a reader must see whose estimate it is."""
    notes = []
    for version in model["versions"]:
        compute = version.get("training_compute_flop")
        if compute is None:
            continue
        url = sources[compute["source"]]["url"]
        if compute.get("reported"):
            notes.append(f"Training compute of {version['label']}: reported ({url}).")
        else:
            notes.append(
                f"Training compute of {version['label']}: Epoch AI estimate, "
                f"{compute['confidence']} ({url})."
            )
    return " ".join([model["description"], *notes])


def version_fields(version: dict[str, Any], sources: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `registry.services.version_create` for a version of the file.

    An Epoch AI estimate goes in as the training compute with no registry method (it is
    neither the provider's report nor a 6·P·D or hardware estimate made here); the
    assumptions name the source, its confidence and method. Every fact given is public.
    """
    fields: dict[str, Any] = {name: version[name]["value"] for name in FIGURES if name in version}
    compute = version.get("training_compute_flop")
    if compute is not None:
        fields["training_compute_flop"] = float(compute["value"])
        fields["compute_method"] = ComputeMethod.REPORTED if compute.get("reported") else ""
        fields["compute_assumptions"] = _assumptions(compute, sources)
    fields["public_fields"] = [
        name for name in PublicField.values if fields.get(name) not in (None, "")
    ]
    channels = fields.get("distribution_channels", [])
    assert set(channels) <= set(DistributionChannel.values), channels
    return fields


@dataclass
class LoadReport:
    providers: int = 0
    versions: int = 0
    signatures: int = 0
    procedures: int = 0
    skipped: int = 0  # signatures or procedures dated after today (a clock behind the file)


def is_loaded(data: dict[str, Any] | None = None) -> bool:
    data = data or read()
    names = [p["name"] for p in data["providers"]]
    return Provider.objects.filter(organisation__name__in=names).exists()


@transaction.atomic
def load(*, users: dict[str, User], data: dict[str, Any] | None = None) -> LoadReport:
    """Enter the file through the services; nothing when its providers are there already.

    `users` are the demo's staff by username (the procedures name who acted).
    """
    data = data or read()
    report = LoadReport()
    if is_loaded(data):
        return report
    sources = data["sources"]
    today = timezone.now().date()
    versions: dict[tuple[str, str], ModelVersion] = {}
    for spec in data["providers"]:
        organisation = accounts.organisation_create(
            actor=None,
            name=spec["name"],
            kind=OrganisationKind.GPAI_PROVIDER,
            country=spec["country"]["value"],
            established_in_union=spec["established_in_union"]["value"],
        )
        provider = registry.provider_register(actor=None, organisation=organisation)
        report.providers += 1
        for signature in spec["code_of_practice"]:
            if signature["signed_on"] > today:
                report.skipped += 1
                continue
            source = sources[signature["source"]]
            signature_add(
                actor=None,
                provider=provider,
                chapter=signature["chapter"],
                signed_on=signature["signed_on"],
                source=f"{source['url']} (dated {source['dated']})",
                notes=f"Demo data. {source['title']}. {spec.get('notes', '')}".strip(),
            )
            report.signatures += 1
        for model_spec in spec["models"]:
            model = registry.model_create(
                actor=None,
                provider=provider,
                name=model_spec["name"],
                public_description=public_description(model_spec, sources),
            )
            for version_spec in model_spec["versions"]:
                version = registry.version_create(
                    actor=None,
                    model=model,
                    label=str(version_spec["label"]),
                    **version_fields(version_spec, sources),
                )
                registry.version_assess(actor=None, version=version)
                versions[(model.name, version.label)] = version
                report.versions += 1
    for procedure in data["procedures"]:
        if max(_dates(procedure)) > today:
            report.skipped += 1
            continue
        _procedure(procedure, versions[(procedure["model"], str(procedure["version"]))], users)
        report.procedures += 1
    return report


def _dates(procedure: dict[str, Any]) -> list[date]:
    days = [procedure[k] for k in ("submitted_on", "trigger_date") if k in procedure]
    if "hearing" in procedure:
        days.append(procedure["hearing"]["opened_on"])
    if "decision" in procedure:
        days.append(procedure["decision"]["decided_on"])
    return days


def _procedure(spec: dict[str, Any], version: ModelVersion, users: dict[str, User]) -> None:
    """One invented procedure, step by step through the services, each on its own date."""
    notification = None
    if spec["kind"] == "notification":
        data: dict[str, Any] = {
            "trigger": "compute_threshold",
            "compute_flop": version.training_compute_flop,
            "estimation_method": spec["estimation_method"],
            "assumptions": spec["assumptions"],
            "uncertainty": spec["uncertainty"],
            "trigger_date": spec["trigger_date"],
        }
        if spec.get("arguments_grounds"):
            data["arguments_text"] = spec["arguments_text"]
            data["arguments_grounds"] = list(spec["arguments_grounds"])
        notification = registry.notification_submit(
            actor=None, version=version, data=data, on=spec["submitted_on"]
        )
        if spec.get("assigned_to"):
            registry.notification_assign(
                actor=users[spec["assigned_by"]],
                notification=notification,
                officer=users[spec["assigned_to"]],
            )
        hearing = spec.get("hearing")
        if hearing:
            registry.hearing_open(
                actor=users[hearing["opened_by"]],
                notification=notification,
                draft_reasons=hearing["draft_reasons"],
                opened_on=hearing["opened_on"],
            )
    decision = spec.get("decision")
    if decision:
        registry.decision_take(
            actor=users[decision["decided_by"]],
            kind=decision["kind"],
            reasons=decision["reasons"],
            notification=notification,
            version=None if notification is not None else version,
            decided_on=decision["decided_on"],
            annex_xiii=decision.get("annex_xiii"),
        )


def model_names(data: dict[str, Any] | None = None) -> list[str]:
    """Every model name in the file, in file order."""
    data = data or read()
    return [m["name"] for p in data["providers"] for m in p["models"]]


__all__ = [
    "DATA_FILE",
    "DemoDataError",
    "LoadReport",
    "is_loaded",
    "load",
    "model_names",
    "read",
    "validate",
    "version_fields",
]
