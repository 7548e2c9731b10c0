"""The comparison of two versions: sections matched by key, added / removed / changed /
unchanged, moved (parent or order among shared siblings), word-level differences escaped,
the drafters' explanation beside a changed section, counts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from aioffice.accounts.models import User
from aioffice.drafting.compare import compare, tokens, word_diff
from aioffice.drafting.models_projects import Project

from .drafts_world import published_pair


@dataclass
class S:
    pk: int
    key: str
    parent_id: int | None
    kind: str = "section"
    number: str = ""
    title: str = "t"
    text: str = ""
    explanation: str = ""
    registry_chapter: str = ""
    position: int = 0


def test_tokens_keep_every_character() -> None:
    text = "Providers shall, within 14 days:\n  report it."
    assert "".join(tokens(text)) == text
    assert tokens("a, b") == ["a", ",", " ", "b"]


def test_word_diff_marks_words_and_escapes_html() -> None:
    old, new = word_diff("keep it <b>ten</b> years", "keep it <b>twelve</b> years & more")
    assert old == "keep it &lt;b&gt;<del>ten</del>&lt;/b&gt; years"
    assert new == "keep it &lt;b&gt;<ins>twelve</ins>&lt;/b&gt; years<ins> &amp; more</ins>"
    same_old, same_new = word_diff("<script>x</script>", "<script>x</script>")
    assert "<script>" not in same_old
    assert "<script>" not in same_new
    assert word_diff("", "") == ("", "")


def test_statuses_moves_and_order() -> None:
    old = [
        S(1, "a", None),
        S(2, "a1", 1),
        S(3, "a2", 1),
        S(4, "a3", 1),
        S(5, "b", None),
        S(6, "gone", 5),
        S(7, "b1", 5),
    ]
    new = [
        S(11, "b", None),
        S(12, "b1", 11, title="new title"),
        S(13, "a", None),
        S(14, "a2", 13),
        S(15, "a1", 13),
        S(16, "a3", 13),
        S(17, "fresh", 13),
        S(18, "moved-in", 11),
    ]
    new.append(S(19, "a3-child", 16))
    old.append(S(8, "moved-in", 1))
    result = compare(old, new)
    by_key = {row.key: row for row in result.rows}
    assert [row.key for row in result.rows] == [
        "b", "gone", "b1", "a", "a2", "a1", "a3", "fresh", "moved-in", "a3-child",
    ]  # fmt: skip
    assert by_key["gone"].status == "removed"
    assert by_key["fresh"].status == "added"
    assert by_key["b1"].status == "changed"
    assert by_key["b1"].changed_fields == ["title"]
    assert by_key["a"].status == "unchanged"
    # the top level swapped: one of the two moved (the fewest moves), a1/a2 likewise
    assert sum(by_key[k].moved for k in ("a", "b")) == 1
    assert sum(by_key[k].moved for k in ("a1", "a2")) == 1
    assert not by_key["a3"].moved
    assert by_key["moved-in"].moved
    assert by_key["moved-in"].old_parent == "a"
    assert by_key["moved-in"].new_parent == "b"
    assert by_key["a3-child"].depth == 2
    assert result.counts == {
        "added": 2,
        "removed": 1,
        "changed": 1,
        "unchanged": 6,
        "moved": 3,
    }
    shown = [r.key for r in result.changed_only()]
    assert shown == [r.key for r in result.rows if r.status != "unchanged" or r.moved]
    assert "a3" not in {r.key for r in result.changed_only()}


def test_removed_first_section_comes_first() -> None:
    result = compare([S(1, "x", None), S(2, "y", None)], [S(3, "y", None)])
    assert [(r.key, r.status) for r in result.rows] == [("x", "removed"), ("y", "unchanged")]


@pytest.mark.django_db
def test_two_real_versions(drafting_runner: User, drafting_project: Project) -> None:
    first, second = published_pair(drafting_runner, drafting_project)
    result = compare(
        list(first.sections.order_by("position")), list(second.sections.order_by("position"))
    )
    rows = {row.key: row for row in result.rows}
    changed = rows["t-measure-1"]
    assert changed.status == "changed"
    assert changed.changed_fields == ["text"]
    assert changed.explanation == "The drafters set a floor, as many respondents asked."
    assert changed.new_text == (
        "The form is kept for<ins> at least</ins> ten years after the model is placed"
        "<ins> &lt;on the market&gt;</ins>."
    )
    assert changed.old_text == changed.old.text
    assert rows["c-measure-2"].status == "added"
    assert rows["t-measure-2"].status == "removed"
    assert rows["copyright"].moved != rows["transparency"].moved
    assert result.counts["added"] == 1
    assert result.counts["removed"] == 1
    assert result.counts["changed"] == 1
    data = changed.as_dict()
    assert data["old"]["parent"] == "t-commit-1"
    assert data["status"] == "changed"
