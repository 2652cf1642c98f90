"""Serve, feedback: what medewerkers report back reaches the owner of the page.

The WSGI side of the feedback store (`buut/serve/store/`), mounted by `buut/serve/app.py`:

- `POST /api/feedback` `{"pagina", "soort", "tekst"}`: 201 stored; 400 malformed input or an
  unknown page; 403 another site's `Origin`; 422 personal data in the text (nothing written);
  429 too many from one client; 503 when the database cannot be reached. `GET` answers whether
  feedback can be sent (the page's script shows the form only then).
- `POST /api/zoekvraag` `{"vraag"}`: the search box reports the question a medewerker settled on;
  BUUT searches it again and counts it only when it has no full match (normalised, privacy-checked).
- `POST /api/zoekkeuze` `{"vraag", "pagina", "positie"}`: the search box reports a chosen result
  that was not the first (positie > 1); the worklist proposes such searches as `spreektaal`.
- `GET /api/redactie[?eigenaar=…]`: the editors' worklist as JSON (the Redactie page shows it).
- `POST /api/redactie/afhandelen` `{"id"}`: a logged-in editor marks a report as handled (buut/serve/login.py
  decides who is an editor and checks the CSRF token; with `--auth none` this answers 403).

Never stored: IP addresses, names, cookies, browsers, times of day. The rate limit counts per
sender (the login's user id when there is a login, else the client address) in the store, so every
server process on one database enforces one limit; it writes only a keyed hash of the sender, and
deletes it when the window has passed (`Store.allow_request`).
"""
from __future__ import annotations

import json
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable
from urllib.parse import parse_qs

from buut.check.privacy import FREE_TEXT_KINDS, free_text_findings
from buut.serve.app import SECURITY_HEADERS
from buut.serve.store import Store, StoreError
from buut.serve.store.base import SOORTEN

if TYPE_CHECKING:  # pragma: no cover
    from buut.check.project import Project
    from buut.render.worklist import Werkpunt

log = logging.getLogger("buut.serve.feedback")

FEEDBACK_PATH, ZOEKVRAAG_PATH, REDACTIE_PATH = "/api/feedback", "/api/zoekvraag", "/api/redactie"
AFHANDELEN_PATH = "/api/redactie/afhandelen"
ZOEKKEUZE_PATH = "/api/zoekkeuze"
MAX_TEKST = 2000  # characters in a report
# How the worklist labels a report by where it came from (buut/serve/correctie.py: a partner on the public site).
HERKOMST = {"publiek": "van de publieke site"}
MAX_BODY = 16_384  # bytes in a request
MAX_VRAAG = 200  # characters of a search kept (as the search itself)
ORIGIN_ENV = "BUUT_ORIGIN"  # extra allowed origins (comma separated), behind a proxy that rewrites Host
# What to write instead, per kind of personal data found (the medewerker rewrites and sends again).
PRIVACY_TIPS = {"privacy.naam": "schrijf 'de cliënt' of 'mevrouw' zonder naam",
                "privacy.adres": "noem de buurt of het stadsdeel, niet de straat met huisnummer",
                "privacy.postcode": "noem de buurt of het stadsdeel, niet de postcode",
                "privacy.geboortedatum": "noem hoogstens een leeftijd"}


@dataclass(frozen=True)
class Pagina:
    url: str  # relative to the site root: "" for the start page, "werkkader/2-4-werkproces/"
    titel: str
    eigenaar: str


def page_url(uri) -> str:
    """The directory URL of a source page: werkkader/2-5.md -> werkkader/2-5/, index.md -> ""."""
    text = str(uri)
    if text == "index.md" or text.endswith("/index.md"):
        return text[: -len("index.md")]
    return text[: -len(".md")] + "/"


def site_pages(project: "Project") -> dict[str, Pagina]:
    """Every page of the intranet by URL, with its owner: content, generated and upkeep pages."""
    from buut.load.content import PUBLIC_ONLY
    from buut.render.lifecycle import upkeep_pages

    # not the pages only the public site shows: publiek/index.md has the same URL as the intranet's
    # start page, and feedback on that page is for the intranet page's own owner
    content = [p for p in project.content.pages if p.path.split("/", 1)[0] not in PUBLIC_ONLY]
    pages = content + project.generated + upkeep_pages(project, [])
    return {page_url(p.uri): Pagina(page_url(p.uri), p.meta.titel, p.meta.eigenaar) for p in pages}


def normalise_url(pagina: str) -> str:
    """What a client sends for a page ("/werkkader/2-5/index.html") as a site_pages key."""
    path = pagina.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    if path and not path.endswith("/"):
        path += "/"
    return path


def normalise_query(vraag: str) -> str:
    from buut.search.query import normalise

    return " ".join(normalise(vraag[:MAX_VRAAG]).split())


def personal_data(text: str) -> list[str]:
    """The privacy rules a medewerker's text breaks (`privacy.naam`, …), none if clean. No opt-out."""
    return free_text_findings(text)


def privacy_refusal(rules: list[str], publiek: bool = False) -> str:
    """The Dutch answer to a text with personal data: what it seems to hold and what to write instead.
    `publiek`: for a partner on the public site (addressed as u, no intranet name)."""
    kinds = [FREE_TEXT_KINDS[rule] for rule in rules]
    said = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " en " + kinds[-1]
    tips = [PRIVACY_TIPS[rule] for rule in rules if rule in PRIVACY_TIPS]
    how = f" ({'; '.join(tips)})" if tips else ""
    if publiek:
        return (f"Uw tekst lijkt {said} te bevatten. Persoonsgegevens bewaren wij niet (werkkader §2.6): haal ze "
                f"weg en verstuur uw bericht opnieuw{how}. Er is niets opgeslagen.")
    return (f"Je tekst lijkt {said} te bevatten. Persoonsgegevens horen niet in BUUT (werkkader §2.6): haal ze "
            f"weg en verstuur je bericht opnieuw{how}. Er is niets opgeslagen.")


def full_match(answer) -> bool:
    """Whether a search answer found sections with all words (not only some, not nothing)."""
    explicit = getattr(answer, "full_match", None)
    if explicit is not None:
        return bool(explicit)
    partial = (answer.message or "").startswith("Geen resultaten met alle woorden")
    return bool(answer.results) and not partial


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` requests per sender in `window` seconds, counted in the store (shared by
    every server process on the database)."""

    limit: int = 10
    window: float = 60.0

    def allow(self, store: Store, environ: dict) -> bool:
        return store.allow_request(sender(environ), self.limit, self.window)


def sender(environ: dict) -> str:
    """Who sends: the user the login middleware set (`buut.user`), else the client address."""
    user = environ.get("buut.user")
    if user:
        return f"gebruiker:{user}"
    return f"adres:{environ.get('REMOTE_ADDR', '')}"


class Refused(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


def allowed_origins() -> tuple[str, ...]:
    """The extra origins of $BUUT_ORIGIN (comma separated), without a closing slash."""
    return tuple(o.strip().rstrip("/") for o in os.environ.get(ORIGIN_ENV, "").split(",") if o.strip())


def check_origin(environ: dict, origins: tuple[str, ...],
                 message: str = "Dit verzoek komt niet van een pagina van deze site en is geweigerd.") -> None:
    """Only pages of this site (or of `origins`) may send: a browser sends Origin with every POST."""
    origin = (environ.get("HTTP_ORIGIN") or "").rstrip("/")
    own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
    if environ.get("HTTP_SEC_FETCH_SITE", "same-origin") not in ("same-origin", "none") \
            or not origin or origin not in (own, *origins):
        raise Refused("403 Forbidden", message)


def werklijst(store: Store, pages: dict[str, Pagina], points: list["Werkpunt"],
              eigenaar: str | None = None, zoekvragen: int = 20, publiek: dict[str, Pagina] | None = None) -> dict:
    """The editors' worklist per owner: reports, "niet nuttig" per page and open points in the
    data; plus the most frequent searches without a full match (they have no owner). `publiek`:
    the public site's pages, for the titles of reports from there (its start page is its own)."""
    from buut.load.lifecycle import eigenaar_naam

    owners: dict[str, dict] = {}

    def owner(name: str) -> dict:
        return owners.setdefault(name, {"eigenaar": name, "naam": eigenaar_naam(name), "meldingen": [],
                                        "niet_nuttig": [], "open_punten": []})

    def titel(url: str, bron: str = "intranet") -> str:
        page = ((publiek or {}) if bron == "publiek" else pages).get(url) or pages.get(url)
        return page.titel if page else url

    for melding in store.reports(eigenaar):
        owner(melding.eigenaar)["meldingen"].append({**melding.to_dict(), "titel": titel(melding.pagina, melding.bron),
                                                     "herkomst": HERKOMST.get(melding.bron, "")})
    for rating in store.ratings(eigenaar):
        if rating.niet_nuttig:
            owner(rating.eigenaar)["niet_nuttig"].append({**rating.to_dict(), "titel": titel(rating.pagina)})
    for point in points:
        if eigenaar is None or point.eigenaar == eigenaar:
            owner(point.eigenaar)["open_punten"].append(point.to_dict())
    failed = store.failed_searches(zoekvragen)
    return {"eigenaren": [owners[name] for name in sorted(owners)],
            "zoekvragen": [q.to_dict() for q in failed],
            "spreektaal": spreektaal_kandidaten(store.choices(zoekvragen), failed, titel)}


def spreektaal_kandidaten(choices, failed, titel: Callable[[str], str]) -> list[dict]:
    """Everyday words to consider (`spreektaal`): searches whose chosen result was not the first
    (the page people meant), then short searches without a full match (words BUUT may not know)."""
    found = [{"woord": c.vraag, "aantal": c.aantal, "pagina": c.pagina, "titel": titel(c.pagina.split("#", 1)[0]),
              "waarom": "gekozen, maar niet het eerste resultaat"} for c in choices]
    found += [{"woord": q.vraag, "aantal": q.aantal, "pagina": None, "titel": None, "waarom": "geen volledig resultaat"}
              for q in failed if len(q.vraag.split()) <= 3]
    return found


class FeedbackApi:
    """The feedback endpoints as one WSGI application (serve.SiteApp hands /api/… paths to it)."""

    PATHS = (FEEDBACK_PATH, ZOEKVRAAG_PATH, REDACTIE_PATH, AFHANDELEN_PATH, ZOEKKEUZE_PATH)

    def __init__(self, store: Store, pages: dict[str, Pagina], searcher=None,
                 points: Callable[[], list["Werkpunt"]] = list, limit: RateLimit | None = None,
                 origins: tuple[str, ...] = (), publiek: dict[str, Pagina] | None = None):
        self.store, self.pages, self.searcher, self.points = store, pages, searcher, points
        self.publiek = publiek  # the public site's pages: titles of reports from there (buut/serve/correctie.py)
        self.limit = limit or RateLimit()
        self.origins = tuple(origins) + allowed_origins()

    @classmethod
    def for_project(cls, project: "Project", store: Store, searcher=None, **options) -> "FeedbackApi":
        from buut.render import worklist

        cache: list = []

        def points():  # the data does not change while the site is served; collected once
            if not cache:
                cache.append(worklist.open_points(project))
            return cache[0]

        return cls(store, site_pages(project), searcher, points, **options)

    def handles(self, path: str) -> bool:
        return path.rstrip("/") in self.PATHS

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "").rstrip("/")
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if path == REDACTIE_PATH and method in ("GET", "HEAD"):
                return self._redactie(environ, start_response)
            if path == AFHANDELEN_PATH:
                return self._afhandelen(environ, start_response, method)
            if path == FEEDBACK_PATH and method in ("GET", "HEAD"):
                return _json(start_response, "200 OK", {"feedback": True}, method == "HEAD")
            if method != "POST" or path == REDACTIE_PATH:
                return _json(start_response, "405 Method Not Allowed", {"fout": "Deze methode is hier niet toegestaan."},
                             allow="GET, HEAD" if path == REDACTIE_PATH else "POST")
            self._check_origin(environ)
            if not self.limit.allow(self.store, environ):
                raise Refused("429 Too Many Requests",
                              "Je hebt in korte tijd veel berichten gestuurd. Probeer het over een minuut opnieuw.")
            data = _read_json(environ)
            if path == FEEDBACK_PATH:
                return self._feedback(data, start_response)
            if path == ZOEKVRAAG_PATH:
                return self._zoekvraag(data, start_response)
            if path == ZOEKKEUZE_PATH:
                return self._zoekkeuze(data, start_response)
            raise Refused("404 Not Found", "Onbekend adres.")
        except Refused as refused:
            return _json(start_response, refused.status, {"fout": str(refused)})
        except StoreError as error:
            log.error("feedback niet opgeslagen: %s", error)
            return _json(start_response, "503 Service Unavailable",
                         {"fout": "Je bericht kon nu niet worden opgeslagen. Probeer het later opnieuw."})

    def _check_origin(self, environ) -> None:
        check_origin(environ, self.origins)

    def _feedback(self, data: dict, start_response):
        unknown = sorted(set(data) - {"pagina", "soort", "tekst"})
        if unknown:
            raise Refused("400 Bad Request", f"Onbekend veld: {', '.join(unknown)}. Verwacht: pagina, soort, tekst.")
        pagina, soort, tekst = data.get("pagina"), data.get("soort"), data.get("tekst", "")
        if not isinstance(pagina, str) or len(pagina) > 500:  # "" is the start page
            raise Refused("400 Bad Request", "Het veld 'pagina' ontbreekt of is geen adres van een pagina.")
        if soort not in SOORTEN:
            raise Refused("400 Bad Request", "Het veld 'soort' moet 'nuttig', 'niet-nuttig' of 'melding' zijn.")
        if not isinstance(tekst, str):
            raise Refused("400 Bad Request", "Het veld 'tekst' moet tekst zijn.")
        tekst = _clean(tekst)
        if len(tekst) > MAX_TEKST:
            raise Refused("400 Bad Request", f"De tekst is {len(tekst)} tekens; er passen er hoogstens {MAX_TEKST:,}."
                          .replace(",", "."))
        if soort == "melding" and not tekst:
            raise Refused("400 Bad Request", "Schrijf in een paar woorden wat er niet klopt of wat je mist.")
        page = self.pages.get(normalise_url(pagina))
        if page is None:
            raise Refused("400 Bad Request", f"De pagina '{pagina[:100]}' bestaat niet op dit intranet.")
        found = personal_data(tekst)
        if found:
            raise Refused("422 Unprocessable Entity", privacy_refusal(found))
        ident = self.store.record_feedback(page.url, page.eigenaar, soort, tekst)
        thanks = ("Dank je wel! Je melding is doorgegeven aan de " + _owner_words(page.eigenaar) + "."
                  if soort == "melding" or tekst else "Dank je wel voor je antwoord.")
        return _json(start_response, "201 Created", {"id": ident, "bericht": thanks})

    def _zoekvraag(self, data: dict, start_response):
        vraag = data.get("vraag")
        if isinstance(vraag, str):
            vraag = _clean(vraag)[:MAX_BODY]
        if set(data) != {"vraag"} or not isinstance(vraag, str) or not normalise_query(vraag):
            raise Refused("400 Bad Request", "Verwacht: {\"vraag\": \"wat je zocht\"}.")
        if self.searcher is None:
            raise Refused("404 Not Found", "Zoeken staat uit op deze server.")
        if personal_data(vraag):
            return _json(start_response, "200 OK", {"vastgelegd": False,
                                                    "bericht": "Niet bewaard: de zoekvraag bevat persoonsgegevens."})
        if full_match(self.searcher.search(vraag)):
            return _json(start_response, "200 OK", {"vastgelegd": False})
        self.store.record_failed_search(normalise_query(vraag))
        return _json(start_response, "201 Created", {"vastgelegd": True})

    def _zoekkeuze(self, data: dict, start_response):
        vraag, pagina, positie = data.get("vraag"), data.get("pagina"), data.get("positie")
        if set(data) != {"vraag", "pagina", "positie"} or not isinstance(vraag, str) or not normalise_query(vraag) \
                or not isinstance(pagina, str) or type(positie) is not int or positie < 1:
            raise Refused("400 Bad Request", "Verwacht: {\"vraag\": \"wat je zocht\", \"pagina\": \"de gekozen "
                                             "pagina\", \"positie\": 1 of hoger}.")
        if self.pages.get(normalise_url(pagina)) is None:
            raise Refused("400 Bad Request", f"De pagina '{pagina[:100]}' bestaat niet op dit intranet.")
        if personal_data(vraag) or positie == 1:  # the first result was right: nothing to learn
            return _json(start_response, "200 OK", {"vastgelegd": False})
        anchor = pagina.split("#", 1)[1][:200] if "#" in pagina else ""
        self.store.record_choice(normalise_query(vraag), normalise_url(pagina) + (f"#{anchor}" if anchor else ""))
        return _json(start_response, "201 Created", {"vastgelegd": True})

    def _redactie(self, environ, start_response):
        params = parse_qs(environ.get("QUERY_STRING", "")[:2048])
        eigenaar = (params.get("eigenaar") or [None])[0] or None
        if eigenaar is not None and not _EIGENAAR.fullmatch(eigenaar):
            raise Refused("400 Bad Request", "Een eigenaar is een korte naam in kleine letters met streepjes, "
                          "zoals redactie-werkkader.")
        body = werklijst(self.store, self.pages, self.points(), eigenaar, publiek=self.publiek)
        own = {name.casefold() for name in environ.get("buut.eigenaren", ())}
        for owner in body["eigenaren"]:  # the editor's own owners first (BUUT_EIGENAAR_GROEPEN)
            owner["eigen"] = bool(own) and (owner["eigenaar"].casefold() in own or owner["naam"].casefold() in own)
        body["eigenaren"].sort(key=lambda owner: not owner["eigen"])
        if environ.get("buut.csrf"):  # logged in (buut/serve/login.py): the page may mark reports as handled
            body["afhandelen"] = {"pad": AFHANDELEN_PATH.lstrip("/"), "token": environ["buut.csrf"]}
        return _json(start_response, "200 OK", body, environ.get("REQUEST_METHOD") == "HEAD")

    def _afhandelen(self, environ, start_response, method: str):
        """An editor marks a report as handled. buut/serve/login.py has checked the role and the CSRF token."""
        if method != "POST":
            raise Refused("405 Method Not Allowed", "Gebruik POST om een melding af te handelen.")
        if not environ.get("buut.csrf"):
            raise Refused("403 Forbidden", "Afhandelen vanaf de pagina kan alleen als BUUT met inloggen draait. "
                                           "Gebruik op deze machine: buut redactie afhandelen NUMMER.")
        self._check_origin(environ)
        data = _read_json(environ)
        ident = data.get("id")
        if set(data) != {"id"} or not isinstance(ident, int) or isinstance(ident, bool) or ident < 1:
            raise Refused("400 Bad Request", "Verwacht: {\"id\": nummer van de melding}.")
        if not self.store.mark_handled(ident):
            raise Refused("404 Not Found", f"Er staat geen open melding met nummer {ident}.")
        return _json(start_response, "200 OK", {"id": ident, "bericht": f"Melding {ident} is afgehandeld."})


_EIGENAAR = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")  # as in front matter (content.EIGENAAR)


def _clean(text: str) -> str:
    """Lines with single spaces, no control or invisible formatting characters."""
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf"))
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines())


def _owner_words(eigenaar: str) -> str:
    from buut.load.lifecycle import eigenaar_naam

    return eigenaar_naam(eigenaar).lower()


def _read_json(environ) -> dict:
    kind = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise Refused("400 Bad Request", "Stuur JSON (Content-Type: application/json).")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if length < 0 or length > MAX_BODY:
        raise Refused("400 Bad Request", f"Het bericht is te groot (hoogstens {MAX_BODY // 1024} kB).")
    raw = environ["wsgi.input"].read(length) if length else b""
    try:
        data = json.loads(raw.decode("utf-8"))
        # a lone surrogate ("\ud800") is valid JSON but no text: no store or check can take it
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise Refused("400 Bad Request", "Het bericht bevat een teken dat geen tekst is (een losse surrogaat, "
                      "zoals \\ud800).") from None
    except RecursionError:
        raise Refused("400 Bad Request", "Het bericht is te diep genest.") from None
    except (UnicodeDecodeError, ValueError):  # also a number of thousands of digits
        raise Refused("400 Bad Request", "Het bericht is geen geldige JSON.") from None
    if not isinstance(data, dict):
        raise Refused("400 Bad Request", "Het bericht moet een JSON-object zijn, zoals {\"pagina\": …}.")
    return data


def _json(start_response, status: str, body: dict, head: bool = False, allow: str | None = None):
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data))),
               ("Cache-Control", "no-store"), *SECURITY_HEADERS]
    if allow:
        headers.append(("Allow", allow))
    start_response(status, headers)
    return [b""] if head else [data]
