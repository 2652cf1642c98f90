"""Build, site: build a site with the generator and swap it in only when the build succeeded.

The generator is mkdocs (with mkdocs-material); this module is the only place that calls it, so
replacing the generator means replacing `_generate`. A failed build leaves the previous site
exactly as it was: the new one is built in a temporary folder beside it and renamed into place.

The public site passes the leak gate (`buut/build/leakgate.py`) in its staging folder; a leak fails the
build and nothing is swapped in. Built folders are world-readable (0755/0644), so a web server
running as another user can serve them. One build runs at a time (`build_lock`); it first removes
what a killed build left behind.

`buut build` (`check_and_build`) uses two cores: while this process builds the intranet, a forked
second process runs the content checks, builds the public site and makes both search indexes, the
intranet's from the pages this process hands over as mkdocs writes them (`_build_parallel`). This
process's side is a small state machine (`_TwoProcessBuild`: the states `_State`, the events
`_Event`, the steps forward in `TRANSITIONS`): every other event ends in FAILED, where one function
(`_clean_up`) stops the second process and removes what either staged, and the error is raised
(a Dutch message, never a traceback; SIGTERM ends the process by the signal after that cleanup).
On one core the same steps run one after the other (`_build_serial`), with the same outcome.
"""
from __future__ import annotations

import contextlib
import enum
import fcntl
import logging
import multiprocessing as mp
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from buut.build import config as config_policy, leakgate
from buut.model import BuutError, Level
from buut.build.project import Project, load_project, validate_project

# Each site and its mkdocs configuration. The public site is the wijknetwerken site for partners.
SITES = {"intranet": "mkdocs.yml", "publiek": "mkdocs.publiek.yml"}
log = logging.getLogger(__name__)


class BuildFailed(Exception):
    def __init__(self, message: str, messages: list[str], unusable: bool = False):
        self.messages, self.unusable = messages, unusable
        super().__init__(message)

    def __reduce__(self):  # passed whole from the second build process (`_build_parallel`)
        return BuildFailed, (str(self), self.messages, self.unusable)


@dataclass
class BuildResult:
    site_dir: Path
    warnings: list[str] = field(default_factory=list)
    sections: int | None = None  # the sections in the site's search index, when it was built along


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_site(project: Project, variant: str = "intranet") -> BuildResult:
    return build_sites(project, (variant,))[0]


LOCK_FILE = ".bouw.lock"
# What a build leaves in site/ while it runs: staging folders and old sites (under the lock), and
# the search index's staging folders (`buut build` makes them under the lock, but
# `search.build_index` may run without it: removed only when an hour old).
_LEFTOVERS = (".*-bouw-*", ".*-oud-*")
_INDEX_LEFTOVERS = (".zoekindex/.*-nieuw-*", ".zoekindex/.*-oud-*")


@contextlib.contextmanager
def build_lock(root: Path):
    """Hold the build lock of a repository; then clear what earlier, killed builds left behind."""
    folder = root / "site"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits while another build runs
        try:
            _remove_leftovers(folder)
            for pattern in _INDEX_LEFTOVERS:
                for leftover in folder.glob(pattern):
                    if time.time() - leftover.stat().st_mtime > 3600:
                        shutil.rmtree(leftover, ignore_errors=True)
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_leftovers(folder: Path) -> None:
    """Staging folders and old sites in site/ (only ever called under the build lock)."""
    for pattern in _LEFTOVERS:
        for leftover in folder.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def readable(folder: Path) -> None:
    """Folders 0755 and files 0644: a web server under another user can read the site."""
    folder.chmod(0o755)
    for current, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(current, name), 0o755, follow_symlinks=False)
        for name in files:
            path = os.path.join(current, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)


class ContentErrors(Exception):
    """The checks found errors in the content: nothing was swapped in."""

    def __init__(self, project: Project):
        self.project = project
        super().__init__(f"{len(project.errors())} fout(en) in de inhoud")


def check_and_build(root: Path, report: Callable[[Project], None]) -> tuple[Project, list[BuildResult]]:
    """Validate the content, then build both sites with their search indexes (`buut build`).

    `report(project)` is called once the findings are known, before anything is swapped in. Errors
    in the content raise ContentErrors, unusable content BuutError. On two cores the checks run in
    the second process while this one already builds the intranet into its staging folder: their
    outcome decides whether anything is kept, exactly as when they run first.
    """
    if _parallel(SITES):
        project = load_project(root)
        if not any(f.level >= Level.ERROR for f in project.content.findings + project.load_findings):
            return project, build_sites(project, index=True, parallel=True, checks=report)
        # what loading refused (a link, too deep nesting, a file too large) never reaches mkdocs,
        # where it could cost minutes before the checks stop the build: check first
    project = validate_project(root)
    report(project)
    if project.errors():
        raise ContentErrors(project)
    return project, build_sites(project, index=True, parallel=False)


def _parallel(variants) -> bool:
    return len(variants) > 1 and (os.cpu_count() or 1) > 1 and "fork" in mp.get_all_start_methods()


def build_sites(project: Project, variants=tuple(SITES), index: bool = False,
                parallel: bool | None = None, checks: Callable[[Project], None] | None = None) -> list[BuildResult]:
    """Build every variant into a staging folder; swap them in only when all of them succeeded.

    With `index`, each site's search index is made from the pages as they were built (from memory)
    and swapped in with the sites. With more than one variant and more than one core (`parallel`
    None), the other variants and the first one's index are made in a second process while this one
    builds the first variant (see `_build_parallel`). With `checks` (parallel only), that process
    first validates the project and `checks` gets it; errors stop the build (ContentErrors).
    """
    root = project.root.resolve()  # mkdocs reads a relative site_dir from the config file's folder
    if parallel is None:
        parallel = _parallel(variants)
    with _sigterm_as_interrupt() if parallel else contextlib.nullcontext(), build_lock(root):
        for variant in variants:
            if not (root / SITES[variant]).is_file():
                raise BuildFailed(f"{SITES[variant]} ontbreekt; zonder dit bestand kan de site '{variant}' "
                                  "niet worden gebouwd", [], unusable=True)
        if parallel:
            staged = _build_parallel(project, root, list(variants), index, checks)
        else:
            staged = _build_serial(project, root, list(variants), index)
        for item in staged:
            _swap(item.staging, root / "site" / item.variant)
        for item in staged:
            if item.index is not None:
                from buut import search

                search.swap_index(item.index, search.index_dir(root, item.variant))
        return [BuildResult(root / "site" / item.variant, item.warnings, item.sections) for item in staged]


@dataclass
class _Staged:
    """A site built in its staging folder (and its index, staged beside the live one)."""

    variant: str
    staging: Path
    warnings: list[str] = field(default_factory=list)
    index: Path | None = None
    sections: int | None = None

    def discard(self) -> None:
        for folder in (self.staging, self.index):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)


def _build_serial(project: Project, root: Path, variants: list[str], index: bool) -> list[_Staged]:
    staged: list[_Staged] = []
    try:
        for variant in variants:
            pages: dict[str, str] = {}
            staged.append(_stage_site(project, root, variant, pages.__setitem__ if index else None))
            if index:
                _stage_index(project, staged[-1], pages)
    except BaseException as error:
        for item in staged:
            item.discard()
        if isinstance(error, Exception) and not isinstance(error, (BuildFailed, _FirstFailed)):
            raise _failure(error) from None  # never a traceback (the leak gate, the index)
        raise
    return staged


def _failure(error: BaseException) -> BuildFailed:
    """An unexpected error while building, as a build failure with its message."""
    return BuildFailed(f"fout bij het bouwen ({type(error).__name__}: {error})", [])


def _staging(root: Path, variant: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{variant}-bouw-", dir=root / "site"))


def _stage_site(project: Project, root: Path, variant: str, keep_page=None, staging: Path | None = None) -> _Staged:
    """Build one site into a (new) staging folder; the public site passes the leak gate there.
    `keep_page(path, html)` receives every page's article as it is written."""
    staged = _Staged(variant, staging or _staging(root, variant))
    try:
        sources: dict = {}
        staged.warnings = _generate(project, root / SITES[variant], staged.staging, keep_page, sources)
        if variant == "publiek":
            try:
                leakgate.gate(staged.staging, project, sources.get("publiek"))
            except leakgate.LeakFound as leak:
                raise BuildFailed(f"lekcontrole: {leak}", [str(x) for x in leak.leaks]) from None
        readable(staged.staging)
    except BaseException as error:
        staged.discard()
        if isinstance(error, Exception) and not isinstance(error, BuildFailed):
            raise _failure(error) from None  # never a traceback (the leak gate, the file system)
        raise
    return staged


def _stage_index(project: Project, staged: _Staged, pages: Mapping[str, str]) -> None:
    from buut import search

    if staged.variant == "publiek":  # the gate may have pruned files; the pages it kept are indexed
        pages = {path: html for path, html in pages.items() if (staged.staging / path).is_file()}
    target = search.index_dir(project.root.resolve(), staged.variant)
    staged.index, staged.sections = search.stage_index(project, staged.variant, staged.staging, target,
                                                       pages=pages)


def _build_parallel(project: Project, root: Path, variants: list[str], index: bool,
                    checks: Callable[[Project], None] | None = None) -> list[_Staged]:
    """The first variant (the intranet, the largest) is built here; a forked second process
    validates the project (with `checks`), builds the others and then indexes the first one, taking
    each page as this process hands it over. `_TwoProcessBuild` is this process's side."""
    return _TwoProcessBuild(project, root, variants, index, checks).run()


class _State(enum.Enum):
    """Where this process is in a two-process build. Only DONE returns; FAILED raises."""

    BUILDING = "mkdocs builds the first site here; the findings are still to come"
    BUILDING_CHECKED = "mkdocs builds the first site here; the findings had no errors (or nothing is checked)"
    WAITING_FOR_FINDINGS = "the first site is built; waiting for the findings"
    FAILED_AWAITING_FINDINGS = "the first site failed; its failure is reported after the findings, as on one core"
    WAITING_FOR_ANSWER = "the first site is built and the findings had no errors; waiting for the staged folders"
    DONE = "everything is staged; the caller swaps it in"
    FAILED = "stopped; `_clean_up` removed everything staged and the error is raised"


class _Event(enum.Enum):
    """What can happen to this process in a two-process build; each one leads to a state (TRANSITIONS)."""

    PAGE_WRITTEN = "mkdocs wrote a page: it goes to the second process, and a message that came is taken"
    FINDINGS_CLEAN = "the findings came without errors (reported)"
    FINDINGS_WITH_ERRORS = "the findings came with errors (reported): ContentErrors"
    UNUSABLE = "the second process found the content unusable: BuutError"
    OWN_SITE_BUILT = "mkdocs built the first site here"
    OWN_BUILD_FAILED = "mkdocs, the leak gate or the file system failed here: BuildFailed"
    STAGED = "the second process sent its staged folders"
    HELPER_FAILED = "the second process sent its BuildFailed (the other site, the leak gate, an index)"
    HELPER_DIED = "the second process ended without a word (killed, out of memory): EOF on the pipe"
    INTERRUPTED = "KeyboardInterrupt (Ctrl-C) or SIGTERM here"
    ERROR = "an unexpected error here (the report, the queue, a message the protocol does not have)"


_S, _E = _State, _Event
# Every step forward. Any (state, event) pair not listed here leads to FAILED, with the error the
# event brings (ContentErrors, BuutError, a BuildFailed, the interrupt), or, for a pair that cannot
# happen (a message out of order), "fout bij het bouwen (RuntimeError: STAGED in BUILDING)".
# FAILED takes no event any more, except an interrupt, which then ends the build instead.
TRANSITIONS: dict[tuple[_State, _Event], _State] = {
    (_S.BUILDING, _E.PAGE_WRITTEN): _S.BUILDING,
    (_S.BUILDING, _E.FINDINGS_CLEAN): _S.BUILDING_CHECKED,
    (_S.BUILDING, _E.OWN_SITE_BUILT): _S.WAITING_FOR_FINDINGS,
    (_S.BUILDING, _E.OWN_BUILD_FAILED): _S.FAILED_AWAITING_FINDINGS,
    (_S.BUILDING_CHECKED, _E.PAGE_WRITTEN): _S.BUILDING_CHECKED,
    (_S.BUILDING_CHECKED, _E.OWN_SITE_BUILT): _S.WAITING_FOR_ANSWER,
    (_S.WAITING_FOR_FINDINGS, _E.FINDINGS_CLEAN): _S.WAITING_FOR_ANSWER,
    (_S.WAITING_FOR_ANSWER, _E.STAGED): _S.DONE,
}
_WAITING = (_S.WAITING_FOR_FINDINGS, _S.FAILED_AWAITING_FINDINGS, _S.WAITING_FOR_ANSWER)
_DIED = object()  # what `_receive` gives when the pipe ended: the second process is gone


class _TwoProcessBuild:
    """This process's side of the two-process build, as a state machine.

    mkdocs, the checks, the leak gate and whoosh are CPU-bound Python: threads would share one core.
    The second process (`_helper`) is a fork: it has the loaded project without copying or pickling
    it. It sends, in this order, its findings (when it checks: ("bevindingen", findings) or
    ("onbruikbaar", findings)), then ("klaar", staged sites, the first site's staged index, its
    sections), or at any point the BuildFailed it raised. This process hands it every page mkdocs
    writes through a queue, then `_DONE` (with the site or without), so it never waits forever.

    state                     event                 next state
    BUILDING                  PAGE_WRITTEN          BUILDING
    BUILDING                  FINDINGS_CLEAN        BUILDING_CHECKED
    BUILDING                  FINDINGS_WITH_ERRORS  FAILED (ContentErrors; mkdocs stops at once, `_Stop`)
    BUILDING                  OWN_SITE_BUILT        WAITING_FOR_FINDINGS
    BUILDING                  OWN_BUILD_FAILED      FAILED_AWAITING_FINDINGS (the findings are reported first)
    BUILDING_CHECKED          PAGE_WRITTEN          BUILDING_CHECKED
    BUILDING_CHECKED          OWN_SITE_BUILT        WAITING_FOR_ANSWER
    BUILDING_CHECKED          OWN_BUILD_FAILED      FAILED (its BuildFailed)
    WAITING_FOR_FINDINGS      FINDINGS_CLEAN        WAITING_FOR_ANSWER
    WAITING_FOR_FINDINGS      FINDINGS_WITH_ERRORS  FAILED (ContentErrors)
    FAILED_AWAITING_FINDINGS  FINDINGS_CLEAN        FAILED (the BuildFailed of the first site)
    FAILED_AWAITING_FINDINGS  FINDINGS_WITH_ERRORS  FAILED (ContentErrors)
    WAITING_FOR_ANSWER        STAGED                DONE
    any state but FAILED      UNUSABLE              FAILED (BuutError)
    any state but FAILED      HELPER_FAILED         FAILED (its BuildFailed: the other site, a leak, an index)
    any state but FAILED      HELPER_DIED           FAILED ("het tweede bouwproces ... stopte onverwacht")
    any state but FAILED      INTERRUPTED           FAILED (KeyboardInterrupt or SIGTERM, raised again)
    any state but FAILED      ERROR                 FAILED ("fout bij het bouwen (...)")
    any other pair                                  FAILED ("fout bij het bouwen (RuntimeError: EVENT in STATE)")

    One function per event source: `_page_written` (mkdocs' page handler), `_build_own_site` (own
    site built or failed), `_take` (a message of the second process, or its end), and `run`'s
    `except` (an interrupt or an unexpected error). Each calls `_on`, which looks up the next state;
    messages are only read between pages and while waiting, and FAILED stops mkdocs at its next page
    (`_Stop`). Whatever failed, `_clean_up` is the one place that cleans up.
    """

    def __init__(self, project: Project, root: Path, variants: list[str], index: bool,
                 checks: Callable[[Project], None] | None):
        self.project, self.root, self.variants, self.index, self.checks = project, root, variants, index, checks
        self.state = _State.BUILDING if checks is not None else _State.BUILDING_CHECKED
        self.error: BaseException | None = None  # FAILED: what the build raises
        self.own_failure: BuildFailed | None = None  # the first site's failure, reported after the findings
        self.answer: tuple | None = None  # the second process's ("klaar", ...) message
        self.said_all = False  # the second process sent its last message (or died): it ends by itself
        self.first = _Staged(variants[0], None)
        self.process = self.receive = self.pages = None
        self.index_before: set[Path] = set()

    def run(self) -> list[_Staged]:
        try:
            self._start()
            self._build_own_site()
            while self.state in _WAITING:
                self._take(self._receive())
            if self.state is _State.DONE:
                return self._finish()
        except _Stop:
            pass  # FAILED already: this stopped mkdocs
        except BaseException as error:  # noqa: BLE001 - every error ends the build, never a traceback
            if isinstance(error, (KeyboardInterrupt, _Terminated)):
                self._on(_Event.INTERRUPTED, error)
            else:
                self._on(_Event.ERROR, error if isinstance(error, BuildFailed) else _failure(error))
        self._clean_up()
        raise self.error from None

    def _on(self, event: _Event, error: BaseException | None = None) -> None:
        """The one transition function: the next state from TRANSITIONS; FAILED keeps the error."""
        before = self.state
        if before is _State.FAILED:  # the end: only an interrupt still counts, and ends the build as asked
            if event is _Event.INTERRUPTED:
                self.error = error
            return
        after = TRANSITIONS.get((before, event), _State.FAILED)
        if after is _State.FAILED:
            self.error = error if error is not None else _failure(RuntimeError(f"{event.name} in {before.name}"))
        self.state = after
        if after is not before:
            log.debug("twee processen: %s --%s--> %s", before.name, event.name, after.name)

    def _start(self) -> None:
        context = mp.get_context("fork")
        if self.index:
            self.pages = context.Queue()
            self.pages.cancel_join_thread()  # a second process that stopped reads no more: exiting never waits on it
        self.receive, send = context.Pipe(duplex=False)
        self.index_before = _index_staging(self.root)
        self.first.staging = _staging(self.root, self.first.variant)  # made first: the second process indexes into it
        self.process = context.Process(target=_helper, daemon=True, args=(
            self.project, self.root, self.variants, self.first.staging, self.pages, send, os.getpid(),
            self.checks is not None))
        try:
            self.process.start()
        finally:
            send.close()
        log.debug("twee processen: het tweede proces is %s", self.process.pid)

    def _build_own_site(self) -> None:
        """Events OWN_SITE_BUILT or OWN_BUILD_FAILED; PAGE_WRITTEN for every page on the way."""
        built = None
        try:
            built = _stage_site(self.project, self.root, self.first.variant,
                                self._page_written if self.index or self.checks else None, self.first.staging)
        except BuildFailed as failure:
            self.own_failure = failure
        finally:  # with the site or without: the second process stops waiting for pages
            if self.pages is not None:
                self.pages.put((_DONE, "gebouwd" if built is not None else None))
        if built is not None:
            self.first = built
            self._on(_Event.OWN_SITE_BUILT)
        else:
            self._on(_Event.OWN_BUILD_FAILED, self.own_failure)

    def _page_written(self, path: str, html: str) -> None:
        """mkdocs' page handler (`_page_keeper`): event PAGE_WRITTEN, then a message that came."""
        if self.pages is not None:
            self.pages.put((path, html))
        self._on(_Event.PAGE_WRITTEN)
        if self.receive.poll():
            self._take(self._receive())
        if self.state is _State.FAILED:
            raise _Stop()  # out of mkdocs, which turns an Exception into its own error

    def _receive(self):
        try:
            return self.receive.recv()
        except EOFError:
            return _DIED

    def _take(self, message) -> None:
        """A message of the second process (or its end) as an event."""
        try:
            self.said_all = message is _DIED or isinstance(message, BuildFailed) or message[0] != "bevindingen" \
                or any(f.level >= Level.ERROR for f in message[1])
            if message is _DIED:
                self.process.join()
                others = ", ".join(SITES[v] for v in self.variants[1:])
                self._on(_Event.HELPER_DIED, BuildFailed(
                    f"het tweede bouwproces (voor {others} en de zoekindexen) stopte onverwacht "
                    f"(afsluitcode {self.process.exitcode})", []))
            elif isinstance(message, BuildFailed):
                self._on(_Event.HELPER_FAILED, message)
            elif message[0] == "onbruikbaar":
                self._on(_Event.UNUSABLE, BuutError(message[1]))
            elif message[0] == "bevindingen":
                self.project.findings = message[1]
                self.checks(self.project)  # the report, before anything is swapped in
                if self.project.errors():
                    self._on(_Event.FINDINGS_WITH_ERRORS, ContentErrors(self.project))
                else:
                    self._on(_Event.FINDINGS_CLEAN, self.own_failure)
            elif message[0] == "klaar":
                self.answer = message  # `_clean_up` removes its folders, should this not lead to DONE
                self._on(_Event.STAGED)
            else:
                raise ValueError(f"onbekend bericht van het tweede bouwproces: {message[0]!r}")
        except Exception as error:  # noqa: BLE001 - the report or a garbled message: the build ends
            self._on(_Event.ERROR, _failure(error))

    def _finish(self) -> list[_Staged]:
        """DONE: the second process has answered and only drains the queue; it may take HELPER_EXIT."""
        _, others, self.first.index, self.first.sections = self.answer
        self.process.join(HELPER_EXIT)
        if self.process.exitcode is None:  # answered but did not stop: never let it hold the build
            self.process.terminate()
            self.process.join()
        self._close()
        return [self.first, *others]

    def _clean_up(self) -> None:
        """FAILED: the one cleanup, whatever failed. Ctrl-C and SIGTERM wait until it is done.

        Removes this process's staging folder; stops the second process unless it said its last word
        (SIGTERM: it ends at once, `_cancel`; SIGKILL when it has not ended after HELPER_EXIT) and
        reaps it; removes
        the folders of what it had sent; takes what is left in the queue when it died (so no thread
        here waits to hand it pages); and removes what it could not (killed): staging folders in
        site/ and the search index's staging folders made during this build (this build holds the lock).
        """
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            self.first.discard()
            _discard(self.answer)
            if self.process is not None and self.process.pid is not None:
                if self.process.exitcode is None and not self.said_all:
                    self.process.terminate()
                self.process.join(HELPER_EXIT)
                if self.process.exitcode is None:
                    self.process.kill()
                    self.process.join()
                while True:  # what it sent before it stopped: its staged folders go too
                    try:
                        if not self.receive.poll():
                            break
                        _discard(self.receive.recv())
                    except Exception:  # noqa: BLE001 - the end of the pipe, or a message cut off
                        break
            _remove_leftovers(self.root / "site")
            for folder in _index_staging(self.root) - self.index_before:
                shutil.rmtree(folder, ignore_errors=True)
        finally:
            self._close()
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def _close(self) -> None:
        if self.receive is not None:
            self.receive.close()
        if self.pages is not None:
            if self.process is None or self.process.exitcode != 0:  # it died: take what it left, so nothing hangs
                _drain(self.pages)
            self.pages.close()


def _index_staging(root: Path) -> set[Path]:
    """The search index's staging folders in site/.zoekindex (`search.stage_index`)."""
    return set((root / "site").glob(".zoekindex/.*-nieuw-*"))


def _drain(pages_queue) -> None:
    while True:
        try:
            path, _ = pages_queue.get(timeout=1)
        except queue.Empty:
            return
        if path == _DONE:
            return


class _Stop(BaseException):
    """Raised from inside mkdocs when the build is FAILED (mkdocs turns an Exception into its own error)."""


class _Terminated(BaseException):
    """SIGTERM in this process during a two-process build (`_sigterm_as_interrupt`)."""


def _terminated(signum, frame):
    raise _Terminated()


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """SIGTERM raises _Terminated (in the main thread), so a two-process build cleans up as after
    Ctrl-C; then the signal is raised again under the previous handler: by default the process
    ends by it, as it would have at once, but with nothing left behind and no second process."""
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is not threading.main_thread() or previous is signal.SIG_IGN:
        yield
        return
    previous = signal.SIG_DFL if previous is None else previous
    signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, previous)
        signal.raise_signal(signal.SIGTERM)
        raise BuildFailed("het bouwen is onderbroken (SIGTERM)", []) from None  # a handler that went on
    finally:
        signal.signal(signal.SIGTERM, previous)


HELPER_EXIT = 60  # seconds the second process may take to exit after its answer (it only drains the queue)
_DONE = "\0klaar"  # after the last page: no page path starts with a NUL


class _FirstFailed(Exception):
    """The first site failed while its pages were being indexed."""


CANCELLED_EXIT = 3  # how the second process ends on SIGTERM


def _cancel(signum, frame):
    """SIGTERM in the second process: the first process failed, and cleans up after this one
    (`_clean_up`: what this process staged, the queue). So: end at once. An exception raised here
    could land in a callback of nh3 or lxml, where Python only prints it and carries on."""
    os._exit(CANCELLED_EXIT)


class _Arriving(Mapping):
    """The first site's pages as the other process hands them over; `get` waits for a page until
    the site is complete (a page the site does not have is then None, as for a folder)."""

    def __init__(self, pages_queue, parent: int):
        self.queue, self.parent = pages_queue, parent
        self.pages: dict[str, str] = {}
        self.complete = False
        self.failed = False  # the other process said its site failed: no page comes any more

    def get(self, path, default=None):
        while path not in self.pages and not self.complete:
            self._receive()
        return self.pages.get(path, default)

    def _receive(self) -> None:
        if self.failed:  # the failure was said once; whoever asks again hears it again
            raise _FirstFailed()
        try:
            path, html = self.queue.get(timeout=1)
        except queue.Empty:
            if os.getppid() != self.parent or gone(self.parent):  # the build was killed: stop, holding no lock
                raise _FirstFailed() from None
            return
        if path != _DONE:
            self.pages[path] = html
        elif html is None:
            self.failed = True  # remembered: `drain` must not wait for a second message that never comes
            raise _FirstFailed()
        else:
            self.complete = True

    def drain(self) -> None:
        """Take (and drop) pages until the other process says the site is done, or has gone."""
        while not (self.complete or self.failed):
            try:
                self._receive()
            except _FirstFailed:
                return

    def __getitem__(self, path):
        found = self.get(path)
        if found is None:
            raise KeyError(path)
        return found

    def __iter__(self):
        while not self.complete:
            self._receive()
        return iter(self.pages)

    def __len__(self):
        return len(list(iter(self)))


def gone(pid: int) -> bool:
    """The process has ended, also when it is a zombie nobody reaps yet (a `buut build` killed
    after whatever started it: its second process is then still its child, and would wait)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:  # no /proc (not Linux): only a changed parent tells
        return False
    return stat[stat.rindex(")") + 2:][:1] in ("Z", "X")


def _discard(message) -> None:
    """Remove the folders that a ("klaar", ...) message of the second process names (the build failed)."""
    if isinstance(message, tuple) and message[:1] == ("klaar",):
        _, others, index, _ = message
        for item in others:
            item.discard()
        if index is not None:
            shutil.rmtree(index, ignore_errors=True)


def _helper(project: Project, root: Path, variants: list[str], first_staging: Path, pages_queue, send,
            parent: int, check: bool) -> None:
    """The second process: validate (if asked; the findings go first), build variants[1:] and, if
    asked, index variants[0] from its pages. Its messages: see `_TwoProcessBuild`."""
    signal.signal(signal.SIGTERM, _cancel)  # the first process failed (`_clean_up`): stop at once
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches both processes: the first decides, and stops this one
    staged: list[_Staged] = []
    first = _Staged(variants[0], first_staging)
    arriving = _Arriving(pages_queue, parent) if pages_queue is not None else None
    try:
        if check:
            try:
                validated = validate_project(root)
            except BuutError as error:
                send.send(("onbruikbaar", error.findings))
                return  # the first process stops the build (and this process)
            send.send(("bevindingen", validated.findings))
            if validated.errors():
                return
            project.findings = validated.findings
        staged = _build_serial(project, root, variants[1:], pages_queue is not None)
        if arriving is not None:
            try:
                _stage_index(project, first, arriving)
            except _FirstFailed:
                pass  # the other process reports its own failure, and discards what this one staged
        send.send(("klaar", staged, first.index, first.sections))
    except BaseException as error:  # never a traceback: the message, as _generate gives it
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleaning up: a second signal must not cut it short
        for item in staged:
            item.discard()
        if first.index is not None:  # the first site's index only: its folder is the other process's
            shutil.rmtree(first.index, ignore_errors=True)
        with contextlib.suppress(Exception):
            send.send(error if isinstance(error, BuildFailed) else _failure(error))
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        send.close()
        if arriving is not None:
            arriving.drain()  # the other process never blocks handing over pages nobody takes
        os._exit(0)  # no atexit handlers or inherited cleanup of the parent's objects


def _swap(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-oud-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _page_keeper(keep_page):
    """An on_post_page handler that hands each page's article, as mkdocs writes it, to
    `keep_page(path, html)`; the search index reads it from there instead of from the files."""
    from buut.search.documents import article

    def on_post_page(output, *, page, config):
        if output.strip():  # mkdocs writes no empty page; the bytes it writes, decoded
            keep_page(page.file.dest_uri, article(output).encode("utf-8", errors="xmlcharrefreplace").decode("utf-8"))
        return output

    return on_post_page


def _generate(project: Project, config_file: Path, site_dir: Path, keep_page=None, sources=None) -> list[str]:
    """Build one site with mkdocs; `sources` (a dict) receives what the public site was made of."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    # mkdocs reads its configuration with PyYAML's unsafe loader: BUUT reads it first, as data
    for name in {config_file.name, "mkdocs.yml"}:
        refused = config_policy.check_config_file(project.root / name, project.root)
        if refused:
            from buut.check.formatters import text

            raise BuildFailed(f"{name}: deze configuratie gebruikt BUUT niet", text(refused).split("\n"),
                              unusable=True)
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        try:
            config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
        except (ConfigurationError, Abort) as error:
            details = "; ".join(collect.messages) or str(error)
            raise BuildFailed(_unknown_plugin(config_file, details)
                              or f"{config_file.name}: onbruikbare configuratie ({details})", [], unusable=True) from None
        refused = config_policy.check_config(config, project.root)
        if refused:
            raise BuildFailed(f"{config_file.name}: " + "; ".join(refused), [], unusable=True)
        plugin = config.plugins.get("buut")
        if plugin is None:
            raise BuildFailed(f"{config_file.name}: de BUUT-plugin ontbreekt (plugins: - buut)", [], unusable=True)
        plugin.handed = project
        if keep_page is not None:  # last, after every plugin's own on_post_page; a handler, not a plugin
            config.plugins.events["post_page"].append(_page_keeper(keep_page))
        try:
            build(config)
            if sources is not None and plugin.config.site == "publiek":
                sources["publiek"] = plugin.public_sources()
        except (Abort, PluginError) as error:
            reason = str(error)
            if reason.startswith("Aborted with"):  # mkdocs' own words; the reason was logged
                reason = "de generator stopte"
            raise BuildFailed(reason, collect.messages) from None
        except RecursionError:
            raise BuildFailed("een pagina is te diep genest", collect.messages) from None
        except Exception as error:  # a theme or extension error: the message, never a traceback
            raise BuildFailed(f"fout in de generator ({type(error).__name__}: {error})", collect.messages) from None
    finally:
        logger.removeHandler(collect)
    return collect.messages


def _unknown_plugin(config_file: Path, details: str) -> str | None:
    """A plugin name mkdocs does not know (`- serach:`), in Dutch with its line, or None."""
    import difflib
    import re
    from importlib.metadata import entry_points

    match = re.search(r'The "([^"]+)" plugin is not installed', details)
    if not match:
        return None
    name = match.group(1)
    line = next((number for number, text in enumerate(config_file.read_text(encoding="utf-8").splitlines(), 1)
                 if re.match(rf"\s*-\s*['\"]?{re.escape(name)}['\"]?\s*:?\s*(#.*)?$", text)), None)
    known = sorted({entry.name for entry in entry_points(group="mkdocs.plugins")})
    guess = difflib.get_close_matches(name, known, n=1)
    hint = f"; bedoel je '{guess[0]}'?" if guess else ""
    return (f"{config_file.name}{f':{line}' if line else ''}: de plugin '{name}' bestaat niet (niet geïnstalleerd"
            f"{hint})")
