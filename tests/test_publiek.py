"""The public wijknetwerken site (issue 5): only what is public, and zero internal leaks.

The canary test plants unique strings wherever internal content can live, builds both sites and
reads every file of each (HTML, search index, sitemap, 404 page, scripts, compressed files).
"""
from __future__ import annotations

import gzip
import re

import pytest

from buut.render.public import filter_html, unlink

from conftest import PARTNER, WERKINSTRUCTIE, write

CANARIES = {
    "page_title": "KANARIE-TITEL-a81f",
    "page_body": "KANARIE-TEKST-5c2e",
    "page_path": "kanarie-intern-pagina",
    "intern_block": "KANARIE-BLOK-90d4",
    "partner_intern": "KANARIE-PARTNER-INTERN-3b7c",
    "partner_contactpersoon": "KANARIE-CONTACTPERSOON-e21d",
    "internal_partner": "KANARIE-INTERNE-PARTNER-44aa",
    "internal_partner_id": "kanarie-partner-intern",
    "werkinstructie": "KANARIE-WERKINSTRUCTIE-0f9e",
    "no_visibility": "KANARIE-ZONDER-ZICHTBAARHEID-77c1",
}


def all_text(site) -> str:
    parts = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        parts.append(path.relative_to(site).as_posix())  # file names count too
        parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def canary_build(tmp_path_factory):
    from click.testing import CliRunner

    from buut.cli import main
    from conftest import copy_repo

    root = copy_repo(tmp_path_factory.mktemp("kanarie") / "repo")
    c = CANARIES
    write(root, f"docs/{c['page_path']}.md", f"""\
        ---
        titel: "Intern {c['page_title']}"
        eigenaar: redactie
        zichtbaarheid: intern
        ---

        # Intern {c['page_title']}

        ## Kop

        {c['page_body']}
        """)
    write(root, "docs/zonder-zichtbaarheid.md", f"""\
        ---
        titel: Zonder zichtbaarheid
        eigenaar: redactie
        ---

        # Zonder zichtbaarheid

        {c['no_visibility']}
        """)
    visie = root / "docs/visie.md"
    visie.write_text(visie.read_text() + f"""
## Verwijzingen

Zie [de interne pagina]({c['page_path']}.md), ook [met anker]({c['page_path']}.md#kop), een lege
link [](./{c['page_path']}.md) en een [verwijzing][intern].

[intern]: {c['page_path']}.md

!!! intern "Alleen voor medewerkers"
    {c['intern_block']}

    Nog een alinea van het interne blok.

Na het blok gaat de publieke tekst verder.
""")
    write(root, "partners/proefpartner.yml", PARTNER.replace(
        '  notities: ""', f'  notities: "{c["partner_intern"]}"').replace(
        "  contactpersonen: []", f'  contactpersonen: ["{c["partner_contactpersoon"]}"]'))
    write(root, f"partners/{c['internal_partner_id']}.yml", PARTNER.replace(
        "naam: Proefpartner", f"naam: Partner {c['internal_partner']}").replace(
        "zichtbaarheid: publiek", "zichtbaarheid: intern"))
    write(root, "werkinstructies/proefvoorziening.md", WERKINSTRUCTIE.replace(
        "Leg de inzet vast in het ondersteuningsplan.", f"Leg vast. {c['werkinstructie']}"))
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def test_canaries_reach_the_intranet(canary_build):
    text = all_text(canary_build / "site" / "intranet")
    for name, canary in CANARIES.items():
        assert canary in text, name


def test_no_canary_anywhere_in_the_public_site(canary_build):
    site = canary_build / "site" / "publiek"
    assert (site / "zoeken" / "index.json").is_file() and (site / "sitemap.xml").is_file()
    assert not (site / "search").exists()  # the theme's lunr search is replaced by BUUT's static one
    assert (site / "404.html").is_file()
    text = all_text(site)
    leaks = {name: canary for name, canary in CANARIES.items() if canary in text}
    assert leaks == {}


def test_links_to_internal_pages_become_plain_text(canary_build):
    html = (canary_build / "site/publiek/visie/index.html").read_text()
    assert "Zie de interne pagina, ook met anker, een lege" in " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "een verwijzing." in html and "Na het blok gaat de publieke tekst verder." in html
    # the intranet keeps the links and shows the internal block, marked
    intranet = (canary_build / "site/intranet/visie/index.html").read_text()
    assert f'href="../{CANARIES["page_path"]}/' in intranet
    assert 'class="admonition intern"' in intranet


def test_public_site_has_its_own_home_and_navigation(canary_build):
    site = canary_build / "site" / "publiek"
    home = (site / "index.html").read_text()
    assert "Wijknetwerken: samenwerken met de buurtteams" in home
    assert "Werkinstructies" not in home  # an intranet section: not in the public navigation
    partner = (site / "partners/proefpartner/index.html").read_text()
    assert "Proefpartner" in partner and "Intern" not in re.sub(r"<[^>]+>", " ", partner).split("Contact")[1]
    assert not (site / "partners/volledigheid").exists()
    assert not (site / "werkinstructies").exists()
    assert not (site / "zonder-zichtbaarheid").exists()


def test_every_public_page_is_marked_public(canary_build, built_public):
    from buut.build.project import validate_project

    project = validate_project(canary_build)
    public_uris = {str(p.uri) for p in project.content.pages if p.meta.publiek}
    for html in built_public.rglob("index.html"):
        relative = html.parent.relative_to(built_public).as_posix()
        if relative in (".", "partners", "teams", "begrippenlijst", "search") or relative.startswith(("partners/", "teams/")):
            continue  # made from data: public partners, and per stadsdeel what the public may know of its teams
        assert f"{relative}.md" in public_uris or f"{relative}/index.md" in public_uris, relative


def test_unlink_and_filter_html_units():
    allowed = {"werkkader/2-5-toegang.md", "index.md"}
    text = "[a](2-5-toegang.md) [b](geheim.md#x) ![img](plaatje.png) [c](https://x.nl) [d](#anker) [e](../index.md)"
    out = unlink(text, "werkkader/pagina.md", allowed)
    assert out == "[a](2-5-toegang.md) b ![img](plaatje.png) [c](https://x.nl) [d](#anker) [e](../index.md)"
    assert unlink("[x](../werkinstructies/)", "werkkader/p.md", allowed) == "x"
    assert unlink("Tekst[^1].\n\n[^1]: Een voetnoot.", "visie.md", allowed) == "Tekst[^1].\n\n[^1]: Een voetnoot."
    html = ('<p>voor</p><div class="admonition intern"><p>geheim</p></div><p>na <!-- verborgen --></p>'
            '<div class="admonition note"><p>open</p></div><p><a href="../geheim/">tekst</a></p>')
    out = filter_html(html, "werkkader/pagina/", {"werkkader/geheim/"})
    assert out == '<p>voor</p><p>na </p><div class="admonition note"><p>open</p></div><p>tekst</p>'
