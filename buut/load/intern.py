"""Which parts of a source are internal: the elements with the class `intern`, found as HTML tokens.

Intern-ness is decided on the source, before any Markdown processor or sanitiser sees it:
`intern_spans` reads the text as a stream of tags (any tag name, `class = "intern"` with spaces,
a tag over two lines, entities, unquoted values, elements never closed), so nothing can be moved
out of an intern element. `buut.load.policy` refuses definitions inside them;
`buut.render.public` cuts them out of the public site.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

INTERN_CLASS = "intern"


# Elements without content: a start tag is all there is of them.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _InternScanner(HTMLParser):
    """The source ranges of elements with the class `intern`, read as tokens: no tree is built, so
    nothing can be moved out of them. An element that is never closed runs to the end of the text
    (as in a browser, for a `<div>`; more than a browser would for a `<p>`, which is safe)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.starts = [0]
        for match in re.finditer("\n", text):
            self.starts.append(match.end())
        self.spans: list[tuple[int, int]] = []
        self.open: list | None = None  # [tag, start, depth] of the intern element being skipped

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag, attrs) -> None:
        if self.open is not None:
            if tag == self.open[0]:
                self.open[2] += 1
            return
        if not any(name == "class" and value and INTERN_CLASS in value.lower().split() for name, value in attrs):
            return
        start = self._offset()
        if tag in _VOID:
            self.spans.append((start, start + len(self.get_starttag_text() or "")))
        else:
            self.open = [tag, start, 1]

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)  # `<div class="intern"/>` opens a div in HTML

    def handle_endtag(self, tag) -> None:
        if self.open is None or tag != self.open[0]:
            return
        self.open[2] -= 1
        if self.open[2] == 0:
            offset = self._offset()
            close = self.text.find(">", offset)
            self.spans.append((self.open[1], len(self.text) if close < 0 else close + 1))
            self.open = None


def intern_spans(text: str) -> list[tuple[int, int]]:
    """Where the elements with the class `intern` are in an HTML or Markdown text (start, end)."""
    if "intern" not in text.lower():
        return []
    scanner = _InternScanner(text)
    scanner.feed(text)
    scanner.close()
    if scanner.open is not None:
        scanner.spans.append((scanner.open[1], len(text)))
    return scanner.spans


def without_intern(text: str) -> str:
    """The text without its elements with the class `intern` (a line break stays a line break, so
    the lines around keep their numbers in messages)."""
    spans = intern_spans(text)
    if not spans:
        return text
    out, at = [], 0
    for start, end in spans:
        out.append(text[at:start])
        out.append("\n" * text.count("\n", start, end))
        at = end
    out.append(text[at:])
    return "".join(out)
