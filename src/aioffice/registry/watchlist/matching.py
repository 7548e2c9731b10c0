"""Suggesting which registered model (or version) a row of a public dataset is about.

Names are normalised (accents, case and punctuation dropped, letters and digits split,
legal suffixes of organisations dropped) into tokens; two names are compared by
`difflib.SequenceMatcher` on their sorted tokens, so word order does not matter. The
registry's names are loaded once into an index; each row is compared only with the
names that share a token with it (a token shared by very many names does not count),
after difflib's cheap upper bounds, so an import costs no query per row and far fewer
comparisons than rows times models. A person confirms or rejects every suggestion.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

# Below this score nothing is suggested; at most this many suggestions per row.
FLOOR = 0.7
LIMIT = 3
# A token shared by more names than this does not make them candidates on its own.
COMMON_TOKEN = 200
# The weight of the model name in the score when both organisations are known.
MODEL_WEIGHT = 0.75
# Factor applied when both names carry numbers and the numbers differ ("7" and "8").
NUMBERS_DIFFER = 0.8

_LEGAL_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "gmbh", "ag", "sa",
        "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "as", "kk", "co", "corp",
        "corporation", "company", "the", "pbc",
    }
)  # fmt: skip


def tokens(name: str) -> list[str]:
    """Lower-case ASCII words and numbers of a name, letters and digits split apart.

    >>> tokens("Fíctional-Lm2.5 Turbo")
    ['fictional', 'lm', '2', '5', 'turbo']
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)
    return re.findall(r"[a-z]+|\d+", text)


def organisation_tokens(name: str) -> list[str]:
    return [t for t in tokens(name) if t not in _LEGAL_SUFFIXES]


def _key(words: Iterable[str]) -> str:
    return " ".join(sorted(words))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A registered model (version_id None) or version, with its names normalised."""

    model_id: int
    version_id: int | None
    label: str  # as a person reads it: "Model" or "Model 1.0"
    organisation: str
    key: str
    numbers: frozenset[str]
    org_key: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    candidate: Candidate
    score: float
    why: str


def candidate(model_id: int, version_id: int | None, name: str, organisation: str) -> Candidate:
    words = tokens(name)
    return Candidate(
        model_id,
        version_id,
        name,
        organisation,
        _key(words),
        frozenset(w for w in words if w.isdigit()),
        _key(organisation_tokens(organisation)),
    )


class MatchIndex:
    """The registry's names, loaded once; `suggest` for each row."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates = list(candidates)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for index, c in enumerate(self.candidates):
            for word in set(c.key.split()):
                self._postings[word].append(index)
        self.comparisons = 0  # ratio() calls made, for the figures in the design note

    def _candidates_of(self, words: set[str]) -> set[int]:
        """The names sharing a word (not a number: "7" alone makes no candidate) with the
        row; a word shared by very many names counts only when the row has no rarer one."""
        postings = [self._postings[w] for w in words if w.isalpha() and w in self._postings]
        rare = [p for p in postings if len(p) <= COMMON_TOKEN]
        chosen = rare or sorted(postings, key=len)[:1]
        found: set[int] = set()
        for posting in chosen:
            found.update(posting)
        return found

    def suggest(self, model_name: str, organisation: str = "") -> list[Suggestion]:
        row = _Row.of(model_name, organisation)
        if row is None:
            return []
        found: list[Suggestion] = []
        for index in self._candidates_of(set(row.key.split())):
            c = self.candidates[index]
            row.matcher.set_seq1(c.key)
            # difflib's cheap upper bounds first: the name must reach the floor even with a
            # perfect organisation score.
            if row.matcher.real_quick_ratio() < FLOOR * MODEL_WEIGHT:
                continue
            if row.matcher.quick_ratio() < FLOOR * MODEL_WEIGHT:
                continue
            self.comparisons += 1
            suggestion = row.compare(c)
            if suggestion.score >= FLOOR:
                found.append(suggestion)
        found.sort(key=lambda s: (-s.score, s.candidate.version_id is not None, s.candidate.label))
        return _one_per_model(found)[:LIMIT]


@dataclass
class _Row:
    """A row's names, normalised once, with difflib matchers that cache them."""

    key: str
    numbers: frozenset[str]
    org_key: str
    matcher: SequenceMatcher[str]
    org_matcher: SequenceMatcher[str]

    @classmethod
    def of(cls, model_name: str, organisation: str) -> _Row | None:
        words = tokens(model_name)
        if not words:
            return None
        key = _key(words)
        org_key = _key(organisation_tokens(organisation))
        matcher: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(key)  # difflib caches the second sequence: the row's
        org_matcher: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
        org_matcher.set_seq2(org_key)
        numbers = frozenset(w for w in words if w.isdigit())
        return cls(key, numbers, org_key, matcher, org_matcher)

    def compare(self, c: Candidate) -> Suggestion:
        self.matcher.set_seq1(c.key)
        name_score = 1.0 if c.key == self.key else self.matcher.ratio()
        reasons = [f"name {name_score:.2f} ({self.key!r} ~ {c.key!r})"]
        score = name_score
        if self.numbers and c.numbers and self.numbers != c.numbers:
            score *= NUMBERS_DIFFER
            reasons.append("the numbers in the names differ")
        if self.org_key and c.org_key:
            self.org_matcher.set_seq1(c.org_key)
            org_score = 1.0 if c.org_key == self.org_key else self.org_matcher.ratio()
            score = MODEL_WEIGHT * score + (1 - MODEL_WEIGHT) * org_score
            reasons.append(f"organisation {org_score:.2f} ({self.org_key!r} ~ {c.org_key!r})")
        else:
            reasons.append("organisation not compared (missing)")
        return Suggestion(c, round(score, 3), "; ".join(reasons))


def compare(model_name: str, organisation: str, c: Candidate) -> Suggestion:
    """The score and reasons of one pair, whatever the floor (for a match made by hand)."""
    row = _Row.of(model_name, organisation)
    if row is None:
        return Suggestion(c, 0.0, "the row has no model name")
    return row.compare(c)


def _one_per_model(found: list[Suggestion]) -> list[Suggestion]:
    """The best suggestion for each model: its version, or the model itself."""
    seen: set[int] = set()
    kept: list[Suggestion] = []
    for s in found:
        if s.candidate.model_id not in seen:
            seen.add(s.candidate.model_id)
            kept.append(s)
    return kept
