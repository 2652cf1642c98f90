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

WORD_START = r"(?<![\w-])"
WORD_END = r"(?![\w-])"
# The particle of a separable verb stands at the end of its clause: before punctuation, the end of
# the text, or a word that starts the next part ("naar", "en", "te" ...). This keeps "verwijst door
# de brief" (by means of) quiet while "verwijst hem door naar de huisarts" is found.
PARTICLE_END = r"(?=\s*(?:[.,;:!?)]|$|(?:naar|en|of|te|bij|als|wanneer|zodra|om|want|maar|omdat)\b))"
# What may stand between a stem and its particle: anything but the end of a sentence, a table cell
# border or an empty line.
CLAUSE_GAP = r"(?:[^.!?;:|\n]|\n(?![ \t]*\n)){1,80}?"

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


@dataclass
class Rule:
    """One glossary term compiled for checking."""

    id: str
    term: Term
    level: Level
    split: tuple[re.Pattern, ...]
    exceptions: tuple[re.Pattern, ...]
    exact: bool  # schrijfwijzen compare letters exactly; other rules fold diacritics

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
        return any(m.start() <= hit.start and hit.end <= m.end()
                   for pattern in self.exceptions for m in pattern.finditer(text, start, end))

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


def _compile(pattern: str, exact: bool, where: str) -> re.Pattern:
    # A space in a glossary pattern stands for any run of white space, line breaks included:
    # Markdown paragraphs wrap anywhere ("Hulp bij het\nhuishouden").
    try:
        if exact:  # a schrijfwijze is about the exact letters, capitals included
            return re.compile(_prepare(pattern, exact), re.MULTILINE)
        return re.compile(_prepare(pattern, exact), re.IGNORECASE | re.MULTILINE)
    except re.error as error:
        raise BuutError(Finding("glossary.yml", 0, 1, Level.ERROR,
                                f"{where}: ongeldig patroon '{pattern}' ({error.msg})", "glossary.patroon")) from None


def compile_rule(rule_id: str, term: Term, path: str = "glossary.yml") -> Rule:
    exact = term.rol == "schrijfwijze"
    where = f"term '{term.term}'"
    try:
        # Forms are scanned together by RuleSet; compiled one by one here so a message names the broken one.
        for pattern in (*term.vormen, *(p for pair in term.scheidbaar for p in pair)):
            _compile(pattern, exact, where)
        split = []
        for stem, particle in term.scheidbaar:
            stem_p, part_p = f"(?:{stem})", f"(?:{particle})"
            split.append(_compile(
                f"{WORD_START}(?P<first>{stem_p}){WORD_END}{CLAUSE_GAP}{WORD_START}{part_p}{WORD_END}{PARTICLE_END}",
                exact, where))
            split.append(_compile(f"{WORD_START}(?P<first>{part_p})\\s+te\\s+{stem_p}{WORD_END}", exact, where))
        exceptions = tuple(_compile(u, exact, where) for u in term.uitzonderingen)
    except BuutError as error:
        raise BuutError([Finding(path, term.line, 1, f.level, f.message, f.rule) for f in error.findings]) from None
    level = term.niveau or DEFAULT_LEVEL[term.rol]
    return Rule(rule_id, term, level, tuple(split), exceptions, exact)


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
    """All rules in one scan: one alternation per flavour (folded, exact) with a named group per form.

    Scanning a page once instead of once per rule is what makes the check fast. A separable verb
    takes part with its stem (and its particle before "te"); where one is found, the rule's full
    pattern is tried at that spot.
    """

    def __init__(self, rules: list[Rule]):
        self.rules = rules
        self.scans: list[tuple[bool, re.Pattern]] = []
        for exact in (False, True):
            alternatives = []
            for r, rule in enumerate(rules):
                if rule.exact != exact:
                    continue
                alternatives += [f"(?P<r{r}f{i}>{_prepare(v, exact)})" for i, v in enumerate(rule.term.vormen)]
                for k, (stem, particle) in enumerate(rule.term.scheidbaar):
                    alternatives.append(f"(?P<r{r}a{k}>{_prepare(stem, exact)})")
                    alternatives.append(f"(?P<r{r}b{k}>{_prepare(particle, exact)})(?=\\s+te\\s)")
            if alternatives:
                flags = re.MULTILINE if exact else re.MULTILINE | re.IGNORECASE
                pattern = WORD_START + "(?:" + "|".join(alternatives) + ")" + WORD_END
                self.scans.append((exact, re.compile(pattern, flags)))

    def __iter__(self):
        return iter(self.rules)

    def __len__(self):
        return len(self.rules)

    def hits(self, visible: str, folded: str, doelgroepen) -> Iterator[tuple[Rule, Hit]]:
        for exact, scan in self.scans:
            text = visible if exact else folded
            for m in scan.finditer(text):
                name = m.lastgroup
                kind_at = max(name.rfind("f"), name.rfind("a"), name.rfind("b"))
                rule = self.rules[int(name[1:kind_at])]
                kind, k = name[kind_at], int(name[kind_at + 1:])
                if not rule.applies_to(doelgroepen):
                    continue
                if kind == "f":
                    hit = Hit(m.start(), m.end(), m.end())
                else:
                    split = rule.split[2 * k + (kind == "b")].match(text, m.start())
                    if split is None:
                        continue
                    hit = Hit(split.start(), split.end(), split.end("first"))
                if not rule.excepted(text, hit):
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
