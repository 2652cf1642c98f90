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

import math
import threading
from pathlib import Path

from whoosh import index, scoring
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import And, Or, Term
from whoosh.support.charset import accent_map

from .documents import Doc
from .query import STOPWORDS, Plan, lemma

FIELD_BOOSTS = {"title": 3.0, "head": 2.0, "body": 1.0}
TITLE_ELSEWHERE = 0.15  # the title's weight on the page's other sections: context, not the subject
LEAD_WORDS = 30
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


class WhooshEngine:
    name = "whoosh"

    def build(self, docs: list[Doc], folder: Path) -> None:
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
    def __init__(self, ix):
        self.ix = ix
        self.analyzer = ix.schema["body"].analyzer
        self._local = threading.local()

    @property
    def searcher(self):
        """This thread's whoosh searcher (whoosh searchers must not be shared between threads)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.ix.searcher(weighting=scoring.BM25F())
        return searcher

    def size(self) -> int:
        return self.ix.doc_count()

    def stems(self, word: str) -> list[str]:
        return [token.text for token in self.analyzer(word)]

    def _alternative(self, alternative: tuple[str, ...], boost: float):
        parts = []
        for word in alternative:
            stems = self.stems(word)
            if not stems:
                continue  # a stop word on its own
            parts.append(Or([Term(f, s, boost=boost * b) for f, b in FIELD_BOOSTS.items() for s in stems]))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(parts)

    def _weight(self, searcher, stems: list[set[str]]) -> float:
        """How telling an alternative is: the idf of its rarest word (0 when it is not indexed)."""
        n = searcher.doc_count_all()
        best = 0.0
        for forms in stems:
            df = max((searcher.doc_frequency(f, s) for f in FIELD_BOOSTS for s in forms), default=0)
            if df:
                best = max(best, math.log(1 + n / df))
        return best ** IDF_POWER

    def search(self, plan: Plan, soort: str | None, n: int) -> list[dict]:
        """The n best sections matching any group.

        Each result says how much of the query it matches: `matched`, the summed weight (idf) of
        the groups it matches, out of `groups`, the weight of all groups.
        """
        searcher = self.searcher
        groups, needs, weights = [], [], []
        for index, group in enumerate(plan.groups):
            weight = plan.weight(index)
            alternatives = [(a, self._alternative(a, weight * plan.boosts.get(a, 1.0))) for a in group]
            alternatives = [(a, q) for a, q in alternatives if q is not None]
            if not alternatives:
                continue
            groups.append(Or([q for _, q in alternatives]))
            stems = [[set(self.stems(w)) for w in a if self.stems(w)] for a, _ in alternatives]
            needs.append(stems)
            # The group weighs as its commonest indexed alternative: what it finds is no rarer.
            weights.append(weight * min((w for w in (self._weight(searcher, s) for s in stems) if w), default=0.0))
        if not groups:
            return []
        query = Or(groups)
        if soort:
            query = And([query, Term("kind", soort)])
        hits = searcher.search(query, limit=n, terms=True)
        total = sum(weights)
        results = []
        for hit in hits:
            found = {term.decode("utf-8") if isinstance(term, bytes) else term for _, term in hit.matched_terms()}
            matched = sum(weight for alternatives, weight in zip(needs, weights)
                          if any(all(forms & found for forms in words) for words in alternatives))
            fields = hit.fields()
            results.append({"title": fields["page"], "section": fields["section"], "body": fields["body"],
                            "url": fields["url"], "kind": fields["kind"], "overview": fields.get("overview", False),
                            "score": round(hit.score, 3),
                            "matched": round(matched, 4), "groups": round(total, 4),
                            "all": matched >= total - 1e-9})
        return results
