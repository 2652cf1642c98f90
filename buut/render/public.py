"""The public filter: what the public site does to a page so that nothing internal passes.

What is internal is decided on the *rendered* HTML, the structure the reader gets, not on how the
Markdown happens to be written: Python-Markdown renders `!!! intern`, `!!!intern`, `!!! Intern`,
`!!! warning intern`, `???+ intern`, an intern block inside a quote, list, definition list or
footnote, `{: .intern }` and `<div class="intern">` all as an element with the class `intern`.

- `filter_html`: drops every element with the class `intern` (with its content) and every HTML
  comment, and turns a link to an internal page into its plain text;
- `unlink` (on the Markdown, before rendering): the same for Markdown links, so mkdocs' link check
  does not trip over a page that is not on the public site.

After the whole site is built, `buut/leakgate.py` checks every output file again; this filter is
the first wall, the gate the second.
"""
from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

INTERN_CLASS = "intern"


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


class InternBlocks(Extension):
    """For the public site only: drop intern blocks while parsing (see `_DropInternBlocks`)."""

    def extendMarkdown(self, md) -> None:
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
    other hosts, pure anchors and files that are not pages."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return None
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.normpath(posixpath.join(page_url, path))
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
