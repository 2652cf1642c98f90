"""Serve: the built sites and index as one versioned, read-only artefact (a release).

    releases/
      20261207T181500Z-2460580/    one release: never changed after it is published
        intranet/  publiek/  zoekindex/intranet/  release.json
      current -> 20261207T181500Z-2460580

`publish` copies what `buut build` made (`site/intranet`, `site/publiek`, `site/.zoekindex/intranet`)
into a new release folder and then turns the `current` link with one rename. `ReleaseApp` reads
the link once per request and hands the request to the application of that release, whose pages,
search index and answer cards all come from the same folder: a request that started before a
roll-out finishes on the old release, the next one sees the new release, never a mix. nginx serves
the static files from `current/` the same way. Older releases stay (the last `KEEP`), so a request
in flight never loses its files, and going back is turning the link (`buut release --terug`).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Callable

from buut.model import BuutError
from buut.serve.app import SECURITY_HEADERS

log = logging.getLogger("buut.serve.release")

CURRENT = "current"
KEEP = 3  # releases kept on disk, the current one included
PARTS = {"intranet": "site/intranet", "publiek": "site/publiek", "zoekindex/intranet": "site/.zoekindex/intranet"}


def release_id(root: Path) -> str:
    """A sortable name: the UTC time of publishing plus the git commit of the content, if any."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        head = ""
    return f"{stamp}-{head}" if head else stamp


def releases_in(folder: Path) -> list[Path]:
    """The published releases in `folder`, oldest first (half-made ones start with a dot)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))


def current(folder: Path) -> Path | None:
    """The release `folder/current` points at now, resolved once, or None."""
    try:
        target = (folder / os.readlink(folder / CURRENT)).resolve()
    except OSError:
        return None
    return target if target.is_dir() else None


def publish(root: Path, folder: Path) -> Path:
    """Copy the last build of `root` into a new release in `folder` and make it current."""
    missing = [source for source in PARTS.values() if not (root / source).is_dir()]
    if missing or not (root / "site/intranet/index.html").is_file():
        raise BuutError(f"er is geen volledige build om te publiceren (ontbreekt: {', '.join(missing) or 'index.html'});"
                        " draai eerst 'buut build'")
    folder.mkdir(parents=True, exist_ok=True)
    ident = release_id(root)
    target = folder / ident
    if target.exists():
        raise BuutError(f"release {ident} bestaat al in {folder}; wacht een seconde en probeer het opnieuw")
    staging = folder / f".{ident}-nieuw"
    try:
        for part, source in PARTS.items():
            shutil.copytree(root / source, staging / part)
        (staging / "release.json").write_text(json.dumps({"release": ident, "gepubliceerd": ident[:16]}) + "\n",
                                              encoding="utf-8")
        for path in [staging, *staging.rglob("*")]:  # readable for nginx under its own user
            path.chmod(0o755 if path.is_dir() else 0o644)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    point_current(folder, target)
    prune(folder)
    return target


def point_current(folder: Path, target: Path) -> None:
    """Turn `folder/current` to `target` in one rename (a reader sees the old or the new link)."""
    link = folder / f".{CURRENT}-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(target.name)
    os.replace(link, folder / CURRENT)


def back(folder: Path) -> Path:
    """Make the release before the current one current again."""
    now, published = current(folder), releases_in(folder)
    older = [p for p in published if now is None or p.name < now.name]
    if not older:
        raise BuutError(f"er is geen eerdere release in {folder} om naar terug te gaan")
    point_current(folder, older[-1])
    return older[-1]


def prune(folder: Path, keep: int = KEEP) -> None:
    now = current(folder)
    for old in releases_in(folder)[:-keep]:
        if now is None or old != now:
            shutil.rmtree(old, ignore_errors=True)


class ReleaseApp:
    """Serve the current release: per request, resolve `current` once and use that release's app.

    `make_app(release_folder)` builds the application of one release (site, searcher, feedback,
    health). Apps are made once per release and the last two are kept. When the current release
    cannot be opened, the previous one keeps serving (and the log says why)."""

    def __init__(self, folder: Path, make_app: Callable[[Path], Callable]):
        self.folder, self.make_app = Path(folder), make_app
        self._apps: dict[Path, Callable] = {}
        self._last: Path | None = None
        self._lock = threading.Lock()

    def app_for(self, release: Path | None):
        if release is None:
            return None
        app = self._apps.get(release)
        if app is not None:
            return app
        with self._lock:
            if release not in self._apps:
                try:
                    self._apps[release] = self.make_app(release)
                except Exception:  # noqa: BLE001 - keep the last good release serving
                    log.exception("release %s is niet te openen; de vorige blijft actief", release.name)
                    return self._apps.get(self._last) if self._last else None
                for old in [p for p in self._apps if p not in (release, self._last)]:
                    del self._apps[old]
                self._last = release
            return self._apps[release]

    def __call__(self, environ, start_response):
        app = self.app_for(current(self.folder))
        if app is not None:
            return app(environ, start_response)
        from buut.serve.health import Health

        if Health.handles(environ.get("PATH_INFO", "")):  # alive, but not ready: no index
            return Health()(environ, start_response)
        body = "BUUT heeft nog geen release om te serveren. Publiceer er een met 'buut release'.\n".encode()
        start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8"),
                                                   ("Content-Length", str(len(body))), *SECURITY_HEADERS])
        return [body]
