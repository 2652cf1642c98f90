"""The whole werkkader as one document, to read at once, print or save as PDF.

Medewerkers knew the werkkader as a PDF and still print it. This page is made from the chapter
pages themselves (in the order of the navigation in mkdocs.yml), never from a copy, so it is as
current as they are. What changes on the way in:

- each chapter's `# titel` becomes a `##` heading (the document has one `#`), deeper headings move
  one level down; each heading gets an id prefixed with its chapter, so two chapters can both have
  a "Bron" section and a link still lands on the right one;
- a link to another chapter (`2-4-werkproces.md#244-vraagverheldering`) becomes a link inside the
  document (`#2-4-werkproces--244-vraagverheldering`); every other link keeps its target (the
  document lives in `werkkader/`, like the chapters, so relative links stay right);
- macros (`{{ toegang_tabel() }}`) are left as they are: the mkdocs adapter expands them for this
  page as it does for the chapters (buut/render/macros.py); the werkproces diagram then links to its
  steps with the chapter's prefix (`diagram_anchor_prefix`);
- the document has one table of contents, its own list of chapters (it prints too): a chapter's
  own "Inhoud" section is left out, and the theme's sidebar table of contents is hidden on this page.

The print stylesheet (docs/stylesheets/buut.css, `@media print`) starts each chapter on a new page
and prints the address after every link that leaves the document; the button comes from
docs/javascripts/buut.js (`data-buut-print`): no inline script, the server's CSP forbids them.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from markdown.extensions.toc import slugify

from buut.load import yamlio
from buut.render.common import generated

if TYPE_CHECKING:  # pragma: no cover
    from buut.model import Page
    from buut.check.project import Project

FOLDER = "werkkader/"
URI = "werkkader/document.md"
TITEL = "Het werkkader als één document"
CHAPTER_CLASS = "buut-hoofdstuk"

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ATTRIBUTES = re.compile(r"\s*\{[:\s]*([^}]*)\}\s*$")
_LINK = re.compile(r"(?<!!)\]\(([^)\s]+)(\s+\"[^\"]*\")?\)")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+\.)\s")
_INLINE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]")


def nav_order(root: Path) -> list[str]:
    """The werkkader pages (as site paths) in the order of the navigation of mkdocs.yml."""
    try:
        config = yamlio.load_config((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yamlio.YamlProblem):
        return []  # the configuration check (buut/load/policy.py) says what is wrong with it
    from buut.load.content import nav_links

    nav = config.get("nav") if isinstance(config, dict) else None
    return [n for n in dict.fromkeys(nav_links(nav)) if n.startswith(FOLDER) and n.endswith(".md")]


def chapters(project: "Project") -> list["Page"]:
    """The chapter pages in reading order: the navigation first, then any werkkader page not in it."""
    pages = {str(p.uri): p for p in project.content.pages if str(p.uri).startswith(FOLDER) and str(p.uri) != URI}
    order = [uri for uri in nav_order(project.root) if uri in pages]
    order += sorted(set(pages) - set(order))
    return [pages[uri] for uri in order]


def chapter_id(page: "Page") -> str:
    return page.uri.stem


def heading_slug(text: str) -> str:
    """The id Python-Markdown's toc gives a heading with this text (its own slugify, on plain text)."""
    return slugify(_INLINE.sub(lambda m: m.group(1) or "", text), "-")


def _without_contents(body: str) -> list[str]:
    """The chapter's lines without its own "Inhoud" section (the werkkader's start page lists every
    chapter): the document has one table of contents, its own."""
    lines, skipping, fence = [], 0, False
    for line in body.split("\n"):
        if _FENCE.match(line):
            fence = not fence
        match = None if fence else _HEADING.match(line)
        if skipping and (match or (line.strip() and not line[:1].isspace() and not _LIST_ITEM.match(line))):
            skipping = 0  # the list of links ends at the next heading or paragraph (a "Bron" line stays)
        if match and _ATTRIBUTES.sub("", match.group(2)).strip().lower() == "inhoud":
            skipping = len(match.group(1))
        if not skipping:
            lines.append(line)
    return lines


def _headings(page: "Page") -> tuple[list[str], dict[str, str]]:
    """The chapter's lines with shifted, prefixed headings, and its old anchors -> new ids."""
    prefix, lines, anchors, seen, fence = chapter_id(page), [], {}, set(), False
    for line in _without_contents(page.body):
        if _FENCE.match(line):
            fence = not fence
        match = None if fence else _HEADING.match(line)
        if not match:
            lines.append(line)
            continue
        level, text = len(match.group(1)), match.group(2)
        attributes = _ATTRIBUTES.search(text)
        extra = ""
        if attributes:
            text = text[:attributes.start()]
            own = re.search(r"#([\w-]+)", attributes.group(1))
            extra = re.sub(r"#[\w-]+", "", attributes.group(1)).strip()
            old = own.group(1) if own else heading_slug(text)
        else:
            old = heading_slug(text)
        if level == 1:
            new, classes = prefix, f" .{CHAPTER_CLASS}"
        else:
            base, n = old, 1
            while old in seen:  # the toc numbers a repeated heading: x, x_1, x_2
                old, n = f"{base}_{n}", n + 1
            new, classes = f"{prefix}--{old}", ""
        seen.add(old)
        anchors.setdefault(old, new)
        lines.append(f"{'#' * min(level + 1, 6)} {text} {{ #{new}{classes}{' ' + extra if extra else ''} }}")
    return lines, anchors


def _relink(text: str, here: str, ids: dict[str, str], anchors: dict[str, dict[str, str]]) -> str:
    """Links to a chapter (or a heading in it) point inside the document; others stay as they are."""
    def replace(match: re.Match) -> str:
        target, title = match.group(1), match.group(2) or ""
        if "://" in target or target.startswith(("mailto:", "tel:")):
            return match.group(0)
        path, _, anchor = target.partition("#")
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(here), path)) if path else here
        if uri not in ids:
            return match.group(0)
        new = anchors[uri].get(anchor, ids[uri]) if anchor else ids[uri]
        return f"](#{new}{title})"

    return _LINK.sub(replace, text)


def document_markdown(project: "Project") -> str:
    pages = chapters(project)
    ids = {str(p.uri): chapter_id(p) for p in pages}
    parts, anchors = [], {}
    for page in pages:
        lines, anchors[str(page.uri)] = _headings(page)
        parts.append((str(page.uri), "\n".join(lines)))
    out = [f"# {TITEL}", "",
           "Het hele werkkader buurtteamorganisaties op één pagina, in de volgorde van het menu: om in één keer "
           "te lezen, te printen of als PDF te bewaren. Deze pagina wordt gemaakt uit de hoofdstukken zelf en is "
           "dus altijd even actueel als die.", "",
           '<div class="buut-print" data-buut-print markdown>',
           "Printen of als PDF bewaren: kies *Afdrukken* in je browser (Ctrl+P, op een Mac Cmd+P) en dan "
           "*Opslaan als PDF*. Het menu en de zoekbalk komen niet mee op papier.",
           "</div>", "",
           "## Inhoud { #inhoud .buut-inhoud }", ""]
    out += [f"- [{p.meta.titel}](#{ids[str(p.uri)]})" for p in pages] + [""]
    for uri, body in parts:
        out += [_relink(body, uri, ids, anchors).strip(), ""]
    return "\n".join(out)


def diagram_anchor_prefix(project: "Project") -> str:
    """What the document puts before a heading id of the chapter that shows the werkproces diagram.

    The diagram links to its steps' headings (`#241-eerste-contact`); in the document those
    headings carry their chapter's prefix (`#2-4-werkproces--241-eerste-contact`), see `_headings`.
    """
    holder = next((p for p in chapters(project) if "werkproces_diagram(" in p.body), None)
    return f"{chapter_id(holder)}--" if holder is not None else ""


def page(project: "Project") -> "Page":
    return generated(URI, TITEL, document_markdown(project), "pagina", zichtbaarheid="intern",
                     source="werkkader 2.0", eigenaar="redactie-werkkader")
