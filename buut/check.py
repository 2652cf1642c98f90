"""Stage 2, validate: the terminology check, driven entirely by glossary.yml.

Shaped like Vale's checks: each glossary term compiles into one small `Rule` (its patterns built
once) with a `run` that yields spans; `check_text` applies the rules that fit a page's audience to
the page's *prose* only. Markdown that is not prose (code, URLs, link targets, HTML comments,
front-matter keys, macro calls) is blanked out first with spaces, so offsets, lines and columns
stay those of the file as the editor sees it.

Dutch is handled in the patterns plus three mechanisms:
- words are whole words, where a hyphenated compound counts as one word;
- diacritics are folded on both sides (`client` and `cliënt` are one word to a rule), except for
  the schrijfwijzen, whose whole point is the exact spelling;
- separable verbs: a stem and its particle within one sentence (`verwijst hem door naar`), and
  the particle before a te-infinitive (`door te verwijzen`).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Iterator

from .model import BuutError, Finding, Glossary, Level, Page, Term
from .patterns import PatternError, compile_pattern, plain_groups

# How far around a hit an exception may reach ("Hulp bij het huishouden" around "Hulp").
EXCEPTION_REACH = 80

IGNORE_LINE = "<!-- buut: negeer -->"
IGNORE_START = "<!-- buut: negeer-start -->"
IGNORE_END = "<!-- buut: negeer-einde -->"

DEFAULT_LEVEL = {"niet gebruiken": Level.ERROR, "ook wel": Level.WARNING, "gebruiken": Level.SUGGESTION,
                 "schrijfwijze": Level.ERROR}


class _FoldTable(dict):
    """str.translate table that learns each non-ASCII character once."""

    def __missing__(self, code: int):
        base = unicodedata.normalize("NFD", chr(code))[0]
        self[code] = base if len(base) == 1 else chr(code)
        return self[code]


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Strip diacritics character by character, so the result has the same length (offsets hold)."""
    return text if text.isascii() else text.translate(_FOLD)


# ---------------------------------------------------------------------------------------------
# Markdown: keep the prose, blank out the rest
# ---------------------------------------------------------------------------------------------

# Each kind of non-prose Markdown, with a literal that must occur for it to be there at all: a
# cheap `in` test spares most pages most of these scans.
# Text an editor marked as not to be checked (`<!-- buut: negeer -->`); the privacy lint honours it too.
IGNORED = [
    re.compile(re.escape(IGNORE_START) + r".*?(?:" + re.escape(IGNORE_END) + r"|\Z)", re.S),
    re.compile(r"^[^\n]*" + re.escape(IGNORE_LINE) + r"[^\n]*$", re.M),
]
_NON_PROSE = [
    *(("buut:", pattern) for pattern in IGNORED),
    ("", re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n(?:.*?\n)??[ \t]*\2[^\n]*$", re.M | re.S)),  # fences
    ("<!--", re.compile(r"<!--.*?-->", re.S)),  # HTML comments
    ("`", re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)),  # inline code
    ("{", re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)),  # macro calls
    ("](", re.compile(r"(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)")),  # link and image targets
    ("]:", re.compile(r"^[ \t]*\[[^\]\n]+\]:[^\n]*$", re.M)),  # reference definitions
    ("<", re.compile(r"<(?:https?|mailto):[^>\s]+>")),  # autolinks
    ("", re.compile(r"\b(?:https?://|www\.)[^\s<>)\]]+")),  # bare URLs
    ("@", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),  # e-mail addresses
    ("<", re.compile(r"</?[A-Za-z][^>\n]*>")),  # HTML tags (their text stays)
    ("{", re.compile(r"\{:?[ \t]*[#.][^}\n]*\}")),  # attribute lists
    ("", re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*", re.M)),  # admonition type
]


_NOT_NEWLINE = re.compile(r"[^\n]")


def blank(match: re.Match) -> str:
    """The matched text as spaces, newlines kept: offsets and line numbers stay the same."""
    return _NOT_NEWLINE.sub(" ", match.group(0))


def prose(text: str, body_line: int = 1) -> str:
    """The text with everything that is not prose replaced by spaces (same length, same lines)."""
    current = text
    if body_line > 1:  # front matter: keep only the value of `titel`
        end = len("\n".join(text.split("\n")[: body_line - 1]))
        front = _NOT_NEWLINE.sub(" ", text[:end])
        title = re.search(r"^titel:[ \t]*(.*)$", text[:end], re.M)
        if title:
            front = front[:title.start(1)] + title.group(1) + front[title.end(1):]
        current = front + text[end:]
    for trigger, pattern in _NON_PROSE:
        if trigger in current:
            current = pattern.sub(blank, current)
    return current


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    label_end: int  # end of the part to show (the stem, for a split verb across lines)


class _Encoded:
    """A text as RE2 reads it (UTF-8), with the way back from byte to character offsets."""

    def __init__(self, text: str):
        self.text = text
        self.data = text.encode("utf-8")
        self.ascii = len(self.data) == len(text)

    def char(self, offset: int) -> int:
        return offset if self.ascii else len(self.data[:offset].decode("utf-8", "ignore"))

    def byte(self, offset: int) -> int:
        return offset if self.ascii else len(self.text[:offset].encode("utf-8"))


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_-"


# A word form ends where the word ends. RE2 has no lookahead, so the end is matched (and left out
# of the form's own group); the start is checked in Python (`_is_word_char` before the match).
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


def _clause(text: str, start: int) -> Iterator[re.Match]:
    """The words from `start` to the end of the clause (punctuation, an empty line, 'dat', 'omdat' …)."""
    end = CLAUSE_END.search(text, start)
    stop = end.start() if end else len(text)
    for word in WORD.finditer(text, start, stop):
        if word.group().lower() in CLAUSE_WORDS:
            return
        yield word


@dataclass
class Rule:
    """One glossary term compiled for checking."""

    id: str
    term: Term
    level: Level
    split: tuple[tuple[object, object], ...]  # (stem, particle) as RE2 patterns, matched on whole words
    exceptions: tuple[object, ...]  # RE2 patterns
    exact: bool  # schrijfwijzen compare letters exactly; other rules fold diacritics

    @property
    def audience_rule(self) -> bool:
        """A term that is fine, but only for some audiences."""
        return self.term.rol in ("gebruiken", "ook wel") and bool(self.term.doelgroepen)

    def applies_to(self, doelgroepen: Iterable[str]) -> bool:
        """A term with `doelgroepen` is flagged only on pages for someone else."""
        allowed = self.term.doelgroepen
        return not (self.audience_rule and allowed) or any(d not in allowed for d in doelgroepen)

    def excepted(self, text: "_Encoded", hit: Hit) -> bool:
        """Does an exception cover the hit? Looked for only around the hit, not in the whole text."""
        start = text.byte(max(0, hit.start - EXCEPTION_REACH))
        end = text.byte(min(len(text.text), hit.end + EXCEPTION_REACH))
        first, last = text.byte(hit.start), text.byte(hit.end)
        for pattern in self.exceptions:
            pos = start
            while (m := pattern.search(text.data, pos, end)) is not None:
                if m.start() <= first and last <= m.end():
                    return True
                if m.start() > first:
                    break
                pos = m.start() + 1
        return False

    def split_after_stem(self, text: str, k: int, stem_end: int) -> int | None:
        """Where the particle ends, if it closes the stem's clause ("verwijst hem door naar")."""
        particle = self.split[k][1]
        words = list(_clause(text, stem_end))
        for index, word in enumerate(words):
            if particle.fullmatch(word.group()) is None:
                continue
            following = words[index + 1].group().lower() if index + 1 < len(words) else None
            if following is None or following in AFTER_PARTICLE:
                return word.end()
        return None

    def split_after_particle(self, text: str, k: int, particle_end: int) -> int | None:
        """Where the verb ends, if it follows its particle ("door te verwijzen", "door heeft verwezen")."""
        stem = self.split[k][0]
        for count, word in enumerate(_clause(text, particle_end)):
            if stem.fullmatch(word.group()) is not None:
                return word.end()
            if count >= 2 or word.group().lower() not in BETWEEN_PARTICLE:
                return None
        return None

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


def _compile(pattern: str, exact: bool, where: str, path: str = "glossary.yml", line: int = 0):
    """An editor's pattern under RE2; a pattern RE2 refuses is a BuutError naming the term."""
    try:
        return compile_pattern(_prepare(pattern, exact), exact)
    except PatternError as error:
        raise BuutError(Finding(path, line, 1, Level.ERROR, f"{where}: {error}", "glossary.patroon")) from None


def compile_rule(rule_id: str, term: Term, path: str = "glossary.yml") -> Rule:
    exact = term.rol == "schrijfwijze"
    where = f"term '{term.term}'"
    for pattern in term.vormen:  # scanned together by RuleSet; compiled one by one so a message names the broken one
        _compile(pattern, exact, where, path, term.line)
    split = tuple((_compile(stem, exact, where, path, term.line), _compile(particle, exact, where, path, term.line))
                  for stem, particle in term.scheidbaar)
    exceptions = tuple(_compile(u, exact, where, path, term.line) for u in term.uitzonderingen)
    level = term.niveau or DEFAULT_LEVEL[term.rol]
    return Rule(rule_id, term, level, split, exceptions, exact)


def compile_rules(glossary: Glossary) -> "RuleSet":
    rules = []
    for begrip, term in glossary.terms():
        if not term.checked:
            continue
        prefix = begrip.id if begrip else "schrijfwijze"
        slug = re.sub(r"[^a-z0-9]+", "-", fold(term.term.lower())).strip("-")
        rules.append(compile_rule(f"{prefix}/{slug}", term, glossary.path))
    return RuleSet(rules)


class RuleSet:
    """All rules in one scan: one RE2 alternation per flavour (folded, exact), a group per form.

    Scanning a page once instead of once per rule is what makes the check fast. A separable verb
    takes part with its stem and its particle; where one is found, the rest of the clause decides.
    """

    def __init__(self, rules: list[Rule]):
        self.rules = rules
        self.scans: list[tuple[bool, object, list[tuple[int, Rule, str, int]]]] = []
        for exact in (False, True):
            alternatives, groups = [], []
            for r, rule in enumerate(rules):
                if rule.exact != exact:
                    continue
                parts = [(f"r{r}f{i}", "f", i, v) for i, v in enumerate(rule.term.vormen)]
                for k, (stem, particle) in enumerate(rule.term.scheidbaar):
                    parts += [(f"r{r}a{k}", "a", k, stem), (f"r{r}b{k}", "b", k, particle)]
                for name, kind, k, pattern in parts:
                    alternatives.append(f"(?P<{name}>{plain_groups(_prepare(pattern, exact))})")
                    groups.append((name, rule, kind, k))
            if alternatives:
                scan = compile_pattern("(?:" + "|".join(alternatives) + ")" + WORD_END, exact, combined=True)
                index = scan.groupindex
                self.scans.append((exact, scan, [(index[name], rule, kind, k) for name, rule, kind, k in groups]))

    def __iter__(self):
        return iter(self.rules)

    def __len__(self):
        return len(self.rules)

    def hits(self, visible: str, folded: str, doelgroepen) -> Iterator[tuple[Rule, Hit]]:
        encoded = {True: _Encoded(visible), False: _Encoded(folded)}
        for exact, scan, groups in self.scans:
            source = encoded[exact]
            text, pos = source.text, 0
            while (m := scan.search(source.data, pos)) is not None:
                group, rule, kind, k = next(g for g in groups if m.start(g[0]) >= 0)
                start, end = source.char(m.start(group)), source.char(m.end(group))
                if start > 0 and _is_word_char(text[start - 1]):  # inside a longer word
                    pos = source.byte(start + 1)
                    continue
                pos = m.end(group)
                if not rule.applies_to(doelgroepen):
                    continue
                if kind == "f":
                    hit = Hit(start, end, end)
                elif kind == "a":
                    particle_end = rule.split_after_stem(text, k, end)
                    if particle_end is None:
                        continue
                    hit = Hit(start, particle_end, end)
                else:
                    verb_end = rule.split_after_particle(text, k, end)
                    if verb_end is None:
                        continue
                    hit = Hit(start, verb_end, end)
                if not rule.excepted(source, hit):
                    yield rule, hit


def _prepare(pattern: str, exact: bool) -> str:
    """A glossary pattern as the scanner uses it: spaces match any white space; folded unless exact."""
    pattern = re.sub(r"(?<!\\) ", r"\\s+", pattern)
    return pattern if exact else fold(pattern)


def verify_examples(rules: list[Rule], path: str = "glossary.yml") -> list[Finding]:
    """Run every rule on its own examples. A rule without examples of both kinds is refused too."""
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
            found = bool(list(_rule_hits(rule, example.text, doelgroepen)))
            if found != example.flagged:
                expected = "aangewezen" if example.flagged else "niet aangewezen"
                failures.append(Finding(path, term.line, 1, Level.ERROR,
                                        f"{where}: voorbeeld wordt {'niet ' if example.flagged else ''}aangewezen maar "
                                        f"moet {expected} worden: \"{example.text}\"", "glossary.voorbeelden"))
    return failures


def _rule_hits(rule: Rule, text: str, doelgroepen) -> Iterator[Hit]:
    visible = prose(text)
    return (hit for _, hit in RuleSet([rule]).hits(visible, fold(visible), doelgroepen))


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
               body_line: int = 1) -> list[Finding]:
    visible = prose(text, body_line)
    lines = _Lines(text)
    findings = []
    for rule, hit in rules.hits(visible, fold(visible), doelgroepen):
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
    start = 1 if page.meta.voorziening is not None else page.body_line
    return check_text(page.text, page.path, rules, page.meta.doelgroep, start)


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
    findings = check_text(only(False), path, rules, public_audience)
    findings += check_text(only(True), path, rules, ("medewerkers",))
    return sorted(findings, key=lambda f: (f.line, f.column))
