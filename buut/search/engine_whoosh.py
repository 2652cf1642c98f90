"""The whoosh engine (`whoosh-reloaded`, pinned in pyproject.toml; unmaintained since 2025).

Only this file imports whoosh. Dutch analysis: words (`(L)VB` is one word), lowercase, diacritics
folded (`client` finds `cliënt`), Dutch stop words, the lemma (`simplemma`: `meldt` -> `melden`)
and then the Snowball Dutch stem. Compounds and synonyms are handled before the engine, in
`query.py`, so another engine gets them for free.

Fields and their weight: `title` (the page title: full weight on the page's opening section,
little on its other sections, so they do not all win on the page's title), `head` (the section heading and the first
words of its text), `body`. A whoosh searcher is not safe to share between threads: every thread
gets its own from the shared index (`_Index.searcher`), which is cheap.
"""
from __future__ import annotations

import heapq
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from whoosh import index, scoring
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from buut.search.documents import Doc
from buut.search.query import STOPWORDS, Plan, lemma

FIELD_BOOSTS = {"title": 3.0, "head": 2.0, "body": 1.0}
TITLE_ELSEWHERE = 0.15  # the title's weight on the page's other sections: context, not the subject
LEAD_WORDS = 30
CACHE_ENTRIES = 1_000_000  # (section, score) pairs kept in the score cache (about 100 MB at most)
STEM_CACHE = 65536  # query words whose stems are kept
COMMON_SHARE, COMMON_MIN = 0.05, 200  # a group found in more sections than this is common
IDF_POWER = 1.0  # how much rarer words count more in "how much of the query matches"  # the opening words of a section count with its heading


class LemmaFilter(Filter):
    """Replaces each word by its dictionary form, (L)VB by LVB."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = lemma(token.text.replace("(", "").replace(")", ""))
            yield token


def dutch_analyzer():
    return (RegexTokenizer(r"\(\w{1,3}\)\w+|\w+") | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(stoplist=STOPWORDS, minsize=1) | LemmaFilter() | StemFilter(lang="nl", cachesize=-1))


def schema() -> Schema:
    analyzer = dutch_analyzer()
    return Schema(
        title=TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["title"]),
        head=TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["head"]),
        body=TEXT(analyzer=analyzer, stored=True),
        page=STORED,  # the page title as shown
        section=STORED,
        kind=ID(stored=True),
        doelgroep=KEYWORD(stored=True, commas=True),
        url=ID(stored=True, unique=True),
        overview=STORED,
    )


class Found(list):
    """The n best sections, and `total`: how many sections the query found in all."""

    total = 0


class WhooshEngine:
    name = "whoosh"

    def build(self, docs: Iterable[Doc], folder: Path) -> None:  # taken one by one, as they come
        ix = index.create_in(str(folder), schema())
        writer = ix.writer(limitmb=256)
        for doc in docs:
            lead = " ".join(doc.body.split()[:LEAD_WORDS])
            writer.add_document(title=doc.title, head=f"{doc.parent} {doc.section} {lead}", body=doc.body,
                                page=doc.title, section=doc.section, kind=doc.kind,
                                doelgroep=",".join(doc.doelgroep), url=doc.url, overview=doc.overview,
                                _title_boost=1.0 if doc.opening else TITLE_ELSEWHERE)
        writer.commit()

    def open(self, folder: Path) -> "_Index":
        return _Index(index.open_dir(str(folder)))


class _Index:
    """An open index. Scoring is whoosh's BM25F, evaluated here over whoosh's postings.

    Each stem, phrase and group of alternatives is scored once per index and kept (up to
    CACHE_ENTRIES scores): the words of medewerkers' queries repeat, and walking whoosh's matcher
    tree for every expanded query was where the time went. A query is then a few dictionary
    merges: per section the sum of its groups, and how much of the query it matched.
    """

    def __init__(self, ix):
        self.ix = ix
        self.analyzer = ix.schema["body"].analyzer
        self._local = threading.local()
        self._lock = threading.Lock()
        self._scores: OrderedDict[tuple, dict[int, float]] = OrderedDict()
        self._kept = 0  # entries in all cached dictionaries
        self._fields: dict[int, dict] = {}  # stored fields of sections shown so far
        self._stems: dict[str, tuple[str, ...]] = {}
        self._weights: dict[tuple[str, ...], float] = {}  # idf of alternatives asked so far
        with ix.searcher() as searcher:
            self.count = searcher.doc_count_all()
            self.kinds = {num: fields["kind"] for num, fields in enumerate(searcher.all_stored_fields())}

    @property
    def searcher(self):
        """This thread's whoosh searcher (whoosh searchers must not be shared between threads)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.ix.searcher(weighting=scoring.BM25F())
        return searcher

    def size(self) -> int:
        return self.ix.doc_count()

    def stems(self, word: str) -> tuple[str, ...]:
        found = self._stems.get(word)
        if found is None:
            found = tuple(token.text for token in self.analyzer(word))
            if len(self._stems) < STEM_CACHE:
                self._stems[word] = found
        return found

    def _cached(self, key, make) -> dict[int, float]:
        """A score dictionary from the cache, or made and kept (the least recently used go first)."""
        with self._lock:
            found = self._scores.get(key)
            if found is not None:
                self._scores.move_to_end(key)
                return found
        found = make()
        with self._lock:
            if key not in self._scores:
                self._scores[key] = found
                self._kept += len(found)
            while self._kept > CACHE_ENTRIES and len(self._scores) > 1:
                self._kept -= len(self._scores.popitem(last=False)[1])
        return found

    def _term(self, stem: str) -> dict[int, float]:
        """The score of every section that holds `stem`: BM25F per field, times the field's weight."""
        return self._cached(("stem", stem), lambda: self._score_stem(stem))

    def _score_stem(self, stem: str) -> dict[int, float]:
        searcher = self.searcher
        found: dict[int, float] = {}
        for field, boost in FIELD_BOOSTS.items():
            if not searcher.doc_frequency(field, stem):
                continue
            scorer = searcher.weighting.scorer(searcher, field, stem)
            matcher = searcher.postings(field, stem)
            while matcher.is_active():
                num = matcher.id()
                found[num] = found.get(num, 0.0) + boost * scorer.score(matcher)
                matcher.next()
        return found

    def _alternative(self, alternative: tuple[str, ...]) -> dict[int, float]:
        """Sections holding every (non-stop) word of an alternative, with the summed score.

        The dictionary may be a cached one: callers read it, never change it.
        """
        if len(alternative) == 1:
            return self._combine(alternative)
        return self._cached(("alternative", alternative), lambda: self._combine(alternative))

    def _combine(self, alternative: tuple[str, ...]) -> dict[int, float]:
        parts = []
        for word in alternative:
            stems = self.stems(word)
            if len(stems) == 1:
                parts.append(self._term(stems[0]))
            elif stems:
                merged: dict[int, float] = {}
                for stem in stems:
                    for num, score in self._term(stem).items():
                        merged[num] = merged.get(num, 0.0) + score
                parts.append(merged)
        if len(parts) <= 1:
            return parts[0] if parts else {}
        parts.sort(key=len)
        first, rest = parts[0], parts[1:]
        return {num: score + sum(p[num] for p in rest) for num, score in first.items() if all(num in p for p in rest)}

    def _group(self, boosts: tuple) -> dict[int, float]:
        """Sections holding any alternative of a group, with the boosted sum of their scores."""
        merged: dict[int, float] = {}
        for alternative, boost in boosts:
            for num, score in self._alternative(alternative).items():
                merged[num] = merged.get(num, 0.0) + boost * score
        return merged

    def _weight(self, alternative: tuple[str, ...]) -> float:
        """How telling an alternative is: the idf of its rarest word (0 when it is not indexed)."""
        found = self._weights.get(alternative)
        if found is None:
            found = self._idf(alternative)
            if len(self._weights) < STEM_CACHE:
                self._weights[alternative] = found
        return found

    def _idf(self, alternative: tuple[str, ...]) -> float:
        searcher = self.searcher
        best = 0.0
        for word in alternative:
            df = max((searcher.doc_frequency(f, s) for f in FIELD_BOOSTS for s in self.stems(word)), default=0)
            if df:
                best = max(best, math.log(1 + self.count / df))
        return best ** IDF_POWER

    def _number(self, url: str) -> int | None:
        """The section stored at this address, if any."""
        return self.searcher.document_number(url=url)

    def _stored(self, num: int) -> dict:
        fields = self._fields.get(num)
        if fields is None:
            fields = self._fields[num] = self.searcher.stored_fields(num)  # the index never changes
        return fields

    def search(self, plan: Plan, soort: str | None, n: int, also: Iterable[str] = ()) -> list[dict]:
        """The n best sections matching any group, and the sections at the addresses `also` (the
        sections that explain a begrip the query names: candidates however many others score higher).

        Each result says how much of the query it matches: `matched`, the summed weight (idf) of
        the groups it matches, out of `groups`, the weight of all groups.
        """
        groups = []  # (weight of the group, {section: score})
        for index, group in enumerate(plan.groups):
            weight = plan.weight(index)
            alternatives = [a for a in group if any(self.stems(w) for w in a)]
            if not alternatives:
                continue
            # The group weighs as its commonest indexed alternative: what it finds is no rarer.
            group_weight = weight * min((w for w in map(self._weight, alternatives) if w), default=0.0)
            boosts = tuple((a, plan.boosts.get(a, 1.0)) for a in alternatives)
            if len(boosts) == 1:
                groups.append((group_weight, weight * boosts[0][1], self._alternative(alternatives[0])))
            else:
                groups.append((group_weight, weight, self._cached(("group", boosts), lambda: self._group(boosts))))
        total = sum(g[0] for g in groups)
        # Candidates come from the selective groups (or, if every word is common, from the least
        # common one); a common word ("buurtteam") only adds to them, so a query costs what its
        # rare words find, not what its common words find.
        limit = max(COMMON_MIN, COMMON_SHARE * self.count)
        selective = [g for g in groups if len(g[2]) <= limit] or [min(groups, key=lambda g: len(g[2]))]
        scores: dict[int, float] = {}
        matched: dict[int, float] = {}
        for group_weight, boost, part in selective:
            for num, score in part.items():
                scores[num] = scores.get(num, 0.0) + boost * score
                matched[num] = matched.get(num, 0.0) + group_weight
        wanted = [num for num in dict.fromkeys(map(self._number, also)) if num is not None]  # once each
        for num in wanted:
            scores.setdefault(num, 0.0)
            matched.setdefault(num, 0.0)
        for group_weight, boost, part in groups:
            if any(part is s[2] for s in selective):
                continue
            for num in scores:
                score = part.get(num)
                if score is not None:
                    scores[num] += boost * score
                    matched[num] += group_weight
        if soort:
            scores = {num: score for num, score in scores.items() if self.kinds.get(num) == soort}
        best = heapq.nlargest(n, scores.items(), key=lambda item: (item[1], -item[0]))
        chosen = {num for num, _ in best}
        best += [(num, scores[num]) for num in wanted if num in scores and num not in chosen]
        results = Found()
        results.total = len(scores)  # every section found, not only the n returned
        for num, score in best:
            fields = self._stored(num)
            results.append({"title": fields["page"], "section": fields["section"], "body": fields["body"],
                            "url": fields["url"], "kind": fields["kind"], "overview": fields.get("overview", False),
                            "doelgroep": tuple(fields.get("doelgroep", "").split(",")),
                            "score": round(score, 3), "matched": round(matched[num], 4), "groups": round(total, 4),
                            "all": matched[num] >= total - 1e-9})
        return results
