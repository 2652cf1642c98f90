"""The editors' preview (`mkdocs serve`): what changed since the last build, and what that asks for.

An editor saves a file and looks. Rebuilding the whole site for every save costs seconds; most saves
change one page. So the preview keeps the last build and, on a save:

1. compares the files it watches with what it saw before (`fingerprints`, `compare`);
2. builds everything again when the change reaches every page or the site's shape (`full_reason`:
   the glossary, a configuration file, a file added or removed, a picture or stylesheet);
3. otherwise (also when nothing BUUT watches changed: an editor's swap file) loads and validates the project again (`project.validate_project`: parsed files and the
   checks of unchanged text are kept per process, so this is fast and as strict as a build), and
   renders only the pages whose Markdown after BUUT's steps differs from the last build
   (`changed_pages`). A page made of other pages (the werkkader as one document) or from data
   (a partner, a voorziening's table) changes with them, because its Markdown does. When the
   navigation, a page's title or the git history (a commit, a pull) changes, everything is built
   again.

This module knows nothing of mkdocs; `mkdocs_plugin.py` does the rendering.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from buut.load.content import CONTENT_DIRS
from buut.load.policy import ignored

WATCHED = (*CONTENT_DIRS, "partners", "teams")
# A change here reaches every page (the glossary's tooltips and checks) or the site itself.
EVERYTHING = ("glossary.yml", "mkdocs.yml", "mkdocs.publiek.yml")
PAGE_SUFFIXES = (".md", ".yml")  # pages and data; any other file (a picture, a stylesheet) is copied whole


def fingerprints(root: Path) -> dict[str, tuple[int, int]]:
    """Every watched file by its path: (modification time in ns, size). Links are not followed."""
    found: dict[str, tuple[int, int]] = {}
    for name in EVERYTHING:
        _add(found, root, root / name)
    for folder in WATCHED:
        for directory, subdirs, files in os.walk(root / folder):
            subdirs[:] = sorted(d for d in subdirs if not ignored(d))
            for name in files:
                if not ignored(name):  # an editor's swap file changes while they type
                    _add(found, root, Path(directory) / name)
    return found


def _add(found: dict, root: Path, path: Path) -> None:
    try:
        stat = path.lstat()
    except OSError:
        return
    found[path.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)


@dataclass
class Changes:
    modified: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.modified or self.added or self.removed)


def compare(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> Changes:
    return Changes(modified=sorted(p for p in after if p in before and after[p] != before[p]),
                   added=sorted(set(after) - set(before)), removed=sorted(set(before) - set(after)))


def full_reason(changes: Changes) -> str | None:
    """Why this change needs a whole build (Dutch, for the log), or None when pages will do."""
    if changes.added or changes.removed:
        return f"bestand toegevoegd of verwijderd: {(changes.added + changes.removed)[0]}"
    for path in changes.modified:
        if path in EVERYTHING:
            return f"{path} gewijzigd"
        if not path.endswith(PAGE_SUFFIXES):
            return f"{path} gewijzigd (geen pagina of gegevens)"
    return None


def changed_pages(before: dict[str, object], after: dict[str, object]) -> list[str] | None:
    """The pages whose signature differs; None when the set of pages itself changed."""
    if set(before) != set(after):
        return None
    return sorted(uri for uri in after if after[uri] != before[uri])
