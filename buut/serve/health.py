"""Serve: the two answers a load balancer or an orchestrator asks for.

- `GET /healthz` (liveness): the process answers. It touches nothing else, so a slow database or
  a missing index never gets a healthy process restarted.
- `GET /readyz` (readiness): the store and the search index answer. 503 with Dutch reasons when
  one of them does not, so the proxy sends requests to another server meanwhile.

Both come before login, the feedback API and its rate limit (`serve.SiteApp` asks `handles`
first) and carry no data: no page, no report, no user.
"""
from __future__ import annotations

import json
import logging

from buut.serve.app import SECURITY_HEADERS

log = logging.getLogger("buut.serve.health")

HEALTHZ, READYZ = "/healthz", "/readyz"
PATHS = (HEALTHZ, READYZ)


class Health:
    """The health endpoints as one small WSGI application, for one release of the site."""

    def __init__(self, store=None, searcher=None):
        self.store = store  # buut.serve.store.Store, or None when this server keeps no feedback
        self.searcher = searcher  # buut.search.Searcher, or None when search is off

    @staticmethod
    def handles(path: str) -> bool:
        return path in PATHS

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return _answer(start_response, "405 Method Not Allowed", {"fout": "Gebruik GET."}, method,
                           [("Allow", "GET, HEAD")])
        if environ.get("PATH_INFO") == HEALTHZ:
            return _answer(start_response, "200 OK", {"status": "ok"}, method)
        reasons = self.problems()
        if reasons:
            return _answer(start_response, "503 Service Unavailable", {"status": "niet klaar", "redenen": reasons},
                           method, [("Retry-After", "5")])
        return _answer(start_response, "200 OK", {"status": "klaar"}, method)

    def problems(self) -> list[str]:
        """What keeps this server from answering requests, in Dutch; empty when it is ready."""
        reasons = []
        if self.store is not None:
            try:
                self.store.ping()
            except Exception as error:  # noqa: BLE001 - any failure means: not ready
                log.warning("readyz: opslag antwoordt niet: %s", error)
                reasons.append("De database voor feedback antwoordt niet.")
        if self.searcher is None:
            reasons.append("De zoekindex is niet geopend.")
        else:
            try:
                if self.searcher.ready() <= 0:
                    reasons.append("De zoekindex is leeg.")
            except Exception as error:  # noqa: BLE001
                log.warning("readyz: zoekindex antwoordt niet: %s", error)
                reasons.append("De zoekindex antwoordt niet.")
        return reasons


def _answer(start_response, status: str, body: dict, method: str, extra=()):
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    start_response(status, [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data))),
                            ("Cache-Control", "no-store"), *SECURITY_HEADERS, *extra])
    return [b""] if method == "HEAD" else [data]
