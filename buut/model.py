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
    uitzonderingen: tuple[str, ...] = ()
    voorbeelden: tuple[Example, ...] = ()
    tooltip: bool = False  # explain the term in a tooltip wherever it appears on the site
    line: int = 0

    @property
    def checked(self) -> bool:
        return bool(self.vormen or self.scheidbaar)


@dataclass(frozen=True)
class Begrip:
    """A concept of the begrippenlijst: one preferred term and its relatives."""

    id: str
    naam: str
    termen: tuple[Term, ...]
    line: int = 0

    def preferred(self) -> tuple[Term, ...]:
        return tuple(t for t in self.termen if t.rol == "gebruiken")


@dataclass(frozen=True)
class Glossary:
    begrippen: tuple[Begrip, ...]
    schrijfwijzen: tuple[Term, ...] = field(default=())
    path: str = "glossary.yml"

    def terms(self):
        for begrip in self.begrippen:
            for term in begrip.termen:
                yield begrip, term
        for term in self.schrijfwijzen:
            yield None, term
