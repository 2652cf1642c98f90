"""What an editor sees of the preview (`mkdocs serve`): a build error in the browser page, a quiet terminal.

mkdocs' own server leaves the browser waiting without a word after a failed rebuild (it never
announces a new version of the site), and it fills the terminal with lines meant for developers.
So, for the preview only:

- `Failure` collects what a rebuild logged as warning or error; when the rebuild fails, the preview
  keeps that text, lets the server tell the browsers to reload, and `error_page` puts the message on
  top of every page it serves (the page below is the last version that built). The next successful
  rebuild takes it away again.
- `quiet_terminal` drops the list of pages that are not in the menu (generated pages never are), and
  the "404" lines for the feedback and search APIs that every page asks for: under `mkdocs serve`
  they are not there (`buut serve` has them), and the pages know it.

mkdocs' logger names are the only thing of mkdocs this module knows; the plugin wires it in.
"""
from __future__ import annotations

import html
import logging
from typing import Callable, Iterable

# Loggers of mkdocs 1.6 whose lines an editor does not need.
_NAV_LOGGER = "mkdocs.structure.nav"
_SERVER_LOGGER = "mkdocs.livereload"
_API_REQUEST = ('"GET /api/', '"POST /api/')


class _Quiet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("The following pages exist in the docs directory, but are not included"):
            return False
        return not (" code 404" in message and any(request in message for request in _API_REQUEST))


_QUIET = _Quiet()


def quiet_terminal() -> None:
    """Install the filters once per process (mkdocs serve runs one preview)."""
    for name in (_NAV_LOGGER, _SERVER_LOGGER):
        logger = logging.getLogger(name)
        if _QUIET not in logger.filters:
            logger.addFilter(_QUIET)


class Failure(logging.Handler):
    """The warnings and errors logged while one rebuild runs (attach to the "mkdocs" logger)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def text(self) -> str:
        return "\n".join(line for line in self.lines if line.strip()) or "De voorvertoning kon de site niet bouwen."


BANNER = (
    '<div role="alert" id="buut-bouwfout" style="position:relative;z-index:10;margin:0;padding:1rem 1.2rem;'
    'background:#fff3f3;color:#1a1a1a;border-bottom:4px solid #b00020;font:16px/1.5 sans-serif">'
    '<strong>De voorvertoning is niet bijgewerkt: BUUT vond een fout.</strong>'
    '<pre style="white-space:pre-wrap;margin:.6rem 0;font:14px/1.4 monospace;color:#1a1a1a">{message}</pre>'
    "Verbeter de fout en sla het bestand op: deze pagina ververst dan vanzelf. "
    "Wat hieronder staat, is de laatste versie die wel lukte.</div>"
)


def with_banner(page: bytes, message: str) -> bytes:
    """The page with the error on top, right after `<body …>` (or at the start)."""
    banner = BANNER.format(message=html.escape(message)).encode("utf-8")
    start = page.find(b"<body")
    at = page.find(b">", start) + 1 if start >= 0 else 0
    return page[:at] + banner + page[at:]


def error_page(app: Callable, current_error: Callable[[], str | None]) -> Callable:
    """WSGI middleware around mkdocs' server: while the last rebuild failed, every HTML page says why."""

    def serve(environ, start_response) -> Iterable[bytes]:
        message = current_error()
        if not message:
            return app(environ, start_response)
        answer: dict = {}

        def remember(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return lambda data: None

        body = b"".join(app(environ, remember))
        headers = answer.get("headers", [])
        kind = next((value for key, value in headers if key.lower() == "content-type"), "")
        if kind.startswith("text/html"):
            body = with_banner(body, message)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(answer.get("status", "500 Internal Server Error"), headers)
        return [body]

    return serve
