"""The AI tools on a consultation: analysis runs, accepted section suggestions, summaries.

Keyword-only, `actor` first; one transaction per state change with the changed row locked;
one audit event each (ids, kinds, statuses, counts and the model's name only: never a
comment's text, a theme's label or a summary, which quote respondents). Bad input raises
`ValidationError` naming the field; an actor without the right raises `PermissionDenied`.

An analysis run (`run_request`, then `run_execute` by the worker or the CLI):

1. embeds every feedback item's text (comment and proposed wording) into the corpus
   "drafting.feedback" and the draft's sections (title and text) into "drafting.section",
   with the embedder `aioffice.core.semantic` chooses (its name is kept on the run);
2. finds near-duplicate campaigns (the same text sent by many), with the number of
   distinct responses among them;
3. finds themes (feedback on the same point), labelled by their distinctive words, with
   their dominant section, the count of each position and three representative quotes;
4. suggests a section for each general comment (feedback on the draft as a whole), which
   the Office or a drafter accepts or leaves (`suggestion_accept`).

The thresholds are the Office's choice, entered with the run (defaults below) and kept in
`params`, so that a run's figures can be read with what produced them.

Summaries (`summary_request`) go to the LLM endpoint the Office configured (`core.llm`):
the prompt holds the comments' texts only, never a name, and never a confidential
response's text (those stay with the Office and the chairs); the summary is stored with the
endpoint, the model that answered, the full prompt and the times.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from aioffice.core import audit, llm, semantic
from aioffice.drafting import permissions
from aioffice.drafting.models_analysis import (
    AnalysisRun,
    Group,
    GroupKind,
    GroupMember,
    RunStatus,
    Summary,
)
from aioffice.drafting.models_consultations import (
    Confidentiality,
    Consultation,
    Feedback,
    Position,
)
from aioffice.drafting.models_drafts import Section

__all__ = [
    "DEFAULT_PARAMS",
    "FEEDBACK_CORPUS",
    "SECTION_CORPUS",
    "feedback_text",
    "run_execute",
    "run_request",
    "suggestion_accept",
    "summary_request",
]

FEEDBACK_CORPUS = "drafting.feedback"
SECTION_CORPUS = "drafting.section"

# The Office's defaults for a run (each can be set when the run is requested). The
# similarity thresholds default to the Office's settings for the embedder in use
# (semantic.thresholds: SEMANTIC_*); the run keeps the values it used.
DEFAULT_PARAMS: dict[str, float | int | None] = {
    "campaign_threshold": None,  # cosine similarity at which two texts count as copies
    "campaign_min_size": 3,  # copies from fewer distinct responses are not a campaign
    "theme_threshold": None,  # similarity to a theme's most connected text to belong to it
    "theme_min_size": None,
    "max_themes": 30,
    "quotes": 3,  # representative quotes kept per group
    "keywords": 5,
}
INTEGER_PARAMS = frozenset(
    {"campaign_min_size", "theme_min_size", "max_themes", "quotes", "keywords"}
)
PARAM_LIMITS: dict[str, tuple[float, float]] = {
    "campaign_threshold": (0.5, 1.0),
    "campaign_min_size": (2, 1000),
    "theme_threshold": (0.1, 0.99),
    "theme_min_size": (2, 1000),
    "max_themes": (1, 200),
    "quotes": (1, 10),
    "keywords": (1, 10),
}
LABEL_MAX = 300
ERROR_MAX = 2000
PROMPT_ITEMS = 40  # comments sent in one summary prompt at most
PROMPT_ITEM_CHARS = 1200

Progress = Callable[[str, int], None]  # (step, per cent)


def feedback_text(comment: str, proposed_wording: str) -> str:
    """The text embedded for a feedback item: its comment, then its proposed wording."""
    return "\n".join(part.strip() for part in (comment, proposed_wording) if part.strip())


def section_text(title: str, text: str) -> str:
    return "\n".join(part.strip() for part in (title, text) if part.strip())


def _project_of(consultation: Consultation) -> Any:
    return consultation.draft.project


def _may_analyse(actor: Any, consultation: Consultation) -> None:
    if not permissions.may_analyse(actor, _project_of(consultation)):
        raise PermissionDenied("Only the Office and the project's chairs use the AI tools.")


def clean_params(params: Mapping[str, Any] | None) -> dict[str, float | int | None]:
    """The run's settings: the defaults, with those given checked against their limits
    (None: the Office's setting for the embedder, filled in when the run starts)."""
    cleaned: dict[str, float | int | None] = dict(DEFAULT_PARAMS)
    for name, value in (params or {}).items():
        if name not in DEFAULT_PARAMS:
            raise ValidationError({name: "Not a setting of an analysis run."})
        if value is None or value == "":
            continue
        integer = name in INTEGER_PARAMS
        try:
            number: float | int = int(value) if integer else float(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError({name: "Enter a number."}) from exc
        if integer and isinstance(value, float) and value != int(value):
            raise ValidationError({name: "Enter a whole number."})
        if isinstance(value, bool):
            raise ValidationError({name: "Enter a number."})
        low, high = PARAM_LIMITS[name]
        if not low <= number <= high:
            raise ValidationError({name: f"Enter a number from {low:g} to {high:g}."})
        cleaned[name] = number
    return cleaned


# --- runs --------------------------------------------------------------------------------------


@transaction.atomic
def run_request(
    *,
    actor: Any,
    consultation: Consultation,
    params: Mapping[str, Any] | None = None,
    enqueue: bool = True,
) -> AnalysisRun:
    """Queue an analysis of the consultation's feedback; the worker runs it (`enqueue=False`:
    the caller runs it, as the CLI does)."""
    _may_analyse(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    busy = consultation.analysis_runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    if enqueue and busy.exists():
        raise ValidationError({"consultation": "An analysis of this consultation is under way."})
    run = AnalysisRun.objects.create(
        consultation=consultation, params=clean_params(params), requested_by=actor
    )
    audit.record(
        actor=actor,
        action="drafting.analysis.requested",
        obj=run,
        after={"consultation": consultation.pk, "status": run.status, "params": run.params},
    )
    if enqueue:
        from aioffice.drafting.tasks import analyse_consultation  # the worker's side

        transaction.on_commit(lambda: analyse_consultation.enqueue(run.pk))
    return run


def _progress(run_id: int, step: str, percent: int) -> None:
    AnalysisRun.objects.filter(pk=run_id).update(step=step, progress=max(0, min(100, percent)))


def _start(run_id: int) -> AnalysisRun:
    with transaction.atomic():
        run = AnalysisRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.QUEUED:
            raise ValidationError({"status": f"The run is {run.status}, not queued."})
        run.status = RunStatus.RUNNING
        run.started_at = timezone.now()
        run.step = "reading"
        run.save(update_fields=["status", "started_at", "step"])
        audit.record(
            actor=None,
            action="drafting.analysis.started",
            obj=run,
            after={"consultation": run.consultation_id, "status": run.status},
        )
    return run


def _fail(run_id: int, message: str) -> None:
    with transaction.atomic():
        run = AnalysisRun.objects.select_for_update().get(pk=run_id)
        run.status = RunStatus.FAILED
        run.error = message[:ERROR_MAX]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        audit.record(
            actor=None,
            action="drafting.analysis.failed",
            obj=run,
            after={"consultation": run.consultation_id, "status": run.status},
        )


def run_execute(run_id: int, *, progress: Progress | None = None) -> AnalysisRun:
    """Do the queued run `run_id` (the worker's task and the CLI call this). A failure is
    recorded on the run (status failed, the error) and raised again."""
    run = _start(run_id)

    def report(step: str, percent: int) -> None:
        _progress(run_id, step, percent)
        if progress is not None:
            progress(step, percent)

    try:
        found = _analyse(run, report)
        _finish(run_id, found)
    except Exception as exc:
        _fail(run_id, f"{type(exc).__name__}: {exc}")
        raise
    report("done", 100)
    return AnalysisRun.objects.get(pk=run_id)


@dataclass
class _Item:
    id: int
    text: str
    section_id: int | None
    position: str
    response_id: int


@dataclass
class _Found:
    model: str
    feedback_count: int
    groups: list[tuple[Group, list[tuple[int, float]]]]
    suggestions: dict[int, tuple[int, float]]  # feedback id -> (section id, score)


def _items(consultation: Consultation) -> list[_Item]:
    rows = (
        Feedback.objects.filter(response__consultation=consultation)
        .order_by("id")
        .values_list("id", "comment", "proposed_wording", "section_id", "position", "response_id")
    )
    items = [
        _Item(pk, feedback_text(comment, wording), section_id, position, response_id)
        for pk, comment, wording, section_id, position, response_id in rows
    ]
    return [item for item in items if item.text]


def _effective(params: Mapping[str, Any], model: str) -> dict[str, float | int]:
    """The run's settings with the Office's thresholds for `model` where none was given."""
    office = semantic.thresholds(model)
    given = {**DEFAULT_PARAMS, **{k: v for k, v in params.items() if k in DEFAULT_PARAMS}}
    fallback = {
        "campaign_threshold": office.duplicate,
        "theme_threshold": office.theme,
        "theme_min_size": office.theme_min_size,
    }
    return {
        name: (fallback[name] if value is None else value)
        for name, value in given.items()
        if value is not None or name in fallback
    }


def _analyse(run: AnalysisRun, report: Progress) -> _Found:
    consultation = run.consultation
    items = _items(consultation)
    sections = list(
        Section.objects.filter(draft_id=consultation.draft_id)
        .order_by("position")
        .values_list("id", "title", "text")
    )
    embedder = semantic.get_embedder()
    params = _effective(run.params or {}, embedder.name)
    AnalysisRun.objects.filter(pk=run.pk).update(model=embedder.name, params=params)
    total = max(1, len(items))
    report("embedding", 5)

    def embedded(count: int) -> None:
        report("embedding", 5 + int(60 * min(count, total) / total))

    semantic.store_vectors(
        FEEDBACK_CORPUS, [(i.id, i.text) for i in items], embedder=embedder, progress=embedded
    )
    semantic.store_vectors(
        SECTION_CORPUS,
        [(pk, section_text(title, text)) for pk, title, text in sections],
        embedder=embedder,
    )
    report("grouping", 70)
    by_id = {item.id: item for item in items}
    ids, vectors = semantic.load_vectors(FEEDBACK_CORPUS, list(by_id), embedder=embedder)
    groups: list[tuple[Group, list[tuple[int, float]]]] = []
    # campaigns: the same text sent by many
    copies = semantic.near_duplicates(ids, vectors, threshold=float(params["campaign_threshold"]))
    copies_of: dict[int, list[tuple[int, float]]] = {}  # a campaign's first text -> its copies
    for members in copies.groups:
        respondents = {by_id[pk].response_id for pk, _score in members}
        if len(respondents) < int(params["campaign_min_size"]):
            continue
        copies_of[members[0][0]] = members[1:]
        groups.append((_group(GroupKind.CAMPAIGN, len(groups), members, by_id, params), members))
    report("themes", 80)
    # themes are found with each campaign as one text (its copies would make a theme of
    # their own); a theme that holds a campaign's text then counts all its copies
    copied = {pk for members in copies_of.values() for pk, _score in members}
    keep = np.array([int(pk) not in copied for pk in ids], dtype=bool)
    themes = semantic.themes(
        ids[keep],
        vectors[keep],
        threshold=float(params["theme_threshold"]),
        min_size=int(params["theme_min_size"]),
    )
    texts = {pk: by_id[pk].text for pk in by_id if pk not in copied}
    for position, found in enumerate(themes.groups[: int(params["max_themes"])]):
        members = [
            (pk, score)
            for first, score in found
            for pk in [first, *(copy for copy, _s in copies_of.get(first, []))]
        ]
        group = _group(GroupKind.THEME, position, members, by_id, params)
        group.representatives = [pk for pk, _score in found[: int(params["quotes"])]]
        inside = {pk for pk, _score in found}
        words = semantic.keywords(
            [texts[pk] for pk in inside],
            [text for pk, text in texts.items() if pk not in inside],
            n=int(params["keywords"]),
        )
        group.keywords = list(words)
        group.label = (", ".join(words) or f"theme {position + 1}")[:LABEL_MAX]
        groups.append((group, members))
    report("sections", 90)
    suggestions: dict[int, tuple[int, float]] = {}
    general = [pk for pk, item in by_id.items() if item.section_id is None]
    if general and sections:
        section_ids, label_vectors = semantic.load_vectors(
            SECTION_CORPUS, [pk for pk, _title, _text in sections], embedder=embedder
        )
        mine, general_vectors = semantic.load_vectors(FEEDBACK_CORPUS, general, embedder=embedder)
        chosen = semantic.assign_to_labels(general_vectors, label_vectors)
        for pk, (index, score) in zip(mine, chosen, strict=True):
            if index >= 0:
                suggestions[int(pk)] = (int(section_ids[index]), float(score))
    return _Found(embedder.name, len(items), groups, suggestions)


def _group(
    kind: str,
    position: int,
    members: Sequence[tuple[int, float]],
    by_id: Mapping[int, _Item],
    params: Mapping[str, Any],
) -> Group:
    """A group's figures: size, respondents, dominant section, positions, quotes (members
    come best first, closest to the group's centre)."""
    items = [by_id[pk] for pk, _score in members]
    sections = Counter(item.section_id for item in items if item.section_id is not None)
    positions = Counter(item.position for item in items)
    quotes = [pk for pk, _score in members[: int(params["quotes"])]]
    label = by_id[members[0][0]].text.split("\n")[0] if kind == GroupKind.CAMPAIGN else ""
    return Group(
        kind=kind,
        position=position,
        label=label[:LABEL_MAX],
        size=len(items),
        respondents=len({item.response_id for item in items}),
        section_id=sections.most_common(1)[0][0] if sections else None,
        positions={value: positions.get(value, 0) for value in Position.values},
        representatives=quotes,
    )


def _finish(run_id: int, found: _Found) -> None:
    with transaction.atomic():
        run = AnalysisRun.objects.select_for_update().get(pk=run_id)
        for group, _members in found.groups:
            group.run = run
        Group.objects.bulk_create([group for group, _members in found.groups])
        GroupMember.objects.bulk_create(
            [
                GroupMember(group=group, feedback_id=pk, similarity=float(score))
                for group, members in found.groups
                for pk, score in members
            ],
            batch_size=500,
        )
        rows = list(Feedback.objects.filter(pk__in=list(found.suggestions)))
        for row in rows:
            row.suggested_section_id, row.suggested_score = found.suggestions[row.pk]
        Feedback.objects.bulk_update(rows, ["suggested_section", "suggested_score"], batch_size=500)
        run.status = RunStatus.DONE
        run.model = found.model
        run.feedback_count = found.feedback_count
        run.progress = 100
        run.step = "done"
        run.finished_at = timezone.now()
        run.save(
            update_fields=["status", "model", "feedback_count", "progress", "step", "finished_at"]
        )
        kinds = Counter(group.kind for group, _members in found.groups)
        audit.record(
            actor=None,
            action="drafting.analysis.done",
            obj=run,
            after={
                "consultation": run.consultation_id,
                "status": run.status,
                "model": run.model,
                "feedback": run.feedback_count,
                "campaigns": kinds.get(GroupKind.CAMPAIGN, 0),
                "themes": kinds.get(GroupKind.THEME, 0),
                "suggestions": len(rows),
            },
        )


# --- suggestions -------------------------------------------------------------------------------


@transaction.atomic
def suggestion_accept(*, actor: Any, feedback: Feedback) -> Feedback:
    """File a general comment under the section the analysis suggested for it."""
    row = (
        Feedback.objects.select_for_update()
        .select_related("response__consultation__draft__project")
        .get(pk=feedback.pk)
    )
    if not permissions.may_sort_feedback(actor, row.response.consultation.draft.project):
        raise PermissionDenied("Only the Office's project staff and the drafters file feedback.")
    if row.section_id is not None:
        raise ValidationError({"section": "This feedback is already filed under a section."})
    if row.suggested_section_id is None:
        raise ValidationError({"section": "No section was suggested for this feedback."})
    row.section_id = row.suggested_section_id
    row.save(update_fields=["section"])
    audit.record(
        actor=actor,
        action="drafting.feedback.section_accepted",
        obj=row,
        before={"section": None},
        after={"section": row.section_id, "score": row.suggested_score},
    )
    return row


# --- summaries ---------------------------------------------------------------------------------


def _quoted(rows: Sequence[Feedback]) -> str:
    lines = []
    for number, row in enumerate(rows, start=1):
        text = feedback_text(row.comment, row.proposed_wording)[:PROMPT_ITEM_CHARS]
        lines.append(f"{number}. ({row.get_position_display()}) {text}")
    return "\n".join(lines)


def _prompt(subject: str, rows: Sequence[Feedback]) -> str:
    return (
        "You help the European AI Office read the feedback it received in a public "
        "consultation on a draft text. Summarise the points made in the feedback below "
        f"about {subject} in at most six sentences, neutrally, without naming anyone and "
        "without adding points that are not in the feedback. Say where respondents "
        "disagree.\n\nFeedback:\n" + _quoted(rows)
    )


def summary_request(
    *,
    actor: Any,
    consultation: Consultation,
    group: Group | None = None,
    section: Section | None = None,
) -> Summary:
    """Ask the configured LLM endpoint for a summary of a theme (or campaign) or of the
    feedback on one section; store it with endpoint, model, prompt and times."""
    _may_analyse(actor, consultation)
    if (group is None) == (section is None):
        raise ValidationError({"group": "Name a group or a section to summarise."})
    if not llm.configured():
        raise ValidationError({"summary": "No summary service is configured."})
    rows: Any = Feedback.objects.filter(response__consultation=consultation).exclude(
        response__confidentiality=Confidentiality.CONFIDENTIAL
    )
    if group is not None:
        if group.run.consultation_id != consultation.pk:
            raise ValidationError({"group": "This group is not from this consultation."})
        rows = rows.filter(pk__in=group.members.values("feedback_id"))
        subject = "one theme" if group.kind == GroupKind.THEME else "one campaign"
    else:
        assert section is not None  # one of the two, checked above
        if section.draft_id != consultation.draft_id:
            raise ValidationError({"section": "This section is not of the consulted draft."})
        rows = rows.filter(section=section)
        subject = "one section of the draft"
    chosen = list(rows.order_by("id")[:PROMPT_ITEMS])
    if not chosen:
        raise ValidationError(
            {"summary": "There is no non-confidential feedback here to summarise."}
        )
    try:
        done = llm.complete(_prompt(subject, chosen))
    except llm.LlmError as exc:
        raise ValidationError({"summary": str(exc)}) from exc
    with transaction.atomic():
        Consultation.objects.select_for_update().get(pk=consultation.pk)
        summary = Summary.objects.create(
            consultation=consultation,
            group=group,
            section=section,
            endpoint=done.endpoint[:300],
            model=done.model[:200],
            prompt=done.prompt,
            text=done.text,
            requested_by=actor,
            requested_at=done.requested_at,
            received_at=done.received_at,
        )
        audit.record(
            actor=actor,
            action="drafting.summary.received",
            obj=summary,
            after={
                "consultation": consultation.pk,
                "group": group.pk if group is not None else None,
                "section": section.pk if section is not None else None,
                "model": summary.model,
                "feedback": len(chosen),
            },
        )
    return summary
