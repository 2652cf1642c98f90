"""Search, index input: the built pages, cut into sections.

A search result should open the heading it is about, so the unit of search is a section: the text
under an `<h2>` or `<h3>` (with its anchor) of a built page, or the page's opening text before its
first heading. Reading the *rendered* HTML means search sees what the reader sees: generated pages,
macro output and werkinstructie data included, internal blocks excluded on the public site.

Not indexed: what is about the page rather than its subject — elements marked
`data-search-exclude` (as Material's own search knows it) or with a class in EXCLUDED_CLASSES (the
"Laatst gewijzigd op …" footer, the "Contactgegevens doorgeven" note on partner and team pages
without verified contact data), sections whose heading is a file path (the Wijzigingen page lists
pages by file), and sections without text of their own (a heading directly followed by a
subheading): they would give a result without a snippet. Such a heading is searched with the
section that follows it ("2.8.3 Schuldhulpverlening" finds its first subsection).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from buut.model import Page

# The kinds of result a user can filter on (`--soort`), from the page's `soort`.
KINDS = ("werkkader", "werkinstructie", "partner", "begrip", "vragen", "pagina")
EXCLUDED_CLASSES = {"headerlink", "md-source-file", "buut-gewijzigd", "buut-melden"}
# The audience of pages for editors and about BUUT itself (the handbook, Redactie, Prestaties,
# Wijzigingen, Over BUUT): a medewerker's results leave them last unless the query asks for them.
EDITORS = "redacteuren"
_FILE_PATH = re.compile(r"^[\w./-]+\.(md|ya?ml)$")


@dataclass(frozen=True)
class Doc:
    """One searchable section."""

    url: str  # relative to the site root, with #anchor
    title: str  # the page title
    section: str  # the heading of the section ("" for the opening text)
    body: str
    kind: str
    doelgroep: tuple[str, ...]
    opening: bool = True  # the page's first section: the one its title is about
    parent: str = ""  # the heading just above, when it has no text of its own (searched, not shown)
    overview: bool = False  # a page made from data that lists many things (werkproces per voorziening, indexes)


def url_of(uri: PurePosixPath) -> str:
    """The directory URL mkdocs gives a source page: werkkader/2-5.md -> werkkader/2-5/."""
    path = str(uri)
    if path == "index.md":
        return ""
    if path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[: -len(".md")] + "/"


class _Sections(HTMLParser):
    """Collects (level, anchor, heading, text) from the article of a Material page."""

    SKIP = {"script", "style", "nav", "button", "svg", "form"}
    INLINE = {"abbr", "em", "strong", "b", "i", "code", "sup", "sub", "mark"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skip = 0  # nesting of the skipped element's tag
        self.skip_tag = ""
        self.heading: list[str] | None = None
        self.sections: list[list] = [[1, "", "", []]]
        self.title = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth += 1
            return
        if not self.depth:
            return
        if self.skip:
            self.skip += tag == self.skip_tag
            return
        if tag not in self.INLINE:
            self.handle_data(" ")  # block and cell boundaries separate words
        classes = (attrs.get("class") or "").split()
        if tag in self.SKIP or EXCLUDED_CLASSES.intersection(classes) or "data-search-exclude" in attrs:
            self.skip, self.skip_tag = 1, tag
            return
        if tag in ("h1", "h2", "h3") and not self.skip:
            self.heading = []
            if tag != "h1":
                self.sections.append([int(tag[1]), attrs.get("id", ""), "", []])

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1
            return
        if not self.depth:
            return
        if self.skip:
            self.skip -= tag == self.skip_tag
            return
        if tag not in self.INLINE:
            self.handle_data(" ")
        if tag in ("h1", "h2", "h3") and self.heading is not None:
            text = " ".join("".join(self.heading).split())
            if tag == "h1":
                self.title = text
            else:
                self.sections[-1][2] = text
            self.heading = None

    def handle_data(self, data):
        if not self.depth or self.skip:
            return
        if self.heading is not None:
            self.heading.append(data)
        else:
            self.sections[-1][3].append(data)


def sections_of(html: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(page title, [(anchor, heading, text)]) of one built page."""
    parser = _Sections()
    # Only the article matters; the navigation around it grows with the site (a 1,000-page site
    # repeats its whole nav on every page), so cut it off before parsing.
    parser.feed(article(html))
    found = []
    for _, anchor, heading, parts in parser.sections:
        text = " ".join("".join(parts).split())
        if text or heading:
            found.append((anchor, heading, text))
    return parser.title, found


def article(html: str) -> str:
    """The part of a built page that search reads (see `sections_of`): kept while the site is built."""
    start, end = html.find("<article"), html.rfind("</article>")
    return html[start:end + len("</article>")] if 0 <= start < end else html


def documents(site: Path | Mapping[str, str], pages: list[Page], overviews: frozenset = frozenset()) -> list[Doc]:
    """Every section of every page of a built site (pages the site does not have are skipped).

    `site`: the built site's folder, or its pages as the build wrote them ({"a/b/index.html": html},
    kept in memory while building, so nothing is read twice). `overviews`: the URIs of pages that
    list many things (indexes, the werkproces per voorziening).
    """
    return list(iter_documents(site, pages, overviews))


def iter_documents(site: Path | Mapping[str, str], pages: list[Page], overviews: frozenset = frozenset(),
                   for_editors: frozenset = frozenset()):
    """`documents`, one section at a time: an index can take them while the site is still being
    built (`site` may then be a mapping whose `get` waits for a page). `for_editors`: the URIs of
    pages for editors and about BUUT itself; their sections get the audience EDITORS."""
    for page in pages:
        url = url_of(page.uri)
        html = _built_page(site, url + "index.html")
        if html is None:
            continue
        title, sections = sections_of(html)
        title = title or page.meta.titel
        kind = page.meta.soort if page.meta.soort in KINDS else "pagina"
        overview = page.uri in overviews
        opening, parent = True, ""
        for anchor, heading, text in sections:
            if _FILE_PATH.match(heading):
                continue
            if not text:
                parent = heading
                continue
            yield Doc(url=url + (f"#{anchor}" if anchor else ""), title=title, section=heading,
                      body=text, kind=kind, opening=opening, parent=parent,
                      doelgroep=(EDITORS,) if page.uri in for_editors else page.meta.doelgroep,
                      overview=overview)
            opening, parent = False, ""


def _built_page(site: Path | Mapping[str, str], relative: str) -> str | None:
    if isinstance(site, Mapping):
        return site.get(relative)
    html_file = site / relative
    return html_file.read_text(encoding="utf-8") if html_file.is_file() else None
