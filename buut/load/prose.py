"""What is prose in a page: decided by a CommonMark parser, with every character where the editor put it.

`visible(text)` returns the text with everything that is not prose replaced by spaces: the same
length and the same lines, so an offset in it is an offset in the file (line and column as the
editor sees them). markdown-it-py parses the page with the extensions BUUT's Markdown uses
(tables, admonitions `!!!`/`???`, footnotes); what it calls text — in paragraphs, headings, list
items, table cells, admonition titles and bodies, footnotes and link texts — stays; code blocks
(fenced and indented), inline code, HTML, link targets and reference definitions do not.

Before parsing, BUUT's own fixed patterns blank what is not Markdown at all: macro calls
(`{{ … }}`, `{% … %}`), attribute lists (`{: .klasse }`), HTML comments and the text an editor
marked with `<!-- buut: negeer -->`. After parsing, web addresses, bare domain names with a path
and e-mail addresses inside the text are blanked too.

YAML (front matter, partner files) is not Markdown: `yaml_visible` keeps the values and blanks
keys, list dashes and comments.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

IGNORE_LINE = "<!-- buut: negeer -->"
IGNORE_START = "<!-- buut: negeer-start -->"
IGNORE_END = "<!-- buut: negeer-einde -->"

# Text an editor marked as not to be checked; the privacy lint honours it too.
IGNORED = [
    re.compile(re.escape(IGNORE_START) + r".*?(?:" + re.escape(IGNORE_END) + r"|\Z)", re.S),
    re.compile(r"^[^\n]*" + re.escape(IGNORE_LINE) + r"[^\n]*$", re.M),
]
# Not Markdown at all, blanked before parsing; each with a literal that must occur for it to be there.
_NOT_MARKDOWN = [
    *(("buut:", pattern) for pattern in IGNORED),
    ("<!--", re.compile(r"<!--.*?(?:-->|\Z)", re.S)),  # HTML comments
    ("{", re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)),  # macro calls
    ("{", re.compile(r"\{:?[ \t]*[#.:][^}\n]*\}")),  # attribute lists
]
# Inside text the parser returns: addresses are not prose.
_NOT_PROSE_IN_TEXT = re.compile(
    r"\b(?:https?://|www\.)[^\s<>)\]]+"  # web addresses
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:nl|com|org|net|eu|info|amsterdam|nu|be)(?:/[^\s<>)\]]*)?(?![\w])")  # domains
_NOT_NEWLINE = re.compile(r"[^\n]")
_YAML_KEY = re.compile(r"^([ \t]*(?:-[ \t]+)?)([\w.-]+[ \t]*:)(?=[ \t]|$)|^[ \t]*-(?=[ \t])|^[ \t]*#.*$", re.M)


def blank(match: re.Match) -> str:
    """The matched text as spaces, newlines kept: offsets and line numbers stay the same."""
    return _NOT_NEWLINE.sub(" ", match.group(0))


def blank_ignored(text: str) -> str:
    """The text without what an editor marked with `<!-- buut: negeer -->`."""
    if "buut:" in text:
        for pattern in IGNORED:
            text = pattern.sub(blank, text)
    return text


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark").enable("table").use(admon_plugin).use(footnote_plugin)


def yaml_visible(text: str) -> str:
    """YAML as prose: the values stay; keys, list dashes, comments and addresses become spaces."""
    shown = _YAML_KEY.sub(lambda m: m.group(1) + " " * len(m.group(2)) if m.group(2) else blank(m), text)
    return _NOT_PROSE_IN_TEXT.sub(blank, shown) if "." in shown or "@" in shown else shown


_YAML_QUOTE = re.compile(r"(?:^|:|^[ \t]*-)[ \t]*$")


def yaml_quote(text: str, offset: int) -> bool:
    """Is the quote at `offset` the quote of a YAML value (`titel: "…"`), not a mention?"""
    line_start = text.rfind("\n", 0, offset) + 1
    return _YAML_QUOTE.search(text[line_start:offset]) is not None


def visible(text: str, body_line: int = 1, front: str = "titel") -> str:
    """The prose of a Markdown page (same length, same lines).

    `front` says what of the front matter (the lines before `body_line`) counts: "titel" only the
    value of `titel`, "yaml" every value (a werkinstructie shows its data on the page).
    """
    prose = Prose(text, body_line, front)
    return "".join(prose.chunk(start)[1] for start, _ in prose.chunks)


class Prose:
    """The prose of one page, parsed block by block as the check asks for it.

    Parsing is the slow part of a check, and most of a page holds no hit. A page splits into
    top-level blocks where an empty line is followed by a line that is not indented (outside fenced
    code): no Markdown container runs on across such a line, so each block parses the same alone.
    Link reference definitions are collected from the whole page first, so `[tekst][label]` stays
    a link in any block.
    """

    def __init__(self, text: str, body_line: int = 1, front: str = "titel"):
        lines = text.split("\n")
        self.front_end = len("\n".join(lines[: body_line - 1])) if body_line > 1 else 0
        head = text[:self.front_end]
        if front == "yaml":
            self.head = yaml_visible(head)
        else:
            self.head = _NOT_NEWLINE.sub(" ", head)
            title = re.search(r"^titel:[ \t]*(.*)$", head, re.M)
            if title:
                self.head = self.head[:title.start(1)] + title.group(1) + self.head[title.end(1):]
        body = text[self.front_end:]
        for trigger, pattern in _NOT_MARKDOWN:
            if trigger in body:
                body = pattern.sub(blank, body)
        self.body = body
        self.chunks = ([(0, self.front_end)] if self.front_end else []) + [
            (self.front_end + a, self.front_end + b) for a, b in _blocks(body)]
        self.starts = [a for a, _ in self.chunks]
        self.text = text
        self._parsed: dict[int, str] = {}
        self._env: dict | None = None

    def chunk(self, offset: int) -> tuple[int, str]:
        """(start, prose) of the block that holds `offset`."""
        index = max(0, bisect_right(self.starts, offset) - 1)
        start, end = self.chunks[index]
        if index not in self._parsed:
            if start < self.front_end:
                self._parsed[index] = self.head
            else:
                self._parsed[index] = _markdown_prose(self.body[start - self.front_end:end - self.front_end],
                                                      self.env())
        return start, self._parsed[index]

    def yaml_quote(self, offset: int) -> bool:
        """A quote in the front matter that only quotes a YAML value."""
        return offset < self.front_end and yaml_quote(self.text, offset)

    def env(self) -> dict:
        if self._env is None:
            self._env = {}
            if "]:" in self.body:
                from markdown_it.common.utils import normalizeReference

                self._env["references"] = {
                    normalizeReference(m.group(1)): {"href": m.group(2), "title": ""}
                    for m in _REFERENCE.finditer(self.body)}
        return self._env


_REFERENCE = re.compile(r"^[ ]{0,3}\[(?!\^)([^\]\n]+)\]:[ \t]*(\S+)", re.M)
_FOOTNOTE = re.compile(r"^[ ]{0,3}\[\^([^\]\s]+)\]:", re.M)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


def _blocks(body: str) -> list[tuple[int, int]]:
    """Offsets of the top-level blocks of a Markdown body (see Prose)."""
    blocks, begin, offset, fence, blank_before = [], 0, 0, None, True
    for line in body.split("\n"):
        opened = _FENCE.match(line)
        if fence is None and line and not line[0].isspace() and blank_before and offset > begin:
            blocks.append((begin, offset))
            begin = offset
        if opened and (fence is None or opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence)):
            fence = opened.group(1) if fence is None else None
        blank_before = not line.strip()
        offset += len(line) + 1
    blocks.append((begin, len(body)))
    return blocks


def _markdown_prose(body: str, env: dict | None = None) -> str:
    starts = [0] + [m.end() for m in re.finditer("\n", body)]
    kept: list[tuple[int, int]] = []  # spans of prose, in order of the text
    cursors: dict[int, int] = {}

    def mark(content: str, line: int, limit: int) -> None:
        cursor = cursors.get(line, starts[line])
        found = body.find(content, cursor, limit)
        if found >= 0:
            kept.append((found, found + len(content)))
            cursors[line] = found + len(content)
            return
        for word in content.split():  # escapes and entities: the words are still there one by one
            found = body.find(word, cursor, limit)
            if found >= 0:
                kept.append((found, found + len(word)))
                cursor = found + len(word)
        cursors[line] = cursor

    # The footnote plugin shows a definition only where it is referenced; a block is parsed alone,
    # so each definition gets a reference after the block's end (outside `body`, never marked).
    labels = _FOOTNOTE.findall(body) if "[^" in body else []
    source = body + "\n\n" + " ".join(f"[^{label}]" for label in labels) if labels else body
    for token in _parser().parse(source, dict(env or {})):
        if token.type != "inline" or not token.map or not token.children:
            continue
        first, last = token.map
        if first >= len(starts):
            continue  # the references added for footnotes
        limit = starts[last] if last < len(starts) else len(body)
        for child in token.children:
            if child.type == "image":
                continue
            if child.type == "code_inline":
                cursor = cursors.get(first, starts[first])
                found = body.find(child.content, cursor, limit)
                if found >= 0:
                    cursors[first] = found + len(child.content)
            elif child.type == "text" and child.content:
                mark(child.content, first, limit)
    parts, at = [], 0
    for start, end in sorted(kept):
        if start >= at:
            parts += [_NOT_NEWLINE.sub(" ", body[at:start]), body[start:end]]
            at = end
    shown = "".join(parts) + _NOT_NEWLINE.sub(" ", body[at:])
    if "." in shown or "@" in shown:
        shown = _NOT_PROSE_IN_TEXT.sub(blank, shown)
    return shown
