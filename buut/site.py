"""Stage 4, site: build a site with the generator and swap it in only when the build succeeded.

The generator is mkdocs (with mkdocs-material); this module is the only place that calls it, so
replacing the generator means replacing `_generate`. A failed build leaves the previous site
exactly as it was: the new one is built in a temporary folder beside it and renamed into place.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

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
    def __init__(self, root: Path | None = None):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.root = root

    def emit(self, record):
        self.messages.append(explain(record.getMessage(), self.root))


_MACRO_FILE = re.compile(r"_File_: `([^`]+)`")
_MACRO_ERROR = re.compile(r"_(\w+)_: (.+)")
_UNDEFINED = re.compile(r"'([^']+)' is undefined")


def explain(message: str, root: Path | None = None) -> str:
    """A mkdocs-macros error report (Markdown with a Python traceback) as one line for an editor:
    `path:line: fout: …`, the line being the first that uses the unknown or failing name."""
    if "_Macro Rendering Error_" not in message and "Traceback" not in message:
        return message
    file = _MACRO_FILE.search(message)
    error = next((m for m in _MACRO_ERROR.finditer(message) if m.group(1) != "File"), None)
    path = file.group(1) if file else "?"
    kind, detail = (error.group(1), error.group(2).strip()) if error else ("fout", "onbekende fout")
    undefined = _UNDEFINED.search(detail)
    name = undefined.group(1) if undefined else None
    text = f"onbekende macro of naam '{name}'" if name else f"macro faalde ({kind}): {detail}"
    line = _line_of(root, path, name) if root else None
    return f"{path}:{line}: fout: {text}" if line else f"{path}: fout: {text}"


def _line_of(root: Path, path: str, name: str | None) -> int | None:
    """The first line with a macro call (with `name`, if known) in the source of page `path`."""
    for folder in ("", "docs/", "publiek/"):
        source = root / (folder + path)
        if source.is_file():
            for number, line in enumerate(source.read_text(encoding="utf-8", errors="replace").split("\n"), 1):
                if "{{" in line and (name is None or name in line):
                    return number
    return None


def build_site(project: Project, variant: str = "intranet") -> BuildResult:
    return build_sites(project, (variant,))[0]


def build_sites(project: Project, variants=tuple(SITES)) -> list[BuildResult]:
    """Build every variant into a staging folder; swap them in only when all of them succeeded."""
    root = project.root.resolve()  # mkdocs reads a relative site_dir from the config file's folder
    (root / "site").mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path, list[str]]] = []
    try:
        for variant in variants:
            if not (root / SITES[variant]).is_file():
                raise BuildFailed(f"{SITES[variant]} ontbreekt; zonder dit bestand kan de site '{variant}' "
                                  "niet worden gebouwd", [], unusable=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{variant}-bouw-", dir=root / "site"))
            staged.append((staging, root / "site" / variant, []))
            staged[-1][2].extend(_generate(project, root / SITES[variant], staging))
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

    collect = _Collect(project.root)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        try:
            config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
        except (ConfigurationError, Abort) as error:
            details = "; ".join(collect.messages) or str(error)
            raise BuildFailed(f"{config_file.name}: onbruikbare configuratie ({details})", [], unusable=True) from None
        plugin = config.plugins.get("buut")
        if plugin is not None:
            plugin.project = project
        try:
            build(config)
        except (Abort, PluginError) as error:
            raise BuildFailed(str(error), collect.messages) from None
        except SystemExit:  # mkdocs-macros exits (code 100) on a failing macro; its message is logged
            raise BuildFailed("een macro op een pagina faalde", collect.messages) from None
        except Exception as error:  # a macro or template error, named by mkdocs-macros
            raise BuildFailed(f"bouwen mislukt: {error}", collect.messages) from None
    finally:
        logger.removeHandler(collect)
    return collect.messages
