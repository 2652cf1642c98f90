"""Check: two editorial checks on what medewerkers, Amsterdammers and partners read.

1. **Bronnenpraat** (source-audit language). A page for readers says what is known and what to do.
   Sentences about what "de bronnen" or "het werkkader" do not say are editorial work: they belong
   in `open_punten` (front matter, voorziening, partner, team), which only the editors' worklist
   shows. The rules are data (`RULES`): each has a pattern and sentences it must and must not
   flag, and loading this module runs them, like the glossary's examples.
2. **Dode verwijzing naar BUUT.** The werkkader says twenty times that something is "op BUUT".
   Each such reference must link to the page that holds it: the sentence that makes the reference
   carries a Markdown link, or the reference is itself a link.

A third, `buut/load/termijn.py`, warns where the prose names another wettelijke termijn than the data.

The checks read only prose (code, link targets, comments and macro calls are blanked by
`check.prose`, so line and column stay those of the file) and skip `open_punten` blocks.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from buut.load import termijn
from buut.load.prose import visible as prose  # the same blanking the terminology check uses
from buut.load.memo import Remembered
from buut.model import DOELGROEPEN, BuutError, Finding, Level, Page

# Pages for these audiences are checked (all of BUUT's audiences); editors' pages under these
# uri prefixes are not: they list the open points on purpose.
EXEMPT_URI_PREFIXES = ("redactie/",)

RULE_BRONNENPRAAT = "redactie.bronnenpraat"
RULE_BUUT_LINK = "redactie.buut-verwijzing"

_SUBJECT = r"(?:bronnen|bron|werkkader|raadsbrief|vragen en antwoorden)"
_VERB = (r"(?:zeggen|zegt|noemen|noemt|beschrijven|beschrijft|vermelden|vermeldt|geven|geeft|regelen|regelt|"
         r"dateren|dateert|laten|laat|leggen|legt|werken|werkt|gaan|gaat|melden|meldt|bevatten|bevat)")
_NEGATION = r"(?:niet|geen|nergens|open|alleen|slechts)"
_IN_SENTENCE = r"[^.!?\n]{0,60}?"


@dataclass(frozen=True)
class EditorialRule:
    id: str
    pattern: str
    message: str
    flag: tuple[str, ...]  # sentences the rule must flag
    pass_: tuple[str, ...]  # sentences it must leave alone


RULES = (
    EditorialRule(
        "bronnen",
        r"\b(?:de|deze|die|beide|alle|andere|onze)\s+bronnen\b|\bwat de bronnen\b|\bin de bronnen\b",
        "schrijf over het werk, niet over de bronnen; zet wat nog ontbreekt in 'open_punten'",
        ("Wat dagbesteding precies inhoudt, beschrijven de bronnen niet.", "Wat de bronnen openlaten",
         "Dit staat niet in de bronnen.", "Volgens de bronnen mag dat."),
        ("Bron: werkkader §2.5.", "Het buurtteam gebruikt bronnen uit de buurt.",
         "De Amsterdammer kiest zelf een aanbieder."),
    ),
    EditorialRule(
        "zegt-niet",
        rf"\b{_SUBJECT}\s+{_VERB}\b{_IN_SENTENCE}\b{_NEGATION}\b",
        "schrijf wat bekend is en wat de medewerker doet; wat de bron niet zegt hoort in 'open_punten'",
        ("Het werkkader noemt geen begindatum.", "Het werkkader zegt niet hoe vaak het overleg is.",
         "De bron geeft hier geen termijn voor.", "Het werkkader noemt SIGRA alleen als coördinator."),
        ("Het werkkader beschrijft hoe buurtteams werken.", "Het werkkader noemt drie kernwaarden.",
         "Het buurtteam werkt niet alleen."),
    ),
    EditorialRule(
        "zegt-het-werkkader-niet",
        rf"\b{_VERB}\s+(?:de|het)\s+{_SUBJECT}\b{_IN_SENTENCE}\b{_NEGATION}\b",
        "schrijf wat bekend is en wat de medewerker doet; wat de bron niet zegt hoort in 'open_punten'",
        ("Hoe lang dat duurt, zegt het werkkader niet.", "Welke aanbieders er zijn, noemen de bronnen niet."),
        ("Zo beschrijft het werkkader de eerste stap.", "Dat zegt het werkkader over regie."),
    ),
    EditorialRule(
        "staat-niet-in",
        rf"\b(?:staat|staan)\s+(?:niet|nergens)\s+(?:\w+\s+)?in\s+(?:de\s+|het\s+)?{_SUBJECT}\b|\bniet\s+in\s+het\s+werkkader\b"
        rf"|\bzonder\s+\w+\s+in\s+(?:de\s+|het\s+){_SUBJECT}\b",
        "schrijf wat bekend is; wat nog ontbreekt hoort in 'open_punten'",
        ("De voorwaarden staan niet in het werkkader.", "Dat staat nergens in de bron.",
         "Dat dit team beslist, staat niet letterlijk in het werkkader.", "Het staat zonder jaartal in het werkkader."),
        ("De voorwaarden staan in de werkinstructie.", "Het werkkader staat op BUUT."),
    ),
    EditorialRule(
        "open-punten",
        r"\b(?:de|die|deze)\s+(?:open\s+)?punten\s+(?:staan\s+)?(?:onderaan|onder\s+bron|bij\s+bron)\b"
        r"|\bzie\s+de\s+open\s+punten\b",
        "open punten staan alleen in de werklijst van de redactie; verwijs lezers er niet naar",
        ("Zie de open punten onder Bron.", "Die punten staan onderaan bij Bron."),
        ("Het buurtteam maakt afspraken op punten die de Amsterdammer belangrijk vindt.",),
    ),
    EditorialRule(
        "brontekst",
        r"\bin de (?:bron|brontekst|tekstversie)\b|\bde tekstversie van het werkkader\b",
        "schrijf over het werk, niet over de brontekst; zet wat nog ontbreekt in 'open_punten'",
        ("In de bron staat de spelling 'Zintuigelijke'.", "In de tekstversie van het werkkader ontbreekt iets."),
        ("De bron staat onderaan de pagina.", "Zie de bron van de tabel."),
    ),
)

# "op BUUT", "zie BUUT", "staat op BUUT", "op het sociaal intranet BUUT", "Zie voor BUUT".
BUUT_REFERENCE = re.compile(
    r"(?<!welkom )\b(?:op|zie(?:\s+voor)?|via|naar)\s+(?:het\s+)?(?:(?:sociaal\s+)?intranet\s*,?\s+)?"
    r"(?:\([^)\n]{0,40}\)\s+)?BUUT\b"
    r"|\bBUUT\s*\(op\s+de\s+teampagina"
    r"|\bBUUT-artikelen\b", re.IGNORECASE)
BUUT_REFERENCE_EXAMPLES = (
    ("De toolbox staat op BUUT.", "Zie BUUT voor de rollen.", "staan op het sociaal intranet BUUT",
     "staan op (de teampagina's van) BUUT", "Zie voor BUUT de uitleg."),
    ("Welkom op BUUT, het sociaal intranet.", "BUUT is het intranet van de buurtteams."),
)
# Where a sentence ends, for "is the reference linked in its own sentence?".
_SENTENCE_END = re.compile(r"(?<!§)(?<!\d)[.!?](?=\s|$)|\n[ \t]*\n|\n[ \t]*(?:[-*+]|\d+\.)\s")
_LINK = re.compile(r"\]\([^)\s]+|<a\s[^>]*href=")


def _compiled(rule: EditorialRule) -> re.Pattern:
    try:
        return re.compile(rule.pattern, re.IGNORECASE)
    except re.error as error:
        raise BuutError(f"redactieregel '{rule.id}': ongeldig patroon ({error.msg})") from None


def _self_test(rules: tuple[EditorialRule, ...]) -> tuple[tuple[EditorialRule, re.Pattern], ...]:
    """Compile the rules and run their examples; a rule that misses or overreaches does not load."""
    compiled = []
    for rule in rules:
        pattern = _compiled(rule)
        for sentence in rule.flag:
            if not pattern.search(sentence):
                raise BuutError(f"redactieregel '{rule.id}' vindt zijn eigen voorbeeld niet: '{sentence}'")
        for sentence in rule.pass_:
            if pattern.search(sentence):
                raise BuutError(f"redactieregel '{rule.id}' meldt ten onrechte: '{sentence}'")
        compiled.append((rule, pattern))
    return tuple(compiled)


COMPILED = _self_test(RULES)
if not all(BUUT_REFERENCE.search(t) for t in BUUT_REFERENCE_EXAMPLES[0]) or any(
        BUUT_REFERENCE.search(t) for t in BUUT_REFERENCE_EXAMPLES[1]):
    raise BuutError("het patroon voor verwijzingen naar BUUT klopt niet met zijn voorbeelden")


def blank_open_punten(text: str) -> str:
    """`open_punten:` blocks (at any depth) as spaces: they are editors' notes, never shown to readers."""
    lines = text.split("\n")
    depth = None
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if depth is not None:
            # The block goes on while lines are empty, deeper, or list items at the key's own depth.
            if not stripped or indent > depth or (indent == depth and stripped.startswith("- ")):
                lines[index] = " " * len(line)
                continue
            depth = None
        if stripped.startswith("open_punten:"):
            depth = indent
            lines[index] = " " * len(line)
    return "\n".join(lines)


class _Positions:
    def __init__(self, text: str):
        self.starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def check_text(text: str, path: str, start_line: int = 1) -> list[Finding]:
    """Both checks on one file's text; lines before `start_line` (front matter) are not read."""
    lines = blank_open_punten(text).split("\n")
    readable = "\n".join(" " * len(line) if index < start_line - 1 else line for index, line in enumerate(lines))
    shown = prose(readable)
    where = _Positions(text)
    findings = list(_bronnenpraat(shown, path, where))
    findings += _dead_references(shown, readable, path, where)
    return sorted(findings, key=lambda f: (f.line, f.column))


def rule_findings(compiled, shown: str, path: str, where: _Positions, rule_id: str,
                  message: Callable[[str, EditorialRule], str], level: Level = Level.ERROR) -> Iterator[Finding]:
    """One finding per phrase that a compiled rule finds in the prose, even when several rules see it."""
    spans: list[tuple[int, int]] = []
    for rule, pattern in compiled:
        for match in pattern.finditer(shown):
            if any(start < match.end() and match.start() < end for start, end in spans):
                continue
            spans.append(match.span())
            line, column = where.at(match.start())
            found = " ".join(match.group(0).split())
            yield Finding(path, line, column, level, message(found, rule), rule_id, found,
                          end_column=column + len(match.group(0)))


def _bronnenpraat(shown: str, path: str, where: _Positions) -> Iterator[Finding]:
    return rule_findings(COMPILED, shown, path, where, RULE_BRONNENPRAAT,
                         lambda found, rule: f"bronnenpraat '{found}': {rule.message}")


def _dead_references(shown: str, original: str, path: str, where: _Positions) -> Iterator[Finding]:
    for match in BUUT_REFERENCE.finditer(shown):
        start = max((m.end() for m in _SENTENCE_END.finditer(shown, 0, match.start())), default=0)
        after = _SENTENCE_END.search(shown, match.end())
        end = after.start() if after else len(shown)
        # a link target that starts with "." can end the sentence in the prose (the target is blanked
        # after its first character): look a few characters further in the original
        if _LINK.search(original, start, min(len(original), end + 3)):
            continue
        line, column = where.at(match.start())
        found = " ".join(match.group(0).split())
        yield Finding(path, line, column, Level.ERROR,
                      f"'{found}' verwijst naar BUUT zonder link: link in deze zin naar de pagina die het bevat",
                      RULE_BUUT_LINK, found, end_column=column + len(match.group(0)))


def applies(page: Page) -> bool:
    return (any(d in DOELGROEPEN for d in page.meta.doelgroep)
            and not str(page.uri).startswith(EXEMPT_URI_PREFIXES))


def check_page(page: Page) -> list[Finding]:
    """A content page: its body; a werkinstructie also its data (shown on the page), minus open points."""
    if not applies(page):
        return []
    start = 1 if page.meta.voorziening is not None else page.body_line
    return check_text(page.text, page.path, start) + termijn.check_page(page)


def check_data_file(text: str, path: str) -> list[Finding]:
    """A YAML data file (partner, team): every value is shown to readers except `open_punten`."""
    return list(_DATA_FINDINGS.get((text, path), lambda: tuple(check_text(text, path))))


_DATA_FINDINGS: Remembered[tuple[Finding, ...]] = Remembered()  # by text (buut/load/memo.py)
