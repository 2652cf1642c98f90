"""The project: the whole repository as the stages after loading see it, in one record.

`Project` holds what load read (pages, partners, teams, versions of the werkkader), the
begrippenlijst with its compiled rules (check), the pages render generated, and the findings.
`buut.build.project` fills it (`load_project`, `validate_project`); render, search, build and
serve only read it. `buut.render.site_view` gives the part one site may show.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from buut.model import BuutError, Finding, Glossary, Level, Page, Partner, Team, Voorziening

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.terminology import RuleSet
    from buut.load.content import Content

PARTNERS_DIR = "partners"

CONFIG_FILE = "mkdocs.yml"


def peildatum() -> dt.date:
    """The date rules are judged on (verlopen or geldend); BUUT_DATUM=JJJJ-MM-DD fixes it for a build."""
    fixed = os.environ.get("BUUT_DATUM")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            raise BuutError(f"BUUT_DATUM='{fixed}' is geen datum; schrijf JJJJ-MM-DD") from None
    return dt.date.today()


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder upwards that holds glossary.yml and mkdocs.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "glossary.yml").is_file() and (folder / CONFIG_FILE).is_file():
            return folder
    return here


@dataclass
class Project:
    root: Path
    content: Content
    glossary: Glossary
    rules: RuleSet
    partners: list[Partner] = field(default_factory=list)
    generated: list[Page] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    load_findings: list[Finding] = field(default_factory=list)
    today: dt.date = field(default_factory=lambda: peildatum())
    versies: tuple[dict, ...] = ()  # the versions of the werkkader (werkkader/versies.yml)
    teams: list[Team] = field(default_factory=list)  # teams/*.yml

    @property
    def pages(self) -> list[Page]:
        return self.content.pages + self.generated

    @property
    def voorzieningen(self) -> list[Voorziening]:
        found = [p.meta.voorziening for p in self.content.pages if p.meta.voorziening is not None]
        return sorted(found, key=lambda v: v.naam.lower())

    def voorziening(self, ident: str) -> Voorziening | None:
        return next((v for v in self.voorzieningen if v.id == ident), None)

    def partner(self, ident: str) -> Partner | None:
        return next((p for p in self.partners if p.id == ident), None)

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level >= Level.ERROR]
