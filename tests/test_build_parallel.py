"""`buut build` on two cores: the public site (with its leak gate) and the search indexes are made
in a second process while the intranet is built, and the indexes read the pages from memory.

Whatever runs where, the outcome is the serial build's: the same sites and indexes, a leak or a
failure on either side stops the build with a Dutch message, and the previous sites and indexes
stay exactly as they were, with nothing staged left behind.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from buut.build import leakgate
from buut import search
from buut.build.project import validate_project
from buut.render import public
from buut.build.site import BuildFailed, build_sites

SITES = ("intranet", "publiek")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of both sites and both indexes, by path."""
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}


def left_behind(root: Path) -> list[str]:
    """Staging folders or old sites and indexes that a build left in site/."""
    return sorted([p.name for p in (root / "site").iterdir() if p.name.startswith(".") and p.is_dir()
                   and p.name != ".zoekindex"] + [p.name for p in (root / "site" / ".zoekindex").iterdir()
                                                  if p.name not in SITES])


def stored_sections(folder: Path) -> list[dict]:
    opened = search.engine().open(folder)
    with opened.ix.searcher() as searcher:
        return sorted((dict(fields) for fields in searcher.all_stored_fields()), key=lambda f: f["url"])


@pytest.mark.parametrize("site", SITES)
def test_index_from_memory_is_the_index_of_the_built_files(built_root, tmp_path, site):
    """`buut build` indexed the pages as it wrote them; indexing the files they became gives the same."""
    project = validate_project(built_root)
    from_files = tmp_path / site
    sections = search.build_index(project, site, built_root / "site" / site, target=from_files)
    from_memory = search.index_dir(built_root, site)
    assert sections > 0
    assert stored_sections(from_memory) == stored_sections(from_files)
    for name in (search.VOCABULARY_FILE, "kaarten.json"):
        assert json.loads((from_memory / name).read_text()) == json.loads((from_files / name).read_text()), name


def test_one_process_builds_the_same_sites_and_indexes(built_root, built_copy):
    """The fixture's build ran on two cores (where there are two); one process gives the same output."""
    results = build_sites(validate_project(built_copy), index=True, parallel=False)
    assert [r.site_dir.name for r in results] == list(SITES)
    assert all(r.sections for r in results)
    sites = [{path: data for path, data in snapshot(root).items() if not path.startswith(".zoekindex/")}
             for root in (built_root, built_copy)]
    assert sorted(sites[0]) == sorted(sites[1])
    assert [path for path in sites[0] if sites[0][path] != sites[1][path]] == []
    for site in SITES:  # an index's segment files have random names: compare what it holds
        indexes = [search.index_dir(root, site) for root in (built_root, built_copy)]
        assert stored_sections(indexes[0]) == stored_sections(indexes[1])
        vocabularies = [json.loads((i / search.VOCABULARY_FILE).read_text()) for i in indexes]
        assert vocabularies[0] == vocabularies[1]
    assert left_behind(built_copy) == []


@pytest.mark.parametrize("parallel", [True, False], ids=["twee-processen", "een-proces"])
def test_a_leak_stops_the_build_and_keeps_the_previous_sites(built_copy, monkeypatch, parallel):
    before = snapshot(built_copy)
    path = built_copy / "docs" / "visie.md"
    path.write_text(path.read_text(encoding="utf-8") + '\nZie <a href="../werkinstructies/toegang/">de toegang</a>.\n',
                    encoding="utf-8")
    monkeypatch.setattr(public, "filter_html", lambda html, url, internal: html)  # a filter that misses it
    with pytest.raises(BuildFailed) as failed:
        build_sites(validate_project(built_copy), index=True, parallel=parallel)
    assert str(failed.value).startswith("lekcontrole: de publieke site bevat interne inhoud")
    assert any("visie/index.html" in m and "werkinstructies/toegang" in m for m in failed.value.messages)
    assert snapshot(built_copy) == before
    assert left_behind(built_copy) == []


def test_a_failing_intranet_also_removes_what_the_second_process_staged(built_copy, buut):
    before = snapshot(built_copy)
    path = built_copy / "werkkader" / "2-3-regie.md"  # an intranet page: the public site builds fine
    path.write_text(path.read_text(encoding="utf-8") + "\nZie [dit](bestaat-niet.md).\n", encoding="utf-8")
    result = buut("build", root=built_copy)
    assert result.exit_code == 1, result.output
    assert "bestaat-niet.md" in result.output and "De vorige sites blijven staan" in result.output
    assert snapshot(built_copy) == before
    assert left_behind(built_copy) == []


def test_a_second_process_that_dies_fails_the_build_in_dutch(built_copy, monkeypatch):
    before = snapshot(built_copy)
    monkeypatch.setattr(leakgate, "gate", lambda *arguments: os._exit(9))  # killed mid-build
    with pytest.raises(BuildFailed) as failed:
        build_sites(validate_project(built_copy), index=True, parallel=True)
    assert "tweede bouwproces" in str(failed.value) and "stopte onverwacht (afsluitcode 9)" in str(failed.value)
    assert snapshot(built_copy) == before
    assert left_behind(built_copy) == []


@pytest.fixture(params=[True, False], ids=["twee-processen", "een-proces"])
def cores(request, monkeypatch):
    """`buut build` as on a machine with two cores (checks beside the build) or with one (checks first)."""
    from buut.build import site

    monkeypatch.setattr(site, "_parallel", lambda variants: request.param)
    return request.param


def test_content_errors_stop_the_build_whichever_process_checks(built_copy, buut, cores):
    before = snapshot(built_copy)
    path = built_copy / "werkkader" / "2-3-regie.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nWe plannen een intake.\n", encoding="utf-8")
    result = buut("build", root=built_copy)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().split("\n")
    assert lines[-1].startswith("Bouwen gestopt: ") and lines[-1].endswith("De vorige sites blijven staan.")
    assert any(line.startswith("werkkader/2-3-regie.md:") and "intake" in line for line in lines[:-1])
    assert snapshot(built_copy) == before
    assert left_behind(built_copy) == []
    assert handing_over() == []


def handing_over() -> list:
    """Threads still handing pages to a second process that stopped (they would never end)."""
    import threading

    feeders = [t for t in threading.enumerate() if t.name == "QueueFeederThread"]
    for thread in feeders:
        thread.join(timeout=30)  # a bound for a hang, not a speed requirement
    return [t for t in feeders if t.is_alive()]


def test_the_same_report_whichever_process_checks(built_copy, buut, monkeypatch):
    """Warnings, errors and the summary read the same on one core and on two."""
    from buut.build import site

    path = built_copy / "werkkader" / "2-3-regie.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nWe plannen een intake.\n", encoding="utf-8")
    outputs = []
    for parallel in (True, False):
        monkeypatch.setattr(site, "_parallel", lambda variants, parallel=parallel: parallel)
        outputs.append(buut("build", root=built_copy))
    assert [r.exit_code for r in outputs] == [1, 1]
    assert outputs[0].output == outputs[1].output


@pytest.mark.parametrize("hostile,message", [("[" * 5000, "te veel haken [ op één pagina (5002; hoogstens 2000)"),
                                             ("Zie <a " * 1000, "te veel punthaken < op één pagina (1000; hoogstens 500)")],
                         ids=["haken", "punthaken"])
def test_what_loading_refuses_never_reaches_mkdocs_on_two_cores(repo, buut, monkeypatch, hostile, message):
    """Hostile input (5,000 '[' or 1,000 '<a ' that make Python-Markdown quadratic: 60 kB of '<a '
    added 100 s to the build) is refused by the checks before any site is built, also when the build
    would run on two cores."""
    from buut.build import site

    page = repo / "docs/werkwijze/klachtenregeling.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + hostile + "\n", encoding="utf-8")
    line = page.read_text(encoding="utf-8").count("\n")
    checked = buut("check", str(page), root=repo)
    assert checked.exit_code == 1
    assert f"docs/werkwijze/klachtenregeling.md:{line}:1: fout: {message}" in checked.output
    monkeypatch.setattr(site, "_parallel", lambda variants: True)

    def no_build(*args, **kwargs):
        raise AssertionError("mkdocs kreeg een pagina die het laden al weigerde")

    monkeypatch.setattr(site, "_build_parallel", no_build)
    monkeypatch.setattr(site, "_build_serial", no_build)
    result = buut("build", root=repo)
    assert result.exit_code == 1
    assert f"docs/werkwijze/klachtenregeling.md:{line}:1: fout: {message}" in result.output
    assert not (repo / "site" / "intranet").exists()


# -- every failure path ends the build ---------------------------------------------------------------
# Each case runs `buut build` in its own process (with a patch applied first, on two processes), so a
# hang fails the test through the subprocess timeout instead of hanging the suite.
HANG = 300  # seconds: a bound for a hang, not a speed requirement

BUILD_SCRIPT = """
import logging, os, signal, sys, time
from buut import search
from buut.build import leakgate, site
from buut.cli import main
site._parallel = lambda variants: True
logging.getLogger("buut.build.site").addHandler(logging.StreamHandler(sys.stderr))  # the transitions
logging.getLogger("buut.build.site").setLevel(logging.DEBUG)
FIRST = os.getpid()  # the build's own process; the second process has another pid
MARKER = sys.argv[2]  # written when the build's own site has ended (built or failed)

def in_second_process():
    return os.getpid() != FIRST

def wait_for(condition):
    deadline = time.monotonic() + 300  # a bound for a hang, not a speed requirement
    while not condition():
        if time.monotonic() > deadline:
            os._exit(7)
        time.sleep(0.05)

def findings_while_building():
    \"\"\"The own process takes the findings at its first page, while mkdocs still builds.\"\"\"
    page_written = site._TwoProcessBuild._page_written
    def waiting(self, path, html):
        if self.state is site._State.BUILDING:
            self.receive.poll(300)
        page_written(self, path, html)
    site._TwoProcessBuild._page_written = waiting

def own_site_ended_first():
    \"\"\"The second process sends its findings only once the own site has been built, or has failed.\"\"\"
    build_own_site = site._TwoProcessBuild._build_own_site
    def marked(self):
        try:
            build_own_site(self)
        finally:
            open(MARKER, "w").close()
    site._TwoProcessBuild._build_own_site = marked
    validate = site.validate_project
    def late(root):
        validated = validate(root)
        wait_for(lambda: os.path.exists(MARKER))
        return validated
    site.validate_project = late

def own_site_fails():
    readable = site.readable
    def broken(folder):
        if ".intranet-bouw-" in folder.name:
            raise OSError("schijf vol")
        readable(folder)
    site.readable = broken

{patch}
main(["build", "--root", sys.argv[1]])
"""

# The plugin line a typo breaks: the public site has no theme search (BUUT's own static search, issue 24).
PLUGIN_LINE = {"mkdocs.yml": "  - search:", "mkdocs.publiek.yml": "  - buut:"}
FAILURES = {
    "plugin-intranet": ("mkdocs.yml", "", 2, "mkdocs.yml:{line}: de plugin 'serach' bestaat niet"),
    "plugin-publiek": ("mkdocs.publiek.yml", "", 2, "mkdocs.publiek.yml:{line}: de plugin 'serach' bestaat niet"),
    "fout-in-publieke-bouw": (None, """
def broken(site_dir, project, *sources):
    raise RuntimeError("kapot")
leakgate.gate = broken
""", 1, "fout bij het bouwen (RuntimeError: kapot)"),
    "fout-in-intranetproces": (None, "own_site_fails()", 1, "fout bij het bouwen (OSError: schijf vol)"),
    "tweede-proces-sterft-bij-controle": (None, "site.validate_project = lambda root: os._exit(9)", 1,
                                          "stopte onverwacht (afsluitcode 9)"),
    "fout-in-intranetindex": (None, """
stage_index = search.stage_index
def broken(project, variant, *args, **kwargs):
    if variant == "intranet":
        raise RuntimeError("index kapot")
    return stage_index(project, variant, *args, **kwargs)
search.stage_index = broken
""", 1, "fout bij het bouwen (RuntimeError: index kapot)"),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_every_failure_path_ends_the_build_in_dutch(built_copy, case):
    """A typo in a plugin name hung `buut build` (holding the build lock) before; now every failure,
    on either side, ends the build with exit 1 or 2, a Dutch message, no traceback, and the previous
    sites and indexes exactly as they were."""
    import subprocess
    import sys

    config, patch, code, message = FAILURES[case]
    if config:
        path = built_copy / config
        text = path.read_text(encoding="utf-8")
        plugin = PLUGIN_LINE[config]
        message = message.format(line=text.split("\n").index(plugin) + 1)  # the line, wherever the nav grows
        path.write_text(text.replace(plugin, "  - serach:"), encoding="utf-8")
    before = snapshot(built_copy)
    result = subprocess.run([sys.executable, "-c", BUILD_SCRIPT.format(patch=patch), str(built_copy),
                             str(built_copy.parent / "marker")], capture_output=True, text=True, timeout=HANG)
    assert result.returncode == code, result.stderr
    assert message in result.stderr, result.stderr
    assert "De vorige sites blijven staan." in result.stderr.strip().split("\n")[-1]
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(built_copy) == before
    assert left_behind(built_copy) == []


# -- every way into FAILED, with the state machine's transition it takes (`site.TRANSITIONS`) --------
# The patches of BUILD_SCRIPT fix the order in which the two processes meet (no timing): the
# findings at the first page (`findings_while_building`) or after the own site (`own_site_ended_first`).
INTAKE = "\nWe plannen een intake.\n"  # a content error the checks find (the werkkader says "aanmelding")
PATHS = {
    # name: (content error added, patch, exit code, message, transition)
    "fouten-gevonden-tijdens-het-bouwen": (INTAKE, "findings_while_building()", 1,
                                           "Bouwen gestopt: ", "BUILDING --FINDINGS_WITH_ERRORS--> FAILED"),
    "fouten-gevonden-na-de-eigen-site": (INTAKE, "own_site_ended_first()", 1,
                                         "Bouwen gestopt: ", "WAITING_FOR_FINDINGS --FINDINGS_WITH_ERRORS--> FAILED"),
    "eigen-site-mislukt-daarna-geen-fouten": ("", "own_site_fails(); own_site_ended_first()", 1,
                                              "fout bij het bouwen (OSError: schijf vol)",
                                              "FAILED_AWAITING_FINDINGS --FINDINGS_CLEAN--> FAILED"),
    "eigen-site-mislukt-daarna-fouten": (INTAKE, "own_site_fails(); own_site_ended_first()", 1, "Bouwen gestopt: ",
                                         "FAILED_AWAITING_FINDINGS --FINDINGS_WITH_ERRORS--> FAILED"),
    "eigen-site-mislukt-na-de-controle": ("", "own_site_fails(); findings_while_building()", 1,
                                          "fout bij het bouwen (OSError: schijf vol)",
                                          "BUILDING_CHECKED --OWN_BUILD_FAILED--> FAILED"),
    "onbruikbare-inhoud": ("", """
from buut.model import BuutError, Finding, Level
def unusable(root):
    raise BuutError([Finding("glossary.yml", 1, 1, Level.ERROR, "begrippenlijst onleesbaar", "begrippenlijst")])
site.validate_project = unusable
""", 2, "glossary.yml:1:1: fout: begrippenlijst onleesbaar", "--UNUSABLE--> FAILED"),
    "bericht-buiten-de-volgorde": ("", """
findings_while_building()
helper = site._helper
def out_of_order(*arguments):
    arguments[5].send(("klaar", [], None, None))  # the staged folders before the findings
    helper(*arguments)
site._helper = out_of_order
""", 1, "fout bij het bouwen (RuntimeError: STAGED in BUILDING)", "BUILDING --STAGED--> FAILED"),
    "fout-in-dit-proces": ("", """
import buut.cli
def broken(project):
    raise RuntimeError("rapport kapot")
buut.cli._report_findings = broken
""", 1, "fout bij het bouwen (RuntimeError: rapport kapot)", "--ERROR--> FAILED"),
    "tweede-proces-gedood-bij-het-indexeren": ("", """
engine = search.engine
class Killed:
    def __init__(self, real):
        self.real = real
    def build(self, docs, staging):
        if in_second_process() and ".intranet-nieuw-" in staging.name:
            next(iter(docs))  # a page of the intranet has come
            os.kill(os.getpid(), signal.SIGKILL)
        return self.real.build(docs, staging)
search.engine = lambda *arguments: Killed(engine(*arguments))
""", 1, "stopte onverwacht (afsluitcode -9)", "--HELPER_DIED--> FAILED"),
}


def lock_is_free(root: Path) -> bool:
    import fcntl

    with open(root / "site" / ".bouw.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(lock, fcntl.LOCK_UN)
    return True


def run_build(root: Path, patch: str):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", BUILD_SCRIPT.format(patch=patch), str(root),
                           str(root.parent / "marker")], check=False, capture_output=True, text=True, timeout=HANG)


def assert_nothing_left(root: Path, before: dict, result) -> None:
    """The previous sites as they were, no staging folder, no second process, the lock free."""
    import re

    from buut.build.site import gone

    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert snapshot(root) == before
    assert left_behind(root) == []
    helper = re.search(r"het tweede proces is (\d+)", result.stderr)
    assert helper, result.stderr
    assert gone(int(helper.group(1)))
    assert lock_is_free(root)


@pytest.mark.parametrize("case", list(PATHS))
def test_every_way_into_failed_ends_the_build(built_copy, case):
    """Each transition to FAILED, forced in a real `buut build`: its Dutch message and exit code,
    and nothing swapped in or left behind."""
    error, patch, code, message, transition = PATHS[case]
    path = built_copy / "werkkader" / "2-3-regie.md"
    path.write_text(path.read_text(encoding="utf-8") + error, encoding="utf-8")
    before = snapshot(built_copy)
    result = run_build(built_copy, patch)
    assert result.returncode == code, result.stderr
    assert message in result.stderr, result.stderr
    assert transition in result.stderr, result.stderr
    if code == 1:
        assert result.stderr.strip().split("\n")[-1].endswith("De vorige sites blijven staan.")
    if error:  # the findings were reported, as on one core
        assert any(line.startswith("werkkader/2-3-regie.md:") and "intake" in line
                   for line in result.stderr.split("\n")), result.stderr
    assert_nothing_left(built_copy, before, result)


def test_sigterm_while_building_cleans_up_then_ends_by_the_signal(built_copy):
    """SIGTERM (systemd stopping a build) ends `buut build` by the signal, as before, but only after
    the same cleanup as any failure: no second process holding the lock, nothing staged left."""
    import signal

    before = snapshot(built_copy)
    result = run_build(built_copy, """
page_written = site._TwoProcessBuild._page_written
def terminated(self, path, html):
    os.kill(os.getpid(), signal.SIGTERM)
    page_written(self, path, html)
site._TwoProcessBuild._page_written = terminated
""")
    assert result.returncode == -signal.SIGTERM, result.stderr
    assert "--INTERRUPTED--> FAILED" in result.stderr, result.stderr
    assert_nothing_left(built_copy, before, result)


def test_ctrl_c_while_waiting_for_the_second_process_stops_it(built_copy):
    """Ctrl-C while this process waits for the second one (which is indexing the intranet): the second
    process is stopped, and what both staged (the index's staging folder too) is removed."""
    before = snapshot(built_copy)
    result = run_build(built_copy, """
build_own_site = site._TwoProcessBuild._build_own_site
def marked(self):
    build_own_site(self)
    open(MARKER, "w").close()
site._TwoProcessBuild._build_own_site = marked
engine = search.engine
class Interrupting:
    def __init__(self, real):
        self.real = real
    def build(self, docs, staging):
        if in_second_process() and ".intranet-nieuw-" in staging.name:
            wait_for(lambda: os.path.exists(MARKER))  # the own site is built: waiting for this answer
            os.kill(FIRST, signal.SIGINT)
            time.sleep(300)  # still indexing when it is stopped
        return self.real.build(docs, staging)
search.engine = lambda *arguments: Interrupting(engine(*arguments))
""")
    assert result.returncode == 1, result.stderr  # click: "Aborted!"
    assert "--INTERRUPTED--> FAILED" in result.stderr, result.stderr
    assert_nothing_left(built_copy, before, result)


def test_the_table_in_the_docstring_is_the_table_in_the_code():
    """`_TwoProcessBuild`'s docstring lists every step forward of `TRANSITIONS`, and no other (every
    other pair leads to FAILED)."""
    from buut.build.site import TRANSITIONS, _Event, _State, _TwoProcessBuild

    listed = {}
    for line in _TwoProcessBuild.__doc__.split("\n"):
        words = line.split()
        if len(words) >= 3 and words[0] in _State.__members__ and words[1] in _Event.__members__:
            listed[(_State[words[0]], _Event[words[1]])] = _State[words[2]]
    assert {pair: after for pair, after in listed.items() if after is not _State.FAILED} == TRANSITIONS
    assert all(TRANSITIONS.get(pair, _State.FAILED) is after for pair, after in listed.items())


def test_a_parent_that_is_a_zombie_counts_as_gone():
    """The second process stops waiting for pages when the build's process has ended, also when it
    is a zombie that nobody reaps (a `buut build` killed after whatever started it)."""
    import subprocess
    import time

    from buut.build.site import gone

    child = subprocess.Popen(["sleep", "30"])
    try:
        assert not gone(child.pid)  # running
        child.kill()
        deadline = time.monotonic() + 10
        while not gone(child.pid) and time.monotonic() < deadline:
            time.sleep(0.05)  # not reaped: a zombie until wait()
        assert gone(child.pid)
        assert child.poll() is not None  # reaped now
    finally:
        child.kill()
        child.wait()
    assert gone(child.pid)
