"""BUUT's data types: plain, immutable records that every pipeline stage passes on.

content (load) -> validate -> render -> site -> index -> serve all speak in these types;
none of them knows about mkdocs.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import PurePosixPath


class Level(IntEnum):
    """How serious a finding is. Ordered, so `level >= Level.WARNING` reads naturally."""

    SUGGESTION = 1
    WARNING = 2
    ERROR = 3

    @property
    def english(self) -> str:
        return self.name.lower()

    @property
    def dutch(self) -> str:
        return {"SUGGESTION": "suggestie", "WARNING": "waarschuwing", "ERROR": "fout"}[self.name]

    @classmethod
    def parse(cls, word: str) -> "Level":
        word = word.strip().lower()
        for level in cls:
            if word in (level.english, level.dutch):
                return level
        raise ValueError(word)


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth a look) at one place. Every check and validator yields these."""

    path: str
    line: int
    column: int
    level: Level
    message: str
    rule: str
    match: str = ""
    suggestions: tuple[str, ...] = ()
    end_column: int | None = None

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_column": self.end_column if self.end_column is not None else self.column,
            "level": self.level.english,
            "match": self.match,
            "suggestions": list(self.suggestions),
            "message": self.message,
            "rule": self.rule,
        }


class BuutError(Exception):
    """Unusable input or configuration (exit code 2). Carries findings that say where."""

    def __init__(self, findings: list[Finding] | Finding | str):
        if isinstance(findings, str):
            findings = [Finding("", 0, 0, Level.ERROR, findings, "config")]
        elif isinstance(findings, Finding):
            findings = [findings]
        self.findings = list(findings)
        super().__init__("; ".join(f.message for f in self.findings))


DOELGROEPEN = ("medewerkers", "amsterdammers", "partners")
ZICHTBAARHEDEN = ("intern", "publiek")
SOORTEN = ("werkkader", "werkinstructie", "partner", "begrip", "vragen", "pagina")


@dataclass(frozen=True)
class Wijziging:
    """A change note for readers, written by the editor (GOV.UK's "major change"): when and what, in Dutch.

    A change without a note (a typo, a link) is a silent "minor change": it never shows on Wijzigingen."""

    datum: dt.date
    tekst: str
    line: int = 0  # where the note is written (for messages)


@dataclass(frozen=True)
class FrontMatter:
    titel: str
    eigenaar: str
    zichtbaarheid: str = "intern"
    doelgroep: tuple[str, ...] = ("medewerkers",)
    bron: str | None = None
    versie: str | None = None
    soort: str = "pagina"
    herzien_voor: dt.date | None = None
    omschrijving: str | None = None
    voorziening: "Voorziening | None" = None  # only on werkinstructie pages
    open_punten: tuple[str, ...] = ()  # editorial work; shown in the editors' worklist only
    wijzigingen: tuple[Wijziging, ...] = ()  # change notes for readers, as written

    @property
    def publiek(self) -> bool:
        return self.zichtbaarheid == "publiek"


@dataclass(frozen=True)
class Page:
    """A Markdown page as written by an editor (or generated from data).

    `path` is where it lives in the repository (for messages), `uri` where it sits in the site.
    """

    path: str
    uri: PurePosixPath
    meta: FrontMatter
    text: str  # the whole file, front matter included, so line numbers stay true
    body_line: int  # 1-based line on which the body (after the front matter) starts
    generated: bool = False

    @property
    def body(self) -> str:
        return "\n".join(self.text.split("\n")[self.body_line - 1:])


@dataclass(frozen=True)
class Example:
    text: str
    flagged: bool  # True: the rule must flag it; False: it must stay silent
    doelgroep: str | None = None  # the audience of the imagined page (default: medewerkers)


@dataclass(frozen=True)
class Uitzondering:
    """Text that is right although it holds a form of the term, with a sentence that proves it."""

    patroon: str
    voorbeeld: str


@dataclass(frozen=True)
class Woord:
    """A lemma from which the check generates the inflected forms (see buut/check/morphology.py)."""

    lemma: str
    soort: str  # zelfstandig naamwoord | werkwoord
    partikel: str = ""  # a separable verb's particle ("door" in doorverwijzen)
    verleden_tijd: tuple[str, ...] = ()  # strong verbs: the past forms, without the particle
    voltooid_deelwoord: str = ""  # strong verbs: the participle, without the particle


@dataclass(frozen=True)
class Term:
    """One term of the begrippenlijst with its role and, where the check acts on it, its rule."""

    term: str
    rol: str  # gebruiken | ook wel | niet gebruiken
    definitie: str = ""
    toelichting: str = ""
    context: str = ""
    doelgroepen: tuple[str, ...] = ()  # audiences where the term fits; empty = everywhere
    niveau: Level | None = None
    vervang_door: tuple[str, ...] = ()
    vormen: tuple[str, ...] = ()
    scheidbaar: tuple[tuple[str, str], ...] = ()  # (stem pattern, particle pattern)
    uitzonderingen: tuple[Uitzondering, ...] = ()
    voorbeelden: tuple[Example, ...] = ()
    tooltip: bool = False  # explain the term in a tooltip wherever it appears on the site
    line: int = 0
    woorden: tuple[Woord, ...] = ()  # lemmas; the check generates their inflections
    samenstellingen: bool = False  # also find the word as part of a compound (groepsintake)
    synoniemen: tuple[str, ...] = ()  # words people type for this term; search finds the term for them
    zoekvoorbeelden: tuple[str, ...] = ()  # queries whose search must include this term (checked at load)
    spreektaal: tuple["Spreektaal", ...] = ()  # everyday words for it; search finds the term for them
    uitleg: str = ""  # the section that explains it, when not the begrip's (see Begrip.uitleg)

    @property
    def checked(self) -> bool:
        return bool(self.vormen or self.scheidbaar or self.woorden)


@dataclass(frozen=True)
class Spreektaal:
    """An everyday word or description people use for a term, voorziening or partner, with its source."""

    woord: str
    bron: str


@dataclass(frozen=True)
class Begrip:
    """A concept of the begrippenlijst: one preferred term and its relatives."""

    id: str
    naam: str
    termen: tuple[Term, ...]
    line: int = 0
    uitleg: str = ""  # the intranet section that explains it ("werkkader/2-5-toegang-en-toeleiding/#toegang")

    def preferred(self) -> tuple[Term, ...]:
        return tuple(t for t in self.termen if t.rol == "gebruiken")


@dataclass(frozen=True)
class Afkorting:
    """An abbreviation: a tooltip on the site, and search finds the full name for it (and back)."""

    afkorting: str
    voluit: str
    definitie: str = ""  # the tooltip text; the full name when empty
    synoniemen: tuple[str, ...] = ()
    zoekvoorbeelden: tuple[str, ...] = ()
    line: int = 0
    spreektaal: tuple[Spreektaal, ...] = ()


@dataclass(frozen=True)
class Glossary:
    begrippen: tuple[Begrip, ...]
    schrijfwijzen: tuple[Term, ...] = field(default=())
    path: str = "glossary.yml"
    min_deel: int = 3  # shortest other part of a compound that counts (her-intake, groepsintake)
    afkortingen: tuple[Afkorting, ...] = field(default=())

    def terms(self):
        for begrip in self.begrippen:
            for term in begrip.termen:
                yield begrip, term
        for term in self.schrijfwijzen:
            yield None, term


# ---------------------------------------------------------------------------------------------
# Voorzieningen (werkinstructies) and partners: the data behind the generated views.
# References (partner ids, werkkader sections, werkproces steps) are `Located` strings: they know
# their line, so a dangling one is reported where it was written.
# ---------------------------------------------------------------------------------------------

# "onbekend": the sources do not say which kind it is; the worklist asks the owner to find out.
SOORTEN_VOORZIENING = ("algemene voorziening", "maatwerkvoorziening", "onbekend")
# How the buurtteam is involved: it organises the toegang itself, or it leads the Amsterdammer to
# someone else who decides (toeleiding, werkkader §2.5). Separate from the kind of voorziening.
ROUTES = ("toegang", "toeleiding")
BESLISSERS = ("buurtteam", "aanbieder", "partner", "gemeente", "vrij toegankelijk")
BESCHIKKING_DOOR = ("geen", "buurtteam", "gemeente", "onbekend")
STADSDELEN = ("centrum", "noord", "nieuw-west", "oost", "west", "zuid", "zuidoost")

# The domains of werkkader H3, plus three of BUUT's own. id -> (label, werkkader section or "").
DOMEINEN = {
    "ouder-en-kindteams": ("Ouder- en Kindteams", "3.1.1"),
    "sociale-basis": ("Sociale basis", "3.1.2"),
    "bestaanszekerheid": ("Bestaanszekerheid: werk, inkomen, schulden en wonen", "3.1.3"),
    "sociaal-medisch-domein": ("Sociaal en medisch domein", "3.1.4"),
    "veiligheid-in-het-huishouden": ("Veiligheid in het huishouden", "3.1.5"),
    "veilige-leefomgeving": ("Veilige leefomgeving", "3.1.6"),
    "expertisenetwerken": ("Expertisenetwerken", "3.1.7"),
    "onderwijs": ("Onderwijs", "3.1.8"),
    "mantelzorgondersteuning": ("Mantelzorgondersteuning", "3.1.9"),
    "clientondersteuning": ("Onafhankelijke cliëntondersteuning", "2.8.5"),
    "toegang": ("Toegang en loketten", "2.5"),
    "aanbieders": ("Aanbieders van voorzieningen", "2.5"),
    "buurtteams": ("Buurtteamorganisaties", ""),
}


@dataclass(frozen=True)
class ToegangsRegel:
    """Who decides on access, from when until when (`tot` is the first day it no longer holds)."""

    wie: str
    naam: str = ""
    partner: str | None = None
    vanaf: dt.date | None = None
    tot: dt.date | None = None
    voorwaarde: str = ""

    def geldt_op(self, day: dt.date) -> bool:
        return (self.vanaf is None or self.vanaf <= day) and (self.tot is None or day < self.tot)

    def status(self, day: dt.date) -> str:
        if self.tot is not None and day >= self.tot:
            return "verlopen"
        if self.vanaf is not None and day < self.vanaf:
            return "toekomstig"
        return "geldend"


@dataclass(frozen=True)
class Stap:
    stap: str  # a werkproces step, 2.4.1 .. 2.4.8
    doe: str


@dataclass(frozen=True)
class Voorziening:
    id: str
    naam: str
    soort: str
    toegang: tuple[ToegangsRegel, ...]
    beschikking_door: str
    route: str = "toegang"
    beschikking_toelichting: str = ""
    onderdeel_van: str = ""
    wettelijke_termijn: str = ""
    ondersteuningsplan: bool | None = None
    partners: tuple[str, ...] = ()
    werkkader: tuple[str, ...] = ()
    stappen: tuple[Stap, ...] = ()
    open_punten: tuple[str, ...] = ()
    uri: PurePosixPath | None = None
    path: str = ""
    spreektaal: tuple[Spreektaal, ...] = ()  # everyday words for it; search finds the voorziening for them

    def geldend(self, day: dt.date) -> tuple[ToegangsRegel, ...]:
        return tuple(r for r in self.toegang if r.geldt_op(day))


@dataclass(frozen=True)
class Contact:
    website: str = ""
    telefoon: str = ""
    email: str = ""
    adres: str = ""
    geverifieerd_op: dt.date | None = None

    @property
    def compleet(self) -> bool:
        return bool(self.website and (self.telefoon or self.email))

    def ontbrekend(self) -> tuple[str, ...]:
        return tuple(name for name, value in (("website", self.website), ("telefoon", self.telefoon),
                                              ("e-mail", self.email), ("adres", self.adres)) if not value)


@dataclass(frozen=True)
class Intern:
    contactpersonen: tuple[str, ...] = ()
    afspraken: tuple[str, ...] = ()
    notities: str = ""

    def __bool__(self) -> bool:
        return bool(self.contactpersonen or self.afspraken or self.notities)


@dataclass(frozen=True)
class Partner:
    id: str
    naam: str
    omschrijving: str
    domein: tuple[str, ...]
    path: str
    zichtbaarheid: str = "intern"
    afkorting: str = ""
    aanbod: tuple[str, ...] = ()
    wanneer_inschakelen: tuple[str, ...] = ()
    samenwerkingsafspraken: tuple[str, ...] = ()
    werkkader: tuple[str, ...] = ()
    stadsdelen: tuple[str, ...] = ("alle",)
    contact: Contact = field(default_factory=Contact)
    intern: Intern = field(default_factory=Intern)
    bron: str = ""
    teams_bij_start: int | None = None
    open_punten: tuple[str, ...] = ()
    line: int = 1
    spreektaal: tuple[Spreektaal, ...] = ()  # everyday words for it; search finds the partner for them
    wijzigingen: tuple[Wijziging, ...] = ()  # change notes for readers, as written

    @property
    def publiek(self) -> bool:
        return self.zichtbaarheid == "publiek"

    @property
    def label(self) -> str:
        return f"{self.naam} ({self.afkorting})" if self.afkorting and self.afkorting not in self.naam else self.naam


# ---------------------------------------------------------------------------------------------
# Teams: `teams/<id>.yml`, one file per buurtteam, or per stadsdeel where only that is known.
# ---------------------------------------------------------------------------------------------

# The fixed contacts a team page has a place for (werkkader §3.1.3, §3.1.6): key -> label.
TEAM_CONTACTROLLEN = {
    "klantmanager_wpi": "Vaste klantmanager van WPI",
    "inkomensconsulent_wpi": "Vaste inkomensconsulent van WPI",
    "meldpunt_zorg_en_woonoverlast": "Vaste contactpersoon bij het Meldpunt Zorg- en Woonoverlast",
    "regenbooggroep": "Vaste contactpersoon van de Regenbooggroep",
    "wijkagent": "Wijkagent",
}


@dataclass(frozen=True)
class TeamContact:
    rol: str  # a key of TEAM_CONTACTROLLEN
    naam: str = ""
    telefoon: str = ""
    email: str = ""

    def __bool__(self) -> bool:
        return bool(self.naam or self.telefoon or self.email)


@dataclass(frozen=True)
class Team:
    """A buurtteam (or the buurtteams of one stadsdeel): only verified values are filled in."""

    id: str
    naam: str
    stadsdeel: str
    buurtteamorganisatie: str  # partner id
    path: str
    locaties: tuple[str, ...] = ()
    spreeklocaties: tuple[str, ...] = ()
    bereikbaarheid: str = ""  # evenings and weekends differ per team (werkkader §1.1)
    contacten: tuple[TeamContact, ...] = ()
    open_punten: tuple[str, ...] = ()
    line: int = 1

    def contact(self, rol: str) -> TeamContact:
        return next((c for c in self.contacten if c.rol == rol), TeamContact(rol))

    def ontbrekend(self) -> tuple[str, ...]:
        """The fields nobody has filled in (yet): for the editors' worklist, never shown as empty boxes."""
        missing = [label for label, value in (("locaties", self.locaties), ("spreeklocaties", self.spreeklocaties),
                                              ("bereikbaarheid buiten kantoortijd", self.bereikbaarheid)) if not value]
        missing += [TEAM_CONTACTROLLEN[rol].lower() for rol in TEAM_CONTACTROLLEN if not self.contact(rol)]
        return tuple(missing)
