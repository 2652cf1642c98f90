"""A second engine behind the same interface: tantivy (tantivy-py), the one a user would pick instead.

Used by `benchmarks/search.py` to compare index time, latency and relevance with whoosh on the
same documents and the same query plans. Installed with `pip install -e '.[bench]'`; BUUT itself
does not need it. Dutch analysis: tantivy's own tokenizer, lowercase, ASCII folding, Dutch stemmer.
"""
from __future__ import annotations

from pathlib import Path

import tantivy

from .documents import Doc
from .query import Plan

FIELD_BOOSTS = {"title": 3.0, "section": 2.0, "body": 1.0}
TOKENIZER = "buut_nl"


def _analyzer():
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold()).filter(tantivy.Filter.stemmer("dutch")).build())


def _schema():
    builder = tantivy.SchemaBuilder()
    for name in FIELD_BOOSTS:
        builder.add_text_field(name, stored=True, tokenizer_name=TOKENIZER)
    builder.add_text_field("kind", stored=True, tokenizer_name="raw")
    builder.add_text_field("url", stored=True, tokenizer_name="raw")
    return builder.build()


class TantivyEngine:
    name = "tantivy"

    def build(self, docs: list[Doc], folder: Path) -> None:
        index = tantivy.Index(_schema(), path=str(folder))
        index.register_tokenizer(TOKENIZER, _analyzer())
        writer = index.writer(heap_size=128_000_000, num_threads=1)
        for doc in docs:
            writer.add_document(tantivy.Document(title=doc.title, section=doc.section, body=doc.body,
                                                 kind=doc.kind, url=doc.url))
        writer.commit()
        writer.wait_merging_threads()

    def open(self, folder: Path) -> "_Index":
        return _Index(folder)


class _Index:
    def __init__(self, folder: Path):
        self.index = tantivy.Index.open(str(folder))
        self.index.register_tokenizer(TOKENIZER, _analyzer())
        self.index.reload()
        self.schema = self.index.schema
        self.analyzer = _analyzer()

    def size(self) -> int:
        return self.index.searcher().num_docs

    def _alternative(self, alternative: tuple[str, ...], boost: float):
        parts = []
        for word in alternative:
            stems = self.analyzer.analyze(word)
            if not stems:
                continue
            parts.append(tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.term_query(self.schema, field, stem), boost * field_boost))
                for field, field_boost in FIELD_BOOSTS.items() for stem in stems]))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Must, p) for p in parts])

    def search(self, plan: Plan, soort: str | None, n: int, require_all: bool = True) -> list[dict]:
        groups = []
        for group in plan.groups:
            alternatives = [self._alternative(a, plan.boosts.get(a, 1.0)) for a in group]
            alternatives = [a for a in alternatives if a is not None]
            if alternatives:
                groups.append(tantivy.Query.boolean_query([(tantivy.Occur.Should, a) for a in alternatives]))
        if not groups:
            return []
        occur = tantivy.Occur.Must if require_all else tantivy.Occur.Should
        clauses = [(occur, g) for g in groups]
        if soort:
            clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "kind", soort)))
        searcher = self.index.searcher()
        found = searcher.search(tantivy.Query.boolean_query(clauses), n).hits
        results = []
        for score, address in found:
            doc = searcher.doc(address)
            results.append({name: (doc.get_first(name) or "") for name in ("title", "section", "body", "kind", "url")}
                           | {"score": round(score, 3)})
        return results
