"""What the public site does to a page before it is rendered: nothing internal may pass.

- `strip_intern`: an `!!! intern` (or `??? intern`) block is an internal-only part of a page; the
  public site drops it, the intranet shows it marked "intern".
- `unlink`: a link to a page that is not on the public site becomes its plain text, so neither the
  internal path nor the internal title reaches the public HTML.

Both work on Markdown, before the generator sees it, so the generator never learns the internal
path (and mkdocs' link validation does not trip over pages that are not there).
"""
from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

_INTERN_START = re.compile(r"^(\s*)(!!!|\?\?\?\+?)\s+intern\b.*$")
_INLINE = re.compile(r"(?<!\\)(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$", re.M)
_REF_USE = re.compile(r"(?<!\\)(!?)\[((?:[^\[\]\\]|\\.)*)\](?:\[([^\]]*)\])?")
_AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^>\s]*)>", re.I)


def strip_intern(markdown: str) -> str:
    """Drop every `!!! intern` block: its first line and all following lines indented deeper."""
    out: list[str] = []
    lines = markdown.split("\n")
    index = 0
    while index < len(lines):
        match = _INTERN_START.match(lines[index])
        if not match:
            out.append(lines[index])
            index += 1
            continue
        indent = len(match.group(1))
        index += 1
        while index < len(lines) and (not lines[index].strip()
                                      or len(lines[index]) - len(lines[index].lstrip()) > indent):
            index += 1
    return "\n".join(out)


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
