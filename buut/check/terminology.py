"""Check: the terminology check, driven entirely by glossary.yml.

Shaped like Vale's checks: each glossary term compiles into one small `Rule`; `check_text` applies
the rules that fit a page's audience to the page's *prose* only (decided by markdown-it-py, see
`buut/load/prose.py`), with lines and columns of the file as the editor sees it.

How a page is checked, cheapest step first:
1. one Aho–Corasick pass (pyahocorasick) over the page, lower case and without diacritics, finds
   every literal that a rule needs: the word forms generated from `woorden` (buut/check/morphology.py)
   and, for each pattern in `vormen`, a literal it cannot match without (`anchors`);
2. only where a literal is found does a rule look closer: a generated form must be a whole word,
   or part of a compound when the term allows it; an editor's pattern runs under RE2 in a small
   window around the literal; a separable verb walks its clause;
3. exceptions, quoted mentions ("we zeggen niet meer 'intake'") and the audience drop hits;
4. only for a page that still has a hit is the Markdown parsed, to keep the hits in prose.

Diacritics are folded on both sides (`client` and `cliënt` are one word to a rule), except for
the schrijfwijzen, whose whole point is the exact spelling. Editors' patterns never run under
Python's `re` (buut/check/patterns.py).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

import ahocorasick

from buut.model import BuutError, Finding, Glossary, Level, Page, Term
from buut.check.morphology import Forms, noun_forms, verb_forms
from buut.check.patterns import PatternError, compile_pattern
from buut.load.prose import IGNORE_END, IGNORE_START, Prose, yaml_quote, yaml_visible  # noqa: F401 (render.begrippen uses the markers)

# How far around a hit an exception may reach ("Hulp bij het huishouden" around "Hulp"), and how
# far an editor's pattern may reach around its literal.
EXCEPTION_REACH = 80
PATTERN_REACH = 120

DEFAULT_LEVEL = {"niet gebruiken": Level.ERROR, "ook wel": Level.WARNING, "gebruiken": Level.SUGGESTION,
                 "schrijfwijze": Level.ERROR}

# A term between quotes is mentioned, not used: "we zeggen niet meer 'intake'". Only the word
# itself stands between the quotes; a quoted sentence that uses the term is still checked.
OPEN_QUOTES = "'\"‘“«„"
CLOSE_QUOTES = "'\"’”»"


class _FoldTable(dict):
    """str.translate table that learns each non-ASCII character once."""

    def __missing__(self, code: int):
        base = unicodedata.normalize("NFD", chr(code))[0]
        self[code] = base if len(base) == 1 else chr(code)
        return self[code]


_FOLD = _FoldTable()


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(text: str) -> str:
    """Strip diacritics character by character, so the result has the same length (offsets hold)."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: _FOLD[ord(m.group())], text)  # a page has few such characters


def _lower(text: str) -> str:
    """Lower case with the same length (a few characters grow under str.lower: İ)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(c.lower()[:1] or c for c in text)


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    label_end: int  # end of the part to show (the stem, for a split verb across lines)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_-"


# A word form ends where the word ends. RE2 has no lookahead, so the end is matched (outside the
# form's own group 1); the start is checked in Python.
WORD_END = r"(?:[^\p{L}\p{N}_-]|\z)"

# Separable verbs. The particle closes its clause: after it comes the end of the clause or a word
# that opens what follows (a preposition, a conjunction, "te"). "verwijst hem door naar de
# huisarts" is found; "verwijst door de brief" (by means of) is not.
CLAUSE_END = re.compile(r"[!?;:|()\[\]]|\.(?!\d)|,(?!\d)|\n[ \t]*\n|[\"“”]")
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
CLAUSE_WORDS = frozenset(
    "dat omdat als wanneer zodra nadat voordat terwijl zodat doordat hoewel tenzij die waar waarna "
    "waardoor waarmee welke wie want maar".split())
AFTER_PARTICLE = frozenset(
    "naar aan voor bij zonder met in op tot om te en of maar want omdat als wanneer zodra zodat nadat "
    "voordat dan ook via na tijdens binnen buiten vanwege richting".split())
# Between a particle and its verb: "door te verwijzen", "door wil verwijzen", "door heeft verwezen".
BETWEEN_PARTICLE = frozenset(
    "te wil wilt willen wou wilde wilden kan kun kunt kunnen kon konden moet moeten moest moesten mag "
    "mogen mocht mochten zal zult zullen zou zouden gaat gaan ga ging gingen heb hebt heeft hebben had "
    "hadden is zijn was waren word wordt worden werd werden".split())


def _clause_after(text: str, start: int) -> list[re.Match]:
    """The words from `start` to the end of the clause (punctuation, an empty line, 'dat', 'omdat' …)."""
    end = CLAUSE_END.search(text, start)
    words = []
    for word in WORD.finditer(text, start, end.start() if end else len(text)):
        if word.group().lower() in CLAUSE_WORDS:
            break
        words.append(word)
    return words


def _clause_before(text: str, end: int, count: int = 3) -> list[re.Match]:
    """The last `count` words before `end` in the same clause, nearest last."""
    begin = max(0, end - 200)
    stops = [m.end() for m in CLAUSE_END.finditer(text, begin, end)]
    words = [w for w in WORD.finditer(text, stops[-1] if stops else begin, end)]
    cut = max((i + 1 for i, w in enumerate(words) if w.group().lower() in CLAUSE_WORDS), default=0)
    return words[cut:][-count:]


class _Word:
    """Matches a whole word against a generated form (a string) or an editor's pattern (RE2)."""

    def __init__(self, literal: str = "", pattern=None):
        self.literal, self.pattern = literal, pattern

    def __call__(self, word: str) -> bool:
        if self.pattern is not None:
            return self.pattern.fullmatch(word) is not None
        return _lower(fold(word)) == self.literal


@dataclass
class Split:
    """A separable verb: finite forms (literal or a pattern) and the particle that belongs to them."""

    stem: _Word
    particle: _Word


@dataclass
class Rule:
    """One glossary term compiled for checking."""

    id: str
    term: Term
    level: Level
    forms: tuple  # RE2 patterns of `vormen`, each with the form in group 1 and the word end after it
    words: frozenset[str]  # generated whole-word forms (folded, lower case)
    splits: tuple[Split, ...]
    exceptions: tuple  # RE2 patterns
    exact: bool  # schrijfwijzen compare letters exactly; other rules fold diacritics
    finite: dict[str, int] = field(default_factory=dict)  # generated finite verb form -> split index
    stems: tuple = ()  # RE2 stems of `scheidbaar` (fullmatch on one word), by split index

    @property
    def audience_rule(self) -> bool:
        """A term that is fine, but only for some audiences."""
        return self.term.rol in ("gebruiken", "ook wel") and bool(self.term.doelgroepen)

    def applies_to(self, doelgroepen: Iterable[str]) -> bool:
        """A term with `doelgroepen` is flagged only on pages for someone else."""
        allowed = self.term.doelgroepen
        return not (self.audience_rule and allowed) or any(d not in allowed for d in doelgroepen)

    def excepted(self, text: str, hit: Hit) -> bool:
        """Does an exception cover the hit? Looked for only around the hit, not in the whole text."""
        start, end = max(0, hit.start - EXCEPTION_REACH), min(len(text), hit.end + EXCEPTION_REACH)
        window, begin, finish = _window(text, start, end)
        first, last = hit.start - start + begin, hit.end - start + begin
        for pattern in self.exceptions:
            for m in pattern.finditer(window, begin, finish):
                if m.start() <= first and last <= m.end():
                    return True
                if m.start() > first:
                    break
        return False

    def message(self, doelgroepen: Iterable[str]) -> str:
        term = self.term
        if term.rol == "schrijfwijze":
            return term.toelichting or f"BUUT schrijft '{term.term}'"
        reason = term.toelichting or term.definitie
        if self.audience_rule:
            others = [d for d in doelgroepen if d not in term.doelgroepen]
            context = term.context or "alleen voor " + ", ".join(term.doelgroepen)
            return f"'{term.term}' past niet op een pagina voor {', '.join(others)}: {context}"
        return reason


class _Lazy:
    """An editor's pattern, compiled under RE2 when first used: most pages never need most patterns,
    and compiling them all would be most of the time `buut check` takes on one page. The glossary
    schema has compiled each pattern once already, so a broken one never gets this far."""

    def __init__(self, pattern: str, exact: bool):
        self.pattern, self.exact, self._compiled = pattern, exact, None

    def _re(self):
        if self._compiled is None:
            self._compiled = compile_pattern(self.pattern, self.exact)
        return self._compiled

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        return self._re().finditer(text, pos, endpos)

    def fullmatch(self, text: str):
        return self._re().fullmatch(text)


def _compile(pattern: str, exact: bool, where: str, path: str = "glossary.yml", line: int = 0, lazy: bool = True):
    """An editor's pattern under RE2; a pattern RE2 refuses is a BuutError naming the term."""
    if lazy:
        return _Lazy(_prepare(pattern, exact), exact)
    try:
        return compile_pattern(_prepare(pattern, exact), exact)
    except PatternError as error:
        raise BuutError(Finding(path, line, 1, Level.ERROR, f"{where}: {error}", "glossary.patroon")) from None


def _forms(term: Term) -> list[Forms]:
    found = []
    for woord in term.woorden:
        lemma = _lower(fold(woord.lemma))
        if woord.soort == "werkwoord":
            found.append(verb_forms(lemma, _lower(fold(woord.partikel)), tuple(_lower(fold(p)) for p in woord.verleden_tijd),
                                    _lower(fold(woord.voltooid_deelwoord))))
        else:
            found.append(Forms(frozenset(noun_forms(lemma))))
    return found


def compile_rule(rule_id: str, term: Term, path: str = "glossary.yml") -> Rule:
    exact = term.rol == "schrijfwijze"
    where = f"term '{term.term}'"
    line = term.line
    forms = []
    for pattern in term.vormen:
        forms.append(_compile(f"({pattern}){WORD_END}", exact, where, path, line))
    splits, finite, stems = [], {}, []
    for stem, particle in term.scheidbaar:
        stem_re, particle_re = _compile(stem, exact, where, path, line), _compile(particle, exact, where, path, line)
        splits.append(Split(_Word(pattern=stem_re), _Word(pattern=particle_re)))
        stems.append(stem_re)
    words: set[str] = set()
    for generated in _forms(term):
        words |= generated.joined
        if generated.particle:
            for form in generated.finite:
                finite[form] = len(splits)
            splits.append(Split(_Word(), _Word(generated.particle)))
            stems.append(None)
    exceptions = tuple(_compile(u.patroon, exact, where, path, line) for u in term.uitzonderingen)
    level = term.niveau or DEFAULT_LEVEL[term.rol]
    return Rule(rule_id, term, level, tuple(forms), frozenset(words), tuple(splits), exceptions, exact,
                finite, tuple(stems))


def compile_rules(glossary: Glossary) -> "RuleSet":
    rules = []
    for begrip, term in glossary.terms():
        if not term.checked:
            continue
        prefix = begrip.id if begrip else "schrijfwijze"
        slug = re.sub(r"[^a-z0-9]+", "-", fold(term.term.lower())).strip("-")
        rules.append(compile_rule(f"{prefix}/{slug}", term, glossary.path))
    return RuleSet(rules, glossary.min_deel)


def _prepare(pattern: str, exact: bool) -> str:
    """A glossary pattern as the scanner uses it: spaces match any white space; folded unless exact."""
    pattern = re.sub(r"(?<!\\) ", r"\\s+", pattern)
    return pattern if exact else fold(pattern)


# ---------------------------------------------------------------------------------------------
# Anchors: the literal a pattern cannot match without
# ---------------------------------------------------------------------------------------------

def _group_end(pattern: str, start: int) -> int:
    """Index just after the group or class that opens at `start`."""
    depth, i, opening = 0, start, pattern[start]
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if opening == "[" and char == "]" and i > start + 1:
            return i + 1
        if opening == "(":
            if char == "[":
                i = _group_end(pattern, i)
                continue
            depth += char == "("
            depth -= char == ")"
            if depth == 0:
                return i + 1
        i += 1
    return len(pattern)


def _split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    parts, depth, i, begin = [], 0, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _group_end(pattern, i)
            continue
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            parts.append(pattern[begin:i])
            begin = i + 1
        i += 1
    return parts + [pattern[begin:]]


def expand(pattern: str, limit: int = 64) -> set[str] | None:
    """Every string a pattern of letters, groups, | and ? can match (lower case, folded), or None.

    Most `vormen` are such lists in disguise ('voorziening(en)?'); as literals they need no regular
    expression at all. Anything else (classes, repetition, spaces, escapes) returns None.
    """
    results: set[str] = set()
    for alternative in _split_top(pattern):
        options, i = {""}, 0
        while i < len(alternative):
            char = alternative[i]
            if char == "(":
                end = _group_end(alternative, i)
                inner = alternative[i + 1:end - 1]
                if inner.startswith("?:"):
                    inner = inner[2:]
                elif inner.startswith("?"):
                    return None
                part = expand(inner, limit)
                i = end
            elif char.isalnum() or char in "-'":
                part, i = {_lower(fold(char))}, i + 1
            else:
                return None
            if part is None:
                return None
            if i < len(alternative) and alternative[i] == "?":
                part, i = part | {""}, i + 1
            elif i < len(alternative) and alternative[i] in "*+{":
                return None
            options = {o + p for o in options for p in part}
            if len(options) > limit:
                return None
        results |= options
    return results if "" not in results else None


def anchors(pattern: str) -> set[str] | None:
    """Literals (lower case, folded) of which every match of `pattern` contains at least one.

    A conservative reading of the pattern: the longest run of plain letters outside groups and
    classes, per top-level alternative. None when an alternative has no run of two letters; such a
    pattern is run over the whole page instead.
    """
    found = set()
    for alternative in _split_top(pattern):
        runs, run, i = [], "", 0
        while i < len(alternative):
            char = alternative[i]
            if char in "([":
                end = _group_end(alternative, i)
                inner = alternative[i + 1:end - 1]
                optional = end < len(alternative) and alternative[end] in "?*{"
                if char == "(" and not optional and not inner.startswith("?") and "|" not in inner:
                    sub = anchors(inner)  # a plain group: its letters continue the run if it is all letters
                    if sub and len(sub) == 1 and next(iter(sub)) == _lower(fold(inner)):
                        run += next(iter(sub))
                        i = end
                        continue
                runs.append(run)
                run, i = "", end
                continue
            if char in "?*" or (char == "{" and run):
                run = run[:-1]
                runs.append(run)
                run = ""
            elif char == "+":
                runs.append(run)
                run = ""
            elif char == "\\":
                runs.append(run)
                run = ""
                i += 1
            elif char.isalnum():
                run += _lower(fold(char))
            else:  # a space (any white space), a dot, an anchor
                runs.append(run)
                run = ""
            i += 1
        runs.append(run)
        best = max(runs, key=len)
        if len(best) < 2:
            return None
        found.add(best)
    return found


# ---------------------------------------------------------------------------------------------
# All rules together
# ---------------------------------------------------------------------------------------------

WORD_FORM, WHOLE_WORD, PATTERN_FORM, FINITE_FORM, STEM_PATTERN = "w", "o", "f", "v", "s"


class _Page:
    """One text being checked: its folded and lower-case spellings, and its prose once needed."""

    def __init__(self, text: str, prose_of):
        self.text = text
        self.folded = fold(text)
        self.lower = _lower(self.folded)
        self._prose_of = prose_of
        self._prose = None

    @property
    def prose(self):
        """The page's prose by block (`Prose.chunk`); parsed only where a hit asks for it."""
        if self._prose is None:
            self._prose = self._prose_of(self.text)
        return self._prose

    def in_prose(self, start: int, end: int) -> bool:
        offset, shown = self.prose.chunk(start)
        return shown[start - offset:end - offset] == self.text[start:end]

    def word_span(self, start: int, end: int) -> tuple[int, int]:
        text, begin = self.lower, start
        while begin > 0 and _is_word_char(text[begin - 1]):
            begin -= 1
        while end < len(text) and _is_word_char(text[end]):
            end += 1
        return begin, end


class _WholeProse:
    """Prose that is one block: a YAML file, whose values are the prose."""

    def __init__(self, text: str):
        self.text, self.shown = text, yaml_visible(text)

    def chunk(self, offset: int) -> tuple[int, str]:
        return 0, self.shown

    def yaml_quote(self, offset: int) -> bool:
        return yaml_quote(self.text, offset)


class RuleSet:
    """All rules, found together: one Aho–Corasick automaton per audience over every rule's literals."""

    def __init__(self, rules: list[Rule], min_deel: int = 3):
        self.rules = rules
        self.min_deel = min_deel
        self.literals: dict[str, list[tuple[int, str, int]]] = {}  # literal -> (rule, kind, index)
        self.unanchored: list[tuple[int, int]] = []  # (rule, form) to run over the whole page
        for r, rule in enumerate(rules):
            for word in rule.words:
                self.literals.setdefault(word, []).append((r, WORD_FORM, 0))
            for form in rule.finite:
                self.literals.setdefault(form, []).append((r, FINITE_FORM, rule.finite[form]))
            for i, pattern in enumerate(rule.term.vormen):
                words = None if rule.exact else expand(pattern)
                if words:  # a list in disguise: whole words, no regular expression needed
                    for word in words:
                        self.literals.setdefault(word, []).append((r, WHOLE_WORD, 0))
                    continue
                found = anchors(_prepare(pattern, rule.exact).replace("\\s+", " "))
                if found is None:
                    self.unanchored.append((r, i))
                for literal in found or ():
                    self.literals.setdefault(literal, []).append((r, PATTERN_FORM, i))
            for k, (stem, _) in enumerate(rule.term.scheidbaar):
                found = anchors(_prepare(stem, rule.exact))
                for literal in found or ():
                    self.literals.setdefault(literal, []).append((r, STEM_PATTERN, k))
                if found is None:
                    raise BuutError(Finding("glossary.yml", rule.term.line, 1, Level.ERROR,
                                            f"term '{rule.term.term}': de stam '{stem}' van een scheidbaar werkwoord "
                                            "heeft geen vaste letters; schrijf de vormen uit (verwijs|verwijst)",
                                            "glossary.patroon"))
        self._automata: dict[tuple[str, ...], object] = {}

    def __iter__(self):
        return iter(self.rules)

    def __len__(self):
        return len(self.rules)

    def automaton(self, doelgroepen: tuple[str, ...]):
        """The automaton of the rules that apply to these audiences (built once per audience)."""
        key = tuple(sorted(doelgroepen))
        if key not in self._automata:
            automaton = ahocorasick.Automaton()
            for literal, uses in self.literals.items():
                kept = [(r, kind, i) for r, kind, i in uses if self.rules[r].applies_to(doelgroepen)]
                if kept:
                    automaton.add_word(literal, (len(literal), kept))
            automaton.make_automaton()
            self._automata[key] = automaton if len(automaton) else None
        return self._automata[key]

    def hits(self, page: _Page, doelgroepen) -> list[tuple[Rule, Hit]]:
        doelgroepen = tuple(doelgroepen)
        automaton = self.automaton(doelgroepen)
        found: dict[tuple[int, int, int], tuple[Rule, Hit]] = {}
        candidates = []
        if automaton is not None:
            for last, (length, uses) in automaton.iter(page.lower):
                for use in uses:
                    candidates.append((last + 1 - length, last + 1, use))
        for r, i in self.unanchored:
            if self.rules[r].applies_to(doelgroepen):
                candidates.append((0, len(page.text), (r, PATTERN_FORM, -1 - i)))
        for start, end, (r, kind, index) in candidates:
            rule = self.rules[r]
            for hit in self._verify(rule, kind, index, start, end, page):
                if rule.excepted(page.text if rule.exact else page.folded, hit):
                    continue
                if _quoted(page.text, hit) and not page.prose.yaml_quote(hit.start - 1):
                    continue  # a mention: 'intake' (but titel: "Intake" only quotes a YAML value)
                found.setdefault((r, hit.start, hit.end), (rule, hit))
        kept = []
        for rule, hit in sorted(found.values(), key=lambda rh: (rh[1].start, -rh[1].end)):
            if not page.in_prose(hit.start, hit.label_end):
                continue  # in code, a link target, an address …
            if hit.end > hit.label_end:  # a split verb: its other part must be prose too
                tail = page.text[hit.start:hit.end].split()[-1]
                if not page.in_prose(hit.end - len(tail), hit.end):
                    continue
            if any(other is rule and other_hit.start <= hit.start < other_hit.end for other, other_hit in kept):
                continue  # the same rule, already found on a longer stretch
            kept.append((rule, hit))
        return kept

    def _verify(self, rule: Rule, kind: str, index: int, start: int, end: int, page: _Page) -> Iterator[Hit]:
        if kind in (WORD_FORM, WHOLE_WORD):
            begin, finish = page.word_span(start, end)
            if (begin, finish) == (start, end):
                yield Hit(start, end, end)
            elif kind == WORD_FORM and rule.term.samenstellingen and self._compound(page.lower, begin, start, end, finish):
                yield Hit(begin, finish, finish)
        elif kind == PATTERN_FORM:
            yield from self._pattern(rule, index, start, end, page)
        else:
            begin, finish = page.word_span(start, end)
            if kind == FINITE_FORM and (begin, finish) != (start, end):
                return
            if kind == STEM_PATTERN and not rule.stems[index].fullmatch(
                    (page.text if rule.exact else page.folded)[begin:finish]):
                return
            offset, shown = page.prose.chunk(begin)
            for hit in _split(rule.splits[index], shown, begin - offset, finish - offset):
                yield Hit(hit.start + offset, hit.end + offset, hit.label_end + offset)

    def _compound(self, text: str, begin: int, start: int, end: int, finish: int) -> bool:
        """A form inside a longer word: a compound when each other part is long enough (her-intake)."""
        head, tail = text[begin:start].strip("-"), text[end:finish].strip("-")
        return all(not part or len(part) >= self.min_deel for part in (head, tail))

    def _pattern(self, rule: Rule, index: int, start: int, end: int, page: _Page) -> Iterator[Hit]:
        source = page.text if rule.exact else page.folded
        whole = index < 0
        index = -1 - index if whole else index
        begin = 0 if whole else max(0, start - PATTERN_REACH)
        finish = len(source) if whole else min(len(source), end + PATTERN_REACH)
        while finish < len(source) and _is_word_char(source[finish]):
            finish += 1  # the window never ends inside a word
        window, pos, endpos = _window(source, begin, finish)
        shift = begin - pos
        for m in rule.forms[index].finditer(window, pos, endpos):
            first, last = m.start(1) + shift, m.end(1) + shift
            if first > 0 and _is_word_char(source[first - 1]):
                continue  # inside a longer word
            if whole or (first <= start and end <= last):
                yield Hit(first, last, last)


def _window(text: str, start: int, end: int) -> tuple[str, int, int]:
    """A slice of `text` with one character of context on each side, and where [start, end) is in it.

    RE2 reads the context for ^, $ and \\b but matches only between pos and endpos; a slice keeps
    the cost of each search to the window instead of the page.
    """
    begin = max(0, start - 1)
    return text[begin:end + 1], start - begin, end - begin


def _split(split: Split, prose_text: str, stem_start: int, stem_end: int) -> Iterator[Hit]:
    """A stem found: is its particle at the end of the clause, or just before it ("door te verwijzen")?"""
    if prose_text[stem_start:stem_end].strip() == "":
        return
    words = _clause_after(prose_text, stem_end)
    for position, word in enumerate(words):
        if split.particle(word.group()):
            following = words[position + 1].group().lower() if position + 1 < len(words) else None
            if following is None or following in AFTER_PARTICLE:
                yield Hit(stem_start, word.end(), stem_end)
                return
    before = _clause_before(prose_text, stem_start)
    for distance, word in enumerate(reversed(before)):
        if split.particle(word.group()):
            yield Hit(word.start(), stem_end, word.end())
            return
        if distance >= 2 or word.group().lower() not in BETWEEN_PARTICLE:
            return


def _quoted(text: str, hit: Hit) -> bool:
    """A mention between quotes, the word alone: 'intake'."""
    return (hit.start > 0 and hit.end < len(text) and text[hit.start - 1] in OPEN_QUOTES
            and text[hit.end] in CLOSE_QUOTES)


def verify_examples(rules: list[Rule], path: str = "glossary.yml", min_deel: int = 3) -> list[Finding]:
    """Run every rule on its own examples, and every exception on its own example.

    A rule without examples of both kinds is refused, and so is an exception whose example would
    not be flagged without it (then the example proves nothing).
    """
    failures = []
    for rule in rules:
        term = rule.term
        where = f"'{term.term}' ({rule.id})"
        if not any(e.flagged for e in term.voorbeelden) or not any(not e.flagged for e in term.voorbeelden):
            failures.append(Finding(path, term.line, 1, Level.ERROR,
                                    f"{where} heeft voorbeelden nodig: minstens één onder 'fout' en één onder 'goed'",
                                    "glossary.voorbeelden"))
            continue
        for example in term.voorbeelden:
            doelgroepen = (example.doelgroep,) if example.doelgroep else ("medewerkers",)
            found = bool(_rule_hits(rule, example.text, doelgroepen, min_deel))
            if found != example.flagged:
                expected = "aangewezen" if example.flagged else "niet aangewezen"
                failures.append(Finding(path, term.line, 1, Level.ERROR,
                                        f"{where}: voorbeeld wordt {'niet ' if example.flagged else ''}aangewezen maar "
                                        f"moet {expected} worden: \"{example.text}\"", "glossary.voorbeelden"))
        for index, uitzondering in enumerate(term.uitzonderingen):
            without = replace(rule, exceptions=rule.exceptions[:index] + rule.exceptions[index + 1:])
            audience = tuple(d for d in ("medewerkers", "partners", "amsterdammers") if rule.applies_to((d,)))[:1]
            if _rule_hits(rule, uitzondering.voorbeeld, audience, min_deel):
                failures.append(Finding(path, term.line, 1, Level.ERROR,
                                        f"{where}: het voorbeeld van uitzondering '{uitzondering.patroon}' wordt toch "
                                        f"aangewezen: \"{uitzondering.voorbeeld}\"", "glossary.uitzonderingen"))
            elif not _rule_hits(without, uitzondering.voorbeeld, audience, min_deel):
                failures.append(Finding(path, term.line, 1, Level.ERROR,
                                        f"{where}: het voorbeeld van uitzondering '{uitzondering.patroon}' wordt ook "
                                        f"zonder de uitzondering niet aangewezen, dus het bewijst niets: "
                                        f"\"{uitzondering.voorbeeld}\"", "glossary.uitzonderingen"))
    return failures


def _rule_hits(rule: Rule, text: str, doelgroepen, min_deel: int = 3) -> list[tuple[Rule, Hit]]:
    return RuleSet([rule], min_deel).hits(_Page(text, Prose), doelgroepen)


# ---------------------------------------------------------------------------------------------
# Checking pages
# ---------------------------------------------------------------------------------------------

class _Lines:
    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def check_text(text: str, path: str, rules: "RuleSet", doelgroepen=("medewerkers",),
               body_line: int = 1, front: str = "titel", markdown: bool = True) -> list[Finding]:
    """Findings for one text. `markdown=False`: the text is YAML (a partner file), its values are prose."""
    def prose_of(source: str):
        return Prose(source, body_line, front) if markdown else _WholeProse(source)

    lines = _Lines(text)
    findings = []
    for rule, hit in rules.hits(_Page(text, prose_of), doelgroepen):
        line, column = lines.position(hit.start)
        end_line, end_column = lines.position(hit.label_end)
        found = " ".join(text[hit.start:hit.end].split())
        if hit.label_end < hit.end:  # a split verb: show "verwijst … door"
            found = " ".join(text[hit.start:hit.label_end].split()) + " … " + text[hit.start:hit.end].split()[-1]
        findings.append(Finding(
            path=path, line=line, column=column,
            end_column=end_column if end_line == line else column + len(text[hit.start:hit.label_end]),
            level=rule.level, message=rule.message(doelgroepen), rule=rule.id, match=found,
            suggestions=rule.term.vervang_door,
        ))
    return sorted(findings, key=lambda f: (f.line, f.column))


def check_page(page: Page, rules: "RuleSet") -> list[Finding]:
    # A werkinstructie's front matter holds text that the site shows (steps, conditions): check it too.
    front = "yaml" if page.meta.voorziening is not None else "titel"
    return check_text(page.text, page.path, rules, page.meta.doelgroep, page.body_line, front)


# Keys of a partner file whose values are ids, not text (`domein: clientondersteuning`).
PARTNER_ID_KEYS = ("domein", "stadsdelen", "werkkader", "zichtbaarheid", "geverifieerd_op", "teams_bij_start")


def check_partner(text: str, path: str, rules: "RuleSet", publiek: bool) -> list[Finding]:
    """A partner file: public fields are read by partners, the `intern:` block by medewerkers."""
    lines = text.split("\n")
    inside = [False] * len(lines)
    skip = [False] * len(lines)
    in_intern = in_ids = False
    for index, line in enumerate(lines):
        if line and not line[0].isspace() and not line.startswith(("#", "-")):  # "- x" at column 0 is a list item
            key = line.split(":", 1)[0].strip()
            in_intern, in_ids = key == "intern", key in PARTNER_ID_KEYS
        inside[index], skip[index] = in_intern, in_ids or line.lstrip().startswith("#")

    def only(keep: bool) -> str:
        return "\n".join(line if inside[i] == keep and not skip[i] else " " * len(line)
                         for i, line in enumerate(lines))

    public_audience = ("partners",) if publiek else ("medewerkers",)
    findings = check_text(only(False), path, rules, public_audience, markdown=False)
    findings += check_text(only(True), path, rules, ("medewerkers",), markdown=False)
    return sorted(findings, key=lambda f: (f.line, f.column))
