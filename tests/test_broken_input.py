"""Every kind of broken input gets a clear answer (issue 7): exit 1 or 2, a Dutch message that names
the file and line, and the sites built before stay exactly as they were.

One case per kind: a function that breaks a copy of the repository, the exit code, and the place
(`path:line`) the message must name. The copy is taken from one good build, so each case starts
from built sites and can check that they are untouched.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from conftest import PARTNER, ROOT, WERKINSTRUCTIE


def append(relative: str, text: str):
    def change(root: Path):
        path = root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return change


def replace(relative: str, old: str, new: str):
    def change(root: Path):
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def write(relative: str, data: str | bytes):
    def change(root: Path):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return change


def copy(relative: str, to: str):
    def change(root: Path):
        shutil.copy(root / relative, root / to)
    return change


REGIE = "werkkader/2-3-regie.md"
# the line of a sentence appended after a blank line (counted, so that editing the page keeps the test)
APPENDED = len((ROOT / REGIE).read_text(encoding="utf-8").splitlines()) + 2
PAGE = "---\ntitel: Proef\neigenaar: redactie-intranet\n---\n\n# Proef\n\nTekst.\n"

# (id, change, exit code, the place the message must name: "path:line")
CASES = [
    ("yaml-syntax", replace(REGIE, 'titel: "2.3 Regie"', "titel: [niet gesloten"), 1, f"{REGIE}:2"),
    ("tab-indentation", replace(REGIE, "eigenaar: redactie-werkkader", "eigenaar:\n\t- redactie-werkkader"), 1,
     f"{REGIE}:"),
    ("wrong-type", replace(REGIE, "doelgroep: medewerkers", "doelgroep: 5"), 1, f"{REGIE}:6"),
    ("unknown-key", replace(REGIE, "doelgroep: medewerkers", "doelgroep: medewerkers\nschrijver: iemand"), 1,
     f"{REGIE}:7"),
    ("missing-required-key", replace(REGIE, "eigenaar: redactie-werkkader\n", ""), 1, f"{REGIE}:1"),
    ("bad-date", replace(REGIE, "herzien_voor: 2027-05-01", "herzien_voor: 2027-13-01"), 1, f"{REGIE}:8"),
    ("invalid-doelgroep", replace(REGIE, "doelgroep: medewerkers", "doelgroep: iedereen"), 1, f"{REGIE}:6"),
    ("invalid-zichtbaarheid", replace(REGIE, "zichtbaarheid: publiek", "zichtbaarheid: geheim"), 1, f"{REGIE}:5"),
    ("deprecated-term", append(REGIE, "\nWe plannen een intake.\n"), 1, f"{REGIE}:"),
    ("personal-data", append(REGIE, "\nHet BSN is 111222333.\n"), 1, f"{REGIE}:"),
    ("undefined-macro", append(REGIE, "\n{{ bestaat_niet() }}\n"), 1, f"{REGIE}:{APPENDED}:1: fout: onbekende macro"),
    ("unknown-voorziening-in-macro", append(REGIE, '\n{{ voorziening("bestaat-niet", "naam") }}\n'), 1,
     f"{REGIE}:{APPENDED}:1: fout: macro faalde"),
    ("broken-link", append(REGIE, "\nZie [dit](bestaat-niet.md).\n"), 1, "bestaat-niet.md"),
    ("broken-anchor", append(REGIE, "\nZie [dit](2-4-werkproces.md#bestaat-niet).\n"), 1, "bestaat-niet"),
    ("non-utf8", write("docs/latin1.md", PAGE.replace("Tekst.", "Caf\u00e9.").encode("latin-1")), 1,
     "docs/latin1.md:"),
    ("empty-file", write("docs/leeg.md", ""), 1, "docs/leeg.md:1"),
    ("dangling-partner", write("werkinstructies/proefvoorziening.md",
                               WERKINSTRUCTIE.replace("proefpartner", "bestaat-niet")), 1,
     "werkinstructies/proefvoorziening.md:"),
    ("dangling-werkkader-section", write("werkinstructies/proefvoorziening.md",
                                         WERKINSTRUCTIE.replace('["2.5", "2.4.6"]', '["2.5", "9.9"]')
                                         .replace("proefpartner", "wpi")), 1,
     "werkinstructies/proefvoorziening.md:"),
    ("werkinstructie-missing-section", write("werkinstructies/proefvoorziening.md",
                                             WERKINSTRUCTIE.replace("## Let op", "## Iets anders")
                                             .replace("proefpartner", "wpi")), 1,
     "werkinstructies/proefvoorziening.md:"),
    ("duplicate-partner", copy("partners/wpi.yml", "partners/wpi-kopie.yml"), 1,
     "fout: dubbele partner: 'Werk, Participatie en Inkomen' staat ook in partners/wpi-kopie.yml"),
    ("partner-bad-phone", write("partners/proefpartner.yml", PARTNER.replace('telefoon: ""', 'telefoon: "12345"')),
     1, "partners/proefpartner.yml:"),
    ("partner-bad-email", write("partners/proefpartner.yml", PARTNER.replace('e-mail: ""', 'e-mail: "info@"')),
     1, "partners/proefpartner.yml:"),
    ("partner-bad-url", write("partners/proefpartner.yml", PARTNER.replace('website: ""', 'website: "www"')),
     1, "partners/proefpartner.yml:"),
    ("partner-unknown-key", write("partners/proefpartner.yml", PARTNER + "telefoonnummer: x\n"), 1,
     "partners/proefpartner.yml:"),
    ("partner-yaml-extension", write("partners/proefpartner.yaml", PARTNER), 1, "partners/proefpartner.yaml:1"),
    ("glossary-example-fails", replace("glossary.yml", "- De hulpverlener belt de Amsterdammer terug.",
                                       "- De buurtteammedewerker belt de Amsterdammer terug zonder fout."), 2,
     "glossary.yml:"),
    ("glossary-yaml-syntax", replace("glossary.yml", "begrippen:\n", "begrippen: [\n"), 2, "glossary.yml:"),
    ("werkkader-version-unknown", replace(REGIE, 'versie: "2.0"', 'versie: "3.0"'), 1, f"{REGIE}:4"),
]

def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("name, change, code, place", CASES, ids=[c[0] for c in CASES])
def test_broken_input_gets_a_clear_answer(name, change, code, place, built_root, tmp_path, buut):
    root = tmp_path / "repo"
    shutil.copytree(built_root, root)  # a repository whose sites were built from good content
    before = digest(root / "site")
    change(root)
    result = buut("build", root=root)
    output = result.output
    assert result.exit_code == code, output
    assert place in output, output
    assert "Traceback" not in output
    assert re.search(r"\b(fout|ontbreekt|bestaat niet|onbekende?|geen|niet)\b", output), output  # Dutch
    assert "De vorige sites blijven staan" in output or "stopt" in output or code == 2, output
    assert digest(root / "site") == before, "de vorige sites zijn veranderd"


def test_matrix_covers_at_least_twenty_kinds():
    assert len({name for name, *_ in CASES}) >= 20
