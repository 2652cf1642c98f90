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
    """YAML as prose: the values stay, keys, list dashes and comments become spaces."""
    return _YAML_KEY.sub(lambda m: m.group(1) + " " * len(m.group(2)) if m.group(2) else blank(m), text)


def visible(text: str, body_line: int = 1, front: str = "titel") -> str:
    """The prose of a Markdown page (same length, same lines).

    `front` says what of the front matter (the lines before `body_line`) counts: "titel" only the
    value of `titel`, "yaml" every value (a werkinstructie shows its data on the page).
    """
    lines = text.split("\n")
    front_end = len("\n".join(lines[: body_line - 1])) if body_line > 1 else 0
    head = text[:front_end]
    if front == "yaml":
        head_visible = yaml_visible(head)
    else:
        head_visible = _NOT_NEWLINE.sub(" ", head)
        title = re.search(r"^titel:[ \t]*(.*)$", head, re.M)
        if title:
            head_visible = head_visible[:title.start(1)] + title.group(1) + head_visible[title.end(1):]
    body = text[front_end:]
    for trigger, pattern in _NOT_MARKDOWN:
        if trigger in body:
            body = pattern.sub(blank, body)
    return head_visible + _markdown_prose(body)


def _markdown_prose(body: str) -> str:
    starts = [0] + [m.end() for m in re.finditer("\n", body)]
    keep = bytearray(len(body))
    cursors: dict[int, int] = {}

    def mark(content: str, line: int, limit: int) -> None:
        cursor = cursors.get(line, starts[line])
        found = body.find(content, cursor, limit)
        if found >= 0:
            keep[found:found + len(content)] = b"\x01" * len(content)
            cursors[line] = found + len(content)
            return
        for word in content.split():  # escapes and entities: the words are still there one by one
            found = body.find(word, cursor, limit)
            if found >= 0:
                keep[found:found + len(word)] = b"\x01" * len(word)
                cursor = found + len(word)
        cursors[line] = cursor

    for token in _parser().parse(body):
        if token.type != "inline" or not token.map or not token.children:
            continue
        first, last = token.map
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
    shown = "".join(ch if keep[i] or ch == "\n" else " " for i, ch in enumerate(body))
    if "." in shown or "@" in shown:
        shown = _NOT_PROSE_IN_TEXT.sub(blank, shown)
    return shown
