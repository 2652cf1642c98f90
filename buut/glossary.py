"""The begrippenlijst: load `glossary.yml`, validate it, and prove its rules on their own examples.

`glossary.yml` is the one source for the begrippenlijst page, the terminology check and the
search synonyms. Like textlint-rule-prh, each rule carries sentences that must and must not be
flagged; `load_glossary` runs them all and refuses a glossary whose rules do not do what their
examples say (BuutError, exit 2, naming the entry and its line).
"""
from __future__ import annotations

from pathlib import Path

from . import yamlio
from .model import DOELGROEPEN, Afkorting, Begrip, BuutError, Example, Finding, Glossary, Level, Term
from .schema import Bool, Choice, Field, Invalid, ListOf, Nested, Problems, Schema, Text

ROLLEN = ("gebruiken", "ook wel", "niet gebruiken")
NIVEAUS = ("error", "warning", "suggestion")


class ExampleField(Field):
    """A test sentence: plain text (for medewerkers) or {tekst, doelgroep}."""

    schema = Schema("een voorbeeld", {"tekst": Text(required=True), "doelgroep": Choice(DOELGROEPEN)})

    def validate(self, value, line, problems):
        if isinstance(value, str):
            return {"tekst": value, "doelgroep": None}
        return self.schema.validate(value, line, problems)


VOORBEELDEN = Schema("voorbeelden", {
    "fout": ListOf(ExampleField(), help="Zinnen die de controle moet aanwijzen."),
    "goed": ListOf(ExampleField(), help="Zinnen die de controle met rust moet laten."),
})

SCHEIDBAAR = Schema("een scheidbaar werkwoord", {
    "stam": Text(required=True, help="Patroon voor de vervoegde stam, bijvoorbeeld verwij(s|st|zen)."),
    "partikel": Text(required=True, help="Het losse deel, bijvoorbeeld door."),
})

_RULE_FIELDS = {
    "niveau": Choice(NIVEAUS, help="error, warning of suggestion."),
    "vervang_door": ListOf(Text(), single_ok=True, help="Wat de schrijver beter kan gebruiken."),
    "vormen": ListOf(Text(), help="Patronen (reguliere expressies) voor hele woorden, hoofdletterongevoelig."),
    "scheidbaar": ListOf(Nested(SCHEIDBAAR), help="Scheidbare werkwoorden: stam en partikel apart in de zin."),
    "uitzonderingen": ListOf(Text(), help="Patronen voor tekst die goed is, ook al lijkt hij op een vorm."),
    "voorbeelden": Nested(VOORBEELDEN),
}

# What search does with a term (buut/search/query.py): the words people type for it, and queries
# that must find it, which loading runs like the rules' examples.
_SEARCH_FIELDS = {
    "synoniemen": ListOf(Text(), help="Woorden die mensen typen voor deze term; zoeken vindt de term dan ook."),
    "zoekvoorbeelden": ListOf(Text(), help="Zoekvragen die deze term moeten vinden; BUUT controleert ze bij elke start."),
}

TERM = Schema("een term", {
    "term": Text(required=True),
    "rol": Choice(ROLLEN, required=True),
    "definitie": Text(),
    "toelichting": Text(),
    "context": Text(help="Waar of met wie de term wel past."),
    "doelgroepen": ListOf(Choice(DOELGROEPEN), help="Doelgroepen voor wie de term past; leeg = iedereen."),
    "tooltip": Bool(default=False, help="Leg de term uit in een tooltip, overal waar hij op de site staat."),
    **_RULE_FIELDS,
    **_SEARCH_FIELDS,
})

BEGRIP = Schema("een begrip", {
    "id": Text(required=True, pattern=r"[a-z0-9-]+", pattern_help="kleine letters, cijfers en streepjes"),
    "naam": Text(required=True),
    "termen": ListOf(Nested(TERM), allow_empty=False, required=True),
})

SCHRIJFWIJZE = Schema("een schrijfwijze", {
    "juist": Text(required=True, help="Zo schrijft BUUT het."),
    "toelichting": Text(),
    **_RULE_FIELDS,
})

AFKORTING = Schema("een afkorting", {
    "afkorting": Text(required=True, help="Zoals BUUT haar schrijft, bijvoorbeeld HbH."),
    "voluit": Text(required=True, help="De volledige naam, bijvoorbeeld Hulp bij het huishouden."),
    "definitie": Text(help="De tekst van de tooltip; zonder definitie toont de tooltip de volledige naam."),
    **_SEARCH_FIELDS,
})

GLOSSARY = Schema("glossary.yml", {
    "begrippen": ListOf(Nested(BEGRIP), allow_empty=False, required=True),
    "schrijfwijzen": ListOf(Nested(SCHRIJFWIJZE)),
    "afkortingen": ListOf(Nested(AFKORTING), help="Afkortingen: tooltip op de site, en zoeken vindt ook de volledige naam."),
})


def _examples(value) -> tuple[Example, ...]:
    if not value:
        return ()
    return tuple(
        [Example(e["tekst"], True, e["doelgroep"]) for e in value.get("fout") or ()]
        + [Example(e["tekst"], False, e["doelgroep"]) for e in value.get("goed") or ()]
    )


def _term(clean: dict, line: int, rol: str | None = None) -> Term:
    niveau = Level.parse(clean["niveau"]) if clean.get("niveau") else None
    return Term(
        term=clean.get("term") or clean.get("juist"),
        rol=rol or clean["rol"],
        definitie=clean.get("definitie") or "",
        toelichting=clean.get("toelichting") or "",
        context=clean.get("context") or "",
        doelgroepen=tuple(clean.get("doelgroepen") or ()),
        niveau=niveau,
        vervang_door=tuple(clean.get("vervang_door") or ((clean["juist"],) if "juist" in clean else ())),
        vormen=tuple(clean.get("vormen") or ()),
        scheidbaar=tuple((s["stam"], s["partikel"]) for s in clean.get("scheidbaar") or ()),
        uitzonderingen=tuple(clean.get("uitzonderingen") or ()),
        voorbeelden=_examples(clean.get("voorbeelden")),
        tooltip=bool(clean.get("tooltip")),
        line=line,
        synoniemen=tuple(clean.get("synoniemen") or ()),
        zoekvoorbeelden=tuple(clean.get("zoekvoorbeelden") or ()),
    )


def _lines(raw, key) -> list[int]:
    items = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(items, yamlio.YamlList):
        return [items.line_of(i) for i in range(len(items))]
    return []


def parse_glossary(text: str, shown: str = "glossary.yml") -> Glossary:
    """Parse and validate; raises BuutError with every problem (path:line) when unusable."""
    try:
        raw = yamlio.load(text)
    except yamlio.YamlProblem as problem:
        raise BuutError(problem.finding(shown, "glossary.yaml")) from None
    problems = Problems(shown, [])
    try:
        clean = GLOSSARY.validate(raw, 1, problems)
    except Invalid as invalid:
        raise BuutError(Finding(shown, invalid.line or 1, 1, Level.ERROR, invalid.message, "glossary.schema")) from None
    if problems.found:
        raise BuutError(problems.found)

    begrippen = []
    seen_ids: dict[str, int] = {}
    begrip_lines = _lines(raw, "begrippen")
    for index, begrip in enumerate(clean["begrippen"]):
        line = begrip_lines[index] if index < len(begrip_lines) else 1
        if begrip["id"] in seen_ids:
            problems.add(line, f"begrip-id '{begrip['id']}' komt twee keer voor (eerder op regel {seen_ids[begrip['id']]})")
        seen_ids[begrip["id"]] = line
        term_lines = _lines(raw["begrippen"][index], "termen")
        termen = tuple(_term(t, term_lines[i] if i < len(term_lines) else line) for i, t in enumerate(begrip["termen"]))
        if not any(t.rol == "gebruiken" for t in termen):
            problems.add(line, f"begrip '{begrip['id']}' heeft geen term met rol 'gebruiken'")
        begrippen.append(Begrip(begrip["id"], begrip["naam"], termen, line))
    schrijf_lines = _lines(raw, "schrijfwijzen")
    schrijfwijzen = tuple(
        _term(s, schrijf_lines[i] if i < len(schrijf_lines) else 1, rol="schrijfwijze")
        for i, s in enumerate(clean.get("schrijfwijzen") or ())
    )
    afkorting_lines = _lines(raw, "afkortingen")
    afkortingen = tuple(
        Afkorting(a["afkorting"], a["voluit"], a.get("definitie") or "", tuple(a.get("synoniemen") or ()),
                  tuple(a.get("zoekvoorbeelden") or ()), afkorting_lines[i] if i < len(afkorting_lines) else 1)
        for i, a in enumerate(clean.get("afkortingen") or ()))
    if problems.found:
        raise BuutError(problems.found)
    return Glossary(tuple(begrippen), schrijfwijzen, shown, afkortingen)


def load_glossary(path: Path, shown: str = "glossary.yml") -> Glossary:
    """Load, validate, compile every rule and run every example. BuutError when anything fails."""
    from .check import compile_rules, verify_examples  # the check owns rule semantics

    if not path.is_file():
        raise BuutError(Finding(shown, 1, 1, Level.ERROR, "glossary.yml ontbreekt", "glossary.bestand"))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BuutError(Finding(shown, 1, 1, Level.ERROR, "glossary.yml is niet in UTF-8 opgeslagen",
                                "glossary.utf8")) from None
    glossary = parse_glossary(text, shown)
    rules = compile_rules(glossary)  # raises BuutError on a broken pattern
    failures = verify_examples(rules)
    if not failures:
        from .search.query import verify_search_words  # search owns what a synonym does to a query

        failures = verify_search_words(glossary, rules)
    if failures:
        raise BuutError(failures)
    return glossary
