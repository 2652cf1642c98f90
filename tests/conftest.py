"""Shared fixtures: a private copy of the repository to break, and the built intranet."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from buut.check import formatters
from buut.cli import main
from buut.build.project import validate_project
from buut.build.site import build_sites
from chromium import browser  # noqa: F401 - one Chromium for all browser tests
from postgres import database_url, postgres_server  # noqa: F401 - fixtures for the store tests

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ("docs", "werkkader", "werkinstructies", "partners", "teams", "publiek", "glossary.yml", "eigenaren.yml", "mkdocs.yml",
           "mkdocs.publiek.yml")


def copy_repo(target: Path) -> Path:
    for name in CONTENT:
        source = ROOT / name
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


@pytest.fixture
def repo(tmp_path) -> Path:
    """A fresh copy of BUUT's content that a test may change."""
    return copy_repo(tmp_path / "repo")


@pytest.fixture
def buut():
    """Run the `buut` command; returns click's Result (exit_code, output, stderr)."""
    runner = CliRunner()

    def run(*args, root: Path | None = None):
        argv = list(args) + (["--root", str(root)] if root else [])
        return runner.invoke(main, argv, catch_exceptions=False)

    return run


@pytest.fixture
def build_intranet():
    """Validate the content and build the intranet alone, without the public site and the search
    indexes: for tests that read the intranet's HTML. `buut build` as a whole, with its messages,
    exit codes and both sites, is tested in test_build.py and test_build_parallel.py."""

    def run(root: Path) -> None:
        project = validate_project(root)
        assert not project.errors(), formatters.text(project.errors())
        build_sites(project, variants=("intranet",))

    return run


@pytest.fixture(scope="session")
def built_root(tmp_path_factory) -> Path:
    """Both sites built once, from a copy of the repository, for tests that read the HTML."""
    root = copy_repo(tmp_path_factory.mktemp("built") / "repo")
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def built_copy(built_root, tmp_path) -> Path:
    """A copy of the repository whose sites were built from good content, to break (a build that must
    fail and leave these sites as they are)."""
    root = tmp_path / "repo"
    shutil.copytree(built_root, root)
    return root


@pytest.fixture(scope="session")
def built_site(built_root) -> Path:
    """The built intranet."""
    return built_root / "site" / "intranet"


@pytest.fixture(scope="session")
def built_public(built_root) -> Path:
    """The built public site (wijknetwerken)."""
    return built_root / "site" / "publiek"


def page(front: str, body: str) -> str:
    """A Markdown page with front matter, for tests that write their own."""
    return "---\n" + textwrap.dedent(front).strip() + "\n---\n\n" + textwrap.dedent(body).lstrip()


def write(root: Path, relative: str, text: str) -> Path:
    """Write a file into a test repository (folders created)."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


WERKINSTRUCTIE = """\
---
titel: Proefvoorziening
eigenaar: redactie-werkinstructies
bron: "werkkader §2.5"
voorziening:
  naam: Proefvoorziening
  soort: maatwerkvoorziening
  toegang:
    - wie: aanbieder
      partner: proefpartner
      vanaf: 2021-04-01
      tot: 2022-01-01
      voorwaarde: mits overlegd met het buurtteam
    - wie: buurtteam
      vanaf: 2022-01-01
  beschikking:
    door: gemeente
    toelichting: volgt automatisch na het accorderen van het ondersteuningsplan
  wettelijke_termijn: 8 weken
  ondersteuningsplan: true
  partners: [proefpartner]
  werkkader: ["2.5", "2.4.6"]
  stappen:
    - stap: "2.4.6"
      doe: Leg de inzet vast in het ondersteuningsplan.
  open_punten:
    - De bron zegt niet hoe lang de proef duurt.
---

# Proefvoorziening

## Wat is het?

Een voorziening om mee te testen.

## Voor wie?

Voor de tests.

## Wie beslist over de toegang?

Zie hierboven.

## Stap voor stap

Volg de stappen.

## Registratie en privacy

Registreer zoals altijd.

## Wie schakel je in?

De proefpartner.

## Let op

Niets bijzonders.
"""

PARTNER = """\
naam: Proefpartner
zichtbaarheid: publiek
domein: [sociale-basis]
omschrijving: Een partner om mee te testen.
aanbod:
  - proefaanbod
wanneer_inschakelen:
  - een proefsituatie
werkkader: ["3.1.2"]
stadsdelen: [oost]
contact:
  website: ""
  telefoon: ""
  e-mail: ""
  adres: ""
intern:
  contactpersonen: []
  afspraken: []
  notities: ""
"""


# The tests that each take a minute or more (a live preview, nginx with two servers, Chromium with
# an OpenID provider) start first: with two workers stealing work from each other, the short tests
# then fill the gaps, instead of one long test running alone at the end.
FIRST = ("test_preview.py", "test_deploy.py", "test_browser_login.py", "test_build_parallel.py", "test_publiek.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name not in FIRST)  # stable: the order within each part stays
