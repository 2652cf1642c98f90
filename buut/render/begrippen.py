"""The begrippenlijst page and the glossary tooltips, made from `glossary.yml`."""
from __future__ import annotations

import re
import unicodedata

from buut.check.terminology import IGNORE_END, IGNORE_START
from buut.model import Glossary

BEGRIPPENLIJST_URI = "begrippenlijst.md"

ROL_LABEL = {
    # Text and an icon from the theme's own set (pymdownx.emoji), never colour alone (WCAG 1.4.1).
    "gebruiken": ":material-check-circle: Gebruiken",
    "ook wel": ":material-plus-circle: Ook wel, in deze context",
    "niet gebruiken": ":material-close-circle: Niet gebruiken",
}


def alphabetical(text: str) -> tuple[str, str]:
    """Sort key for a Dutch list: case and accents do not count (`één` next to `een`), then as written."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9 ]", "", plain).strip(), text


def begrippenlijst_markdown(glossary: Glossary) -> str:
    out = [
        "# Begrippenlijst",
        "",
        "Welke woorden gebruiken we in de buurtteams, en welke liever niet? Per begrip staat hier de",
        "term die we gebruiken, de termen die in een bepaalde context ook passen, en de termen die we",
        "vermijden, met de reden. De begrippen staan op alfabetische volgorde.",
        "",
        "_Bron: werkkader 2.0, Begrippenlijst_",
        "",
        IGNORE_START,
    ]
    for begrip in sorted(glossary.begrippen, key=lambda b: alphabetical(b.naam)):
        out += [f"## {begrip.naam} {{ #{begrip.id} }}", ""]  # "{#" would open a Jinja comment
        for rol in ("gebruiken", "ook wel", "niet gebruiken"):
            terms = [t for t in begrip.termen if t.rol == rol]
            if not terms:
                continue
            out += [f"**{ROL_LABEL[rol]}**", ""]
            for term in terms:
                extra = []
                if term.context:
                    extra.append(f"_Context:_ {term.context}")
                if rol == "niet gebruiken" and term.vervang_door:
                    extra.append("_Schrijf liever:_ " + ", ".join(f"“{v}”" for v in term.vervang_door))
                text = term.definitie or term.toelichting
                out.append(f"- **{term.term}**" + (f": {text}" if text else ""))
                out += [f"    - {e}" for e in extra]
            out.append("")
    if glossary.schrijfwijzen:
        out += ["## Schrijfwijze { #schrijfwijze }", "", "Zo schrijven we deze woorden:", ""]
        for term in sorted(glossary.schrijfwijzen, key=lambda t: alphabetical(t.term)):
            out.append(f"- **{term.term}**" + (f": {term.toelichting}" if term.toelichting else ""))
        out.append("")
    out.append(IGNORE_END)
    return "\n".join(out) + "\n"


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def abbreviations(glossary: Glossary) -> dict[str, str]:
    """The tooltips of the site (Python-Markdown's `abbr`, given as its glossary): word -> text.

    Terms with `tooltip: true` get their definition; every abbreviation of `afkortingen` gets its
    definition or else its full name, as written (HbH) and in capitals (HBH). Given to the
    extension once rather than appended to every page: parsing the definitions on every page cost
    about 2 ms a page.
    """
    found: dict[str, str] = {}
    for _, term in glossary.terms():
        if term.tooltip and term.definitie:
            text = _LINK.sub(r"\1", " ".join(term.definitie.split()))  # a tooltip holds text, not addresses
            found[term.term] = text
            found[f"{term.term[:1].upper()}{term.term[1:]}"] = text
    for afkorting in glossary.afkortingen:
        text = " ".join((afkorting.definitie or afkorting.voluit).split())
        found[afkorting.afkorting] = text
        found[afkorting.afkorting.upper()] = text
    return found


def without_abbreviations(glossary: Glossary) -> str:
    """Markdown that takes every tooltip off one page (the begrippenlijst explains the words itself)."""
    return "\n".join(f'*[{word}]: ""' for word in abbreviations(glossary))
