"""The data of a voorziening: the `voorziening:` block in the front matter of its werkinstructie.

One werkinstructie page = one voorziening = one file. Its front matter is the single source of the
facts that BUUT shows in several places: the header of the page, the toegang table of werkkader
§2.5, the overview of all voorzieningen, the werkproces per step and the macros editors call.
This module declares the block's schema and turns a validated block into a `Voorziening`.
Whether its references resolve (partners, werkkader sections) is checked in `buut.check.validate`,
once every file is read.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from buut.model import BESCHIKKING_DOOR, BESLISSERS, ROUTES, SOORTEN_VOORZIENING, Stap, ToegangsRegel, Voorziening
from buut.load import spreektaal
from buut.load import termijn
from buut.load.schema import Bool, Choice, Date, ListOf, Nested, Problems, Ref, Schema, Text

SLUG = dict(pattern=r"[a-z0-9][a-z0-9-]*", pattern_help="een id in kleine letters met streepjes, zoals veilig-thuis")
SECTION = dict(pattern=r"[1-5](\.\d{1,2}){0,3}", pattern_help="een paragraafnummer van het werkkader, zoals 2.5 of 2.4.6")

TOEGANG = Schema("een toegangsregel", {
    "wie": Choice(BESLISSERS, required=True, help="Wie bepaalt de toegang."),
    "naam": Text(help="Hoe de beslisser heet op de site, bijvoorbeeld 'de aanbieder van dagbesteding'."),
    "partner": Ref(**SLUG, help="Id van de partner die beslist (een bestand in partners/)."),
    "vanaf": Date(help="Eerste dag waarop de regel geldt."),
    "tot": Date(help="Eerste dag waarop de regel níét meer geldt."),
    "voorwaarde": Text(help="Onder welke voorwaarde, in een bijzin: 'mits …', 'alleen als …'."),
})

BESCHIKKING = Schema("de beschikking", {
    "door": Choice(BESCHIKKING_DOOR, required=True, help="Wie de beschikking afgeeft."),
    "toelichting": Text(help="Hoe en wanneer de beschikking volgt."),
})

STAP = Schema("een stap", {
    "stap": Ref(required=True, pattern=r"2\.4\.[1-8]", pattern_help="een stap van het werkproces, 2.4.1 t/m 2.4.8"),
    "doe": Text(required=True, help="Wat de medewerker in deze stap voor deze voorziening doet."),
})

VOORZIENING = Schema("de voorziening", {
    "naam": Text(required=True, help="Naam van de voorziening."),
    "soort": Choice(SOORTEN_VOORZIENING, required=True,
                    help="Algemene voorziening of maatwerkvoorziening; 'onbekend' als de bron het niet zegt."),
    "route": Choice(ROUTES, default="toegang",
                    help="'toegang': het buurtteam organiseert de toegang; 'toeleiding': een ander beslist."),
    "onderdeel_van": Text(help="Bijvoorbeeld 'aanvullende Wmo'."),
    "toegang": ListOf(Nested(TOEGANG), allow_empty=False, required=True,
                      help="Wie bepaalt de toegang; één regel per periode of beslisser."),
    "beschikking": Nested(BESCHIKKING, required=True, help="Of er een beschikking volgt, en van wie."),
    "wettelijke_termijn": Text(pattern=termijn.PATTERN, pattern_help=termijn.PATTERN_HELP,
                               help="De wettelijke termijn met eenheid, alleen als de bron die geeft (maatwerk: 8 weken)."),
    "ondersteuningsplan": Bool(help="Of een ondersteuningsplan nodig is; weglaten als de bron het niet zegt."),
    "partners": ListOf(Ref(**SLUG), help="Ids van de partners die erbij horen."),
    "werkkader": ListOf(Ref(**SECTION), allow_empty=False, required=True,
                        help="Paragrafen van het werkkader waarop de werkinstructie rust."),
    "stappen": ListOf(Nested(STAP), help="Wat de medewerker doet, per stap van het werkproces."),
    "open_punten": ListOf(Text(), help="Wat nog moet worden uitgezocht; alleen in de werklijst van de redactie."),
    "spreektaal": spreektaal.field(),
})


def from_clean(clean: dict, raw, page_path: str, uri: PurePosixPath, problems: Problems) -> Voorziening:
    """A `Voorziening` from the validated block; adds the checks that span two fields."""
    regels = []
    raw_toegang = raw.get("toegang") if isinstance(raw, dict) else None
    for index, regel in enumerate(clean["toegang"] or ()):
        line = raw_toegang.line_of(index) if hasattr(raw_toegang, "line_of") else 1
        where = problems.within("toegang").item(index)
        if regel["wie"] == "partner" and not regel["partner"]:
            where.add(line, "bij 'wie: partner' hoort ook 'partner: <id>'")
        if regel["vanaf"] and regel["tot"] and regel["vanaf"] >= regel["tot"]:
            where.add(line, f"'vanaf' ({regel['vanaf']}) moet vóór 'tot' ({regel['tot']}) liggen")
        regels.append(ToegangsRegel(wie=regel["wie"], naam=regel["naam"] or "", partner=regel["partner"],
                                    vanaf=regel["vanaf"], tot=regel["tot"], voorwaarde=regel["voorwaarde"] or ""))
    beschikking = clean["beschikking"] or {"door": "onbekend", "toelichting": None}
    if clean["soort"] == "algemene voorziening" and beschikking["door"] not in ("geen", "onbekend"):
        problems.add(raw.line_of("beschikking") if hasattr(raw, "line_of") else 1,
                     "een algemene voorziening heeft geen beschikking; kies 'door: geen' of een andere soort")
    return Voorziening(
        id=uri.stem,
        naam=clean["naam"],
        soort=clean["soort"],
        toegang=tuple(regels),
        beschikking_door=beschikking["door"],
        route=clean["route"] or "toegang",
        beschikking_toelichting=beschikking["toelichting"] or "",
        onderdeel_van=clean["onderdeel_van"] or "",
        wettelijke_termijn=clean["wettelijke_termijn"] or "",
        ondersteuningsplan=clean["ondersteuningsplan"],
        partners=tuple(clean["partners"] or ()),
        werkkader=tuple(clean["werkkader"] or ()),
        stappen=tuple(Stap(s["stap"], s["doe"]) for s in clean["stappen"] or ()),
        open_punten=tuple(clean["open_punten"] or ()),
        uri=uri,
        path=page_path,
        spreektaal=spreektaal.entries(clean["spreektaal"]),
    )
