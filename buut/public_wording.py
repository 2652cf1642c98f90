"""Stage 2, validate: no developer wording on the public site (Wijknetwerken, for partners).

A partner reads "Bron: raadsvoorstel 2019", not "(via issue 5)"; a begrippenlijst, not a page "made
from glossary.yml". What the public site shows comes from public pages (`zichtbaarheid: publiek`)
and public partner files; this check reads exactly that text: the prose of a public page without its
`!!! intern` blocks, and the values of a public partner file without `intern:` and `open_punten:`.

The rules are data, like the editorial rules (`buut/editorial.py`): each has a pattern and
sentences it must and must not flag, and loading this module runs them.
"""
from __future__ import annotations

import re

from .editorial import EditorialRule, _Positions, _self_test, blank_open_punten, rule_findings
from .model import Finding, Page
from .prose import visible, yaml_visible

RULE = "publiek.ontwikkelaarstaal"


RULES = (
    EditorialRule(
        "issue", r"\(?\bvia\s+issue\s*#?\d+\)?|\bissue\s*#\d+|\bissue\s+\d+\b",
        "een issue is iets van de ontwikkelaars; noem alleen de bron zelf",
        ("raadsvoorstel 2019 (via issue 5)", "zie issue 12", "issue #7"),
        ("Bron: raadsvoorstel 2019.", "Dat is een lastig issue voor het team."),
    ),
    EditorialRule(
        "bestand", r"\b[\w-]+(?:/[\w-]+)*\.(?:ya?ml|md|py|json|toml)\b",
        "een bestandsnaam zegt een partner niets; beschrijf wat er staat",
        ("Deze pagina wordt gemaakt uit glossary.yml.", "zie partners/wpi.yml", "in werkkader/2-3-regie.md"),
        ("Kijk op www.amsterdam.nl voor meer.", "Het bestand is klaar.", "Bron: werkkader §2.5."),
    ),
    EditorialRule(
        "werkwijze-redactie", r"\b(?:git|pull\s+requests?|commits?|front\s+matter|repository|yaml)\b",
        "dit is hoe de redactie werkt, niet wat een partner wil weten",
        ("De inhoud staat in git.", "Stel een pull request voor.", "Zet het in de front matter."),
        ("Het buurtteam helpt bij een verhuizing.", "Zij committeren zich aan de afspraken."),
    ),
)


COMPILED = _self_test(RULES)  # a rule that misses or overreaches its examples does not load

# `!!! intern`, `??? intern "…"`, `!!! warning intern`: the block and its indented lines never reach partners.
_INTERN_START = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*(?:[\w-]+[ \t]+)*intern\b", re.IGNORECASE)


def _without_intern_blocks(text: str) -> str:
    lines = text.split("\n")
    inside, indent = False, 0
    for index, line in enumerate(lines):
        if inside:
            if not line.strip() or len(line) - len(line.lstrip()) > indent:
                lines[index] = " " * len(line)
                continue
            inside = False
        if _INTERN_START.match(line):
            inside, indent = True, len(line) - len(line.lstrip())
            lines[index] = " " * len(line)
    return "\n".join(lines)


def _findings(shown: str, original: str, path: str) -> list[Finding]:
    return list(rule_findings(COMPILED, shown, path, _Positions(original), RULE,
                              lambda found, rule: f"'{found}' op de publieke site: {rule.message}"))


def check_page(page: Page) -> list[Finding]:
    """A public content page: its prose, without intern blocks and without the front matter."""
    if not page.meta.publiek or page.generated:
        return []
    lines = page.text.split("\n")
    body = "\n".join(" " * len(line) if index < page.body_line - 1 else line for index, line in enumerate(lines))
    return _findings(visible(_without_intern_blocks(body)), page.text, page.path)


def check_partner(text: str, path: str, publiek: bool) -> list[Finding]:
    """A public partner file: every value a partner reads (not `intern:`, not `open_punten:`)."""
    if not publiek:
        return []
    shown = yaml_visible(_blank_key(blank_open_punten(text), "intern"))
    return _findings(shown, text, path)


def _blank_key(text: str, key: str) -> str:
    """A top-level key's whole block as spaces (its own line and every deeper or empty line after it)."""
    lines, inside = text.split("\n"), False
    for index, line in enumerate(lines):
        if inside and (not line.strip() or line[:1] in (" ", "\t", "-")):
            lines[index] = " " * len(line)
            continue
        inside = line.startswith(f"{key}:")
        if inside:
            lines[index] = " " * len(line)
    return "\n".join(lines)
