"""The provenance gate: every text of the public site comes from a public part of the source.

The public filter (`buut/render/public.py`) drops what is marked intern; the leak gate
(`buut/build/leakgate.py`) looks in the output for what is known to be internal (the class `intern`,
addresses, titles). Both depend on a marker surviving every step. This gate does not: it starts
from the source.

1. For each page of the public site it takes the Markdown BUUT handed to mkdocs (macros run, links
   to internal pages already plain text) and removes, **on the source lines and by its own rules**
   (not the filter's), everything that is or may be internal: admonition and details blocks whose
   kind says `intern` with every line indented under them, every HTML element whose start tag has
   the class `intern` (any tag name, over several lines, with entities) up to its end tag, every
   block with an attribute list `{: .intern }`, and HTML comments. When in doubt it removes more.
2. What remains is the page's *public text*, kept in three forms: as written, without Markdown
   escapes and HTML tags, and with entities decoded. Next to it, the texts every page may show:
   the titles of the public pages (front matter and first heading of what remains), the labels of
   the navigation, the site's name, the glossary's tooltips, and the theme's own words (the
   strings and template text of mkdocs-material and of BUUT's templates).
3. Every text in the built public site must occur in that: each text node of each HTML page
   (article, table of contents, navigation, header, footer, `<title>`), the `title`, `alt` and
   `aria-label` attributes (abbreviations, images), the address of every link to another host, and
   the title and text of every entry of the search index. Whitespace and case do not count.

A text that is not covered fails the build with the file and the text. A footnote, abbreviation,
link reference or heading defined inside an intern block is not in the public text, so it is
refused wherever it turns up: in the article, the table of contents or the search index.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import lxml.html
from lxml import etree

TEMPLATES = Path(__file__).parent.parent / "templates"


@dataclass(frozen=True)
class Sources:
    """What the public site was made of (collected by the mkdocs plugin while it built)."""

    pages: dict[str, str]  # output file ("werkkader/2-6-privacy/index.html") -> the page's Markdown
    texts: tuple[str, ...]  # the titles of the pages and the texts of the configuration
    site_name: str = ""
    # what the static search index may also know: the glossary's terms, synonyms, abbreviations and
    # everyday words, and those of the public partners (buut/search/static.py: public_words)
    search_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Uncovered:
    path: str  # the output file, relative to the site folder
    text: str

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"{self.path}: tekst die niet uit een publiek deel van de bron komt: '{shown}'"


# --- 1. the public part of a page's Markdown, decided on the source lines -------------------------

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_ADMONITION = re.compile(r"^(?P<lead>[ \t>]*)(?:!!!|\?\?\?)\+?[ \t]*(?P<rest>.*)$")
_START_TAG = re.compile(r"<([a-zA-Z][\w:-]*)(\s[^>]*)?>", re.S)
_CLASS_INTERN = re.compile(r"\bclass\s*=\s*(?:\"[^\"]*\bintern\b[^\"]*\"|'[^']*\bintern\b[^']*'|[^\s>]*\bintern\b)",
                           re.I)
_ATTR_LIST_INTERN = re.compile(r"\{:?[^}\n]*(?:\.intern\b|\bclass\s*=\s*[\"']?[^}\"']*\bintern\b)[^}\n]*\}", re.I)
_INLINE_INTERN = re.compile(r"(\*\*|\*|__|_|`)(?:(?!\1).)+?\1" + _ATTR_LIST_INTERN.pattern, re.I)


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _drop_intern_admonitions(lines: list[str]) -> list[str]:
    """An admonition or details block whose title words include `intern`, and every line after it
    that is blank or indented further than its start (1 space is enough: more than Markdown's 4)."""
    out, skip_deeper_than = [], None
    for line in lines:
        if skip_deeper_than is not None:
            if not line.strip() or _indent(line.replace(">", " ")) > skip_deeper_than:
                out.append("")
                continue
            skip_deeper_than = None
        match = _ADMONITION.match(line)
        if match and "intern" in match.group("rest").split('"', 1)[0].lower():
            skip_deeper_than = _indent(match.group("lead").replace(">", " "))
            out.append("")
            continue
        out.append(line)
    return out


def _drop_intern_elements(text: str) -> str:
    """Every HTML element whose start tag has the class `intern`, up to its end tag (counted per tag
    name), or to the end of the page when it is not closed."""
    at = 0
    while True:
        start = None
        for match in _START_TAG.finditer(text, at):
            if _CLASS_INTERN.search(html.unescape(match.group(2) or "")):
                start = match
                break
        if start is None:
            return text
        name = start.group(1).lower()
        depth, end = 1, len(text)
        for tag in re.finditer(rf"<(/?){re.escape(name)}\b[^>]*>", text[start.end():], re.I):
            depth += -1 if tag.group(1) else 0 if tag.group(0).endswith("/>") else 1
            if depth == 0:
                end = start.end() + tag.end()
                break
        text = text[:start.start()] + "\n" * text.count("\n", start.start(), end) + text[end:]
        at = start.start()


def _drop_intern_attr_lists(lines: list[str]) -> list[str]:
    """`*tekst*{: .intern }` loses the marked part; any other attribute list with `.intern` its
    whole block (the lines between blank lines)."""
    out = [_INLINE_INTERN.sub("", line) for line in lines]
    for number, line in enumerate(out):
        if not _ATTR_LIST_INTERN.search(line):
            continue
        first = number
        while first > 0 and out[first - 1].strip():
            first -= 1
        last = number
        while last + 1 < len(out) and out[last + 1].strip():
            last += 1
        for index in range(first, last + 1):
            out[index] = ""
    return out


def public_markdown(markdown: str) -> str:
    """A page's Markdown without everything that is, or may be, internal (see the module text)."""
    text = _COMMENT.sub("", markdown)
    if "intern" not in text.lower():
        return text
    text = _drop_intern_elements(text)
    lines = _drop_intern_admonitions(text.split("\n"))
    return "\n".join(_drop_intern_attr_lists(lines))


# --- 2. the public text: what a page, and every page, may show ------------------------------------

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAG = re.compile(r"<[^>]*>")
_FIRST_HEADING = re.compile(r"^#[ \t]+(.+?)(?:[ \t]*\{[^}]*\})?[ \t#]*$", re.M)


def normal(text: str) -> str:
    return " ".join(text.split()).casefold()


# Elements the sanitiser removes with their content (policy.DROP_WITH_CONTENT): the text around them joins.
_DROPPED = re.compile(r"<(script|style|template|noscript|iframe|object|embed|math|textarea|select|title)\b[^>]*>"
                      r".*?</\1\s*>", re.S | re.I)


def public_text(markdown: str) -> str:
    """The text a page's public Markdown can show, in the forms its rendering may take."""
    public = public_markdown(markdown)
    plain = html.unescape(_TAG.sub("", _ESCAPE.sub(r"\1", public)))
    sanitised = html.unescape(_TAG.sub("", _DROPPED.sub("", _ESCAPE.sub(r"\1", public))))
    return "\n".join(normal(variant) for variant in (public, plain, html.unescape(public), sanitised))


@lru_cache(maxsize=1)
def theme_text() -> str:
    """The theme's own words: the strings of mkdocs-material (Dutch and the English fallback) and
    the text in its templates and BUUT's."""
    import material

    folder = Path(material.__file__).parent / "templates"
    texts = []
    for language in ("nl", "en"):
        strings = (folder / "partials" / "languages" / f"{language}.html").read_text(encoding="utf-8")
        texts += re.findall(r'"[\w.-]+":\s*"([^"]*)"', strings)
    for template in [*folder.rglob("*.html"), *TEMPLATES.rglob("*.html")]:
        if "languages" in template.parts:
            continue
        source = template.read_text(encoding="utf-8")
        source = re.sub(r"\{\{\s*config\.site_name\b.*?\}\}", SITE_NAME, source)  # "Zoek op {{ config.site_name }}"
        source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", "\0", source, flags=re.S)
        texts += _TAG.sub("\0", source).split("\0")
    return "\n".join(normal(html.unescape(t)) for t in texts if t.strip())


SITE_NAME = "\x02"  # where a template shows the site's name


class Allowed:
    """The public text of every page and what every page may show, with a memory per text."""

    def __init__(self, sources: Sources):
        self.pages = {path: public_text(markdown) for path, markdown in sources.pages.items()}
        titles = [match.group(1) for markdown in sources.pages.values()
                  for match in [_FIRST_HEADING.search(public_markdown(markdown))] if match]
        common = [*sources.texts, *titles]
        plain = [html.unescape(_TAG.sub("", _ESCAPE.sub(r"\1", t))) for t in common]
        self.common = "\n".join(normal(t) for t in common + plain) + "\n" + \
            theme_text().replace(SITE_NAME, normal(sources.site_name))
        self._seen: dict[str, bool] = {}

    def covers(self, page: str, text: str) -> bool:
        text = normal(text)
        if not text:
            return True
        if text not in self._seen:
            self._seen[text] = text in self.common
        return self._seen[text] or text in self.pages.get(page, "")


# --- 3. the check on the built site ---------------------------------------------------------------

_SKIPPED = {"script", "style", "svg", "path"}
_CHECKED_ATTRIBUTES = ("title", "alt", "aria-label")
_FOOTNOTE_MARKS = re.compile(r"^(?:\d+|↩|&#8617;)$")
_BACKLINK_TITLE = re.compile(r"^Jump back to footnote \d+ in the text$")  # Python-Markdown's footnotes


def check(site_dir: Path, sources: Sources) -> list[Uncovered]:
    """Every text of the built public site that no public source covers (empty: all covered)."""
    allowed = Allowed(sources)
    found: list[Uncovered] = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        found += _check_page(relative, path.read_bytes(), allowed)
    index = site_dir / "search" / "search_index.json"
    if index.is_file():
        found += _check_search_index("search/search_index.json", index.read_text(encoding="utf-8"), allowed, site_dir)
    static = site_dir / STATIC_INDEX
    if static.is_file():
        found += _check_static_index(STATIC_INDEX, static.read_text(encoding="utf-8"), allowed, site_dir, sources)
    return found


def _check_page(relative: str, data: bytes, allowed: Allowed) -> list[Uncovered]:
    root = etree.fromstring(data, _PARSER) if data.strip() else None
    if root is None:
        return []
    found, seen = [], set()

    def need(text: str) -> None:
        if text.strip() and text not in seen and not allowed.covers(relative, text):
            seen.add(text)
            found.append(Uncovered(relative, " ".join(text.split())))

    def walk(element) -> None:
        for child in element:
            if isinstance(child.tag, str) and child.tag not in _SKIPPED:
                mark = _footnote_mark(child)
                if child.text and not mark:
                    need(child.text)
                for name in _CHECKED_ATTRIBUTES:  # the theme joins texts: "Volgende: Titel"
                    value = child.get(name)
                    if value and not (mark and _BACKLINK_TITLE.match(value)):
                        for part in _JOINED.split(value):
                            need(part)
                href = child.get("href")
                if href and child.tag == "a" and _OTHER_HOST.match(href):
                    need(href)  # a link to another host: its address is text of the source too
                walk(child)
            if child.tail:  # comments included: the leak gate refuses them in the content
                need(child.tail)

    for title in root.iterfind("head/title"):
        for part in _JOINED.split(title.text or ""):  # "Pagina - Wijknetwerken"
            need(part)
    for body in root.iterfind("body"):
        if body.text:
            need(body.text)
        walk(body)
    return found


_PARSER = etree.HTMLParser()
_JOINED = re.compile(r": | - ")
_OTHER_HOST = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _footnote_mark(element) -> bool:
    """The number of a footnote reference or its way back (made by the footnote extension)."""
    classes = (element.get("class") or "").split()
    return element.tag == "a" and ("footnote-ref" in classes or "footnote-backref" in classes) \
        and bool(_FOOTNOTE_MARKS.match((element.text or "").strip()))


def _check_search_index(relative: str, text: str, allowed: Allowed, site_dir: Path) -> list[Uncovered]:
    """Each entry's title and text must be text of its page as built (which passed the check above)
    or text every page may show. Compared without white space: the index joins what the page has
    in separate elements."""
    try:
        docs = json.loads(text).get("docs", [])
    except (ValueError, AttributeError):
        return [Uncovered(relative, "onleesbare zoekindex")]
    entries = []
    for doc in docs:
        pieces = [str(doc.get("title", ""))]
        body = str(doc.get("text", ""))
        if body.strip():
            pieces.append(lxml.html.fragment_fromstring(body, create_parent="div").text_content())
        entries.append((str(doc.get("location", "")), pieces))
    return _check_entries(relative, entries, allowed, site_dir)


def _check_entries(relative: str, entries, allowed: Allowed, site_dir: Path, runs: bool = False) -> list[Uncovered]:
    """Each (address, texts) of a search index: every text must be in its page as built or allowed.
    `runs`: a text may also be pieces of its page's text in the page's order (a section in the
    static index leaves out what search does not read, such as a note between two lists)."""
    found, seen, pages = [], set(), {}
    for address, pieces in entries:
        location = address.split("#", 1)[0]
        page = (location if location.endswith(".html") else location + "index.html").lstrip("/")
        if page not in pages:
            path = site_dir / page
            pages[page] = _solid(lxml.html.fromstring(path.read_bytes()).text_content()) if path.is_file() else ""
        for piece in pieces:
            solid = _solid(piece)
            if not solid or (page, solid) in seen or solid in pages[page] or allowed.covers(page, piece):
                continue
            if runs and _in_runs(piece.split(), pages[page]):
                continue
            seen.add((page, solid))
            found.append(Uncovered(relative, " ".join(piece.split())))
    return found


def _in_runs(words: list[str], page: str) -> bool:
    """Are the words, in order, pieces of the page's text (without white space) that also follow
    each other in the page? (A section leaves out what search does not read, never reorders.)"""
    start, after = 0, 0
    while start < len(words):
        low, high = start, len(words)  # the longest piece from `start` found after `after`: words[start:low]
        while low < high:
            middle = (low + high + 1) // 2
            if page.find(_solid(" ".join(words[start:middle])), after) >= 0:
                low = middle
            else:
                high = middle - 1
        if low == start:
            return False
        piece = _solid(" ".join(words[start:low]))
        after = page.find(piece, after) + len(piece)
        start = low
    return True


def _solid(text: str) -> str:
    return "".join(text.split()).casefold()


STATIC_INDEX = "zoeken/index.json"  # the public site's own search (buut/search/static.py)


def _check_static_index(relative: str, text: str, allowed: Allowed, site_dir: Path, sources: Sources) -> list[Uncovered]:
    """The public site's static search index: each section's title, heading and text as for the
    theme's index; every word and stem in its tables must be a word of those sections, of what every
    page may show, or of the glossary and public partners (`Sources.search_words`), or a stem of one."""
    from buut.search.query import QUESTION_WORDS, STOPWORDS, words
    from buut.search.static import stems

    try:
        index = json.loads(text)
        sections = [(str(s[0]), [str(s[1]), str(s[2]), str(s[3]), *([str(s[6])] if len(s) > 6 else [])])
                    for s in index["secties"]]
        tables = {name: index[name] for name in ("woorden", "postings", "samenstellingen", "uitbreidingen", "stamzinnen")}
        stopwords = set(index["stopwoorden"])
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return [Uncovered(relative, "onleesbare zoekindex")]
    found = _check_entries(relative, sections, allowed, site_dir, runs=True)
    known = {w for _, pieces in sections for piece in pieces for w in words(piece)}
    known |= {w for phrase in (*sources.texts, *sources.search_words) for w in words(phrase)}
    known_stems = {s for _, pieces in sections for piece in pieces for s in stems(piece)}
    known_stems |= {s for w in known for s in stems(w)}
    said = set(tables["woorden"]) | set(tables["samenstellingen"])
    said |= {w for entry in tables["samenstellingen"].values() for part in entry for w in part}
    said |= {w for phrase in (*tables["uitbreidingen"], *tables["stamzinnen"].values()) for w in phrase.split()}
    stemmed = set(tables["postings"]) | {s for entry in tables["woorden"].values() for s in entry}
    stemmed |= {s for groups in tables["uitbreidingen"].values() for group in groups
                for alternative in group for s in alternative[0]}
    stemmed |= {s for key in tables["stamzinnen"] for w in key.split() for s in w.split("+") if s not in known}
    for word in sorted(said - known):
        found.append(Uncovered(relative, word))
    for stem in sorted(stemmed - known_stems):
        found.append(Uncovered(relative, stem))
    if not stopwords <= STOPWORDS | QUESTION_WORDS:
        found.append(Uncovered(relative, " ".join(sorted(stopwords - STOPWORDS - QUESTION_WORDS))))
    return found
