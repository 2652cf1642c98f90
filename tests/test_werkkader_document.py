"""The werkkader as one document is made from the chapter pages, never a copy (issue 18)."""
from __future__ import annotations

import re

from conftest import page, write

from buut.render import werkkader_document


def test_a_new_chapter_its_links_and_macros_are_in_the_document(repo, build_intranet):
    write(repo, "werkkader/6-nieuw.md", page("""
        titel: "6 Nieuw hoofdstuk"
        bron: "werkkader §2.3"
        versie: "2.0"
        zichtbaarheid: intern
        doelgroep: medewerkers
        eigenaar: redactie-werkkader
        """, """
        # 6 Nieuw hoofdstuk

        Zie [de regie](2-3-regie.md#formele-regie), [het hele hoofdstuk 2.3](2-3-regie.md) en
        [de werkinstructies](../werkinstructies/index.md).

        ## Bron

        {{ toegang_tabel() }}
        """))
    build_intranet(repo)
    html = (repo / "site/intranet/werkkader/document/index.html").read_text(encoding="utf-8")
    assert 'id="6-nieuw"' in html and html.index('id="2-3-regie"') < html.index('id="6-nieuw"')
    assert 'href="#2-3-regie--formele-regie"' in html and 'id="2-3-regie--formele-regie"' in html
    assert 'href="#2-3-regie"' in html
    assert 'href="../../werkinstructies/"' in html
    assert 'id="6-nieuw--bron"' in html  # a second "Bron" in the document keeps its own id
    assert "{{" not in html and "<table>" in html[html.index('id="6-nieuw--bron"'):]
    assert html.count("<h1") == 1
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert sorted({h for h in re.findall(r'href="#([^"]+)"', html)} - ids) == []  # every link inside lands
    steps = re.findall(r'<li class="buut-stap"><a href="#([^"]+)"', html)
    assert len(steps) == 8 and all(s.startswith("2-4-werkproces--24") for s in steps)  # the process figure
    assert len(re.findall(r">Inhoud<", html)) == 1  # one table of contents (the werkkader's own left out)


def test_the_document_follows_the_navigation(repo):
    from buut.build.project import load_project

    order = [str(p.uri) for p in werkkader_document.chapters(load_project(repo))]
    assert order[:3] == ["werkkader/index.md", "werkkader/voorwoord.md", "werkkader/inleiding.md"]
    assert order.index("werkkader/2-1-kernwaarden.md") < order.index("werkkader/3-samenspel-met-partners.md")
    assert werkkader_document.URI not in order
