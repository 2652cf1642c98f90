"""Render: pages and fragments generated from data (never typed by hand).

Takes the project (`buut.check.project.Project`: loaded and checked) and gives Markdown and
HTML: the generated pages (`generated_pages`), what one site may show (`site_view`), the macros
editors call, the public filter and the editors' worklist. It writes no files.

Everything here returns Markdown or HTML strings from BUUT's own data types; the mkdocs adapter
(and any later generator) only places the results. The macros that editors call in pages
(`buut/render/macros.py`) are thin names for functions in these modules:

- `begrippen`: the begrippenlijst and the glossary tooltips (`glossary.yml`);
- `werkproces`: the diagram of the eight steps (`werkkader/werkproces.yml`);
- `voorzieningen`: werkinstructie pages, the toegang table, the overviews (`werkinstructies/`);
- `partners`: partner pages, overviews, index and completeness report (`partners/`);
- `teams`: team pages and the overview per stadsdeel (`teams/`, intranet only);
- `public`: what the public site does to links and internal blocks;
- `lifecycle`: the overdue notice, "laatst gewijzigd", "gecontroleerd tot" and the Wijzigingen page;
- `wijzigingen`: the editors' change notes on Wijzigingen, the start page and in Atom feeds;
- `werkkader_document`: the whole werkkader as one page, to print or save as PDF (intranet only).
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from buut.render import common, lifecycle, partners, public, teams, voorzieningen, werkkader_document, wijzigingen
from buut.render.begrippen import BEGRIPPENLIJST_URI, abbreviations, begrippenlijst_markdown, without_abbreviations
from buut.render.common import generated
from buut.render.werkproces import WERKPROCES_DATA, load_werkproces, werkproces_diagram

if TYPE_CHECKING:  # pragma: no cover
    from buut.model import Page
    from buut.check.project import Project

SITES = ("intranet", "publiek")
# Pages composed of other pages: their text is checked and indexed where it comes from, not twice.
COMPOSED = frozenset({werkkader_document.URI})


def generated_pages(project: "Project", site: str = "intranet") -> list["Page"]:
    """Every page made from data, for one site."""
    pages = [generated(BEGRIPPENLIJST_URI, "Begrippenlijst", begrippenlijst_markdown(project.glossary), "begrip",
                       ("medewerkers",), source="werkkader 2.0, Begrippenlijst")]
    if site == "intranet" and project.voorzieningen:
        pages += [
            generated(voorzieningen.OVERZICHT_URI, "Werkinstructies", voorzieningen.overzicht_markdown(project),
                      "werkinstructie", zichtbaarheid="intern", eigenaar="redactie-werkinstructies"),
            generated(voorzieningen.TOEGANG_URI, "Wie bepaalt de toegang?", voorzieningen.toegang_markdown(project),
                      "werkinstructie", zichtbaarheid="intern", source="werkkader §2.5",
                      eigenaar="redactie-werkinstructies"),
            generated(voorzieningen.WERKPROCES_URI, "Werkproces per voorziening",
                      voorzieningen.werkproces_markdown(project), "werkinstructie", zichtbaarheid="intern",
                      source="werkkader §2.4", eigenaar="redactie-werkinstructies"),
        ]
    if project.partners:
        pages += partners.pages(project, site)
    if site == "intranet" and project.teams:
        pages += teams.pages(project)
    if site == "publiek" and project.teams:
        pages += teams.public_pages(project)  # organisation, bereikbaarheid and website only, for partners
    if site == "intranet" and werkkader_document.chapters(project):
        pages.append(werkkader_document.page(project))
    return pages


__all__ = ["BEGRIPPENLIJST_URI", "WERKPROCES_DATA", "abbreviations", "begrippenlijst_markdown",
           "without_abbreviations",
           "generated_pages", "load_werkproces", "werkproces_diagram", "lifecycle", "werkkader_document", "COMPOSED", "partners", "voorzieningen", "SITES", "wijzigingen"]


def site_view(project: Project, site: str) -> Project:
    """The project as one site may see it. The public view holds only public pages and partners,
    so nothing rendered from it (pages, tables, macros) can carry internal data."""
    if site == "intranet":
        return project
    pages = [p for p in project.content.pages if p.meta.publiek]
    view = replace(project, content=replace(project.content, pages=pages),
                   partners=[p for p in project.partners if p.publiek], generated=[])
    view.generated = [p for p in generated_pages(view, site) if p.meta.publiek]
    return view
