"""The public filter: what the public site does to a page so that nothing internal passes.

What is internal is decided on the source and on the tree Python-Markdown builds, *before* the
sanitiser (nh3) runs: nh3 unwraps elements it does not allow (`<section>`, `<aside>`,
`<article>`), and with them their class, and lxml moves content out of an `<h3>`, `<b>` or
`<table>` it finds ill-formed. So:

- `InternBlocks` (a Markdown extension, public site only) drops while parsing an intern
  admonition or details block (`!!! intern`, `???+ intern`, `!!! warning intern`, nested in a
  quote, list or footnote) and every HTML element in the source with the class `intern`, found by
  HTML *tokens* (`intern_spans`: any tag name, `class = "intern"` with spaces, a tag over two
  lines, entities): the footnotes, abbreviations, link references and headings defined inside
  never reach the page or its table of contents;
- `filter_html` (on the rendered HTML, before and after the sanitiser): drops every element with
  the class `intern` by tokens too (`{: .intern }`), every HTML comment, and turns a link to an
  internal page into its plain text;
- `unlink` (on the Markdown, before rendering): the same for Markdown links, so mkdocs' link check
  does not trip over a page that is not on the public site;
- `intern_block_findings`: an intern block with no body, or followed by text indented 1–3 spaces
  (which Python-Markdown puts outside the block, on the public site), is an error with its line.

After the whole site is built, `buut/build/leakgate.py` checks every output file again, and
`buut/build/provenance.py` proves every text of it came from a public part of the source; this filter
is the first wall, the gate the second.
"""
from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from buut.load.intern import INTERN_CLASS, intern_spans, without_intern  # noqa: F401 (filter_html, tests)
from buut.model import Finding, Level


class _DropInternBlocks(BlockProcessor):
    """An admonition or details block with the class `intern` (`!!! intern`, `!!!intern`,
    `!!! warning intern`, `??? Intern`, `???+ intern`, nested in a quote, list, definition or
    footnote) is dropped whole while the Markdown is parsed: its text, headings, and the
    footnotes, abbreviations and link references defined inside it never reach the page."""

    # the start line of an admonition (Python-Markdown) or a details block (pymdownx.details)
    RE = re.compile(r'(?:^|\n)(?:!!!|\?\?\?\+?) ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *(?:\n|$)')

    def _match(self, block: str):
        match = self.RE.search(block)
        return match if match and INTERN_CLASS in match.group(1).lower().split() else None

    def test(self, parent, block) -> bool:
        return self._match(block) is not None

    def run(self, parent, blocks) -> None:
        block = blocks.pop(0)
        match = self._match(block)
        if match.start() > 0:
            self.parser.parseBlocks(parent, [block[: match.start()]])
        _, rest = self.detab(block[match.end():])  # the indented lines are the block's content
        while blocks and blocks[0].startswith(" " * self.tab_length):
            blocks.pop(0)  # content after a blank line, still indented, belongs to the block too
        if rest:
            blocks.insert(0, rest)


class _DropOrphanFootnotes(Treeprocessor):
    """A footnote whose reference stood in a dropped intern block is dropped as well: its text may
    be internal, and its link back would point nowhere."""

    def run(self, root) -> None:
        referenced = {(a.get("href") or "")[1:] for a in root.iter("a")
                      if "footnote-ref" in (a.get("class") or "").split()}
        for box in [e for e in root.iter("div") if "footnote" in (e.get("class") or "").split()]:
            for holder in box.iter("ol"):
                for note in [li for li in holder if li.get("id") and li.get("id") not in referenced]:
                    holder.remove(note)
            if not any(True for _ in box.iter("li")):
                for parent in root.iter():
                    if box in list(parent):
                        parent.remove(box)
                        break


class _DropInternHtml(Preprocessor):
    """Every HTML element in the source with the class `intern` is cut out before Python-Markdown
    reads the HTML blocks and the definitions in them (runs after the fenced code blocks are put
    aside, so an example in a code block stays)."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        return without_intern(text).split("\n") if "intern" in text.lower() else lines


class InternBlocks(Extension):
    """For the public site only: drop intern blocks while parsing (see `_DropInternBlocks`)."""

    def extendMarkdown(self, md) -> None:
        # after the fenced code blocks (25), before the HTML blocks are read (20)
        md.preprocessors.register(_DropInternHtml(md), "buut_intern_html", 22)
        md.parser.blockprocessors.register(_DropInternBlocks(md.parser), "buut_intern", 110)
        # after the footnotes and their references exist (50, inline 20, duplicates 15), before
        # mkdocs checks links and anchors (0)
        md.treeprocessors.register(_DropOrphanFootnotes(md), "buut_orphan_footnotes", 12)

_INTERN_START = re.compile(r"^(\s*)(!!!|\?\?\?\+?)\s+intern\b.*$")
_INLINE = re.compile(r"(?<!\\)(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
# Reference definitions and uses; `[^1]: …` is a footnote, not a link, and stays.
_REF_DEF = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$", re.M)
_REF_USE = re.compile(r"(?<!\\)(!?)\[(?!\^)((?:[^\[\]\\]|\\.)*)\](?:\[([^\]]*)\])?")
_AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^>\s]*)>", re.I)


def is_intern(element) -> bool:
    """An element marked internal: its class list holds `intern` (in any case)."""
    classes = element.get("class") if isinstance(element.tag, str) else None
    return bool(classes) and INTERN_CLASS in classes.lower().split()


def filter_html(html: str, page_url: str, internal_urls: set[str]) -> str:
    """The public version of a page's rendered HTML (the article, as mkdocs hands it over).

    `page_url` is the page's site address (`werkkader/2-6-privacy/`); `internal_urls` the site
    addresses of every page that is not public.
    """
    html = without_intern(html)  # by tokens, before lxml can move anything out of an element
    if not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for comment in root.xpath("//comment()"):
        comment.drop_tree()
    for element in [e for e in root.iter() if is_intern(e)]:
        if element.getparent() is not None:
            element.drop_tree()  # the element and its content; the text after it stays
    for anchor in root.iter("a"):
        target = site_target(page_url, anchor.get("href") or "")
        if target is not None and target in internal_urls:
            anchor.drop_tag()  # the link's text stays, its address goes
    _drop_unreferenced_footnotes(root)
    out = (root.text or "") + "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)
    return out


def _drop_unreferenced_footnotes(root) -> None:
    """A footnote whose reference was in a dropped part is dropped too (its text may be internal)."""
    referenced = {(a.get("href") or "")[1:] for a in root.iter("a") if (a.get("href") or "").startswith("#fn")}
    for note in root.xpath('//div[contains(concat(" ", @class, " "), " footnote ")]//li[@id]'):
        if note.get("id") not in referenced:
            note.drop_tree()
    for box in root.xpath('//div[contains(concat(" ", @class, " "), " footnote ")]'):
        if not box.xpath(".//li"):
            box.drop_tree()


def site_target(page_url: str, href: str) -> str | None:
    """The site address (`werkinstructies/dagbesteding/`) a link in a page points at, or None for
    other hosts, pure anchors and files that are not pages. A backslash is a slash, as browsers
    read it (`..\\werkinstructies\\dagbesteding\\`)."""
    parts = urlsplit(href.strip().replace("\\", "/"))
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return None
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.normpath(posixpath.join(page_url, path))
        while joined == ".." or joined.startswith("../"):  # above the root is the root, for a browser
            joined = joined[3:]
        joined = "" if joined == "." else joined
    for page_file in ("index.html", "index.md"):
        if joined == page_file or joined.endswith("/" + page_file):
            joined = joined[: -len(page_file)]
    if joined.endswith(".md"):
        joined = joined[:-3] + "/"
    if joined and not joined.endswith("/") and not posixpath.splitext(joined)[1]:
        joined += "/"
    return joined.lstrip("/")


def resolve(page_uri: str, target: str) -> str | None:
    """The source path a relative link points at, or None for external links and pure anchors."""
    target = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
        return None
    if target.startswith("/"):
        path = target.lstrip("/")
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), target))
    if path.endswith("/") or not posixpath.splitext(path)[1]:
        path = posixpath.join(path, "index.md")
    return path


def unlink(markdown: str, page_uri: str, allowed: set[str]) -> str:
    """Replace links to pages outside `allowed` (source paths such as 'werkkader/2-6-privacy.md')."""

    def internal(target: str) -> bool:
        path = resolve(page_uri, target)
        if path is None:
            return False
        if path.endswith(".md") or posixpath.basename(path) == "index.md":
            return path not in allowed
        return False  # an image or a file: not a page

    def inline(match: re.Match) -> str:
        bang, text, target = match.group(1), match.group(2), match.group(3)
        if bang or not internal(target):
            return match.group(0)
        return text

    markdown = _INLINE.sub(inline, markdown)
    hidden = {m.group(1).lower() for m in _REF_DEF.finditer(markdown) if internal(m.group(2))}
    if hidden:
        markdown = _REF_DEF.sub(lambda m: "" if m.group(1).lower() in hidden else m.group(0), markdown)

        def use(match: re.Match) -> str:
            bang, text, ref = match.group(1), match.group(2), match.group(3)
            key = (ref or text).lower()
            return text if not bang and key in hidden else match.group(0)

        markdown = _REF_USE.sub(use, markdown)
    return markdown


# The start line of an intern admonition or details block, anywhere in a list or quote.
_BLOCK_START = re.compile(r"^(?P<quote>(?: {0,3}> ?)*)(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?) ?(?P<kinds>[\w\-]+(?: +[\w\-]+)*)"
                          r"(?: +\".*\")? *$")
_FENCE = re.compile(r"^\s*(?:>\s*)*(`{3,}|~{3,})")
RULE_INTERN_BLOCK = "publiek.intern-kader"
# A heading with an attribute list right after a word or mark (inline, not the heading's own).
_HEADING_PART_INTERN = re.compile(r"^ {0,3}#{1,6}\s.*\S\{:?[^}\n]*(?:\.intern\b|class\s*=\s*[\"']?[^}\"']*\bintern\b)",
                                  re.I)


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


def _body_line(line: str, quote: str) -> str | None:
    """The line inside the quote the block stands in (None: the quote ended there)."""
    for _ in range(quote.count(">")):
        stripped = line.lstrip(" ")
        if not stripped.startswith(">"):
            return None if line.strip() else ""
        line = stripped[1:]
        if line.startswith(" "):
            line = line[1:]
    return line


def intern_block_findings(text: str, path: str, first_line: int = 1) -> list[Finding]:
    """An intern admonition or details block with no body, or whose text is indented 1–3 spaces
    more than its start: Python-Markdown shows an empty box on the intranet and puts the text
    *after* the block, where the public site publishes it. And a heading with an intern part
    (`## Kop *deel*{: .intern }`): its anchor is made of the whole text. `first_line` is the file
    line of text's first line."""
    if "intern" not in text.lower():
        return []
    lines = text.split("\n")
    findings, fence = [], None
    for number, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        if _HEADING_PART_INTERN.match(line):
            findings.append(Finding(path, first_line + number, 1, Level.ERROR,
                                    "een deel van een kop is gemarkeerd als intern ({: .intern } direct achter "
                                    "een woord): het anker van de kop, in de inhoudsopgave en de links, houdt de "
                                    "hele tekst. Maak de hele kop intern (## Kop {: .intern }) of zet het interne "
                                    "deel in de tekst eronder", RULE_INTERN_BLOCK))
            continue
        start = _BLOCK_START.match(line)
        if not start or INTERN_CLASS not in start.group("kinds").lower().split():
            continue
        indent = _width(start.group("indent"))
        following = None
        for later, raw in enumerate(lines[number + 1:], number + 1):
            body = _body_line(raw, start.group("quote"))
            if body is None:
                break
            if body.strip():
                following = later, _width(body[: len(body) - len(body.lstrip())]) - indent
                break
        where = first_line + number
        if following is None or following[1] <= 0:
            findings.append(Finding(path, where, 1, Level.ERROR,
                                    "het interne kader is leeg: zet de interne tekst eronder, vier spaties "
                                    "ingesprongen (tekst die niet inspringt, staat buiten het kader en komt op "
                                    "de publieke site)", RULE_INTERN_BLOCK))
        elif following[1] < 4:
            findings.append(Finding(path, first_line + following[0], 1, Level.ERROR,
                                    f"de tekst onder het interne kader (regel {where}) springt {following[1]} "
                                    f"spatie{'s' if following[1] > 1 else ''} in: dat moeten er vier zijn, anders "
                                    "staat de tekst buiten het kader en komt hij op de publieke site",
                                    RULE_INTERN_BLOCK))
    return findings
