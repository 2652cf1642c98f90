"""Stage 4, site: build a site with the generator and swap it in only when the build succeeded.

The generator is mkdocs (with mkdocs-material); this module is the only place that calls it, so
replacing the generator means replacing `_generate`. A failed build leaves the previous site
exactly as it was: the new one is built in a temporary folder beside it and renamed into place.

The public site passes the leak gate (`buut/build/leakgate.py`) in its staging folder; a leak fails the
build and nothing is swapped in. Built folders are world-readable (0755/0644), so a web server
running as another user can serve them. One build runs at a time (`build_lock`); it first removes
what a killed build left behind.

`buut build` (`check_and_build`) uses two cores: while this process builds the intranet, a forked
second process runs the content checks, builds the public site and makes both search indexes, the
intranet's from the pages this process hands over as mkdocs writes them (`_build_parallel`). On
one core the same steps run one after the other (`_build_serial`), with the same outcome.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import multiprocessing as mp
import os
import queue
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from buut.build import config as config_policy, leakgate
from buut.model import BuutError, Level
from buut.build.project import Project, load_project, validate_project

# Each site and its mkdocs configuration. The public site is the wijknetwerken site for partners.
SITES = {"intranet": "mkdocs.yml", "publiek": "mkdocs.publiek.yml"}


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
    with build_lock(root):
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
    each page as this process hands it over.

    mkdocs, the checks, the leak gate and whoosh are CPU-bound Python: threads would share one core.
    The second process is a fork: it has the loaded project without copying or pickling it. It
    sends the findings, then its staged folders or the BuildFailed it raised; nothing is swapped in
    unless the checks found no errors and both processes succeeded, and a failure on either side
    removes what both staged.
    """
    context = mp.get_context("fork")
    pages_queue = context.Queue() if index else None
    if pages_queue is not None:
        pages_queue.cancel_join_thread()  # a helper that stopped reads no more: exiting never waits on it
    receive, send = context.Pipe(duplex=False)
    first = _Staged(variants[0], _staging(root, variants[0]))  # made first: the helper indexes into it
    process = context.Process(target=_helper, args=(project, root, variants, first.staging, pages_queue, send,
                                                    os.getpid(), checks is not None), daemon=True)
    process.start()
    send.close()
    helper = _HelperAnswers(process, receive, root)

    def take_findings() -> None:
        """The helper's findings: `checks` reports them; errors stop this build (_Stop)."""
        try:
            findings = helper.findings()
        except BuildFailed as failed:  # the helper failed before it could check
            raise _Stop(failed) from None
        if isinstance(findings, BuutError):
            raise _Stop(findings)
        project.findings = findings
        checks(project)
        if project.errors():
            raise _Stop(ContentErrors(project))

    def keep(path: str, html: str) -> None:
        if pages_queue is not None:
            pages_queue.put((path, html))
        if checks is not None and not helper.checked:
            if receive.poll():
                take_findings()  # stop early when the checks found errors
        elif helper.failed_early():
            raise _Stop(helper.failed_early())

    try:
        try:
            built = False
            try:
                first = _stage_site(project, root, variants[0], keep if index or checks else None, first.staging)
                built = True
            finally:  # the helper stops waiting for pages, with the site or without
                if pages_queue is not None:
                    pages_queue.put((_DONE, "gebouwd" if built else None))
            if checks is not None and not helper.checked:
                take_findings()
        except _Stop as stop:
            first.discard()
            _discard(helper.answer())
            raise stop.error from None
        except BuildFailed:
            try:
                if checks is not None and not helper.checked:
                    take_findings()  # the findings come first, as when the checks run before the build
            except _Stop as stop:
                _discard(helper.answer())
                raise stop.error from None
            helper.cancel()  # no need to wait for its site: it stops, and what it staged goes too
            raise
        except BaseException:
            first.discard()
            helper.cancel()
            raise
        answer = helper.answer()
        if isinstance(answer, BuildFailed):
            first.discard()
            raise answer
        others, first.index, first.sections = answer
        return [first, *others]
    finally:
        receive.close()
        if pages_queue is not None:
            if process.exitcode not in (0, None):  # the helper died: take what it left, so nothing hangs
                _drain(pages_queue)
            pages_queue.close()


def _drain(pages_queue) -> None:
    while True:
        try:
            path, _ = pages_queue.get(timeout=1)
        except queue.Empty:
            return
        if path == _DONE:
            return


class _Stop(BaseException):
    """Raised from inside mkdocs to stop the build (mkdocs turns an Exception into its own error)."""

    def __init__(self, error: Exception):
        self.error = error
        super().__init__(str(error))


class _HelperAnswers:
    """The messages of the second process: first its findings (when it checks), then its answer."""

    def __init__(self, process, receive, root: Path):
        self.process, self.receive, self.root = process, receive, root
        self.checked = False
        self.failed: BuildFailed | None = None  # the helper failed before it sent findings
        self.early = None  # its answer, when it came while this process was still building

    def failed_early(self) -> BuildFailed | None:
        """Its failure, when it has already answered with one (the other site or the index failed):
        this process then stops building too instead of finishing a site that is thrown away."""
        if self.early is None and self.receive.poll():
            self.early = self._receive()
        return self.early if isinstance(self.early, BuildFailed) else None

    def _receive(self):
        try:
            return self.receive.recv()
        except EOFError:  # the helper died without answering (killed, out of memory)
            self.process.join()
            _remove_leftovers(self.root / "site")  # what it staged (this build holds the lock)
            return BuildFailed(f"het tweede bouwproces (voor {', '.join(SITES[v] for v in SITES if v != 'intranet')} "
                               f"en de zoekindexen) stopte onverwacht (afsluitcode {self.process.exitcode})", [])

    def findings(self):
        """The findings (a list), BuutError when the content is unusable; BuildFailed is raised."""
        self.checked = True
        message = self._receive()
        if isinstance(message, BuildFailed):
            self.failed = message
            raise message
        kind, data = message
        return BuutError(data) if kind == "onbruikbaar" else data

    def cancel(self) -> None:
        """Stop the second process (this build failed): it removes what it staged when it gets
        SIGTERM (`_Cancelled`); what it could not remove, or had sent already, this process removes."""
        if self.process.exitcode is None:
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
            except Exception:  # noqa: BLE001 - a message cut off by the signal: nothing more to take
                break
        _remove_leftovers(self.root / "site")

    def answer(self):
        """(its staged sites, the first site's staged index, its sections) or a BuildFailed."""
        answer = self.failed or self.early or self._receive()
        self.process.join(HELPER_EXIT)
        if self.process.exitcode is None:  # answered but did not stop: never let it hold the build
            self.process.terminate()
            self.process.join()
        return answer


HELPER_EXIT = 60  # seconds the second process may take to exit after its answer (it only drains the queue)
_DONE = "\0klaar"  # after the last page: no page path starts with a NUL


class _FirstFailed(Exception):
    """The first site failed while its pages were being indexed."""


class _Cancelled(BaseException):
    """Raised in the second process on SIGTERM: the first process failed, stop and clean up."""


def _cancel(signum, frame):
    raise _Cancelled()


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


def _discard(answer) -> None:
    if isinstance(answer, tuple) and len(answer) == 3:
        others, index, _ = answer
        for item in others:
            item.discard()
        if index is not None:
            shutil.rmtree(index, ignore_errors=True)


def _helper(project: Project, root: Path, variants: list[str], first_staging: Path, pages_queue, send,
            parent: int, check: bool) -> None:
    """The second process: validate (if asked; the findings go first), build variants[1:] and, if
    asked, index variants[0] from its pages."""
    staged: list[_Staged] = []
    first = _Staged(variants[0], first_staging)
    arriving = _Arriving(pages_queue, parent) if pages_queue is not None else None
    signal.signal(signal.SIGTERM, _cancel)  # `_HelperAnswers.cancel`: stop, removing what was staged
    try:
        if check:
            try:
                validated = validate_project(root)
            except BuutError as error:
                send.send(("onbruikbaar", error.findings))
                send.send(([], None, None))
                return
            send.send(("bevindingen", validated.findings))
            if validated.errors():
                send.send(([], None, None))
                return
            project.findings = validated.findings
        staged = _build_serial(project, root, variants[1:], pages_queue is not None)
        if arriving is not None:
            try:
                _stage_index(project, first, arriving)
            except _FirstFailed:
                pass  # the other process reports its own failure, and discards what this one staged
        send.send((staged, first.index, first.sections))
    except BaseException as error:  # never a traceback: the message, as _generate gives it
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleaning up: a second signal must not cut it short
        for item in staged:
            item.discard()
        if first.index is not None:  # the first site's index only: its folder is the other process's
            shutil.rmtree(first.index, ignore_errors=True)
        with contextlib.suppress(Exception, _Cancelled):
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
