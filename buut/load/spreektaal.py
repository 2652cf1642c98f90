"""Everyday words (`spreektaal`): what medewerkers and Amsterdammers say for a term, voorziening or partner.

Begrippen and afkortingen (`glossary.yml`), voorzieningen (the `voorziening:` block of a
werkinstructie) and partners (`partners/<id>.yml`) can each carry a list of them, next to
`synoniemen`. Each entry names its source, so the list grows from what the sources and the searches
show, not from guesses:

    spreektaal:
      - woord: huisuitzetting
        bron: "werkkader §2.8.3 (woningontruiming)"

Search looks for the entry's own name whenever a query holds the word (`buut/search/query.py`);
loading checks that every word does (like synonyms) and that no word belongs to two entries.
"""
from __future__ import annotations

from collections.abc import Iterable

from buut.model import Spreektaal
from buut.load.schema import ListOf, Nested, Schema, Text

SPREEKTAAL = Schema("een woord uit de spreektaal", {
    "woord": Text(required=True, help="Het woord of de omschrijving zoals mensen die zeggen of typen: huisuitzetting."),
    "bron": Text(required=True, help="Waar het vandaan komt: de bron met paragraaf die beide woorden noemt, "
                                     "of de werklijst (een zoekvraag van een medewerker) met datum."),
})

FIELD_HELP = "Woorden uit de spreektaal, elk met zijn bron; zoeken vindt dit dan ook."


def field() -> ListOf:
    return ListOf(Nested(SPREEKTAAL), help=FIELD_HELP)


def entries(clean: Iterable[dict] | None) -> tuple[Spreektaal, ...]:
    return tuple(Spreektaal(" ".join(e["woord"].split()), e["bron"]) for e in clean or ())
