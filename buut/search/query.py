"""From what a medewerker types to what the engine looks for: engine-independent.

A query becomes a `Plan`: a list of groups, all of which must match; a group is a list of
alternatives, any of which may match; an alternative is one or more words that must all match.

- **Begrippenlijst**: BUUT's own terminology check (`glossary.yml`) runs over the query. A word the
  check flags ("intake", "doorverwijzen") gets the preferred terms as alternatives, and the answer
  says so. A preferred term gets the terms that the begrippenlijst allows in context ("ook wel").
- **Compounds**: a word also matches longer indexed words that contain it as a part, so
  "hulpverlening" finds "schuldhulpverlening" and "schuld hulp" finds it too.
- **Typos**: a word that is in no indexed text is replaced by the closest indexed word, and the
  answer asks "Bedoelde u …?".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from ..check import RuleSet, check_text, fold
from ..model import Glossary

MAX_QUERY = 200  # characters used; the rest of a very long query is ignored (and said so)
MAX_WORDS = 12
MIN_PART = 4  # a compound part must be at least this long to be looked up inside other words
MAX_EXPANSIONS = 10
COMMON_SHARE = 0.01

_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """Lowercase, diacritics folded (cliënt -> client), control characters gone."""
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")
    return fold(text).lower()


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(normalise(text)) if not w.isdigit() or len(w) > 1]


@dataclass
class Plan:
    groups: list[list[tuple[str, ...]]] = field(default_factory=list)  # AND of OR of AND
    boosts: dict[tuple[str, ...], float] = field(default_factory=dict)
    expanded: list[str] = field(default_factory=list)  # terms the begrippenlijst added
    hints: list[str] = field(default_factory=list)  # "In BUUT heet dit ‘eerste gesprek’"
    corrected: str | None = None
    truncated: bool = False

    def terms(self) -> set[str]:
        return {w for group in self.groups for alternative in group for w in alternative}

    def rare(self, vocabulary: "Vocabulary", share: float) -> "Plan":
        """This plan without alternatives that occur in more than `share` of the sections.

        For partial matches (any group may match) a very common word ("amsterdammer") adds
        nothing to the ranking but makes the engine walk nearly every section.
        """
        limit = share * vocabulary.sections
        groups = [[a for a in group if all(vocabulary.counts.get(w, 0) <= limit for w in a)] for group in self.groups]
        return replace(self, groups=[g for g in groups if g])


class Vocabulary:
    """The indexed words (normalised, unstemmed) with their document frequency."""

    def __init__(self, counts: dict[str, int], sections: int | None = None):
        self.counts = counts
        self.words = sorted(counts)
        self.sections = sections or max(counts.values(), default=1)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def compounds(self, word: str) -> list[str]:
        """Indexed words that contain `word` as a part of a compound (not the word itself).

        A word that is common on its own (in more than COMMON_SHARE of the sections) is not
        expanded: it finds plenty by itself, and its compounds ("team": buurtteam, kindteam, …)
        would make the query slow and vague.
        """
        if len(word) < MIN_PART or self.counts.get(word, 0) > COMMON_SHARE * self.sections:
            return []
        found = [w for w in self.words if w != word and word in w and len(w) - len(word) >= 3]
        found.sort(key=lambda w: -self.counts[w])
        return found[:MAX_EXPANSIONS]

    def closest(self, word: str) -> str | None:
        import difflib

        if len(word) < 4:
            return None
        candidates = [w for w in self.words if abs(len(w) - len(word)) <= 2 and w[:1] == word[:1]]
        match = difflib.get_close_matches(word, candidates, n=3, cutoff=0.8)
        if not match:
            return None
        return max(match, key=lambda w: (difflib.SequenceMatcher(None, word, w).ratio(), self.counts[w]))


class Planner:
    def __init__(self, glossary: Glossary, rules: RuleSet):
        self.rules = rules
        # preferred or context term -> the other preferred/context terms of its begrip
        self.related: dict[tuple[str, ...], list[str]] = {}
        for begrip in glossary.begrippen:
            allowed = [t.term for t in begrip.termen if t.rol in ("gebruiken", "ook wel")]
            names = [n.strip() for term in allowed for n in re.split(r",", re.sub(r"\(.*?\)", "", term)) if n.strip()]
            for name in names:
                key = tuple(words(name))
                if key:
                    self.related[key] = [n for n in names if tuple(words(n)) != key]

    def plan(self, query: str, vocabulary: Vocabulary, correct: bool = True) -> Plan:
        plan = Plan()
        if len(query) > MAX_QUERY:
            query, plan.truncated = query[:MAX_QUERY], True
        query = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in query)
        tokens = words(query)[:MAX_WORDS]
        if correct:
            fixed = []
            for token in tokens:
                if token in vocabulary or vocabulary.compounds(token) or len(token) < 4:
                    fixed.append(token)
                    continue
                better = vocabulary.closest(token)
                fixed.append(better or token)
            if fixed != tokens:
                plan.corrected = " ".join(fixed)
                tokens = fixed
        text = " ".join(tokens)
        replaced = self._glossary(text, plan)
        for index, token in enumerate(tokens):
            if index in replaced:
                continue
            group = [(token,)]
            for longer in vocabulary.compounds(token):
                group.append((longer,))
                plan.boosts[(longer,)] = 0.5
            plan.groups.append(group)
        for index, alternatives in replaced.items():
            if alternatives is not None:
                plan.groups.append(alternatives)
        self._related(tokens, plan)
        return plan

    def _glossary(self, text: str, plan: Plan) -> dict[int, list | None]:
        """Flagged terms in the query: their words form one group with the preferred terms."""
        replaced: dict[int, list | None] = {}
        starts = [m.start() for m in _WORD.finditer(text)]
        for finding in check_text(text, "zoekvraag", self.rules):
            if not finding.suggestions:
                continue
            begin = finding.column - 1
            matched = words(finding.match.replace("…", " "))
            first = next((i for i, s in enumerate(starts) if s >= begin), None)
            if first is None:
                continue
            span = [i for i in range(first, len(starts)) if _WORD.match(text, starts[i]).group(0) in matched]
            span = span[: len(matched)] or [first]
            group: list[tuple[str, ...]] = [tuple(matched)]
            for suggestion in finding.suggestions:
                alternative = tuple(words(suggestion))
                if alternative and alternative not in group:
                    group.append(alternative)
                    plan.boosts[alternative] = 1.0
                    plan.expanded.append(suggestion)
            hint = f"In BUUT heet dit ‘{finding.suggestions[0]}’"
            if hint not in plan.hints:
                plan.hints.append(hint)
            replaced[span[0]] = group
            for i in span[1:]:
                replaced[i] = None
        return replaced

    def _related(self, tokens: list[str], plan: Plan) -> None:
        """A preferred term also finds the terms the begrippenlijst allows in context."""
        for key, others in self.related.items():
            n = len(key)
            for i in range(len(tokens) - n + 1):
                if tuple(tokens[i:i + n]) != key:
                    continue
                for group in plan.groups:
                    if (key[0],) in group or key in group:
                        for other in others:
                            alternative = tuple(words(other))
                            if alternative and alternative not in group:
                                group.append(alternative)
                                plan.boosts[alternative] = 0.4
                                plan.expanded.append(other)
                        break
