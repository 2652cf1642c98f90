"""Termijnen: a number with its unit, and prose that says the same as the data.

A werkinstructie's `wettelijke_termijn` is shown on the page, in the toegang table and on answer
cards. "6" means nothing to a reader (six days? weeks?), so the schema only accepts an amount
with a unit (`PATTERN`, "8 weken"). And when an editor changes the termijn in the data, the prose
of the same page may still say the old one: `check_page` warns for every amount in a paragraph about
the wettelijke termijn that differs from the data, with the line it is on.
"""
from __future__ import annotations

import re
from typing import Iterator

from buut.model import Finding, Level, Page
from buut.load.prose import visible

RULE = "redactie.termijn"

UNITS = ("werkdagen", "werkdag", "dagen", "dag", "weken", "week", "maanden", "maand", "jaren", "jaar")
PATTERN = rf"[1-9]\d{{0,2}} (?:{'|'.join(UNITS)})"
PATTERN_HELP = ("een termijn is een aantal met een eenheid, zoals '8 weken' "
                "(dagen, werkdagen, weken, maanden of jaar)")

# Amounts as editors write them in prose: "8 weken", "acht weken", "binnen twee weken".
_WORDS = {"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
          "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
          "zestien": 16, "twintig": 20, "dertig": 30}
_AMOUNT = re.compile(rf"\b(\d{{1,3}}|{'|'.join(_WORDS)})\s+({'|'.join(UNITS)})\b", re.IGNORECASE)
_SUBJECT = re.compile(r"\bwettelijke\s+termijn\b", re.IGNORECASE)
# A paragraph ends at an empty line, a list item or a heading: "Houd rekening met de wettelijke
# termijn. (…) mag het niet langer duren dan 8 weken" names the termijn in its next sentence.
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:[-*+]|\d+\.|#{1,6})\s)")
_SINGULAR = {"werkdagen": "werkdag", "dagen": "dag", "weken": "week", "maanden": "maand", "jaren": "jaar"}


def _normal(number: str, unit: str) -> tuple[int, str]:
    count = int(number) if number.isdigit() else _WORDS[number.lower()]
    unit = unit.lower()
    return count, _SINGULAR.get(unit, unit)


def parse(termijn: str) -> tuple[int, str] | None:
    match = _AMOUNT.fullmatch(termijn.strip())
    return _normal(match.group(1), match.group(2)) if match else None


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for end in _PARAGRAPH_END.finditer(text):
        yield start, end.start()
        start = end.end()
    yield start, len(text)


def check_page(page: Page) -> list[Finding]:
    """Warnings where the prose of a werkinstructie names another wettelijke termijn than its data."""
    voorziening = page.meta.voorziening
    data = parse(voorziening.wettelijke_termijn) if voorziening is not None else None
    if data is None:
        return []
    lines = page.text.split("\n")
    # the front matter (the data itself) is not prose: blank it, keeping lines and columns
    body = "\n".join(" " * len(line) if index < page.body_line - 1 else line for index, line in enumerate(lines))
    shown = visible(body)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    findings = []
    for start, end in _paragraphs(shown):
        if not _SUBJECT.search(shown, start, end):
            continue
        for match in _AMOUNT.finditer(shown, start, end):
            if _normal(match.group(1), match.group(2)) == data:
                continue
            line = next(i for i, s in enumerate(starts) if s > match.start())
            column = match.start() - starts[line - 1] + 1
            findings.append(Finding(
                page.path, line, column, Level.WARNING,
                f"de tekst noemt als wettelijke termijn '{match.group(0)}', de gegevens "
                f"(wettelijke_termijn) '{voorziening.wettelijke_termijn}': maak ze gelijk", RULE,
                match.group(0), end_column=column + len(match.group(0))))
    return findings
