"""What the lifecycle adds to pages: the overdue notice, "laatst gewijzigd", the Wijzigingen page."""
from __future__ import annotations

from pathlib import Path

from ..lifecycle import VERLOPEN, Change, Review, describe
from ..model import Page
from ..schema import ListOf, Nested, Schema, Text, load_data_file
from .common import cell, datum, link, slug

VERSIES_DATA = "werkkader/versies.yml"
WIJZIGINGEN_URI = "wijzigingen.md"

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


def footer(page: Page, changes: list[Change], repo_url: str | None) -> str:
    """"Laatst gewijzigd op …" with links to the page's history."""
    if not changes:
        return ""
    latest = changes[0]
    history = f"[eerdere wijzigingen]({link(page.uri, WIJZIGINGEN_URI, slug(page.path))})"
    if repo_url:
        history += f" · [geschiedenis in git]({repo_url.rstrip('/')}/commits/main/{page.path})"
    return (f'\n\n<div class="buut-gewijzigd" markdown>\nLaatst gewijzigd op {datum(latest.date)} '
            f"· {history}\n</div>\n")


def wijzigingen_markdown(versies, pages: list[Page], changes: dict[str, list[Change]], reviews) -> str:
    out = ["# Wijzigingen", "",
           "Welke versie van het werkkader BUUT volgt, welke pagina's aan herziening toe zijn en wat er "
           "onlangs is veranderd.", ""]
    if versies:
        out += ["## Versies van het werkkader", "", "| versie | verschenen | wat |", "|---|---|---|"]
        out += [f"| {v['versie']} | {cell(v['verschenen'])} | {cell(v['wat'])} |" for v in versies]
        out += ["", f"_Bron: werkkader 2.0, voorwoord ({VERSIES_DATA})_", ""]
    due = [r for r in reviews if r.due]
    out += ["## Aan herziening toe", ""]
    if due:
        out += ["| pagina | eigenaar | status |", "|---|---|---|"]
        out += [f"| [{cell(r.page.meta.titel)}]({link(WIJZIGINGEN_URI, r.page.uri)}) | {cell(r.page.meta.eigenaar)} "
                f"| {cell(describe(r))} |" for r in sorted(due, key=lambda r: (r.days, r.page.path))]
    else:
        out.append("Geen pagina's: alles is op tijd bekeken.")
    out += ["", "## Per pagina", ""]
    if not changes:
        out.append("Deze site is niet uit een git-repository gebouwd; er is geen geschiedenis.")
    for page in sorted((p for p in pages if not p.generated and p.path in changes), key=lambda p: p.path):
        out += [f"### {page.path} {{ #{slug(page.path)} }}", "",
                f"[{cell(page.meta.titel)}]({link(WIJZIGINGEN_URI, page.uri)})", ""]
        # Commit messages are in English (developers' language); the site names date and commit only.
        out += [f"- {datum(c.date)} (versie `{c.commit}`)" for c in changes[page.path]]
        out.append("")
    return "\n".join(out)
