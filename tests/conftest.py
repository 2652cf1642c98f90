"""Shared fixtures: a private copy of the repository to break, and the built intranet."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from buut.cli import main

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ("docs", "werkkader", "glossary.yml", "mkdocs.yml")


def copy_repo(target: Path) -> Path:
    for name in CONTENT:
        source = ROOT / name
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The intranet built once, from a copy of the repository, for tests that read the HTML."""
    root = copy_repo(tmp_path_factory.mktemp("built") / "repo")
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "site" / "intranet"


def page(front: str, body: str) -> str:
    """A Markdown page with front matter, for tests that write their own."""
    return "---\n" + textwrap.dedent(front).strip() + "\n---\n\n" + textwrap.dedent(body).lstrip()
