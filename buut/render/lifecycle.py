"""What the lifecycle adds to pages: the overdue notice, owner and last change, Wijzigingen, Redactie.

Owner and last change are not part of the page's Markdown: `upkeep()` gives the values and the
theme shows them under the article (buut/templates/partials/source-file.html), so they are on
every page, generated pages included, and never in the search index.
"""
from __future__ import annotations

import html
from pathlib import Path

from ..lifecycle import VERLOPEN, Change, Commit, Review, describe, eigenaar_naam
from ..model import Page
from ..schema import ListOf, Nested, Schema, Text, load_data_file
from .common import cell, datum, generated, link, slug

VERSIES_DATA = "werkkader/versies.yml"
WIJZIGINGEN_URI = "wijzigingen.md"
REDACTIE_URI = "redactie.md"
OVER_URI = "over-buut.md"
# Pages for editors and developers, linked from "Over BUUT" (footer), not from the main menu.
OVER_PAGES = (("handboek/index.md", "Handboek voor redacteuren",
               "hoe je BUUT bijhoudt: pagina's, werkinstructies, partners, teams, begrippen, macro's, de "
               "taalcontrole, de werklijst, de publieke site en pull requests"),
              ("redactie.md", "Redactie", "de werklijst van de redacties: meldingen, zoekvragen zonder resultaat, open punten"),
              ("wijzigingen.md", "Wijzigingen", "wat er onlangs is veranderd en welke pagina's aan herziening toe zijn"),
              ("toegankelijkheid.md", "Toegankelijkheid", "hoe toegankelijk BUUT is"),
              ("prestaties.md", "Prestaties", "hoe snel BUUT bouwt, controleert en zoekt (voor ontwikkelaars)"))
RECENT_COMMITS = 30  # commits on the Wijzigingen page

VERSIE = Schema("een versie van het werkkader", {
    "versie": Text(required=True, pattern=r"\d+\.\d+", pattern_help="een versienummer zoals 2.0"),
    "verschenen": Text(required=True, help="Maand en jaar, zoals 'april 2021'."),
    "wat": Text(required=True, help="Wat deze versie bracht."),
})
VERSIES = ListOf(Nested(VERSIE), allow_empty=False)


def load_versies(root: Path) -> tuple[dict, ...]:
    """The versions of the werkkader; none if the file is not there."""
    return tuple(load_data_file(root, VERSIES_DATA, VERSIES, "versies", required=False) or ())


def notice(item: Review) -> str:
    """An admonition for the top of an overdue page (intranet only)."""
    if item.status != VERLOPEN:
        return ""
    return (f'!!! warning "Deze pagina is aan herziening toe"\n'
            f"    De eigenaar ({item.page.meta.eigenaar}) zou haar uiterlijk "
            f"{datum(item.page.meta.herzien_voor)} opnieuw bekijken. Ga na of wat hier staat nog klopt.\n")


def upkeep(page: Page, change: Change | None, repo_url: str | None = None) -> dict:
    """What the theme shows under a page: its owner in words, its last change, where its history is."""
    values = {"eigenaar": page.meta.eigenaar, "beheer": eigenaar_naam(page.meta.eigenaar)}
    if change is not None:
        values["gewijzigd"] = datum(change.date)
        if not page.generated:
            values["geschiedenis"] = f"{_url(WIJZIGINGEN_URI)}#{slug(page.path)}"
            if repo_url:
                values["git"] = f"{repo_url.rstrip('/')}/commits/main/{page.path}"
    return values


def _url(uri: str) -> str:
    return uri[:-len("index.md")] if uri.endswith("index.md") else uri[:-3] + "/"


def commit_text(subject: str) -> str:
    """A commit message as inline HTML that Markdown, the macros and the browser leave alone.

    Messages are written by anyone who sends a pull request, and in English (developers' language):
    every character with a meaning in HTML, Markdown or Jinja becomes an entity, and the language is
    marked for screen readers (WCAG 3.1.2)."""
    text = html.escape(" ".join(subject.split()), quote=True)
    text = "".join(f"&#{ord(ch)};" if ch in "{}[]*_`|\\#!<>~" else ch for ch in text)
    return f'<span lang="en">{text}</span>'


def wijzigingen_markdown(versies, pages: list[Page], changes: dict[str, list[Change]], reviews,
                         commits: list[Commit] = (), data_of=None) -> str:
    """The Wijzigingen page: recent changes newest first (date, pages, message), werkkader versions,
    pages due for review, and the latest changes per page (the anchors "eerdere wijzigingen" opens).

    `data_of(page)` gives the files a page is made of (lifecycle.data_files)."""
    data_of = data_of or (lambda page: (page.path,))
    by_file: dict[str, list[Page]] = {}
    by_folder: dict[str, list[Page]] = {}
    for page in pages:
        for source in data_of(page):
            (by_folder if source.endswith("/") else by_file).setdefault(source, []).append(page)

    def touched(paths) -> list[Page]:
        hit = {id(p): p for path in paths for p in by_file.get(path, ())}
        hit.update({id(p): p for path in paths for folder, found in by_folder.items() if path.startswith(folder)
                    for p in found})
        return list(hit.values())

    out = ["# Wijzigingen", "",
           "Wat er onlangs op het intranet is veranderd, welke versie van het werkkader BUUT volgt en welke "
           "pagina's aan herziening toe zijn.", ""]
    out += ["## Recente wijzigingen", ""]
    recent = []
    for commit in commits:
        hit = touched(commit.paths)
        if hit:
            recent.append((commit, hit))
        if len(recent) == RECENT_COMMITS:
            break
    if not recent:
        out.append("Nog geen wijzigingen aan pagina's." if commits else
                   "Deze site is niet uit een git-repository gebouwd; er is geen geschiedenis.")
    for commit, hit in recent:
        titles = ", ".join(f"[{cell(p.meta.titel)}]({link(WIJZIGINGEN_URI, p.uri)})"
                           for p in sorted(hit, key=lambda p: p.meta.titel.lower())[:8])
        more = f" en {len(hit) - 8} andere" if len(hit) > 8 else ""
        out += [f"- **{datum(commit.date)}**: {titles}{more}  ", f"  {commit_text(commit.subject)}"]
    out.append("")
    if versies:
        out += ["## Versies van het werkkader", "", "| versie | verschenen | wat |", "|---|---|---|"]
        out += [f"| {v['versie']} | {cell(v['verschenen'])} | {cell(v['wat'])} |" for v in versies]
        out += ["", f"_Bron: werkkader 2.0, voorwoord ({VERSIES_DATA})_", ""]
    due = [r for r in reviews if r.due]
    out += ["## Aan herziening toe", ""]
    if due:
        out += ["| pagina | eigenaar | status |", "|---|---|---|"]
        out += [f"| [{cell(r.page.meta.titel)}]({link(WIJZIGINGEN_URI, r.page.uri)}) "
                f"| {cell(eigenaar_naam(r.page.meta.eigenaar))} "
                f"| {cell(describe(r))} |" for r in sorted(due, key=lambda r: (r.days, r.page.path))]
    else:
        out.append("Geen pagina's: alles is op tijd bekeken.")
    out += ["", "## Per pagina", ""]
    listed = [p for p in pages if not p.generated and p.path in changes]
    if not listed:
        out.append("Geen geschiedenis per pagina.")
    for page in sorted(listed, key=lambda p: (p.meta.titel.lower(), p.path)):
        out += [f"### {cell(page.meta.titel)} {{ #{slug(page.path)} }}", "",
                f"[Naar de pagina]({link(WIJZIGINGEN_URI, page.uri)})", ""]
        out += [f"- {datum(c.date)}: {commit_text(c.subject)}" for c in changes[page.path]]
        out.append("")
    return "\n".join(out)


def redactie_markdown() -> str:
    """The Redactie page: the live worklist comes from /api/redactie (javascripts/buut.js)."""
    return "\n".join([
        "# Redactie", "",
        "De werklijst van de redacties: per eigenaar de meldingen en de \"niet nuttig\" van medewerkers, "
        "de zoekvragen die niets opleverden, pagina's die aan herziening toe zijn, open punten in de "
        "gegevens en partners met onvolledige gegevens.", "",
        '<div class="buut-redactie" data-buut-redactie markdown>',
        "De werklijst staat hier alleen als het intranet door BUUT zelf wordt geserveerd (`buut serve`). "
        "Op de commandoregel zie je hem met `buut redactie`.",
        "</div>", "",
        "Een melding is afgehandeld? Haal hem van de lijst met `buut redactie afhandelen NUMMER`.", ""])


def over_markdown(existing: set[str]) -> str:
    out = ["# Over BUUT", "",
           "BUUT is het intranet van de Amsterdamse buurtteams. Elke pagina heeft een eigenaar: een redactie "
           "die haar bijhoudt. Onder elke pagina staat wie dat is en wanneer de pagina voor het laatst is "
           "gewijzigd; daar kun je ook laten weten of de pagina nuttig was, of een fout melden.", "",
           "De inhoud van BUUT staat in git. Redacteuren stellen een wijziging voor met een pull request; "
           "BUUT controleert elke wijziging automatisch (onder meer op de begrippenlijst) en bouwt de site "
           "opnieuw. Hoe dat gaat, staat in het handboek voor redacteuren.", "",
           "Voor redacteuren en ontwikkelaars:", ""]
    out += [f"- [{titel}]({link(OVER_URI, uri)}): {what}" for uri, titel, what in OVER_PAGES
            if uri in existing]
    return "\n".join(out) + "\n"


def upkeep_pages(project, history: dict[str, list[Change]], reviews, commits: list[Commit] = ()) -> list[Page]:
    """The intranet's own pages about its upkeep: Wijzigingen, Redactie and Over BUUT."""
    from ..lifecycle import data_files

    pages = project.content.pages + project.generated
    body = wijzigingen_markdown(project.versies, pages, history, reviews, commits,
                                lambda page: data_files(page, project.root))
    return [generated(WIJZIGINGEN_URI, "Wijzigingen", body, "pagina", zichtbaarheid="intern",
                      eigenaar="redactie-intranet"),
            generated(REDACTIE_URI, "Redactie", redactie_markdown(), "pagina", zichtbaarheid="intern",
                      eigenaar="redactie-intranet"),
            generated(OVER_URI, "Over BUUT", over_markdown({str(p.uri) for p in pages} | {WIJZIGINGEN_URI, REDACTIE_URI}),
                      "pagina", zichtbaarheid="intern", eigenaar="redactie-intranet")]
