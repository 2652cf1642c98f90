"""The repository cannot reach outside itself or into what is served (issue 22, point 4).

A pull request may add any file, link or cache. None of them may replace a validated input (the
glossary cache), put a file that is not published into a served site (a link such as
`.buut -> site/intranet` put the feedback database at `/buut.sqlite3`), or crash BUUT.
"""
from __future__ import annotations

import os
import subprocess

import pytest

from buut.load import policy
from buut.serve.app import SiteApp
from buut.serve.store import StoreError, open_store
from conftest import copy_repo, write
from test_serve import call


@pytest.fixture
def project(tmp_path):
    root = copy_repo(tmp_path / "repo")
    (root / "site" / "intranet").mkdir(parents=True)
    (root / "site" / "publiek").mkdir()
    return root


LINKS = [
    (".buut", "site/intranet", "in de gebouwde site"),
    ("scripts/etc", "/etc", "buiten de repository"),
    ("notities.txt", "site/intranet/index.html", "in de gebouwde site"),
    ("tests/wachtwoorden", "/etc/passwd", "buiten de repository"),
    ("site/publiek", "/tmp", "buiten de repository"),
]


def plant(project, name, target):
    link = project / name
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_dir():
        link.rmdir()
    os.symlink(target if target.startswith("/") else project / target, link)


@pytest.mark.parametrize("name, target, where", LINKS)
@pytest.mark.parametrize("with_git", [False, True], ids=["map", "git"])
def test_each_link_out_of_the_repository_or_into_the_site_is_found(name, target, where, with_git, project):
    plant(project, name, target)
    if with_git:  # a link a pull request brings: tracked by git
        subprocess.run(["git", "init", "-q", str(project)], check=True)
        subprocess.run(["git", "-C", str(project), "add", "-f", name], check=True)
    (finding,) = policy.repository_links(project)
    assert (finding.path, finding.line) == (name, 1) and where in finding.message


def test_buut_check_refuses_them_with_the_place(project, buut):
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    for name, target, _ in LINKS:
        plant(project, name, target)
        subprocess.run(["git", "-C", str(project), "add", "-f", name], check=True)
    result = buut("check", root=project)
    assert result.exit_code == 1, result.output
    for name, _, where in LINKS:
        assert f"{name}:1:1: fout: dit is een symbolische koppeling (symlink) naar een plek {where}" in result.output
    assert "Traceback" not in result.output


def test_a_link_inside_the_repository_is_allowed(project):
    os.symlink(project / "glossary.yml", project / "begrippen-kopie.yml")
    os.symlink("werkkader", project / "kader")
    assert policy.repository_links(project) == []


def test_the_database_never_lands_in_a_served_site(project, buut):
    os.symlink(project / "site" / "intranet", project / ".buut")
    with pytest.raises(StoreError, match="site/"):
        open_store(root=project)
    assert not (project / "site" / "intranet" / "buut.sqlite3").exists()
    result = buut("redactie", root=project)
    assert result.exit_code == 2 and "site/" in result.output and "Traceback" not in result.output, result.output
    assert not (project / "site" / "intranet" / "buut.sqlite3").exists()


def test_the_server_does_not_follow_links_in_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>BUUT</h1>", encoding="utf-8")
    (tmp_path / "buut.sqlite3").write_bytes(b"SQLite format 3\x00GEHEIM")
    os.symlink(tmp_path / "buut.sqlite3", site / "buut.sqlite3")
    os.symlink(site / "index.html", site / "kopie.html")  # even a link to a file of the site itself
    os.symlink(tmp_path, site / "map")
    app = SiteApp(site)
    assert call(app, "/")[0].startswith("200")
    for path in ("/buut.sqlite3", "/kopie.html", "/map/buut.sqlite3", "/map/site/index.html"):
        status, _, body = call(app, path)
        assert status.startswith("404") and b"GEHEIM" not in body, path


def test_a_theme_folder_is_a_dutch_refusal_not_a_traceback(project, buut):
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text.replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1),
                                        encoding="utf-8")
    write(project, "overrides/main.html", "{% extends 'base.html' %}\n")
    result = buut("build", root=project)
    assert result.exit_code == 2, result.output
    assert "custom_dir" in result.output and "Traceback" not in result.output
    assert not (project / "site" / "intranet" / "index.html").exists()
