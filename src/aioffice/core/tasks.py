"""Background work of the core: verifying the audit trail on a schedule or on demand, and
refreshing the semantic vectors of saved texts."""

from __future__ import annotations

from django_tasks import task

from aioffice.core import audit


@task()
def audit_chain_verify() -> dict[str, object]:
    """Walk the audit chain and record the outcome as an audit event of its own."""
    report = audit.verify_chain()
    problem = report.problem
    audit.record(
        actor=None,
        action="core.audit.verified" if problem is None else "core.audit.broken",
        object_type="core.auditevent",
        after={
            "checked": report.checked,
            "problem": None if problem is None else problem.message,
        },
    )
    return {"ok": problem is None, "checked": report.checked}


@task()
def refresh_vectors(corpus: str, ids: list[int], texts: str) -> int:
    """Embed the current texts of these objects of `corpus` (`texts`: the dotted path of the
    function that yields (id, text) for ids; `core.semantic_fresh.refresh_on_commit`)."""
    from django.utils.module_loading import import_string

    from aioffice.core import semantic_fresh

    semantic_fresh.refresh_now(corpus, ids, import_string(texts))
    return len(ids)
