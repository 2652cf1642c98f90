"""Upkeep visible in the built intranet: owner and last change outside the search index, Wijzigingen
with the editors' change notes and never a commit message, the Over BUUT corner, the Dutch 404 page."""
from __future__ import annotations

import json
import re
import os
import subprocess

import pytest
from html import unescape

from buut.load.lifecycle import eigenaar_naam
from buut.search.documents import sections_of


def git(root, *args, date="2026-03-04T12:00:00"):
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(root), "PATH": os.environ["PATH"]}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_owner_in_words():
    assert eigenaar_naam("redactie-werkinstructies") == "Redactie werkinstructies"


def test_owner_and_footer_are_not_in_the_search_index(built_site):
    html = (built_site / "werkkader" / "2-3-regie" / "index.html").read_text(encoding="utf-8")
    assert "Beheer: Redactie werkkader" in html
    _, sections = sections_of(html)
    assert not [s for s in sections if "Beheer:" in s[2] or "Laatst gewijzigd" in s[2] or "nuttig?" in s[2]]
    lunr = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Beheer:" not in lunr and "Laatst gewijzigd" not in lunr and "Was deze pagina nuttig" not in lunr
    locations = [d["location"] for d in json.loads(lunr)["docs"]]
    assert not [loc for loc in locations if loc.startswith(("wijzigingen/", "redactie/"))], \
        "Wijzigingen en Redactie horen niet in de zoekindex"


def test_public_site_has_no_feedback_owner_or_over_buut(built_public):
    html = (built_public / "index.html").read_text(encoding="utf-8")
    for internal in ("data-buut-feedback", "buut-beheer", "over-buut"):
        assert internal not in html
    assert "Pagina niet gevonden" in (built_public / "404.html").read_text(encoding="utf-8")


def test_wijzigingen_shows_change_notes_never_commit_messages(repo, buut):
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Add the content")
    page = repo / "werkkader" / "2-3-regie.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "\n---\n", "\nwijzigingen:\n  - datum: 2026-12-05\n    tekst: \"De regiekaart staat nu bij de stappen; {{ 7 * 7 }} <b>vet</b>.\"\n---\n", 1)
        + "\nEen zin erbij.\n", encoding="utf-8")
    git(repo, "commit", "-qam", "Regie: reorder the steps of the page", date="2026-05-06T12:00:00")
    partner = next((repo / "partners").glob("*.yml"))
    partner.write_text(partner.read_text(encoding="utf-8").replace(
        "wijzigingen:\n", "wijzigingen:\n  - datum: 2026-12-06\n    tekst: Nieuwe contactgegevens.\n", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "Partner data", date="2026-06-07T12:00:00")
    result = buut("build", root=repo)
    assert result.exit_code == 0, result.output
    html = (repo / "site/intranet/wijzigingen/index.html").read_text(encoding="utf-8")
    recent = html[html.index('id="recente-wijzigingen"'):html.index('id="volgen-in-een-feedlezer"')]
    assert recent.index("6 december 2026") < recent.index("5 december 2026") < recent.index("1 december 2026"), \
        "nieuwste wijziging eerst"
    assert "2.3 Regie</a>" in recent and ".md" not in recent
    assert "De regiekaart staat nu bij de stappen; {{ 7 * 7 }} " in unescape(recent) and "49" not in recent
    assert "<b>vet</b>" not in recent
    for subject in ("Add the content", "Regie: reorder the steps", "Partner data"):
        assert subject not in html, f"commitbericht op Wijzigingen: {subject}"
    partner_html = (repo / f"site/intranet/partners/{partner.stem}/index.html").read_text(encoding="utf-8")
    assert "Laatst gewijzigd op 7 juni 2026" in partner_html, "een partnerpagina volgt haar gegevensbestand"
    regie = (repo / "site/intranet/werkkader/2-3-regie/index.html").read_text(encoding="utf-8")
    assert "Laatst gewijzigd op 6 mei 2026" in regie and "Beheer: Redactie werkkader" in regie
    over = (repo / "site/intranet/over-buut/index.html").read_text(encoding="utf-8")
    assert 'href="../redactie/"' in over and 'href="../prestaties/"' in over
