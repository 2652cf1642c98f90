"""The begrippenlijst: load `glossary.yml`, validate it, and prove its rules on their own examples.

`glossary.yml` is the one source for the begrippenlijst page, the terminology check and the
search synonyms. Like textlint-rule-prh, each rule carries sentences that must and must not be
flagged; `load_glossary` runs them all and refuses a glossary whose rules do not do what their
examples say (BuutError, exit 2, naming the entry and its line).
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

from buut.load import spreektaal, yamlio
from buut.check.patterns import PatternError, compile_pattern
from buut.model import (
    DOELGROEPEN,
    Afkorting,
    Begrip,
    BuutError,
    Example,
    Finding,
    Glossary,
    Level,
    Spreektaal,
    Term,
    Uitzondering,
    Woord,
)
from buut.load.schema import Bool, Choice, Field, Int, Invalid, ListOf, Nested, Problems, Schema, Text

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.terminology import RuleSet

ROLLEN = ("gebruiken", "ook wel", "niet gebruiken")
NIVEAUS = ("error", "warning", "suggestion")


class ExampleField(Field):
    """A test sentence: plain text (for medewerkers) or {tekst, doelgroep}."""

    schema = Schema("een voorbeeld", {"tekst": Text(required=True), "doelgroep": Choice(DOELGROEPEN)})

    def validate(self, value, line, problems):
        if isinstance(value, str):
            return {"tekst": value, "doelgroep": None}
        return self.schema.validate(value, line, problems)


class Pattern(Text):
    """A pattern an editor writes: it must compile under RE2 (linear time, no backtracking)."""

    def validate(self, value, line, problems):
        from buut.check.terminology import _prepare  # the pattern as the scanner will run it

        value = super().validate(value, line, problems)
        try:
            compile_pattern(_prepare(value, exact=True))
        except PatternError as error:
            raise Invalid(str(error), line) from None
        return value

    def describe(self):
        return "patroon (RE2)"


VOORBEELDEN = Schema("voorbeelden", {
    "fout": ListOf(ExampleField(), help="Zinnen die de controle moet aanwijzen."),
    "goed": ListOf(ExampleField(), help="Zinnen die de controle met rust moet laten."),
})

SCHEIDBAAR = Schema("een scheidbaar werkwoord", {
    "stam": Pattern(required=True, help="Patroon voor de vervoegde stam, bijvoorbeeld verwij(s|st|zen)."),
    "partikel": Pattern(required=True, help="Het losse deel, bijvoorbeeld door."),
})

UITZONDERING = Schema("een uitzondering", {
    "patroon": Pattern(required=True, help="Tekst die goed is, ook al bevat hij een vorm van de term."),
    "voorbeeld": Text(required=True, help="Een zin die zonder deze uitzondering onterecht zou worden aangewezen."),
})

class UitzonderingField(Nested):
    """An exception: {patroon, voorbeeld}; a bare pattern is refused with what to write instead."""

    def validate(self, value, line, problems):
        if isinstance(value, str):
            raise Invalid(f"geef de uitzondering '{value}' een voorbeeld: schrijf "
                          "{patroon: '…', voorbeeld: een zin die zonder de uitzondering zou worden aangewezen}")
        return super().validate(value, line, problems)


SOORTEN_WOORD = ("zelfstandig naamwoord", "werkwoord")

WOORD = Schema("een woord", {
    "lemma": Text(required=True, help="Het woord zoals in het woordenboek: intake, doorverwijzen."),
    "soort": Choice(SOORTEN_WOORD, required=True, help="zelfstandig naamwoord of werkwoord."),
    "partikel": Text(help="Bij een scheidbaar werkwoord het losse deel: door (verwijst … door)."),
    "verleden_tijd": ListOf(Text(), single_ok=True, help="Bij een sterk werkwoord: verwees, verwezen."),
    "voltooid_deelwoord": Text(help="Bij een sterk werkwoord: verwezen."),
})

_RULE_FIELDS = {
    "niveau": Choice(NIVEAUS, help="error, warning of suggestion."),
    "vervang_door": ListOf(Text(), single_ok=True, help="Wat de schrijver beter kan gebruiken."),
    "vormen": ListOf(Pattern(), help="Patronen (reguliere expressies) voor hele woorden, hoofdletterongevoelig."),
    "scheidbaar": ListOf(Nested(SCHEIDBAAR), help="Scheidbare werkwoorden: stam en partikel apart in de zin."),
    "woorden": ListOf(Nested(WOORD), help="Woorden waarvan BUUT zelf alle vormen maakt (meervoud, verkleinwoord, vervoegingen)."),
    "samenstellingen": Bool(default=False, help="Wijs de woorden ook aan als deel van een samenstelling (groepsintake)."),
    "uitzonderingen": ListOf(UitzonderingField(UITZONDERING), help="Tekst die goed is, ook al bevat hij een vorm; elk met een voorbeeld."),
    "voorbeelden": Nested(VOORBEELDEN),
}

# What search does with a term (buut/search/query.py): the words people type for it, and queries
# that must find it, which loading runs like the rules' examples.
_SEARCH_FIELDS = {
    "synoniemen": ListOf(Text(), help="Woorden die mensen typen voor deze term; zoeken vindt de term dan ook."),
    "zoekvoorbeelden": ListOf(Text(), help="Zoekvragen die deze term moeten vinden; BUUT controleert ze bij elke start."),
    "spreektaal": spreektaal.field(),
    "uitleg": Text(pattern=r"[a-z0-9][a-z0-9/-]*/#[a-z0-9-]+", pattern_help="een sectie van het intranet, zoals "
                   "werkkader/2-5-toegang-en-toeleiding/#toegang",
                   help="De sectie die uitlegt waar het over gaat; zoeken zet haar voorop als de vraag dit noemt."),
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
    "uitleg": _SEARCH_FIELDS["uitleg"],
})

SCHRIJFWIJZE = Schema("een schrijfwijze", {
    "juist": Text(required=True, help="Zo schrijft BUUT het."),
    "toelichting": Text(),
    **_RULE_FIELDS,
})

SAMENSTELLINGEN = Schema("samenstellingen", {
    "min_deel": Int(minimum=2, default=3, help="Zo lang moet het andere deel van een samenstelling minstens zijn."),
})

AFKORTING = Schema("een afkorting", {
    "afkorting": Text(required=True, help="Zoals BUUT haar schrijft, bijvoorbeeld HbH."),
    "voluit": Text(required=True, help="De volledige naam, bijvoorbeeld Hulp bij het huishouden."),
    "definitie": Text(help="De tekst van de tooltip; zonder definitie toont de tooltip de volledige naam."),
    **_SEARCH_FIELDS,
})

GLOSSARY = Schema("glossary.yml", {
    "samenstellingen": Nested(SAMENSTELLINGEN),
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
        uitzonderingen=tuple(Uitzondering(u["patroon"], u["voorbeeld"]) for u in clean.get("uitzonderingen") or ()),
        woorden=tuple(Woord(w["lemma"], w["soort"], w.get("partikel") or "", tuple(w.get("verleden_tijd") or ()),
                            w.get("voltooid_deelwoord") or "") for w in clean.get("woorden") or ()),
        samenstellingen=bool(clean.get("samenstellingen")),
        voorbeelden=_examples(clean.get("voorbeelden")),
        tooltip=bool(clean.get("tooltip")),
        line=line,
        synoniemen=tuple(clean.get("synoniemen") or ()),
        zoekvoorbeelden=tuple(clean.get("zoekvoorbeelden") or ()),
        spreektaal=spreektaal.entries(clean.get("spreektaal")),
        uitleg=clean.get("uitleg") or "",
    )


def _lines(raw, key) -> list[int]:
    items = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(items, yamlio.YamlList):
        return [items.line_of(i) for i in range(len(items))]
    return []


def _name_entries(found: list[Finding], raw) -> list[Finding]:
    """Each broken pattern with the term or schrijfwijze it is in, so an editor finds it by name too."""
    entries = []
    if isinstance(raw, dict):
        for begrip in raw.get("begrippen") or ():
            for term in (begrip.get("termen") or ()) if isinstance(begrip, dict) else ():
                if isinstance(term, yamlio.YamlMap) and isinstance(term.get("term"), str):
                    entries.append((term.line, f"term '{term['term']}'"))
        for schrijfwijze in raw.get("schrijfwijzen") or ():
            if isinstance(schrijfwijze, yamlio.YamlMap) and isinstance(schrijfwijze.get("juist"), str):
                entries.append((schrijfwijze.line, f"schrijfwijze '{schrijfwijze['juist']}'"))
    entries.sort()
    named = []
    for finding in found:
        owner = [name for line, name in entries if line <= finding.line]
        pattern = "ongeldig patroon" in finding.message
        named.append(replace(finding, message=f"{owner[-1]}: {finding.message}") if owner and pattern else finding)
    return named


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
        raise BuutError(_name_entries(problems.found, raw))

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
        begrippen.append(Begrip(begrip["id"], begrip["naam"], termen, line, begrip.get("uitleg") or ""))
    schrijf_lines = _lines(raw, "schrijfwijzen")
    schrijfwijzen = tuple(
        _term(s, schrijf_lines[i] if i < len(schrijf_lines) else 1, rol="schrijfwijze")
        for i, s in enumerate(clean.get("schrijfwijzen") or ())
    )
    afkorting_lines = _lines(raw, "afkortingen")
    afkortingen = tuple(
        Afkorting(a["afkorting"], a["voluit"], a.get("definitie") or "", tuple(a.get("synoniemen") or ()),
                  tuple(a.get("zoekvoorbeelden") or ()), afkorting_lines[i] if i < len(afkorting_lines) else 1,
                  spreektaal.entries(a.get("spreektaal")))
        for i, a in enumerate(clean.get("afkortingen") or ()))
    if problems.found:
        raise BuutError(problems.found)
    min_deel = (clean.get("samenstellingen") or {}).get("min_deel") or 3
    return Glossary(tuple(begrippen), schrijfwijzen, shown, min_deel, afkortingen)


# The cache lives outside every checkout: a pull request could otherwise commit a "cached" glossary
# that replaces glossary.yml without validation. $BUUT_CACHE, else $XDG_CACHE_HOME/buut or ~/.cache/buut.
CACHE_ENV = "BUUT_CACHE"
Proof = Callable[[Glossary, "RuleSet"], list[Finding]]
CACHE_KEEP = 16  # glossaries kept (several checkouts and branches share the cache)
# The modules whose code decides what a glossary means: a change in any of them empties the cache.
_SEMANTICS = ("check/glossary.py", "load/spreektaal.py", "search/query.py", "check/terminology.py", "check/morphology.py",
              "check/patterns.py", "load/prose.py", "model.py", "load/schema.py")  # under buut/


def load_glossary(path: Path, shown: str = "glossary.yml", proofs: tuple[Proof, ...] = ()) -> Glossary:
    """Load, validate, compile every rule and run every example. BuutError when anything fails.

    `proofs` are further checks of a later stage that must pass before the glossary is remembered,
    such as search's proof that every synonym expands (`buut.build.project.glossary_of`
    passes it; check does not import search).

    A glossary that passed is remembered as JSON (never pickle: the cache is data, not code) in the
    user's cache folder outside the repository (`cache_folder`), keyed on the SHA-256 of glossary.yml
    and of BUUT's check code. The next run with the same bytes skips validation and examples:
    `buut check` on one page stays quick. Nothing inside the repository is ever read as a cache.
    """
    from buut.check.terminology import compile_rules, verify_examples  # the check owns rule semantics

    if not path.is_file():
        raise BuutError(Finding(shown, 1, 1, Level.ERROR, "glossary.yml ontbreekt", "glossary.bestand"))
    raw = path.read_bytes()
    key = _cache_key(raw, shown, proofs)
    cached = _read_cache(path.parent, key)
    if cached is not None:
        return cached
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BuutError(Finding(shown, 1, 1, Level.ERROR, "glossary.yml is niet in UTF-8 opgeslagen",
                                "glossary.utf8")) from None
    glossary = parse_glossary(text, shown)
    rules = compile_rules(glossary)  # raises BuutError on a broken pattern
    failures = verify_examples(rules, min_deel=glossary.min_deel)
    for proof in proofs:
        failures = failures or proof(glossary, rules)
    if failures:
        raise BuutError(failures)
    _write_cache(path.parent, key, glossary)
    return glossary


def _cache_key(raw: bytes, shown: str, proofs: tuple[Proof, ...] = ()) -> str:
    digest = hashlib.sha256(raw)
    digest.update(shown.encode("utf-8"))
    for proof in proofs:  # a glossary proven without search's proof is not one proven with it
        digest.update(f"{proof.__module__}.{proof.__qualname__}".encode("utf-8"))
    here = Path(__file__).parent.parent
    for name in _SEMANTICS:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def cache_folder(root: Path) -> Path | None:
    """Where validated glossaries are remembered; None (no cache) when that would be inside `root`."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        folder = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME")
        folder = (Path(base) if base else Path.home() / ".cache") / "buut"
    folder = Path(os.path.realpath(folder))
    return None if folder.is_relative_to(Path(os.path.realpath(root))) else folder


def _read_cache(root: Path, key: str) -> Glossary | None:
    folder = cache_folder(root)
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"glossary-{key}.json").read_text(encoding="utf-8"))
        return _from_json(data["glossary"]) if data.get("key") == key else None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no cache, or one we cannot read: validate again


def _write_cache(root: Path, key: str, glossary: Glossary) -> None:
    folder = cache_folder(root)
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        kept = sorted(folder.glob("glossary-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[CACHE_KEEP - 1:]:
            old.unlink(missing_ok=True)
        temporary = folder / f".glossary-{key}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps({"key": key, "glossary": asdict(glossary)}, ensure_ascii=False),
                             encoding="utf-8")
        temporary.replace(folder / f"glossary-{key}.json")
    except OSError:
        pass  # a read-only checkout still checks, only slower


def _from_json(data: dict) -> Glossary:
    def term(t: dict) -> Term:
        return replace(
            Term(**{k: v for k, v in t.items() if k in Term.__dataclass_fields__}),
            doelgroepen=tuple(t["doelgroepen"]), niveau=Level(t["niveau"]) if t["niveau"] else None,
            vervang_door=tuple(t["vervang_door"]), vormen=tuple(t["vormen"]),
            scheidbaar=tuple(tuple(pair) for pair in t["scheidbaar"]),
            uitzonderingen=tuple(Uitzondering(**u) for u in t["uitzonderingen"]),
            voorbeelden=tuple(Example(**e) for e in t["voorbeelden"]),
            woorden=tuple(replace(Woord(**w), verleden_tijd=tuple(w["verleden_tijd"])) for w in t["woorden"]),
            synoniemen=tuple(t.get("synoniemen") or ()), zoekvoorbeelden=tuple(t.get("zoekvoorbeelden") or ()),
            spreektaal=tuple(Spreektaal(**s) for s in t.get("spreektaal") or ()))

    begrippen = tuple(Begrip(b["id"], b["naam"], tuple(term(t) for t in b["termen"]), b["line"], b.get("uitleg") or "")
                      for b in data["begrippen"])
    afkortingen = tuple(replace(Afkorting(**a), synoniemen=tuple(a["synoniemen"]),
                                zoekvoorbeelden=tuple(a["zoekvoorbeelden"]),
                                spreektaal=tuple(Spreektaal(**s) for s in a.get("spreektaal") or ()))
                        for a in data.get("afkortingen") or ())
    return Glossary(begrippen, tuple(term(t) for t in data["schrijfwijzen"]), data["path"], data["min_deel"],
                    afkortingen)
