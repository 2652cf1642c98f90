"""The werkproces of werkkader §2.4 (`werkkader/werkproces.yml`) as a diagram in HTML and CSS."""
from __future__ import annotations

import html
from pathlib import Path

from .. import yamlio
from ..model import BuutError, Finding, Level
from ..schema import ListOf, Nested, Problems, Schema, Text
from .common import slug

WERKPROCES_DATA = "werkkader/werkproces.yml"


STAP = Schema("een stap van het werkproces", {
    "nummer": Text(required=True, pattern=r"2\.4\.[1-8]", pattern_help="een paragraaf 2.4.1 t/m 2.4.8"),
    "naam": Text(required=True),
    "kern": Text(required=True),
})
WERKPROCES = ListOf(Nested(STAP), allow_empty=False)


def load_werkproces(root: Path) -> tuple[dict, ...]:
    path = root / WERKPROCES_DATA
    try:
        data = yamlio.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuutError(Finding(WERKPROCES_DATA, 1, 1, Level.ERROR, "bestand ontbreekt", "werkproces")) from None
    except yamlio.YamlProblem as problem:
        raise BuutError(problem.finding(WERKPROCES_DATA, "werkproces.yaml")) from None
    problems = Problems(WERKPROCES_DATA, [])
    try:
        steps = WERKPROCES.validate(data, 1, problems)
    except Exception as invalid:  # Invalid
        raise BuutError(Finding(WERKPROCES_DATA, 1, 1, Level.ERROR, str(invalid), "werkproces.schema")) from None
    if problems.found:
        raise BuutError(problems.found)
    return steps


def werkproces_diagram(steps, link_base: str = "") -> str:
    """An ordered list drawn as a flow of eight boxes; readable as a plain list without CSS."""
    items = []
    for step in steps:
        anchor = step["nummer"].replace(".", "") + "-" + slug(step["naam"])
        items.append(
            f'<li class="buut-stap"><a href="{html.escape(link_base)}#{anchor}">'
            f'<span class="buut-stap-nummer">{html.escape(step["nummer"])}</span> '
            f'<strong>{html.escape(step["naam"])}</strong></a>'
            f'<span class="buut-stap-kern">{html.escape(step["kern"])}</span></li>'
        )
    return ('<figure class="buut-werkproces" aria-labelledby="buut-werkproces-titel">'
            '<figcaption id="buut-werkproces-titel">Het werkproces in acht stappen (werkkader §2.4)</figcaption>'
            '<ol>' + "".join(items) + "</ol></figure>")
