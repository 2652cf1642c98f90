"""From what a medewerker types to what the engine looks for: engine-independent.

A query becomes a `Plan`: a list of groups, one per meaningful word (or phrase) of the query; a
group is a list of alternatives, any of which may match; an alternative is one or more words that
must all match. A section need not match every group: the engine ranks sections by how much of the
query they match (see `Searcher`), so a long question still finds the section that answers most of it.

- **Questions**: question and modal words ("wat", "mag", "kun") and stop words are removed before
  the query is capped at MAX_WORDS, so a long question keeps its meaningful words.
- **Word forms**: the engine indexes and looks up the lemma (`simplemma`, Dutch) and then the stem
  of every word, so `meldt` finds `melden` and `mag` finds `mogen`.
- **Begrippenlijst**: BUUT's own terminology check (`glossary.yml`) runs over the query. A word the
  check flags ("intake", "doorverwijzen") gets the preferred terms as alternatives, and the answer
  says so. A preferred term gets the terms that the begrippenlijst allows in context ("ook wel").
- **Synonyms and abbreviations** (`synoniemen`, `afkortingen` in `glossary.yml`): "HbH" also finds
  "Hulp bij het huishouden" and back, "casemanager" also finds "regievoerder". The user's own
  word always stays one of the alternatives.
- **Compounds**: a word also matches indexed compounds it starts or ends, when the rest is itself an
  indexed word of at least MIN_PART letters: "hulpverlening" finds "schuldhulpverlening", but
  "eens" does not find "alleenstaand". The other way round, a compound also finds its two parts
  apart ("toegangsbepaling": "toegang" and "bepaling"). Stop and question words are never expanded.
- **Typos**: a word that is in no indexed text (in none of its forms) is replaced by the closest
  indexed word, and the answer asks "Bedoelde u …?".
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from buut.check.terminology import RuleSet, check_text, fold
from buut.model import Finding, Glossary, Level

MAX_QUERY = 200  # characters used; the rest of a very long query is ignored (and said so)
MAX_WORDS = 12  # meaningful words (after question and stop words are gone)
MIN_PART = 4  # a compound part must be at least this long
MAX_EXPANSIONS = 6
COMMON_SHARE = 0.01
VERB_WEIGHT = 0.5  # see verb_like
LINKS = ("s", "en", "e")  # Dutch linking letters between compound parts (werkingsgebied, kindeplek)

# Dutch stop words (the Snowball list): not indexed, not looked for, never a compound part.
STOPWORDS = frozenset("""
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens
en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je
kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook
op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil
worden wordt zal ze zelf zich zij zijn zo zonder zou
""".split())
# Words that make a question a question; they say nothing about what is asked.
QUESTION_WORDS = frozenset("""
welk welke waar waarom wanneer waarvoor waarmee waarover hoeveel hoelang mag mogen moeten mocht kun
kunt kunnen wilt willen zouden jij jou jouw jullie we wij onze ons graag eigenlijk precies even
iemand ergens gebeurt gebeuren doet deed deden gedaan ga gaat gaan hebt bent zult krijg
""".split())
# Question words that a heading can share with a question ("Wanneer een ondersteuningsplan",
# "Wie beslist over de toegang", "Moet je als medewerker …"): not searched, but a heading that
# asks the same question is lifted.
ASKING = frozenset("wie wanneer waar hoe hoeveel waarom welk welke mogen moeten kunnen".split())

_WORD = re.compile(r"\w+", re.UNICODE)
_OPTIONAL_LETTER = re.compile(r"\((\w{1,3})\)(?=\w)")  # (L)VB -> LVB, (on)bekend -> onbekend


@lru_cache(maxsize=8192)  # headings and texts of sections come back with every query that finds them
def normalise(text: str) -> str:
    """Lowercase, diacritics folded (cliënt -> client), control characters gone, (L)VB -> lvb."""
    if not text.isprintable():  # fast path: most text has no control or format characters
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")
    return _OPTIONAL_LETTER.sub(r"\1", fold(text).lower())


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(normalise(text)) if not w.isdigit() or len(w) > 1]


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The dictionary form of a (normalised) Dutch word: meldt -> melden, mag -> mogen.

    A word whose dictionary form is a stop word keeps its own form ("eerste" is not "een").
    """
    import simplemma  # here, not at the top: `buut check` loads the glossary, not the lemmatiser

    found = fold(simplemma.lemmatize(word, lang="nl")).lower().replace("_", "")  # op_stellen
    return word if found in STOPWORDS else found


def verb_like(word: str) -> bool:
    """A word whose dictionary form looks like a Dutch infinitive (aanvragen, meldt -> melden).

    In a query the noun names the subject and the verb the action ("pgb aanvragen"); the section
    that explains the subject rarely repeats the verb, so a verb counts for less. A noun that
    ends in -en (huishouden) is counted as a verb too: it still counts, just less.
    """
    form = lemma(word)
    return len(form) > 4 and form.endswith("en")


def meaningful(word: str) -> bool:
    return word not in STOPWORDS and word not in QUESTION_WORDS


@dataclass
class Plan:
    groups: list[list[tuple[str, ...]]] = field(default_factory=list)  # OR of AND, one per query word
    boosts: dict[tuple[str, ...], float] = field(default_factory=dict)
    expanded: list[str] = field(default_factory=list)  # terms the begrippenlijst added
    hints: list[str] = field(default_factory=list)  # "In BUUT heet dit ‘eerste gesprek’"
    corrected: str | None = None
    truncated: bool = False
    asking: set[str] = field(default_factory=set)  # question words of the query, as dictionary forms
    weights: list[float] = field(default_factory=list)  # per group: how much it says what is asked
    typed: list[str] = field(default_factory=list)  # the query's words as searched (after correction)
    flagged: list[str] = field(default_factory=list)  # terms of the begrippenlijst the check found in the query

    def weight(self, index: int) -> float:
        return self.weights[index] if index < len(self.weights) else 1.0

    def terms(self) -> set[str]:
        return {w for group in self.groups for alternative in group for w in alternative}


class Vocabulary:
    """The indexed words (normalised, unstemmed) with their document frequency."""

    def __init__(self, counts: dict[str, int], sections: int | None = None):
        self.counts = counts
        self.words = sorted(counts)
        self.reversed = sorted(w[::-1] for w in counts)
        self.sections = sections or max(counts.values(), default=1)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def knows(self, word: str) -> bool:
        """Is this word, or its dictionary form, in the indexed text?"""
        return word in self.counts or lemma(word) in self.counts

    def _word(self, part: str) -> bool:
        """Is `part` a word of the index: indexed itself, as its dictionary form, or as the start
        of another indexed word (schuld: schulden, schuldeisers)?"""
        if len(part) < MIN_PART or not meaningful(part):
            return False
        if part in self.counts or lemma(part) in self.counts:
            return True
        at = bisect.bisect_left(self.words, part)
        return at < len(self.words) and self.words[at].startswith(part) and self.words[at] != part

    def _part(self, rest: str) -> bool:
        """Is `rest` a compound part: a word of the index, perhaps after a linking s/en/e?"""
        return self._word(rest) or any(rest.endswith(link) and self._word(rest[: -len(link)]) for link in LINKS) \
            or any(rest.startswith(link) and self._word(rest[len(link):]) for link in LINKS)

    def compounds(self, word: str) -> list[str]:
        """Indexed compounds that start or end with `word` (not the word itself).

        The rest of the compound must be an indexed word too, so parts meet at a real word
        boundary. A word that is common on its own (in more than COMMON_SHARE of the sections) is
        not expanded: it finds plenty by itself, and its compounds ("team": buurtteam,
        kindteam, …) would make the query slow and vague.
        """
        if len(word) < MIN_PART or not meaningful(word) or self.counts.get(word, 0) > COMMON_SHARE * self.sections:
            return []
        found = []
        start = bisect.bisect_left(self.words, word)
        for longer in self.words[start:]:
            if not longer.startswith(word):
                break
            if longer != word and self._part(longer[len(word):]):
                found.append(longer)
        backwards = word[::-1]
        start = bisect.bisect_left(self.reversed, backwards)
        for reverse in self.reversed[start:]:
            if not reverse.startswith(backwards):
                break
            longer = reverse[::-1]
            if longer != word and self._part(longer[: -len(word)]):
                found.append(longer)
        found.sort(key=lambda w: (-self.counts[w], w))
        return found[:MAX_EXPANSIONS]

    def parts(self, word: str) -> tuple[str, str] | None:
        """The two indexed words a compound is made of (toegangsbepaling -> toegang, bepaling), if any."""
        if not meaningful(word):
            return None
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            if tail not in self.counts:
                continue
            for link in ("", *LINKS):
                if not head.endswith(link):
                    continue
                first = head[: len(head) - len(link)]
                if len(first) >= MIN_PART and first in self.counts and meaningful(first):
                    return first, tail
        return None

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
        self.rule_terms = {rule.id: rule.term.term for rule in rules.rules}
        # preferred or context term -> the other preferred/context terms of its begrip
        self.related: dict[tuple[str, ...], list[str]] = {}
        for begrip in glossary.begrippen:
            allowed = [t.term for t in begrip.termen if t.rol in ("gebruiken", "ook wel")]
            names = [n.strip() for term in allowed for n in re.split(r",", re.sub(r"\(.*?\)", "", term)) if n.strip()]
            for name in names:
                key = tuple(words(name))
                if key:
                    self.related[key] = [n for n in names if tuple(words(n)) != key]
        # synonym, everyday word or abbreviation (or full name) -> what search also looks for
        self.synonyms: dict[tuple[str, ...], list[str]] = {}
        self.learn(synonym_pairs(glossary))

    def learn(self, pairs) -> None:
        """Add (what someone types, [what search also looks for]) pairs: the glossary's, or the
        everyday words of the voorzieningen and partners that an index carries."""
        for words_typed, meant in pairs:
            key = tuple(words(words_typed))
            if key:
                self.synonyms.setdefault(key, [])
                self.synonyms[key] += [m for m in meant if m not in self.synonyms[key] and tuple(words(m)) != key]
        self.longest = max((len(k) for k in self.synonyms), default=0)

    def plan(self, query: str, vocabulary: Vocabulary, correct: bool = True, forms: bool = True) -> Plan:
        """The plan for a query. `correct`: replace unknown words by the closest indexed word.
        `forms`: weigh words by their dictionary form (verbs, question words); loading the
        glossary checks expansions without it, so `buut check` does not load the lemmatiser."""
        plan = Plan()
        if len(query) > MAX_QUERY:
            query, plan.truncated = query[:MAX_QUERY], True
        query = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in query)
        tokens = words(query)
        known = self._synonym_spans(tokens)
        if correct:
            fixed = []
            flagged = self._glossary(" ".join(tokens), Plan())  # a word the begrippenlijst knows stays as typed
            for index, token in enumerate(tokens):
                if (index in known or index in flagged or not meaningful(token) or len(token) < 4
                        or vocabulary.knows(token)
                        or vocabulary.compounds(token)):
                    fixed.append(token)
                    continue
                fixed.append(vocabulary.closest(token) or token)
            if fixed != tokens:
                plan.corrected = " ".join(fixed)
                tokens = fixed
        plan.typed = tokens
        if forms:
            plan.asking = {form for t in tokens for form in (t, lemma(t)) if form in ASKING}
        text = " ".join(tokens)
        replaced = self._glossary(text, plan)
        for start, (end, alternatives) in self._synonym_spans(tokens).items():
            # A span the begrippenlijst already replaced gets the synonyms in that same group.
            owner = next((i for i in range(end - 1, -1, -1) if replaced.get(i) is not None), None)
            if owner is not None and (owner >= start or all(i in replaced for i in range(owner, start + 1))):
                group = replaced[owner]
            else:
                group = [tuple(w for w in tokens[start:end] if w not in STOPWORDS) or tuple(tokens[start:end])]
                replaced[start] = group
                replaced.update({i: None for i in range(start + 1, end)})
            _add_alternatives(plan, group, alternatives, 1.0)
        groups: list[list[tuple[str, ...]]] = []
        for index, token in enumerate(tokens):
            if index in replaced:
                if replaced[index] is not None:
                    groups.append(replaced[index])
                continue
            if not meaningful(token):
                continue
            group = [(token,)]
            for longer in vocabulary.compounds(token):
                group.append((longer,))
                plan.boosts[(longer,)] = 0.5
            groups.append(group)
        if not groups:  # only stop or question words: let the engine say it found nothing useful
            groups = [[(t,)] for t in tokens if t not in STOPWORDS]
        plan.groups = groups[:MAX_WORDS]
        for group in plan.groups:  # a compound also finds its parts apart: "toegang … bepaald"
            for alternative in list(group):
                split = vocabulary.parts(alternative[0]) if len(alternative) == 1 else None
                if split and split not in group:
                    group.append(split)
                    plan.boosts.setdefault(split, 0.5)
        if forms:
            plan.weights = [VERB_WEIGHT if len(g[0]) == 1 and verb_like(g[0][0]) else 1.0 for g in plan.groups]
        self._related(tokens, plan)
        return plan

    def _synonym_spans(self, tokens: list[str]) -> dict[int, tuple[int, list[str]]]:
        """Where the query holds a synonym or abbreviation: start -> (end, what it also means)."""
        spans: dict[int, tuple[int, list[str]]] = {}
        index = 0
        while index < len(tokens):
            for size in range(min(self.longest, len(tokens) - index), 0, -1):
                meant = self.synonyms.get(tuple(tokens[index:index + size]))
                if meant:
                    spans[index] = (index + size, meant)
                    index += size
                    break
            else:
                index += 1
        return spans

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
            _add_alternatives(plan, group, finding.suggestions, 1.0)
            plan.flagged.append(self.rule_terms.get(finding.rule, ""))
            hint = f"In BUUT heet dit ‘{finding.suggestions[0]}’"
            # A spelling the query already has, once accents are folded ("cliënt"), is no news.
            if hint not in plan.hints and words(finding.suggestions[0]) != matched:
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
                        _add_alternatives(plan, group, others, 0.4)
                        break


def _add_alternatives(plan: Plan, group: list[tuple[str, ...]], names, boost: float) -> None:
    """Each name becomes an alternative of the group (stop words left out); the answer lists it."""
    for name in names:
        alternative = tuple(w for w in words(name) if w not in STOPWORDS)
        if alternative and alternative not in group:
            group.append(alternative)
            plan.boosts[alternative] = boost
            plan.expanded.append(name)


def synonym_pairs(glossary: Glossary):
    """(what someone types, [what search also looks for]) from the glossary's synonyms, everyday
    words (`spreektaal`) and abbreviations."""
    for afkorting in glossary.afkortingen:
        yield afkorting.afkorting, [afkorting.voluit]
        yield afkorting.voluit, [afkorting.afkorting]
        for synoniem in (*afkorting.synoniemen, *(s.woord for s in afkorting.spreektaal)):
            yield synoniem, [afkorting.voluit, afkorting.afkorting]
    for _, term in glossary.terms():
        for synoniem in (*term.synoniemen, *(s.woord for s in term.spreektaal)):
            yield synoniem, [term.term]


def data_pairs(voorzieningen, partners):
    """(everyday word, [the name search also looks for]) from the voorzieningen and partners."""
    for voorziening in voorzieningen:
        for entry in voorziening.spreektaal:
            yield entry.woord, [voorziening.naam]
    for partner in partners:
        for entry in partner.spreektaal:
            yield entry.woord, [partner.afkorting or partner.naam]


def verify_search_words(glossary: Glossary, rules: RuleSet) -> list[Finding]:
    """Every synonym, abbreviation and `zoekvoorbeelden` query must make search look for its term.

    Run when the glossary loads, like the rules' own examples: a synonym that another entry
    shadows, or an example that no longer expands, stops BUUT with the entry's line.
    """
    planner = Planner(glossary, rules)
    empty = Vocabulary({}, 1)
    failures = []

    def expect(query: str, target: str, line: int) -> None:
        wanted = tuple(w for w in words(target) if w not in STOPWORDS)
        plan = planner.plan(query, empty, correct=False, forms=False)
        if not any(wanted in group for group in plan.groups):
            failures.append(Finding(glossary.path, line, 1, Level.ERROR,
                                    f"zoeken op '{query}' vindt '{target}' niet; controleer synoniemen en "
                                    "zoekvoorbeelden", "glossary.zoekvoorbeeld"))

    for afkorting in glossary.afkortingen:
        for query in (afkorting.afkorting, *afkorting.synoniemen, *(s.woord for s in afkorting.spreektaal),
                      *afkorting.zoekvoorbeelden):
            expect(query, afkorting.voluit, afkorting.line)
        expect(afkorting.voluit, afkorting.afkorting, afkorting.line)
    for _, term in glossary.terms():
        for query in (*term.synoniemen, *(s.woord for s in term.spreektaal), *term.zoekvoorbeelden):
            expect(query, term.term, term.line)
    return failures


def verify_data_words(glossary: Glossary, rules: RuleSet, voorzieningen, partners) -> list[Finding]:
    """Every everyday word of a voorziening or partner must make search look for its name, and no
    word may belong to two of them (search would not know which one is meant)."""
    planner = Planner(glossary, rules)
    planner.learn(data_pairs(voorzieningen, partners))
    empty = Vocabulary({}, 1)
    owners: dict[tuple[str, ...], str] = {}
    failures = []
    for owner, name, path, line in [(v, v.naam, v.path, 1) for v in voorzieningen] + \
                                   [(p, p.afkorting or p.naam, p.path, p.line) for p in partners]:
        wanted = tuple(w for w in words(name) if w not in STOPWORDS)
        for entry in owner.spreektaal:
            key = tuple(words(entry.woord))
            if key in owners and owners[key] != name:
                failures.append(Finding(path, line, 1, Level.ERROR, f"spreektaal '{entry.woord}' staat ook bij "
                                        f"'{owners[key]}'; zoeken weet dan niet wat bedoeld is", "spreektaal.dubbel"))
                continue
            owners[key] = name
            plan = planner.plan(entry.woord, empty, correct=False, forms=False)
            if not any(wanted in group for group in plan.groups):
                failures.append(Finding(path, line, 1, Level.ERROR, f"zoeken op '{entry.woord}' vindt '{name}' niet; "
                                        "een synoniem of afkorting in glossary.yml gaat voor", "spreektaal.zoeken"))
    return failures

