"""`mkdocs serve`, the editors' preview, rebuilds on every kind of edit (issue 18): a page, a partner, a
data file (a team) and the glossary. Each edit must show up in the served page.

Runs the real `mkdocs serve` on a copy of the content, on a free port on 127.0.0.1.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

MKDOCS = Path(sys.executable).parent / "mkdocs"
BUUT = Path(sys.executable).parent / "buut"
TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(repo: Path, log_path: Path, editors_command: bool = False):
    """`mkdocs serve`, or with `editors_command` the way the handbook starts it: `buut voorvertoning`."""
    port = free_port()
    if editors_command:
        command = [str(BUUT), "voorvertoning", "--adres", f"127.0.0.1:{port}"]
        env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    else:
        command = [str(MKDOCS), "serve", "-a", f"127.0.0.1:{port}"]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(command, cwd=repo, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            yield f"http://127.0.0.1:{port}", server
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


@pytest.fixture
def served(repo, tmp_path):
    log_path = tmp_path / "serve.log"
    with serving(repo, log_path) as (base, server):
        yield repo, base, server, log_path


def wait_for(base: str, path: str, text: str, server, log_path: Path, timeout: float = TIMEOUT) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        assert server.poll() is None, "mkdocs serve stopte:\n" + log_path.read_text(encoding="utf-8")[-3000:]
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"{path} toont na {timeout:.0f} s nog niet '{text}':\n" + log_path.read_text(encoding="utf-8")[-3000:])


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- incremental preview (buut/build/preview.py, mkdocs_plugin._Preview) ---------------------------------

LIVERELOAD = re.compile(r"<script>\s*var livereload = .*?</script>", re.S)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def site_snapshot(base: str) -> dict[str, object]:
    """Every page the sitemap names, and the search index, as a reader's browser gets them; the
    preview's own parts (its address, the livereload script) taken out."""
    sitemap = fetch(base + "/sitemap.xml").decode("utf-8")
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(urls) > 100, sitemap[:500]
    pages = {}
    for url in urls:
        html = fetch(url).decode("utf-8")
        pages[url.removeprefix(base)] = LIVERELOAD.sub("", html).replace(base, "BASIS")
    index = json.loads(fetch(base + "/search/search_index.json"))
    pages["search_index.json"] = sorted(json.dumps(entry, sort_keys=True) for entry in index["docs"])
    return pages


def rebuilds(log_path: Path) -> tuple[int, int]:
    """(incremental rebuilds of at least one page, full rebuilds) the preview logged."""
    text = log_path.read_text(encoding="utf-8")
    return (len(re.findall(r"BUUT: (?:1 pagina|[1-9][0-9]* pagina's) opnieuw gebouwd in", text)),
            text.count("BUUT: alles opnieuw bouwen"))


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Redactie", "-c", "user.email=redactie@example.org",
                    *args], check=True, capture_output=True)


def test_preview_reads_the_history_again_after_a_commit_and_passes_editor_files_by(repo, tmp_path):
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Inhoud")
    log = tmp_path / "serve.log"
    with serving(repo, log) as (base, server):
        wait_for(base, "/werkkader/2-3-regie/", "Regie-ondersteuning", server, log)
        # an editor's swap file and backup next to the page: not an error, not a whole build
        (repo / "docs/werkwijze/.klachtenregeling.md.swp").write_bytes(b"b0VIM 9.0")
        (repo / "docs/werkwijze/klachtenregeling.md~").write_text("oud", encoding="utf-8")
        time.sleep(1)
        replace(repo / "werkkader/2-3-regie.md", "## Formele regie\n", "## Formele regie\n\nEerste zin.\n")
        wait_for(base, "/werkkader/2-3-regie/", "Eerste zin.", server, log)
        assert rebuilds(log)[1] == 0, log.read_text(encoding="utf-8")[-3000:]
        time.sleep(1)
        replace(repo / "werkkader/2-3-regie.md", "\n---\n", "\nwijzigingen:\n  - datum: 2026-12-07\n"
                "    tekst: Regie bijgewerkt door de redactie.\n---\n")  # a change note for readers
        git(repo, "commit", "-q", "-a", "-m", "Werkkader 2.3: first sentence")
        replace(repo / "werkkader/2-3-regie.md", "Eerste zin.", "Tweede zin.")
        wait_for(base, "/werkkader/2-3-regie/", "Tweede zin.", server, log)
        assert "git-geschiedenis veranderd" in log.read_text(encoding="utf-8")
        wait_for(base, "/wijzigingen/", "Regie bijgewerkt door de redactie.", server, log)
        assert "Werkkader 2.3: first sentence" not in fetch(base + "/wijzigingen/").decode("utf-8")
        assert "fout" not in log.read_text(encoding="utf-8").split("Serving on")[-1]
        for name in (".klachtenregeling.md.swp", "klachtenregeling.md~"):
            with pytest.raises(urllib.error.HTTPError):
                fetch(f"{base}/werkwijze/{name}")


def test_incremental_preview_serves_what_a_full_build_makes(repo, tmp_path):
    """A page, a partner, a voorziening's data and a page's open points are edited while the preview
    runs; each edit is rendered incrementally. Then a fresh `mkdocs serve` builds the same content
    from scratch: every page and the search index must be the same."""
    edits = [
        ("/werkkader/2-3-regie/", "werkkader/2-3-regie.md", "## Formele regie\n",
         "## Formele regie\n\nEen zin die de voorvertoning stap voor stap moet tonen.\n",
         "Een zin die de voorvertoning stap voor stap moet tonen."),
        ("/partners/wpi/", "partners/wpi.yml", "  WPI is de partner van het buurtteam",
         "  WPI is de vaste partner van het buurtteam", "is de vaste partner van het buurtteam"),
        ("/werkinstructies/ambulante-ondersteuning/", "werkinstructies/ambulante-ondersteuning.md",
         "wettelijke_termijn: 8 weken", "wettelijke_termijn: 10 weken", "10 weken"),
        ("/werkinstructies/ambulante-ondersteuning/", "werkinstructies/ambulante-ondersteuning.md",
         "open_punten:\n  - \"Wanneer", "open_punten:\n  - Een open punt dat alleen de redactie ziet.\n  - \"Wanneer",
         None),
        ("/teams/oost/", "teams/oost.yml", 'bereikbaarheid: ""', "bereikbaarheid: Op werkdagen tot vijf uur bereikbaar.",
         "Op werkdagen tot vijf uur bereikbaar."),
        # a numbered heading: werkinstructies and partner pages link to it by its anchor
        ("/werkkader/2-4-werkproces/", "werkkader/2-4-werkproces.md", "## 2.4.3 Regiecheck\n",
         "## 2.4.3 De regiecheck\n", "De regiecheck"),
        # a review date in the past: a notice on the page, and the page on the editors' worklist
        ("/werkkader/2-3-regie/", "werkkader/2-3-regie.md", "herzien_voor: 2027-05-01", "herzien_voor: 2020-05-01",
         "2020"),
    ]
    log_a = tmp_path / "stap-voor-stap.log"
    with serving(repo, log_a) as (base, server):
        wait_for(base, "/werkkader/2-3-regie/", "Regie-ondersteuning", server, log_a)
        for number, (path, file, old, new, expected) in enumerate(edits, 1):
            time.sleep(1)
            replace(repo / file, old, new)
            if expected:
                wait_for(base, path, expected, server, log_a)
            else:  # nothing a reader sees: wait for the log
                started = time.monotonic()
                while rebuilds(log_a)[0] < number and time.monotonic() - started < TIMEOUT:
                    time.sleep(0.1)
        assert rebuilds(log_a) == (len(edits), 0), log_a.read_text(encoding="utf-8")[-3000:]
        incremental = site_snapshot(base)
    log_b = tmp_path / "alles.log"
    with serving(repo, log_b) as (base, server):
        wait_for(base, "/werkkader/2-3-regie/", "stap voor stap", server, log_b)
        full = site_snapshot(base)
    assert incremental.keys() == full.keys()
    different = [page for page in full if incremental[page] != full[page]]
    assert different == [], f"de voorvertoning toont na stap-voor-stap bouwen iets anders op: {different}"


def test_preview_rebuilds_on_every_kind_of_edit_and_waits_out_errors(served):
    """One preview, edited as an editor does: a page, a partner, a data file (a team) and the glossary;
    then a title that is in every page's menu; then errors, each waited out until it is fixed."""
    repo, base, server, log = served
    wait_for(base, "/werkkader/2-3-regie/", "Regie-ondersteuning", server, log)
    edits = [
        ("pagina", "/werkkader/2-3-regie/", lambda: replace(
            repo / "werkkader/2-3-regie.md", "## Formele regie\n",
            "## Formele regie\n\nEen zin om te zien of de voorvertoning meekomt.\n"),
         "Een zin om te zien of de voorvertoning meekomt."),
        ("partner", "/partners/wpi/", lambda: replace(
            repo / "partners/wpi.yml", "  WPI is de partner van het buurtteam",
            "  WPI is de vaste partner van het buurtteam"),
         "is de vaste partner van het buurtteam"),
        ("gegevensbestand", "/teams/oost/", lambda: replace(
            repo / "teams/oost.yml", 'bereikbaarheid: ""', "bereikbaarheid: Op werkdagen tot vijf uur bereikbaar."),
         "Op werkdagen tot vijf uur bereikbaar."),
        ("begrippenlijst", "/begrippenlijst/", lambda: replace(
            repo / "glossary.yml", "definitie: Iedereen die in een buurtteam werkt;",
            "definitie: Iedereen die bij een buurtteam werkt;"),
         "Iedereen die bij een buurtteam werkt;"),
    ]
    for kind, path, edit, expected in edits:
        time.sleep(1)  # a save a moment after the previous build, as an editor does
        edit()
        wait_for(base, path, expected, server, log)
    assert rebuilds(log) == (3, 1), log.read_text(encoding="utf-8")[-3000:]  # the glossary: everything
    page = repo / "docs/werkwijze/klachtenregeling.md"
    text = page.read_text(encoding="utf-8")
    title = re.search(r"^titel: (.+)$", text, re.M).group(1)
    time.sleep(1)
    page.write_text(text.replace(f"titel: {title}", "titel: Klachten en bezwaar", 1)
                    .replace(f"# {title}\n", "# Klachten en bezwaar\n", 1), encoding="utf-8")
    wait_for(base, "/werkwijze/regievoering/", "Klachten en bezwaar", server, log)  # in the menu of another page
    assert rebuilds(log) == (3, 2)
    time.sleep(1)
    replace(repo / "werkkader/2-3-regie.md", "## Formele regie\n", "## Formele regie\n\n{{ onbekende_macro() }}\n")
    started = time.monotonic()
    while "onbekende_macro" not in log.read_text(encoding="utf-8") and time.monotonic() - started < TIMEOUT:
        time.sleep(0.1)
    assert "werkkader/2-3-regie.md:" in log.read_text(encoding="utf-8")  # the place of the error, in the log
    assert "Traceback" not in log.read_text(encoding="utf-8")
    time.sleep(1)
    replace(repo / "werkkader/2-3-regie.md", "{{ onbekende_macro() }}", "Weer in orde.")
    wait_for(base, "/werkkader/2-3-regie/", "Weer in orde.", server, log)
    assert rebuilds(log) == (4, 2), log.read_text(encoding="utf-8")[-3000:]
    # a link to a heading that is not there: in strict mode a warning stops the preview, as a build
    time.sleep(1)
    replace(repo / "werkkader/2-3-regie.md", "Weer in orde.", "Zie [het kopje](#een-kopje-dat-er-niet-is).")
    started = time.monotonic()
    while "in strict mode" not in log.read_text(encoding="utf-8") and time.monotonic() - started < TIMEOUT:
        time.sleep(0.1)
    assert "een-kopje-dat-er-niet-is" in log.read_text(encoding="utf-8")
    assert "in strict mode" in log.read_text(encoding="utf-8")
    time.sleep(1)
    replace(repo / "werkkader/2-3-regie.md", "Zie [het kopje](#een-kopje-dat-er-niet-is).", "Opnieuw in orde.")
    wait_for(base, "/werkkader/2-3-regie/", "Opnieuw in orde.", server, log)
    assert "Traceback" not in log.read_text(encoding="utf-8")


def fetch_status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_the_preview_shows_a_build_error_in_the_page_and_keeps_a_quiet_terminal(repo, tmp_path):
    log = tmp_path / "voorvertoning.log"
    with serving(repo, log, editors_command=True) as (base, server):
        wait_for(base, "/werkkader/2-3-regie/", "Regie-ondersteuning", server, log, 3 * TIMEOUT)  # the first build
        for _ in range(2):  # what every page asks for, and only `buut serve` has
            assert fetch_status(base + "/api/zoek?q=regie")[0] == 404 and fetch_status(base + "/api/feedback")[0] == 404
        assert fetch_status(base + "/werkkader/2-3-regie/")[0] == 200
        terminal = log.read_text(encoding="utf-8")
        assert "end of life" not in terminal and "Zensical" not in terminal
        assert "are not included in the" not in terminal and "/api/" not in terminal, terminal[-3000:]
        assert len(terminal.strip().splitlines()) < 25, terminal  # was 90 lines and more
        time.sleep(1)
        replace(repo / "werkkader/2-3-regie.md", "## Formele regie\n", "## Formele regie\n\n{{ onbekende_macro() }}\n")
        wait_for(base, "/werkkader/2-3-regie/", "De voorvertoning is niet bijgewerkt", server, log)
        for path in ("/werkkader/2-3-regie/", "/"):  # every page says it, with file and line
            status, page = fetch_status(base + path)
            banner = page[page.index('id="buut-bouwfout"'):page.index("</div>", page.index('id="buut-bouwfout"'))]
            assert status == 200 and 'role="alert"' in page
            assert re.search(r"werkkader/2-3-regie\.md:\d+:\d+: fout: .*onbekende_macro", banner), banner
            assert "Aborted" not in banner and "Traceback" not in banner
        time.sleep(1)
        replace(repo / "werkkader/2-3-regie.md", "{{ onbekende_macro() }}", "Weer in orde.")
        wait_for(base, "/werkkader/2-3-regie/", "Weer in orde.", server, log)
        assert "buut-bouwfout" not in fetch_status(base + "/werkkader/2-3-regie/")[1]
        assert "Traceback" not in log.read_text(encoding="utf-8")
