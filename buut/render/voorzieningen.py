"""Views of the voorzieningen, all made from the `voorziening:` blocks of the werkinstructies.

- `werkinstructie`: a werkinstructie page with its data placed in it (header, who decides, steps,
  partners, sources), so that an editor writes each fact once, in the front matter.
- `toegang_tabel`: the table "Wie bepaalt de toegang?" of werkkader §2.5.
- `overzicht_markdown`: all voorzieningen, by kind and by who decides now.
- `werkproces_markdown` / `bij_stap`: for each step of the werkproces, what applies per voorziening.

Every function takes the uri of the page the result lands on, so links are relative and work in
any generator and under any base URL.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from buut.model import BESLISSERS, ROUTES, SOORTEN_VOORZIENING, ToegangsRegel, Voorziening
from buut.check.validate import WERKINSTRUCTIE_SECTIES, werkkader_sections
from buut.render.common import cell, datum, first_sentence, link

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.project import Project

OVERZICHT_URI = "werkinstructies/index.md"
TOEGANG_URI = "werkinstructies/toegang.md"
WERKPROCES_URI = "werkinstructies/werkproces.md"

BESLISSER_LABEL = {
    "buurtteam": "het buurtteam",
    "aanbieder": "de aanbieder",
    "partner": "een partner",
    "gemeente": "de gemeente",
    "vrij toegankelijk": "vrij toegankelijk, zonder besluit",
}
BESCHIKKING_LABEL = {
    "geen": "geen beschikking",
    "buurtteam": "het buurtteam geeft de beschikking af",
    "gemeente": "de gemeente geeft de beschikking af",
    "onbekend": "nog niet vastgelegd",
}
# What is not yet known is shown neutrally; the owner finds it in the worklist (buut/render/worklist.py).
ONBEKEND = "nog niet vastgelegd"
SOORT_LABEL = {"algemene voorziening": "algemene voorziening", "maatwerkvoorziening": "maatwerkvoorziening",
               "onbekend": ONBEKEND}
ROUTE_LABEL = {"toegang": "het buurtteam organiseert de toegang",
               "toeleiding": "toeleiding: het buurtteam verbindt de Amsterdammer met wie beslist"}
STATUS_LABEL = {"geldend": "geldt nu", "verlopen": "verlopen", "toekomstig": "geldt nog niet"}
STATUS_ORDER = {"geldend": 0, "toekomstig": 1, "verlopen": 2}


# --------------------------------------------------------------------------------------------
# Small texts, used by the page, the tables and the macros alike.
# --------------------------------------------------------------------------------------------

def beslisser(regel: ToegangsRegel, project: "Project", here: str | None = None) -> str:
    name = regel.naam or BESLISSER_LABEL[regel.wie]
    partner = project.partner(regel.partner) if regel.partner else None
    if partner is not None and here is not None:
        name = f"[{regel.naam or partner.naam}]({link(here, partner_uri(partner.id))})"
    elif partner is not None:
        name = regel.naam or partner.naam
    return name


def periode(regel: ToegangsRegel) -> str:
    if regel.vanaf and regel.tot:
        return f"van {datum(regel.vanaf)} tot {datum(regel.tot)}"
    if regel.vanaf:
        return f"vanaf {datum(regel.vanaf)}"
    if regel.tot:
        return f"tot {datum(regel.tot)}"
    return ""


def regel_tekst(regel: ToegangsRegel, project: "Project", here: str | None = None) -> str:
    parts = [beslisser(regel, project, here)]
    if periode(regel):
        parts.append(periode(regel))
    if regel.voorwaarde:
        parts.append(regel.voorwaarde)
    return ", ".join(parts)


def beschikking_tekst(voorziening: Voorziening) -> str:
    text = BESCHIKKING_LABEL[voorziening.beschikking_door]
    if voorziening.beschikking_toelichting:
        text += f"; {voorziening.beschikking_toelichting}"
    return text


def soort_tekst(voorziening: Voorziening) -> str:
    soort = SOORT_LABEL[voorziening.soort]
    if voorziening.onderdeel_van:
        return f"{soort} ({voorziening.onderdeel_van})"
    return soort


def ondersteuningsplan_tekst(voorziening: Voorziening) -> str:
    return {True: "nodig", False: "niet nodig", None: ONBEKEND}[voorziening.ondersteuningsplan]


def regels_nu_eerst(voorziening: Voorziening, today: dt.date) -> list[ToegangsRegel]:
    """The toegang rules with the ones that hold today first, then future, then expired ones."""
    return sorted(voorziening.toegang, key=lambda r: STATUS_ORDER[r.status(today)])


def nu_beslist(voorziening: Voorziening, today: dt.date) -> tuple[str, ...]:
    """The kinds of decider whose rule holds today (for grouping and filtering)."""
    return tuple(dict.fromkeys(r.wie for r in voorziening.geldend(today))) or ("onbekend",)


def partner_uri(ident: str) -> str:
    return f"partners/{ident}.md"


# --------------------------------------------------------------------------------------------
# The werkinstructie page
# --------------------------------------------------------------------------------------------

def werkinstructie(markdown: str, voorziening: Voorziening, project: "Project", bron: str | None) -> str:
    """The page as written, with its data placed under the title and in the fixed sections."""
    here = str(voorziening.uri)
    lines = markdown.split("\n")
    inserts = {
        "Wie beslist over de toegang?": _toegang_blok(voorziening, project, here),
        "Stap voor stap": _stappen_blok(voorziening, project, here),
        "Wie schakel je in?": _partners_blok(voorziening, project, here),
    }
    out: list[str] = []
    title_done = False
    fence = None
    for line in lines:
        out.append(line)
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = None if fence == stripped[:3] else (fence or stripped[:3])
        if fence:
            continue
        if not title_done and re.match(r"#\s", line):
            out += ["", _kort_blok(voorziening, project, here), ""]
            title_done = True
        match = re.match(r"##\s+(.+?)\s*$", line)
        if match and match.group(1) in inserts:
            out += ["", inserts[match.group(1)], ""]
    out += ["", _bron_blok(voorziening, project, here, bron)]
    return "\n".join(out)


def _kort_blok(voorziening: Voorziening, project: "Project", here: str) -> str:
    nu = voorziening.geldend(project.today)
    rows = [
        ("Soort", soort_tekst(voorziening)),
        ("Route", ROUTE_LABEL[voorziening.route]),
        ("Wie beslist nu", "; ".join(regel_tekst(r, project, here) for r in nu) or "geen geldende regel"),
        ("Beschikking", beschikking_tekst(voorziening)),
    ]
    if voorziening.wettelijke_termijn:
        rows.append(("Wettelijke termijn", voorziening.wettelijke_termijn))
    rows.append(("Ondersteuningsplan", ondersteuningsplan_tekst(voorziening)))
    body = "\n".join(f"    - **{label}:** {text}" for label, text in rows)
    return '!!! abstract "In het kort"\n' + body


def _toegang_blok(voorziening: Voorziening, project: "Project", here: str) -> str:
    out = []
    for regel in regels_nu_eerst(voorziening, project.today):
        status = STATUS_LABEL[regel.status(project.today)]
        out.append(f"- {regel_tekst(regel, project, here)} _({status})_")
    out += ["", f"**Beschikking:** {beschikking_tekst(voorziening)}."]
    if voorziening.wettelijke_termijn:
        out.append(f"**Wettelijke termijn:** {voorziening.wettelijke_termijn}.")
    out.append("")
    out.append(f"Alle voorzieningen op een rij: [Wie bepaalt de toegang?]({link(here, TOEGANG_URI)})")
    return "\n".join(out)


def _stappen_blok(voorziening: Voorziening, project: "Project", here: str) -> str:
    if not voorziening.stappen:
        return "_Voor deze voorziening zijn nog geen stappen vastgelegd._"
    sections = werkkader_sections(project.content.pages)
    out = []
    for index, stap in enumerate(voorziening.stappen, 1):
        section = sections.get(str(stap.stap))
        name = section.title if section else stap.stap
        target = f"[{name}]({link(here, section.uri, section.anchor)})" if section else name
        out.append(f"{index}. **{target}**: {stap.doe}")
    return "\n".join(out)


def _partners_blok(voorziening: Voorziening, project: "Project", here: str) -> str:
    out = []
    for ident in voorziening.partners:
        partner = project.partner(ident)
        if partner is not None:
            out.append(f"- [{partner.label}]({link(here, partner_uri(partner.id))}): "
                       f"{first_sentence(partner.omschrijving)}")
    return "\n".join(out) or "_Geen partners vastgelegd._"


def _bron_blok(voorziening: Voorziening, project: "Project", here: str, bron: str | None) -> str:
    sections = werkkader_sections(project.content.pages)
    out = ["## Bron", ""]
    refs = []
    for number in voorziening.werkkader:
        section = sections.get(str(number))
        if section:
            refs.append(f"[§{number} {_without_number(section.title)}]({link(here, section.uri, section.anchor)})")
    out.append("Deze werkinstructie rust op het werkkader: " + ", ".join(refs) + ".")
    if bron:
        out += ["", f"_Bron: {bron}_"]
    return "\n".join(out)


def _without_number(title: str) -> str:
    return re.sub(r"^\d+(\.\d+)*\s+", "", title)


# --------------------------------------------------------------------------------------------
# Tables and overviews
# --------------------------------------------------------------------------------------------

def toegang_tabel(project: "Project", here: str) -> str:
    """The table of werkkader §2.5, one row per voorziening, from the data."""
    if not project.voorzieningen:
        return "_Deze tabel komt uit de werkinstructies van de buurtteams; die zijn niet openbaar._"
    rows = ["| Voorziening | Soort | Route | Wie bepaalt de toegang | Beschikking |", "|---|---|---|---|---|"]
    for voorziening in project.voorzieningen:
        regels = []
        for regel in regels_nu_eerst(voorziening, project.today):
            status = regel.status(project.today)
            text = regel_tekst(regel, project, here)
            regels.append(text if status == "geldend" else f"{text} _({STATUS_LABEL[status]})_")
        name = f"[{cell(voorziening.naam)}]({link(here, voorziening.uri)})"
        rows.append(f"| {name} | {cell(soort_tekst(voorziening))} | {cell(voorziening.route)} "
                    f"| {'<br>'.join(cell(r) for r in regels)} "
                    f"| {cell(beschikking_tekst(voorziening))} |")
    return "\n".join(rows)


def toegang_markdown(project: "Project") -> str:
    return "\n".join([
        "# Wie bepaalt de toegang?",
        "",
        "Per voorziening: wie over de toegang beslist, sinds wanneer en tot wanneer, en of er een",
        "beschikking volgt. De tabel wordt gemaakt uit de gegevens van de werkinstructies; een regel die",
        f"niet meer geldt, staat er met de vermelding _verlopen_ (peildatum {datum(project.today)}).",
        "",
        toegang_tabel(project, TOEGANG_URI),
        "",
        "_Bron: werkkader §2.5 en de werkinstructies_",
        "",
    ])


def overzicht_markdown(project: "Project") -> str:
    here = OVERZICHT_URI
    out = [
        "# Werkinstructies",
        "",
        "Voor elke voorziening een werkinstructie: wat het is, voor wie, wie beslist, wat je stap voor",
        "stap doet, en wie je erbij haalt. Kies hieronder op soort of op wie nu beslist, of bekijk",
        f"[de tabel met wie de toegang bepaalt]({link(here, TOEGANG_URI)}) en",
        f"[het werkproces per voorziening]({link(here, WERKPROCES_URI)}).",
        "",
        '<div class="buut-filter" data-buut-filter markdown>',
        "",
        "| Voorziening | Soort | Route | Wie beslist nu | Beschikking |",
        "|---|---|---|---|---|",
    ]
    for voorziening in project.voorzieningen:
        nu = ", ".join(BESLISSER_LABEL.get(w, w) for w in nu_beslist(voorziening, project.today))
        out.append(f"| [{cell(voorziening.naam)}]({link(here, voorziening.uri)}) "
                   f"| {cell(SOORT_LABEL[voorziening.soort])} | {cell(voorziening.route)} "
                   f"| {cell(nu)} | {cell(BESCHIKKING_LABEL[voorziening.beschikking_door])} |")
    out += ["", "</div>", "", "## Per soort", ""]
    for soort in SOORTEN_VOORZIENING:
        chosen = [v for v in project.voorzieningen if v.soort == soort]
        if chosen:
            label = "Soort nog niet vastgelegd" if soort == "onbekend" else soort
            out += [f"### {label[:1].upper()}{label[1:]}", ""]
            out += [f"- [{v.naam}]({link(here, v.uri)})" for v in chosen]
            out.append("")
    out += ["## Per route", ""]
    for route in ROUTES:
        chosen = [v for v in project.voorzieningen if v.route == route]
        if chosen:
            label = ROUTE_LABEL[route]
            out += [f"### {label[:1].upper()}{label[1:]}", ""]
            out += [f"- [{v.naam}]({link(here, v.uri)})" for v in chosen]
            out.append("")
    out += ["## Per beslisser", "", f"Wie nu beslist over de toegang (peildatum {datum(project.today)}).", ""]
    for wie in BESLISSERS:
        chosen = [v for v in project.voorzieningen if wie in nu_beslist(v, project.today)]
        if chosen:
            label = BESLISSER_LABEL[wie]
            out += [f"### {label[:1].upper()}{label[1:]}", ""]
            out += [f"- [{v.naam}]({link(here, v.uri)})" for v in chosen]
            out.append("")
    return "\n".join(out)


def bij_stap(project: "Project", stap: str, here: str) -> str:
    """For one werkproces step: what each voorziening asks of the medewerker in it."""
    items = []
    for voorziening in project.voorzieningen:
        for entry in voorziening.stappen:
            if str(entry.stap) == stap:
                items.append(f"- **[{voorziening.naam}]({link(here, voorziening.uri)})**: {entry.doe}")
    return "\n".join(items) or "_Geen werkinstructie noemt deze stap._"


def bij_stap_blok(project: "Project", stap: str, here: str) -> str:
    """The same, folded away under a heading, for the werkproces page of the werkkader."""
    body = bij_stap(project, stap, here)
    return '??? info "Wat de werkinstructies in deze stap vragen"\n' + "\n".join(
        f"    {line}" if line else "" for line in body.split("\n"))


def werkproces_markdown(project: "Project") -> str:
    here = WERKPROCES_URI
    sections = werkkader_sections(project.content.pages)
    out = [
        "# Werkproces per voorziening",
        "",
        "De acht stappen van het werkproces (werkkader §2.4), en per stap wat de werkinstructies vragen.",
        "",
    ]
    for number in (f"2.4.{i}" for i in range(1, 9)):
        section = sections.get(number)
        title = section.title if section else number
        out += [f"## {title}", ""]
        if section:
            out += [f"[Lees de stap in het werkkader]({link(here, section.uri, section.anchor)})", ""]
        out += [bij_stap(project, number, here), ""]
    return "\n".join(out)


def voorziening_veld(project: "Project", ident: str, veld: str, here: str) -> str:
    """One fact of one voorziening, for the `voorziening()` macro."""
    voorziening = project.voorziening(ident)
    if voorziening is None:
        known = ", ".join(v.id for v in project.voorzieningen)
        raise ValueError(f"onbekende voorziening '{ident}'; bekend zijn: {known}")
    fields = {
        "naam": lambda: voorziening.naam,
        "soort": lambda: soort_tekst(voorziening),
        "toegang": lambda: "; ".join(regel_tekst(r, project, here) for r in voorziening.geldend(project.today)),
        "beschikking": lambda: beschikking_tekst(voorziening),
        "termijn": lambda: voorziening.wettelijke_termijn or ONBEKEND,
        "ondersteuningsplan": lambda: ondersteuningsplan_tekst(voorziening),
        "link": lambda: f"[{voorziening.naam}]({link(here, voorziening.uri)})",
    }
    if veld not in fields:
        raise ValueError(f"onbekend veld '{veld}'; kies uit: {', '.join(fields)}")
    return fields[veld]()


__all__ = ["WERKINSTRUCTIE_SECTIES", "werkinstructie", "toegang_tabel", "overzicht_markdown",
           "werkproces_markdown", "bij_stap", "voorziening_veld", "toegang_markdown"]
