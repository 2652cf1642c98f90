"""Check: the public site (Wijknetwerken) speaks to partners, in one register.

A partner reads "Bron: raadsvoorstel 2019", not "(via issue 5)"; a begrippenlijst, not a page "made
from glossary.yml"; "het buurtteam legt het vast", not "je legt het vast"; and nothing that sends
them to BUUT, the intranet they cannot open. What the public site shows comes from public pages
(`zichtbaarheid: publiek`) and public partner files; this check reads exactly that text: the prose of
a public page without its `!!! intern` blocks, and the values of a public partner file without
`intern:`, `open_punten:` and `wijzigingen:` (the intranet's change notes). Three rule sets, each an
error there: developer wording, the informal register (je, jij, jouw, jullie) and intranet wording.

The intranet's register is *je* (issue 25): on a page or partner that only the intranet shows, *u*
is a warning. Text between double quotes (a quoted title or screen text) is not address and is not
read by the register rules.

The rules are data, like the editorial rules (`buut/check/editorial.py`): each has a pattern and
sentences it must and must not flag, and loading this module runs them.
"""
from __future__ import annotations

import re

from buut.check.editorial import EditorialRule, _Positions, _self_test, blank_open_punten, rule_findings
from buut.model import Finding, Level, Page
from buut.load.prose import visible, yaml_visible

RULE = "publiek.ontwikkelaarstaal"
RULE_REGISTER = "publiek.aanspreekvorm"
RULE_INTRANET = "publiek.intranet"
RULE_INTRANET_REGISTER = "intranet.aanspreekvorm"


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


# The informal register, on the public site: partners are addressed with *u*.
REGISTER_RULES = (
    EditorialRule(
        "je-vorm", r"\b(?:je|jij|jou|jouw|jullie|jezelf)\b",
        "de publieke site spreekt partners aan met u; schrijf neutraal ('de buurtteammedewerker', "
        "'het buurtteam') of met u, of zet wat alleen voor medewerkers is in een blok !!! intern",
        ("Hoe kun je dat aanvragen?", "Heb je vragen, bel dan.", "Dat bepaal jij.", "Jouw contactpersoon helpt.",
         "Jullie team beslist.", "Je kent de buurt.", "Werk je in één buurtteam?"),
        ("De Jeugdwet regelt de jeugdhulp.", "Het buurtteam helpt u.", "De jeugdbescherming en het jeugdteam.",
         "Jeugd en gezin", "Bijeenkomsten in juni en juli."),
    ),
)

# What sends a partner to the intranet or to a system only buurtteammedewerkers can open.
INTRANET_RULES = (
    EditorialRule(
        "op-buut",
        r"\b(?:op|zie(?:\s+voor)?|via|naar|in)\s+(?:het\s+)?(?:(?:sociaal\s+)?intranet\s*,?\s+)?"
        r"(?:\([^)\n]{0,40}\)\s+)?BUUT\b|\bBUUT\s*\(op\s+de\s+teampagina|\bBUUT-artikelen\b",
        "een partner kan BUUT niet openen; zeg wat er staat of zet de verwijzing in een blok !!! intern",
        ("De toolbox staat op BUUT.", "Zie BUUT voor de rollen.", "staan op het sociaal intranet BUUT",
         "Op BUUT staat een kaart.", "Meer staat op (de teampagina's van) BUUT."),
        ("De buurtteams werken met de Amsterdamse maatwerk methode.", "Het buurtteam staat op de kaart."),
    ),
    EditorialRule(
        "intranet", r"\b(?:sociaal\s+)?intranet\b",
        "een partner kan het intranet niet openen; zeg wat er staat of zet het in een blok !!! intern",
        ("Dat staat op het intranet.", "aangeboden op het sociaal intranet/Kick", "het intranet van de buurtteams"),
        ("Het internet is voor iedereen.", "De informatie is intern."),
    ),
    EditorialRule(
        "intern-systeem", r"\bKick\b(?!-)",
        "Kick is een systeem van de buurtteams dat een partner niet kan openen; zeg wat er staat",
        ("aangeboden op Kick", "Zie Kick."),
        ("De kick-off van het project.", "Het buurtteam kijkt mee."),
    ),
)

# The formal register on an intranet-only page: the intranet speaks to medewerkers with *je*.
INTRANET_REGISTER_RULES = (
    EditorialRule(
        "u-vorm", r"(?<![\w-])(?:u|uw|uzelf)(?![\w-])",
        "het intranet spreekt medewerkers aan met je; schrijf 'je' of 'jouw'",
        ("Kunt u dat nagaan?", "Uw team beslist.", "Dan belt u het buurtteam."),
        ("Een U-bocht in de weg.", "Bel het buurtteam.", "Je kent de buurt.", "De uren staan erbij."),
    ),
)


COMPILED = _self_test(RULES)  # a rule that misses or overreaches its examples does not load
COMPILED_REGISTER = _self_test(REGISTER_RULES)
COMPILED_INTRANET = _self_test(INTRANET_RULES)
COMPILED_INTRANET_REGISTER = _self_test(INTRANET_REGISTER_RULES)

# A quoted title or screen text ("Bedoelde u …?") is not address: the register rules skip it.
_QUOTED = re.compile(r'"[^"\n]{1,120}"|“[^”\n]{1,120}”|„[^”“\n]{1,120}[”“]')

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


def _unquoted(shown: str) -> str:
    return _QUOTED.sub(lambda match: " " * len(match.group(0)), shown)


def _findings(shown: str, original: str, path: str) -> list[Finding]:
    """What a partner reads: developer wording, the informal register and intranet wording are errors."""
    where = _Positions(original)
    message = lambda found, rule: f"'{found}' op de publieke site: {rule.message}"  # noqa: E731
    findings = list(rule_findings(COMPILED, shown, path, where, RULE, message))
    findings += rule_findings(COMPILED_REGISTER, _unquoted(shown), path, where, RULE_REGISTER, message)
    findings += rule_findings(COMPILED_INTRANET, shown, path, where, RULE_INTRANET, message)
    return sorted(findings, key=lambda f: (f.line, f.column))


def _intranet_findings(shown: str, original: str, path: str) -> list[Finding]:
    """What only medewerkers read: *u* is a warning (the intranet's register is *je*)."""
    return list(rule_findings(COMPILED_INTRANET_REGISTER, _unquoted(shown), path, _Positions(original),
                              RULE_INTRANET_REGISTER, lambda found, rule: f"'{found}' op het intranet: {rule.message}",
                              Level.WARNING))


def check_page(page: Page) -> list[Finding]:
    """A content page: on the public site its prose without intern blocks, else its prose for the
    intranet's register; never the front matter."""
    if page.generated:
        return []
    lines = page.text.split("\n")
    body = "\n".join(" " * len(line) if index < page.body_line - 1 else line for index, line in enumerate(lines))
    if not page.meta.publiek:
        return _intranet_findings(visible(body), page.text, page.path)
    return _findings(visible(_without_intern_blocks(body)), page.text, page.path)


def check_partner(text: str, path: str, publiek: bool) -> list[Finding]:
    """A partner file: every value a reader sees (not `intern:`, `open_punten:` or `wijzigingen:`);
    on the public site all rules, on the intranet only the register."""
    if not publiek:
        return _intranet_findings(yaml_visible(blank_open_punten(text)), text, path)
    shown = yaml_visible(_blank_key(_blank_key(blank_open_punten(text), "intern"), "wijzigingen"))
    return _findings(shown, text, path)


# What the begrippenlijst (public) and the tooltips show of `glossary.yml` (buut/render/begrippen.py).
_GLOSSARY_SHOWN = ("naam", "term", "definitie", "toelichting", "context", "vervang_door", "voluit", "afkorting")
_YAML_KEY_LINE = re.compile(r"^([ \t]*(?:-[ \t]+)?)([\w-]+):")


def check_glossary(text: str, path: str) -> list[Finding]:
    """The glossary as partners read it on the begrippenlijst: only the shown keys (names, terms,
    definitions, context), never patterns, examples or synonyms, which no reader sees."""
    lines, keep_below = text.split("\n"), None
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if keep_below is not None and (not line.strip() or indent > keep_below):
            continue  # a folded value (`definitie: >-`) goes on on deeper lines
        keep_below = None
        key = _YAML_KEY_LINE.match(line)
        if key and key.group(2) in _GLOSSARY_SHOWN and not line.lstrip().startswith("#"):
            keep_below = len(key.group(1))
            continue
        lines[index] = " " * len(line)
    return _findings(yaml_visible("\n".join(lines)), text, path)


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
