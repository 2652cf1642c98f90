"""Serve: a small WSGI application for the built site and its APIs, run by waitress.

- Static files: every path is resolved inside the site folder (anything that escapes it, encoded
  or not, too long or odd, is a 404) and directories serve their index.html. Answers carry an
  ETag and Last-Modified, and a conditional request gets 304. A `.gz` file is sent with
  `Content-Encoding: gzip`.
- `GET /api/zoek?q=…&soort=…&n=…&vanaf=…`: the search answer as JSON (the same as `buut zoek --json`).
  Any query string gets a 200 with results or a Dutch message; a failure inside the engine is
  logged and answered with a Dutch message, never with a traceback. Every server thread searches
  with its own searcher (whoosh searchers must not be shared between threads).
- More routes (the feedback API) are added through `SiteApp.routes`; `/healthz` and `/readyz`
  (`buut/serve/health.py`) are answered before all of them.
- Only the server's own host names are answered (`localhost`, the bound address, $BUUT_HOSTS); any
  other Host gets 421, so a foreign page cannot reach the APIs through DNS rebinding.
- Every answer carries security headers that suit an intranet without outside resources, also
  the answers waitress makes itself (a malformed request) and a failure inside BUUT (500). The
  Content-Security-Policy allows no inline script but the fixed list of the theme's constant
  scripts, by hash (buut/build/theme_policy.py): never what the built site happens to contain.
- `serve()` runs waitress with limits that keep the server reachable when many clients hold
  connections open (see `WAITRESS`).
"""
from __future__ import annotations

import email.utils
import json
import logging
import mimetypes
import os
import posixpath
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote

from buut.build import theme_policy

log = logging.getLogger("buut.serve.app")
API_PATH = "/api/zoek"
# The host names the server answers to, besides the local ones and the address it is bound to
# (comma separated). Any other Host gets 421: a page on another domain that resolves to this
# server (DNS rebinding) cannot read /api/redactie or send feedback.
HOSTS_ENV = "BUUT_HOSTS"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
MISDIRECTED = ("Deze server beantwoordt alleen verzoeken voor zijn eigen adres. Zet de naam van de server in "
               "BUUT_HOSTS als je hem onder een andere naam gebruikt.\n")
MAX_PATH = 1024  # characters of a URL path; longer is a 404 (no file name is that long)

BASE_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
]
# Scripts: this host only, plus the theme's constant inline scripts by hash (theme_policy.csp).
# Styles: Material sets style attributes, so inline styles stay allowed; they cannot run code.
CSP = theme_policy.csp()
SECURITY_HEADERS = BASE_HEADERS + [("Content-Security-Policy", CSP)]

# waitress, tuned so that idle or slow clients cannot lock real users out. Its defaults (100
# connections, 120 s before an idle connection is closed) let ~100 idle sockets block the server
# for two minutes. Idle connections cost waitress a socket, not a thread: allow many, and close
# the idle ones soon.
WAITRESS = {
    "threads": 8,  # requests handled at once
    "connection_limit": 2000,  # open connections before waitress stops accepting (default 100)
    "channel_timeout": 15,  # seconds an idle or stalled connection may stay open (default 120)
    "cleanup_interval": 5,  # how often idle connections are looked for (default 30)
    "backlog": 2048,  # connections the kernel queues before they are accepted
    "asyncore_use_poll": True,  # select() cannot watch more than 1024 sockets
    "max_request_header_size": 65536,  # 64 kB of headers (default 256 kB)
    "max_request_body_size": 65536,  # 64 kB: the largest answer a form sends is 2,000 characters
    "expose_tracebacks": False,
    "ident": "BUUT",
}

Handler = Callable[[dict], tuple[str, bytes, str, list]]  # environ -> (status, body, type, headers)


def host_name(value: str) -> str:
    """A Host header or configured name as compared: 'Intranet.Example:8000' -> 'intranet.example',
    '[::1]:8000' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


# The addresses this process's servers are bound to (`create_server`): answered like the local names.
# Kept per process, so a SiteApp behind the login or inside a release answers to them too.
_BOUND: set[str] = set()


def allowed_hosts(*names: str) -> frozenset[str]:
    """The local names, `names` and $BUUT_HOSTS (a wildcard address is no name a client uses)."""
    found = {host_name(n) for n in (*LOCAL_HOSTS, *names, *os.environ.get(HOSTS_ENV, "").split(","))}
    return frozenset(found - {"", "0.0.0.0", "::"})


class SiteApp:
    health = None  # buut.serve.health.Health: /healthz and /readyz, before anything else (login, rate limit)
    feedback = None  # buut.serve.feedback.FeedbackApi: handles /api/feedback, /api/zoekvraag, /api/redactie

    def __init__(self, site_dir: Path, searcher=None, hosts: tuple[str, ...] = ()):
        self.site_dir = Path(site_dir).resolve()
        self.hosts = allowed_hosts(*hosts)  # and the addresses `create_server` binds to (_BOUND)
        # buut.search.Searcher (thread-safe: one engine searcher per thread), or None: no /api/zoek.
        self.searcher = searcher
        self.routes: dict[str, Handler] = {}
        if searcher is not None:
            self.routes[API_PATH] = self._search

    # -- headers -----------------------------------------------------------------------------

    def security_headers(self) -> list[tuple[str, str]]:
        """The security headers; the CSP is fixed, whatever the built site contains."""
        return SECURITY_HEADERS

    # -- files -------------------------------------------------------------------------------

    def resolve(self, raw_path: str) -> Path | None:
        """The file for a URL path, or None when it does not exist, lies outside the site or is odd."""
        path = unquote(raw_path)
        if len(path) > MAX_PATH or "\x00" in path or "\\" in path:
            return None
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") or len(p.encode("utf-8")) > 255 for p in parts):
            return None
        normal = posixpath.normpath("/" + "/".join(parts)).lstrip("/")
        try:
            candidate = (self.site_dir / normal) if normal else self.site_dir
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if candidate.resolve() != candidate:  # a link on the way: serve only what the build wrote here
                return None
            return candidate if candidate.is_file() else None
        except (ValueError, OSError):  # outside the site, or a name the file system refuses
            return None

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        # No Host at all (HTTP/1.0, a script) cannot be DNS rebinding: a browser always sends one
        if "HTTP_HOST" in environ and host_name(environ["HTTP_HOST"]) not in self.hosts \
                and host_name(environ["HTTP_HOST"]) not in _BOUND:
            return self._answer(start_response, "421 Misdirected Request", MISDIRECTED.encode(),
                                "text/plain; charset=utf-8", [("Cache-Control", "no-store")], method)
        try:
            return self._handle(environ, start_response, method)
        except Exception:  # noqa: BLE001 - the user gets a Dutch page, the log gets the details
            log.exception("fout bij %s %r", method, environ.get("PATH_INFO", "")[:200])
            return self._answer(start_response, "500 Internal Server Error",
                                "Er ging iets mis aan de kant van BUUT. Probeer het later opnieuw.\n".encode(),
                                "text/plain; charset=utf-8", [], method)

    def _handle(self, environ, start_response, method):
        if self.health is not None and self.health.handles(environ.get("PATH_INFO", "")):
            return self.health(environ, start_response)
        if self.feedback is not None and self.feedback.handles(environ.get("PATH_INFO", "")):
            return self.feedback(environ, start_response)
        raw = environ.get("PATH_INFO", "/")
        try:
            raw = raw.encode("latin-1").decode("utf-8")  # PEP 3333 hands us latin-1
        except UnicodeError:
            pass
        route = self.routes.get(raw.rstrip("/"))
        if route is not None:
            status, body, kind, extra = route(environ)
            return self._answer(start_response, status, body, kind, extra, method)
        if method not in ("GET", "HEAD"):
            return self._answer(start_response, "405 Method Not Allowed", b"Methode niet toegestaan.\n",
                                "text/plain; charset=utf-8", [("Allow", "GET, HEAD")], method)
        target = self.resolve(raw)
        if target is not None and target.name == "index.html" and not raw.endswith("/") \
                and target.parent != self.site_dir and not raw.endswith("index.html"):
            return self._answer(start_response, "301 Moved Permanently", b"", "text/plain",
                                [("Location", raw + "/")], method)
        if target is None:
            page = self.site_dir / "404.html"
            body = page.read_bytes() if page.is_file() else "Pagina niet gevonden.\n".encode()
            return self._answer(start_response, "404 Not Found", body, "text/html; charset=utf-8", [], method)
        return self._file(environ, start_response, target, method)

    def _file(self, environ, start_response, target: Path, method):
        stat = target.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        validators = [("ETag", etag), ("Last-Modified", modified),
                      ("Cache-Control", "no-cache" if target.suffix == ".html" else "public, max-age=300")]
        if _not_modified(environ, etag, stat.st_mtime):
            return self._answer(start_response, "304 Not Modified", b"", None, validators, method)
        kind, encoding = mimetypes.guess_type(target.name)
        kind = kind or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml"):
            kind += "; charset=utf-8"
        if encoding == "gzip":
            validators.append(("Content-Encoding", "gzip"))
        return self._answer(start_response, "200 OK", target.read_bytes(), kind, validators, method)

    # -- search ------------------------------------------------------------------------------

    def _search(self, environ) -> tuple[str, bytes, str, list]:
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return ("405 Method Not Allowed", "Gebruik GET voor zoeken.\n".encode(), "text/plain; charset=utf-8",
                    [("Allow", "GET, HEAD")])
        query_string = environ.get("QUERY_STRING", "")
        try:
            query_string = query_string.encode("latin-1").decode("utf-8", "replace")
        except UnicodeError:
            pass
        params = parse_qs(query_string[:8192], keep_blank_values=True)

        def param(name: str, default: str = "") -> str:
            return (params.get(name) or [default])[0]

        try:
            n = int(param("n", "10"))
        except ValueError:
            n = 10
        try:
            offset = int(param("vanaf", "0"))
        except ValueError:
            offset = 0
        soort = param("soort") or None
        try:
            answer = self.searcher.search(param("q"), soort, n, offset).to_dict()
        except Exception:  # noqa: BLE001 - the user gets a message, the log gets the details
            log.exception("zoeken mislukt voor %r", param("q")[:200])
            answer = {"query": param("q"), "corrected": None, "expanded": [], "hints": [], "results": [],
                      "message": "Zoeken lukt nu niet. Probeer het later opnieuw."}
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        return "200 OK", body, "application/json; charset=utf-8", [("Cache-Control", "no-store")]

    def _answer(self, start_response, status, body: bytes, kind: str | None, extra, method):
        headers = ([("Content-Type", kind)] if kind else []) + [("Content-Length", str(len(body)))]
        start_response(status, headers + self.security_headers() + list(extra))
        return [b""] if method == "HEAD" else [body]


def _not_modified(environ, etag: str, mtime: float) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            return int(mtime) <= email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, OverflowError):
            return False
    return False


def create_server(app: SiteApp, host: str, port: int, **overrides):
    """A waitress server for the app (not yet running), with BUUT's limits and error answers."""
    import waitress.server
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class BuutErrorTask(ErrorTask):
        """waitress' own answers (a malformed request, a header too large) in Dutch, with the
        same security headers as every other answer."""

        def execute(self):
            error = self.request.error
            self.status = f"{error.code} {error.reason}"
            self.response_headers.extend([("Content-Type", "text/plain; charset=utf-8"), *app.security_headers()])
            self.set_close_on_finish()
            body = f"Dit verzoek kan BUUT niet verwerken ({error.code} {error.reason}).\n".encode()
            self.content_length = len(body)
            self.write(body)

    class BuutChannel(HTTPChannel):
        error_task_class = BuutErrorTask

    _raise_file_limit()
    _BOUND.update(allowed_hosts(host))
    sockets: dict = {}
    server = waitress.server.create_server(app, map=sockets, host=host, port=port, **{**WAITRESS, **overrides})
    for listener in list(sockets.values()):
        if isinstance(listener, waitress.server.BaseWSGIServer):
            listener.channel_class = BuutChannel
    return server


def _raise_file_limit() -> None:
    """Let the process hold as many sockets as waitress may accept."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = WAITRESS["connection_limit"] + 256
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    except (ImportError, ValueError, OSError):
        pass


def serve(app: SiteApp, host: str, port: int) -> None:
    server = create_server(app, host, port)
    server.run()
