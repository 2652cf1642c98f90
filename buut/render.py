"""Stage 3, render: pages and fragments generated from data (never typed by hand).

Everything here returns Markdown or HTML strings from BUUT's own data types; the mkdocs adapter
(and any later generator) only places the results. The macros that editors call in pages
(`buut/macros.py`) are thin names for the functions in this module.
"""
from __future__ import annotations

import html
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from . import yamlio
from .check import IGNORE_END, IGNORE_START
from .model import BuutError, Finding, FrontMatter, Glossary, Level, Page
from .schema import ListOf, Nested, Problems, Schema, Text

if TYPE_CHECKING:  # pragma: no cover
    from .project import Project

BEGRIPPENLIJST_URI = "begrippenlijst.md"
WERKPROCES_DATA = "werkkader/werkproces.yml"

ROL_LABEL = {
    # Text and a symbol, never colour alone (WCAG 1.4.1).
    "gebruiken": "✔ Gebruiken",
    "ook wel": "➕ Ook wel, in deze context",
    "niet gebruiken": "✖ Niet gebruiken",
}


def _generated(uri: str, titel: str, body: str, soort: str, doelgroep=("medewerkers",),
               zichtbaarheid="publiek", source: str = "") -> Page:
    meta = FrontMatter(titel=titel, eigenaar="redactie-begrippen", zichtbaarheid=zichtbaarheid,
                       doelgroep=tuple(doelgroep), soort=soort, bron=source or None)
    return Page(path=f"(gegenereerd) {uri}", uri=PurePosixPath(uri), meta=meta, text=body, body_line=1,
                generated=True)


def begrippenlijst_markdown(glossary: Glossary) -> str:
    out = [
        "# Begrippenlijst",
        "",
        "Welke woorden gebruiken we in de buurtteams, en welke liever niet? Per begrip staat hier de",
        "term die we gebruiken, de termen die in een bepaalde context ook passen, en de termen die we",
        "vermijden, met de reden. Deze pagina wordt gemaakt uit `glossary.yml`; de taalcontrole van",
        "BUUT gebruikt dezelfde lijst.",
        "",
        "_Bron: werkkader 2.0, Begrippenlijst_",
        "",
        IGNORE_START,
    ]
    for begrip in glossary.begrippen:
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
        for term in glossary.schrijfwijzen:
            out.append(f"- **{term.term}**" + (f": {term.toelichting}" if term.toelichting else ""))
        out.append("")
    out.append(IGNORE_END)
    return "\n".join(out) + "\n"


def abbreviations(glossary: Glossary) -> str:
    """Markdown abbreviation definitions: the site shows these terms' definitions as tooltips."""
    lines = []
    for _, term in glossary.terms():
        if term.tooltip and term.definitie:
            text = " ".join(term.definitie.split())
            lines += [f"*[{term.term}]: {text}", f"*[{term.term[:1].upper()}{term.term[1:]}]: {text}"]
    return "\n".join(dict.fromkeys(lines))


# ---------------------------------------------------------------------------------------------
# The werkproces diagram (werkkader §2.4), drawn in HTML and CSS: no script, no network.
# ---------------------------------------------------------------------------------------------

STAP = Schema("een stap van het werkproces", {
    "nummer": Text(required=True, pattern=r"2\.4\.[1-8]", pattern_help="een paragraaf 2.4.1 t/m 2.4.8"),
    "naam": Text(required=True),
    "kern": Text(required=True),
})
WERKPROCES = ListOf(Nested(STAP), allow_empty=False)


def load_werkproces(root: Path) -> tuple[dict, ...]:
    path = root / WERKPROCES_DATA
    try:
        data = yamlio.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuutError(Finding(WERKPROCES_DATA, 1, 1, Level.ERROR, "bestand ontbreekt", "werkproces")) from None
    except yamlio.YamlProblem as problem:
        raise BuutError(problem.finding(WERKPROCES_DATA, "werkproces.yaml")) from None
    problems = Problems(WERKPROCES_DATA, [])
    try:
        steps = WERKPROCES.validate(data, 1, problems)
    except Exception as invalid:  # Invalid
        raise BuutError(Finding(WERKPROCES_DATA, 1, 1, Level.ERROR, str(invalid), "werkproces.schema")) from None
    if problems.found:
        raise BuutError(problems.found)
    return steps


def werkproces_diagram(steps, link_base: str = "") -> str:
    """An ordered list drawn as a flow of eight boxes; readable as a plain list without CSS."""
    items = []
    for step in steps:
        anchor = step["nummer"].replace(".", "") + "-" + _slug(step["naam"])
        items.append(
            f'<li class="buut-stap"><a href="{html.escape(link_base)}#{anchor}">'
            f'<span class="buut-stap-nummer">{html.escape(step["nummer"])}</span> '
            f'<strong>{html.escape(step["naam"])}</strong></a>'
            f'<span class="buut-stap-kern">{html.escape(step["kern"])}</span></li>'
        )
    return ('<figure class="buut-werkproces" aria-labelledby="buut-werkproces-titel">'
            '<figcaption id="buut-werkproces-titel">Het werkproces in acht stappen (werkkader §2.4)</figcaption>'
            '<ol>' + "".join(items) + "</ol></figure>")


def _slug(text: str) -> str:
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def generated_pages(project: "Project") -> list[Page]:
    body = begrippenlijst_markdown(project.glossary)
    return [_generated(BEGRIPPENLIJST_URI, "Begrippenlijst", body, "begrip", ("medewerkers",),
                       source="werkkader 2.0, Begrippenlijst")]
