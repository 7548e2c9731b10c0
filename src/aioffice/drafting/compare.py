"""Two versions of a draft compared section by section, matched by key.

Each section of either version is one row: `added` (only in the newer), `removed` (only in
the older), `changed` (its kind, number, title, text or registry chapter differ) or
`unchanged`; a section present in both is also `moved` when its parent changed or its
place among the siblings it shares with the other version changed (the fewest such moves:
the siblings outside the longest common order). Rows follow the newer version's order, a
removed section coming after the section it followed in the older one.

Texts are compared word by word (difflib on tokens: words, spaces, punctuation) and given
as HTML with `<del>` and `<ins>`; every token is escaped, so a draft's text never becomes
markup. Pure functions over the sections: no queries.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
UNCHANGED = "unchanged"
STATUSES = (ADDED, REMOVED, CHANGED, UNCHANGED)
COMPARED_FIELDS = ("kind", "number", "title", "text", "registry_chapter")
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


class SectionLike(Protocol):
    pk: Any
    key: str
    parent_id: Any
    kind: str
    number: str
    title: str
    text: str
    explanation: str
    registry_chapter: str
    position: int


def tokens(text: str) -> list[str]:
    """Words, runs of white space and single punctuation marks, in order."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """The old text with what went `<del>`, the new with what came `<ins>`; escaped."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before = escape("".join(a[i1:i2]))
        after = escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(before)
            right.append(after)
            continue
        if before:
            left.append(f"<del>{before}</del>")
        if after:
            right.append(f"<ins>{after}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 (escaped above)


@dataclass
class Row:
    """One section in the comparison."""

    key: str
    status: str
    old: Any | None
    new: Any | None
    moved: bool = False
    depth: int = 0
    changed_fields: list[str] = field(default_factory=list)
    old_parent: str | None = None
    new_parent: str | None = None
    old_title: SafeString = field(default_factory=SafeString)
    new_title: SafeString = field(default_factory=SafeString)
    old_text: SafeString = field(default_factory=SafeString)
    new_text: SafeString = field(default_factory=SafeString)

    @property
    def explanation(self) -> str:
        """The drafters' explanation of what changed and why (the newer version's)."""
        if self.new is None:
            return ""
        return str(self.new.explanation)

    @property
    def section(self) -> Any:
        return self.new if self.new is not None else self.old

    def as_dict(self) -> dict[str, Any]:
        def side(row: Any, parent: str | None) -> dict[str, Any] | None:
            if row is None:
                return None
            return {
                "kind": row.kind,
                "number": row.number,
                "title": row.title,
                "text": row.text,
                "registry_chapter": row.registry_chapter,
                "parent": parent,
                "position": row.position,
            }

        return {
            "key": self.key,
            "status": self.status,
            "moved": self.moved,
            "changed_fields": list(self.changed_fields),
            "explanation": self.explanation,
            "old": side(self.old, self.old_parent),
            "new": side(self.new, self.new_parent),
            "old_text_html": str(self.old_text),
            "new_text_html": str(self.new_text),
        }


@dataclass
class Comparison:
    rows: list[Row]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        counts["moved"] = sum(1 for row in self.rows if row.moved)
        return counts

    def changed_only(self) -> list[Row]:
        """Every row but the unchanged ones that did not move."""
        return [r for r in self.rows if r.status != UNCHANGED or r.moved]


def _parents(sections: Sequence[SectionLike]) -> dict[str, str | None]:
    key_of = {s.pk: s.key for s in sections}
    return {s.key: key_of.get(s.parent_id) if s.parent_id else None for s in sections}


def _depths(sections: Sequence[SectionLike], parents: dict[str, str | None]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for s in sections:  # in position order: a parent comes before its children
        parent = parents[s.key]
        depth[s.key] = 0 if parent is None else depth.get(parent, 0) + 1
    return depth


def _moved(
    old: Sequence[SectionLike],
    new: Sequence[SectionLike],
    old_parents: dict[str, str | None],
    new_parents: dict[str, str | None],
) -> set[str]:
    common = {s.key for s in old} & {s.key for s in new}
    moved = {k for k in common if old_parents[k] != new_parents[k]}
    stay = common - moved
    groups_old: dict[str | None, list[str]] = {}
    groups_new: dict[str | None, list[str]] = {}
    for s in old:
        if s.key in stay:
            groups_old.setdefault(old_parents[s.key], []).append(s.key)
    for s in new:
        if s.key in stay:
            groups_new.setdefault(new_parents[s.key], []).append(s.key)
    for parent, before in groups_old.items():
        after = groups_new.get(parent, [])
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        kept = {
            k
            for block in matcher.get_matching_blocks()
            for k in after[block.b : block.b + block.size]
        }
        moved |= set(after) - kept
    return moved


def compare(old: Sequence[SectionLike], new: Sequence[SectionLike]) -> Comparison:
    """The sections of an older and a newer version (each in position order) compared."""
    old_by_key = {s.key: s for s in old}
    new_by_key = {s.key: s for s in new}
    old_parents, new_parents = _parents(old), _parents(new)
    old_depth, new_depth = _depths(old, old_parents), _depths(new, new_parents)
    moved = _moved(old, new, old_parents, new_parents)

    # removed sections follow the last surviving section before them in the older version
    after: dict[str | None, list[Any]] = {}
    anchor: str | None = None
    for s in old:
        if s.key in new_by_key:
            anchor = s.key
        else:
            after.setdefault(anchor, []).append(s)

    def removed_row(s: Any) -> Row:
        title, _ = word_diff(s.title, "")
        text, _ = word_diff(s.text, "")
        return Row(
            key=s.key,
            status=REMOVED,
            old=s,
            new=None,
            depth=old_depth[s.key],
            old_parent=old_parents[s.key],
            old_title=title,
            old_text=text,
        )

    rows = [removed_row(s) for s in after.get(None, [])]
    for s in new:
        before = old_by_key.get(s.key)
        if before is None:
            _, title = word_diff("", s.title)
            _, text = word_diff("", s.text)
            rows.append(
                Row(
                    key=s.key,
                    status=ADDED,
                    old=None,
                    new=s,
                    depth=new_depth[s.key],
                    new_parent=new_parents[s.key],
                    new_title=title,
                    new_text=text,
                )
            )
        else:
            changed = [f for f in COMPARED_FIELDS if getattr(before, f) != getattr(s, f)]
            old_title, new_title = word_diff(before.title, s.title)
            old_text, new_text = word_diff(before.text, s.text)
            rows.append(
                Row(
                    key=s.key,
                    status=CHANGED if changed else UNCHANGED,
                    old=before,
                    new=s,
                    moved=s.key in moved,
                    depth=new_depth[s.key],
                    changed_fields=changed,
                    old_parent=old_parents[s.key],
                    new_parent=new_parents[s.key],
                    old_title=old_title,
                    new_title=new_title,
                    old_text=old_text,
                    new_text=new_text,
                )
            )
        rows.extend(removed_row(r) for r in after.get(s.key, []))
    return Comparison(rows=rows)
