"""Stage 4, site: build a site with the generator and swap it in only when the build succeeded.

The generator is mkdocs (with mkdocs-material); this module is the only place that calls it, so
replacing the generator means replacing `_generate`. A failed build leaves the previous site
exactly as it was: the new one is built in a temporary folder beside it and renamed into place.

The public site passes the leak gate (`buut/leakgate.py`) in its staging folder; a leak fails the
build and nothing is swapped in. Built folders are world-readable (0755/0644), so a web server
running as another user can serve them. One build runs at a time (`build_lock`); it first removes
what a killed build left behind.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import leakgate, policy
from .project import Project

# Each site and its mkdocs configuration. The public site is the wijknetwerken site for partners.
SITES = {"intranet": "mkdocs.yml", "publiek": "mkdocs.publiek.yml"}


class BuildFailed(Exception):
    def __init__(self, message: str, messages: list[str], unusable: bool = False):
        self.messages, self.unusable = messages, unusable
        super().__init__(message)


@dataclass
class BuildResult:
    site_dir: Path
    warnings: list[str] = field(default_factory=list)


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
# the search index's staging folders (built after the lock is released: only when an hour old).
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
            for pattern in _LEFTOVERS:
                for leftover in folder.glob(pattern):
                    shutil.rmtree(leftover, ignore_errors=True)
            for pattern in _INDEX_LEFTOVERS:
                for leftover in folder.glob(pattern):
                    if time.time() - leftover.stat().st_mtime > 3600:
                        shutil.rmtree(leftover, ignore_errors=True)
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


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


def build_sites(project: Project, variants=tuple(SITES)) -> list[BuildResult]:
    """Build every variant into a staging folder; swap them in only when all of them succeeded."""
    root = project.root.resolve()  # mkdocs reads a relative site_dir from the config file's folder
    with build_lock(root):
        return _build_sites(project, root, variants)


def _build_sites(project: Project, root: Path, variants) -> list[BuildResult]:
    staged: list[tuple[Path, Path, list[str]]] = []
    try:
        for variant in variants:
            if not (root / SITES[variant]).is_file():
                raise BuildFailed(f"{SITES[variant]} ontbreekt; zonder dit bestand kan de site '{variant}' "
                                  "niet worden gebouwd", [], unusable=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{variant}-bouw-", dir=root / "site"))
            staged.append((staging, root / "site" / variant, []))
            staged[-1][2].extend(_generate(project, root / SITES[variant], staging))
            if variant == "publiek":
                try:
                    leakgate.gate(staging, project)
                except leakgate.LeakFound as leak:
                    raise BuildFailed(f"lekcontrole: {leak}", [str(x) for x in leak.leaks]) from None
            readable(staging)
    except BaseException:
        for staging, _, _ in staged:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    for staging, target, _ in staged:
        _swap(staging, target)
    return [BuildResult(target, warnings) for _, target, warnings in staged]


def _swap(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-oud-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _generate(project: Project, config_file: Path, site_dir: Path) -> list[str]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    # mkdocs reads its configuration with PyYAML's unsafe loader: BUUT reads it first, as data
    for name in {config_file.name, "mkdocs.yml"}:
        refused = policy.check_config_file(project.root / name, project.root)
        if refused:
            from .formatters import text

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
            raise BuildFailed(f"{config_file.name}: onbruikbare configuratie ({details})", [], unusable=True) from None
        refused = policy.check_config(config, project.root)
        if refused:
            raise BuildFailed(f"{config_file.name}: " + "; ".join(refused), [], unusable=True)
        plugin = config.plugins.get("buut")
        if plugin is None:
            raise BuildFailed(f"{config_file.name}: de BUUT-plugin ontbreekt (plugins: - buut)", [], unusable=True)
        plugin.project = project
        try:
            build(config)
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
