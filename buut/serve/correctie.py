"""Serve, feedback from the public site: a partner reports what is wrong on a page of Wijknetwerken,
and the report lands on the editors' worklist like any other (issue 25, point 5).

The public site is plain files (nginx serves them). Every page has "Klopt er iets niet op deze
pagina?" (buut/templates/partials/correctie.html, docs/javascripts/correctie.js). In production
nginx hands exactly one request of the public host to the `buut serve` processes: `POST
/api/feedback`, passed on as `POST /api/publiek/feedback` (deploy/nginx/buut.conf.in). `buut serve`
answers that path without login (buut/serve/login.py `PUBLIC_PATHS`), because the public site has none:

- `POST /api/publiek/feedback` `{"pagina", "tekst", "organisatie"?}`: 201 stored as a `melding` with
  `bron` "publiek", for the owner of that public page; 400 malformed input, or a page the public
  site does not have (an intranet-only page); 403 another site's `Origin`; 422 personal data in the
  text or the organisation (nothing written; the same check and answer as the intranet's feedback);
  429 too many from one client; 503 when the database cannot be reached.
- `GET` answers that reports can be sent here (nginx answers that itself on the public host).

Stored like the intranet's feedback (same table, same retention period). The rate limit is the
intranet's (`feedback.RateLimit`, in the store) with its own key per client address: "publiek:"
and the address nginx passes in X-Real-IP, believed only when the request comes from a trusted
proxy (`buut serve --trusted-proxy`), else the address of the peer itself. (Not X-Forwarded-For:
waitress removes that header, because it is given no proxy to trust itself.)
"""
from __future__ import annotations

import ipaddress
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from buut.serve.feedback import (
    MAX_TEKST,
    Pagina,
    RateLimit,
    Refused,
    _clean,
    _owner_words,
    _read_json,
    allowed_origins,
    check_origin,
    normalise_url,
    page_url,
    personal_data,
    privacy_refusal,
)
from buut.serve.store import Store, StoreError

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.project import Project

log = logging.getLogger("buut.serve.correctie")

PUBLIEK_FEEDBACK_PATH = "/api/publiek/feedback"  # what nginx makes of POST /api/feedback on the public host
MAX_ORGANISATIE = 120  # characters of an organisation's name


def public_pages(project: "Project") -> dict[str, Pagina]:
    """Every page of the public site by URL, with its owner (what `buut build` puts in site/publiek/)."""
    from buut.render import site_view

    view = site_view(project, "publiek")
    return {page_url(p.uri): Pagina(page_url(p.uri), p.meta.titel, p.meta.eigenaar)
            for p in view.content.pages + view.generated}


def client_address(environ: dict, trusted: tuple) -> str:
    """The partner's address: X-Real-IP (which nginx sets) when the peer is a trusted proxy, else the
    peer's own address. A header from anyone else is not believed."""
    peer = environ.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return peer
    if not any(address in network for network in trusted):
        return peer
    forwarded = environ.get("HTTP_X_REAL_IP", "").strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return peer


@dataclass
class PubliekeMeldingen:
    """The public site's reports as a route of serve.SiteApp: environ -> (status, body, type, headers)."""

    store: Store
    pages: dict[str, Pagina]
    trusted: tuple = ()  # ipaddress networks of the proxies whose X-Real-IP counts
    limit: RateLimit = RateLimit()
    origins: tuple[str, ...] = ()

    @classmethod
    def for_project(cls, project: "Project", store: Store, trusted: tuple = (), **options) -> "PubliekeMeldingen":
        return cls(store, public_pages(project), tuple(trusted), origins=allowed_origins(), **options)

    def __call__(self, environ: dict) -> tuple[str, bytes, str, list]:
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if method in ("GET", "HEAD"):
                return _answer("200 OK", {"feedback": True})
            if method != "POST":
                return _answer("405 Method Not Allowed", {"fout": "Deze methode is hier niet toegestaan."},
                               [("Allow", "GET, HEAD, POST")])
            check_origin(environ, self.origins, "Dit verzoek komt niet van een pagina van Wijknetwerken en is "
                                                "geweigerd.")
            sender = "publiek:" + client_address(environ, self.trusted)
            if not self.store.allow_request(sender, self.limit.limit, self.limit.window):
                raise Refused("429 Too Many Requests",
                              "U hebt in korte tijd veel berichten gestuurd. Probeer het over een minuut opnieuw.")
            return self._melding(_read_json(environ))
        except Refused as refused:
            return _answer(refused.status, {"fout": str(refused)})
        except StoreError as error:
            log.error("melding van de publieke site niet opgeslagen: %s", error)
            return _answer("503 Service Unavailable",
                           {"fout": "Uw bericht kon nu niet worden opgeslagen. Probeer het later opnieuw."})

    def _melding(self, data: dict) -> tuple[str, bytes, str, list]:
        unknown = sorted(set(data) - {"pagina", "tekst", "organisatie"})
        if unknown:
            raise Refused("400 Bad Request", f"Onbekend veld: {', '.join(unknown)}. Verwacht: pagina, tekst en "
                                             "eventueel organisatie.")
        pagina, tekst, organisatie = data.get("pagina"), data.get("tekst", ""), data.get("organisatie", "")
        if not isinstance(pagina, str) or len(pagina) > 500:  # "" is the start page
            raise Refused("400 Bad Request", "Het veld 'pagina' ontbreekt of is geen adres van een pagina.")
        if not isinstance(tekst, str) or not isinstance(organisatie, str):
            raise Refused("400 Bad Request", "De velden 'tekst' en 'organisatie' moeten tekst zijn.")
        tekst, organisatie = _clean(tekst), " ".join(_clean(organisatie).split())
        if not tekst:
            raise Refused("400 Bad Request", "Schrijf in een paar woorden wat er niet klopt op deze pagina.")
        if len(tekst) > MAX_TEKST:
            raise Refused("400 Bad Request", f"De tekst is {len(tekst)} tekens; er passen er hoogstens "
                                             f"{MAX_TEKST:,}.".replace(",", "."))
        if len(organisatie) > MAX_ORGANISATIE:
            raise Refused("400 Bad Request", f"De naam van de organisatie is te lang (hoogstens {MAX_ORGANISATIE} "
                                             "tekens).")
        page = self.pages.get(normalise_url(pagina))
        if page is None:
            raise Refused("400 Bad Request", f"De pagina '{pagina[:100]}' staat niet op Wijknetwerken; een melding "
                                             "kan alleen over een pagina van deze site gaan.")
        found = personal_data(tekst + "\n" + organisatie)
        if found:
            raise Refused("422 Unprocessable Entity", privacy_refusal(found, publiek=True))
        ident = self.store.record_feedback(page.url, page.eigenaar, "melding", tekst, bron="publiek",
                                           organisatie=organisatie)
        return _answer("201 Created", {"id": ident, "bericht": "Dank u wel. Uw melding is doorgegeven aan de "
                                                              f"{_owner_words(page.eigenaar)}."})


def _answer(status: str, body: dict, extra: list | None = None) -> tuple[str, bytes, str, list]:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return status, data, "application/json; charset=utf-8", [("Cache-Control", "no-store"), *(extra or [])]
