"""What the lifecycle adds to pages: the overdue notice, owner and last change, Wijzigingen, Redactie.

Owner and last change are not part of the page's Markdown: `upkeep()` gives the values and the
theme shows them under the article (buut/templates/partials/source-file.html), so they are on
every page, generated pages included, and never in the search index.
"""
from __future__ import annotations

import html

from buut.load.lifecycle import VERLOPEN, Change, Review, eigenaar_naam
from buut.model import Page
from buut.render import wijzigingen
from buut.render.wijzigingen import wijzigingen_markdown
from buut.render.common import cell, datum, generated, link

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
              ("handboek/beheer.md", "BUUT beheren", "voor wie BUUT laat draaien: nginx, servers, PostgreSQL, back-ups"),
              ("prestaties.md", "Prestaties", "hoe snel BUUT bouwt, controleert en zoekt (voor ontwikkelaars)"))

def notice(item: Review) -> str:
    """An admonition for the top of an overdue page (intranet only): since when, and whom to ask."""
    if item.status != VERLOPEN:
        return ""
    owner = eigenaar_naam(item.page.meta.eigenaar)
    return (f'!!! warning "Deze pagina is aan herziening toe"\n'
            f"    De {owner[:1].lower() + owner[1:]} zou haar uiterlijk {datum(item.page.meta.herzien_voor)} "
            f"opnieuw bekijken en dat is nog niet gebeurd. Ga na of wat hier staat nog klopt. Twijfel je, vraag "
            f"het dan aan de eigenaar, de {owner[:1].lower() + owner[1:]}: meld het onderaan deze pagina met "
            f"\"Meld een fout of aanvulling\".\n")


def upkeep(page: Page, change: Change | None, repo_url: str | None = None, review: Review | None = None,
           anker: str | None = None) -> dict:
    """What the theme shows under a page: its owner in words, until when it is checked, its last change,
    and where its change notes are (`anker` on Wijzigingen, when the page has notes)."""
    values = {"eigenaar": page.meta.eigenaar, "beheer": eigenaar_naam(page.meta.eigenaar)}
    if review is not None and page.meta.herzien_voor is not None:
        day = datum(page.meta.herzien_voor)
        values["gecontroleerd"] = (f"Herziening was gepland vóór {day}" if review.status == VERLOPEN
                                   else f"Gecontroleerd tot {day}")
    if change is not None:
        values["gewijzigd"] = datum(change.date)
        if not page.generated and repo_url:
            values["git"] = f"{repo_url.rstrip('/')}/commits/main/{page.path}"
    if anker:
        values["geschiedenis"] = f"{_url(WIJZIGINGEN_URI)}#{anker}"
    return values


def _url(uri: str) -> str:
    return uri[:-len("index.md")] if uri.endswith("index.md") else uri[:-3] + "/"


def redactie_markdown(points=()) -> str:
    """The Redactie page: first what medewerkers sent (reports, "niet nuttig", failed searches: live from
    /api/redactie, javascripts/buut.js), then the open points in the data per owner, folded per page.

    Every item carries its owner and kind (data-buut-eigenaar, data-buut-soort) for the filters that
    buut.js adds; without JavaScript the page is a plain list."""
    from buut.render.worklist import per_eigenaar

    out = ["# Redactie", "",
           "De werklijst van de redacties. Bovenaan wat medewerkers stuurden: meldingen, \"niet nuttig\" en "
           "zoekvragen die niets opleverden. Daaronder per eigenaar de open punten in de gegevens, per pagina "
           "ingeklapt: herzieningen, open punten, tijdgebonden zinnen, onvolledige gegevens.", "",
           '<div class="buut-redactie-filters" data-buut-redactie-filters></div>', "",
           "## Meldingen en zoekvragen", "",
           '<div class="buut-redactie" data-buut-redactie markdown>',
           "De meldingen en zoekvragen staan hier alleen als het intranet door BUUT zelf wordt geserveerd "
           "(`buut serve`). Op de commandoregel zie je ze met `buut redactie`.",
           "</div>", "",
           "Een melding is afgehandeld? Haal hem van de lijst met `buut redactie afhandelen NUMMER`.", "",
           "## Open punten", ""]
    grouped = per_eigenaar(points)
    if not grouped:
        out.append("Geen open punten.")
    for owner in sorted(grouped):
        items = grouped[owner]
        out += [f'### {cell(eigenaar_naam(owner))} ({len(items)}) {{ #eigenaar-{owner} data-buut-eigenaar="{owner}" }}',
                ""]
        per_page: dict[tuple[str, str], list] = {}
        for item in items:
            per_page.setdefault((item.titel, item.url), []).append(item)
        for (titel, url), found in sorted(per_page.items(), key=lambda kv: kv[0][0].lower()):
            kinds = sorted({p.soort for p in found})
            out.append(f'<details class="buut-werkpunten" data-buut-eigenaar="{_attr(owner)}" '
                       f'data-buut-soort="{_attr(";".join(kinds))}"><summary>{html.escape(titel)} '
                       f'({len(found)}: {html.escape(", ".join(kinds))})</summary>')
            if url:
                out.append(f'<p><a href="../{_attr(url)}">Naar de pagina</a></p>')  # raw HTML: the served address
            out.append("<ul>")
            out += [f'<li data-buut-soort="{_attr(p.soort)}"><strong>{html.escape(p.soort)}</strong>: '
                    f"{html.escape(p.tekst)} <code>{html.escape(p.pad)}:{p.regel}</code></li>" for p in found]
            out += ["</ul>", "</details>", ""]
    return "\n".join(out)


def _attr(text: str) -> str:
    return html.escape(str(text), quote=True)


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


def upkeep_pages(project, reviews) -> list[Page]:
    """The intranet's own pages about its upkeep: Wijzigingen, Redactie and Over BUUT."""
    from buut.render.worklist import open_points

    pages = project.content.pages + project.generated
    body = wijzigingen_markdown(project.versies, wijzigingen.notities(project), reviews)
    return [generated(WIJZIGINGEN_URI, "Wijzigingen", body, "pagina", zichtbaarheid="intern",
                      eigenaar="redactie-intranet"),
            generated(REDACTIE_URI, "Redactie", redactie_markdown(open_points(project)), "pagina", zichtbaarheid="intern",
                      eigenaar="redactie-intranet"),
            generated(OVER_URI, "Over BUUT", over_markdown({str(p.uri) for p in pages} | {WIJZIGINGEN_URI, REDACTIE_URI}),
                      "pagina", zichtbaarheid="intern", eigenaar="redactie-intranet")]
