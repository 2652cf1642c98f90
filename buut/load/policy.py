"""What content may contain: BUUT's security policy, in one place.

A pull request may come from anyone, so content is data, never code, and every input gets bounded
work. Like Hugo's security config (no exec, an allow-listed environment, no symlinks), the rules
live here and the stages apply them:

- files: no symbolic links in the content folders or for the configuration files, nothing that
  resolves outside the repository; Markdown files end in `.md` (`paths`);
- macros: only BUUT's own, with plain values, at most `MAX_MACRO_CALLS` on a page
  (`buut/render/macros.py`, which parses and never executes);
- YAML: no anchors or aliases (`&`, `*`: an alias bomb grows exponentially), nesting at most
  `MAX_YAML_DEPTH` deep (`buut/load/yamlio.py`);
- Markdown: lists, quotes and blocks nested at most `MAX_MARKDOWN_DEPTH` deep (`markdown_depth`);
- glossary patterns: a linear-time engine (RE2), see `buut/check/terminology.py`;
- HTML: every rendered page goes through an allow-list sanitiser (nh3, the Rust `ammonia`
  crate): no scripts, styles, frames, forms, event handlers or `javascript:` URLs, no comments
  (`clean_html`);
- the site configuration (`mkdocs.yml`, which editors edit for the navigation): no hooks or
  other plugins, only known Markdown extensions, no Python objects (`!!python/name:`) anywhere,
  no theme templates or scripts from outside BUUT, nothing from other hosts (`check_config`);
  `!ENV` only for `repo_url` and `edit_uri`, each from its own documented variable;
- what the theme puts around the article (titles, navigation, theme values, scripts, the CSP, the
  whole output page): `buut/build/theme_policy.py`;
- the public site: what is internal is decided on the rendered HTML (`buut/render/public.py`),
  and a gate verifies the whole output before it is published (`buut/build/leakgate.py`).
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import nh3

from buut.model import Finding, Level

# Folders and files that hold content or configuration; none of them may be (or hold) a link.
CONTENT_FOLDERS = ("docs", "werkkader", "werkinstructies", "publiek", "partners", "teams")
CONFIG_FILES = ("glossary.yml", "mkdocs.yml", "mkdocs.publiek.yml")

# Files in the folders mkdocs copies into a site (docs/, publiek/): pages, pictures and documents.
# Scripts and stylesheets only in their own folders (code: see .github/CODEOWNERS); no HTML, SVG
# or XML (they can carry scripts), and nothing that takes the place of a theme file.
SITE_FOLDERS = ("docs", "publiek")
ASSET_SUFFIXES = {".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".docx", ".xlsx", ".pptx", ".odt",
                  ".ods", ".odp", ".csv", ".txt"}
CODE_FOLDERS = {"javascripts": ".js", "stylesheets": ".css"}

# Editors' own files next to the content: hidden files and folders (vim's `.naam.md.swp`, emacs'
# lock `.#naam.md`, `.git`), backups (`naam.md~`, `#naam.md#`) and vim's write test `4913`. BUUT
# neither reads nor publishes them (mkdocs never publishes hidden files either), and the preview
# does not rebuild for them.
EDITOR_FILE_ENDINGS = ("~", "#", ".swp", ".swo", ".swx")


def ignored(name: str) -> bool:
    return name.startswith((".", "#")) or name.endswith(EDITOR_FILE_ENDINGS) or name == "4913"


def ignored_path(relative: str) -> bool:
    """A path (with `/`) with an editor's file or folder in it."""
    return any(ignored(part) for part in relative.split("/"))


MAX_YAML_DEPTH = 32  # the deepest real data (glossary examples) is 8 levels deep
MAX_MARKDOWN_DEPTH = 32  # Python-Markdown recurses per level: thousands of levels crash or hang it
MAX_MACRO_CALLS = 100  # macro calls on one page (the most a real page has is 9)
MAX_FILE_BYTES = 500_000  # a page or data file larger than this is refused (the largest is ~60 kB)
MAX_ASSET_BYTES = 20_000_000  # a picture or document
MAX_LINK_BRACKETS = 2000  # '[' on one page: Python-Markdown's link parsing is quadratic in them
# '<' on one page: Python-Markdown's raw-HTML parsing is quadratic in them too ('<a ' 1,000 times
# cost 1.8 s, 2,000 times 7 s, 4,000 times 33 s on the 2-core machine); the most a real page has is 44
MAX_ANGLE_BRACKETS = 500

# The HTML a page may contain after rendering. Everything else is removed, with its content for
# the tags in DROP_WITH_CONTENT.
ALLOWED_TAGS = {
    "svg", "path",  # the theme's icons (pymdownx.emoji), shapes only: no script, link or style in them
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
    "svg": {"xmlns", "viewBox", "width", "height", "aria-hidden", "focusable"},
    "path": {"d"},
}
STYLE_PROPERTIES = {"text-align"}  # the alignment of table columns, nothing else
SCHEME = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)  # an address with a scheme or another host
URL_SCHEMES = {"http", "https", "mailto", "tel"}
DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed", "math",
                     "textarea", "select", "title"}


def clean_html(html: str) -> str:
    """Rendered page HTML with only the allowed tags, attributes and URL schemes, and no comments."""
    return nh3.clean(html, tags=ALLOWED_TAGS, clean_content_tags=DROP_WITH_CONTENT,
                     attributes=ALLOWED_ATTRIBUTES | {"*": GENERIC_ATTRIBUTES},
                     generic_attribute_prefixes=GENERIC_PREFIXES, url_schemes=URL_SCHEMES,
                     filter_style_properties=STYLE_PROPERTIES, strip_comments=True, link_rel=None,
                     attribute_filter=_attribute)


# Ids the theme's scripts look up: a page that had one could take over the theme's settings.
_THEME_ID = re.compile(r"^(?:__|md-|_)", re.I)


def _attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "id" and _THEME_ID.match(value):
        return None  # `id="__config"` would be found before the theme's own
    if element == "img" and attribute == "src" and SCHEME.match(value):
        return None  # a picture from another host tells that host who reads the page
    return value


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
    findings.extend(repository_links(root))
    for folder in CONTENT_FOLDERS:
        base = root / folder
        if not base.is_dir() or base.is_symlink():
            continue
        for current, dirs, files in os.walk(base, followlinks=False):
            here = Path(current)
            dirs[:] = [d for d in dirs if not ignored(d)]
            files = [f for f in files if not ignored(f)]
            for name in sorted(dirs + files):
                path = here / name
                shown = path.relative_to(root).as_posix()
                if path.is_symlink():
                    findings.append(_link(shown))
                elif name in files and path.suffix.lower() == ".md" and path.suffix != ".md":
                    findings.append(Finding(shown, 1, 1, Level.ERROR,
                                            f"bestandsnaam eindigt op '{path.suffix}': BUUT leest alleen '.md' "
                                            "(kleine letters); hernoem het bestand", "bestand.naam"))
                elif name in files and folder in SITE_FOLDERS:
                    findings.extend(_site_file(path, path.relative_to(base).as_posix(), shown))
            dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    return findings


# BUUT's own folders outside git: the store (.buut), caches and the built sites. A link here could put
# the feedback database inside a served site (`.buut -> site/intranet` served /buut.sqlite3).
OWN_FOLDERS = (".buut", ".cache", "site", "site/intranet", "site/publiek")
# Folders a walk of a checkout without git skips: tools' own files, never content.
_NOT_CONTENT = {".git", ".venv", "venv", "node_modules", "__pycache__", ".pytest_cache", ".hypothesis", "site"}


def repository_links(root: Path) -> list[Finding]:
    """Every symbolic link in the repository that points outside it or into the built sites.

    In a git checkout: the links git tracks and the untracked files it does not ignore (what a pull
    request can bring); without git, every file below the root except tools' folders. BUUT's own
    folders are checked in both cases. Content folders are covered by `paths` (no link at all).
    """
    root = root.resolve()
    candidates = set(OWN_FOLDERS) | set(_repository_files(root))
    findings = []
    for relative in sorted(candidates):
        path = root / relative
        if not path.is_symlink() or relative.split("/", 1)[0] in CONTENT_FOLDERS or relative in CONFIG_FILES:
            continue
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(root) or target.is_relative_to(root / "site"):
            where = "buiten de repository" if not target.is_relative_to(root) else "in de gebouwde site (site/)"
            findings.append(Finding(relative, 1, 1, Level.ERROR,
                                    f"dit is een symbolische koppeling (symlink) naar een plek {where}; BUUT "
                                    "weigert die, want zo kan iets dat niet gepubliceerd mag worden in de site "
                                    "terechtkomen. Verwijder de koppeling", "bestand.symlink"))
    return findings


def _repository_files(root: Path) -> list[str]:
    if (root / ".git").exists():
        import subprocess

        try:
            listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others",
                                     "--exclude-standard"], capture_output=True, timeout=30, check=True).stdout
            return [name for name in listed.decode("utf-8", "replace").split("\0") if name]
        except (OSError, subprocess.SubprocessError):
            pass  # no usable git: walk the folder instead
    found = []
    for current, dirs, files in os.walk(root, followlinks=False):
        here = Path(current)
        dirs[:] = [d for d in dirs if not (here == root and d in _NOT_CONTENT) and d != ".git"]
        found.extend((here / name).relative_to(root).as_posix() for name in dirs + files
                     if (here / name).is_symlink())
    return found


def _site_file(path: Path, relative: str, shown: str) -> list[Finding]:
    """A file mkdocs will copy into the site: a page, a picture or a document, in its place."""
    suffix = path.suffix.lower()
    top = relative.split("/", 1)[0]
    if top in CODE_FOLDERS and suffix == CODE_FOLDERS[top]:
        return []
    if suffix not in ASSET_SUFFIXES:
        kinds = ", ".join(sorted(ASSET_SUFFIXES))
        return [Finding(shown, 1, 1, Level.ERROR, f"bestanden van de soort '{suffix or path.name}' horen niet in de "
                        f"site (toegestaan: {kinds}; scripts en stijlen alleen in javascripts/ en stylesheets/)",
                        "bestand.soort")]
    if relative in theme_files():
        return [Finding(shown, 1, 1, Level.ERROR, "dit bestand zou een bestand van het thema vervangen; "
                        "kies een andere naam of map", "bestand.thema")]
    if path.stat().st_size > MAX_ASSET_BYTES:
        return [Finding(shown, 1, 1, Level.ERROR, f"bestand is groter dan {MAX_ASSET_BYTES // 1_000_000} MB",
                        "bestand.groot")]
    return []




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


_HTML_OPEN = re.compile(r"<(div|details|section|aside|blockquote|span|p|ul|ol|li|table)\b[^>]*>", re.I)
_HTML_CLOSE = re.compile(r"</(div|details|section|aside|blockquote|span|p|ul|ol|li|table)\s*>", re.I)


def html_depth(text: str) -> tuple[int, int]:
    """(deepest nesting of raw HTML blocks, its line): Python-Markdown recurses per level too."""
    depth = deepest = 0
    where = 1
    for number, line in enumerate(text.split("\n"), 1):
        depth += len(_HTML_OPEN.findall(line))
        if depth > deepest:
            deepest, where = depth, number
        depth = max(0, depth - len(_HTML_CLOSE.findall(line)))
    return deepest, where


def nesting(text: str, path: str, first_line: int = 1) -> list[Finding]:
    """Findings for Markdown that would make the parser recurse too deep or work too long."""
    findings = []
    for (depth, line), what in ((markdown_depth(text), "lijsten, citaten, kaders of inspringing"),
                                (html_depth(text), "HTML-blokken")):
        if depth > MAX_MARKDOWN_DEPTH:
            findings.append(Finding(path, first_line + line - 1, 1, Level.ERROR,
                                    f"te diep genest ({depth} niveaus van {what}; hoogstens {MAX_MARKDOWN_DEPTH})",
                                    "markdown.diepte"))
    for sign, most, name in (("[", MAX_LINK_BRACKETS, "haken ["), ("<", MAX_ANGLE_BRACKETS, "punthaken <")):
        count = text.count(sign)
        if count > most:
            line = text[: _nth(text, sign, most + 1)].count("\n") + 1
            findings.append(Finding(path, first_line + line - 1, 1, Level.ERROR,
                                    f"te veel {name} op één pagina ({count}; hoogstens {most}); splits de pagina op",
                                    "markdown.omvang"))
    findings.extend(_definitions_in_intern_html(text, path, first_line))
    return findings


def _nth(text: str, needle: str, count: int) -> int:
    position = -1
    for _ in range(count):
        position = text.find(needle, position + 1)
    return position


_DEFINITION = re.compile(r"^\s*(?:\*\[[^\]]+\]:|\[\^[^\]]+\]:|\[[^\]]+\]:\s)")


def _definitions_in_intern_html(text: str, path: str, first_line: int) -> list[Finding]:
    """A footnote, abbreviation or link reference defined inside an intern HTML block would be
    shown outside it (Python-Markdown collects them for the whole page). The blocks are found as
    the public filter finds them (by HTML tokens: any tag, `class = "intern"`, a tag over lines)."""
    from buut.load.intern import intern_spans

    findings = []
    for start, end in intern_spans(text):
        for number, line in enumerate(text[start:end].split("\n"), first_line + text.count("\n", 0, start)):
            if _DEFINITION.match(line):
                findings.append(Finding(path, number, 1, Level.ERROR,
                                        "een voetnoot, afkorting of verwijzing die je in een intern blok definieert, "
                                        "toont de pagina buiten dat blok; zet de definitie erbuiten of gebruik "
                                        "!!! intern", "intern.definitie"))
    return findings


@lru_cache(maxsize=1)
def theme_files() -> frozenset[str]:
    """The files the theme (mkdocs-material) brings along, relative to a site folder."""
    import material

    folder = Path(material.__file__).parent / "templates"
    return frozenset(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                     if p.is_file() and p.suffix not in (".html", ".py", ".pyc"))
