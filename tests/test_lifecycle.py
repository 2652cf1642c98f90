"""Page lifecycle (issue 7): owner and review date, overdue notice, last change from git, versions."""
from __future__ import annotations

import datetime as dt
import os
import subprocess

from buut.load.lifecycle import BINNENKORT, GEEN_DATUM, OK, VERLOPEN, review
from buut.render.worklist import report
from buut.model import FrontMatter, Page
from conftest import ROOT, write


def _page(date):
    from pathlib import PurePosixPath

    return Page("docs/p.md", PurePosixPath("p.md"), FrontMatter("P", "redactie-x", herzien_voor=date), "", 1)


def test_review_status_by_date():
    today = dt.date(2027, 1, 1)
    assert review(_page(dt.date(2026, 12, 31)), today).status == VERLOPEN
    assert review(_page(dt.date(2027, 1, 31)), today).status == BINNENKORT
    assert review(_page(dt.date(2027, 2, 1)), today).status == OK
    assert review(_page(None), today).status == GEEN_DATUM
    lines = report([review(_page(dt.date(2026, 12, 30)), today)])
    assert lines == ["  redactie-x:", "    docs/p.md: herzien vóór 30 december 2026, 2 dag(en) te laat"]


def test_every_content_page_has_owner_and_review_date():
    from buut.build.project import load_project

    project = load_project(ROOT)
    missing = [p.path for p in project.content.pages if p.meta.herzien_voor is None or not p.meta.eigenaar]
    assert missing == []


def test_overdue_page_gets_notice_on_intranet_only_and_build_lists_it(repo, buut, monkeypatch):
    monkeypatch.setenv("BUUT_DATUM", "2030-01-01")
    path = repo / "werkkader" / "2-3-regie.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("herzien_voor: 2027-05-01", "herzien_voor: 2029-06-01", 1), encoding="utf-8")
    result = buut("build", root=repo)
    assert result.exit_code == 0, result.output
    assert "redactie-werkkader:" in result.output
    assert "werkkader/2-3-regie.md: herzien vóór 1 juni 2029, 214 dag(en) te laat" in result.output
    intranet = (repo / "site/intranet/werkkader/2-3-regie/index.html").read_text(encoding="utf-8")
    assert "Deze pagina is aan herziening toe" in intranet
    public = (repo / "site/publiek/werkkader/2-3-regie/index.html").read_text(encoding="utf-8")
    assert "aan herziening toe" not in public
    changes = (repo / "site/intranet/wijzigingen/index.html").read_text(encoding="utf-8")
    assert "2.3 Regie" in changes and "214 dag(en) te laat" in changes


def test_last_change_comes_from_git(repo, build_intranet):
    def git(*args):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                       env={"GIT_AUTHOR_DATE": "2026-03-04T12:00:00", "GIT_COMMITTER_DATE": "2026-03-04T12:00:00",
                            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(repo), "PATH": os.environ["PATH"]})

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first")
    build_intranet(repo)
    html = (repo / "site/intranet/werkkader/2-3-regie/index.html").read_text(encoding="utf-8")
    assert "Laatst gewijzigd op 4 maart 2026" in html
    assert "eerdere wijzigingen" not in html, "zonder wijzigingen voor lezers geen link ernaar"
    toegang = (repo / "site/intranet/werkkader/2-5-toegang-en-toeleiding/index.html").read_text(encoding="utf-8")
    assert "Laatst gewijzigd op 4 maart 2026 · <a href=\"../../wijzigingen/#werkkader2-5-toegang-en-toeleidingmd\">" \
           "eerdere wijzigingen</a>" in toegang
    changes = (repo / "site/intranet/wijzigingen/index.html").read_text(encoding="utf-8")
    recent = changes[changes.index('id="recente-wijzigingen"'):changes.index('id="per-pagina"')]
    assert 'id="werkkader2-5-toegang-en-toeleidingmd"' in changes and "4 maart 2026" not in recent, \
        "Wijzigingen toont de wijzigingen van de redactie, niet de datums van commits"


def test_without_git_no_dates_are_invented(built_site):  # the shared site is built from a copy without git
    html = (built_site / "werkkader/2-3-regie/index.html").read_text(encoding="utf-8")
    assert "Laatst gewijzigd" not in html


def test_versions_page_and_unknown_version(repo, buut, built_site):
    changes = (built_site / "wijzigingen/index.html").read_text(encoding="utf-8")
    for version in ("1.0", "1.1", "2.0"):
        assert f"<td>{version}</td>" in changes
    path = repo / "werkkader" / "2-3-regie.md"
    path.write_text(path.read_text(encoding="utf-8").replace('versie: "2.0"', 'versie: "2.1"', 1), encoding="utf-8")
    result = buut("check", root=repo)
    assert result.exit_code == 1
    assert "werkkader/2-3-regie.md:4:1: fout: versie '2.1' staat niet in werkkader/versies.yml" in result.output
