"""Load: find the content in the repository and read each page's front matter.

The layout is a convention, not configuration: `docs/` holds the site's own pages (its root),
`werkkader/` the werkkader (mounted at /werkkader/ in the site). Reading never stops at the first
broken page: every page that can be read is returned, every problem becomes a Finding.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from buut.load import policy, yamlio
from buut.model import DOELGROEPEN, SOORTEN, ZICHTBAARHEDEN, Finding, FrontMatter, Level, Page
from buut.load.schema import Choice, Date, ListOf, Nested, Problems, Schema, Text
from buut.load.voorzieningen import VOORZIENING, from_clean
from buut.load import wijzigingen

# Where each content folder appears in the site, and which kind of page it holds.
CONTENT_DIRS = {
    "docs": ("", "pagina"),
    "werkkader": ("werkkader", "werkkader"),
    "werkinstructies": ("werkinstructies", "werkinstructie"),
    "publiek": ("", "pagina"),  # pages of the public site only (its home); see PUBLIC_ONLY
}
# Folders whose pages only the public site shows (the intranet has its own home page).
PUBLIC_ONLY = ("publiek",)

EIGENAAR = Text(pattern=r"[a-z0-9][a-z0-9-]*", pattern_help="een korte naam in kleine letters met streepjes, "
                "zoals redactie-werkkader", required=True)

FRONT_MATTER = Schema("de front matter", {
    "titel": Text(required=True, help="De titel van de pagina; gelijk aan de kop met één #."),
    "eigenaar": EIGENAAR,
    "zichtbaarheid": Choice(ZICHTBAARHEDEN, default="intern",
                            help="`publiek` komt ook op de publieke site; zonder deze sleutel is een pagina intern."),
    "doelgroep": ListOf(Choice(DOELGROEPEN), single_ok=True, allow_empty=False, default=("medewerkers",),
                        help="Voor wie de pagina is; bepaalt welke termen passen."),
    "bron": Text(help="De bron, met paragraaf: `werkkader §2.4.4`."),
    "versie": Text(help="Versie van de bron, bijvoorbeeld `2.0`."),
    "soort": Choice(SOORTEN, help="Soort pagina voor het zoeken; volgt anders uit de map."),
    "herzien_voor": Date(help="Datum waarop de eigenaar de pagina uiterlijk opnieuw bekijkt."),
    "omschrijving": Text(help="Eén zin over de pagina, voor zoekresultaten en overzichten."),
    "voorziening": Nested(VOORZIENING, help="Alleen in werkinstructies/: de gegevens van de voorziening."),
    "open_punten": ListOf(Text(), help="Wat de eigenaar nog moet aanvullen; alleen in de werklijst van de redactie."),
    "wijzigingen": wijzigingen.WIJZIGINGEN,
})

# The werkkader is a versioned, cited document: these keys are required there.
WERKKADER_REQUIRED = ("bron", "versie", "zichtbaarheid", "doelgroep")


@dataclass
class Content:
    """Everything read from the repository, plus what could not be read."""

    root: Path
    pages: list[Page] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # pages that could not be read (see findings)

    def page(self, uri: str) -> Page | None:
        for page in self.pages:
            if str(page.uri) == uri:
                return page
        return None


def read_text(path: Path, shown: str, findings: list[Finding]) -> str | None:
    """Read a UTF-8 file; a file that is not UTF-8 or is empty becomes a finding."""
    try:
        if path.is_symlink():
            raise OSError(0, "symbolische koppeling; BUUT volgt die niet")
        if path.stat().st_size > policy.MAX_FILE_BYTES:
            findings.append(Finding(shown, 1, 1, Level.ERROR, f"bestand is te groot (meer dan "
                                    f"{policy.MAX_FILE_BYTES // 1_000_000} MB); splits het op", "bestand.groot"))
            return None
        raw = path.read_bytes()
    except OSError as error:
        findings.append(Finding(shown, 1, 1, Level.ERROR, f"kan het bestand niet lezen ({error.strerror})", "bestand"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        findings.append(Finding(shown, line, 1, Level.ERROR,
                                "bestand is niet in UTF-8 opgeslagen; sla het op als UTF-8", "bestand.utf8"))
        return None
    if not text.strip():
        findings.append(Finding(shown, 1, 1, Level.ERROR, "bestand is leeg", "bestand.leeg"))
        return None
    return text.replace("\r\n", "\n")


def split_front_matter(text: str):
    """Return (yaml text or None, first line of the yaml, first line of the body)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 0, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), 2, index + 2
    return "\n".join(lines[1:]), 2, None


def parse_page(path: Path, shown: str, uri: PurePosixPath, default_soort: str,
               findings: list[Finding], text: str | None = None, site_page: bool = True) -> Page | None:
    """One page and its front matter. `site_page=False` for a loose file outside the content
    folders: it is checked for its words, but it is no page of the site (no heading rule)."""
    if text is None:
        text = read_text(path, shown, findings)
        if text is None:
            return None
    yaml_text, yaml_line, body_line = split_front_matter(text)
    if yaml_text is None:
        findings.append(Finding(shown, 1, 1, Level.ERROR,
                                "front matter ontbreekt: begin de pagina met --- en minstens titel en eigenaar",
                                "frontmatter.ontbreekt"))
        return None
    if body_line is None:
        findings.append(Finding(shown, 1, 1, Level.ERROR,
                                "front matter wordt niet afgesloten met een regel ---", "frontmatter.open"))
        return None
    try:
        data = yamlio.load(yaml_text, first_line=yaml_line)
    except yamlio.YamlProblem as problem:
        findings.append(problem.finding(shown, "frontmatter.yaml"))
        return None
    if data is None:
        data = yamlio.YamlMap()
        data.line, data.key_lines = 1, {}
    problems = Problems(shown, [])
    try:
        clean = FRONT_MATTER.validate(data, 1, problems)
    except Exception as invalid:  # Invalid: not a mapping at all
        findings.append(Finding(shown, 2, 1, Level.ERROR, getattr(invalid, "message", str(invalid)),
                                "frontmatter.schema"))
        return None
    if default_soort == "werkkader":
        for key in WERKKADER_REQUIRED:
            if key not in data:
                problems.add(1, f"verplichte sleutel '{key}' ontbreekt (verplicht voor werkkaderpagina's)")
    if default_soort == "werkinstructie" and "bron" not in data:
        problems.add(1, "verplichte sleutel 'bron' ontbreekt (verplicht voor werkinstructies)")
    if default_soort == "werkinstructie" and "voorziening" not in data:
        problems.add(1, "verplichte sleutel 'voorziening' ontbreekt (verplicht voor werkinstructies)")
    elif default_soort != "werkinstructie" and "voorziening" in data:
        problems.add(data.line_of("voorziening"), "'voorziening' hoort alleen in een werkinstructie (map werkinstructies/)")
    elif clean["voorziening"] is not None:
        clean["voorziening"] = from_clean(clean["voorziening"], data["voorziening"], shown, uri,
                                          problems.within("voorziening"))
    for problem in problems.found:
        findings.append(Finding(problem.path, problem.line, problem.column, problem.level, problem.message,
                                "frontmatter.schema"))
    if problems.found:
        return None
    clean["soort"] = clean["soort"] or default_soort
    clean["open_punten"] = tuple(clean["open_punten"] or ())
    clean["wijzigingen"] = wijzigingen.from_clean(clean["wijzigingen"], data.get("wijzigingen"))
    page = Page(path=shown, uri=uri, meta=FrontMatter(**clean), text=text, body_line=body_line)
    findings.extend(policy.nesting(page.body, shown, body_line))
    if site_page:
        findings.extend(check_title(page))
    return page


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_H1 = re.compile(r"^#[ \t]+(.*?)[ \t#]*$")
_ATTRIBUTES = re.compile(r"[ \t]*\{[^}]*\}$")


def check_title(page: Page) -> list[Finding]:
    """A page has one heading with `#`, equal to its `titel` (an attribute list aside)."""
    fence, found = None, []
    for number, line in enumerate(page.body.split("\n"), page.body_line):
        opening = _FENCE.match(line)
        if opening and (fence is None or opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence)):
            fence = None if fence else opening.group(1)
            continue
        heading = None if fence else _H1.match(line)
        if heading:
            found.append((number, _ATTRIBUTES.sub("", heading.group(1)).strip()))
    if not found:
        return [Finding(page.path, page.body_line, 1, Level.ERROR,
                        f"de kop met één # ontbreekt; zet '# {page.meta.titel}' bovenaan", "pagina.kop")]
    problems = []
    line, text = found[0]
    if text != page.meta.titel:
        problems.append(Finding(page.path, line, 1, Level.ERROR,
                                f"de kop '{text}' is niet gelijk aan de titel '{page.meta.titel}' in de front matter",
                                "pagina.kop"))
    for line, text in found[1:]:
        problems.append(Finding(page.path, line, 1, Level.ERROR,
                                f"tweede kop met één # ('{text}'); een pagina heeft er één: gebruik ## voor een sectie",
                                "pagina.kop"))
    return problems


def page_uri(folder: str, relative: str) -> PurePosixPath:
    """Where a page of a content folder sits in the site: under the folder's mount, or at the root."""
    mount = CONTENT_DIRS[folder][0]
    return PurePosixPath(mount, relative) if mount else PurePosixPath(relative)


def markdown_files(base: Path) -> list[Path]:
    """Every `.md` file below a folder, sorted; links are not followed (policy.paths reports them)."""
    found = []
    for current, dirs, files in os.walk(base, followlinks=False):
        dirs[:] = [d for d in dirs if not policy.ignored(d)]
        found += [Path(current, name) for name in files if name.endswith(".md") and not policy.ignored(name)
                  and not Path(current, name).is_symlink()]
    return sorted(found)


def site_url(uri: PurePosixPath) -> str:
    """The address a page gets in the site: `visie.md` and `visie/index.md` both become `visie/`."""
    text = str(uri)
    if text == "index.md" or text.endswith("/index.md"):
        return text[: -len("index.md")]
    return text[: -len(".md")] + "/"


def load_content(root: Path) -> Content:
    content = Content(root=root)
    content.findings.extend(policy.paths(root))
    for folder, (_, soort) in CONTENT_DIRS.items():
        base = root / folder
        if not base.is_dir() or base.is_symlink():
            continue
        for path in markdown_files(base):
            relative = path.relative_to(base).as_posix()
            page = parse_page(path, f"{folder}/{relative}", page_uri(folder, relative), soort, content.findings)
            if page is not None:
                content.pages.append(page)
            else:
                content.unreadable.append(f"{folder}/{relative}")
    content.findings.extend(collisions(content.pages))
    return content


def collisions(pages: list[Page]) -> list[Finding]:
    """Two pages that would get the same address (`docs/visie.md` and `docs/visie/index.md`)."""
    seen: dict[tuple[bool, str], Page] = {}
    findings = []
    for page in pages:
        public_only = page.path.split("/", 1)[0] in PUBLIC_ONLY
        key = (public_only, site_url(page.uri))
        if key in seen:
            findings.append(Finding(page.path, 1, 1, Level.ERROR,
                                    f"deze pagina krijgt hetzelfde adres (/{key[1]}) als {seen[key].path}; "
                                    "hernoem of verplaats er één", "pagina.adres"))
        else:
            seen[key] = page
    return findings


def nav_links(node) -> list[str]:
    """Every string in a mkdocs `nav` (pages, `folder/*`, addresses), in order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [link for value in node.values() for link in nav_links(value)]
    if isinstance(node, list):
        return [link for value in node for link in nav_links(value)]
    return []
