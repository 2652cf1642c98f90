"""Page lifecycle: who owns a page, when it must be looked at again, and when it last changed.

Every content page has an `eigenaar` and a `herzien_voor` date (as GOV.UK's tech docs have an
owner and a review-by date). `reviews()` sorts the pages into overdue, due within 30 days, fine,
or without a date; `buut build` prints the first two grouped by owner and the intranet shows a
notice on an overdue page. `git_changes()` reads, in one `git log` pass, when each file last
changed and how; outside a git checkout it returns nothing and the site shows no dates.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from buut.model import Page

WINDOW_DAYS = 30

VERLOPEN, BINNENKORT, OK, GEEN_DATUM = "verlopen", "binnenkort", "op tijd", "geen datum"


@dataclass(frozen=True)
class Review:
    page: Page
    status: str
    days: int | None  # days until herzien_voor (negative: overdue)

    @property
    def due(self) -> bool:
        return self.status in (VERLOPEN, BINNENKORT)


def review(page: Page, today: dt.date) -> Review:
    date = page.meta.herzien_voor
    if date is None:
        return Review(page, GEEN_DATUM, None)
    days = (date - today).days
    status = VERLOPEN if days < 0 else BINNENKORT if days <= WINDOW_DAYS else OK
    return Review(page, status, days)


def reviews(pages: list[Page], today: dt.date) -> list[Review]:
    """A review for every content page (generated pages are reviewed through their data)."""
    return [review(page, today) for page in pages if not page.generated]


@dataclass(frozen=True)
class Change:
    commit: str
    date: dt.date
    subject: str


@dataclass(frozen=True)
class Commit(Change):
    paths: tuple[str, ...] = ()  # files it changed, relative to the root


def git_log(root: Path) -> list[Commit]:
    """Every commit that changed something under root, newest first; [] outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "--no-merges", "--format=%x00%h%x00%cs%x00%s", "--name-only",
             "--", "."],
            capture_output=True, text=True, timeout=60, check=True).stdout
        prefix = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"], capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return []
    commits = []
    parts = out.split("\x00")[1:]
    for index in range(0, len(parts) - 2, 3):
        commit, date, rest = parts[index], parts[index + 1], parts[index + 2]
        subject, _, names = rest.partition("\n")
        paths = tuple(name[len(prefix):] if prefix and name.startswith(prefix) else name
                      for name in (n.strip() for n in names.split("\n")) if name)
        commits.append(Commit(commit, dt.date.fromisoformat(date), subject, paths))
    return commits


def git_head(root: Path) -> str | None:
    """The commit the checkout stands on; None outside a git checkout."""
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def git_changes(root: Path, limit: int = 5, commits: list[Commit] | None = None) -> dict[str, list[Change]]:
    """Path (relative to root) -> its latest changes, newest first; {} outside a git checkout."""
    changes: dict[str, list[Change]] = defaultdict(list)
    for commit in git_log(root) if commits is None else commits:
        change = Change(commit.commit, commit.date, commit.subject)
        for path in commit.paths:
            if len(changes[path]) < limit:
                changes[path].append(change)
    return dict(changes)


# Generated pages change when the data they are made of changes. A generated page at
# `folder/name.md` is made from `folder/name.yml` when that file exists (a partner), else from
# everything in `folder/` (an overview); pages at the top are listed here by name.
DATA_OF_PAGE = {"begrippenlijst.md": ("glossary.yml",)}


def data_files(page: Page, root: Path) -> tuple[str, ...]:
    """The files in the repository a page is made of: itself, or the data of a generated page.

    A path that ends in "/" stands for every file in that folder."""
    if not page.generated:
        return (page.path,)
    uri = str(page.uri)
    if uri in DATA_OF_PAGE:
        return DATA_OF_PAGE[uri]
    folder, _, name = uri.rpartition("/")
    if not folder:
        return ()
    own = f"{folder}/{name[:-3]}.yml"
    return (own,) if (root / own).is_file() else (folder + "/",)


def last_change(files: tuple[str, ...], changes: dict[str, list[Change]]) -> Change | None:
    """The newest change to any of these files (see data_files)."""
    found = [changes[f][0] for f in files if changes.get(f)]
    for folder in (f for f in files if f.endswith("/")):
        found += [items[0] for path, items in changes.items() if items and path.startswith(folder)]
    return max(found, key=lambda c: c.date, default=None)


def eigenaar_naam(eigenaar: str) -> str:
    """An owner in words: "redactie-werkinstructies" -> "Redactie werkinstructies"."""
    words = eigenaar.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]
