"""Changes told for readers: the editors' change notes on Wijzigingen and in Atom feeds, never a commit
message (a planted case stops the build); "Gecontroleerd tot" under every page; time-bound sentences
marked with their source date."""
from __future__ import annotations

import html
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest

from conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ("wijzigingen", "werkinstructies", "werkkader", "partners")


def text_of(page_html: str) -> str:
    article = page_html[page_html.index("<article"):page_html.index("</article>")]
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article)))
    return re.sub(r" ([,:;.)])", r"\1", text)


def git(root, *args, date="2026-11-30T12:00:00"):
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(root), "PATH": os.environ["PATH"]}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_wijzigingen_shows_the_change_notes_newest_first_per_page(built_site):
    page = (built_site / "wijzigingen" / "index.html").read_text(encoding="utf-8")
    shown = text_of(page)
    recent = shown[shown.index("Recente wijzigingen"):shown.index("Volgen in een feedlezer")]
    dates = re.findall(r"(\d{1,2}) (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
                       r"december) (\d{4}), ", recent)
    assert len(dates) == 30, "de 30 nieuwste wijzigingen"
    months = "januari februari maart april mei juni juli augustus september oktober november december".split()
    days = [(int(y), months.index(m), int(d)) for d, m, y in dates]
    assert days == sorted(days, reverse=True), "nieuwste eerst"
    assert "1 december 2026, Persoonsgebonden budget: Bij 'Wie schakel je in?'" in recent
    assert "&#x27;" not in shown and "&#39;" not in shown, "zichtbare entiteiten op Wijzigingen"
    per_page = shown[shown.index("Per pagina"):]
    assert "2.5 Toegang en toeleiding" in per_page
    assert 'lang="en"' not in page, "geen Engelse commitberichten meer"


def test_atom_feeds_are_valid_and_linked_from_wijzigingen(built_site):
    page = (built_site / "wijzigingen" / "index.html").read_text(encoding="utf-8")
    for name in FEEDS:
        assert f'<link rel="alternate" type="application/atom+xml"' in page
        assert f'href="../feeds/{name}.xml"' in page, f"feed {name} niet gelinkt in de head van Wijzigingen"
        feed = ET.parse(built_site / "feeds" / f"{name}.xml").getroot()
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated", "author"):
            assert feed.find(f"{ATOM}{required}") is not None, f"{name}: <{required}> ontbreekt"
        entries = feed.findall(f"{ATOM}entry")
        assert entries, f"feed {name} is leeg"
        ids = [e.findtext(f"{ATOM}id") for e in entries]
        assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
        dates = [e.findtext(f"{ATOM}updated") for e in entries]
        assert dates == sorted(dates, reverse=True), "nieuwste eerst"
        for entry in entries:
            assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}summary")
            href = entry.find(f"{ATOM}link").get("href")
            target = urljoin(f"https://intranet.test/feeds/{name}.xml", href).removeprefix("https://intranet.test/")
            assert (built_site / target / "index.html").is_file(), f"{name}: link naar {href} gaat nergens heen"
            if name != "wijzigingen":
                assert target.startswith(name + "/"), f"{name}: {target} hoort niet in deze feed"


def test_every_content_page_says_until_when_it_is_checked(built_site):
    regie = (built_site / "werkkader" / "2-3-regie" / "index.html").read_text(encoding="utf-8")
    assert "Gecontroleerd tot 1 mei 2027" in regie
    pgb = (built_site / "werkinstructies" / "persoonsgebonden-budget" / "index.html").read_text(encoding="utf-8")
    assert "Gecontroleerd tot 1 juni 2027" in pgb
    anchor = re.search(r'href="\.\./\.\./wijzigingen/#([^"]+)">Wijzigingen van deze pagina<', pgb)
    assert anchor, "een pagina met wijzigingen linkt naar haar wijzigingen"
    wijzigingen = (built_site / "wijzigingen" / "index.html").read_text(encoding="utf-8")
    assert f'id="{anchor.group(1)}"' in wijzigingen


def test_time_bound_sentences_show_their_source_date(built_site, built_public):
    for site in (built_site, built_public):
        page = (site / "werkkader" / "3-1-7-expertisenetwerken" / "index.html").read_text(encoding="utf-8")
        assert "nog in oprichting (stand april 2021)" in text_of(page)
    partner = (built_site / "partners" / "aanmeld-en-informatieteam" / "index.html").read_text(encoding="utf-8")
    assert "(stand april 2021)" in text_of(partner)


def test_time_bound_sentences_are_in_the_editors_worklist(buut, tmp_path):
    result = buut("redactie", "--eigenaar", "redactie-werkkader", "--database", str(tmp_path / "db.sqlite3"),
                  root=ROOT)
    assert result.exit_code == 0, result.output
    assert ("werkkader/3-1-7-expertisenetwerken.md:31: [tijdgebonden zin] 3.1.7 Samenwerking met expertisenetwerken: stand april 2021: "
            "\u201cDementie: dit expertisenetwerk is nog in oprichting\u201d; klopt dit nog?") in result.output


@pytest.mark.parametrize("note, message", [
    ("  - datum: 2026-13-01\n    tekst: Iets.", "'datum': '2026-13-01' is geen geldige datum"),
    ("  - datum: 2026-12-01", "verplichte sleutel 'tekst' ontbreekt in een wijziging"),
    ("  - datum: 2026-12-01\n    tekst: Iets.\n    wie: ik", "onbekende sleutel 'wie' in een wijziging"),
])
def test_a_broken_change_note_is_a_finding_with_file_and_line(repo, buut, note, message):
    path = repo / "werkkader" / "2-3-regie.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", f"\nwijzigingen:\n{note}\n---\n", 1), encoding="utf-8")
    result = buut("check", root=repo)
    assert result.exit_code == 1, result.output
    assert re.search(r"werkkader/2-3-regie\.md:\d+:\d+: fout: .*" + re.escape(message), result.output), result.output


def test_a_commit_message_reaching_wijzigingen_stops_the_build(repo, buut):
    """Planted: an editor pastes a developer's commit message as the change note."""
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Search: rank answer cards above sections (1.2x)")
    path = repo / "werkkader" / "2-3-regie.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", "\nwijzigingen:\n  - datum: 2026-12-01\n"
                                 "    tekst: \"Search: rank answer cards above sections (1.2x)\"\n---\n", 1),
                    encoding="utf-8")
    line = path.read_text(encoding="utf-8").split("\n").index("  - datum: 2026-12-01") + 1
    result = buut("build", root=repo)
    assert result.exit_code == 1, result.output
    assert f"werkkader/2-3-regie.md:{line}:1: fout: " in result.output, result.output
    assert "deze wijziging is het commitbericht van " in result.output
    assert "schrijf voor lezers wat er voor hen veranderde" in result.output and "Traceback" not in result.output
    assert "Bouwen gestopt: 1 fout(en) in de inhoud." in result.output
    assert not (repo / "site" / "intranet" / "wijzigingen").exists(), "geen site met het commitbericht"
