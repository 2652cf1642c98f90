"""Team pages made from `teams/*.yml`: one page per file and an overview per stadsdeel (intranet only).

A page shows what is known and nothing else: an empty field gets no empty box, it goes to the
editors' worklist. The number of teams comes from the buurtteamorganisatie (partners/), the
opening hours from werkkader §1.1 — each fact has one source.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from buut.model import STADSDELEN, TEAM_CONTACTROLLEN, Team
from buut.render.common import generated, link
from buut.render.partners import STADSDEEL_LABEL, uri as partner_uri, website_link

if TYPE_CHECKING:  # pragma: no cover
    from buut.model import Page
    from buut.check.project import Project

OVERZICHT_URI = "teams/index.md"
EIGENAAR = "redactie-teams"
BRON = "werkkader voorwoord, §1.1, §3.1.3, §3.1.6"
# Werkkader §1.1: the same for every team; evenings and weekends differ per team (field `bereikbaarheid`).
BEREIKBAARHEID = ("Aan de balie, aan de telefoon en online op werkdagen van 09.00 tot 17.00 uur "
                  "(werkkader §1.1). 's Avonds en in het weekend verschilt het per team.")
AANVULLEN = ("Deze pagina wordt nog aangevuld. Weet je een adres, een spreeklocatie of een vaste contactpersoon "
             "van dit team? Geef het door via de feedback op deze pagina.")


def uri(team: Team) -> str:
    return f"teams/{team.id}.md"


def _organisatie(team: Team, project: "Project"):
    return project.partner(team.buurtteamorganisatie)


def _kerngegevens(team: Team, project: "Project", publiek: bool) -> list[tuple[str, str]]:
    """Stadsdeel, organisation, teams at the start, website and bereikbaarheid: what the werkkader and the
    partner data give (on the public site only from a public organisation)."""
    organisatie = _organisatie(team, project)
    rows = [("Stadsdeel", STADSDEEL_LABEL[team.stadsdeel])]
    if organisatie is not None and (organisatie.publiek or not publiek):
        rows.append(("Buurtteamorganisatie", f"[{organisatie.naam}]({link(uri(team), partner_uri(organisatie))})"))
        if organisatie.teams_bij_start:
            rows.append(("Aantal buurtteams bij de start (1 april 2021)", str(organisatie.teams_bij_start)))
        if organisatie.contact.website:
            rows.append(("Website" if publiek else "Website voor Amsterdammers", website_link(organisatie.contact.website)))
    rows.append(("Bereikbaar", BEREIKBAARHEID + (f" {team.bereikbaarheid}" if team.bereikbaarheid else "")))
    return rows


def team_markdown(team: Team, project: "Project") -> str:
    here = uri(team)
    rows = _kerngegevens(team, project, publiek=False)
    out = [f"# {team.naam}", "", '!!! abstract "In het kort"']
    out += [f"    - **{label}:** {value}" for label, value in rows] + [""]
    for title, items in (("Locaties", team.locaties), ("Spreeklocaties", team.spreeklocaties)):
        if items:
            out += [f"## {title}", ""] + [f"- {item}" for item in items] + [""]
    known = [c for c in (team.contact(rol) for rol in TEAM_CONTACTROLLEN) if c]
    if known:
        out += ["## Vaste contacten", ""]
        for contact in known:
            parts = [p for p in (contact.naam, contact.telefoon, contact.email) if p]
            out.append(f"- **{TEAM_CONTACTROLLEN[contact.rol]}:** {', '.join(parts)}")
        out.append("")
    if team.ontbrekend():
        out += [f"_{AANVULLEN}_", ""]
    out += [f"Alle stadsdelen: [buurtteams per stadsdeel]({link(here, OVERZICHT_URI)}).", "",
            f"_Bron: {BRON}_", ""]
    return "\n".join(out)


def overzicht_markdown(project: "Project") -> str:
    here = OVERZICHT_URI
    by_stadsdeel = {s: [t for t in project.teams if t.stadsdeel == s] for s in STADSDELEN}
    organisaties = {p.stadsdelen[0]: p for p in project.partners
                    if "buurtteams" in p.domein and len(p.stadsdelen) == 1}
    total = sum(p.teams_bij_start or 0 for p in organisaties.values())
    out = ["# Buurtteams per stadsdeel", "",
           "Amsterdam heeft zeven buurtteamorganisaties, in elk stadsdeel één. Samen begonnen zij op",
           f"1 april 2021 met {total} buurtteams; in elk stadsdeel komen er geleidelijk teams bij, naar wat de",
           "buurten nodig hebben (werkkader, voorwoord).", "",
           f"**Bereikbaar:** {BEREIKBAARHEID}", "",
           "Elk buurtteam heeft een vaste klantmanager en een vaste inkomensconsulent van WPI. Je kunt hen",
           "direct benaderen; wat zij doen staat bij [WPI]"
           f"({link(here, 'partners/wpi.md')}) (werkkader §3.1.3). Zodra hun gegevens zijn nagegaan, staan ze op",
           "de teampagina van je stadsdeel.", "",
           "| Stadsdeel | Buurtteamorganisatie | Teams bij de start | Teampagina |", "|---|---|---|---|"]
    for stadsdeel in STADSDELEN:
        organisatie = organisaties.get(stadsdeel)
        name = f"[{organisatie.naam}]({link(here, partner_uri(organisatie))})" if organisatie else ""
        count = str(organisatie.teams_bij_start or "") if organisatie else ""
        pages = ", ".join(f"[{t.naam}]({link(here, uri(t))})" for t in by_stadsdeel[stadsdeel])
        out.append(f"| {STADSDEEL_LABEL[stadsdeel]} | {name} | {count} | {pages} |")
    out += ["", f"_Bron: {BRON}_", ""]
    return "\n".join(out)


def public_team_markdown(team: Team, project: "Project") -> str:
    """The public page of the buurtteams of one stadsdeel, for partners (*u*): what the werkkader and the
    public partner data give (organisation, bereikbaarheid, website); an unverified value is left out."""
    here = uri(team)
    rows = _kerngegevens(team, project, publiek=True)
    out = [f"# {team.naam}", "",
           f"Zo bereikt u de buurtteams in {STADSDEEL_LABEL[team.stadsdeel]}.", ""]
    out += [f"- **{label}:** {value}" for label, value in rows] + [""]
    out += [f"Alle stadsdelen: [buurtteams per stadsdeel]({link(here, OVERZICHT_URI)}).", "", f"_Bron: {BRON}_", ""]
    return "\n".join(out)


def public_overzicht_markdown(project: "Project") -> str:
    here = OVERZICHT_URI
    out = ["# Buurtteams per stadsdeel", "",
           "Amsterdam heeft zeven buurtteamorganisaties, in elk stadsdeel één (werkkader, voorwoord). Kies het",
           "stadsdeel waar de Amsterdammer woont.", "",
           f"**Bereikbaar:** {BEREIKBAARHEID}", ""]
    for stadsdeel in STADSDELEN:
        for team in (t for t in project.teams if t.stadsdeel == stadsdeel):
            organisatie = _organisatie(team, project)
            website = organisatie.contact.website if organisatie is not None and organisatie.publiek else ""
            out.append(f"- [{team.naam}]({link(here, uri(team))})" + (f": {website_link(website)}" if website else ""))
    out += ["", f"_Bron: {BRON}_", ""]
    return "\n".join(out)


def public_pages(project: "Project") -> list["Page"]:
    return _pages(project, public_team_markdown, public_overzicht_markdown, "partners", "publiek")


def pages(project: "Project") -> list["Page"]:
    return _pages(project, team_markdown, overzicht_markdown, "medewerkers", "intern")


def _pages(project: "Project", team_page, overview, doelgroep: str, zichtbaarheid: str) -> list["Page"]:
    result = [generated(uri(t), t.naam, team_page(t, project), "pagina", (doelgroep,), zichtbaarheid, BRON,
                        EIGENAAR) for t in project.teams]
    result.append(generated(OVERZICHT_URI, "Buurtteams per stadsdeel", overview(project), "pagina",
                            (doelgroep,), zichtbaarheid, BRON, EIGENAAR))
    return result
