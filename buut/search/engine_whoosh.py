"""The whoosh engine (`whoosh-reloaded`, pinned in pyproject.toml; unmaintained since 2025).

Only this file imports whoosh. Dutch analysis: words, lowercase, diacritics folded (`client`
finds `cliënt`), Dutch stop words, Snowball Dutch stemmer. Compounds and synonyms are handled
before the engine, in `query.py`, so another engine gets them for free.
"""
from __future__ import annotations

import threading
from pathlib import Path

from whoosh import index, scoring
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang import stopwords_for_language
from whoosh.query import And, Or, Term
from whoosh.support.charset import accent_map

from .documents import Doc
from .query import Plan

FIELD_BOOSTS = {"title": 3.0, "section": 2.0, "body": 1.0}


def dutch_analyzer():
    return (RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(stoplist=stopwords_for_language("nl"), minsize=1) | StemFilter(lang="nl"))


def schema() -> Schema:
    analyzer = dutch_analyzer()
    return Schema(
        title=TEXT(analyzer=analyzer, stored=True, field_boost=FIELD_BOOSTS["title"]),
        section=TEXT(analyzer=analyzer, stored=True, field_boost=FIELD_BOOSTS["section"]),
        body=TEXT(analyzer=analyzer, stored=True),
        kind=ID(stored=True),
        doelgroep=KEYWORD(stored=True, commas=True),
        url=ID(stored=True, unique=True),
        order=STORED,
    )


class WhooshEngine:
    name = "whoosh"

    def build(self, docs: list[Doc], folder: Path) -> None:
        ix = index.create_in(str(folder), schema())
        writer = ix.writer(limitmb=256)
        for order, doc in enumerate(docs):
            writer.add_document(title=doc.title, section=doc.section, body=doc.body, kind=doc.kind,
                                doelgroep=",".join(doc.doelgroep), url=doc.url, order=order)
        writer.commit()

    def open(self, folder: Path) -> "_Index":
        return _Index(index.open_dir(str(folder)))


class _Index:
    """An open index. The index may be shared between threads; a whoosh searcher may not (its
    posting readers share file positions), so every thread gets its own."""

    def __init__(self, ix):
        self.ix = ix
        self.analyzer = ix.schema["body"].analyzer
        self._local = threading.local()

    @property
    def searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.ix.searcher(weighting=scoring.BM25F())
        return searcher

    def size(self) -> int:
        return self.ix.doc_count()

    def _stems(self, word: str) -> list[str]:
        return [token.text for token in self.analyzer(word)]

    def _alternative(self, alternative: tuple[str, ...], boost: float):
        parts = []
        for word in alternative:
            stems = self._stems(word)
            if not stems:
                continue  # a stop word on its own
            parts.append(Or([Term(f, s, boost=boost * b) for f, b in FIELD_BOOSTS.items() for s in stems]))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(parts)

    def query(self, plan: Plan, require_all: bool = True):
        groups = []
        for group in plan.groups:
            alternatives = [self._alternative(a, plan.boosts.get(a, 1.0)) for a in group]
            alternatives = [a for a in alternatives if a is not None]
            if alternatives:
                groups.append(Or(alternatives))
        if not groups:
            return None
        return And(groups) if require_all else Or(groups)

    def search(self, plan: Plan, soort: str | None, n: int, require_all: bool = True) -> list[dict]:
        query = self.query(plan, require_all)
        if query is None:
            return []
        if soort:
            query = And([query, Term("kind", soort)])
        hits = self.searcher.search(query, limit=n)
        return [{**hit.fields(), "score": round(hit.score, 3)} for hit in hits]
