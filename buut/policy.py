"""What content may contain: BUUT's security policy, in one place.

A pull request may come from anyone, so content is data, never code, and every input gets bounded
work. Like Hugo's security config (no exec, an allow-listed environment, no symlinks), the rules
live here and the stages apply them:

- files: no symbolic links in the content folders or for the configuration files, nothing that
  resolves outside the repository; Markdown files end in `.md` (`paths`);
- macros: only BUUT's own, with plain values, at most `MAX_MACRO_CALLS` on a page
  (`buut/macros.py`, which parses and never executes);
- YAML: no anchors or aliases (`&`, `*`: an alias bomb grows exponentially), nesting at most
  `MAX_YAML_DEPTH` deep (`buut/yamlio.py`);
- Markdown: lists, quotes and blocks nested at most `MAX_MARKDOWN_DEPTH` deep (`markdown_depth`);
- glossary patterns: a linear-time engine (RE2), see `buut/check.py`;
- HTML: every rendered page goes through an allow-list sanitiser (nh3, the Rust `ammonia`
  crate): no scripts, styles, frames, forms, event handlers or `javascript:` URLs, no comments
  (`clean_html`);
- the site configuration (`mkdocs.yml`, which editors edit for the navigation): no hooks or
  other plugins, only known Markdown extensions, no Python objects (`!!python/name:`) anywhere,
  no theme templates or scripts from outside BUUT, nothing from other hosts (`check_config`);
- the public site: what is internal is decided on the rendered HTML (`buut/render/public.py`),
  and a gate verifies the whole output before it is published (`buut/leakgate.py`).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import nh3

from .model import Finding, Level

# Folders and files that hold content or configuration; none of them may be (or hold) a link.
CONTENT_FOLDERS = ("docs", "werkkader", "werkinstructies", "publiek", "partners")
CONFIG_FILES = ("glossary.yml", "mkdocs.yml", "mkdocs.publiek.yml")

MAX_YAML_DEPTH = 32  # the deepest real data (glossary examples) is 8 levels deep
MAX_MARKDOWN_DEPTH = 32  # Python-Markdown recurses per level: thousands of levels crash or hang it
MAX_MACRO_CALLS = 100  # macro calls on one page (the most a real page has is 9)
MAX_FILE_BYTES = 2_000_000  # a page or data file larger than this is refused (the largest is ~60 kB)

# The HTML a page may contain after rendering. Everything else is removed, with its content for
# the tags in DROP_WITH_CONTENT.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "role", "tabindex"}
GENERIC_PREFIXES = {"aria-", "data-buut-"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "details": {"open"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
    "col": {"span"},
}
STYLE_PROPERTIES = {"text-align"}  # the alignment of table columns, nothing else
URL_SCHEMES = {"http", "https", "mailto", "tel"}
DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
                     "textarea", "select", "title"}


def clean_html(html: str) -> str:
    """Rendered page HTML with only the allowed tags, attributes and URL schemes, and no comments."""
    return nh3.clean(html, tags=ALLOWED_TAGS, clean_content_tags=DROP_WITH_CONTENT,
                     attributes=ALLOWED_ATTRIBUTES | {"*": GENERIC_ATTRIBUTES},
                     generic_attribute_prefixes=GENERIC_PREFIXES, url_schemes=URL_SCHEMES,
                     filter_style_properties=STYLE_PROPERTIES, strip_comments=True, link_rel=None)


def paths(root: Path) -> list[Finding]:
    """Links and misnamed files in the content folders, as findings (the build stops on them).

    Walks without following links, so a link to a folder outside the repository is reported,
    never read.
    """
    root = root.resolve()
    findings: list[Finding] = []
    for name in CONFIG_FILES + CONTENT_FOLDERS:
        path = root / name
        if path.is_symlink():
            findings.append(_link(name))
    for folder in CONTENT_FOLDERS:
        base = root / folder
        if not base.is_dir() or base.is_symlink():
            continue
        for current, dirs, files in os.walk(base, followlinks=False):
            here = Path(current)
            for name in sorted(dirs + files):
                path = here / name
                shown = path.relative_to(root).as_posix()
                if path.is_symlink():
                    findings.append(_link(shown))
                elif name in files and path.suffix.lower() == ".md" and path.suffix != ".md":
                    findings.append(Finding(shown, 1, 1, Level.ERROR,
                                            f"bestandsnaam eindigt op '{path.suffix}': BUUT leest alleen '.md' "
                                            "(kleine letters); hernoem het bestand", "bestand.naam"))
            dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    return findings


def _link(shown: str) -> Finding:
    return Finding(shown, 1, 1, Level.ERROR, "dit is een symbolische koppeling (symlink); BUUT volgt die niet. "
                   "Zet het bestand zelf in de repository", "bestand.symlink")


# One container marker at the start of a line: a quote (>), a list item (-, *, +, 1. or 1)),
# an admonition or details block (!!!, ???), or an indented step of two spaces.
_CONTAINER = re.compile(r"(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s)|!!!|\?\?\?\+?)[ \t]*")


def markdown_depth(text: str) -> tuple[int, int]:
    """(deepest nesting, its line): a fast over-estimate of how deep the Markdown parser recurses.

    Counts, per line, the container markers it starts with and its indentation (two spaces or a
    tab per level). Linear in the text, so it is safe on any input.
    """
    deepest, where = 0, 1
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped) + line[: len(line) - len(stripped)].count("\t") * 3
        depth = indent // 2
        position = 0
        while True:
            match = _CONTAINER.match(stripped, position)
            if not match or match.end() == position:
                break
            depth += 1
            position = match.end()
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


def nesting(text: str, path: str, first_line: int = 1) -> list[Finding]:
    depth, line = markdown_depth(text)
    if depth <= MAX_MARKDOWN_DEPTH:
        return []
    return [Finding(path, first_line + line - 1, 1, Level.ERROR,
                    f"te diep genest ({depth} niveaus van lijsten, citaten, kaders of inspringing; "
                    f"hoogstens {MAX_MARKDOWN_DEPTH})", "markdown.diepte")]


# The generator's configuration: what mkdocs.yml may switch on.
ALLOWED_PLUGINS = {"buut", "search", "material/search"}
ALLOWED_EXTENSIONS = {
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "sane_lists",
    "fenced_code",  # mkdocs adds toc, tables and fenced_code itself
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist", "pymdownx.mark",
    "pymdownx.caret", "pymdownx.tilde", "pymdownx.smartsymbols", "pymdownx.betterem", "pymdownx.keys",
}


def check_config(config, root: Path) -> list[str]:
    """What is wrong with a loaded mkdocs configuration, in Dutch (an empty list: it may be used)."""
    problems = []
    if config.get("hooks"):
        problems.append("'hooks' voert Python-code uit tijdens het bouwen en is niet toegestaan")
    unknown = sorted(set(config["plugins"]) - ALLOWED_PLUGINS)
    if unknown:
        problems.append(f"plugin(s) niet toegestaan: {', '.join(unknown)} (toegestaan: {', '.join(sorted(ALLOWED_PLUGINS))})")
    extensions = [e if isinstance(e, str) else type(e).__name__ for e in config["markdown_extensions"]]
    refused = sorted(set(extensions) - ALLOWED_EXTENSIONS)
    if refused:
        problems.append(f"Markdown-extensie(s) niet toegestaan: {', '.join(refused)}")
    if _has_code(config.get("mdx_configs") or {}) or _has_code(dict(config.get("extra") or {})):
        problems.append("de configuratie bevat een verwijzing naar Python-code (!!python/name:); dat is niet toegestaan")
    if config.get("extra_templates"):
        problems.append("'extra_templates' zijn sjablonen die code kunnen uitvoeren; niet toegestaan")
    theme_dir = config["theme"].custom_dir if config.get("theme") is not None else None
    if theme_dir and not _in_package(Path(theme_dir)):
        problems.append("'custom_dir' van het thema mag alleen naar de sjablonen van BUUT zelf wijzen (buut/templates)")
    for key in ("extra_javascript", "extra_css"):
        for item in config.get(key) or []:
            target = str(getattr(item, "path", item))
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.I):
                problems.append(f"'{key}' laadt {target} van een andere host; de site vraagt niets op bij andere hosts")
    for key in ("docs_dir", "site_dir"):
        folder = Path(config[key]).resolve()
        if not folder.is_relative_to(root.resolve()):
            problems.append(f"'{key}' ligt buiten de repository")
    return problems


def _has_code(value, depth: int = 0) -> bool:
    if depth > MAX_YAML_DEPTH:
        return True
    if isinstance(value, dict):
        return any(_has_code(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_code(v, depth + 1) for v in value)
    return callable(value) or type(value).__module__ not in ("builtins", "datetime")


def _in_package(folder: Path) -> bool:
    import buut

    package = Path(buut.__file__).resolve().parent
    return folder.resolve().is_relative_to(package)
