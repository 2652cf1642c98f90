"""Load, change notes: what an editor tells readers about a change, in the file that changed.

GOV.UK's model: a change that matters to readers ("major change") carries a short note for them; a
typo or a link is a silent "minor change". In BUUT the note is data next to the text it is about:

    wijzigingen:
      - datum: 2026-12-01
        tekst: De route naar het indicatieorgaan staat nu bij de stappen.

in the front matter of a page, or at the top level of a partner file. Wijzigingen, the start page
and the Atom feeds show only these notes (buut/render/wijzigingen.py); commit messages, which are
written for developers, never reach readers.
"""
from __future__ import annotations

from pathlib import Path

from buut.load.schema import Date, ListOf, Nested, Schema, Text, load_data_file
from buut.model import Wijziging

MAX_TEKST = 300  # a note says what changed for the reader in a sentence or two

WIJZIGING = Schema("een wijziging", {
    "datum": Date(required=True, help="De dag van de wijziging (JJJJ-MM-DD)."),
    "tekst": Text(required=True, pattern=r"(?s).{1,%d}" % MAX_TEKST,
                  pattern_help=f"één of twee zinnen, hoogstens {MAX_TEKST} tekens",
                  help="Wat er voor de lezer veranderde, in het Nederlands, in één of twee zinnen."),
})
WIJZIGINGEN = ListOf(Nested(WIJZIGING), help="Wijzigingen die lezers moeten weten, met datum en tekst; "
                                             "ze staan op Wijzigingen, de startpagina en in de feeds.")


def from_clean(clean, data) -> tuple[Wijziging, ...]:
    """The validated notes, with the line each is written on (for messages)."""
    if not clean:
        return ()
    lines = [getattr(item, "line", 0) for item in data] if isinstance(data, list) else []
    return tuple(Wijziging(item["datum"], " ".join(item["tekst"].split()), lines[i] if i < len(lines) else 0)
                 for i, item in enumerate(clean))


VERSIES_DATA = "werkkader/versies.yml"  # the versions of the werkkader, newest last
VERSIE = Schema("een versie van het werkkader", {
    "versie": Text(required=True, pattern=r"\d+\.\d+", pattern_help="een versienummer zoals 2.0"),
    "verschenen": Text(required=True, help="Maand en jaar, zoals 'april 2021'."),
    "wat": Text(required=True, help="Wat deze versie bracht."),
})
VERSIES = ListOf(Nested(VERSIE), allow_empty=False)


def load_versies(root: Path) -> tuple[dict, ...]:
    """The versions of the werkkader; none if the file is not there."""
    return tuple(load_data_file(root, VERSIES_DATA, VERSIES, "versies", required=False) or ())
