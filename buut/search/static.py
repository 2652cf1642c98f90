"""Search, for the public site without a server: a static index the browser searches.

The public site (Wijknetwerken) is served as plain files, so its search runs in the reader's
browser (`docs/javascripts/zoeken-publiek.js`) over one file, `zoeken/index.json`, written here
while the site is built. The words are understood *here*, in Python, with the same parts the
intranet's search uses (`query.py`, the whoosh analyzer): the browser only looks things up.

- `secties`: each section of the built public pages (the same sections the public whoosh index
  gets, `site_documents`): address, page title, heading, text, how much its kind counts
  (`KIND_PRIOR`), the stems of its heading, and the heading above it without text of its own
  (searched with it, as in the whoosh index).
- `postings`: per stem the sections that hold it, with a BM25F score over page title, heading with
  the first words, and text (weights as `engine_whoosh.FIELD_BOOSTS`).
- `woorden`: every word form of the corpus -> its stems (lemma, then the Snowball stem): `meldt`
  finds `melden`; the browser corrects a typed word to the closest of these forms.
- `samenstellingen`: per word the indexed compounds it starts or ends (`Vocabulary.compounds`),
  and a compound's two parts (`Vocabulary.parts`).
- `uitbreidingen`: what the planner (`Planner`) makes of every synonym, abbreviation, everyday word
  (`spreektaal` of the glossary and of the public partners) and flagged term of the begrippenlijst:
  per phrase its groups of alternatives, each alternative as stems with its weight; `stamzinnen`
  finds a phrase by the stems of its words, so another word form of a synonym finds it too.

Only what the public site shows goes in: the sections come from its built pages, the expansions
from the glossary (the source of the public Begrippenlijst) and the public partners. The leak
gate checks the file like a page (`provenance.check`), it does not trust this module.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from buut.check.terminology import check_text
from buut.search.documents import Doc
from buut.search.query import QUESTION_WORDS, STOPWORDS, Planner, Vocabulary, data_pairs, meaningful, words

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.project import Project

INDEX_FILE = "zoeken/index.json"  # relative to the public site's folder
VERSION = 1
BM25_K1, BM25_B = 1.2, 0.75


@lru_cache(maxsize=1)
def _analyzer():
    from buut.search.engine_whoosh import dutch_analyzer  # whoosh only at build time, as for the whoosh index

    return dutch_analyzer()


@lru_cache(maxsize=65536)
def stems(text: str) -> tuple[str, ...]:
    """The stems the intranet's engine indexes for a text (stop words gone, lemma, Snowball stem)."""
    return tuple(token.text for token in _analyzer()(text))


def build(project: "Project", site_dir: Path) -> dict:
    """The static index of a built public site (see the module text)."""
    from buut.render import site_view
    from buut.search import KIND_PRIOR, OVERVIEW_PRIOR, site_documents

    docs = site_documents(project, "publiek", site_dir)
    counts = Counter(w for doc in docs for w in set(words(f"{doc.title} {doc.section} {doc.body}")))
    vocabulary = Vocabulary(dict(counts), len(docs))
    view = site_view(project, "publiek")
    planner = Planner(project.glossary, project.rules)
    planner.learn(data_pairs(view.voorzieningen, view.partners))
    sections = [[doc.url, doc.title, doc.section, doc.body,
                 OVERVIEW_PRIOR if doc.overview else KIND_PRIOR.get(doc.kind, 1.0),
                 sorted({s for w in words(doc.section or doc.title) if len(w) > 2 and not w.isdigit()
                         and meaningful(w) for s in stems(w)}), doc.parent]
                for doc in docs]
    expansions = _expansions(project, planner, vocabulary)
    forms = set(counts) | {w for phrase in expansions for w in phrase.split()}  # "verstandelijke" too
    by_stems = {}  # "licht verstandelijk beperkt" finds "licht verstandelijke beperking"
    for phrase in expansions:
        key = " ".join("+".join(stems(w)) or w for w in phrase.split())
        by_stems.setdefault(key, phrase)
    return {
        "versie": VERSION,
        "secties": sections,
        "postings": _postings(docs),
        "woorden": {form: list(stems(form)) for form in sorted(forms)},
        "samenstellingen": _compounds(vocabulary),
        "uitbreidingen": expansions,
        "stamzinnen": by_stems,
        "stopwoorden": sorted(STOPWORDS | QUESTION_WORDS),
    }


def write(project: "Project", site_dir: Path) -> Path:
    """Write `zoeken/index.json` into a built public site; returns its path."""
    target = site_dir / INDEX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(build(project, site_dir), ensure_ascii=False, separators=(",", ":")),
                      encoding="utf-8")
    return target


def _postings(docs: list[Doc]) -> dict[str, list]:
    """stem -> [section, score, section, score, …]: BM25 per field, weighted as the whoosh engine does."""
    from buut.search.engine_whoosh import FIELD_BOOSTS, LEAD_WORDS, TITLE_ELSEWHERE

    fields = []
    for doc in docs:
        lead = " ".join(doc.body.split()[:LEAD_WORDS])
        fields.append({"title": Counter(stems(doc.title)), "head": Counter(stems(f"{doc.parent} {doc.section} {lead}")),
                       "body": Counter(stems(doc.body))})
    average = {name: (sum(sum(f[name].values()) for f in fields) / len(fields) if fields else 1.0) or 1.0
               for name in FIELD_BOOSTS}
    frequency = Counter(s for f in fields for s in set().union(*f.values()))
    postings: dict[str, list] = {}
    for number, (doc, found) in enumerate(zip(docs, fields)):
        length = {name: sum(found[name].values()) for name in FIELD_BOOSTS}
        for stem in set().union(*found.values()):
            idf = math.log(1 + (len(docs) - frequency[stem] + 0.5) / (frequency[stem] + 0.5))
            score = 0.0
            for name, boost in FIELD_BOOSTS.items():
                tf = found[name][stem]
                if tf:
                    norm = 1 - BM25_B + BM25_B * length[name] / average[name]
                    weight = boost * (TITLE_ELSEWHERE if name == "title" and not doc.opening else 1.0)
                    score += weight * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm)
            postings.setdefault(stem, []).extend((number, round(idf * score, 3)))
    return postings


def _compounds(vocabulary: Vocabulary) -> dict[str, list]:
    """word -> [[compounds it starts or ends], [its two parts, or nothing]], for words that have any."""
    found = {}
    for word in vocabulary.words:
        longer, parts = vocabulary.compounds(word), vocabulary.parts(word)
        if longer or parts:
            found[word] = [longer, list(parts or ())]
    return found


def _expansions(project: "Project", planner: Planner, vocabulary: Vocabulary) -> dict[str, list]:
    """phrase -> its groups, each [[stems, weight], …] (the typed words first), as the planner plans it.

    The phrases: every synonym, abbreviation and everyday word the planner knows, every term of the
    begrippenlijst, and every word of the corpus that the begrippenlijst's check flags."""
    phrases = {" ".join(key) for key in planner.synonyms} | {" ".join(key) for key in planner.related}
    phrases |= {" ".join(words(term.term)) for _, term in project.glossary.terms()}
    corpus = vocabulary.words
    for finding in check_text("\n".join(corpus), "zoekindex", project.rules):
        if finding.suggestions and 0 < finding.line <= len(corpus):
            phrases.add(corpus[finding.line - 1])
    expansions = {}
    for phrase in sorted(p for p in phrases if p):
        plan = planner.plan(phrase, vocabulary, correct=False, forms=False)
        if not plan.expanded:
            continue
        expansions[phrase] = [[[list(stems(" ".join(alternative))), plan.boosts.get(alternative, 1.0)]
                               for alternative in group if stems(" ".join(alternative))]
                              for group in plan.groups]
    return expansions


def public_words(project: "Project") -> tuple[str, ...]:
    """What the static index may know besides the public pages' text (`provenance.Sources`): the
    glossary (the source of the public Begrippenlijst) and the public partners' everyday words."""
    from buut.render import site_view

    glossary, view = project.glossary, site_view(project, "publiek")
    found = [term.term for _, term in glossary.terms()]
    for _, term in glossary.terms():
        found += [*term.synoniemen, *(s.woord for s in term.spreektaal), *term.vervang_door]
    for afkorting in glossary.afkortingen:
        found += [afkorting.afkorting, afkorting.voluit, *afkorting.synoniemen, *(s.woord for s in afkorting.spreektaal)]
    for owner in (*view.voorzieningen, *view.partners):
        found += [getattr(owner, "naam", ""), getattr(owner, "afkorting", "") or "", *(s.woord for s in owner.spreektaal)]
    return tuple(w for w in found if w)
