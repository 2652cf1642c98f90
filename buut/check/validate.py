"""Check: checks that need more than one file.

Each file's own schema is checked as it is read (stage 1). Here, with everything loaded, BUUT
checks what points elsewhere: partner ids, werkkader sections, werkproces steps, the fixed
structure of a werkinstructie, and names that must be unique. Every problem is a Finding at the
line where the reference was written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from markdown.extensions.toc import slugify

from buut.load.content import PUBLIC_ONLY
from buut.load.memo import Remembered
from buut.model import Finding, Level, Page, Partner

# The sections every werkinstructie has, in this order (the Bron section is generated).
WERKINSTRUCTIE_SECTIES = (
    "Wat is het?",
    "Voor wie?",
    "Wie beslist over de toegang?",
    "Stap voor stap",
    "Registratie en privacy",
    "Wie schakel je in?",
    "Let op",
)

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_ATTR_ID = re.compile(r"\s*\{\s*#([\w-]+)[^}]*\}\s*$")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\s")


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    uri: PurePosixPath
    anchor: str  # "" for the page's own title


def headings(page: Page):
    """(line, level, text, anchor) for each Markdown heading outside code fences."""
    fence = None
    for offset, line in enumerate(page.body.split("\n")):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence:
            continue
        match = _HEADING.match(line)
        if match:
            text = match.group(2)
            explicit = _ATTR_ID.search(text)
            text = _ATTR_ID.sub("", text)
            anchor = explicit.group(1) if explicit else slugify(text, "-")
            yield page.body_line + offset, len(match.group(1)), text, anchor


def werkkader_sections(pages: list[Page]) -> dict[str, Section]:
    """Every numbered heading of the werkkader: '2.4.6' -> where it is."""
    sections: dict[str, Section] = {}
    for page in pages:
        if page.meta.soort != "werkkader":
            continue
        for number, section in _page_sections(page):
            sections.setdefault(number, section)
    return sections


# A page's numbered headings, by its text (buut/load/memo.py): every partner page asks for the
# werkkader's sections, and `mkdocs serve` asks again on every save.
_SECTIONS: Remembered[tuple[tuple[str, Section], ...]] = Remembered()


def _page_sections(page: Page) -> tuple[tuple[str, Section], ...]:
    def find():
        return tuple((match.group(1), Section(match.group(1), text, page.uri, "" if level == 1 else anchor))
                     for _, level, text, anchor in headings(page) if (match := _NUMBER.match(text)))

    return _SECTIONS.get((page.uri, page.body_line, page.body), find)


def validate_references(pages: list[Page], partners: list[Partner], unreadable: tuple[str, ...] = ()) -> list[Finding]:
    """References between files resolve. A file that could not be read has its own error already:
    references into it are not reported too (a werkkader page, or a partner by its file name)."""
    findings: list[Finding] = []
    sections = werkkader_sections(pages)
    werkkader_unreadable = any(path.startswith("werkkader/") for path in unreadable)
    partner_ids = {p.id for p in partners} | {PurePosixPath(path).stem for path in unreadable
                                             if path.startswith("partners/")}

    def section_ref(path: str, ref, what: str) -> None:
        if str(ref) not in sections and not werkkader_unreadable:
            known = ", ".join(sorted(sections, key=_section_key)[:12])
            findings.append(Finding(path, getattr(ref, "line", 1), 1, Level.ERROR,
                                    f"{what}: werkkaderparagraaf '{ref}' bestaat niet (bijvoorbeeld: {known}, …)",
                                    "verwijzing.werkkader"))

    def partner_ref(path: str, ref, what: str) -> None:
        if str(ref) not in partner_ids:
            hint = _closest(str(ref), partner_ids)
            findings.append(Finding(path, getattr(ref, "line", 1), 1, Level.ERROR,
                                    f"{what}: partner '{ref}' bestaat niet in partners/"
                                    + (f"; bedoelt u '{hint}'?" if hint else ""), "verwijzing.partner"))

    names: dict[str, Page] = {}
    for page in pages:
        voorziening = page.meta.voorziening
        if page.path.split("/", 1)[0] in PUBLIC_ONLY and not page.meta.publiek:
            findings.append(Finding(page.path, 1, 1, Level.WARNING,
                                    "deze pagina staat in publiek/ maar heeft geen 'zichtbaarheid: publiek'; "
                                    "daardoor verschijnt ze nergens", "zichtbaarheid"))
        if voorziening is None:
            continue
        findings.extend(werkinstructie_structure(page))
        for ref in voorziening.werkkader:
            section_ref(page.path, ref, "'voorziening' → 'werkkader'")
        for ref in voorziening.partners:
            partner_ref(page.path, ref, "'voorziening' → 'partners'")
        for regel in voorziening.toegang:
            if regel.partner:
                partner_ref(page.path, regel.partner, "'voorziening' → 'toegang' → 'partner'")
        key = voorziening.naam.lower()
        if key in names:
            findings.append(Finding(page.path, 1, 1, Level.ERROR,
                                    f"dubbele voorziening: '{voorziening.naam}' staat ook in {names[key].path}",
                                    "voorziening.dubbel"))
        names.setdefault(key, page)
    for partner in partners:
        for ref in partner.werkkader:
            section_ref(partner.path, ref, "'werkkader'")
    return findings


def werkinstructie_structure(page: Page) -> list[Finding]:
    """A werkinstructie has one title and the fixed sections, in order; no hand-written Bron."""
    findings = []
    found = [(line, text) for line, level, text, _ in headings(page) if level == 2]
    titles = [text for _, text in found]
    missing = [s for s in WERKINSTRUCTIE_SECTIES if s not in titles]
    for section in missing:
        findings.append(Finding(page.path, page.body_line, 1, Level.ERROR,
                                f"werkinstructie mist de sectie '## {section}' (verplicht: "
                                + ", ".join(WERKINSTRUCTIE_SECTIES) + ")", "werkinstructie.secties"))
    present = [t for t in titles if t in WERKINSTRUCTIE_SECTIES]
    expected = [s for s in WERKINSTRUCTIE_SECTIES if s in present]
    if not missing and present != expected:
        line = next(line for line, text in found if text in WERKINSTRUCTIE_SECTIES)
        findings.append(Finding(page.path, line, 1, Level.ERROR,
                                "de secties van de werkinstructie staan in een andere volgorde dan: "
                                + ", ".join(WERKINSTRUCTIE_SECTIES), "werkinstructie.secties"))
    for line, text in found:
        if text.strip().lower() == "bron":
            findings.append(Finding(page.path, line, 1, Level.ERROR,
                                    "schrijf geen sectie '## Bron': BUUT maakt die uit 'bron', 'werkkader' en "
                                    "'open_punten'", "werkinstructie.secties"))
    return findings


def _section_key(number: str):
    return tuple(int(part) for part in number.split("."))


def _closest(word: str, candidates) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return match[0] if match else None
