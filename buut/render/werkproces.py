"""The werkproces of werkkader §2.4 (`werkkader/werkproces.yml`) as a diagram in HTML and CSS."""
from __future__ import annotations

import html
from pathlib import Path

from buut.load.schema import ListOf, Nested, Schema, Text, load_data_file
from buut.render.common import slug

WERKPROCES_DATA = "werkkader/werkproces.yml"


STAP = Schema("een stap van het werkproces", {
    "nummer": Text(required=True, pattern=r"2\.4\.[1-8]", pattern_help="een paragraaf 2.4.1 t/m 2.4.8"),
    "naam": Text(required=True),
    "kern": Text(required=True),
})
WERKPROCES = ListOf(Nested(STAP), allow_empty=False)


def load_werkproces(root: Path) -> tuple[dict, ...]:
    return tuple(load_data_file(root, WERKPROCES_DATA, WERKPROCES, "werkproces"))


def werkproces_diagram(steps, link_base: str = "", anchor_prefix: str = "") -> str:
    """An ordered list drawn as a flow of eight boxes; readable as a plain list without CSS.

    Each step links to its heading (`## 2.4.1 Eerste contact` has the id `241-eerste-contact`);
    `anchor_prefix` is for a page where those ids carry a prefix (the werkkader as one document)."""
    items = []
    for step in steps:
        anchor = anchor_prefix + step["nummer"].replace(".", "") + "-" + slug(step["naam"])
        items.append(
            f'<li class="buut-stap"><a href="{html.escape(link_base)}#{anchor}">'
            f'<span class="buut-stap-nummer">{html.escape(step["nummer"])}</span> '
            f'<strong>{html.escape(step["naam"])}</strong></a>'
            f'<span class="buut-stap-kern">{html.escape(step["kern"])}</span></li>'
        )
    return ('<figure class="buut-werkproces" aria-labelledby="buut-werkproces-titel">'
            '<figcaption id="buut-werkproces-titel">Het werkproces in acht stappen (werkkader §2.4)</figcaption>'
            '<ol>' + "".join(items) + "</ol></figure>")
