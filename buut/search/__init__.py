"""Search: BUUT's own small search interface, indexes built from the sites and queries answered.

Takes the project and a built site (its HTML pages), and gives a search index beside the site
and `Searcher`, which answers a query with sections, an answer card and hints. The public site's
static index (`static`) is made here too; `buut.build` calls both, `buut.serve` asks.

Callers (`buut build`, `buut zoek`, the `/api/zoek` endpoint, the benchmarks) use only this module:

    build_index(project, site, site_dir, index_dir)     # after a site is built
    stage_index(...) + swap_index(...)                   # the same in two steps (`buut build`: with the sites)
    searcher = Searcher.open(index_dir, project)         # cheap to keep open; safe to share between threads
    answer = searcher.search("pgb aanvragen", soort=None, n=10)

The engine behind it is whoosh (`whoosh-reloaded`, pinned: it is no longer maintained). An engine is
a small class with `build(docs, folder)` and `open(folder)` returning an object with
`search(plan, soort, n)` (the n best sections, each with how much of the query it matched),
`stems(word)` and `size()`; it keeps one whoosh searcher per thread. Query understanding
(begrippenlijst, synonyms, word forms, compounds, typos) lives in `query.py`, the answer cards in
`cards.py`; ranking (how much of the query, kind of section, headings) is below, engine-independent.

An index is written into a new folder and swapped in with a rename, so a running search keeps
reading the old index until the new one is complete.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from buut.search.cards import Card, Cards, build_cards, write_cards
from buut.search.documents import EDITORS, KINDS, Doc, iter_documents
from buut.search.query import (
    MAX_QUERY,
    STOPWORDS,
    Planner,
    Plan,
    Vocabulary,
    data_pairs,
    lemma,
    meaningful,
    normalise,
    words,
)

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.project import Project

INDEX_ROOT = "site/.zoekindex"  # beside the sites, never inside one (not served as a file)
VOCABULARY_FILE = "woorden.json"
SPREEKTAAL_FILE = "spreektaal.json"  # the everyday words of the site's voorzieningen and partners
EDITOR_WORDS_FILE = "redacteuren.json"  # words that ask for the pages for editors (see editor_words)
EDITOR_WORD_SECTIONS = 2
ASKS_EDITORS = frozenset({"buut", "redactie", "redacteur", "redacteuren", "handboek", "intranet"})
DEFAULT_ENGINE = "whoosh"


@dataclass(frozen=True)
class Hit:
    title: str
    section: str
    url: str
    kind: str
    snippet: str
    score: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    query: str
    corrected: str | None = None
    expanded: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    message: str | None = None
    results: list[Hit] = field(default_factory=list)
    card: Card | None = None  # what the query clearly names (a voorziening, partner or begrip)
    total: int = 0  # sections found in all (the results are `offset`… of them)
    offset: int = 0
    # Did the answer find what was asked: results with every word of the question (a word the index
    # does not know at all counts as not found)? Feedback records the questions where it did not.
    full_match: bool = False

    def to_dict(self) -> dict:
        return {"query": self.query, "corrected": self.corrected, "expanded": self.expanded,
                "hints": self.hints, "message": self.message, "card": self.card.to_dict() if self.card else None,
                "total": self.total, "offset": self.offset, "results": [h.to_dict() for h in self.results]}

    def count_text(self) -> str:
        """"3 resultaten", or "eerste 10 van 57" / "resultaat 11–20 van 57" when there are more."""
        shown = len(self.results)
        if shown == self.total:
            return f"{shown} {'resultaat' if shown == 1 else 'resultaten'}"
        if self.offset == 0:
            return f"eerste {shown} van {self.total}"
        return f"resultaat {self.offset + 1}–{self.offset + shown} van {self.total}"



def engine(name: str = DEFAULT_ENGINE):
    if name == "whoosh":
        from buut.search.engine_whoosh import WhooshEngine

        return WhooshEngine()
    raise ValueError(f"onbekende zoekmachine '{name}'; BUUT kent alleen whoosh")


def index_dir(root: Path, site: str) -> Path:
    return root / INDEX_ROOT / site


def build_index(project: "Project", site: str, site_dir: Path, target: Path | None = None,
                engine_name: str = DEFAULT_ENGINE) -> int:
    """Index every section of a built site, with its answer cards; returns the number of sections."""
    target = target or index_dir(project.root, site)
    staged, sections = stage_index(project, site, site_dir, target, engine_name)
    swap_index(staged, target)
    return sections


def stage_index(project: "Project", site: str, site_dir: Path, target: Path,
                engine_name: str = DEFAULT_ENGINE, pages: Mapping[str, str] | None = None) -> tuple[Path, int]:
    """Write the index of a built site beside `target` without swapping it in: (its folder, sections).

    `pages`: the site's pages as the build wrote them ({"a/b/index.html": html}), so they are not
    read back from `site_dir`; a mapping whose `get` waits lets the index take each page while the
    site is still being built. The answer cards look at `site_dir` once every page is in.
    """
    from buut.render import site_view

    docs = iter_site_documents(project, site, site_dir if pages is None else pages)
    view = site_view(project, site)
    return _write_staged(docs, target, engine_name, lambda: build_cards(project, site, site_dir),
                         list(data_pairs(view.voorzieningen, view.partners)))


def site_documents(project: "Project", site: str, site_dir: Path | Mapping[str, str]) -> list[Doc]:
    """The sections of a built site, with its overview pages (generated lists, not one subject) marked."""
    return list(iter_site_documents(project, site, site_dir))


def iter_site_documents(project: "Project", site: str, site_dir: Path | Mapping[str, str]) -> Iterator[Doc]:
    from buut.render import COMPOSED, site_view  # COMPOSED: the werkkader as one page, found in its chapters

    view = site_view(project, site)
    partner_pages = {p.id for p in view.partners}
    overviews = frozenset(g.uri for g in view.generated if g.meta.soort != "begrip" and g.uri.stem not in partner_pages)

    pages = [p for p in view.content.pages + view.generated if str(p.uri) not in COMPOSED]
    return iter_documents(site_dir, pages, overviews, editor_pages(pages))


def editor_pages(pages) -> frozenset:
    """The pages for editors and about BUUT itself: the handbook and the pages "Over BUUT" lists."""
    from buut.render.lifecycle import OVER_PAGES, OVER_URI, REDACTIE_URI, WIJZIGINGEN_URI

    about = {uri for uri, _, _ in OVER_PAGES} | {OVER_URI, REDACTIE_URI, WIJZIGINGEN_URI}
    return frozenset(p.uri for p in pages if str(p.uri) in about or str(p.uri).startswith("handboek/"))


def write_index(docs: list[Doc], target: Path, engine_name: str = DEFAULT_ENGINE, cards: list[Card] = ()) -> int:
    staged, sections = _write_staged(docs, target, engine_name, lambda: cards)
    swap_index(staged, target)
    return sections


def _write_staged(docs: Iterable[Doc], target: Path, engine_name: str,
                  cards: Callable[[], Iterable[Card]], spreektaal: list = ()) -> tuple[Path, int]:
    """The engine takes the sections one by one (as they come); the vocabulary and cards follow."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-nieuw-", dir=target.parent))
    taken: list[Doc] = []

    def take() -> Iterator[Doc]:
        for doc in docs:
            taken.append(doc)
            yield doc

    try:
        engine(engine_name).build(take(), staging)
        counts = Counter(w for doc in taken for w in set(words(f"{doc.title} {doc.section} {doc.body}")))
        (staging / VOCABULARY_FILE).write_text(json.dumps(counts, ensure_ascii=False), encoding="utf-8")
        (staging / EDITOR_WORDS_FILE).write_text(json.dumps(editor_words(taken), ensure_ascii=False), encoding="utf-8")
        (staging / "engine.txt").write_text(engine_name, encoding="utf-8")
        write_cards(list(cards()), staging)
        (staging / SPREEKTAAL_FILE).write_text(json.dumps(list(spreektaal), ensure_ascii=False), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, len(taken)


def editor_words(docs: list[Doc]) -> list[str]:
    """Words that ask for the editors' pages: those of their titles that pages for medewerkers
    hardly use ("werklijst", "taalcontrole", "prestaties": in no title or heading, in at most
    EDITOR_WORD_SECTIONS sections), and ASKS_EDITORS."""
    headings: set[str] = set()
    sections: Counter = Counter()
    for doc in docs:
        if EDITORS not in doc.doelgroep:
            headings.update(words(f"{doc.title} {doc.section}"))
            sections.update(set(words(doc.body)))
    said = {w for doc in docs if EDITORS in doc.doelgroep for w in words(doc.title)}
    return sorted(w for w in said | ASKS_EDITORS if w in ASKS_EDITORS or meaningful(w) and len(w) > 3
                  and w not in headings and sections[w] <= EDITOR_WORD_SECTIONS)


def swap_index(staged: Path, target: Path) -> None:
    """Put a staged index in place with a rename: a running search reads the old one until then."""
    old = target.with_name(f".{target.name}-oud-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staged, target)
    shutil.rmtree(old, ignore_errors=True)


class Searcher:
    """An open index plus the query planner. Reopens itself when the index was swapped.

    One Searcher serves every thread of a server: the engine gives each thread its own whoosh
    searcher (whoosh searchers are not thread-safe) over the one open index and its caches.
    """

    def __init__(self, folder: Path, planner: Planner, cache_size: int | None = None):
        self.folder, self.planner = folder, planner
        # Answers to recent questions; most questions on an intranet are asked again. Emptied
        # when the index is swapped. BUUT_ZOEK_CACHE=0 switches it off (benchmarks measure both).
        self.cache_size = int(os.environ.get("BUUT_ZOEK_CACHE", CACHE_SIZE)) if cache_size is None else cache_size
        self._cache: OrderedDict[tuple, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self._open()

    @classmethod
    def open(cls, folder: Path, project: "Project") -> "Searcher":
        return cls(folder, Planner(project.glossary, project.rules))

    def _open(self) -> None:
        if not (self.folder / VOCABULARY_FILE).is_file():
            raise FileNotFoundError(f"geen zoekindex in {self.folder}; draai eerst 'buut build'")
        self.stamp = os.stat(self.folder).st_ino
        name = (self.folder / "engine.txt").read_text(encoding="utf-8").strip()
        self.index = engine(name).open(self.folder)
        counts = json.loads((self.folder / VOCABULARY_FILE).read_text(encoding="utf-8"))
        self.vocabulary = Vocabulary(counts, self.index.size())
        self.cards = Cards.load(self.folder)
        path = self.folder / EDITOR_WORDS_FILE
        self.editor_words = frozenset(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else ASKS_EDITORS
        if (self.folder / SPREEKTAAL_FILE).is_file():
            self.planner.learn(json.loads((self.folder / SPREEKTAAL_FILE).read_text(encoding="utf-8")))
        with self._lock:
            self._cache.clear()

    def _fresh(self) -> None:
        try:
            if os.stat(self.folder).st_ino != self.stamp:
                self._open()
        except FileNotFoundError:
            pass  # mid-swap: keep the index that is open

    def ready(self) -> int:
        """The number of sections in the index as it is on disk now (for /readyz); raises when unreadable."""
        self._fresh()
        if not (self.folder / VOCABULARY_FILE).is_file():
            raise FileNotFoundError(f"geen zoekindex in {self.folder}")
        return self.index.size()

    def search(self, query: str, soort: str | None = None, n: int = 10, offset: int = 0) -> Answer:
        self._fresh()
        key = (query[:MAX_QUERY + 1], soort, n, offset)  # the planner reads no further either
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        answer = self._search(query, soort, n, offset)
        if self.cache_size > 0:
            with self._lock:
                self._cache[key] = answer
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return answer

    def _search(self, query: str, soort: str | None, n: int, offset: int = 0) -> Answer:
        answer = Answer(query=query)
        if soort is not None and soort not in KINDS:
            answer.message = f"Onbekende soort '{soort}'. Kies uit: {', '.join(KINDS)}."
            return answer
        n = max(1, min(int(n), MAX_RESULTS))
        answer.offset = offset = max(0, min(int(offset), MAX_DEPTH - n))
        plan = self.planner.plan(query, self.vocabulary)
        if plan.truncated:
            answer.message = f"Uw zoekvraag is ingekort tot de eerste {MAX_QUERY} tekens."
        if not plan.groups:
            answer.message = "Typ een of meer woorden om te zoeken."
            return answer
        answer.expanded, answer.hints = plan.expanded, plan.hints
        if plan.corrected:
            answer.corrected = plan.corrected
        if soort is None:
            answer.card = self.cards.named(plan)
        ranked, answer.total = self._ranked(plan, soort, offset + n)
        if plan.corrected:  # "Bedoelde u …?" only when the correction changes what is found
            as_typed = self.planner.plan(query, self.vocabulary, correct=False)
            if [r["url"] for r in self._ranked(as_typed, soort, offset + n)[0]] == [r["url"] for r in ranked]:
                plan.corrected = answer.corrected = None
        results = ranked[offset:offset + n]
        if not results and not answer.message:
            answer.message = "Niets gevonden. Probeer andere of minder woorden."
        elif len(plan.groups) > 1 and not any(r.get("all") for r in results):
            answer.message = answer.message or "Geen resultaten met alle woorden; dit zijn resultaten met een deel ervan."
        answer.results = [Hit(r["title"], r["section"], r["url"], r["kind"], snippet(r["body"], plan), r["score"])
                          for r in results]
        unknown = any(not any(self.vocabulary.knows(w) for alternative in group for w in alternative)
                      for group in plan.groups)
        answer.full_match = bool(results) and bool(results[0].get("all")) and not unknown
        return answer

    def _ranked(self, plan: Plan, soort: str | None, wanted: int) -> tuple[list[dict], int]:
        """The ranked sections (at least DEPTH, or as many as asked for) and how many were found."""
        # Always the same number of candidates for the first pages, whatever n is: the order never
        # depends on n. Paging further ranks more candidates.
        for_editors = any(w in self.editor_words or lemma(w) in self.editor_words for w in plan.typed)
        explained = self.cards.explained(plan)
        found = self.index.search(plan, soort, max(DEPTH, wanted), also=explained)
        total = getattr(found, "total", len(found))
        ranked = _collapse(_rerank(found, plan, for_editors, explained))
        if not for_editors:  # pages for editors after every page for medewerkers, also after collapsing
            ranked.sort(key=lambda r: EDITORS in r.get("doelgroep", ()))
        return ranked, total


MAX_RESULTS = 50
MAX_DEPTH = 500  # how far paging goes (`offset` + n)
EXPLAINS_BONUS = 2.0  # per begrip of the query that this section explains (glossary.yml `uitleg`)
DEPTH = 80  # candidates ranked for every query (more than MAX_RESULTS, so collapsing loses none)
COVERAGE_POWER = 1  # a section matching half of the query (by idf) keeps half of its score
HEADING_BONUS = 2.5  # the heading says just what was asked
HEADING_SHARE_BONUS = 1.8  # at most, for a heading that holds every word asked, and more
ADDRESS_BONUS = 2.0  # at most, for a section whose page title and heading together say every word asked
# Sections that explain (werkkader, werkinstructies, the FAQ) before those that mention.
KIND_PRIOR = {"werkkader": 1.0, "werkinstructie": 1.0, "vragen": 1.0, "begrip": 0.5, "partner": 0.7, "pagina": 0.8}
OVERVIEW_PRIOR = 0.6  # pages that list many things (the werkproces per voorziening, indexes)
ASKING_BONUS = 1.3  # the heading asks the query's question ("wie", "wanneer", "moet")
META_SECTIONS = {"bron", "wat de bronnen openlaten", "contact", "in de werkinstructies"}
META_WEIGHT = 0.5
STEM_PREFIX = 6  # words that start alike for this many letters count as the same word
EDITOR_WEIGHT = 0.02  # pages for editors, when the query does not ask for them: after every other result
PER_PAGE = 2  # sections of one page before other pages get their turn (the FAQ: each question its own)
CACHE_SIZE = 1024  # answers kept (a few MB at most)


def _collapse(results: list[dict]) -> list[dict]:
    """The best two sections of each page first; a page's further sections move to the end.

    Each question of the FAQ (soort `vragen`) is an answer of its own and counts as a page.
    """
    seen: Counter = Counter()
    first, later = [], []
    for result in results:
        page = result["url"] if result.get("kind") == "vragen" else result["url"].split("#", 1)[0]
        seen[page] += 1
        (first if seen[page] <= PER_PAGE else later).append(result)
    return first + later


def _rerank(results: list[dict], plan: Plan, for_editors: bool = True, explained: list[str] = ()) -> list[dict]:
    """Order by how much of the query a section matches, then by what kind of section it is.

    The engine's score (BM25F) is multiplied by the share of the query's words the section
    matches (squared), and by the prior of its kind. A section whose heading says just what was
    asked gets a bonus. Sections about the page rather than its subject (sources, open points,
    contact data, backlinks) weigh less: their words are many and rarely the answer.

    A heading "says just what was asked" when each of its words (numbers and short words aside)
    starts like a word of the query or one of its alternatives (`schuldhulpverlening` →
    "2.8.3 Schuldhulpverlening", `vroeg eropaf` → "Vroeg Eropaf"). A section's address (page title
    and heading) that says more of the query weighs more: for "wie beslist over de toegang tot hulp
    bij het huishouden", "Hulp bij het huishouden › Wie beslist over de toegang?" says all of it,
    the page's opening ("Hulp bij het huishouden") a third.
    """
    asked = {term[:STEM_PREFIX] for term in plan.terms()}
    groups = [{w[:STEM_PREFIX] for alternative in group for w in alternative} for group in plan.groups]

    def share(prefixes: frozenset[str]) -> float:
        return sum(1 for g in groups if g & prefixes) / len(groups) if groups else 1.0

    for result in results:
        score = result["score"]
        if result.get("groups"):  # the share of the query matched, each word weighted by its idf
            score *= (result["matched"] / result["groups"]) ** COVERAGE_POWER
        result["coverage"] = result.get("matched", 0) / result["groups"] if result.get("groups") else 1.0
        score *= OVERVIEW_PRIOR if result.get("overview") else KIND_PRIOR.get(result.get("kind"), 1.0)
        address = _address(result["section"], result["title"])
        if address.meta:
            score *= META_WEIGHT
        if address.heading and address.heading <= asked:
            score *= HEADING_BONUS
        elif address.heading and groups:
            # A heading that says much of what was asked (a FAQ question in other words).
            score *= 1 + (HEADING_SHARE_BONUS - 1) * share(address.heading)
        score *= 1 + (ADDRESS_BONUS - 1) * share(address.said)
        if plan.asking & address.forms:
            score *= ASKING_BONUS
        if not for_editors and EDITORS in result.get("doelgroep", ()):
            score *= EDITOR_WEIGHT
        result["score"] = round(score, 3)
    # The section that explains a begrip the query names comes first (the one that explains two,
    # for "verschil maatwerkvoorziening algemene voorziening", before one that explains one).
    best = max((r["score"] for r in results), default=0.0)
    for result in results:
        count = explained.count(result["url"])
        if count:
            result["score"] = round(max(result["score"] * EXPLAINS_BONUS ** count, best * (1 + 0.01 * count)), 3)
    return sorted(results, key=lambda r: (-r["score"], r["url"]))


class _Address(NamedTuple):
    """What ranking reads of a section's address (the same for every query that finds it)."""
    heading: frozenset[str]  # the STEM_PREFIX prefixes of its heading's telling words
    said: frozenset[str]  # … of the meaningful words of heading and page title together
    forms: frozenset[str]  # the heading's words and their dictionary forms
    meta: bool  # a section about the page rather than its subject


@lru_cache(maxsize=8192)
def _address(section: str, title: str) -> _Address:
    said = words(section or title)
    heading = frozenset(w[:STEM_PREFIX] for w in said if len(w) > 2 and not w.isdigit() and meaningful(w))
    whole = said + (words(title) if section else [])
    return _Address(heading, frozenset(w[:STEM_PREFIX] for w in whole if meaningful(w)),
                    frozenset(form for w in said for form in (w, lemma(w))), normalise(section) in META_SECTIONS)


@lru_cache(maxsize=1024)
def _any_prefix(prefixes: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, prefixes)) + ")")


def snippet(body: str, plan: Plan, width: int = 220) -> str:
    """A piece of the section around the first query word, in any of its forms (or its opening)."""
    folded = normalise(body)
    prefixes = {form[:STEM_PREFIX] for term in plan.terms() for form in (term, lemma(term)) if form not in STOPWORDS}
    # The leftmost match of any prefix is where the first of them occurs.
    first = _any_prefix(tuple(sorted(prefixes))).search(folded) if prefixes else None
    start = max(0, first.start() - 60) if first else 0
    text = body[start:start + width]
    if start > 0:
        text = "…" + text[text.find(" ") + 1:] if " " in text else "…" + text
    if start + width < len(body):
        text = text[: text.rfind(" ")] + " …" if " " in text else text + "…"
    return text
