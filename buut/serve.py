"""Stage 6, serve: a small WSGI application for the built site and its search API, run by waitress.

- Static files: every path is resolved inside the site folder (anything that escapes it, encoded
  or not, is a 404) and directories serve their index.html.
- `GET /api/zoek?q=…&soort=…&n=…`: the search answer as JSON (the same as `buut zoek --json`).
  Any query string gets a 200 with results or a Dutch message; a failure inside the engine is
  logged and answered with a Dutch message, never with a traceback.
- Every answer carries security headers that suit an intranet without outside resources.
"""
from __future__ import annotations

import json
import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import parse_qs, unquote

log = logging.getLogger("buut.serve")
API_PATH = "/api/zoek"

SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    # Material inlines small scripts and styles; everything else must come from this host.
    ("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "
     "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
     "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]


class SiteApp:
    feedback = None  # buut.feedback.FeedbackApi: handles /api/feedback, /api/zoekvraag, /api/redactie

    def __init__(self, site_dir: Path, searcher=None):
        self.site_dir = Path(site_dir).resolve()
        self.searcher = searcher  # buut.search.Searcher, or None: then /api/zoek is a 404

    def resolve(self, raw_path: str) -> Path | None:
        """The file for a URL path, or None when it does not exist or lies outside the site."""
        path = unquote(raw_path)
        if "\x00" in path or "\\" in path:
            return None
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") for p in parts):
            return None
        normal = posixpath.normpath("/" + "/".join(parts)).lstrip("/")
        candidate = (self.site_dir / normal).resolve() if normal else self.site_dir
        try:
            candidate.relative_to(self.site_dir)
        except ValueError:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def __call__(self, environ, start_response):
        if self.feedback is not None and self.feedback.handles(environ.get("PATH_INFO", "")):
            return self.feedback(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return self._answer(start_response, "405 Method Not Allowed", b"Methode niet toegestaan.\n",
                                "text/plain; charset=utf-8", [("Allow", "GET, HEAD")], method)
        raw = environ.get("PATH_INFO", "/")
        try:
            raw = raw.encode("latin-1").decode("utf-8")  # PEP 3333 hands us latin-1
        except UnicodeError:
            pass
        if raw.rstrip("/") == API_PATH and self.searcher is not None:
            return self._search(environ, start_response, method)
        target = self.resolve(raw)
        if target is not None and target.name == "index.html" and not raw.endswith("/") \
                and target.parent != self.site_dir and not raw.endswith("index.html"):
            return self._answer(start_response, "301 Moved Permanently", b"", "text/plain",
                                [("Location", raw + "/")], method)
        if target is None:
            page = self.site_dir / "404.html"
            body = page.read_bytes() if page.is_file() else "Pagina niet gevonden.\n".encode()
            return self._answer(start_response, "404 Not Found", body, "text/html; charset=utf-8", [], method)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        return self._answer(start_response, "200 OK", target.read_bytes(), kind, [], method)

    def _search(self, environ, start_response, method):
        query_string = environ.get("QUERY_STRING", "")
        try:
            query_string = query_string.encode("latin-1").decode("utf-8", "replace")
        except UnicodeError:
            pass
        params = parse_qs(query_string, keep_blank_values=True)

        def param(name: str, default: str = "") -> str:
            return (params.get(name) or [default])[0]

        try:
            n = int(param("n", "10"))
        except ValueError:
            n = 10
        soort = param("soort") or None
        try:
            answer = self.searcher.search(param("q"), soort, n).to_dict()
        except Exception:  # noqa: BLE001 - the user gets a message, the log gets the details
            log.exception("zoeken mislukt voor %r", param("q")[:200])
            answer = {"query": param("q"), "corrected": None, "expanded": [], "hints": [], "results": [],
                      "message": "Zoeken lukt nu niet. Probeer het later opnieuw."}
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        return self._answer(start_response, "200 OK", body, "application/json; charset=utf-8",
                            [("Cache-Control", "no-store")], method)

    @staticmethod
    def _answer(start_response, status, body: bytes, kind: str, extra, method):
        headers = [("Content-Type", kind), ("Content-Length", str(len(body))), *SECURITY_HEADERS, *extra]
        start_response(status, headers)
        return [b""] if method == "HEAD" else [body]


def serve(app, host: str, port: int) -> None:
    import waitress

    waitress.serve(app, host=host, port=port, threads=8, ident="BUUT")
